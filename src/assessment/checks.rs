//! The checks before sign-off, and carrying scores from one assessment to the next
//! (across model versions through the mapping).

use super::{Score, ScoreValue};
use crate::model::{ModelMapping, QualityModel};
use serde::Serialize;
use std::collections::HashMap;

/// What a quality check found wrong with one indicator's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityIssueKind {
    /// No score yet: blocks sign-off.
    Unscored,
    /// Carried over from last year and neither confirmed nor changed: blocks sign-off.
    NotReassessed,
    /// A score without any reasoning.
    NoReasoning,
    /// "Not relevant" without a reason.
    NotRelevantWithoutReason,
    /// A 4 or 5 without any data source.
    HighScoreWithoutSource,
    /// The reasoning or sources hold a CPR number, an e-mail address or a phone number.
    PersonalData,
}

impl QualityIssueKind {
    /// Whether the issue stops the assessment from being finalised.
    pub fn blocks_finalising(self) -> bool {
        matches!(
            self,
            QualityIssueKind::Unscored | QualityIssueKind::NotReassessed
        )
    }

    /// What the check says, in the user's language.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use QualityIssueKind::*;
        match self {
            Unscored => lang.pick("mangler score", "unscored"),
            NotReassessed => lang.pick(
                "ikke genvurderet (overført fra sidste år)",
                "not re-assessed (carried over from last year)",
            ),
            NoReasoning => lang.pick("score uden begrundelse", "score without reasoning"),
            NotRelevantWithoutReason => lang.pick(
                "ikke relevant uden begrundelse",
                "not relevant without a reason",
            ),
            HighScoreWithoutSource => {
                lang.pick("4 eller 5 uden datakilde", "4 or 5 without a data source")
            }
            PersonalData => lang.pick(
                "personoplysninger i teksten (CPR-nummer, e-mail eller telefonnummer)",
                "personal data in the text (CPR number, e-mail or phone number)",
            ),
        }
    }
}

/// One finding of the quality checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualityIssue {
    pub indicator_id: String,
    pub kind: QualityIssueKind,
}

/// Every finding of the checks before sign-off, in model order.
pub fn quality_checks(model: &QualityModel, scores: &[Score]) -> Vec<QualityIssue> {
    let by_id: HashMap<&str, &Score> = scores
        .iter()
        .map(|s| (s.indicator_id.as_str(), s))
        .collect();
    let mut out = Vec::new();
    for r in model.indicators() {
        let id = r.indicator.id.as_str();
        let mut push = |kind| {
            out.push(QualityIssue {
                indicator_id: id.to_string(),
                kind,
            })
        };
        let Some(s) = by_id.get(id) else {
            push(QualityIssueKind::Unscored);
            continue;
        };
        if s.carried_over {
            push(QualityIssueKind::NotReassessed);
        }
        match s.value {
            ScoreValue::NotRelevant if s.reasoning.trim().is_empty() => {
                push(QualityIssueKind::NotRelevantWithoutReason)
            }
            ScoreValue::NotRelevant => {}
            ScoreValue::Scored(v) => {
                if s.reasoning.trim().is_empty() {
                    push(QualityIssueKind::NoReasoning);
                }
                if v >= 4 && s.sources.trim().is_empty() {
                    push(QualityIssueKind::HighScoreWithoutSource);
                }
            }
        }
        if !super::identifier_kinds([s.reasoning.as_str(), s.sources.as_str()]).is_empty() {
            push(QualityIssueKind::PersonalData);
        }
    }
    out
}

/// The indicators that stop sign-off: unscored or not re-assessed.
pub fn blocking(model: &QualityModel, scores: &[Score]) -> Vec<QualityIssue> {
    quality_checks(model, scores)
        .into_iter()
        .filter(|i| i.kind.blocks_finalising())
        .collect()
}

/// The id in model `to` of a node of model `from` (the same id within one model, through
/// the mapping in either direction across versions), if it has a counterpart.
pub fn translate_id(
    from: &str,
    to: &QualityModel,
    mapping: Option<&ModelMapping>,
    id: &str,
) -> Option<String> {
    let target = if from == to.id {
        Some(id.to_string())
    } else {
        mapping.and_then(|m| {
            if m.from == from && m.to == to.id {
                m.forward(id).map(|p| p.to.clone())
            } else if m.from == to.id && m.to == from {
                m.backward(id).map(|p| p.from.clone())
            } else {
                None
            }
        })
    };
    target.filter(|t| to.has_node(t))
}

/// Another assessment's scores, keyed by the indicator ids of `to`: the same ids where both
/// are the same model, through the mapping where they are not; an indicator without a
/// counterpart is left out.
pub fn map_scores<'s>(
    from: &QualityModel,
    scores: &'s [Score],
    to: &QualityModel,
    mapping: Option<&ModelMapping>,
) -> HashMap<String, &'s Score> {
    scores
        .iter()
        .filter_map(|s| translate_id(&from.id, to, mapping, &s.indicator_id).map(|t| (t, s)))
        .collect()
}

/// The content hash a sign-off records: the model version and every score with its texts,
/// in indicator order, each field length-prefixed into SHA-256. Any later change to a
/// score or a text changes it.
pub fn signoff_hash<'a>(
    model_hash: &str,
    scores: impl IntoIterator<Item = (&'a str, Option<u8>, bool, &'a str, &'a str)>,
) -> String {
    let mut rows: Vec<_> = scores.into_iter().collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let mut h = crate::integrity::FieldHasher::default();
    h.text(model_hash);
    for (indicator, value, not_relevant, reasoning, sources) in rows {
        h.text(indicator)
            .text(if not_relevant { "-" } else { "" })
            .text(&value.map_or(String::new(), |v| v.to_string()))
            .text(reasoning)
            .text(sources);
    }
    h.finish()
}
