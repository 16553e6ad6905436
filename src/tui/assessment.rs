//! The assessment screen: scoring the indicators theme by theme; its keys and its drawing
//! (the detail pane below the list is in `detail.rs`).

use super::app::*;
use super::data::AssessmentView;
use super::keys::Action;
use super::view::{Palette, safe};
use crate::assessment::{Score, ScoreInput, ScoreValue, Status};
use crate::model::Indicator;
use crate::text::one_line;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

/// The assessment screen's own state: the open assessment (the overview and the Gaps
/// screen show it too), the place in it, and this session's undo and redo.
#[derive(Clone, Default)]
pub struct AssessmentScreen {
    pub view: Option<AssessmentView>,
    pub theme: usize,
    /// The selected indicator within the current theme.
    pub sel: usize,
    /// How far the detail pane of an indicator is scrolled: (indicator, lines).
    pub detail_scroll: (String, u16),
    /// This session's changes to the open assessment: (indicator, its score before).
    pub undo: Vec<(String, Option<Score>)>,
    /// What undo took away: (indicator, its score before the undo).
    pub redo: Vec<(String, Option<Score>)>,
    pub last_search: String,
}

impl AssessmentScreen {
    /// Shows an opened assessment from its first theme, or keeps the place when it is
    /// the one shown (reloaded); says whether it is another one.
    pub fn show(&mut self, view: AssessmentView) -> bool {
        let other = self
            .view
            .as_ref()
            .is_none_or(|v| v.record.id != view.record.id);
        if other {
            self.theme = 0;
            self.sel = 0;
            self.undo.clear();
            self.redo.clear();
        }
        self.view = Some(view);
        other
    }

    /// The indicators of the current theme, in order.
    pub fn theme_indicators(&self) -> Vec<&Indicator> {
        self.view
            .as_ref()
            .and_then(|v| v.model.themes.get(self.theme))
            .map(|t| t.criteria.iter().flat_map(|c| &c.indicators).collect())
            .unwrap_or_default()
    }

    /// The selected indicator.
    pub fn selected(&self) -> Option<&Indicator> {
        self.theme_indicators().get(self.sel).copied()
    }

    /// Whether the open assessment is finalised (read-only).
    pub fn read_only(&self) -> bool {
        self.view
            .as_ref()
            .is_some_and(|v| v.record.status == Status::Finalised)
    }
}

pub(super) fn assessment_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    let count = app.assessment.theme_indicators().len();
    let themes = app
        .assessment
        .view
        .as_ref()
        .map_or(0, |v| v.model.themes.len());
    let editing = matches!(
        action,
        Action::Score(_)
            | Action::NotRelevant
            | Action::EditReasoning
            | Action::EditSources
            | Action::Undo
            | Action::Redo
            | Action::Confirm
    );
    if editing && app.assessment.read_only() {
        app.say(
            StatusKind::Info,
            tr!(
                lang,
                "Vurderingen er afsluttet og kan kun læses: hele begrundelsen står nederst (PgDn ruller); genåbn den med o R",
                "The assessment is finalised and read-only: the whole reasoning is below (PgDn scrolls); reopen it with o R"
            ),
        );
        return None;
    }
    let selected = app.assessment.selected().map(|i| i.id.clone());
    let current = selected.as_ref().and_then(|id| {
        app.assessment
            .view
            .as_ref()
            .and_then(|v| v.scores.get(id))
            .cloned()
    });
    match action {
        Action::Back => {
            app.screen = Screen::Home;
            return None;
        }
        Action::Down => {
            app.assessment.step_down();
        }
        Action::Up => {
            app.assessment.step_up();
        }
        Action::Top => app.assessment.sel = 0,
        Action::Bottom => app.assessment.sel = count.saturating_sub(1),
        Action::ScrollDown | Action::ScrollUp => {
            let id = selected?;
            let at = if app.assessment.detail_scroll.0 == id {
                app.assessment.detail_scroll.1
            } else {
                0
            };
            let at = if action == Action::ScrollDown {
                at.saturating_add(3).min(200)
            } else {
                at.saturating_sub(3)
            };
            app.assessment.detail_scroll = (id, at);
        }
        Action::NextTheme if themes > 0 => {
            app.assessment.theme = (app.assessment.theme + 1) % themes;
            app.assessment.sel = 0;
        }
        Action::PrevTheme if themes > 0 => {
            app.assessment.theme = (app.assessment.theme + themes - 1) % themes;
            app.assessment.sel = 0;
        }
        Action::Overview => {
            app.screen = Screen::Overview;
            app.overview.scroll = 0;
        }
        Action::Gaps => {
            app.gaps.from = Screen::Assessment;
            app.screen = Screen::Gaps;
        }
        Action::Score(v) if !on_scale(app, v) => {
            // `0` means "not relevant" where the scale has no 0 (1–5); any other value
            // off the model's scale is refused here, before anything is saved
            if v == 0 {
                return assessment_action(app, Action::NotRelevant);
            }
            let range = scale_range(app);
            app.say(
                StatusKind::Error,
                tr!(
                    lang,
                    "{v} er ikke på modellens skala ({range})",
                    "{v} is not on the model's scale ({range})"
                ),
            );
        }
        Action::Score(v) => {
            let id = selected?;
            // texts written before the score was given are saved with it
            let draft = |kind| {
                app.draft_key(kind, &id)
                    .and_then(|k| app.drafts.get(&k).map(String::from))
                    .filter(|_| current.is_none())
            };
            let (reasoning, sources) = (draft(EditKind::Reasoning), draft(EditKind::Sources));
            return Some(Effect::SaveScore(ScoreInput {
                indicator_id: id,
                value: ScoreValue::Scored(v),
                reasoning,
                sources,
            }));
        }
        Action::NotRelevant => {
            let id = selected?;
            let text = current.map(|s| s.reasoning).unwrap_or_default();
            app.open_editor(EditKind::NotRelevantReason, id, &text);
        }
        Action::EditReasoning | Action::EditSources => {
            let id = selected?;
            // a reasoning may be written before the score: until the score is given it is
            // kept as a draft, and saved with the score
            let (kind, text) = match (action == Action::EditReasoning, current) {
                (true, Some(s)) => (EditKind::Reasoning, s.reasoning),
                (false, Some(s)) => (EditKind::Sources, s.sources),
                (true, None) => (EditKind::Reasoning, String::new()),
                (false, None) => (EditKind::Sources, String::new()),
            };
            app.open_editor(kind, id, &text);
        }
        Action::Confirm => {
            let id = selected?;
            if current.is_some_and(|s| s.carried_over) {
                return Some(Effect::Confirm(id));
            }
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "{id} er ikke overført fra sidste år",
                    "{id} is not carried over from last year"
                ),
            );
        }
        Action::Undo | Action::Redo => {
            let id = selected?;
            let stack = if action == Action::Undo {
                &app.assessment.undo
            } else {
                &app.assessment.redo
            };
            if !stack.iter().any(|(i, _)| *i == id) {
                app.say(
                    StatusKind::Info,
                    if action == Action::Undo {
                        tr!(
                            lang,
                            "Intet at fortryde for {id}",
                            "Nothing to undo for {id}"
                        )
                    } else {
                        tr!(
                            lang,
                            "Intet at gentage for {id}",
                            "Nothing to redo for {id}"
                        )
                    },
                );
                return None;
            }
            return Some(if action == Action::Undo {
                Effect::Undo(id)
            } else {
                Effect::Redo(id)
            });
        }
        Action::Search => {
            let mut editor = Editor::new(EditKind::Search, "", "");
            if !app.assessment.last_search.is_empty() {
                editor.area.set_placeholder_text(tr!(
                    lang,
                    "Enter: næste \"{}\"",
                    "Enter: next \"{}\"",
                    app.assessment.last_search
                ));
            }
            app.overlay = Overlay::Editor(editor);
        }
        _ => {}
    }
    None
}

pub(super) fn assessment(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.assessment.view else {
        return;
    };
    let summary = v.summary();
    let wide = area.width >= 110;
    let detail_height = if area.height >= 34 { 11 } else { 9 };
    let [head, main, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(detail_height),
    ])
    .areas(area);
    let pct = (summary.done * 100).checked_div(summary.total).unwrap_or(0);
    let read_only = if v.record.status == Status::Finalised {
        lang.pick(" · skrivebeskyttet", " · read-only")
    } else {
        ""
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(format!(
                "· {} · {}{read_only} · ",
                v.record.model_id,
                v.record.status.label(lang)
            )),
            Span::raw(tr!(
                lang,
                "{} af {} ({pct} %)",
                "{} of {} ({pct}%)",
                summary.done,
                summary.total
            )),
        ])),
        head,
    );
    let left_width = if wide { 40 } else { 27 };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(main);

    // the themes, with progress
    let themes: Vec<ListItem<'_>> = v
        .model
        .themes
        .iter()
        .zip(&summary.themes)
        .map(|(t, s)| {
            let name_width = left_width as usize - 10;
            let text = format!(
                "{} {:<w$} {}/{}",
                t.number,
                one_line(&t.title.da, name_width),
                s.done,
                s.total,
                w = name_width
            );
            let style = if s.done == s.total {
                p.fg(Color::Green)
            } else {
                Style::default()
            };
            ListItem::new(Line::styled(text, style))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.assessment.theme));
    frame.render_stateful_widget(
        List::new(themes)
            .block(Block::bordered().title(lang.pick(" Temaer ", " Themes ")))
            .highlight_style(p.selected()),
        left,
        &mut state,
    );

    // the current theme's criteria and indicators
    let theme = &v.model.themes[app.assessment.theme.min(v.model.themes.len() - 1)];
    // inside the border: "  6a  [4]  *" takes 12 cells before the text
    let text_width = right.width.saturating_sub(2 + 12) as usize;
    let mut items = Vec::new();
    let mut selected_item = 0;
    let mut n = 0;
    for c in &theme.criteria {
        let mean = summary
            .themes
            .iter()
            .flat_map(|t| &t.criteria)
            .find(|k| k.id == c.id)
            .and_then(|k| k.mean);
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{:<4}{}", c.id, c.text.wording.mark()), p.bold()),
            Span::styled(one_line(&c.text.da, text_width.saturating_sub(1)), p.bold()),
            Span::raw(format!("  {}", lang.mean(mean))),
        ])));
        for i in &c.indicators {
            let score = v.scores.get(&i.id);
            let value = match score.map(|s| s.value) {
                Some(ScoreValue::Scored(x)) => format!("[{x}]"),
                Some(ScoreValue::NotRelevant) => lang.pick("[ir]", "[nr]").to_string(),
                None => "[ ]".to_string(),
            };
            // ↻: carried over from last year and not yet re-assessed
            let carried = if score.is_some_and(|s| s.carried_over) {
                "↻"
            } else {
                " "
            };
            let first = vec![
                Span::raw(format!("  {:<4}", i.id)),
                Span::styled(format!("{value:<4}"), p.score(score.map(|s| s.value))),
                Span::styled(carried, p.fg(Color::Magenta)),
                Span::raw(i.text.wording.mark()),
                Span::raw(one_line(&i.text.da, text_width)),
            ];
            let mut lines = vec![Line::from(first)];
            if let Some(s) = score.filter(|s| !s.reasoning.trim().is_empty()) {
                lines.push(Line::styled(
                    format!("           {}", one_line(&s.reasoning, text_width)),
                    p.dim(),
                ));
            }
            if n == app.assessment.sel {
                selected_item = items.len();
            }
            items.push(ListItem::new(lines));
            n += 1;
        }
    }
    let title = format!(
        " {} {}: {} ",
        lang.pick("Tema", "Theme"),
        theme.number,
        safe(&theme.title.da)
    );
    let mut state = ListState::default().with_selected(Some(selected_item));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::bordered().title(title))
            .highlight_style(p.selected()),
        right,
        &mut state,
    );

    super::detail::detail_pane(frame, app, detail, p);
}

/// Whether `v` is a value of the open assessment's scale.
fn on_scale(app: &App, v: u8) -> bool {
    app.assessment
        .view
        .as_ref()
        .is_some_and(|view| view.model.scale_values().contains(&v))
}

/// The open assessment's scale as the keys that score it, e.g. "1–5" or "0–3".
pub(super) fn scale_range(app: &App) -> String {
    let values = app
        .assessment
        .view
        .as_ref()
        .map(|v| v.model.scale_values())
        .unwrap_or_default();
    match (values.iter().min(), values.iter().max()) {
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        _ => "1–5".to_string(),
    }
}
