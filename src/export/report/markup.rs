//! How each report format writes the parts of a section: the `Markup` trait, its HTML and
//! Markdown implementations, and the escaping of a user's text for each.

use super::svg::{Scale, bars_svg, radar_svg};
use crate::app::view::AssessmentView;
use crate::i18n::Lang;
use crate::model::Wording;
use crate::tr;
use std::fmt::Write as _;

/// A user text for HTML: control characters (other than line breaks and tabs) removed,
/// then HTML entities.
pub(super) fn h(s: &str) -> String {
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

/// A user text for Markdown, as one line of inline text that starts no block wherever it
/// stands (a heading, a list item, a table cell): characters with a meaning there are
/// escaped, a line break becomes `<br>` (so a line of the text never starts a list item,
/// a heading, a quote or a code block of its own), a leading `-`, `=` or number with `.`
/// or `)` is escaped, leading spaces are kept as `&nbsp;` (no indented code), HTML and
/// control characters are neutralised.
pub(super) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut line_start = true;
    while let Some(c) = chars.next() {
        if line_start {
            match c {
                ' ' => {
                    out.push_str("&nbsp;");
                    continue;
                }
                '\t' => {
                    out.push_str("&nbsp;&nbsp;&nbsp;&nbsp;");
                    continue;
                }
                '-' | '=' => {
                    out.push('\\');
                    out.push(c);
                    line_start = false;
                    continue;
                }
                '0'..='9' => {
                    // an ordered list item: digits, then `.` or `)`
                    out.push(c);
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                    if let Some(m) = chars.next_if(|m| *m == '.' || *m == ')') {
                        out.push('\\');
                        out.push(m);
                    }
                    line_start = false;
                    continue;
                }
                '\n' | '\r' => {}
                _ => line_start = false,
            }
        }
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
                line_start = true;
            }
            '\n' => {
                out.push_str("<br>");
                line_start = true;
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn html_head(out: &mut String, lang: Lang) {
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

/// How one report format writes each part of a section. The walk through the section
/// (`write_section`) is shared; a format decides only the markup, and how a user's text
/// is escaped (`text`).
pub(super) trait Markup {
    /// A user text made safe for the format.
    fn text(&self, s: &str) -> String;
    /// The facility and year, then the details and the meta line (both escaped already).
    fn head(&self, out: &mut String, name: &str, year: i32, details: &[String], meta: &str);
    /// The theme means: charts, or a table against last year.
    fn charts(&self, out: &mut String, s: &AssessmentView, lang: Lang);
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
pub(super) struct Html;

/// The Markdown report's markup.
pub(super) struct Markdown;

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

    fn charts(&self, out: &mut String, s: &AssessmentView, lang: Lang) {
        out.push_str("<div class=\"charts\">");
        let numbers: Vec<u32> = s.summary.themes.iter().map(|t| t.number).collect();
        let now: Vec<Option<f64>> = s.summary.themes.iter().map(|t| t.mean).collect();
        let scale = Scale {
            bounds: s.model.scale_bounds(),
            gap_below: s.gaps.rules.mean_gap_below,
            bar: s.gaps.rules.theme_bar,
        };
        radar_svg(
            out,
            &numbers,
            &now,
            s.last_year.as_ref().map(|(_, m)| m.as_slice()),
            scale,
            lang,
        );
        let rows: Vec<(String, Option<f64>)> = s
            .summary
            .themes
            .iter()
            .zip(&s.model.themes)
            .map(|(t, th)| (format!("{} {}", t.number, th.title.da), t.mean))
            .collect();
        let label = tr!(
            lang,
            "Gennemsnit pr. {}",
            "Mean per {}",
            s.model.levels().theme.one(lang)
        );
        bars_svg(out, &rows, scale, &label, lang);
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

    fn charts(&self, out: &mut String, s: &AssessmentView, lang: Lang) {
        let last = s.last_year.as_ref();
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            s.model.levels().theme.title(lang),
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
