//! The read model's scores and actions as `--json` writes them.

use super::view::AssessmentView;
use crate::assessment::{ImprovementAction, Score, ScoreValue};
use serde::Serialize;

/// A score as `--json` writes it: the bundle's form (`"value": 4` or `"not_relevant": true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreJson<'a> {
    pub indicator: &'a str,
    /// 1–5; null where not relevant.
    pub value: Option<u8>,
    pub not_relevant: bool,
    pub reasoning: &'a str,
    pub sources: &'a str,
    pub by: &'a str,
    pub at: String,
    pub carried_over: bool,
}

impl<'a> ScoreJson<'a> {
    /// The JSON form of a score.
    pub fn of(s: &'a Score) -> ScoreJson<'a> {
        ScoreJson {
            indicator: &s.indicator_id,
            value: s.value.value(),
            not_relevant: s.value == ScoreValue::NotRelevant,
            reasoning: &s.reasoning,
            sources: &s.sources,
            by: &s.by,
            at: s.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            carried_over: s.carried_over,
        }
    }
}

/// An action as `--json` writes it, with whether it is overdue.
#[derive(Debug, Clone, Serialize)]
pub struct ActionJson<'a> {
    #[serde(flatten)]
    pub action: &'a ImprovementAction,
    pub overdue: bool,
}

impl AssessmentView {
    /// The actions in their JSON form.
    pub fn actions_json(&self) -> Vec<ActionJson<'_>> {
        self.actions
            .iter()
            .map(|a| ActionJson {
                action: a,
                overdue: self.overdue(a),
            })
            .collect()
    }
}
