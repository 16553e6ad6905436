//! `tilsynsklar assessment …`: starting, reading, summarising and signing off assessments.

use super::Ctx;
use super::output::safe;
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
            (None, Some(f), Some(y)) => ctx
                .app
                .store
                .assessment(&AssessmentRef::FacilityYear(f.clone(), y)),
            (None, Some(f), None) => {
                let facility = ctx.app.store.find_facility(f)?;
                ctx.app
                    .store
                    .assessments(Some(&facility))?
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::UnknownAssessment(safe(&facility.name)))
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
            let list = ctx.app.store.assessments(f.as_ref())?;
            if json {
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
    for a in list {
        let model = ctx.app.store.model_by_hash(&a.model_hash)?;
        let scores = ctx.app.store.scores(a.id)?;
        let s = summarize(&model, &scores);
        rows.push(vec![
            a.id.to_string(),
            safe(&a.facility),
            a.year.to_string(),
            a.model_id.clone(),
            a.status.label(lang).to_string(),
            format!("{}/{}", s.done, s.total),
            lang.mean(s.overall_mean),
        ]);
    }
    ctx.out.table(&rows)
}

fn header(a: &AssessmentRecord, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
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
    ))
}

fn show(a: &AssessmentRecord, json: bool, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let model = ctx.app.store.model_by_hash(&a.model_hash)?;
    let scores = ctx.app.store.scores(a.id)?;
    if json {
        return ctx
            .out
            .json(&serde_json::json!({ "assessment": a, "scores": scores }));
    }
    header(a, ctx)?;
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
                let value = match s.map(|s| s.value) {
                    Some(ScoreValue::Scored(v)) => v.to_string(),
                    Some(ScoreValue::NotRelevant) => lang.pick("i.r.", "n/r").to_string(),
                    None => "·".to_string(),
                };
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
    let model = ctx.app.store.model_by_hash(&a.model_hash)?;
    let scores = ctx.app.store.scores(a.id)?;
    let s = summarize(&model, &scores);
    if json {
        let (_, follow) = super::gaps::last_years_gaps(ctx, a, &model, &scores)?;
        let checks = crate::assessment::quality_checks(&model, &scores);
        return ctx.out.json(&serde_json::json!({
            "assessment": a, "summary": s, "follow_up": follow, "quality_checks": checks,
        }));
    }
    header(a, ctx)?;
    let pct = (s.done * 100).checked_div(s.total).unwrap_or(0);
    ctx.out.line(tr!(
        lang,
        "Fremdrift: {} af {} indikatorer ({pct} %)",
        "Progress: {} of {} indicators ({pct}%)",
        s.done,
        s.total
    ))?;
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
            format!("{}/{}", t.done, t.total),
        ]);
        for (c, criterion) in t.criteria.iter().zip(&theme.criteria) {
            let text = crate::text::one_line(criterion.text.official(), 36);
            rows.push(vec![
                format!("  {:<4} {text}", c.id),
                lang.mean(c.mean),
                String::new(),
                format!("{}/{}", c.done, c.total),
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
        ctx.out.line(tr!(
            lang,
            "Mangler score: {}",
            "Unscored: {}",
            s.unscored.join(", ")
        ))?;
    }
    for line in check_lines(&model, &scores, lang) {
        ctx.out.line(line)?;
    }
    let (previous, follow) = super::gaps::last_years_gaps(ctx, a, &model, &scores)?;
    if let (Some(p), false) = (previous, follow.is_empty()) {
        let line = crate::assessment::follow_up_line(&follow, lang);
        ctx.out.line(tr!(
            lang,
            "Huller fra {}: {line}",
            "Gaps from {}: {line}",
            p.record.year
        ))?;
    }
    Ok(())
}
