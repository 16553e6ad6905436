//! `tilsynsklar assessment …`: starting, reading, summarising and signing off assessments.

use super::Ctx;
use super::output::safe;
use crate::app::view::{AssessmentView, ScoreJson};
use crate::assessment::{ScoreValue, Status, summarize};
use crate::error::{Error, Result};
use crate::store::{AssessmentRecord, AssessmentRef};
use crate::text::bar;
use crate::tr;
use clap::{Args, Subcommand};

/// Which assessment: `--assessment N`, or `--facility F` with `--year Y` (the newest year when left out).
#[derive(Debug, Args, Clone)]
pub struct Which {
    /// The assessment's number
    #[arg(long, short = 'a', conflicts_with_all = ["facility", "year"])]
    pub assessment: Option<i64>,
    /// The facility's number or name
    #[arg(long, short = 'f')]
    pub facility: Option<String>,
    /// The year [default: the facility's newest]
    #[arg(long, short = 'y', requires = "facility")]
    pub year: Option<i32>,
}

impl Which {
    /// Finds the assessment the user named.
    pub fn resolve(&self, ctx: &Ctx) -> Result<AssessmentRecord> {
        match (&self.assessment, &self.facility, self.year) {
            (Some(id), _, _) => ctx.app.store.assessment(&AssessmentRef::Id(*id)),
            // the assessment of a facility and year by the one rule (app::view::the_one)
            (None, Some(f), year) => {
                let facility = ctx.app.store.find_facility(f)?;
                match crate::app::view::assessment_of(&ctx.app.store, facility.id, year)? {
                    Some(id) => ctx.app.store.assessment(&AssessmentRef::Id(id)),
                    None => Err(Error::UnknownAssessment(match year {
                        Some(y) => format!("{} {y}", safe(&facility.name)),
                        None => safe(&facility.name),
                    })),
                }
            }
            (None, None, _) => Err(Error::UnknownAssessment(
                ctx.app
                    .lang
                    .pick(
                        "angiv --assessment N eller --facility F [--year Å]",
                        "give --assessment N or --facility F [--year Y]",
                    )
                    .into(),
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCmd {
    /// Starts a facility's self-assessment for a year
    Start {
        /// The facility's number or name
        #[arg(long, short = 'f')]
        facility: String,
        #[arg(long, short = 'y')]
        year: i32,
        /// The model id [default: the model in force in that year]
        #[arg(long)]
        model: Option<String>,
        /// Start from the facility's latest earlier assessment: its scores and texts are
        /// copied in, each marked "not re-assessed" until confirmed or changed
        #[arg(long)]
        from_last_year: bool,
    },
    /// The assessments, newest year first
    List {
        /// Only this facility's
        #[arg(long, short = 'f')]
        facility: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every indicator of an assessment with its score, reasoning and sources
    Show {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Criterion and theme means, progress, and the theme means as bars
    Summary {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Signs the assessment off; refused while any indicator is unscored
    Finalise {
        #[command(flatten)]
        which: Which,
        /// Who signs it off
        #[arg(long)]
        by: String,
    },
    /// Opens a finalised assessment for changes again; the reason is logged
    Reopen {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        reason: String,
    },
    /// The audit log of an assessment: every change, with old and new value, who and when
    Log {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: AssessmentCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    match cmd {
        AssessmentCmd::Start {
            facility,
            year,
            model,
            from_last_year,
        } => {
            let f = ctx.app.store.find_facility(&facility)?;
            let model = match model {
                Some(id) => ctx.app.store.active_model(&id)?,
                None => ctx.app.store.model_for_year(year)?,
            };
            let stamp = ctx.app.stamp();
            let a = ctx
                .app
                .store
                .start_assessment(&f, year, &model, from_last_year, &stamp)?;
            let total = model.indicators().count();
            let carried = ctx
                .app
                .store
                .scores(a.id)?
                .iter()
                .filter(|s| s.carried_over)
                .count();
            let mut line = tr!(
                lang,
                "startet: vurdering {} for {} {year} på {} ({total} indikatorer, {} markeret ikke relevant for tilbudstypen",
                "started: assessment {} for {} {year} on {} ({total} indicators, {} marked not relevant for the facility type",
                a.id,
                safe(&f.name),
                model.id,
                a.done - carried
            );
            if from_last_year {
                line.push_str(&tr!(
                    lang,
                    ", {carried} overført fra sidste år og markeret ikke genvurderet",
                    ", {carried} carried over from last year and marked not re-assessed"
                ));
            }
            ctx.out.line(line + ")")
        }
        AssessmentCmd::List { facility, json } => {
            let f = facility
                .map(|f| ctx.app.store.find_facility(&f))
                .transpose()?;
            let mut list = ctx.app.store.assessments(f.as_ref())?;
            if json {
                // progress as the read model counts it (a carried-over score is not done)
                for a in &mut list {
                    let model = ctx.app.store.model_by_hash(&a.model_hash)?;
                    a.done = summarize(&model, &ctx.app.store.scores(a.id)?).done;
                }
                return ctx.out.json(&list);
            }
            if list.is_empty() {
                return ctx.out.line(tr!(
                    lang,
                    "Ingen vurderinger endnu: tilsynsklar assessment start --facility F --year ÅR",
                    "No assessments yet: tilsynsklar assessment start --facility F --year YEAR"
                ));
            }
            table(&list, ctx)
        }
        AssessmentCmd::Show { which, json } => {
            let a = which.resolve(ctx)?;
            show(&a, json, ctx)
        }
        AssessmentCmd::Summary { which, json } => {
            let a = which.resolve(ctx)?;
            summary(&a, json, ctx)
        }
        AssessmentCmd::Finalise { which, by } => {
            let a = which.resolve(ctx)?;
            let by = by.trim().to_string();
            if by.is_empty() {
                return Err(Error::Empty("--by"));
            }
            let stamp = ctx.app.stamp();
            let done = ctx.app.store.finalise(a.id, &by, &stamp)?;
            // the warnings of the quality checks that did not stop the sign-off
            let model = ctx.app.store.model_by_hash(&done.model_hash)?;
            let scores = ctx.app.store.scores(done.id)?;
            for line in check_lines(&model, &scores, lang) {
                super::output::warn(&tr!(lang, "advarsel: {line}", "warning: {line}"));
            }
            ctx.out.line(tr!(
                lang,
                "afsluttet: vurdering {} for {} {} af {}",
                "finalised: assessment {} for {} {} by {}",
                done.id,
                safe(&done.facility),
                done.year,
                safe(&by)
            ))
        }
        AssessmentCmd::Reopen { which, reason } => {
            let a = which.resolve(ctx)?;
            let stamp = ctx.app.stamp();
            let r = ctx.app.store.reopen(a.id, &reason, &stamp)?;
            ctx.out.line(tr!(
                lang,
                "genåbnet: vurdering {} er igen en kladde",
                "reopened: assessment {} is a draft again",
                r.id
            ))
        }
        AssessmentCmd::Log { which, json } => {
            let a = which.resolve(ctx)?;
            let log = ctx.app.store.audit_log(Some(a.id))?;
            if json {
                return ctx.out.json(&log);
            }
            let mut rows = vec![vec![
                tr!(lang, "Tid", "When"),
                tr!(lang, "Hvem", "Who"),
                tr!(lang, "Handling", "Action"),
                tr!(lang, "Emne", "Subject"),
                tr!(lang, "Før → efter", "Before → after"),
            ]];
            for e in &log {
                let change = format!(
                    "{} → {}{}",
                    e.old_value.as_deref().unwrap_or("–"),
                    e.new_value.as_deref().unwrap_or("–"),
                    e.reason
                        .as_deref()
                        .map(|r| format!("  ({r})"))
                        .unwrap_or_default()
                );
                rows.push(vec![
                    safe(&e.at),
                    safe(&e.by),
                    e.action.clone(),
                    safe(e.subject.as_deref().unwrap_or("")),
                    safe(&change),
                ]);
            }
            ctx.out.table(&rows)
        }
    }
}

/// The assessments as a table: number, facility, year, model, status, progress.
pub fn table(list: &[AssessmentRecord], ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let mut rows = vec![vec![
        "Nr".to_string(),
        tr!(lang, "Tilbud", "Facility"),
        tr!(lang, "År", "Year"),
        tr!(lang, "Model", "Model"),
        tr!(lang, "Status", "Status"),
        tr!(lang, "Fremdrift", "Progress"),
        tr!(lang, "Gns.", "Mean"),
    ]];
    let chosen = crate::app::view::chosen(&ctx.app.store)?;
    let mut doubled = false;
    for a in list {
        let model = ctx.app.store.model_by_hash(&a.model_hash)?;
        let scores = ctx.app.store.scores(a.id)?;
        let s = summarize(&model, &scores);
        let double = chosen
            .doubles
            .iter()
            .any(|d| d.facility_id == a.facility_id && d.year == a.year);
        doubled |= double;
        rows.push(vec![
            if double && chosen.contains(a.id) {
                format!("{}*", a.id)
            } else {
                a.id.to_string()
            },
            safe(&a.facility),
            a.year.to_string(),
            a.model_id.clone(),
            a.status.label(lang).to_string(),
            format!("{}/{}", s.done, s.total),
            lang.mean(s.overall_mean),
        ]);
    }
    ctx.out.table(&rows)?;
    if doubled {
        ctx.out.prose(doubles_note(lang))?;
    }
    Ok(())
}

/// The note under a list that holds two assessments of one facility and year.
fn doubles_note(lang: crate::i18n::Lang) -> String {
    tr!(
        lang,
        "* Tilbuddet har to vurderinger det år; sammenligninger og --facility/--year bruger den markerede: den afsluttede, ellers den nyeste.",
        "* The facility has two assessments that year; comparisons and --facility/--year use the marked one: the finalised one, else the newest."
    )
}

fn header(view: &AssessmentView, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let a = &view.record;
    let mut line = format!(
        "{} · {} · {} · {}",
        safe(&a.facility),
        a.year,
        a.model_id,
        a.status.label(lang)
    );
    if let (Status::Finalised, Some(by), Some(at)) = (a.status, &a.finalised_by, &a.finalised_at) {
        line.push_str(&tr!(lang, " af {} {}", " by {} {}", safe(by), safe(at)));
    }
    ctx.out.line(format!(
        "{} {} · {line}",
        lang.pick("Vurdering", "Assessment"),
        a.id
    ))?;
    if !view.twins.is_empty() {
        let others: Vec<String> = view.twins.iter().map(|i| i.to_string()).collect();
        ctx.out.prose(if view.is_chosen {
            tr!(
                lang,
                "Tilbuddet har også vurdering {} for {}; denne er den, sammenligninger bruger (den afsluttede, ellers den nyeste).",
                "The facility also has assessment {} for {}; this is the one comparisons use (the finalised one, else the newest).",
                others.join(", "),
                a.year
            )
        } else {
            tr!(
                lang,
                "Tilbuddet har også vurdering {} for {}; sammenligninger bruger den, ikke denne.",
                "The facility also has assessment {} for {}; comparisons use that one, not this.",
                others.join(", "),
                a.year
            )
        })?;
    }
    Ok(())
}

fn show(a: &AssessmentRecord, json: bool, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let view = crate::app::view::assessment_view(&ctx.app, a)?;
    let model = view.model.clone();
    let scores = &view.scores;
    if json {
        let list: Vec<ScoreJson<'_>> = scores.iter().map(ScoreJson::of).collect();
        return ctx.out.json(&serde_json::json!({
            "assessment": progress_record(&view),
            "scores": list,
        }));
    }
    header(&view, ctx)?;
    for theme in &model.themes {
        ctx.out.line("")?;
        ctx.out.line(format!(
            "{} {}  {}",
            lang.pick("Tema", "Theme"),
            theme.number,
            safe(theme.title.official())
        ))?;
        for c in &theme.criteria {
            ctx.out.line(format!(
                "  {:<5}{}{}",
                c.id,
                c.text.wording.mark(),
                safe(c.text.official())
            ))?;
            for i in &c.indicators {
                let s = scores.iter().find(|s| s.indicator_id == i.id);
                let mut value = match s.map(|s| s.value) {
                    Some(ScoreValue::Scored(v)) => v.to_string(),
                    Some(ScoreValue::NotRelevant) => lang.pick("i.r.", "n/r").to_string(),
                    None => "·".to_string(),
                };
                if s.is_some_and(|s| s.carried_over) {
                    value.push('↻');
                }
                ctx.out.line(format!(
                    "    {:<4}[{value:^4}] {}{}",
                    i.id,
                    i.text.wording.mark(),
                    safe(i.text.official())
                ))?;
                if let Some(s) = s {
                    for l in s.reasoning.lines().filter(|l| !l.trim().is_empty()) {
                        ctx.out.line(format!("              {}", safe(l)))?;
                    }
                    for l in s.sources.lines().filter(|l| !l.trim().is_empty()) {
                        ctx.out.line(format!(
                            "              {}: {}",
                            lang.pick("Kilde", "Source"),
                            safe(l)
                        ))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The quality checks other than "unscored", one line per kind naming its indicators:
/// "4 eller 5 uden datakilde: 2a, 6b".
fn check_lines(
    model: &crate::model::QualityModel,
    scores: &[crate::assessment::Score],
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let issues = crate::assessment::quality_checks(model, scores);
    let mut kinds: Vec<_> = issues
        .iter()
        .map(|i| i.kind)
        .filter(|k| *k != crate::assessment::QualityIssueKind::Unscored)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| {
            let ids: Vec<&str> = issues
                .iter()
                .filter(|i| i.kind == k)
                .map(|i| i.indicator_id.as_str())
                .collect();
            format!("{}: {}", k.label(lang), ids.join(", "))
        })
        .collect()
}

fn summary(a: &AssessmentRecord, json: bool, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let view = crate::app::view::assessment_view(&ctx.app, a)?;
    let model = view.model.clone();
    let scores = &view.scores;
    let s = &view.summary;
    if json {
        let (_, follow) = super::gaps::last_years_gaps(ctx, a, &model, scores)?;
        let checks = crate::assessment::quality_checks(&model, scores);
        return ctx.out.json(&serde_json::json!({
            "assessment": progress_record(&view), "summary": s, "gaps": view.gaps.findings,
            "actions": view.actions_json(), "follow_up": follow, "quality_checks": checks,
        }));
    }
    header(&view, ctx)?;
    let pct = s.percent();
    ctx.out.line(tr!(
        lang,
        "Fremdrift: {} af {} indikatorer ({pct} %)",
        "Progress: {} of {} indicators ({pct}%)",
        s.done,
        s.total
    ))?;
    if !s.not_reassessed.is_empty() {
        ctx.out.prose(tr!(
            lang,
            "↻ Overført fra sidste år, ikke genvurderet ({}): {}",
            "↻ Carried over from last year, not re-assessed ({}): {}",
            s.not_reassessed.len(),
            s.not_reassessed.join(", ")
        ))?;
    }
    ctx.out.line("")?;
    let mut rows = vec![vec![
        lang.pick("Tema / kriterium", "Theme / criterion")
            .to_string(),
        lang.pick("Gns.", "Mean").to_string(),
        String::new(),
        lang.pick("Scoret", "Scored").to_string(),
    ]];
    for (t, theme) in s.themes.iter().zip(&model.themes) {
        rows.push(vec![
            format!("{} {}", t.number, safe(theme.title.official())),
            lang.mean(t.mean),
            bar(t.mean, 11),
            done_cell(t.done, t.carried_over, t.total),
        ]);
        for (c, criterion) in t.criteria.iter().zip(&theme.criteria) {
            let text = crate::text::one_line(criterion.text.official(), 36);
            rows.push(vec![
                format!("  {:<4} {text}", c.id),
                lang.mean(c.mean),
                String::new(),
                done_cell(c.done, c.carried_over, c.total),
            ]);
        }
    }
    ctx.out.table(&rows)?;
    ctx.out.line("")?;
    ctx.out.line(tr!(
        lang,
        "Samlet gennemsnit af temaerne: {}",
        "Overall mean of the themes: {}",
        lang.mean(s.overall_mean)
    ))?;
    if !s.unscored.is_empty() {
        ctx.out.prose(tr!(
            lang,
            "Mangler score: {}",
            "Unscored: {}",
            s.unscored.join(", ")
        ))?;
    }
    for line in check_lines(&model, scores, lang) {
        ctx.out.prose(line)?;
    }
    let (previous, follow) = super::gaps::last_years_gaps(ctx, a, &model, scores)?;
    if let (Some(p), false) = (previous, follow.is_empty()) {
        let line = crate::assessment::follow_up_line(&follow, lang);
        ctx.out.prose(tr!(
            lang,
            "Huller fra {}: {line}",
            "Gaps from {}: {line}",
            p.record.year
        ))?;
    }
    Ok(())
}

/// "done/total", with the carried-over ones not yet re-assessed ("2/8 ↻3").
fn done_cell(done: usize, carried_over: usize, total: usize) -> String {
    if carried_over > 0 {
        format!("{done}/{total} ↻{carried_over}")
    } else {
        format!("{done}/{total}")
    }
}

/// The assessment's record with its progress as the read model counts it.
fn progress_record(view: &AssessmentView) -> AssessmentRecord {
    AssessmentRecord {
        done: view.summary.done,
        ..view.record.clone()
    }
}
