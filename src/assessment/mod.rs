//! The domain core: scores, means, progress and the checks before sign-off. Pure
//! functions over plain structs; no SQL, no terminal, no clock.

mod actions;
mod checks;
mod gaps;
mod personal;
mod summary;

pub use actions::{ActionStatus, ImprovementAction, NewAction, check_transition};
pub use checks::{
    QualityIssue, QualityIssueKind, blocking, map_scores, quality_checks, signoff_hash,
    translate_id,
};
pub use gaps::{
    Finding, FollowUp, GapEntry, GapKind, GapReport, GapRules, Level, LinkedPlan, Outcome,
    find_gaps, follow_up, follow_up_line, gap_entries, linked_plans, parse_date,
};
pub use personal::{
    Identifier, IdentifierKind, PersonalDataPolicy, describe as describe_identifiers,
    find_identifiers, identifier_kinds, mask_identifiers,
};
pub use summary::{
    CriterionSummary, Summary, ThemeSummary, summarize, summarize_marked, summarize_values,
};

use crate::error::{Error, Result};
use crate::model::QualityModel;
use serde::{Deserialize, Serialize};

/// A score's value: 1–5, or not relevant for this facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreValue {
    Scored(u8),
    NotRelevant,
}

impl ScoreValue {
    /// The numeric value, or `None` where not relevant.
    pub fn value(self) -> Option<u8> {
        match self {
            ScoreValue::Scored(v) => Some(v),
            ScoreValue::NotRelevant => None,
        }
    }

    /// Makes a value from what the user typed, checking the scale.
    pub fn from_input(
        value: Option<i64>,
        not_relevant: bool,
        indicator: &str,
    ) -> Result<ScoreValue> {
        match (value, not_relevant) {
            (_, true) => Ok(ScoreValue::NotRelevant),
            (Some(v), false) if (1..=5).contains(&v) => Ok(ScoreValue::Scored(v as u8)),
            (Some(v), false) => Err(Error::ScoreOutOfRange(v)),
            (None, false) => Err(Error::ScoreMissing(indicator.to_string())),
        }
    }
}

/// Whether an assessment can still be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Finalised,
}

impl Status {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Finalised => "finalised",
        }
    }

    /// The word in the user's language.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Status::Draft => lang.pick("kladde", "draft"),
            Status::Finalised => lang.pick("afsluttet", "finalised"),
        }
    }
}

/// A score as the user gives it: the store fills in who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreInput {
    pub indicator_id: String,
    pub value: ScoreValue,
    /// The reasoning (begrundelse); for "not relevant", the reason, which is required.
    /// `None` keeps the text already saved.
    pub reasoning: Option<String>,
    /// Data sources or evidence, one per line. `None` keeps what is saved.
    pub sources: Option<String>,
}

impl ScoreInput {
    /// The kinds of personal identifier in the texts this input brings (not in texts it
    /// keeps as saved).
    pub fn identifier_kinds(&self) -> Vec<IdentifierKind> {
        identifier_kinds(
            [self.reasoning.as_deref(), self.sources.as_deref()]
                .into_iter()
                .flatten(),
        )
    }
}

/// A saved score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub indicator_id: String,
    pub value: ScoreValue,
    pub reasoning: String,
    pub sources: String,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Carried over from last year and not yet confirmed or changed ("not re-assessed").
    #[serde(default)]
    pub carried_over: bool,
}

/// Checks a score against the model and the rules, and returns it with the indicator
/// id in the model's own spelling and the texts merged with what was saved before.
pub fn check_score(
    model: &QualityModel,
    input: &ScoreInput,
    previous: Option<&Score>,
) -> Result<ScoreInput> {
    let Some(found) = model.indicator(&input.indicator_id) else {
        return Err(Error::UnknownIndicator {
            indicator: input.indicator_id.clone(),
            model: model.id.clone(),
        });
    };
    let id = found.indicator.id.clone();
    let reasoning = input
        .reasoning
        .clone()
        .or_else(|| previous.map(|p| p.reasoning.clone()))
        .unwrap_or_default();
    let sources = input
        .sources
        .clone()
        .or_else(|| previous.map(|p| p.sources.clone()))
        .unwrap_or_default();
    if input.value == ScoreValue::NotRelevant && reasoning.trim().is_empty() {
        return Err(Error::ReasonRequired(id));
    }
    Ok(ScoreInput {
        indicator_id: id,
        value: input.value,
        reasoning: Some(reasoning),
        sources: Some(sources),
    })
}

/// Refuses new texts (those the input brings) that hold personal identifiers: the strict
/// personal-data policy.
pub fn refuse_identifiers(input: &ScoreInput) -> Result<()> {
    let kinds = input.identifier_kinds();
    if kinds.is_empty() {
        Ok(())
    } else {
        Err(Error::PersonalData {
            indicator: input.indicator_id.clone(),
            kinds,
        })
    }
}

/// The input with personal identifiers in its new texts masked.
pub fn mask_input(input: &ScoreInput) -> ScoreInput {
    ScoreInput {
        reasoning: input.reasoning.as_deref().map(mask_identifiers),
        sources: input.sources.as_deref().map(mask_identifiers),
        ..input.clone()
    }
}

/// The indicators still without a score, in model order.
pub fn unscored<'m>(model: &'m QualityModel, scores: &[Score]) -> Vec<&'m str> {
    model
        .indicators()
        .map(|r| r.indicator.id.as_str())
        .filter(|id| !scores.iter().any(|s| s.indicator_id == *id))
        .collect()
}

#[cfg(test)]
mod tests;
