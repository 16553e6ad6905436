//! The report for management and the supervision authority, as one self-contained HTML
//! file (inline CSS, hand-drawn SVG, print CSS) or as Markdown: per assessment the
//! facility, a radar of the theme means against last year, bars, every indicator with its
//! score and reasoning, the gaps with their action plans and actions, and a note on the
//! model texts whose wording is not confirmed.

use crate::assessment::{self, GapEntry, ScoreValue, Summary};
use crate::cli::Ctx;
use crate::cli::exchange_io::{out_err, write_output};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::{QualityModel, Wording};
use crate::store::{AssessmentRecord, Facility};
use crate::tr;
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Markdown,
}

/// Everything one assessment's section shows.
struct Section {
    record: AssessmentRecord,
    facility: Facility,
    model: Rc<QualityModel>,
    scores: Vec<assessment::Score>,
    summary: Summary,
    /// Last year's theme means on this model's themes (None where not comparable).
    last_year: Option<(i32, Vec<Option<f64>>)>,
    gaps: Vec<GapEntry>,
}

fn section(ctx: &Ctx, a: &AssessmentRecord) -> Result<Section> {
    let store = &ctx.store;
    let model = store.model_by_hash(&a.model_hash)?;
    let scores = store.scores(a.id)?;
    let summary = assessment::summarize(&model, &scores);
    let facility = store.find_facility(&a.facility_id.to_string())?;
    let rules = store.gap_rules()?;
    let strategies = store.strategies_for(&facility, &model.id)?;
    let actions = store.actions(&crate::store::ActionFilter {
        assessment: Some(a.id),
        facility: None,
    })?;
    let gaps = assessment::gap_entries(
        &model,
        &assessment::find_gaps(&model, &scores, &rules),
        &strategies,
        &actions,
    );
    let last_year = match store.previous_scores(a.facility_id, a.year, &model)? {
        Some((prev, mapped)) => {
            // last year's scores, already on this model's ids, summarised on this model
            let list: Vec<assessment::Score> = mapped.into_values().collect();
            let s = assessment::summarize(&model, &list);
            Some((prev.year, s.themes.iter().map(|t| t.mean).collect()))
        }
        None => None,
    };
    Ok(Section {
        record: a.clone(),
        facility,
        model,
        scores,
        summary,
        last_year,
        gaps,
    })
}

/// Writes the report on these assessments.
pub fn write(ctx: &Ctx, assessments: &[AssessmentRecord], path: &Path, kind: Kind) -> Result<()> {
    let lang = ctx.lang;
    write_output(path, |w| {
        let err = out_err(path);
        let mut text = String::new();
        match kind {
            Kind::Html => html_head(&mut text, lang),
            Kind::Markdown => {}
        }
        w.write_all(text.as_bytes()).map_err(&err)?;
        for a in assessments {
            let s = section(ctx, a)?;
            let mut text = String::new();
            match kind {
                Kind::Html => html_section(&mut text, &s, lang),
                Kind::Markdown => md_section(&mut text, &s, lang),
            }
            w.write_all(text.as_bytes()).map_err(&err)?;
        }
        if kind == Kind::Html {
            w.write_all(b"</body>\n</html>\n").map_err(&err)?;
        }
        Ok(())
    })
}

/// A user text for HTML: control characters (other than line breaks and tabs) removed,
/// then HTML entities.
fn h(s: &str) -> String {
    let clean: std::borrow::Cow<'_, str> =
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            s.chars()
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .collect::<String>()
                .into()
        } else {
            s.into()
        };
    html_escape::encode_text(&clean).into_owned()
}

/// A user text for Markdown: characters with a meaning there are escaped, line breaks kept
/// as hard breaks, HTML and control characters neutralised.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("  \n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn value(v: Option<ScoreValue>, lang: Lang) -> String {
    match v {
        Some(ScoreValue::Scored(x)) => x.to_string(),
        Some(ScoreValue::NotRelevant) => lang.pick("ikke relevant", "not relevant").to_string(),
        None => "–".to_string(),
    }
}

fn html_head(out: &mut String, lang: Lang) {
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="{}">
<head>
<meta charset="utf-8">
<title>{}</title>
<style>
body {{ font-family: "Segoe UI", Arial, sans-serif; color: #222; max-width: 60em; margin: 2em auto; line-height: 1.4; }}
h1 {{ font-size: 1.6em; margin-bottom: .2em; }} h2 {{ font-size: 1.25em; border-bottom: 1px solid #999; }} h3 {{ font-size: 1.05em; margin-bottom: .2em; }}
.meta {{ color: #555; }} .charts {{ display: flex; gap: 2em; align-items: flex-start; flex-wrap: wrap; }}
table {{ border-collapse: collapse; width: 100%; margin: .5em 0; }} th, td {{ border: 1px solid #ccc; padding: .25em .5em; vertical-align: top; text-align: left; }}
th {{ background: #f0f0f0; }} td.score {{ text-align: center; font-weight: bold; width: 5em; }}
.gap {{ color: #b00020; }} .watch {{ color: #9a6700; }} .mark {{ color: #9a6700; }} .small {{ font-size: .9em; color: #555; }}
.reasoning {{ white-space: pre-wrap; }}
section.assessment {{ page-break-before: always; }} section.assessment:first-of-type {{ page-break-before: auto; }}
@media print {{ body {{ margin: 0; max-width: none; }} a {{ color: inherit; }} tr, .charts {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
"#,
        lang.pick("da", "en"),
        lang.pick("Selvevaluering", "Self-evaluation")
    );
}

/// The radar ("spindelvæv"): rings at 1–5, a spoke per theme, this year's polygon and last year's.
fn radar_svg(
    out: &mut String,
    numbers: &[u32],
    now: &[Option<f64>],
    before: Option<&[Option<f64>]>,
    lang: Lang,
) {
    let n = numbers.len().max(3) as f64;
    let (cx, cy, r) = (160.0, 150.0, 110.0);
    let pt = |i: usize, v: f64| {
        let a = std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * i as f64 / n;
        (cx + r * v / 5.0 * a.cos(), cy - r * v / 5.0 * a.sin())
    };
    let poly = |vals: &[Option<f64>]| {
        vals.iter()
            .enumerate()
            .map(|(i, v)| {
                let (x, y) = pt(i, v.unwrap_or(0.0));
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="300" viewBox="0 0 320 300" role="img" aria-label="{}">"#,
        lang.pick("Spindelvæv over temagennemsnit", "Radar of the theme means")
    );
    for ring in 1..=5 {
        let ring_pts: Vec<String> = (0..numbers.len())
            .map(|i| {
                let (x, y) = pt(i, ring as f64);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            out,
            r##"<polygon points="{}" fill="none" stroke="#ccc"/>"##,
            ring_pts.join(" ")
        );
    }
    for (i, num) in numbers.iter().enumerate() {
        let (x, y) = pt(i, 5.0);
        let (lx, ly) = pt(i, 5.7);
        let _ = write!(
            out,
            r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#ccc"/><text x="{lx:.1}" y="{:.1}" font-size="12" text-anchor="middle">{num}</text>"##,
            ly + 4.0
        );
    }
    if let Some(b) = before {
        let _ = write!(
            out,
            r##"<polygon points="{}" fill="none" stroke="#999" stroke-dasharray="4 3" stroke-width="2"/>"##,
            poly(b)
        );
    }
    let _ = write!(
        out,
        r##"<polygon points="{}" fill="rgba(0,102,204,.15)" stroke="#0066cc" stroke-width="2"/></svg>"##,
        poly(now)
    );
}

fn bars_svg(out: &mut String, rows: &[(String, Option<f64>)], lang: Lang) {
    let height = rows.len() * 22 + 6;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="500" height="{height}" viewBox="0 0 500 {height}" role="img" aria-label="{}">"#,
        lang.pick("Temagennemsnit", "Theme means")
    );
    for (i, (label, mean)) in rows.iter().enumerate() {
        let y = i * 22 + 4;
        let w = mean.map_or(0.0, |m| m / 5.0 * 200.0);
        let colour = match mean {
            Some(m) if *m < 3.0 => "#b00020",
            Some(m) if *m < 4.0 => "#d9a400",
            _ => "#2e7d32",
        };
        let _ = write!(
            out,
            r##"<text x="0" y="{}" font-size="12">{}</text><rect x="250" y="{y}" width="200" height="16" fill="#eee"/><rect x="250" y="{y}" width="{w:.1}" height="16" fill="{colour}"/><text x="456" y="{}" font-size="12">{}</text>"##,
            y + 12,
            h(label),
            y + 12,
            lang.mean(*mean)
        );
    }
    out.push_str("</svg>");
}

fn html_section(out: &mut String, s: &Section, lang: Lang) {
    let a = &s.record;
    let f = &s.facility;
    let _ = write!(
        out,
        "<section class=\"assessment\">\n<h1>{} · {}</h1>\n<p class=\"meta\">",
        h(&f.name),
        a.year
    );
    let details: Vec<String> = [
        &f.organisation,
        &f.location,
        &f.facility_type,
        &f.target_group,
    ]
    .into_iter()
    .filter(|x| !x.is_empty())
    .map(|x| h(x))
    .collect();
    let _ = write!(out, "{}<br>", details.join(" · "));
    let _ = write!(
        out,
        "{} {} · {} · {}: {} {} {}",
        lang.pick("Kvalitetsmodel", "Quality model"),
        h(&a.model_id),
        a.status.label(lang),
        lang.pick("fremdrift", "progress"),
        s.summary.done,
        lang.pick("af", "of"),
        s.summary.total
    );
    if let (Some(by), Some(at)) = (&a.finalised_by, &a.finalised_at) {
        let _ = write!(
            out,
            " · {} {} {}",
            lang.pick("afsluttet af", "finalised by"),
            h(by),
            h(at)
        );
    }
    out.push_str("</p>\n<div class=\"charts\">");
    let numbers: Vec<u32> = s.summary.themes.iter().map(|t| t.number).collect();
    let now: Vec<Option<f64>> = s.summary.themes.iter().map(|t| t.mean).collect();
    radar_svg(
        out,
        &numbers,
        &now,
        s.last_year.as_ref().map(|(_, m)| m.as_slice()),
        lang,
    );
    let rows: Vec<(String, Option<f64>)> = s
        .summary
        .themes
        .iter()
        .zip(&s.model.themes)
        .map(|(t, th)| (format!("{} {}", t.number, th.title.da), t.mean))
        .collect();
    bars_svg(out, &rows, lang);
    out.push_str("</div>\n");
    match &s.last_year {
        Some((y, _)) => {
            let _ = writeln!(
                out,
                "<p class=\"small\">{}</p>",
                tr!(
                    lang,
                    "Blå: {}. Stiplet: {y}.",
                    "Blue: {}. Dashed: {y}.",
                    a.year
                )
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p class=\"small\">{}</p>",
                lang.pick(
                    "Ingen vurdering fra et tidligere år.",
                    "No assessment from an earlier year."
                )
            );
        }
    }
    let _ = writeln!(
        out,
        "<p>{}: {}</p>",
        lang.pick(
            "Samlet gennemsnit af temaerne",
            "Overall mean of the themes"
        ),
        lang.mean(s.summary.overall_mean)
    );

    for (theme, ts) in s.model.themes.iter().zip(&s.summary.themes) {
        let _ = writeln!(
            out,
            "<h2>{} {} {} <span class=\"small\">· {} {}</span></h2>",
            lang.pick("Tema", "Theme"),
            theme.number,
            h(&theme.title.da),
            lang.pick("gennemsnit", "mean"),
            lang.mean(ts.mean)
        );
        for (c, cs) in theme.criteria.iter().zip(&ts.criteria) {
            let _ = writeln!(
                out,
                "<h3>{} {}{} <span class=\"small\">· {} {}</span></h3>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                c.id,
                mark_html(c.text.wording),
                h(&c.text.da),
                lang.pick("gennemsnit", "mean"),
                lang.mean(cs.mean),
                lang.pick("Indikator", "Indicator"),
                lang.pick("Score", "Score"),
                lang.pick("Begrundelse", "Reasoning"),
                lang.pick("Kilder", "Sources")
            );
            for i in &c.indicators {
                let sc = s.scores.iter().find(|x| x.indicator_id == i.id);
                let _ = writeln!(
                    out,
                    "<tr><td>{} {}{}</td><td class=\"score\">{}</td><td class=\"reasoning\">{}</td><td class=\"reasoning\">{}</td></tr>",
                    i.id,
                    mark_html(i.text.wording),
                    h(&i.text.da),
                    value(sc.map(|x| x.value), lang),
                    h(sc.map_or("", |x| x.reasoning.as_str())),
                    h(sc.map_or("", |x| x.sources.as_str()))
                );
            }
            out.push_str("</table>\n");
        }
    }

    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        lang.pick(
            "Huller, handleplaner og udviklingspunkter",
            "Gaps, action plans and improvement actions"
        )
    );
    if s.gaps.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick("Ingen huller efter reglerne.", "No gaps by the rules.")
        );
    } else {
        out.push_str("<ul>\n");
        for e in &s.gaps {
            let f = &e.finding;
            let class = if f.kind == assessment::GapKind::Watch {
                "watch"
            } else {
                "gap"
            };
            let title = node_title(&s.model, &f.node_id);
            let v = f.value_text(lang);
            let _ = write!(
                out,
                "<li><span class=\"{class}\">{} ({v}, {})</span> {}",
                f.node_id,
                f.kind.label(lang),
                h(title)
            );
            if !e.plans.is_empty() || !e.actions.is_empty() {
                out.push_str("<ul>");
                for p in &e.plans {
                    let _ = write!(
                        out,
                        "<li>{} {} ({}, via {}): {}</li>",
                        lang.pick("Handleplan", "Action plan"),
                        h(&p.target_id),
                        p.basis.label(lang),
                        h(&p.via),
                        h(&p.text)
                    );
                }
                for x in &e.actions {
                    let due = x
                        .due
                        .map(|d| format!(", {}", lang.date(d)))
                        .unwrap_or_default();
                    let _ = write!(
                        out,
                        "<li>{} #{} [{}] {}{}</li>",
                        lang.pick("Udviklingspunkt", "Improvement action"),
                        x.id,
                        x.status.label(lang),
                        h(&x.text),
                        h(&due)
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    let unsure = unconfirmed(&s.model);
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>\n</section>",
        h(&tr!(
            lang,
            "Om modellens tekster: ~ betyder, at indholdet er bekræftet, men ikke ordlyden; * at ordlyden er rekonstrueret. Tjek mod bekendtgørelsen om socialtilsyn, bilag 1. Det gælder indikatorerne {}.",
            "On the model's texts: ~ means the meaning is confirmed, not the wording; * that the wording is reconstructed. Check against the official text. This applies to indicators {}.",
            unsure.join(", ")
        ))
    );
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

fn mark_html(w: Wording) -> &'static str {
    match w {
        Wording::Confirmed => "",
        Wording::Gist => "<span class=\"mark\" title=\"indhold bekræftet, ikke ordlyden\">~</span>",
        Wording::Reconstructed => "<span class=\"mark\" title=\"rekonstrueret ordlyd\">*</span>",
    }
}

fn md_section(out: &mut String, s: &Section, lang: Lang) {
    let a = &s.record;
    let f = &s.facility;
    let _ = writeln!(out, "# {} · {}\n", md(&f.name), a.year);
    let details: Vec<String> = [
        &f.organisation,
        &f.location,
        &f.facility_type,
        &f.target_group,
    ]
    .into_iter()
    .filter(|x| !x.is_empty())
    .map(|x| md(x))
    .collect();
    if !details.is_empty() {
        let _ = writeln!(out, "{}\n", details.join(" · "));
    }
    let _ = writeln!(
        out,
        "{} {} · {} · {}: {} {} {}\n",
        lang.pick("Kvalitetsmodel", "Quality model"),
        md(&a.model_id),
        a.status.label(lang),
        lang.pick("fremdrift", "progress"),
        s.summary.done,
        lang.pick("af", "of"),
        s.summary.total
    );
    let last = s.last_year.as_ref();
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        lang.pick("Tema", "Theme"),
        a.year,
        last.map_or("–".to_string(), |(y, _)| y.to_string())
    );
    for (i, (t, th)) in s.summary.themes.iter().zip(&s.model.themes).enumerate() {
        let before = last.and_then(|(_, m)| m.get(i).copied().flatten());
        let _ = writeln!(
            out,
            "| {} {} | {} | {} |",
            t.number,
            md(&th.title.da),
            lang.mean(t.mean),
            lang.mean(before)
        );
    }
    let _ = writeln!(
        out,
        "\n{}: {}\n",
        lang.pick(
            "Samlet gennemsnit af temaerne",
            "Overall mean of the themes"
        ),
        lang.mean(s.summary.overall_mean)
    );
    for (theme, ts) in s.model.themes.iter().zip(&s.summary.themes) {
        let _ = writeln!(
            out,
            "## {} {} {}: {}\n",
            lang.pick("Tema", "Theme"),
            theme.number,
            md(&theme.title.da),
            lang.mean(ts.mean)
        );
        for (c, cs) in theme.criteria.iter().zip(&ts.criteria) {
            let _ = writeln!(
                out,
                "### {} {}{}: {}\n",
                c.id,
                md(c.text.wording.mark().trim()),
                md(&c.text.da),
                lang.mean(cs.mean)
            );
            for i in &c.indicators {
                let sc = s.scores.iter().find(|x| x.indicator_id == i.id);
                let _ = writeln!(
                    out,
                    "- **{} {}{}**: {}",
                    i.id,
                    md(i.text.wording.mark().trim()),
                    md(&i.text.da),
                    value(sc.map(|x| x.value), lang)
                );
                if let Some(sc) = sc.filter(|x| !x.reasoning.trim().is_empty()) {
                    let _ = writeln!(out, "  {}", md(&sc.reasoning));
                }
                if let Some(sc) = sc.filter(|x| !x.sources.trim().is_empty()) {
                    let _ = writeln!(
                        out,
                        "  *{}:* {}",
                        lang.pick("Kilder", "Sources"),
                        md(&sc.sources)
                    );
                }
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "## {}\n",
        lang.pick(
            "Huller, handleplaner og udviklingspunkter",
            "Gaps, action plans and improvement actions"
        )
    );
    if s.gaps.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            lang.pick("Ingen huller efter reglerne.", "No gaps by the rules.")
        );
    }
    for e in &s.gaps {
        let f = &e.finding;
        let title = node_title(&s.model, &f.node_id);
        let v = f.value_text(lang);
        let _ = writeln!(
            out,
            "- **{} ({v}, {})** {}",
            f.node_id,
            f.kind.label(lang),
            md(title)
        );
        for p in &e.plans {
            let _ = writeln!(
                out,
                "  - {} {} ({}, via {}): {}",
                lang.pick("Handleplan", "Action plan"),
                md(&p.target_id),
                p.basis.label(lang),
                md(&p.via),
                md(&p.text)
            );
        }
        for x in &e.actions {
            let _ = writeln!(
                out,
                "  - {} #{} \\[{}\\] {}",
                lang.pick("Udviklingspunkt", "Improvement action"),
                x.id,
                x.status.label(lang),
                md(&x.text)
            );
        }
    }
    let unsure = unconfirmed(&s.model);
    let _ = writeln!(
        out,
        "\n{}\n",
        md(&tr!(
            lang,
            "Om modellens tekster: ~ betyder, at indholdet er bekræftet, men ikke ordlyden; * at ordlyden er rekonstrueret. Det gælder indikatorerne {}.",
            "On the model's texts: ~ means the meaning is confirmed, not the wording; * that the wording is reconstructed. This applies to indicators {}.",
            unsure.join(", ")
        ))
    );
}
