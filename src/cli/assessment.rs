//! `tilsynsklar assessment …`: starting, reading, summarising and signing off assessments.

use super::Ctx;
use super::assessment_show::{check_lines, show, summary};
use super::output::safe;
use crate::app::assessments;
use crate::error::{Error, Result};
use crate::store::AssessmentRecord;
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
    /// The framework, where the facility has assessments on more than one (e.g. sikkerhed)
    /// [default: socialtilsyn, the quality model]
    #[arg(long, requires = "facility")]
    pub framework: Option<String>,
}

impl Which {
    /// Finds the assessment the user named.
    pub fn resolve(&self, ctx: &Ctx) -> Result<AssessmentRecord> {
        match (&self.assessment, &self.facility, self.year) {
            (Some(id), _, _) => assessments::by_id(&ctx.app, *id),
            // the assessment of a facility and year by the one rule (app::view::the_one)
            (None, Some(f), year) => {
                assessments::of_facility_on(&ctx.app, f, year, self.framework.as_deref())
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
        /// The model id [default: the model of the framework in force in that year]
        #[arg(long)]
        model: Option<String>,
        /// The framework, e.g. sikkerhed for the yearly safety self-evaluation beside the
        /// quality model [default: socialtilsyn]
        #[arg(long)]
        framework: Option<String>,
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
        /// Only those on this framework, e.g. sikkerhed [default: every framework]
        #[arg(long)]
        framework: Option<String>,
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
    /// The theme score rule an assessment's numbers follow; --set recomputes a draft
    Rule {
        #[command(flatten)]
        which: Which,
        /// Recompute the draft under this rule: indicator_mean or criterion_mean
        #[arg(long, value_name = "RULE")]
        set: Option<String>,
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
            framework,
            from_last_year,
        } => {
            let f = crate::app::facilities::find(&ctx.app, &facility)?;
            let on = assessments::StartOn {
                model: model.as_deref(),
                framework: framework.as_deref(),
            };
            let started = assessments::start_on(&mut ctx.app, &f, year, on, from_last_year)?;
            let (a, model) = (&started.record, &started.model);
            let (total, carried) = (started.total, started.carried);
            // what the model scores, by its own name (indikatorer, spørgsmål, kriterier …)
            let levels = model.levels();
            let scored = if model
                .themes
                .iter()
                .flat_map(|t| &t.criteria)
                .any(|c| !c.indicators.is_empty())
            {
                &levels.indicator
            } else {
                &levels.criterion
            };
            let items = safe(scored.many(lang));
            let mut line = tr!(
                lang,
                "startet: vurdering {} for {} {year} på {} ({total} {items}, {} markeret ikke relevant for tilbudstypen",
                "started: assessment {} for {} {year} on {} ({total} {items}, {} marked not relevant for the facility type",
                a.id,
                safe(&f.name),
                model.id,
                started.not_applicable
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
        AssessmentCmd::List {
            facility,
            framework,
            json,
        } => {
            let fw = framework.as_deref();
            if json {
                // progress as the read model counts it (a carried-over score is not done)
                let list = assessments::list_with_progress(&ctx.app, facility.as_deref())?;
                let list = assessments::on_framework(&ctx.app, list, fw)?;
                return ctx.out.json(&list);
            }
            let list = assessments::list(&ctx.app, facility.as_deref())?;
            let list = assessments::on_framework(&ctx.app, list, fw)?;
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
        AssessmentCmd::Rule { which, set } => {
            let a = which.resolve(ctx)?;
            let (a, moved) = match set {
                Some(name) => {
                    let rule = crate::model::ThemeScore::from_name(&name)
                        .ok_or(Error::UnknownThemeScore(name.clone()))?;
                    assessments::set_rule(&mut ctx.app, a.id, rule)?
                }
                None => (a, false),
            };
            let rule = crate::app::view::assessment_view(&ctx.app, &a)?
                .summary
                .rule;
            ctx.out.line(tr!(
                lang,
                "vurdering {}: {} ({}){}",
                "assessment {}: {} ({}){}",
                a.id,
                rule.describe(lang),
                rule.name(),
                if moved {
                    lang.pick(" - genberegnet", " - recomputed")
                } else {
                    ""
                }
            ))
        }
        AssessmentCmd::Finalise { which, by } => {
            let a = which.resolve(ctx)?;
            let f = assessments::finalise(&mut ctx.app, a.id, &by)?;
            let (done, by) = (&f.record, &f.by);
            // the warnings of the quality checks that did not stop the sign-off
            for line in check_lines(&f.model, &f.scores, lang) {
                super::output::warn(&tr!(lang, "advarsel: {line}", "warning: {line}"));
            }
            ctx.out.line(tr!(
                lang,
                "afsluttet: vurdering {} for {} {} af {}",
                "finalised: assessment {} for {} {} by {}",
                done.id,
                safe(&done.facility),
                done.year,
                safe(by)
            ))
        }
        AssessmentCmd::Reopen { which, reason } => {
            let a = which.resolve(ctx)?;
            let r = assessments::reopen(&mut ctx.app, a.id, &reason)?;
            ctx.out.line(tr!(
                lang,
                "genåbnet: vurdering {} er igen en kladde",
                "reopened: assessment {} is a draft again",
                r.id
            ))
        }
        AssessmentCmd::Log { which, json } => {
            let a = which.resolve(ctx)?;
            let log = assessments::log(&ctx.app, a.id)?;
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
    let mut doubled = false;
    for (a, l) in list.iter().zip(assessments::listed(&ctx.app, list)?) {
        let s = l.summary;
        doubled |= l.double;
        rows.push(vec![
            if l.double && l.chosen {
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
