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
