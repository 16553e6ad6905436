//! Means and progress: criterion = unweighted mean of its scored indicators, theme =
//! unweighted mean of its criteria's means; "not relevant" is left out, and a node with
//! nothing to average has no mean (never 0).

use super::{Score, ScoreValue};
use crate::model::QualityModel;
use serde::Serialize;
use std::collections::HashMap;

/// A criterion's mean and progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionSummary {
    pub id: String,
    pub mean: Option<f64>,
    /// Indicators with a score or marked not relevant.
    pub done: usize,
    pub not_relevant: usize,
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
    pub total: usize,
    pub criteria: Vec<CriterionSummary>,
}

/// The means and progress of a whole assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub themes: Vec<ThemeSummary>,
    /// The unweighted mean of the theme means.
    pub overall_mean: Option<f64>,
    pub done: usize,
    pub total: usize,
    pub unscored: Vec<String>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Computes the means and progress of an assessment's scores on its model.
pub fn summarize(model: &QualityModel, scores: &[Score]) -> Summary {
    let by_id: HashMap<&str, ScoreValue> = scores
        .iter()
        .map(|s| (s.indicator_id.as_str(), s.value))
        .collect();
    summarize_values(model, &by_id)
}

/// The same, from the values by indicator id (no score texts needed).
pub fn summarize_values(model: &QualityModel, by_id: &HashMap<&str, ScoreValue>) -> Summary {
    let mut unscored = Vec::new();
    let themes: Vec<ThemeSummary> = model
        .themes
        .iter()
        .map(|theme| {
            let criteria: Vec<CriterionSummary> = theme
                .criteria
                .iter()
                .map(|c| {
                    let values: Vec<Option<ScoreValue>> = c
                        .indicators
                        .iter()
                        .map(|i| by_id.get(i.id.as_str()).copied())
                        .collect();
                    for (i, v) in c.indicators.iter().zip(&values) {
                        if v.is_none() {
                            unscored.push(i.id.clone());
                        }
                    }
                    CriterionSummary {
                        id: c.id.clone(),
                        mean: mean(
                            values
                                .iter()
                                .filter_map(|v| v.and_then(ScoreValue::value))
                                .map(f64::from),
                        ),
                        done: values.iter().filter(|v| v.is_some()).count(),
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
    }
}
