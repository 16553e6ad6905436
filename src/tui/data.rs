//! What the screens show, loaded from the store: the home list, and one open assessment
//! with last year's scores beside it.

use crate::assessment::{
    FollowUp, GapEntry, ImprovementAction, Score, Summary, find_gaps, gap_entries, summarize,
};
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::{AssessmentRecord, Facility, PreviousYear, Store};
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

/// A row of the home screen.
#[derive(Debug, Clone)]
pub enum HomeRow {
    Facility(Facility),
    /// An assessment; its summary is filled in when the row comes into view.
    Assessment {
        record: AssessmentRecord,
        summary: Option<HomeSummary>,
    },
}

/// How many rows around the selection get their summaries at a time.
pub const SUMMARY_WINDOW: usize = 80;

/// The facilities, each followed by its assessments, newest year first. Only the
/// assessments near the top get their summaries now (see `fill_summaries`), so the first
/// frame does not wait for every score of a nation.
pub fn load_home(store: &Store) -> Result<Vec<HomeRow>> {
    let facilities = store.facilities(false)?;
    let assessments = store.assessments_brief()?;
    let mut by_facility: HashMap<i64, Vec<AssessmentRecord>> = HashMap::new();
    for a in assessments {
        by_facility.entry(a.facility_id).or_default().push(a);
    }
    let mut rows = Vec::with_capacity(facilities.len() * 2);
    for f in facilities {
        let list = by_facility.remove(&f.id).unwrap_or_default();
        rows.push(HomeRow::Facility(f));
        rows.extend(list.into_iter().map(|record| HomeRow::Assessment {
            record,
            summary: None,
        }));
    }
    fill_summaries(store, &mut rows, 0)?;
    Ok(rows)
}

/// Computes the summaries of the assessment rows within a window around `around`.
pub fn fill_summaries(store: &Store, rows: &mut [HomeRow], around: usize) -> Result<()> {
    let from = around.saturating_sub(SUMMARY_WINDOW);
    let to = (around + SUMMARY_WINDOW).min(rows.len());
    for row in &mut rows[from..to] {
        if let HomeRow::Assessment {
            record,
            summary: summary @ None,
        } = row
        {
            let model = store.model_by_hash(&record.model_hash)?;
            let s = summarize(&model, &store.scores(record.id)?);
            *summary = Some(HomeSummary {
                done: s.done,
                total: s.total,
                theme_means: s.themes.iter().map(|t| t.mean).collect(),
                overall: s.overall_mean,
            });
        }
    }
    Ok(())
}

/// Whether the rows near `around` still need their summaries.
pub fn needs_summaries(rows: &[HomeRow], around: usize) -> bool {
    let from = around.saturating_sub(SUMMARY_WINDOW / 2);
    let to = (around + SUMMARY_WINDOW / 2).min(rows.len());
    rows[from..to]
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
}

/// Loads an assessment with its model, scores, gaps, actions, and last year's scores.
pub fn load_assessment(store: &Store, id: i64) -> Result<AssessmentView> {
    let record = store.assessment(&crate::store::AssessmentRef::Id(id))?;
    let model = store.model_by_hash(&record.model_hash)?;
    let list: Vec<Score> = store.scores(id)?;
    let previous = crate::app::view::previous_year(store, &record, &model)?;
    let rules = store.gap_rules()?;
    let facility = store.facility_by_id(crate::store::FacilityId(record.facility_id))?;
    let strategies = store.strategies_for(&facility, &model.id)?;
    let actions = store.actions(&crate::store::ActionFilter {
        assessment: Some(id),
        facility: None,
    })?;
    let gaps = gap_entries(
        &model,
        &find_gaps(&model, &list, &rules),
        &strategies,
        &actions,
    );
    let follow_up = crate::store::PreviousYear::follow_up(previous.as_ref(), &model, &list, &rules);
    let scores = list
        .into_iter()
        .map(|s| (s.indicator_id.clone(), s))
        .collect();
    Ok(AssessmentView {
        record,
        model,
        scores,
        previous,
        gaps,
        actions,
        follow_up,
    })
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
}

/// Loads the comparison for a facility, with the region heat map of `year` (its newest year by default).
pub fn load_compare(store: &Store, facility_id: i64, year: Option<i32>) -> Result<CompareView> {
    use crate::compare::{history, year_matrix};
    use crate::store::CompareFilter;
    let facility = store.facility_by_id(crate::store::FacilityId(facility_id))?;
    let filter = CompareFilter {
        facilities: Some(vec![facility_id]),
        ..Default::default()
    };
    let models = store.compare_frame(&filter, None)?;
    // one assessment per facility and year, by the one rule (import --keep-both makes two)
    let mut list = crate::app::view::chosen_scores(store, &filter)?;
    let mut years: Vec<i32> = list.iter().map(|a| a.year).collect();
    years.dedup();
    if years.is_empty() {
        return Err(crate::Error::NothingToCompare(facility.name.clone()));
    }
    list.reverse();
    let frame = models.frame();
    let h = history(
        &frame,
        &facility.name,
        &years,
        &list,
        store
            .gap_rules()?
            .for_model(&models.frame)
            .indicator_gap_max,
    );
    let means: Vec<Vec<Option<f64>>> = h
        .rows
        .iter()
        .filter(|r| r.level == crate::assessment::Level::Theme)
        .map(|r| r.cells.iter().map(|c| c.value()).collect())
        .collect();
    let idx = year
        .and_then(|y| years.iter().position(|x| *x == y))
        .unwrap_or(years.len() - 1);
    let region = CompareFilter {
        years: Some((years[idx], years[idx])),
        ..Default::default()
    };
    let region_models = store.compare_frame(&region, Some(&models.frame.id))?;
    let all = crate::app::view::chosen_scores(store, &region)?;
    let matrix = year_matrix(
        &region_models.frame(),
        years[idx],
        all,
        store
            .gap_rules()?
            .for_model(&region_models.frame)
            .mean_gap_below,
    );
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
    })
}
