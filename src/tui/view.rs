//! Drawing the state: a side-effect-free function of `App`. Every user text is made
//! safe for the terminal before it is drawn; colours only where NO_COLOR is not set.

use super::app::{App, Screen, StatusKind};
use super::keys;
use crate::assessment::ScoreValue;
use crate::text::for_terminal;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// The smallest terminal the screens are laid out for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

pub(super) struct Palette {
    pub(super) colors: bool,
}

impl Palette {
    pub(super) fn fg(&self, c: Color) -> Style {
        if self.colors {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub(super) fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub(super) fn dim(&self) -> Style {
        if self.colors {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    pub(super) fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    /// A score's colour by the model's gap rules: a gap red, "watch" yellow, else green
    /// (the quality model: 1–2, 3, 4–5; the safety scale: 0–1, 2, 3).
    pub(super) fn score(&self, v: Option<ScoreValue>, rules: crate::model::GapDefaults) -> Style {
        match v {
            Some(ScoreValue::Scored(x)) if x <= rules.indicator_gap_max => self.fg(Color::Red),
            Some(ScoreValue::Scored(x)) if x <= rules.indicator_watch_max => self.fg(Color::Yellow),
            Some(ScoreValue::Scored(_)) => self.fg(Color::Green),
            _ => self.dim(),
        }
    }
}

pub(super) fn safe(s: &str) -> String {
    for_terminal(s, false).into_owned()
}

/// Draws the whole screen.
pub fn view(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let p = Palette { colors: app.colors };
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = tr!(
            app.lang,
            "Forstør terminalen: mindst {}×{} tegn (nu {}×{})",
            "Enlarge the terminal: at least {}×{} characters (now {}×{})",
            MIN_SIZE.0,
            MIN_SIZE.1,
            area.width,
            area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [body, status, hints] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    match app.screen {
        Screen::Home => super::home::home(frame, app, body, &p),
        Screen::Assessment => super::assessment::assessment(frame, app, body, &p),
        Screen::Overview => super::overview::overview(frame, app, body, &p),
        Screen::Gaps => super::gaps::gaps(frame, app, body, &p),
        Screen::Compare => super::compare::compare(frame, app, body, &p),
    }
    if app.demo && body.width > 20 {
        // on the top border, right: every screen says the data is not real
        let label = app.lang.pick(" DEMODATA ", " DEMO DATA ");
        let w = label.chars().count() as u16;
        let r = Rect::new(body.x + body.width - w - 2, body.y, w, 1);
        let style = p
            .fg(Color::Black)
            .bg(Color::Yellow)
            .add_modifier(Modifier::BOLD);
        let style = if app.colors {
            style
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        };
        frame.render_widget(Paragraph::new(Line::styled(label, style)), r);
    }
    if let Some(s) = app.status.as_ref().filter(|s| s.screen == app.screen) {
        let style = match s.kind {
            StatusKind::Saved => p.fg(Color::Green),
            StatusKind::Info => Style::default(),
            StatusKind::Error => p.fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        frame.render_widget(Paragraph::new(Line::styled(safe(&s.text), style)), status);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(hint_bar(app, hints.width as usize), p.dim())),
        hints,
    );
    super::dialogs::overlay(frame, app, area, &p);
}

pub(super) fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(r);
    r
}

/// The hint bar of the current screen; on the assessment screen the score keys are the
/// open model's scale (e.g. "0–3"), not the quality model's 1–5.
fn hint_bar(app: &App, width: usize) -> String {
    let table = keys::hints(app.hint_table(), app.lang, width);
    let bar = own_words(app, table.clone(), true);
    if bar.chars().count() <= width {
        return bar;
    }
    // the model's theme word is longer than the table's and would push a key off the
    // bar: keep the table's word rather than lose a key
    own_words(app, table, false)
}

/// The hint bar in the open model's words: its score keys (e.g. "0–3", not the quality
/// model's 1–5) and, with `level`, what it calls a theme ("h/l område").
fn own_words(app: &App, bar: String, level: bool) -> String {
    if app.screen != Screen::Assessment {
        return bar;
    }
    in_open_models_words(app, &bar, level)
}

/// A key table's text in the open assessment's model's words (the hint bar, the help):
/// its score keys and, with `level`, its word for a theme.
pub(super) fn in_open_models_words(app: &App, text: &str, level: bool) -> String {
    let mut text = text.to_string();
    let range = super::assessment::scale_range(app);
    if range != "1–5" {
        text = text.replacen("1–5", &range, 1).replacen("0/x", "x", 1);
    }
    if !level {
        return text;
    }
    if let Some(v) = &app.assessment.view {
        let name = &v.model.levels().theme;
        let (default, own) = match app.lang {
            crate::i18n::Lang::Da => ("tema", name.da.as_str()),
            crate::i18n::Lang::En => ("theme", name.en.as_str()),
        };
        if own != default {
            text = text
                .split(' ')
                .map(|word| if word == default { own } else { word })
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    text
}

#[cfg(test)]
mod palette_tests {
    use super::*;

    #[test]
    fn a_score_is_coloured_by_its_models_gap_rules() {
        let p = Palette { colors: true };
        let models = crate::model::bundled_models();
        let rules = |id: &str| {
            models
                .iter()
                .find(|m| m.id == id)
                .expect("bundled")
                .gap_defaults()
        };
        let colour = |v: u8, id: &str| p.score(Some(ScoreValue::Scored(v)), rules(id)).fg;
        let (red, yellow, green) = (Some(Color::Red), Some(Color::Yellow), Some(Color::Green));
        let quality: Vec<_> = (1..=5).map(|v| colour(v, "socialtilsyn-2017")).collect();
        assert_eq!(quality, [red, red, yellow, green, green]);
        let safety: Vec<_> = (0..=3).map(|v| colour(v, "sikkerhed-2017")).collect();
        assert_eq!(safety, [red, red, yellow, green]);
    }
}
