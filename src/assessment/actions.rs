//! Improvement actions (udviklingspunkter): what a facility commits to doing about its
//! gaps, and the rules for how an action's status may change.

use crate::error::{Error, Result};
use crate::i18n::Lang;
use serde::Serialize;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<ActionStatus> {
        match s {
            "planned" => Some(ActionStatus::Planned),
            "in_progress" | "in-progress" => Some(ActionStatus::InProgress),
            "done" => Some(ActionStatus::Done),
            "dropped" => Some(ActionStatus::Dropped),
            _ => None,
        }
    }

    /// The word in the user's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActionStatus::Planned => lang.pick("planlagt", "planned"),
            ActionStatus::InProgress => lang.pick("i gang", "in progress"),
            ActionStatus::Done => lang.pick("gennemført", "done"),
            ActionStatus::Dropped => lang.pick("opgivet", "dropped"),
        }
    }

    /// Whether work on the action goes on.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }
}

/// An improvement action as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImprovementAction {
    pub id: i64,
    pub assessment_id: i64,
    pub facility: String,
    /// The assessment's year: the action was raised then.
    pub year: i32,
    pub text: String,
    /// The indicators it answers.
    pub indicators: Vec<String>,
    pub strategy_id: Option<String>,
    pub action_plan: Option<String>,
    pub owner: String,
    pub due: Option<chrono::NaiveDate>,
    pub status: ActionStatus,
    pub drop_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl ImprovementAction {
    /// Open and past its due date.
    pub fn overdue(&self, today: chrono::NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// An action to add.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAction {
    pub text: String,
    pub indicators: Vec<String>,
    /// An action plan id of one of the strategies; `None` for a local action.
    pub action_plan: Option<String>,
    pub owner: String,
    pub due: Option<chrono::NaiveDate>,
}

/// Checks that an action may go from `from` to `to`: a done or dropped action is closed
/// and does not change again; dropping needs a reason.
pub fn check_transition(
    id: i64,
    from: ActionStatus,
    to: ActionStatus,
    reason: Option<&str>,
) -> Result<()> {
    if !from.is_open() {
        return Err(Error::ActionClosed {
            id,
            status: crate::error::Words::of(|l| from.label(l).to_string()),
        });
    }
    if to == ActionStatus::Dropped && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Error::Empty("reason"));
    }
    Ok(())
}
