//! The Gaps screen: gaps → action plans → improvement actions, and last year's open ones;
//! its rows, its keys and its drawing.

pub mod key_table;

use super::app::*;
use super::data::AssessmentView;
use super::keys::Action;
use super::view::{Palette, safe};
use crate::assessment::{self, ActionStatus, Level};
use crate::text::one_line;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

/// A row of the Gaps screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapRow {
    /// A finding (index into the view's gap entries).
    Finding(usize),
    /// An action raised for a finding: (entry, action within it).
    Action(usize, usize),
    /// An action of this assessment for an indicator that is no gap (index into its actions).
    Other(usize),
    /// An open action of last year's assessment (index into its actions).
    LastYear(usize),
}

/// The Gaps screen's rows: each finding followed by its actions, then the other actions.
pub fn gap_rows(view: &AssessmentView) -> Vec<GapRow> {
    let mut rows = Vec::new();
    for (i, e) in view.gaps.iter().enumerate() {
        rows.push(GapRow::Finding(i));
        rows.extend((0..e.actions.len()).map(|k| GapRow::Action(i, k)));
    }
    for (k, a) in view.actions.iter().enumerate() {
        if !view
            .gaps
            .iter()
            .any(|e| e.actions.iter().any(|x| x.id == a.id))
        {
            rows.push(GapRow::Other(k));
        }
    }
    if let Some(py) = &view.previous {
        rows.extend(
            py.actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.status.is_open())
                .map(|(k, _)| GapRow::LastYear(k)),
        );
    }
    rows
}

/// The Gaps screen's own state: the selected row, and the screen it goes back to.
#[derive(Clone)]
pub struct GapsScreen {
    pub sel: usize,
    pub from: Screen,
}

impl Default for GapsScreen {
    fn default() -> GapsScreen {
        GapsScreen {
            sel: 0,
            from: Screen::Assessment,
        }
    }
}

pub(super) fn gaps_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    let view = app.assessment.view.as_ref()?;
    let rows = gap_rows(view);
    let row = rows.get(app.gaps.sel).copied();
    let selected_action = match row {
        Some(GapRow::Action(e, k)) => view.gaps.get(e).and_then(|e| e.actions.get(k)).cloned(),
        Some(GapRow::Other(k)) => view.actions.get(k).cloned(),
        Some(GapRow::LastYear(k)) => view
            .previous
            .as_ref()
            .and_then(|py| py.actions.get(k))
            .cloned(),
        _ => None,
    };
    match action {
        Action::Back => app.screen = app.gaps.from,
        Action::Down => app.gaps.sel = (app.gaps.sel + 1).min(rows.len().saturating_sub(1)),
        Action::Up => app.gaps.sel = app.gaps.sel.saturating_sub(1),
        Action::Top => app.gaps.sel = 0,
        Action::Bottom => app.gaps.sel = rows.len().saturating_sub(1),
        Action::AddAction => {
            let entry = match row {
                Some(GapRow::Finding(e) | GapRow::Action(e, _)) => view.gaps.get(e),
                _ => None,
            };
            let Some(entry) = entry else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vælg et hul at tilføje et udviklingspunkt til",
                        "Select a gap to add an improvement action to"
                    ),
                );
                return None;
            };
            let indicators = action_indicators(view, &entry.finding.node_id, entry.finding.level);
            let plan = entry
                .plans
                .iter()
                .find(|p| p.target_kind == crate::strategy::NodeKind::ActionPlan)
                .map(|p| p.target_id.clone())
                .unwrap_or_default();
            app.overlay = Overlay::Form(Form::new(
                FormKind::Action { indicators },
                &["", "", "", &plan],
            ));
        }
        Action::ActionInProgress | Action::ActionDone | Action::ActionDrop => {
            let Some(x) = selected_action else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vælg et udviklingspunkt",
                        "Select an improvement action"
                    ),
                );
                return None;
            };
            match action {
                Action::ActionDrop => {
                    app.overlay = Overlay::Editor(Editor::new(
                        EditKind::DropReason(x.id),
                        x.id.to_string(),
                        "",
                    ));
                }
                Action::ActionDone => {
                    app.overlay = Overlay::Confirm {
                        question: tr!(
                            lang,
                            "Markér #{} som gennemført? ({})",
                            "Mark #{} as done? ({})",
                            x.id,
                            x.text
                        ),
                        effect: Effect::SetActionStatus {
                            id: x.id,
                            status: ActionStatus::Done,
                            reason: None,
                        },
                    };
                }
                _ => {
                    return Some(Effect::SetActionStatus {
                        id: x.id,
                        status: ActionStatus::InProgress,
                        reason: None,
                    });
                }
            }
        }
        _ => {}
    }
    None
}

/// The indicators an action raised for a finding answers: the indicator itself, or the
/// criterion's or theme's indicators that are findings too (all of them where none is).
pub(super) fn action_indicators(view: &AssessmentView, node: &str, level: Level) -> Vec<String> {
    if level == Level::Indicator {
        return vec![node.to_string()];
    }
    let under: Vec<String> = view
        .model
        .themes
        .iter()
        .flat_map(|t| t.criteria.iter().map(move |c| (t, c)))
        .filter(|(t, c)| t.id == node || c.id == node)
        .flat_map(|(_, c)| c.indicators.iter().map(|i| i.id.clone()))
        .collect();
    let flagged: Vec<String> = under
        .iter()
        .filter(|i| {
            view.gaps
                .iter()
                .any(|e| e.finding.level == Level::Indicator && &e.finding.node_id == *i)
        })
        .cloned()
        .collect();
    if flagged.is_empty() { under } else { flagged }
}

pub(super) fn gaps(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.assessment.view else {
        return;
    };
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(tr!(
                lang,
                "· huller → handleplaner → udviklingspunkter",
                "· gaps → action plans → improvement actions"
            )),
        ])),
        head,
    );
    let width = list.width.saturating_sub(4) as usize;
    let rows = gap_rows(v);
    let mut shown: Vec<(String, String)> = Vec::new();
    let action_item = |x: &crate::assessment::ImprovementAction| {
        let mut meta = Vec::new();
        if !x.owner.is_empty() {
            meta.push(safe(&x.owner));
        }
        if let Some(d) = x.due {
            meta.push(lang.date(d));
        }
        let plan = x
            .action_plan
            .as_deref()
            .map(|p| format!(" → {}", safe(p)))
            .unwrap_or_default();
        let text = format!(
            "    #{} [{}] {}{plan} {}",
            x.id,
            x.status.label(lang),
            safe(&x.text),
            if meta.is_empty() {
                String::new()
            } else {
                format!("({})", meta.join(", "))
            }
        );
        ListItem::new(Line::styled(
            one_line(&text, width),
            if x.status.is_open() {
                Style::default()
            } else {
                p.dim()
            },
        ))
    };
    let items: Vec<ListItem<'_>> = rows
        .iter()
        .map(|row| match *row {
            GapRow::Finding(i) => {
                let e = &v.gaps[i];
                let f = &e.finding;
                if f.level == assessment::Level::Theme {
                    shown.clear();
                }
                let indent = match f.level {
                    assessment::Level::Theme => "",
                    assessment::Level::Criterion => " ",
                    assessment::Level::Indicator => "  ",
                };
                let value = f.value_text(lang);
                let title = v.model.node_text(&f.node_id).map(|t| t.official().to_string()).unwrap_or_default();
                let style = match f.kind {
                    assessment::GapKind::Gap => p.fg(Color::Red),
                    _ => p.fg(Color::Yellow),
                };
                let mut lines = vec![Line::from(vec![
                    Span::styled(format!("{indent}{} [{value} {}] ", f.node_id, f.kind.label(lang)), style),
                    Span::raw(one_line(&title, width.saturating_sub(24))),
                ])];
                if f.kind != assessment::GapKind::Watch {
                    let new: Vec<_> = e.plans.iter().filter(|pl| !shown.contains(&(pl.via.clone(), pl.target_id.clone()))).collect();
                    if e.plans.is_empty() && f.level == assessment::Level::Indicator {
                        lines.push(Line::styled(
                            format!("{indent}  {}", lang.pick("Ingen handleplan i strategien: a tilføjer et lokalt udviklingspunkt", "No action plan in the strategy: a adds a local action")),
                            p.dim(),
                        ));
                    }
                    for pl in new {
                        shown.push((pl.via.clone(), pl.target_id.clone()));
                        let text = format!("{indent}  → {} ({}, via {}) {}", safe(&pl.target_id), pl.basis.label(lang), pl.via, safe(&pl.text));
                        lines.push(Line::styled(one_line(&text, width), p.fg(Color::Cyan)));
                    }
                }
                ListItem::new(lines)
            }
            GapRow::Action(i, k) => action_item(&v.gaps[i].actions[k]),
            GapRow::Other(k) => action_item(&v.actions[k]),
            GapRow::LastYear(k) => match &v.previous {
                Some(py) => {
                    let x = &py.actions[k];
                    let text = tr!(
                        lang,
                        "  ↩ fra {}: #{} [{}] {}",
                        "  ↩ from {}: #{} [{}] {}",
                        py.record.year,
                        x.id,
                        x.status.label(lang),
                        safe(&x.text)
                    );
                    ListItem::new(Line::styled(one_line(&text, width), p.fg(Color::Cyan)))
                }
                None => ListItem::new(""),
            },
        })
        .collect();
    let title = if items.is_empty() {
        lang.pick(" Ingen huller efter reglerne ", " No gaps by the rules ")
    } else {
        lang.pick(" Huller ", " Gaps ")
    };
    let mut state = ListState::default()
        .with_selected((!rows.is_empty()).then(|| app.gaps.sel.min(rows.len() - 1)));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::bordered().title(title))
            .highlight_style(p.selected()),
        list,
        &mut state,
    );
}
