//! What the screens show, loaded through the application layer: the home list, and one
//! open assessment with last year's scores beside it.

use crate::app::Session;
use crate::app::home::{
    AssessmentBrief, AssessmentRecord, Facility, PreviousYear, Rescored, Strategies,
};
use crate::assessment::{
    FollowUp, GapEntry, GapRules, ImprovementAction, Score, Summary, summarize,
};
use crate::error::Result;
use crate::model::QualityModel;
use std::collections::HashMap;
use std::rc::Rc;

/// An assessment's progress and theme means, as the home screen shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeSummary {
    pub done: usize,
    pub total: usize,
    pub theme_means: Vec<Option<f64>>,
    pub overall: Option<f64>,
}

impl HomeSummary {
    fn of(s: &Summary) -> HomeSummary {
        HomeSummary {
            done: s.done,
            total: s.total,
            theme_means: s.themes.iter().map(|t| t.mean).collect(),
            overall: s.overall_mean,
        }
    }
}

/// A row of the home screen.
#[derive(Debug, Clone)]
pub enum HomeRow {
    Facility(Facility),
    /// An assessment; its summary is filled in when the row comes into view.
    Assessment {
        record: AssessmentBrief,
        summary: Option<HomeSummary>,
        /// The framework of its model ("socialtilsyn", "sikkerhed"): a new assessment
        /// rolls forward only from one of its own framework.
        framework: std::rc::Rc<str>,
        /// Its model's lowest and highest scale value (1–5, 0–3): the profile runs between.
        scale: (u8, u8),
    },
}

/// How many rows around the selection get their summaries at a time.
pub const SUMMARY_WINDOW: usize = 80;

/// The facilities, each followed by its assessments, newest year first. Only the
/// assessments near the top get their summaries now (see `summaries_around`), so the
/// first frame does not wait for every score of a nation.
pub fn load_home(s: &Session) -> Result<Vec<HomeRow>> {
    let list = crate::app::home::home(s)?;
    let mut rows = Vec::with_capacity(list.iter().map(|(_, a)| a.len() + 1).sum());
    // a nation has a few model versions: each one's framework is looked up once
    type Shape = (std::rc::Rc<str>, (u8, u8));
    let mut shapes: std::collections::HashMap<std::rc::Rc<str>, Shape> = Default::default();
    for (f, assessments) in list {
        rows.push(HomeRow::Facility(f));
        for record in assessments {
            let (framework, scale) = match shapes.get(&record.model_hash) {
                Some(shape) => shape.clone(),
                None => {
                    let model = crate::app::exchange::model(s, &record.model_hash)?;
                    let shape: Shape = (model.framework().into(), model.scale_bounds());
                    shapes.insert(record.model_hash.clone(), shape.clone());
                    shape
                }
            };
            rows.push(HomeRow::Assessment {
                record,
                summary: None,
                framework,
                scale,
            });
        }
    }
    // the rows the first screen shows, and as many below: a first move reads the rest
    for (i, summary) in summaries_in(s, &rows, 0, SUMMARY_WINDOW / 2)? {
        set_summary(&mut rows, i, summary);
    }
    Ok(rows)
}

/// The summaries missing from the assessment rows within a window around `around`:
/// (row, summary), read in one pass.
pub fn summaries_around(
    s: &Session,
    rows: &[HomeRow],
    around: usize,
) -> Result<Vec<(usize, HomeSummary)>> {
    summaries_in(
        s,
        rows,
        around.saturating_sub(SUMMARY_WINDOW),
        around + SUMMARY_WINDOW,
    )
}

fn summaries_in(
    s: &Session,
    rows: &[HomeRow],
    from: usize,
    to: usize,
) -> Result<Vec<(usize, HomeSummary)>> {
    let to = to.min(rows.len());
    let missing: Vec<(usize, &AssessmentBrief)> = rows[from.min(to)..to]
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            HomeRow::Assessment {
                record,
                summary: None,
                ..
            } => Some((from + i, record)),
            _ => None,
        })
        .collect();
    let records: Vec<&AssessmentBrief> = missing.iter().map(|(_, r)| *r).collect();
    let summaries = crate::app::home::summaries(s, &records)?;
    Ok(missing
        .iter()
        .map(|(i, _)| *i)
        .zip(summaries.iter().map(HomeSummary::of))
        .collect())
}

/// Puts a summary into its row (a row that is no longer an assessment keeps nothing).
pub fn set_summary(rows: &mut [HomeRow], i: usize, s: HomeSummary) {
    if let Some(HomeRow::Assessment { summary, .. }) = rows.get_mut(i) {
        *summary = Some(s);
    }
}

/// Whether the rows near `around` still need their summaries.
pub fn needs_summaries(rows: &[HomeRow], around: usize) -> bool {
    let from = around.saturating_sub(SUMMARY_WINDOW / 2);
    let to = (around + SUMMARY_WINDOW / 2).min(rows.len());
    rows[from.min(to)..to]
        .iter()
        .any(|r| matches!(r, HomeRow::Assessment { summary: None, .. }))
}

/// An open assessment.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub record: AssessmentRecord,
    pub model: Rc<QualityModel>,
    pub scores: HashMap<String, Score>,
    /// The facility's latest earlier assessment, its scores and actions keyed by this model's ids.
    pub previous: Option<PreviousYear>,
    /// The gaps by the database's rules, with their action plans and actions.
    pub gaps: Vec<GapEntry>,
    /// This assessment's improvement actions.
    pub actions: Vec<ImprovementAction>,
    /// What became of last year's indicator gaps.
    pub follow_up: Vec<FollowUp>,
    /// The gap rules and action plans the gaps were found by (a save finds them again).
    pub rules: GapRules,
    pub strategies: Strategies,
}

impl AssessmentView {
    /// The scores as a list, for the core's functions.
    pub fn score_list(&self) -> Vec<Score> {
        self.scores.values().cloned().collect()
    }

    /// The means and progress.
    pub fn summary(&self) -> Summary {
        summarize(&self.model, &self.score_list())
    }

    /// Takes in what a changed score changed: the scores, the gaps, the follow-up.
    pub fn rescored(&mut self, r: Rescored) {
        self.scores = by_indicator(r.scores);
        self.gaps = r.gaps;
        self.follow_up = r.follow_up;
    }
}

fn by_indicator(list: Vec<Score>) -> HashMap<String, Score> {
    list.into_iter()
        .map(|s| (s.indicator_id.clone(), s))
        .collect()
}

/// Loads an assessment with its model, scores, gaps, actions, and last year's scores.
pub fn load_assessment(s: &Session, id: i64) -> Result<AssessmentView> {
    let o = crate::app::home::open(s, id)?;
    Ok(AssessmentView {
        record: o.view.record,
        model: o.view.model,
        scores: by_indicator(o.view.scores),
        previous: o.previous,
        gaps: o.view.entries,
        actions: o.view.actions,
        follow_up: o.follow_up,
        rules: o.rules,
        strategies: o.strategies,
    })
}

/// What a changed score changes of the open assessment, read from the session.
pub fn rescore(s: &Session, v: &AssessmentView) -> Result<Rescored> {
    crate::app::home::rescored(
        s,
        v.record.id,
        &v.model,
        v.previous.as_ref(),
        &v.rules,
        &v.strategies,
        &v.actions,
    )
}

/// What the Compare screen shows: one facility's theme means over the years, and the
/// facilities of one year side by side.
#[derive(Debug, Clone)]
pub struct CompareView {
    pub facility_id: i64,
    pub facility: String,
    pub model_id: String,
    /// Theme number and title of the frame model.
    pub themes: Vec<(u32, String)>,
    pub years: Vec<i32>,
    /// The facility's theme means: `[theme][year]`.
    pub means: Vec<Vec<Option<f64>>>,
    /// The year the heat map shows (an index into `years`).
    pub year: usize,
    pub matrix: crate::compare::YearMatrix,
    /// The frame model's lowest and highest scale value.
    pub scale: (u8, u8),
    /// What the frame model calls a theme (tema, område …).
    pub theme_level: crate::model::LevelName,
    /// The framework compared within (`None`: the quality model).
    pub framework: Option<String>,
}

/// Loads the comparison for a facility, with the region heat map of `year` (its newest year by default).
pub fn load_compare(
    s: &Session,
    facility_id: i64,
    year: Option<i32>,
    framework: Option<String>,
) -> Result<CompareView> {
    use crate::app::home::CompareFilter;
    let facility = crate::app::facilities::by_id(s, facility_id)?;
    let filter = CompareFilter {
        facilities: Some(vec![facility_id]),
        framework: framework.clone(),
        ..Default::default()
    };
    // one assessment per facility and year, by the one rule (import --keep-both makes two)
    let Some((h, models)) = crate::app::compare::history(s, &facility, &filter, None)? else {
        return Err(crate::Error::NothingToCompare(facility.name.clone()));
    };
    let years = h.years.clone();
    let means: Vec<Vec<Option<f64>>> = h
        .rows
        .iter()
        .filter(|r| r.level == crate::assessment::Level::Theme)
        .map(|r| r.cells.iter().map(|c| c.value()).collect())
        .collect();
    let idx = year
        .and_then(|y| years.iter().position(|x| *x == y))
        .unwrap_or(years.len() - 1);
    let Some((matrix, _)) = crate::app::compare::year(
        s,
        &CompareFilter {
            framework: framework.clone(),
            ..Default::default()
        },
        years[idx],
        Some(&models.frame.id),
    )?
    else {
        return Err(crate::Error::NothingToCompare(facility.name.clone()));
    };
    Ok(CompareView {
        facility_id,
        facility: facility.name,
        model_id: models.frame.id.clone(),
        themes: models
            .frame
            .themes
            .iter()
            .map(|t| (t.number, t.title.da.clone()))
            .collect(),
        years,
        means,
        year: idx,
        matrix,
        scale: models.frame.scale_bounds(),
        theme_level: models.frame.levels().theme.clone(),
        framework,
    })
}
