//! What the screens show, loaded from the store: the home list, and one open assessment
//! with last year's scores beside it.

use crate::assessment::{
    FollowUp, GapEntry, ImprovementAction, Score, Summary, find_gaps, follow_up, gap_entries,
    summarize,
};
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::{AssessmentRecord, Facility, PreviousYear, Store};
use std::collections::HashMap;
use std::rc::Rc;

/// A row of the home screen.
#[derive(Debug, Clone)]
pub enum HomeRow {
    Facility(Facility),
    Assessment {
        record: AssessmentRecord,
        done: usize,
        total: usize,
        theme_means: Vec<Option<f64>>,
        overall: Option<f64>,
    },
}

/// The facilities, each followed by its assessments, newest year first.
pub fn load_home(store: &Store) -> Result<Vec<HomeRow>> {
    let facilities = store.facilities(false)?;
    let assessments = store.assessments(None)?;
    let mut rows = Vec::new();
    for f in facilities {
        let id = f.id;
        rows.push(HomeRow::Facility(f));
        for a in assessments.iter().filter(|a| a.facility_id == id) {
            let model = store.model_by_hash(&a.model_hash)?;
            let s = summarize(&model, &store.scores(a.id)?);
            rows.push(HomeRow::Assessment {
                record: a.clone(),
                done: s.done,
                total: s.total,
                theme_means: s.themes.iter().map(|t| t.mean).collect(),
                overall: s.overall_mean,
            });
        }
    }
    Ok(rows)
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
    let previous = store.previous_year(record.facility_id, record.year, &model)?;
    let rules = store.gap_rules()?;
    let facility = store.find_facility(&record.facility_id.to_string())?;
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
    let last: Vec<(&str, crate::assessment::ScoreValue)> = previous
        .iter()
        .flat_map(|p| p.scores.iter().map(|(i, s)| (i.as_str(), s.value)))
        .collect();
    let follow_up = follow_up(&model, &last, &list, &rules);
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
    let facility = store.find_facility(&facility_id.to_string())?;
    let filter = CompareFilter {
        facilities: Some(vec![facility_id]),
        ..Default::default()
    };
    let models = store.compare_frame(&filter, None)?;
    let mut list = Vec::new();
    store.for_each_assessment_scores(&filter, |a| {
        list.push(a);
        Ok(())
    })?;
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
        store.gap_rules()?.indicator_gap_max,
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
    let mut all = Vec::new();
    store.for_each_assessment_scores(&region, |a| {
        all.push(a);
        Ok(())
    })?;
    let matrix = year_matrix(
        &region_models.frame(),
        years[idx],
        all,
        store.gap_rules()?.mean_gap_below,
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
