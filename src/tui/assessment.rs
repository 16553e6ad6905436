//! The assessment screen: scoring the indicators theme by theme; its keys and its drawing
//! (the detail pane below the list is in `detail.rs`).

mod draw;
pub mod key_table;

pub(super) use draw::assessment;

use super::app::*;
use super::data::AssessmentView;
use super::keys::Action;
use crate::assessment::{Score, ScoreInput, ScoreValue, Status};
use crate::model::Indicator;
use crate::tr;

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
