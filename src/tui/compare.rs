//! The Compare screen: a facility over the years and the region's heat map; its keys and
//! its drawing.

pub mod key_table;

use super::app::*;
use super::keys::Action;
use super::view::{Palette, safe};
use crate::text::{bar, one_line, spark};
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The Compare screen's own state: what it shows, and how far its heat map is scrolled.
#[derive(Clone, Default)]
pub struct CompareScreen {
    pub view: Option<super::data::CompareView>,
    pub scroll: usize,
}

impl CompareScreen {
    /// Takes in a loaded comparison: another facility's starts at the top of the heat map,
    /// another year of the same facility keeps the place.
    pub fn loaded(&mut self, view: super::data::CompareView) {
        if self
            .view
            .as_ref()
            .is_none_or(|c| c.facility_id != view.facility_id)
        {
            self.scroll = 0;
        }
        self.view = Some(view);
    }
}

pub(super) fn compare_action(app: &mut App, action: Action) -> Option<Effect> {
    let screen = &mut app.compare;
    let view = screen.view.as_ref()?;
    let facility_id = view.facility_id;
    let framework = view.framework.clone();
    match action {
        Action::Back => {
            app.screen = Screen::Home;
            return None;
        }
        Action::NextTheme if view.year + 1 < view.years.len() => {
            return Some(Effect::OpenCompare {
                facility_id,
                year: Some(view.years[view.year + 1]),
                framework,
            });
        }
        Action::PrevTheme if view.year > 0 => {
            return Some(Effect::OpenCompare {
                facility_id,
                year: Some(view.years[view.year - 1]),
                framework,
            });
        }
        Action::Down => {
            screen.scroll = (screen.scroll + 1).min(view.matrix.rows.len().saturating_sub(1))
        }
        Action::Up => screen.scroll = screen.scroll.saturating_sub(1),
        _ => {}
    }
    None
}

/// A mean on a `lo`–`hi` scale moved onto 1–5 (unchanged where the scale is 1–5).
pub(super) fn on_five(v: Option<f64>, (lo, hi): (u8, u8)) -> Option<f64> {
    let (lo, span) = (f64::from(lo), f64::from(hi.saturating_sub(lo).max(1)));
    v.map(|m| 1.0 + (m - lo) / span * 4.0)
}

/// A background colour for a mean on the heat map, from red (low) to green (high), by
/// its place on the model's scale.
pub(super) fn heat(p: &Palette, v: Option<f64>, scale: (u8, u8)) -> Style {
    if !p.colors {
        return Style::default();
    }
    let bg = match on_five(v, scale) {
        None => return Style::default(),
        Some(m) if m < 2.0 => Color::Rgb(248, 105, 107),
        Some(m) if m < 3.0 => Color::Rgb(251, 170, 119),
        Some(m) if m < 3.5 => Color::Rgb(255, 235, 132),
        Some(m) if m < 4.0 => Color::Rgb(205, 221, 130),
        Some(m) if m < 4.5 => Color::Rgb(152, 206, 127),
        Some(_) => Color::Rgb(99, 190, 123),
    };
    Style::default().bg(bg).fg(Color::Black)
}

pub(super) fn compare(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(c) = &app.compare.view else { return };
    let year = c.years[c.year];
    let [head, top, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(c.themes.len() as u16 + 3),
        Constraint::Min(4),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{} ", safe(&c.facility)), p.bold()),
            Span::raw(tr!(
                lang,
                "· {}–{} · {} efter {}",
                "· {}–{} · {} as in {}",
                c.years[0],
                c.years[c.years.len() - 1],
                safe(c.theme_level.many(lang)),
                c.model_id
            )),
        ])),
        head,
    );
    // bars for the chosen year, a sparkline over the years
    let bar_width = (top.width as usize).saturating_sub(48).clamp(8, 40);
    let lines: Vec<Line<'_>> = c
        .themes
        .iter()
        .zip(&c.means)
        .map(|((n, title), means)| {
            let now = means[c.year];
            // `bar` draws 0–5 and `spark` 1–5: the model's scale is moved onto them
            let top = f64::from(c.scale.1.max(1));
            let profile: Vec<Option<f64>> = means.iter().map(|m| on_five(*m, c.scale)).collect();
            Line::from(vec![
                Span::raw(format!("{n} {:<24} ", one_line(title, 24))),
                Span::styled(
                    bar(now.map(|m| m / top * 5.0), bar_width),
                    p.fg(Color::Cyan),
                ),
                Span::raw(format!(" {:>4}  ", lang.mean(now))),
                Span::styled(spark(&profile), p.fg(Color::Magenta)),
            ])
        })
        .collect();
    let title = tr!(
        lang,
        " {year} (←→ skifter år) · udvikling {}–{} ",
        " {year} (←→ changes year) · trend {}–{} ",
        c.years[0],
        c.years[c.years.len() - 1]
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        top,
    );
    // the region's heat map for that year
    let m = &c.matrix;
    let mut header = vec![Span::raw(format!(
        "{:<4}{:<26}",
        "#",
        lang.pick("Tilbud", "Facility")
    ))];
    // "T1" for a tema, "O1" for an område, "A1" for an area
    let initial: String = super::wording::title(c.theme_level.one(lang))
        .chars()
        .take(1)
        .collect();
    header.extend(
        c.themes
            .iter()
            .map(|(n, _)| Span::raw(format!(" {initial}{n:<3}"))),
    );
    header.push(Span::raw(format!(" {}", lang.pick("Samlet", "All"))));
    let mut rows: Vec<Line<'_>> = vec![Line::from(header).style(p.bold())];
    for (i, r) in m.rows.iter().enumerate().skip(app.compare.scroll) {
        let mut spans = vec![Span::styled(
            format!("{:<4}{:<26}", i + 1, one_line(&r.facility, 25)),
            if r.facility == c.facility {
                p.bold().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            },
        )];
        spans.extend(
            r.theme_means
                .iter()
                .map(|v| Span::styled(format!(" {:>4}", lang.mean(*v)), heat(p, *v, c.scale))),
        );
        spans.push(Span::raw(format!(" {:>5}", lang.mean(r.overall))));
        rows.push(Line::from(spans));
    }
    let mut stat = vec![Span::styled(
        format!("{:<30}", lang.pick("    Gennemsnit", "    Mean")),
        p.dim(),
    )];
    stat.extend(
        m.stats
            .iter()
            .map(|s| Span::styled(format!(" {:>4}", lang.mean(s.mean)), p.dim())),
    );
    rows.insert(1, Line::from(stat));
    let title = tr!(
        lang,
        " Alle tilbud {year}: {} · rangeret efter samlet gennemsnit ",
        " Every facility {year}: {} · ranked by overall mean ",
        m.rows.len()
    );
    frame.render_widget(
        Paragraph::new(rows).block(Block::bordered().title(title)),
        bottom,
    );
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    #[test]
    fn a_mean_is_placed_on_its_own_scale() {
        // the safety scale's top is the quality scale's top, its bottom the bottom
        assert_eq!(on_five(Some(3.0), (0, 3)), Some(5.0));
        assert_eq!(on_five(Some(0.0), (0, 3)), Some(1.0));
        assert_eq!(on_five(Some(1.5), (0, 3)), Some(3.0));
        assert_eq!(on_five(Some(3.5), (1, 5)), Some(3.5));
        assert_eq!(on_five(None, (0, 3)), None);
        let p = Palette { colors: true };
        // 2.0 on 0–3 is as good as 3.67 on 1–5: not the red of a 2 on 1–5
        assert_eq!(heat(&p, Some(2.0), (0, 3)), heat(&p, Some(3.7), (1, 5)));
        assert_ne!(heat(&p, Some(2.0), (0, 3)), heat(&p, Some(2.0), (1, 5)));
    }
}
