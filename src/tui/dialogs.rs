//! What lies over the screens: help, messages, confirmations, the personal-data offer,
//! the editors and the forms, drawn; and the personal-data offer's keys.

use super::app::*;
use super::keys;
use super::view::{Palette, popup, safe};
use crate::assessment::{ScoreInput, ScoreValue};
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// `m` saves the text masked; any other key keeps it as saved, or, where it was refused,
/// goes back to the editor with the text as typed (nothing typed is lost).
pub(super) fn personal_data_key(
    app: &mut App,
    input: ScoreInput,
    refused: bool,
    key: KeyEvent,
) -> Option<Effect> {
    let lang = app.lang;
    if matches!(key.code, KeyCode::Char('m' | 'M')) {
        return Some(Effect::SaveScore(crate::assessment::mask_input(&input)));
    }
    if refused {
        let (kind, text) = match (&input.reasoning, &input.sources) {
            (Some(r), _) if input.value == ScoreValue::NotRelevant => {
                (EditKind::NotRelevantReason, r.clone())
            }
            (Some(r), _) => (EditKind::Reasoning, r.clone()),
            (None, s) => (EditKind::Sources, s.clone().unwrap_or_default()),
        };
        // the text as typed, not a draft: this is the text just refused
        app.overlay = Overlay::Editor(Editor {
            initial: String::new(),
            ..Editor::new(kind, input.indicator_id, &text)
        });
    } else {
        app.say(
            StatusKind::Info,
            tr!(
                lang,
                "{}: teksten er gemt med personoplysninger; kvalitetstjekket viser det",
                "{}: the text is saved with personal data; the quality checks show it",
                input.indicator_id
            ),
        );
    }
    None
}

pub(super) fn overlay(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => {
            let rows = keys::help_lines(app.key_table(), lang);
            // on the assessment screen, in the open model's words ("næste område", "0–3")
            let words = |t: &str| match app.screen {
                Screen::Assessment => super::view::in_open_models_words(app, t, true),
                _ => t.to_string(),
            };
            let mut lines: Vec<Line<'_>> = rows
                .iter()
                .map(|(k, t)| {
                    Line::from(vec![
                        Span::styled(format!("{:<12}", words(k)), p.bold()),
                        Span::raw(words(t)),
                    ])
                })
                .collect();
            lines.push(Line::styled(
                lang.pick(
                    "Alt gemmes, så snart det er indtastet. Tryk en tast for at lukke.",
                    "Everything is saved the moment it is entered. Press a key to close.",
                ),
                p.dim(),
            ));
            let r = popup(area, 72, lines.len() as u16 + 2);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(lang.pick(" Taster ", " Keys "))),
                r,
            );
        }
        Overlay::Message(lines) => {
            let text: Vec<Line<'_>> = lines.iter().map(|l| Line::raw(safe(l))).collect();
            let r = popup(area, 70, (text.len() as u16 + 3).min(area.height - 2));
            frame.render_widget(Clear, r);
            let footer = Line::styled(lang.pick(" Tryk en tast ", " Press a key "), p.dim());
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title_bottom(footer)),
                r,
            );
        }
        Overlay::PersonalData {
            input,
            kinds,
            refused,
        } => {
            // room for the message to wrap: the key line must stay visible
            let r = popup(area, 72, 9);
            frame.render_widget(Clear, r);
            let found = crate::assessment::describe_identifiers(kinds, lang);
            let text = vec![
                Line::raw(tr!(
                    lang,
                    "Teksten til {} indeholder {found}.",
                    "The text of {} holds {found}.",
                    safe(&input.indicator_id)
                )),
                Line::styled(
                    if *refused {
                        lang.pick(
                            "Personoplysninger afvises i denne database; teksten er ikke gemt.",
                            "Personal data is refused in this database; the text is not saved.",
                        )
                    } else {
                        lang.pick(
                            "Teksten er gemt. Personoplysninger hører ikke hjemme i en selvevaluering.",
                            "The text is saved. Personal data does not belong in a self-assessment.",
                        )
                    },
                    p.dim(),
                ),
                Line::raw(""),
                Line::styled(
                    if *refused {
                        lang.pick(
                            "m maskér og gem · anden tast tilbage til teksten",
                            "m mask and save · any other key back to the text",
                        )
                    } else {
                        lang.pick(
                            "m maskér · anden tast behold",
                            "m mask · any other key keeps it",
                        )
                    },
                    p.bold(),
                ),
            ];
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: false }).block(
                    Block::bordered().title(lang.pick(" Personoplysninger ", " Personal data ")),
                ),
                r,
            );
        }
        Overlay::Confirm { question, .. } => {
            let r = popup(area, 64, 6);
            frame.render_widget(Clear, r);
            let text = vec![
                Line::raw(safe(question)),
                Line::raw(""),
                Line::styled(
                    lang.pick(
                        "y/Enter ja · Esc eller anden tast fortryder",
                        "y/Enter yes · Esc or any other key cancels",
                    ),
                    p.bold(),
                ),
            ];
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(lang.pick(" Bekræft ", " Confirm "))),
                r,
            );
        }
        Overlay::Finalise(d) => super::signoff::draw_finalise(frame, app, d, area, p),
        Overlay::Reopen(d) => super::signoff::draw_reopen(frame, app, d, area, p),
        Overlay::Editor(editor) => {
            let (title, height) = match editor.kind {
                EditKind::Reasoning => (
                    tr!(
                        lang,
                        " Begrundelse for {} ",
                        " Reasoning for {} ",
                        editor.indicator
                    ),
                    12,
                ),
                EditKind::Sources => (
                    tr!(
                        lang,
                        " Datakilder for {} (én pr. linje) ",
                        " Data sources for {} (one per line) ",
                        editor.indicator
                    ),
                    10,
                ),
                EditKind::NotRelevantReason => (
                    tr!(
                        lang,
                        " Hvorfor er {} ikke relevant? ",
                        " Why is {} not relevant? ",
                        editor.indicator
                    ),
                    8,
                ),
                EditKind::Search => (
                    tr!(
                        lang,
                        " Søg i {} ",
                        " Search {} ",
                        app.assessment.view.as_ref().map_or_else(
                            || lang.pick("indikatorer", "indicators").to_string(),
                            |v| safe(v.model.levels().indicator.many(lang))
                        )
                    ),
                    3,
                ),
                EditKind::DropReason(id) => (
                    tr!(lang, " Hvorfor opgives #{id}? ", " Why is #{id} dropped? "),
                    6,
                ),
            };
            let footer = match editor.kind {
                EditKind::Search => {
                    lang.pick(" Enter søg · Esc luk ", " Enter search · Esc close ")
                }
                EditKind::Reasoning | EditKind::Sources => lang.pick(
                    " Esc eller Ctrl-S gemmer · Ctrl-←→ ord · Ctrl-U slet linje ",
                    " Esc or Ctrl-S saves · Ctrl-←→ word · Ctrl-U clear line ",
                ),
                EditKind::NotRelevantReason | EditKind::DropReason(_) => lang.pick(
                    " Enter gemmer · Esc fortryder ",
                    " Enter saves · Esc cancels ",
                ),
            };
            let r = popup(area, 72, height);
            frame.render_widget(Clear, r);
            let mut area_widget = editor.area.clone();
            area_widget.set_block(
                Block::bordered()
                    .title(title)
                    .title_bottom(Line::styled(footer, p.dim())),
            );
            area_widget.set_cursor_line_style(Style::default());
            frame.render_widget(&area_widget, r);
        }
        Overlay::Facility(form) => super::facility_form::draw(frame, app, form, area, p),
        Overlay::Form(form) => {
            let labels = form.labels();
            let r = popup(area, 66, labels.len() as u16 * 3 + 3);
            frame.render_widget(Clear, r);
            let block = Block::bordered()
                .title(match &form.kind {
                    super::app::FormKind::Action { indicators } => {
                        tr!(
                            lang,
                            " Nyt udviklingspunkt for {} ",
                            " New improvement action for {} ",
                            indicators.join(", ")
                        )
                    }
                })
                .title_bottom(Line::styled(
                    lang.pick(
                        " Tab næste · Enter på sidste felt eller Ctrl-S gemmer · Esc fortryd ",
                        " Tab next · Enter on the last field or Ctrl-S saves · Esc cancels ",
                    ),
                    p.dim(),
                ));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let rows = Layout::vertical(labels.iter().map(|_| Constraint::Length(3))).split(inner);
            for (i, (field, label)) in form.fields.iter().zip(labels).enumerate() {
                let mut w = field.clone();
                let style = if i == form.focus { p.bold() } else { p.dim() };
                w.set_block(
                    Block::bordered().title(Line::styled(lang.pick(label.0, label.1), style)),
                );
                w.set_cursor_line_style(Style::default());
                if i != form.focus {
                    w.set_cursor_style(Style::default());
                }
                frame.render_widget(&w, rows[i]);
            }
        }
        Overlay::NewAssessment(form) => {
            super::forms::draw_new_assessment(frame, app, form, area, p)
        }
    }
}
