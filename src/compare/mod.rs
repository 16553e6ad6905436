//! Comparisons: a facility across years, the facilities of a year, and the theme means
//! year by year. Every assessment is seen in one frame (a model version, the newest by
//! default): scores of another version come through the mapping, and a node without a
//! counterpart is "not comparable", never a rise or a fall. Pure: the store streams the
//! scores in, these functions aggregate them in one pass.

mod direct;
mod trend;

pub use trend::{Trend, TrendBuilder};

use crate::assessment::{Marked, ScoreValue, summarize_numbers};
use crate::model::{ModelMapping, QualityModel};
use serde::Serialize;

/// One assessment's scores as the store streams them.
#[derive(Debug, Clone)]
pub struct AssessmentScores {
    pub assessment_id: i64,
    pub facility_id: i64,
    pub facility: String,
    pub organisation: String,
    pub year: i32,
    pub model_id: String,
    pub values: Vec<(String, ScoreValue)>,
}

/// The frame every assessment is seen in, with what it takes to bring another version into it.
pub struct Frame<'a> {
    pub model: &'a QualityModel,
    /// Other model versions (by id) and the mapping between them and the frame.
    pub others: Vec<(&'a QualityModel, Option<&'a ModelMapping>)>,
}

/// The model versions a comparison needs, owned: the frame and the others with their mappings.
pub struct Models {
    pub frame: std::rc::Rc<QualityModel>,
    pub others: Vec<(std::rc::Rc<QualityModel>, Option<ModelMapping>)>,
}

impl Models {
    /// The frame to see assessments in.
    pub fn frame(&self) -> Frame<'_> {
        Frame {
            model: &self.frame,
            others: self
                .others
                .iter()
                .map(|(m, map)| (m.as_ref(), map.as_ref()))
                .collect(),
        }
    }
}

/// An assessment seen in the frame: the theme and criterion means, and per indicator its
/// value or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Framed {
    pub theme_means: Vec<Option<f64>>,
    pub criterion_means: Vec<Option<f64>>,
    pub overall: Option<f64>,
    pub indicators: Vec<Cell>,
}

/// A value in a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Cell {
    Value(f64),
    NotRelevant,
    NotScored,
    /// The assessment's model has no counterpart for this node.
    NotComparable,
    /// No assessment that year.
    Missing,
}

impl Cell {
    /// The number, where there is one.
    pub fn value(self) -> Option<f64> {
        match self {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }

    fn of(v: Option<f64>) -> Cell {
        v.map_or(Cell::NotScored, Cell::Value)
    }

    /// A theme's or criterion's cell from its mean and its scored items' cells: not
    /// comparable when none of its items has a counterpart, rather than "not scored".
    fn of_span(v: Option<f64>, items: &[Cell]) -> Cell {
        let none_comparable = !items.is_empty() && items.iter().all(|c| *c == Cell::NotComparable);
        if v.is_none() && none_comparable {
            Cell::NotComparable
        } else {
            Cell::of(v)
        }
    }
}

/// The values of an assessment by the frame's indicator ids (a number, or not relevant).
type FramedValues<'x> = std::collections::HashMap<&'x str, Marked>;

/// An assessment's values in the frame, which frame indicators are comparable (`None`: all)
/// and the frame to summarize by where it differs (`Frame::values`).
type InFrame<'x> = (FramedValues<'x>, Option<Vec<String>>, Option<QualityModel>);

fn num(v: ScoreValue) -> Marked {
    Marked {
        value: v.value().map(f64::from),
        carried_over: false,
    }
}

impl Frame<'_> {
    /// The assessment's values by the frame's indicator ids, which of the frame's
    /// indicators have a counterpart in the assessment's model (`None`: all, it is the
    /// frame's own model; `Err`: a version the frame does not know, nothing comparable),
    /// and the frame to summarize them by where the assessment's model scores directly
    /// what the frame scores by indicators (`direct::direct_into_criteria`).
    fn values<'x>(&'x self, a: &'x AssessmentScores) -> std::result::Result<InFrame<'x>, ()> {
        if a.model_id == self.model.id {
            return Ok((
                a.values
                    .iter()
                    .map(|(id, v)| (id.as_str(), num(*v)))
                    .collect(),
                None,
                None,
            ));
        }
        let Some((src, mapping)) = self.others.iter().find(|(m, _)| m.id == a.model_id) else {
            return Err(());
        };
        let translate =
            |id: &str| crate::assessment::translate_id(&src.id, self.model, *mapping, id);
        let mut values: FramedValues<'x> = a
            .values
            .iter()
            .filter_map(|(id, v)| {
                translate(id).and_then(|t| {
                    self.model
                        .indicator(&t)
                        .map(|r| (r.indicator.id.as_str(), num(*v)))
                })
            })
            .collect();
        let mut comparable: Vec<String> = src
            .indicators()
            .filter_map(|r| translate(&r.indicator.id))
            .collect();
        direct::criterion_means(src, self.model, a, &translate, &mut values, &mut comparable);
        let adapted = direct::direct_into_criteria(src, self.model, a, &translate, &mut values);
        Ok((values, Some(comparable), adapted))
    }

    /// The theme means and the overall mean of an assessment in the frame (what a year's
    /// matrix and the trend show), by the same rule as `frame`.
    pub fn means(&self, a: &AssessmentScores) -> (Vec<Option<f64>>, Option<f64>) {
        let (values, adapted) = self.values(a).map(|(v, _, m)| (v, m)).unwrap_or_default();
        let s = summarize_numbers(adapted.as_ref().unwrap_or(self.model), &values);
        (s.themes.iter().map(|t| t.mean).collect(), s.overall_mean)
    }

    /// Brings an assessment into the frame.
    pub fn frame(&self, a: &AssessmentScores) -> Framed {
        let (values, comparable, adapted) = match self.values(a) {
            Ok(found) => found,
            Err(()) => (Default::default(), Some(Vec::new()), None),
        };
        let comparable = |id: &str| {
            comparable
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|i| i == id))
        };
        let s = summarize_numbers(adapted.as_ref().unwrap_or(self.model), &values);
        let indicators = self
            .model
            .indicators()
            .map(|r| {
                let id = r.indicator.id.as_str();
                if !comparable(id) {
                    return Cell::NotComparable;
                }
                match values.get(id) {
                    Some(Marked { value: Some(v), .. }) => Cell::Value(*v),
                    Some(Marked { value: None, .. }) => Cell::NotRelevant,
                    None => Cell::NotScored,
                }
            })
            .collect();
        Framed {
            theme_means: s.themes.iter().map(|t| t.mean).collect(),
            criterion_means: s
                .themes
                .iter()
                .flat_map(|t| t.criteria.iter().map(|c| c.mean))
                .collect(),
            overall: s.overall_mean,
            indicators,
        }
    }
}

/// Which way a value moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Same,
}

impl Direction {
    /// ↑ ↓ →
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Up => "↑",
            Direction::Down => "↓",
            Direction::Same => "→",
        }
    }
}

/// One row of a facility's history: a node and its value per year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub level: crate::assessment::Level,
    pub node_id: String,
    pub cells: Vec<Cell>,
    /// From the first to the last comparable value.
    pub change: Option<f64>,
    pub direction: Option<Direction>,
}

/// A facility across years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub facility: String,
    pub model: String,
    pub years: Vec<i32>,
    pub rows: Vec<HistoryRow>,
    /// Indicator gaps that opened (`(year, indicator)`: a gap that year, none the year before).
    pub gaps_opened: Vec<(i32, String)>,
    pub gaps_closed: Vec<(i32, String)>,
}

fn movement(cells: &[Cell]) -> (Option<f64>, Option<Direction>) {
    let values: Vec<f64> = cells.iter().filter_map(|c| c.value()).collect();
    match (values.first(), values.last()) {
        (Some(a), Some(b)) if values.len() > 1 => {
            let d = b - a;
            let dir = if d > 0.05 {
                Direction::Up
            } else if d < -0.05 {
                Direction::Down
            } else {
                Direction::Same
            };
            (Some(d), Some(dir))
        }
        _ => (None, None),
    }
}

/// A facility's assessments (one per year, oldest first) side by side in the frame.
pub fn history(
    frame: &Frame<'_>,
    facility: &str,
    years: &[i32],
    assessments: &[AssessmentScores],
    gap_max: u8,
) -> History {
    let framed: Vec<Option<Framed>> = years
        .iter()
        .map(|y| {
            assessments
                .iter()
                .find(|a| a.year == *y)
                .map(|a| frame.frame(a))
        })
        .collect();
    let cells_of = |pick: &dyn Fn(&Framed) -> Cell| -> Vec<Cell> {
        framed
            .iter()
            .map(|f| f.as_ref().map_or(Cell::Missing, pick))
            .collect()
    };
    let mut rows = Vec::new();
    // per row: whether it is a scored item (an indicator, or a criterion scored directly)
    let mut scored: Vec<bool> = Vec::new();
    let mut ci = 0;
    let mut ii = 0;
    // how many scored items each criterion has (a criterion scored directly is its own one)
    let items = |c: &crate::model::Criterion| {
        if c.scored_directly {
            1
        } else {
            c.indicators.len()
        }
    };
    for (ti, theme) in frame.model.themes.iter().enumerate() {
        let span = ii..ii + theme.criteria.iter().map(items).sum::<usize>();
        let cells =
            cells_of(&|f: &Framed| Cell::of_span(f.theme_means[ti], &f.indicators[span.clone()]));
        let (change, direction) = movement(&cells);
        scored.push(false);
        rows.push(HistoryRow {
            level: crate::assessment::Level::Theme,
            node_id: theme.id.clone(),
            cells,
            change,
            direction,
        });
        for c in &theme.criteria {
            let k = ci;
            ci += 1;
            if c.scored_directly {
                // one row: the criterion is its own one scored item, so its cells are that
                // item's (a value, not relevant, not comparable) and its gaps count
                let k = ii;
                ii += 1;
                let cells = cells_of(&|f: &Framed| f.indicators[k]);
                let (change, direction) = movement(&cells);
                scored.push(true);
                rows.push(HistoryRow {
                    level: crate::assessment::Level::Criterion,
                    node_id: c.id.clone(),
                    cells,
                    change,
                    direction,
                });
                continue;
            }
            let span = ii..ii + c.indicators.len();
            let cells = cells_of(&|f: &Framed| {
                Cell::of_span(f.criterion_means[k], &f.indicators[span.clone()])
            });
            let (change, direction) = movement(&cells);
            scored.push(false);
            rows.push(HistoryRow {
                level: crate::assessment::Level::Criterion,
                node_id: c.id.clone(),
                cells,
                change,
                direction,
            });
            for i in &c.indicators {
                let k = ii;
                let cells = cells_of(&|f: &Framed| f.indicators[k]);
                let (change, direction) = movement(&cells);
                scored.push(true);
                rows.push(HistoryRow {
                    level: crate::assessment::Level::Indicator,
                    node_id: i.id.clone(),
                    cells,
                    change,
                    direction,
                });
                ii += 1;
            }
        }
    }
    let mut gaps_opened = Vec::new();
    let mut gaps_closed = Vec::new();
    // each year against the last earlier year with a value (a missing year is skipped)
    for (row, _) in rows.iter().zip(&scored).filter(|(_, s)| **s) {
        let mut last: Option<f64> = None;
        for (w, c) in row.cells.iter().enumerate() {
            let Some(now) = c.value() else { continue };
            let gap = |v: f64| v <= f64::from(gap_max);
            match last {
                Some(before) if !gap(before) && gap(now) => {
                    gaps_opened.push((years[w], row.node_id.clone()))
                }
                Some(before) if gap(before) && !gap(now) => {
                    gaps_closed.push((years[w], row.node_id.clone()))
                }
                _ => {}
            }
            last = Some(now);
        }
    }
    History {
        facility: facility.to_string(),
        model: frame.model.id.clone(),
        years: years.to_vec(),
        rows,
        gaps_opened,
        gaps_closed,
    }
}

/// One facility's row of a year's matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    /// The assessment's number.
    pub assessment_id: i64,
    pub facility: String,
    pub organisation: String,
    pub theme_means: Vec<Option<f64>>,
    pub overall: Option<f64>,
}

/// A statistic per theme across the facilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeStats {
    pub theme_id: String,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Facilities whose mean, as shown (`round1`), is below the gap limit (3.0 by default).
    pub below: Vec<String>,
}

/// The facilities of a year side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearMatrix {
    pub year: i32,
    pub model: String,
    pub themes: Vec<String>,
    /// Ranked by overall mean, highest first (no mean last).
    pub rows: Vec<MatrixRow>,
    pub stats: Vec<ThemeStats>,
    /// The theme-mean gap limit `below` lists against.
    pub below_limit: f64,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Builds a year's matrix from the assessments of that year (one pass; `below` is the
/// theme-mean gap limit).
pub fn year_matrix(
    frame: &Frame<'_>,
    year: i32,
    assessments: impl IntoIterator<Item = AssessmentScores>,
    below: f64,
) -> YearMatrix {
    let mut b = YearMatrixBuilder::new(frame, year, below);
    for a in assessments {
        b.add(&a);
    }
    b.finish()
}

/// Accumulates a year's matrix one assessment at a time, as the store streams them.
pub struct YearMatrixBuilder<'a> {
    frame: &'a Frame<'a>,
    year: i32,
    below: f64,
    rows: Vec<MatrixRow>,
}

impl<'a> YearMatrixBuilder<'a> {
    pub fn new(frame: &'a Frame<'a>, year: i32, below: f64) -> Self {
        YearMatrixBuilder {
            frame,
            year,
            below,
            rows: Vec::new(),
        }
    }

    /// Adds one assessment.
    pub fn add(&mut self, a: &AssessmentScores) {
        let (theme_means, overall) = self.frame.means(a);
        self.rows.push(MatrixRow {
            assessment_id: a.assessment_id,
            facility: a.facility.clone(),
            organisation: a.organisation.clone(),
            theme_means,
            overall,
        });
    }

    /// Whether no assessment was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The matrix: ranked, with the statistics per theme.
    pub fn finish(self) -> YearMatrix {
        let (frame, below) = (self.frame, self.below);
        let mut rows = self.rows;
        rows.sort_by(|a, b| {
            b.overall
                .unwrap_or(-1.0)
                .total_cmp(&a.overall.unwrap_or(-1.0))
                .then(a.facility.cmp(&b.facility))
        });
        let stats = frame
            .model
            .themes
            .iter()
            .enumerate()
            .map(|(t, theme)| {
                let values: Vec<f64> = rows.iter().filter_map(|r| r.theme_means[t]).collect();
                ThemeStats {
                    theme_id: theme.id.clone(),
                    mean: mean(&values),
                    median: median(values.clone()),
                    min: values.iter().copied().reduce(f64::min),
                    max: values.iter().copied().reduce(f64::max),
                    below: rows
                        .iter()
                        .filter(|r| {
                            r.theme_means[t].is_some_and(|m| crate::i18n::round1(m) < below)
                        })
                        .map(|r| r.facility.clone())
                        .collect(),
                }
            })
            .collect();
        YearMatrix {
            year: self.year,
            model: frame.model.id.clone(),
            themes: frame.model.themes.iter().map(|t| t.id.clone()).collect(),
            rows,
            stats,
            below_limit: below,
        }
    }
}

#[cfg(test)]
mod tests;
