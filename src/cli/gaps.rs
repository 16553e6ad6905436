//! `tilsynsklar gaps`: where an assessment falls short, the action plans that answer each
//! gap, the actions raised, and what became of last year's gaps.

use super::Ctx;
use super::assessment::Which;
use super::output::safe;
use crate::app::gaps;
use crate::assessment::{self, FollowUp, GapEntry, GapKind, Level, Score, follow_up_line};
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::{AssessmentRecord, PreviousYear};
use crate::text::one_line;
use crate::tr;
use clap::Args;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct GapsArgs {
    #[command(flatten)]
    pub which: Which,
    /// Explains the rules in force and how to change them
    #[arg(long, conflicts_with_all = ["set", "reset", "json"])]
    pub explain: bool,
    /// Sets a rule for this database, e.g. indicator_gap_max=2 (repeatable)
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Puts the rules back to the defaults
    #[arg(long, conflicts_with = "set")]
    pub reset: bool,
    #[arg(long)]
    pub json: bool,
}

/// What `gaps --json` writes.
#[derive(Serialize)]
struct GapsJson<'a> {
    assessment: &'a crate::store::AssessmentRecord,
    rules: assessment::GapRules,
    gaps: &'a [GapEntry],
    incomplete: &'a [String],
    follow_up: &'a [assessment::FollowUp],
}

pub fn run(args: GapsArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    if args.reset || !args.set.is_empty() {
        let set = args
            .set
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .map(|(name, value)| (name.trim(), value))
                    .ok_or_else(|| Error::BadRule(format!("{pair:?}: write NAME=VALUE")))
            })
            .collect::<Result<Vec<_>>>()?;
        for line in gaps::change_rules(&mut ctx.app, args.reset, &set)?.explain(lang) {
            ctx.out.line(line)?;
        }
        return Ok(());
    }
    if args.explain {
        for line in gaps::rules(&ctx.app)?.explain(lang) {
            ctx.out.line(line)?;
        }
        return Ok(());
    }
    let a = args.which.resolve(ctx)?;
    let view = crate::app::view::assessment_view(&ctx.app, &a)?;
    let model = view.model.clone();
    let levels = model.levels();
    let scores = &view.scores;
    let rules = view.gaps.rules;
    let report = &view.gaps;
    let entries = &view.entries;
    let (previous, follow) = last_years_gaps(ctx, &a, &model, scores)?;
    if args.json {
        return ctx.out.json(&GapsJson {
            assessment: &a,
            rules,
            gaps: entries,
            incomplete: &report.incomplete,
            follow_up: &follow,
        });
    }
    ctx.out.line(tr!(
        lang,
        "Huller · {} {} · {}",
        "Gaps · {} {} · {}",
        safe(&a.facility),
        a.year,
        a.model_id
    ))?;
    ctx.out.prose(tr!(
        lang,
        "Regler: score ≤ {} er et hul, ≤ {} hold øje; gennemsnit under {} er et hul; tema under {} når ikke temagrænsen (gaps --explain)",
        "Rules: score ≤ {} is a gap, ≤ {} watch; mean below {} is a gap; theme below {} misses the theme bar (gaps --explain)",
        rules.indicator_gap_max,
        rules.indicator_watch_max,
        lang.decimal(rules.mean_gap_below),
        lang.decimal(rules.theme_bar)
    ))?;
    if entries.is_empty() {
        ctx.out.line("")?;
        ctx.out
            .line(lang.pick("Ingen huller efter reglerne.", "No gaps by the rules."))?;
    }
    // plans shown under a theme or criterion are not repeated under its children
    let mut shown: Vec<(String, String)> = Vec::new();
    for e in entries {
        let f = &e.finding;
        let title = model
            .node_text(&f.node_id)
            .map(|t| one_line(t.official(), 60))
            .unwrap_or_default();
        let indent = match f.level {
            Level::Theme => "",
            Level::Criterion => "  ",
            Level::Indicator => "    ",
        };
        let level = f.level.name(&levels).one(lang);
        if f.level == Level::Theme {
            shown.clear();
        }
        let value = f.value_text(lang);
        ctx.out.line("")?;
        ctx.out.line(format!(
            "{indent}{} {}  [{level} {value}: {}]",
            f.node_id,
            safe(&title),
            f.kind.label(lang)
        ))?;
        if f.kind == GapKind::Watch {
            continue;
        }
        let new: Vec<_> = e
            .plans
            .iter()
            .filter(|p| !shown.contains(&(p.via.clone(), p.target_id.clone())))
            .collect();
        if e.plans.is_empty() && f.level == Level::Indicator {
            ctx.out.line(tr!(
                lang,
                "{indent}  Ingen handleplan i strategien. Lokalt udviklingspunkt: tilsynsklar action add -a {} -i {} --text \"…\"",
                "{indent}  No action plan in the strategy. A local action: tilsynsklar action add -a {} -i {} --text \"…\"",
                a.id,
                f.node_id
            ))?;
        } else if e.plans.is_empty() {
            ctx.out.line(tr!(
                lang,
                "{indent}  Ingen handleplan koblet på dette niveau.",
                "{indent}  No action plan linked at this level."
            ))?;
        } else if new.len() < e.plans.len() {
            ctx.out.line(tr!(
                lang,
                "{indent}  Handleplanerne ovenfor gælder også her.",
                "{indent}  The action plans above apply here too."
            ))?;
        }
        for p in new {
            shown.push((p.via.clone(), p.target_id.clone()));
            ctx.out.line(format!(
                "{indent}  {} {} ({}, {} {}): {}",
                lang.pick("Handleplan", "Action plan"),
                safe(&p.target_id),
                p.basis.label(lang),
                lang.pick("via", "via"),
                p.via,
                safe(&one_line(&p.text, 70))
            ))?;
        }
        for x in &e.actions {
            ctx.out.line(format!("{indent}  {}", action_line(x, ctx)))?;
        }
        if let (Some(p), Level::Indicator) = (&previous, f.level) {
            for x in p
                .actions
                .iter()
                .filter(|x| x.indicators.contains(&f.node_id))
            {
                ctx.out.line(format!(
                    "{indent}  {} {}: {}",
                    lang.pick("Fra", "From"),
                    p.record.year,
                    action_line(x, ctx)
                ))?;
            }
        }
    }
    if !report.incomplete.is_empty() {
        ctx.out.line("")?;
        ctx.out.prose(tr!(
            lang,
            "Ufærdige (ikke scoret, ikke huller): {}",
            "Incomplete (unscored, not gaps): {}",
            report.incomplete.join(", ")
        ))?;
    }
    if let Some(p) = &previous {
        ctx.out.line("")?;
        if follow.is_empty() {
            ctx.out.line(tr!(
                lang,
                "Ingen huller på indikatorniveau i {}.",
                "No indicator gaps in {}.",
                p.record.year
            ))?;
        } else {
            ctx.out.prose(tr!(
                lang,
                "Huller fra {}: {}",
                "Gaps from {}: {}",
                p.record.year,
                follow_up_line(&follow, lang)
            ))?;
        }
    }
    Ok(())
}

/// The facility's previous assessment and what became of its indicator gaps.
pub fn last_years_gaps(
    ctx: &Ctx,
    a: &AssessmentRecord,
    model: &QualityModel,
    scores: &[Score],
) -> Result<(Option<PreviousYear>, Vec<FollowUp>)> {
    gaps::last_years_gaps(&ctx.app, a, model, scores)
}

/// One action as a line: number, status, text, owner, due date, and "overdue" where it is
/// open past its due date.
pub fn action_line(x: &assessment::ImprovementAction, ctx: &Ctx) -> String {
    let lang = ctx.app.lang;
    let mut s = format!("#{} [{}] {}", x.id, x.status.label(lang), safe(&x.text));
    if let Some(p) = &x.action_plan {
        s.push_str(&format!(" → {}", safe(p)));
    }
    let mut meta = Vec::new();
    if !x.owner.is_empty() {
        meta.push(safe(&x.owner));
    }
    if let Some(d) = x.due {
        meta.push(tr!(lang, "frist {}", "due {}", lang.date(d)));
    }
    if crate::app::actions::overdue(&ctx.app, x) {
        meta.push(lang.pick("overskredet", "overdue").to_string());
    }
    if let Some(r) = &x.drop_reason {
        meta.push(safe(r));
    }
    if !meta.is_empty() {
        s.push_str(&format!(" ({})", meta.join(", ")));
    }
    s
}
