//! The report for management and the supervision authority, as one self-contained HTML
//! file (inline CSS, hand-drawn SVG, print CSS) or as Markdown: per assessment the
//! facility, a radar of the theme means against last year, bars, every indicator with its
//! score and reasoning, the gaps with their action plans and actions, and a note on the
//! model texts whose wording is not confirmed.

use crate::app::Session;
use crate::app::files::{out_err, write_output};
use crate::assessment::{self, GapEntry, ScoreValue, Summary};
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

fn section(ctx: &Session, a: &AssessmentRecord) -> Result<Section> {
    let store = &ctx.store;
    let model = store.model_by_hash(&a.model_hash)?;
    let scores = store.scores(a.id)?;
    let summary = assessment::summarize(&model, &scores);
    let facility = store.facility_by_id(crate::store::FacilityId(a.facility_id))?;
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
pub fn write(
    ctx: &Session,
    assessments: &[AssessmentRecord],
    path: &Path,
    kind: Kind,
) -> Result<()> {
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

/// How one report format writes each part of a section. The walk through the section
/// (`write_section`) is shared; a format decides only the markup, and how a user's text
/// is escaped (`text`).
trait Markup {
    /// A user text made safe for the format.
    fn text(&self, s: &str) -> String;
    /// The facility and year, then the details and the meta line (both escaped already).
    fn head(&self, out: &mut String, name: &str, year: i32, details: &[String], meta: &str);
    /// The theme means: charts, or a table against last year.
    fn charts(&self, out: &mut String, s: &Section, lang: Lang);
    fn paragraph(&self, out: &mut String, text: &str);
    /// A theme or the gaps: a heading of the second level; `aside` is set in smaller type.
    fn heading(&self, out: &mut String, text: &str, aside: Option<&str>);
    /// A criterion's heading, opening its indicators; `columns` names them.
    fn criterion(&self, out: &mut String, heading: &str, aside: &str, columns: [&str; 4]);
    /// One indicator with its score and texts; `sources_label` names the sources.
    fn indicator(
        &self,
        out: &mut String,
        title: &str,
        value: &str,
        reasoning: &str,
        sources: &str,
        sources_label: &str,
    );
    fn criterion_end(&self, out: &mut String);
    /// A model text's mark where its wording is not confirmed.
    fn mark(&self, w: Wording) -> String;
    /// One gap with its action plans and actions (each a line, escaped already).
    fn gap(&self, out: &mut String, watch: bool, head: &str, title: &str, items: &[String]);
    fn gaps_start(&self, out: &mut String);
    fn gaps_end(&self, out: &mut String);
    /// The note on the model's texts, and the end of the section.
    fn end(&self, out: &mut String, note: &str);
}

/// The HTML report's markup.
struct Html;

/// The Markdown report's markup.
struct Markdown;

impl Markup for Html {
    fn text(&self, s: &str) -> String {
        h(s)
    }

    fn head(&self, out: &mut String, name: &str, year: i32, details: &[String], meta: &str) {
        let _ = write!(
            out,
            "<section class=\"assessment\">\n<h1>{name} · {year}</h1>\n<p class=\"meta\">{}<br>{meta}</p>\n",
            details.join(" · ")
        );
    }

    fn charts(&self, out: &mut String, s: &Section, lang: Lang) {
        out.push_str("<div class=\"charts\">");
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
        let legend = match &s.last_year {
            Some((y, _)) => tr!(
                lang,
                "Blå: {}. Stiplet: {y}.",
                "Blue: {}. Dashed: {y}.",
                s.record.year
            ),
            None => lang
                .pick(
                    "Ingen vurdering fra et tidligere år.",
                    "No assessment from an earlier year.",
                )
                .to_string(),
        };
        let _ = writeln!(out, "<p class=\"small\">{legend}</p>");
    }

    fn paragraph(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "<p>{text}</p>");
    }

    fn heading(&self, out: &mut String, text: &str, aside: Option<&str>) {
        match aside {
            Some(a) => {
                let _ = writeln!(out, "<h2>{text} <span class=\"small\">· {a}</span></h2>");
            }
            None => {
                let _ = writeln!(out, "<h2>{text}</h2>");
            }
        }
    }

    fn criterion(&self, out: &mut String, heading: &str, aside: &str, columns: [&str; 4]) {
        let [a, b, c, d] = columns;
        let _ = writeln!(
            out,
            "<h3>{heading} <span class=\"small\">· {aside}</span></h3>\n<table><tr><th>{a}</th><th>{b}</th><th>{c}</th><th>{d}</th></tr>"
        );
    }

    fn indicator(
        &self,
        out: &mut String,
        title: &str,
        value: &str,
        reasoning: &str,
        sources: &str,
        _: &str,
    ) {
        let _ = writeln!(
            out,
            "<tr><td>{title}</td><td class=\"score\">{value}</td><td class=\"reasoning\">{reasoning}</td><td class=\"reasoning\">{sources}</td></tr>"
        );
    }

    fn criterion_end(&self, out: &mut String) {
        out.push_str("</table>\n");
    }

    fn mark(&self, w: Wording) -> String {
        match w {
            Wording::Confirmed => "",
            Wording::Gist => {
                "<span class=\"mark\" title=\"indhold bekræftet, ikke ordlyden\">~</span>"
            }
            Wording::Reconstructed => {
                "<span class=\"mark\" title=\"rekonstrueret ordlyd\">*</span>"
            }
        }
        .to_string()
    }

    fn gap(&self, out: &mut String, watch: bool, head: &str, title: &str, items: &[String]) {
        let class = if watch { "watch" } else { "gap" };
        let _ = write!(out, "<li><span class=\"{class}\">{head}</span> {title}");
        if !items.is_empty() {
            out.push_str("<ul>");
            for i in items {
                let _ = write!(out, "<li>{i}</li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }

    fn gaps_start(&self, out: &mut String) {
        out.push_str("<ul>\n");
    }

    fn gaps_end(&self, out: &mut String) {
        out.push_str("</ul>\n");
    }

    fn end(&self, out: &mut String, note: &str) {
        let _ = writeln!(out, "<p class=\"small\">{note}</p>\n</section>");
    }
}

impl Markup for Markdown {
    fn text(&self, s: &str) -> String {
        md(s)
    }

    fn head(&self, out: &mut String, name: &str, year: i32, details: &[String], meta: &str) {
        let _ = writeln!(out, "# {name} · {year}\n");
        if !details.is_empty() {
            let _ = writeln!(out, "{}\n", details.join(" · "));
        }
        let _ = writeln!(out, "{meta}\n");
    }

    fn charts(&self, out: &mut String, s: &Section, lang: Lang) {
        let last = s.last_year.as_ref();
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            lang.pick("Tema", "Theme"),
            s.record.year,
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
        out.push('\n');
    }

    fn paragraph(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "{text}\n");
    }

    fn heading(&self, out: &mut String, text: &str, aside: Option<&str>) {
        match aside {
            Some(a) => {
                let _ = writeln!(out, "## {text}: {a}\n");
            }
            None => {
                let _ = writeln!(out, "## {text}\n");
            }
        }
    }

    fn criterion(&self, out: &mut String, heading: &str, aside: &str, _: [&str; 4]) {
        let _ = writeln!(out, "### {heading}: {aside}\n");
    }

    fn indicator(
        &self,
        out: &mut String,
        title: &str,
        value: &str,
        reasoning: &str,
        sources: &str,
        sources_label: &str,
    ) {
        let _ = writeln!(out, "- **{title}**: {value}");
        if !reasoning.trim().is_empty() {
            let _ = writeln!(out, "  {reasoning}");
        }
        if !sources.trim().is_empty() {
            let _ = writeln!(out, "  *{sources_label}:* {sources}");
        }
    }

    fn criterion_end(&self, out: &mut String) {
        out.push('\n');
    }

    fn mark(&self, w: Wording) -> String {
        md(w.mark().trim())
    }

    fn gap(&self, out: &mut String, _: bool, head: &str, title: &str, items: &[String]) {
        let _ = writeln!(out, "- **{head}** {title}");
        for i in items {
            let _ = writeln!(out, "  - {i}");
        }
    }

    fn gaps_start(&self, _: &mut String) {}

    fn gaps_end(&self, out: &mut String) {
        out.push('\n');
    }

    fn end(&self, out: &mut String, note: &str) {
        let _ = writeln!(out, "{note}\n");
    }
}

/// One assessment's section, in the format `m` writes.
fn write_section(out: &mut String, s: &Section, lang: Lang, m: &dyn Markup) {
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
        lang.pick("Kvalitetsmodel", "Quality model"),
        m.text(&a.model_id),
        a.status.label(lang),
        lang.pick("fremdrift", "progress"),
        s.summary.done,
        lang.pick("af", "of"),
        s.summary.total
    );
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
    m.paragraph(
        out,
        &format!(
            "{}: {}",
            lang.pick(
                "Samlet gennemsnit af temaerne",
                "Overall mean of the themes"
            ),
            lang.mean(s.summary.overall_mean)
        ),
    );
    let mean = |v| format!("{} {}", lang.pick("gennemsnit", "mean"), lang.mean(v));
    for (theme, ts) in s.model.themes.iter().zip(&s.summary.themes) {
        m.heading(
            out,
            &format!(
                "{} {} {}",
                lang.pick("Tema", "Theme"),
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
                    lang.pick("Indikator", "Indicator"),
                    lang.pick("Score", "Score"),
                    lang.pick("Begrundelse", "Reasoning"),
                    lang.pick("Kilder", "Sources"),
                ],
            );
            for i in &c.indicators {
                let sc = s.scores.iter().find(|x| x.indicator_id == i.id);
                m.indicator(
                    out,
                    &format!("{} {}{}", i.id, m.mark(i.text.wording), m.text(&i.text.da)),
                    &value(sc.map(|x| x.value), lang),
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
    if s.gaps.is_empty() {
        m.paragraph(
            out,
            lang.pick("Ingen huller efter reglerne.", "No gaps by the rules."),
        );
    } else {
        m.gaps_start(out);
        for e in &s.gaps {
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
                let due = x
                    .due
                    .map(|d| format!(", {}", lang.date(d)))
                    .unwrap_or_default();
                format!(
                    "{} #{} {} {}{due}",
                    lang.pick("Udviklingspunkt", "Improvement action"),
                    x.id,
                    m.text(&format!("[{}]", x.status.label(lang))),
                    m.text(&x.text)
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
    let unsure = unconfirmed(&s.model);
    m.end(
        out,
        &m.text(&tr!(
            lang,
            "Om modellens tekster: ~ betyder, at indholdet er bekræftet, men ikke ordlyden; * at ordlyden er rekonstrueret. Tjek mod bekendtgørelsen om socialtilsyn, bilag 1. Det gælder indikatorerne {}.",
            "On the model's texts: ~ means the meaning is confirmed, not the wording; * that the wording is reconstructed. Check against the official text. This applies to indicators {}.",
            unsure.join(", ")
        )),
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
