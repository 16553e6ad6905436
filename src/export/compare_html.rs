//! Comparisons as one self-contained HTML file: a heat map of facilities × themes, and
//! the theme means over the years as SVG lines.

use crate::compare::{Cell, History, Trend, YearMatrix};
use crate::i18n::Lang;
use crate::model::QualityModel;
use crate::tr;
use std::fmt::Write as _;

/// What to draw.
pub enum Input<'a> {
    History(&'a History, &'a QualityModel),
    Year(&'a YearMatrix, &'a QualityModel),
    Trend(&'a Trend, &'a QualityModel),
}

fn h(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    html_escape::encode_text(&clean).into_owned()
}

/// A cell colour from red (1) through yellow (3) to green (5), by the value as shown
/// (`round1`), so a cell reading 3,0 is never coloured "under 3".
fn heat(v: Option<f64>) -> &'static str {
    match v.map(crate::i18n::round1) {
        None => "#f4f4f4",
        Some(m) if m < 2.0 => "#f8696b",
        Some(m) if m < 3.0 => "#fbaa77",
        Some(m) if m < 3.5 => "#ffeb84",
        Some(m) if m < 4.0 => "#cddd82",
        Some(m) if m < 4.5 => "#98ce7f",
        Some(_) => "#63be7b",
    }
}

fn lines_svg(out: &mut String, years: &[i32], series: &[(String, Vec<Option<f64>>)]) {
    const COLOURS: [&str; 7] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    ];
    let (w, hgt, left, top) = (640.0, 260.0, 40.0, 10.0);
    let x = |i: usize| {
        left + if years.len() > 1 {
            i as f64 * (w - left - 150.0) / (years.len() - 1) as f64
        } else {
            0.0
        }
    };
    let y = |v: f64| top + (5.0 - v) / 4.0 * (hgt - 40.0);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" viewBox="0 0 {w} {hgt}">"#
    );
    for v in 1..=5 {
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="10" y="{:.1}" font-size="11">{v}</text>"##,
            w - 150.0,
            y(v as f64),
            y(v as f64),
            y(v as f64) + 4.0
        );
    }
    for (i, yr) in years.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle">{yr}</text>"#,
            x(i),
            hgt - 8.0
        );
    }
    for (k, (label, values)) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let pts: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            pts.join(" ")
        );
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="11" fill="{colour}">{}</text>"#,
            w - 140.0,
            16 + k * 14,
            h(label)
        );
    }
    out.push_str("</svg>");
}

/// Renders the comparison.
pub fn render(input: &Input<'_>, lang: Lang) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body {{ font-family: \"Segoe UI\", Arial, sans-serif; margin: 2em; }} table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #ccc; padding: .2em .5em; text-align: right; }} th:first-child, td:first-child {{ text-align: left; }} @media print {{ body {{ margin: 0; }} }}</style>\n</head>\n<body>\n",
        lang.pick("da", "en"),
        lang.pick("Sammenligning", "Comparison")
    );
    match input {
        Input::Year(m, model) => {
            let _ = writeln!(
                out,
                "<h1>{}</h1>",
                tr!(
                    lang,
                    "Tilbud i {} · temaer efter {}",
                    "Facilities in {} · themes as in {}",
                    m.year,
                    h(&m.model)
                )
            );
            out.push_str("<table><tr><th>#</th><th></th>");
            for t in &model.themes {
                let _ = write!(
                    out,
                    "<th title=\"{}\">T{}</th>",
                    html_escape::encode_double_quoted_attribute(&t.title.da),
                    t.number
                );
            }
            let _ = writeln!(out, "<th>{}</th></tr>", lang.pick("Samlet", "All"));
            for (i, r) in m.rows.iter().enumerate() {
                let _ = write!(out, "<tr><td>{}</td><td>{}</td>", i + 1, h(&r.facility));
                for v in r.theme_means.iter().chain([&r.overall]) {
                    let _ = write!(
                        out,
                        "<td style=\"background:{}\">{}</td>",
                        heat(*v),
                        lang.mean(*v)
                    );
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        Input::Trend(t, model) => {
            let _ = writeln!(
                out,
                "<h1>{}</h1>",
                tr!(
                    lang,
                    "Udvikling · temaer efter {}",
                    "Trend · themes as in {}",
                    h(&t.model)
                )
            );
            let series: Vec<(String, Vec<Option<f64>>)> = model
                .themes
                .iter()
                .zip(&t.means)
                .map(|(th, m)| (format!("{} {}", th.number, th.title.da), m.clone()))
                .collect();
            lines_svg(&mut out, &t.years, &series);
        }
        Input::History(hist, model) => {
            let _ = writeln!(out, "<h1>{}</h1>", h(&hist.facility));
            let series: Vec<(String, Vec<Option<f64>>)> = hist
                .rows
                .iter()
                .filter(|r| r.level == crate::assessment::Level::Theme)
                .map(|r| {
                    let title = model
                        .node_text(&r.node_id)
                        .map(|t| t.da.clone())
                        .unwrap_or_default();
                    (title, r.cells.iter().map(|c| c.value()).collect())
                })
                .collect();
            lines_svg(&mut out, &hist.years, &series);
            out.push_str("<table><tr><th></th>");
            for y in &hist.years {
                let _ = write!(out, "<th>{y}</th>");
            }
            out.push_str("</tr>\n");
            for r in &hist.rows {
                let _ = write!(out, "<tr><td>{}</td>", h(&r.node_id));
                for c in &r.cells {
                    let text = match c {
                        Cell::Value(v) => lang.decimal(*v),
                        Cell::NotComparable => {
                            lang.pick("ikke sammenlignelig", "not comparable").into()
                        }
                        Cell::NotRelevant => lang.pick("ikke relevant", "not relevant").into(),
                        _ => String::new(),
                    };
                    let _ = write!(
                        out,
                        "<td style=\"background:{}\">{text}</td>",
                        heat(c.value())
                    );
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heat_colour_goes_by_the_value_as_shown() {
        assert_eq!(heat(Some(2.958)), heat(Some(3.0)));
        assert_ne!(heat(Some(2.94)), heat(Some(3.0)));
        assert_eq!(heat(None), "#f4f4f4");
    }
}
