//! The report's charts, drawn by hand as SVG: the radar of the theme means against last
//! year, and the bars, both on the model's own scale (1–5, 0–3, …).

use super::markup::h;
use crate::i18n::{Lang, round1};
use std::fmt::Write as _;

/// What the charts are drawn against: the scale's bounds and the limits that colour a bar.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    /// The scale's lowest and highest value.
    pub bounds: (u8, u8),
    /// A mean below this is a gap (red).
    pub gap_below: f64,
    /// A mean below this misses the theme bar (yellow).
    pub bar: f64,
}

impl Scale {
    /// The share of the way from the centre (0, and "not scored") to the rim (the scale's
    /// highest value): on 1–5 a 1 stays apart from an unscored theme.
    fn share(&self, v: f64) -> f64 {
        let hi = f64::from(self.bounds.1);
        if hi <= 0.0 {
            return 0.0;
        }
        (v / hi).clamp(0.0, 1.0)
    }
}

/// The radar ("spindelvæv"): a ring per scale value from 1 up, labelled on the first spoke, a spoke per theme, this year's polygon and last year's.
pub(super) fn radar_svg(
    out: &mut String,
    numbers: &[u32],
    now: &[Option<f64>],
    before: Option<&[Option<f64>]>,
    scale: Scale,
    lang: Lang,
) {
    let n = numbers.len().max(3) as f64;
    let (cx, cy, r) = (160.0, 150.0, 110.0);
    let at = |i: usize, share: f64| {
        let a = std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * i as f64 / n;
        (cx + r * share * a.cos(), cy - r * share * a.sin())
    };
    let poly = |vals: &[Option<f64>]| {
        vals.iter()
            .enumerate()
            .map(|(i, v)| {
                let (x, y) = at(i, v.map_or(0.0, |v| scale.share(v)));
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
    let (lo, hi) = scale.bounds;
    for ring in lo.max(1)..=hi {
        let share = scale.share(f64::from(ring));
        let ring_pts: Vec<String> = (0..numbers.len())
            .map(|i| {
                let (x, y) = at(i, share);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            out,
            r##"<polygon points="{}" fill="none" stroke="#ccc"/><text class="ring" x="{:.1}" y="{:.1}" font-size="9" fill="#888">{ring}</text>"##,
            ring_pts.join(" "),
            cx + 3.0,
            cy - r * share - 2.0
        );
    }
    for (i, num) in numbers.iter().enumerate() {
        let (x, y) = at(i, 1.0);
        let (lx, ly) = at(i, 1.14);
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

/// A bar per theme, full width at the scale's highest value, coloured by the gap rules.
pub(super) fn bars_svg(
    out: &mut String,
    rows: &[(String, Option<f64>)],
    scale: Scale,
    label: &str,
    lang: Lang,
) {
    let height = rows.len() * 22 + 6;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="500" height="{height}" viewBox="0 0 500 {height}" role="img" aria-label="{}">"#,
        h(label)
    );
    for (i, (label, mean)) in rows.iter().enumerate() {
        let y = i * 22 + 4;
        let w = mean.map_or(0.0, |m| scale.share(m) * 200.0);
        // by the mean as shown, like every threshold
        let colour = match mean.map(round1) {
            Some(m) if m < scale.gap_below => "#b00020",
            Some(m) if m < scale.bar => "#d9a400",
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAFETY: Scale = Scale {
        bounds: (0, 3),
        gap_below: 1.5,
        bar: 2.5,
    };

    #[test]
    fn the_radar_has_a_ring_per_value_of_a_0_to_3_scale_and_a_3_at_the_rim() {
        let mut out = String::new();
        radar_svg(
            &mut out,
            &[1, 2, 3, 4],
            &[Some(3.0), Some(1.5), Some(0.0), None],
            None,
            SAFETY,
            Lang::Da,
        );
        let rings: Vec<&str> = out
            .split(r#"class="ring""#)
            .skip(1)
            .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap())
            .collect();
        assert_eq!(rings, ["1", "2", "3"]);
        // theme 1 straight up at the rim (r = 110 above the centre 160,150); 1.5 half way
        // out on the spoke to the right; 0 at the centre
        let now = out.rsplit("<polygon points=\"").next().unwrap();
        let pts: Vec<&str> = now.split('"').next().unwrap().split(' ').collect();
        assert_eq!(
            pts,
            ["160.0,40.0", "215.0,150.0", "160.0,150.0", "160.0,150.0"]
        );
    }

    #[test]
    fn the_radar_of_a_1_to_5_scale_keeps_its_rings() {
        let mut out = String::new();
        let scale = Scale {
            bounds: (1, 5),
            gap_below: 3.0,
            bar: 4.0,
        };
        radar_svg(
            &mut out,
            &[1, 2, 3],
            &[Some(5.0), Some(1.0), Some(3.0)],
            None,
            scale,
            Lang::En,
        );
        assert_eq!(out.matches(r#"class="ring""#).count(), 5, "{out}");
        assert!(
            out.contains("160.0,128.0"),
            "ring 1 at a fifth of the radius: {out}"
        );
        assert!(out.contains(">5</text>") && !out.contains(">6</text>"));
        assert!(out.contains("160.0,40.0"), "5 at the rim: {out}");
    }

    #[test]
    fn bars_fill_to_the_scale_and_take_their_colour_from_the_rules() {
        let mut out = String::new();
        let rows = [
            ("1 A".to_string(), Some(3.0)),
            ("2 B".to_string(), Some(2.0)),
            ("3 C".to_string(), Some(1.0)),
        ];
        bars_svg(&mut out, &rows, SAFETY, "Områdernes gennemsnit", Lang::Da);
        let fills: Vec<&str> = out
            .split(r#"<rect x="250""#)
            .skip(1)
            .skip(1)
            .step_by(2)
            .collect();
        assert_eq!(fills.len(), 3, "{out}");
        assert!(fills[0].contains(r#"width="200.0""#) && fills[0].contains("#2e7d32"));
        assert!(fills[1].contains(r#"width="133.3""#) && fills[1].contains("#d9a400"));
        assert!(fills[2].contains(r#"width="66.7""#) && fills[2].contains("#b00020"));
        assert!(out.contains(r#"aria-label="Områdernes gennemsnit""#));
    }
}
