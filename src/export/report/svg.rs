//! The report's charts, drawn by hand as SVG: the radar of the theme means against last
//! year, and the bars.

use super::markup::h;
use crate::i18n::{Lang, round1};
use std::fmt::Write as _;

/// The radar ("spindelvæv"): rings at 1–5, a spoke per theme, this year's polygon and last year's.
pub(super) fn radar_svg(
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

pub(super) fn bars_svg(out: &mut String, rows: &[(String, Option<f64>)], lang: Lang) {
    let height = rows.len() * 22 + 6;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="500" height="{height}" viewBox="0 0 500 {height}" role="img" aria-label="{}">"#,
        lang.pick("Temagennemsnit", "Theme means")
    );
    for (i, (label, mean)) in rows.iter().enumerate() {
        let y = i * 22 + 4;
        let w = mean.map_or(0.0, |m| m / 5.0 * 200.0);
        // by the mean as shown, like every threshold
        let colour = match mean.map(round1) {
            Some(m) if m < 3.0 => "#b00020",
            Some(m) if m < 4.0 => "#d9a400",
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
