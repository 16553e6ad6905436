//! Means and progress: criterion = unweighted mean of its scored indicators, theme =
//! unweighted mean of its criteria's means; "not relevant" is left out, and a node with
//! nothing to average has no mean (never 0). A score carried over from last year counts in
//! the means but is not done until it is re-assessed (confirmed or changed).

use super::{Score, ScoreValue};
use crate::model::QualityModel;
use serde::Serialize;
use std::collections::HashMap;

/// A criterion's mean and progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionSummary {
    pub id: String,
    pub mean: Option<f64>,
    /// Indicators with a score or marked not relevant, and not merely carried over.
    pub done: usize,
    pub not_relevant: usize,
    /// Indicators whose score is carried over from last year and not re-assessed.
    pub carried_over: usize,
    pub total: usize,
}

/// A theme's mean and progress, with its criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeSummary {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub mean: Option<f64>,
    pub done: usize,
    pub carried_over: usize,
    pub total: usize,
    pub criteria: Vec<CriterionSummary>,
}

/// The means and progress of a whole assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub themes: Vec<ThemeSummary>,
    /// The unweighted mean of the theme means.
    pub overall_mean: Option<f64>,
    /// Indicators scored or marked not relevant and re-assessed where carried over.
    pub done: usize,
    pub total: usize,
    pub unscored: Vec<String>,
    /// Indicators carried over from last year and not yet re-assessed, in model order.
    pub not_reassessed: Vec<String>,
}

impl Summary {
    /// Progress in whole per cent (rounded down, so 29 of 30 is never 100 %).
    pub fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Computes the means and progress of an assessment's scores on its model.
pub fn summarize(model: &QualityModel, scores: &[Score]) -> Summary {
    let by_id: HashMap<&str, (ScoreValue, bool)> = scores
        .iter()
        .map(|s| (s.indicator_id.as_str(), (s.value, s.carried_over)))
        .collect();
    summarize_marked(model, &by_id)
}

/// The same, from the values by indicator id (no score texts needed; none carried over).
pub fn summarize_values(model: &QualityModel, by_id: &HashMap<&str, ScoreValue>) -> Summary {
    let marked: HashMap<&str, (ScoreValue, bool)> =
        by_id.iter().map(|(k, v)| (*k, (*v, false))).collect();
    summarize_marked(model, &marked)
}

/// The same, from the values by indicator id, each marked whether it is carried over.
pub fn summarize_marked(
    model: &QualityModel,
    by_id: &HashMap<&str, (ScoreValue, bool)>,
) -> Summary {
    let mut unscored = Vec::new();
    let mut not_reassessed = Vec::new();
    let themes: Vec<ThemeSummary> = model
        .themes
        .iter()
        .map(|theme| {
            let criteria: Vec<CriterionSummary> = theme
                .criteria
                .iter()
                .map(|c| {
                    let marked: Vec<Option<(ScoreValue, bool)>> = c
                        .indicators
                        .iter()
                        .map(|i| by_id.get(i.id.as_str()).copied())
                        .collect();
                    for (i, v) in c.indicators.iter().zip(&marked) {
                        match v {
                            None => unscored.push(i.id.clone()),
                            Some((_, true)) => not_reassessed.push(i.id.clone()),
                            Some((_, false)) => {}
                        }
                    }
                    let carried_over = marked.iter().filter(|v| v.is_some_and(|v| v.1)).count();
                    let values: Vec<Option<ScoreValue>> =
                        marked.iter().map(|v| v.map(|v| v.0)).collect();
                    CriterionSummary {
                        id: c.id.clone(),
                        mean: mean(
                            values
                                .iter()
                                .filter_map(|v| v.and_then(ScoreValue::value))
                                .map(f64::from),
                        ),
                        done: values.iter().filter(|v| v.is_some()).count() - carried_over,
                        carried_over,
                        not_relevant: values
                            .iter()
                            .filter(|v| **v == Some(ScoreValue::NotRelevant))
                            .count(),
                        total: values.len(),
                    }
                })
                .collect();
            ThemeSummary {
                id: theme.id.clone(),
                number: theme.number,
                title: theme.title.da.clone(),
                mean: mean(criteria.iter().filter_map(|c| c.mean)),
                done: criteria.iter().map(|c| c.done).sum(),
                carried_over: criteria.iter().map(|c| c.carried_over).sum(),
                total: criteria.iter().map(|c| c.total).sum(),
                criteria,
            }
        })
        .collect();
    Summary {
        overall_mean: mean(themes.iter().filter_map(|t| t.mean)),
        done: themes.iter().map(|t| t.done).sum(),
        total: themes.iter().map(|t| t.total).sum(),
        themes,
        unscored,
        not_reassessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bundled_models;

    fn score(id: &str, v: u8, carried_over: bool) -> Score {
        Score {
            indicator_id: id.into(),
            value: ScoreValue::Scored(v),
            reasoning: "r".into(),
            sources: String::new(),
            by: "t".into(),
            at: chrono::DateTime::UNIX_EPOCH,
            carried_over,
        }
    }

    #[test]
    fn a_carried_over_score_counts_in_the_mean_but_is_not_done() {
        let model = &bundled_models()[1];
        let s = summarize(model, &[score("6a", 4, true), score("6b", 2, false)]);
        assert_eq!(s.done, 1);
        assert_eq!(s.not_reassessed, vec!["6a".to_string()]);
        assert!(!s.unscored.contains(&"6a".to_string()));
        let k6 = s
            .themes
            .iter()
            .flat_map(|t| &t.criteria)
            .find(|c| c.id == "K6")
            .unwrap();
        assert_eq!((k6.done, k6.carried_over, k6.mean), (1, 1, Some(3.0)));
        assert_eq!(s.percent(), 100 / s.total);
    }
}
