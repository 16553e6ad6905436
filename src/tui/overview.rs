//! The overview: means, the radar chart, the quality checks and the sign-off; its keys
//! and its drawing.

pub mod key_table;

use super::app::*;
use super::keys::Action;
use super::view::{Palette, safe};
use super::wording::{counted, title};
use crate::assessment::{self, Status};
use crate::text::{bar, one_line};
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The overview's own state: how far it is scrolled.
#[derive(Clone, Default)]
pub struct OverviewScreen {
    pub scroll: u16,
}

pub(super) fn overview_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    match action {
        Action::Back => app.screen = Screen::Assessment,
        Action::Gaps => {
            app.gaps.from = Screen::Overview;
            app.screen = Screen::Gaps;
        }
        Action::Down => app.overview.scroll = app.overview.scroll.saturating_add(1),
        Action::Up => app.overview.scroll = app.overview.scroll.saturating_sub(1),
        Action::Reopen => {
            let view = app.assessment.view.as_ref()?;
            if view.record.status == Status::Finalised {
                app.overlay = Overlay::Reopen(super::signoff::ReopenDialog::new());
            } else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vurderingen er ikke afsluttet; den kan ændres",
                        "The assessment is not finalised; it can change"
                    ),
                );
            }
        }
        Action::Finalise => {
            let view = app.assessment.view.as_ref()?;
            if view.record.status == Status::Finalised {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vurderingen er allerede afsluttet",
                        "The assessment is finalised already"
                    ),
                );
                return None;
            }
            let blocking = assessment::blocking(&view.model, &view.score_list());
            if blocking.is_empty() {
                app.overlay = Overlay::Finalise(super::signoff::FinaliseDialog::new(&app.user));
            } else {
                let missing = counted(blocking.len(), &view.model.levels().indicator, lang);
                let mut lines = vec![tr!(
                    lang,
                    "Vurderingen kan ikke afsluttes endnu. {missing} mangler:",
                    "The assessment cannot be finalised yet. {missing} missing:"
                )];
                lines.extend(
                    blocking
                        .iter()
                        .map(|i| format!("  {:<4} {}", i.indicator_id, i.kind.label(lang))),
                );
                app.overlay = Overlay::Message(lines);
            }
        }
        _ => {}
    }
    None
}

pub(super) fn overview(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.assessment.view else {
        return;
    };
    let s = v.summary();
    let levels = v.model.levels();
    // the bars and the radar run from 0 to the scale's top; the colours follow the model's
    // gap rules (quality model: below 3 a gap, below 4 short of the bar)
    let rules = v.model.gap_defaults();
    let top = v.model.scale_bounds().1.max(1);
    let share = |m: f64| m / f64::from(top);
    let [head, charts, checks] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 34 { 18 } else { 12 }),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(tr!(
                lang,
                "· oversigt · {} af {} scoret · samlet gennemsnit {}",
                "· overview · {} of {} scored · overall mean {}",
                s.done,
                s.total,
                lang.mean(s.overall_mean)
            )),
        ])),
        head,
    );
    let [bars_area, radar_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(charts);
    let bar_width = (bars_area.width as usize).saturating_sub(34).clamp(5, 30);
    let mut lines = Vec::new();
    for (t, theme) in s.themes.iter().zip(&v.model.themes) {
        let style = match t.mean {
            Some(m) if m < rules.mean_gap_below => p.fg(Color::Red),
            Some(m) if m < rules.theme_bar => p.fg(Color::Yellow),
            Some(_) => p.fg(Color::Green),
            None => p.dim(),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{} {:<22} ",
                t.number,
                one_line(&theme.title.da, 22)
            )),
            // `bar` draws 0–5
            Span::styled(bar(t.mean.map(|m| share(m) * 5.0), bar_width), style),
            Span::raw(format!(" {}", lang.mean(t.mean))),
        ]));
    }
    lines.push(Line::from(""));
    let crits: Vec<String> = s
        .themes
        .iter()
        .flat_map(|t| &t.criteria)
        .map(|c| format!("{} {}", c.id, lang.mean(c.mean)))
        .collect();
    lines.push(Line::styled(
        format!(
            "{}: {}",
            title(levels.criterion.many(lang)),
            crits.join(" · ")
        ),
        p.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            // the rule that produced the numbers is the model's (summary.rule)
            Block::bordered().title(tr!(
                lang,
                " {}gennemsnit (0–{top}) · {} ",
                " {} means (0–{top}) · {} ",
                title(levels.theme.one(lang)),
                s.rule.name()
            )),
        ),
        bars_area,
    );
    radar(
        frame,
        radar_area,
        &s.themes
            .iter()
            .map(|t| (t.number, t.mean))
            .collect::<Vec<_>>(),
        top,
        lang,
        p,
    );

    // what still stands between the assessment and its sign-off, and the warnings
    let issues = assessment::quality_checks(&v.model, &v.score_list());
    let mut lines = Vec::new();
    let blocking: Vec<_> = issues
        .iter()
        .filter(|i| i.kind.blocks_finalising())
        .collect();
    if v.record.status == Status::Finalised {
        let by = v
            .record
            .finalised_by
            .as_deref()
            .map(safe)
            .unwrap_or_default();
        lines.push(Line::styled(
            tr!(
                lang,
                "Afsluttet af {by}. Vurderingen kan kun læses.",
                "Finalised by {by}. The assessment is read-only."
            ),
            p.fg(Color::Green),
        ));
    } else if blocking.is_empty() {
        lines.push(Line::styled(
            tr!(
                lang,
                "Alle {} er vurderet: tryk f for at afslutte.",
                "Every {} is assessed: press f to finalise.",
                // "alle indikatorer", "every indicator"
                safe(lang.pick(&levels.indicator.da_plural, &levels.indicator.en))
            ),
            p.fg(Color::Green),
        ));
    } else {
        lines.push(Line::styled(
            tr!(
                lang,
                "{missing} mangler før afslutning:",
                "{missing} missing before sign-off:",
                missing = counted(blocking.len(), &levels.indicator, lang)
            ),
            p.fg(Color::Red),
        ));
    }
    if let (Some(py), false) = (&v.previous, v.follow_up.is_empty()) {
        lines.insert(
            0,
            Line::styled(
                tr!(
                    lang,
                    "Huller fra {}: {}",
                    "Gaps from {}: {}",
                    py.record.year,
                    assessment::follow_up_line(&v.follow_up, lang)
                ),
                p.fg(Color::Cyan),
            ),
        );
    }
    for i in &issues {
        let style = if i.kind.blocks_finalising() {
            Style::default()
        } else {
            p.fg(Color::Yellow)
        };
        lines.push(Line::styled(
            format!("  {:<4} {}", i.indicator_id, i.kind.label(lang)),
            style,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((app.overview.scroll, 0))
            .block(Block::bordered().title(lang.pick(" Kvalitetstjek ", " Quality checks "))),
        checks,
    );
}

/// The supervision authority's "spindelvæv": one spoke per theme, from 0 at the centre to
/// the scale's `top`, a ring at every second value down from the top (5, 3, 1; 3, 1), and
/// the polygon of the theme means (a theme without a mean sits at the centre).
pub(super) fn radar(
    frame: &mut Frame<'_>,
    area: Rect,
    means: &[(u32, Option<f64>)],
    top: u8,
    lang: crate::i18n::Lang,
    p: &Palette,
) {
    let n = means.len().max(3);
    let point = |i: usize, r: f64| {
        let angle = std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * i as f64 / n as f64;
        (r * angle.cos(), r * angle.sin())
    };
    let ring_color = if p.colors {
        Color::DarkGray
    } else {
        Color::Reset
    };
    let data_color = if p.colors { Color::Cyan } else { Color::Reset };
    let canvas = Canvas::default()
        .block(Block::bordered().title(lang.pick(" Spindelvæv ", " Radar ")))
        .marker(Marker::Braille)
        .x_bounds([-1.35, 1.35])
        .y_bounds([-1.2, 1.2])
        .paint(move |ctx| {
            for ring in (1..=top).rev().step_by(2) {
                let ring = f64::from(ring) / f64::from(top);
                for i in 0..n {
                    let (x1, y1) = point(i, ring);
                    let (x2, y2) = point((i + 1) % n, ring);
                    ctx.draw(&CanvasLine {
                        x1,
                        y1,
                        x2,
                        y2,
                        color: ring_color,
                    });
                }
            }
            for i in 0..n {
                let (x, y) = point(i, 1.0);
                ctx.draw(&CanvasLine {
                    x1: 0.0,
                    y1: 0.0,
                    x2: x,
                    y2: y,
                    color: ring_color,
                });
            }
            ctx.layer();
            let r = |i: usize| means.get(i).and_then(|m| m.1).unwrap_or(0.0) / f64::from(top);
            for i in 0..means.len() {
                let (x1, y1) = point(i, r(i));
                let (x2, y2) = point((i + 1) % means.len(), r((i + 1) % means.len()));
                ctx.draw(&CanvasLine {
                    x1,
                    y1,
                    x2,
                    y2,
                    color: data_color,
                });
            }
            for (i, (number, _)) in means.iter().enumerate() {
                let (x, y) = point(i, 1.15);
                ctx.print(x - 0.05, y - 0.05, number.to_string());
            }
        });
    frame.render_widget(canvas, area);
}
