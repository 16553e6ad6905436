//! What the terminal program's screens read: the home list (every facility with its
//! assessments) and its summaries a window at a time, the open assessment with what its
//! screens need besides the read model (last year, the gap rules, the action plans), what
//! a saved score changes of it, and the few reads of its forms (tags, models, the demo
//! database). Built so that a save on a nation's database reads one assessment, not all.

use super::Session;
use super::view::{AssessmentView, Chosen};
use crate::assessment::{
    FollowUp, GapEntry, GapRules, ImprovementAction, Score, Summary, find_gaps, gap_entries,
    summarize_marked,
};
use crate::error::Result;
use crate::model::{ApplicabilityTag, ModelMapping, QualityModel};
// the store's row types the terminal program shows and fills in, through this layer
pub use crate::store::{
    ActionChanges, AssessmentBrief, AssessmentRecord, CompareFilter, Facility, FacilityChanges,
    NewFacility, PreviousYear,
};
use crate::strategy::Strategy;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// The action plans that apply to an assessment, with the mapping onto its model.
pub type Strategies = Rc<Vec<(Strategy, Option<ModelMapping>)>>;

/// Every facility (not archived) by name, each with its assessments newest year first
/// (their summaries come from `summaries`, for the rows in view).
pub fn home(s: &Session) -> Result<Vec<(Facility, Vec<AssessmentBrief>)>> {
    let facilities = super::facilities::list(s, false)?;
    let mut by_facility: HashMap<i64, Vec<AssessmentBrief>> = HashMap::new();
    for a in s.store.assessment_briefs()? {
        by_facility.entry(a.facility_id).or_default().push(a);
    }
    Ok(facilities
        .into_iter()
        .map(|f| {
            let mut list = by_facility.remove(&f.id).unwrap_or_default();
            list.sort_by_key(|a| std::cmp::Reverse((a.year, a.id)));
            (f, list)
        })
        .collect())
}

/// The progress and means of these assessments (a carried-over score is not done), from
/// their score values read in one query.
pub fn summaries(s: &Session, assessments: &[&AssessmentBrief]) -> Result<Vec<Summary>> {
    let ids: Vec<i64> = assessments.iter().map(|a| a.id).collect();
    let values = s.store.score_values_of(&ids)?;
    assessments
        .iter()
        .map(|a| {
            let model = s.store.model_by_hash(&a.model_hash)?;
            let marked: HashMap<&str, _> = values
                .get(&a.id)
                .into_iter()
                .flatten()
                .map(|(i, v, carried)| (i.as_str(), (*v, *carried)))
                .collect();
            Ok(summarize_marked(&model, &marked))
        })
        .collect()
}

/// An open assessment: the read model, and what its screens need to follow its changes.
pub struct Opened {
    pub view: AssessmentView,
    /// The chosen assessment of the facility's latest earlier year, keyed by this model's ids.
    pub previous: Option<PreviousYear>,
    pub rules: GapRules,
    pub strategies: Strategies,
    /// What became of last year's gaps.
    pub follow_up: Vec<FollowUp>,
}

/// Opens an assessment by number.
pub fn open(s: &Session, id: i64) -> Result<Opened> {
    let record = super::assessments::by_id(s, id)?;
    let view = super::view::assessment_view(s, &record)?;
    // "the one" of a year depends on that facility's keys only
    let keys = s.store.assessment_keys_of(record.facility_id)?;
    let previous = super::view::previous_of(
        &s.store,
        &keys,
        &Chosen::from_keys(&keys),
        &record,
        &view.model,
    )?;
    let rules = super::gaps::rules(s)?;
    let strategies = Rc::new(s.store.strategies_for(&view.facility, &view.model.id)?);
    let follow_up = PreviousYear::follow_up(previous.as_ref(), &view.model, &view.scores, &rules);
    Ok(Opened {
        view,
        previous,
        rules,
        strategies,
        follow_up,
    })
}

/// What a changed score changes of an open assessment: its scores as saved, its gaps and
/// last year's follow-up by the same rules (the record, actions and last year stay).
#[derive(Debug, Clone)]
pub struct Rescored {
    pub scores: Vec<Score>,
    pub gaps: Vec<GapEntry>,
    pub follow_up: Vec<FollowUp>,
}

/// Reads an open assessment's scores again and works out its gaps and follow-up.
pub fn rescored(
    s: &Session,
    assessment: i64,
    model: &QualityModel,
    previous: Option<&PreviousYear>,
    rules: &GapRules,
    strategies: &Strategies,
    actions: &[ImprovementAction],
) -> Result<Rescored> {
    let scores = s.store.scores(assessment)?;
    let gaps = gap_entries(
        model,
        &find_gaps(model, &scores, rules),
        strategies,
        actions,
    );
    let follow_up = PreviousYear::follow_up(previous, model, &scores, rules);
    Ok(Rescored {
        scores,
        gaps,
        follow_up,
    })
}

/// The applicability tags the active models define, each once, with what it means.
pub fn tag_choices(s: &Session) -> Result<Vec<ApplicabilityTag>> {
    s.store.tag_choices()
}

/// The active models in force on some day of `year`, the default first.
pub fn models_for_year(s: &Session, year: i32) -> Result<Vec<Rc<QualityModel>>> {
    s.store.models_for_year(year)
}

/// Whether the session's database holds demo data.
pub fn is_demo(s: &Session) -> Result<bool> {
    s.store.is_demo()
}

/// Switches the session to the demo database beside the real one (generated the first
/// time), as strict as the real one; returns its path. The real database is untouched.
pub fn switch_to_demo(s: &mut Session) -> Result<PathBuf> {
    let stamp = s.stamp();
    let mut demo = crate::demo::open_demo(s.store.path(), &stamp)?;
    if s.store.strict() {
        demo.set_strict();
    }
    s.store = demo;
    Ok(s.store.path().to_path_buf())
}
