//! `assessment show` and `assessment summary`: one assessment's indicators, means and
//! progress as the read model (`app::view`) gives them, on the terminal or as JSON.

use super::Ctx;
use super::output::safe;
use crate::app::view::{AssessmentView, ScoreJson};
use crate::assessment::{ScoreValue, Status};
use crate::error::Result;
use crate::store::AssessmentRecord;
use crate::text::bar;
use crate::tr;

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

pub(super) fn show(a: &AssessmentRecord, json: bool, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let view = crate::app::view::assessment_view(&ctx.app, a)?;
    let model = view.model.clone();
    let levels = model.levels();
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
            levels.theme.title(lang),
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

/// The quality checks other than "unscored" and "not re-assessed", one line per kind naming its indicators:
/// "4 eller 5 uden datakilde: 2a, 6b".
pub(super) fn check_lines(
    model: &crate::model::QualityModel,
    scores: &[crate::assessment::Score],
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let issues = crate::assessment::quality_checks(model, scores);
    let mut kinds: Vec<_> = issues
        .iter()
        .map(|i| i.kind)
        // unscored and not re-assessed are listed beside the progress already
        .filter(|k| {
            !matches!(
                k,
                crate::assessment::QualityIssueKind::Unscored
                    | crate::assessment::QualityIssueKind::NotReassessed
            )
        })
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

pub(super) fn summary(a: &AssessmentRecord, json: bool, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let view = crate::app::view::assessment_view(&ctx.app, a)?;
    let model = view.model.clone();
    let levels = model.levels();
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
        format!(
            "{} / {}",
            levels.theme.title(lang),
            levels.criterion.one(lang)
        ),
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
    ctx.out.prose(crate::assessment::rule_line(s.rule, lang))?;
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
