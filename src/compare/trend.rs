//! The theme means across the selection, year by year, accumulated one assessment at a
//! time (each facility's chosen assessment of a year, as the caller streams them).

use super::{AssessmentScores, Frame};
use serde::Serialize;

/// The theme means across the selection, year by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub model: String,
    pub themes: Vec<String>,
    pub years: Vec<i32>,
    /// `means[theme][year]`: the mean of the facilities' theme means.
    pub means: Vec<Vec<Option<f64>>>,
    /// How many assessments each year holds.
    pub counts: Vec<usize>,
}

/// Accumulates a trend one assessment at a time (memory does not grow with the rows).
pub struct TrendBuilder<'a> {
    frame: &'a Frame<'a>,
    /// year → (sum, count) per theme, and assessments
    acc: std::collections::BTreeMap<i32, (Vec<(f64, usize)>, usize)>,
}

impl<'a> TrendBuilder<'a> {
    pub fn new(frame: &'a Frame<'a>) -> Self {
        TrendBuilder {
            frame,
            acc: Default::default(),
        }
    }

    /// Adds one assessment.
    pub fn add(&mut self, a: &AssessmentScores) {
        let (theme_means, _) = self.frame.means(a);
        let n = self.frame.model.themes.len();
        let entry = self
            .acc
            .entry(a.year)
            .or_insert_with(|| (vec![(0.0, 0); n], 0));
        entry.1 += 1;
        for (t, m) in theme_means.iter().enumerate() {
            if let Some(m) = m {
                entry.0[t].0 += m;
                entry.0[t].1 += 1;
            }
        }
    }

    /// The trend.
    pub fn finish(self) -> Trend {
        let years: Vec<i32> = self.acc.keys().copied().collect();
        let n = self.frame.model.themes.len();
        let means = (0..n)
            .map(|t| {
                self.acc
                    .values()
                    .map(|(v, _)| (v[t].1 > 0).then(|| v[t].0 / v[t].1 as f64))
                    .collect()
            })
            .collect();
        Trend {
            model: self.frame.model.id.clone(),
            themes: self
                .frame
                .model
                .themes
                .iter()
                .map(|t| t.id.clone())
                .collect(),
            counts: self.acc.values().map(|(_, c)| *c).collect(),
            years,
            means,
        }
    }
}
