//! Last year's gaps followed up in this year's assessment, and dates as users type them.

use super::{GapRules, Score, ScoreValue};
use crate::i18n::Lang;
use crate::model::QualityModel;
use serde::Serialize;

/// What became of one of last year's indicator gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Now above the gap limit.
    Closed,
    /// Still a gap, at the same score.
    Persists,
    /// Still a gap, at a lower score.
    Worse,
    /// Now marked not relevant: not comparable.
    NotComparable,
    /// Not scored yet this year.
    Pending,
}

impl Outcome {
    /// The word in the user's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Closed => lang.pick("lukket", "closed"),
            Outcome::Persists => lang.pick("består", "persists"),
            Outcome::Worse => lang.pick("forværret", "worse"),
            Outcome::NotComparable => lang.pick("ikke sammenlignelig", "not comparable"),
            Outcome::Pending => lang.pick("ikke scoret endnu", "not scored yet"),
        }
    }
}

/// One of last year's gaps and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub indicator_id: String,
    pub before: u8,
    pub now: Option<ScoreValue>,
    pub outcome: Outcome,
}

/// Last year's indicator gaps (scores already keyed by this year's ids) against this
/// year's scores. A score carried over and not re-assessed counts as not scored yet.
pub fn follow_up(
    model: &QualityModel,
    last_year: &[(&str, ScoreValue)],
    now: &[Score],
    rules: &GapRules,
) -> Vec<FollowUp> {
    let rules = &rules.for_model(model);
    model
        .indicators()
        .filter_map(|r| {
            let id = r.indicator.id.as_str();
            let before = last_year
                .iter()
                .find(|(i, _)| *i == id)
                .and_then(|(_, v)| v.value())?;
            if before > rules.indicator_gap_max {
                return None;
            }
            let current = now
                .iter()
                .find(|s| s.indicator_id == id && !s.carried_over)
                .map(|s| s.value);
            let outcome = match current {
                None => Outcome::Pending,
                Some(ScoreValue::NotRelevant) => Outcome::NotComparable,
                Some(ScoreValue::Scored(v)) if v > rules.indicator_gap_max => Outcome::Closed,
                Some(ScoreValue::Scored(v)) if v < before => Outcome::Worse,
                Some(ScoreValue::Scored(_)) => Outcome::Persists,
            };
            Some(FollowUp {
                indicator_id: id.to_string(),
                before,
                now: current,
                outcome,
            })
        })
        .collect()
}

/// Last year's gaps and what became of them, as one line: "4a 2→3 lukket · 6b 2→1 forværret".
pub fn follow_up_line(items: &[FollowUp], lang: Lang) -> String {
    items
        .iter()
        .map(|f| {
            let now = f
                .now
                .and_then(|v| v.value())
                .map_or("–".to_string(), |v| v.to_string());
            format!(
                "{} {}→{now} {}",
                f.indicator_id,
                f.before,
                f.outcome.label(lang)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Parses a date as the user types it: 2026-03-31 or 31-03-2026 (also with dots or slashes).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(t, f).ok())
        .filter(|d| chrono::Datelike::year(d) >= 1900)
}
