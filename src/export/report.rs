//! The report for management and the supervision authority, as one self-contained HTML
//! file (inline CSS, hand-drawn SVG, print CSS) or as Markdown: per assessment the
//! facility, a radar of the theme means against last year, bars, every indicator with its
//! score and reasoning, the gaps with their action plans and actions, and a note on the
//! model texts whose wording is not confirmed.

mod markup;
mod svg;

use crate::app::Session;
use crate::app::exchange::AssessmentRecord;
use crate::app::files::{out_err, write_output};
use crate::app::view::AssessmentView;
use crate::assessment::{self, ScoreValue};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::{QualityModel, Wording};
use crate::tr;
use markup::{Html, Markdown, Markup, html_head};
use std::fmt::Write as _;
use std::path::Path;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Markdown,
}

/// Writes the report on these assessments.
pub fn write(
    ctx: &Session,
    assessments: &[AssessmentRecord],
    path: &Path,
    kind: Kind,
) -> Result<()> {
    let lang = ctx.lang;
    let viewer = crate::app::view::Viewer::of(ctx)?;
    write_output(path, |w| {
        let err = out_err(path);
        let mut text = String::new();
        match kind {
            Kind::Html => html_head(&mut text, lang),
            Kind::Markdown => {}
        }
        w.write_all(text.as_bytes()).map_err(&err)?;
        for a in assessments {
            let s = viewer.view(a)?;
            let mut text = String::new();
            let markup: &dyn Markup = match kind {
                Kind::Html => &Html,
                Kind::Markdown => &Markdown,
            };
            write_section(&mut text, &s, lang, markup);
            w.write_all(text.as_bytes()).map_err(&err)?;
        }
        if kind == Kind::Html {
            w.write_all(b"</body>\n</html>\n").map_err(&err)?;
        }
        Ok(())
    })
}

fn value(v: Option<ScoreValue>, lang: Lang) -> String {
    match v {
        Some(ScoreValue::Scored(x)) => x.to_string(),
        Some(ScoreValue::NotRelevant) => lang.pick("ikke relevant", "not relevant").to_string(),
        None => "–".to_string(),
    }
}

/// One assessment's section, in the format `m` writes.
fn write_section(out: &mut String, s: &AssessmentView, lang: Lang, m: &dyn Markup) {
    let a = &s.record;
    let f = &s.facility;
    let details: Vec<String> = [
        &f.organisation,
        &f.location,
        &f.facility_type,
        &f.target_group,
    ]
    .into_iter()
    .filter(|x| !x.is_empty())
    .map(|x| m.text(x))
    .collect();
    let mut meta = format!(
        "{} {} · {} · {}: {} {} {}",
        lang.pick("Model", "Model"),
        m.text(&a.model_id),
        a.status.label(lang),
        lang.pick("fremdrift", "progress"),
        s.summary.done,
        lang.pick("af", "of"),
        s.summary.total
    );
    let carried = s.summary.not_reassessed.len();
    if carried > 0 {
        let _ = write!(
            meta,
            " · {}",
            tr!(
                lang,
                "↻ {carried} overført fra sidste år, ikke genvurderet",
                "↻ {carried} carried over from last year, not re-assessed"
            )
        );
    }
    if !s.twins.is_empty() {
        let others: Vec<String> = s.twins.iter().map(|i| i.to_string()).collect();
        let _ = write!(
            meta,
            " · {}",
            if s.is_chosen {
                tr!(
                    lang,
                    "vurdering {} (også vurdering {} dette år; denne tæller i sammenligninger)",
                    "assessment {} (also assessment {} this year; this one counts in comparisons)",
                    a.id,
                    others.join(", ")
                )
            } else {
                tr!(
                    lang,
                    "vurdering {} (også vurdering {} dette år, som tæller i sammenligninger)",
                    "assessment {} (also assessment {} this year, which counts in comparisons)",
                    a.id,
                    others.join(", ")
                )
            }
        );
    }
    if let (Some(by), Some(at)) = (&a.finalised_by, &a.finalised_at) {
        let _ = write!(
            meta,
            " · {} {} {}",
            lang.pick("afsluttet af", "finalised by"),
            m.text(by),
            m.text(at)
        );
    }
    m.head(out, &m.text(&f.name), a.year, &details, &meta);
    m.charts(out, s, lang);
    let levels = s.model.levels();
    let overall = if levels.theme == crate::model::Levels::default().theme {
        lang.pick("temaerne", "the themes").to_string()
    } else {
        levels.theme.many(lang).to_string()
    };
    m.paragraph(
        out,
        &tr!(
            lang,
            "Samlet gennemsnit af {}: {}",
            "Overall mean of {}: {}",
            overall,
            lang.mean(s.summary.overall_mean)
        ),
    );
    m.paragraph(
        out,
        &m.text(&crate::assessment::rule_line(s.summary.rule, lang)),
    );
    let mean = |v| format!("{} {}", lang.pick("gennemsnit", "mean"), lang.mean(v));
    for (theme, ts) in s.model.themes.iter().zip(&s.summary.themes) {
        m.heading(
            out,
            &format!(
                "{} {} {}",
                levels.theme.title(lang),
                theme.number,
                m.text(&theme.title.da)
            ),
            Some(&mean(ts.mean)),
        );
        for (c, cs) in theme.criteria.iter().zip(&ts.criteria) {
            m.criterion(
                out,
                &format!("{} {}{}", c.id, m.mark(c.text.wording), m.text(&c.text.da)),
                &mean(cs.mean),
                [
                    &levels.indicator.title(lang),
                    lang.pick("Score", "Score"),
                    lang.pick("Begrundelse", "Reasoning"),
                    lang.pick("Kilder", "Sources"),
                ],
            );
            for i in &c.indicators {
                let sc = s.score(&i.id);
                let mut shown = value(sc.map(|x| x.value), lang);
                if sc.is_some_and(|x| x.carried_over) {
                    shown.push_str(" ↻");
                }
                m.indicator(
                    out,
                    &format!("{} {}{}", i.id, m.mark(i.text.wording), m.text(&i.text.da)),
                    &shown,
                    &m.text(sc.map_or("", |x| x.reasoning.as_str())),
                    &m.text(sc.map_or("", |x| x.sources.as_str())),
                    lang.pick("Kilder", "Sources"),
                );
            }
            m.criterion_end(out);
        }
    }
    m.heading(
        out,
        lang.pick(
            "Huller, handleplaner og udviklingspunkter",
            "Gaps, action plans and improvement actions",
        ),
        None,
    );
    if s.entries.is_empty() {
        m.paragraph(
            out,
            lang.pick("Ingen huller efter reglerne.", "No gaps by the rules."),
        );
    } else {
        m.gaps_start(out);
        for e in &s.entries {
            let f = &e.finding;
            let plans = e.plans.iter().map(|p| {
                format!(
                    "{} {} ({}, via {}): {}",
                    lang.pick("Handleplan", "Action plan"),
                    m.text(&p.target_id),
                    p.basis.label(lang),
                    m.text(&p.via),
                    m.text(&p.text)
                )
            });
            let actions = e.actions.iter().map(|x| {
                format!(
                    "{} #{} {} {}{}",
                    lang.pick("Udviklingspunkt", "Improvement action"),
                    x.id,
                    m.text(&format!("[{}]", x.status.label(lang))),
                    m.text(&x.text),
                    m.text(&action_meta(x, s.overdue(x), lang))
                )
            });
            let items: Vec<String> = plans.chain(actions).collect();
            m.gap(
                out,
                f.kind == assessment::GapKind::Watch,
                &format!(
                    "{} ({}, {})",
                    f.node_id,
                    f.value_text(lang),
                    f.kind.label(lang)
                ),
                &m.text(node_title(&s.model, &f.node_id)),
                &items,
            );
        }
        m.gaps_end(out);
    }
    if carried > 0 {
        m.paragraph(
            out,
            &m.text(lang.pick(
                "↻ = overført fra sidste år og endnu ikke genvurderet (bekræftet eller ændret); tæller i gennemsnittet, men ikke i fremdriften.",
                "↻ = carried over from last year and not yet re-assessed (confirmed or changed); counts in the means, not in the progress.",
            )),
        );
    }
    let unsure = unconfirmed(&s.model);
    m.end(
        out,
        &m.text(&tr!(
            lang,
            "Om modellens tekster: ~ betyder, at indholdet er bekræftet, men ikke ordlyden; * at ordlyden er rekonstrueret; {}. Det gælder {} {}.",
            "On the model's texts: ~ means the meaning is confirmed, not the wording; * that the wording is reconstructed; {}. This applies to {} {}.",
            s.model.wording_check(lang),
            levels.indicator.many(lang),
            unsure.join(", ")
        )),
    );
}

/// An action's owner, due date and "overdue", in brackets (nothing where none applies).
pub(crate) fn action_meta(x: &assessment::ImprovementAction, overdue: bool, lang: Lang) -> String {
    let mut parts = Vec::new();
    if !x.owner.trim().is_empty() {
        parts.push(tr!(lang, "ansvarlig: {}", "owner: {}", x.owner));
    }
    if let Some(d) = x.due {
        parts.push(tr!(lang, "frist {}", "due {}", lang.date(d)));
    }
    if overdue {
        parts.push(lang.pick("overskredet", "overdue").to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A node's official text, or nothing.
fn node_title<'m>(model: &'m QualityModel, id: &str) -> &'m str {
    model.node_text(id).map_or("", |t| t.da.as_str())
}

/// The indicators whose wording is not confirmed, with their mark ("1c*", "1b~").
fn unconfirmed(model: &QualityModel) -> Vec<String> {
    model
        .indicators()
        .filter(|r| r.indicator.text.wording != Wording::Confirmed)
        .map(|r| format!("{}{}", r.indicator.id, r.indicator.text.wording.mark()))
        .collect()
}
