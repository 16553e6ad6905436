//! The domain core: scores, means, progress and the checks before sign-off. Pure
//! functions over plain structs; no SQL, no terminal, no clock.

mod actions;
mod checks;
mod follow_up;
mod free_text;
mod gaps;
mod personal;
mod rules;
mod summary;

pub use actions::{ActionStatus, ImprovementAction, NewAction, check_transition};
pub use checks::{
    QualityIssue, QualityIssueKind, blocking, map_scores, quality_checks, signoff_hash,
    translate_id,
};
pub use follow_up::{FollowUp, Outcome, follow_up, follow_up_line, parse_date};
pub use free_text::{FreeField, TextProblem, check_free_text, check_free_texts};
pub use gaps::{
    Finding, GapEntry, GapKind, GapReport, GapRules, Level, LinkedPlan, find_gaps, gap_entries,
    linked_plans,
};
pub use personal::{
    Identifier, IdentifierKind, PersonalDataPolicy, describe as describe_identifiers,
    find_identifiers, identifier_kinds, mask_identifiers,
};
pub use rules::{
    MAX_TEXT, Scale, ScoreProblem, ScoreWrite, TextField, check_write, longer_than, score_value,
};
pub use summary::{
    CriterionSummary, Marked, Summary, ThemeSummary, rule_line, summarize, summarize_marked,
    summarize_numbers, summarize_values,
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

    /// The value as its two stored fields: (value, not relevant).
    pub fn fields(self) -> (Option<i64>, bool) {
        match self {
            ScoreValue::Scored(v) => (Some(i64::from(v)), false),
            ScoreValue::NotRelevant => (None, true),
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

/// A score checked by the rules, ready to be written: the indicator id in the model's
/// own spelling, the texts merged with what was saved before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedScore {
    pub indicator_id: String,
    pub value: ScoreValue,
    pub reasoning: String,
    pub sources: String,
}

/// Checks a score a user saves against the model and the rules (`check_write`), with the
/// texts it leaves out taken from the score saved before. A user's save is a
/// re-assessment: the score it writes is never carried over.
pub fn check_score(
    model: &QualityModel,
    input: &ScoreInput,
    previous: Option<&Score>,
    policy: PersonalDataPolicy,
) -> Result<CheckedScore> {
    let Some(found) = model.indicator(&input.indicator_id) else {
        return Err(Error::UnknownIndicator {
            indicator: input.indicator_id.clone(),
            model: model.id.clone(),
        });
    };
    let id = found.indicator.id.as_str();
    let text = |new: &Option<String>, old: fn(&Score) -> &String| -> String {
        new.clone()
            .or_else(|| previous.map(|p| old(p).clone()))
            .unwrap_or_default()
    };
    let reasoning = text(&input.reasoning, |p| &p.reasoning);
    let sources = text(&input.sources, |p| &p.sources);
    let (value, not_relevant) = input.value.fields();
    let write = ScoreWrite {
        value,
        not_relevant,
        reasoning: &reasoning,
        sources: &sources,
        new_texts: [input.reasoning.is_some(), input.sources.is_some()],
        carried_over: false,
        finalised: false,
    };
    let value =
        check_write(Scale::of(model), &write, policy).map_err(|problem| Error::ScoreRefused {
            indicator: id.to_string(),
            problem,
        })?;
    Ok(CheckedScore {
        indicator_id: id.to_string(),
        value,
        reasoning,
        sources,
    })
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

impl Level {
    /// What the model calls this level (tema / område, indikator / spørgsmål, …).
    pub fn name(self, levels: &crate::model::Levels) -> &crate::model::LevelName {
        match self {
            Level::Theme => &levels.theme,
            Level::Criterion => &levels.criterion,
            Level::Indicator => &levels.indicator,
        }
    }
}
