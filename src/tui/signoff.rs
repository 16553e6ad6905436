//! The sign-off dialogs: finalise as a named person (the name asked, `--user` by default)
//! and reopen with a reason; their state, keys and drawing.

use super::app::*;
use super::view::{Palette, popup, safe};
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

/// The finalise dialog: who signs. `y`/Enter signs, Tab edits the name, Esc cancels.
#[derive(Clone)]
pub struct FinaliseDialog {
    pub signer: TextArea<'static>,
    /// Whether the keys go into the name (then `y` is a letter, and Enter still signs).
    pub editing: bool,
    /// What went wrong the last time, shown in the dialog.
    pub error: Option<String>,
}

impl FinaliseDialog {
    /// The dialog with `user` as the signer.
    pub fn new(user: &str) -> FinaliseDialog {
        FinaliseDialog {
            signer: one_line(user),
            editing: false,
            error: None,
        }
    }

    /// The signer's name as typed.
    pub fn name(&self) -> String {
        self.signer.lines().join(" ").trim().to_string()
    }
}

/// The reopen dialog: why. Enter reopens (the reason is required), Esc cancels.
#[derive(Clone)]
pub struct ReopenDialog {
    pub reason: TextArea<'static>,
    pub error: Option<String>,
}

impl ReopenDialog {
    /// An empty dialog.
    pub fn new() -> ReopenDialog {
        ReopenDialog {
            reason: one_line(""),
            error: None,
        }
    }

    /// The reason as typed.
    pub fn reason(&self) -> String {
        self.reason.lines().join(" ").trim().to_string()
    }
}

impl Default for ReopenDialog {
    fn default() -> Self {
        ReopenDialog::new()
    }
}

fn one_line(text: &str) -> TextArea<'static> {
    let mut area = text_area(text);
    area.set_wrap_mode(WrapMode::None);
    area
}

fn cancelled(app: &mut App, da: &str, en: &str) -> Option<Effect> {
    app.say(StatusKind::Info, app.lang.pick(da, en).to_string());
    None
}

pub(super) fn finalise_key(app: &mut App, mut d: FinaliseDialog, key: KeyEvent) -> Option<Effect> {
    let lang = app.lang;
    let confirm = match key.code {
        KeyCode::Enter => true,
        KeyCode::Char('y' | 'Y') => !d.editing,
        _ => false,
    };
    if confirm {
        let name = d.name();
        if !name.is_empty() {
            return Some(Effect::Finalise(name));
        }
        d.error = Some(tr!(
            lang,
            "Skriv navnet på den, der afslutter",
            "Write the name of the person who signs"
        ));
        d.editing = true;
    } else {
        match key.code {
            KeyCode::Esc => {
                return cancelled(
                    app,
                    "Ikke afsluttet; intet ændret",
                    "Not finalised; nothing changed",
                );
            }
            KeyCode::Tab | KeyCode::BackTab => d.editing = !d.editing,
            _ if d.editing => {
                d.signer.input(key);
                d.error = None;
            }
            _ => {
                return cancelled(
                    app,
                    "Ikke afsluttet; intet ændret",
                    "Not finalised; nothing changed",
                );
            }
        }
    }
    app.overlay = Overlay::Finalise(d);
    None
}

pub(super) fn reopen_key(app: &mut App, mut d: ReopenDialog, key: KeyEvent) -> Option<Effect> {
    match key.code {
        KeyCode::Esc => {
            return cancelled(
                app,
                "Ikke genåbnet; intet ændret",
                "Not reopened; nothing changed",
            );
        }
        KeyCode::Enter => {
            let reason = d.reason();
            if !reason.is_empty() {
                return Some(Effect::Reopen(reason));
            }
            d.error = Some(tr!(
                app.lang,
                "Skriv, hvorfor vurderingen genåbnes",
                "Write why the assessment is reopened"
            ));
        }
        _ => {
            d.reason.input(key);
            d.error = None;
        }
    }
    app.overlay = Overlay::Reopen(d);
    None
}

fn field<'a>(area: &TextArea<'a>, title: &'a str, focused: bool, p: &Palette) -> TextArea<'a> {
    let mut w = area.clone();
    let style = if focused { p.bold() } else { p.dim() };
    w.set_block(Block::bordered().title(Line::styled(title, style)));
    w.set_cursor_line_style(Style::default());
    if !focused {
        w.set_cursor_style(Style::default());
    }
    w
}

pub(super) fn draw_finalise(
    frame: &mut Frame<'_>,
    app: &App,
    d: &FinaliseDialog,
    area: Rect,
    p: &Palette,
) {
    let lang = app.lang;
    let r = popup(area, 64, 10);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(lang.pick(" Afslut ", " Finalise "));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [text, name, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(lang.pick(
            "Afslut vurderingen? Derefter kan den kun ændres ved at genåbne den.",
            "Finalise the assessment? After that it can only change by reopening it.",
        ))
        .wrap(Wrap { trim: false }),
        text,
    );
    let title = lang.pick("Underskrives af", "Signed by");
    frame.render_widget(&field(&d.signer, title, d.editing, p), name);
    let hint = match &d.error {
        Some(e) => Line::styled(safe(e), p.fg(ratatui::style::Color::Red)),
        None if d.editing => Line::styled(
            lang.pick(
                "Enter afslut · Tab færdig med navnet · Esc fortryd",
                "Enter finalise · Tab done with the name · Esc cancel",
            ),
            p.bold(),
        ),
        None => Line::styled(
            lang.pick(
                "y/Enter afslut · Tab ret navnet · Esc eller anden tast fortryder",
                "y/Enter finalise · Tab edit the name · Esc or any other key cancels",
            ),
            p.bold(),
        ),
    };
    frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), keys);
}

pub(super) fn draw_reopen(
    frame: &mut Frame<'_>,
    app: &App,
    d: &ReopenDialog,
    area: Rect,
    p: &Palette,
) {
    let lang = app.lang;
    let r = popup(area, 64, 9);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(lang.pick(" Genåbn ", " Reopen "));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [text, reason, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Min(1),
    ])
    .areas(inner);
    let by = app
        .assessment
        .view
        .as_ref()
        .and_then(|v| v.record.finalised_by.clone())
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(tr!(
            lang,
            "Genåbn vurderingen (afsluttet af {})? Begrundelsen skrives i loggen.",
            "Reopen the assessment (finalised by {})? The reason goes into the log.",
            safe(&by)
        ))
        .wrap(Wrap { trim: false }),
        text,
    );
    let title = lang.pick("Hvorfor genåbnes den?", "Why is it reopened?");
    frame.render_widget(&field(&d.reason, title, true, p), reason);
    let hint = match &d.error {
        Some(e) => Line::styled(safe(e), p.fg(ratatui::style::Color::Red)),
        None => Line::styled(
            lang.pick("Enter genåbn · Esc fortryd", "Enter reopen · Esc cancel"),
            p.bold(),
        ),
    };
    frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), keys);
}
