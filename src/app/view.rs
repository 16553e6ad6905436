//! The read model of an assessment: one function (`assessment_view`) builds everything a
//! face shows of an assessment (progress, means, gaps, actions with owner, due date and
//! overdue, last year's theme means) from the store's rows over the pure core, so that
//! every face shows the same numbers. Also the one rule for "the assessment of a facility
//! and year" where an import kept two (`chosen`), and the scores as `--json` writes them.

use super::Session;
use super::view_cache::ViewCache;
use crate::assessment::{self, GapEntry, GapReport, ImprovementAction, Score, Summary};
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::backend::Backend;
use crate::store::{AssessmentKey, AssessmentRecord, Facility, PreviousYear};
use std::collections::HashMap;
use std::rc::Rc;

mod chosen;

pub use chosen::{
    Chosen, Double, assessment_of, chosen, chosen_scores, chosen_where, implied_framework, the_one,
};

/// Everything a face shows of one assessment.
pub struct AssessmentView {
    pub record: AssessmentRecord,
    pub facility: Facility,
    pub model: Rc<QualityModel>,
    pub scores: Vec<Score>,
    /// Means by the model's rule, and progress (a carried-over score is not done).
    pub summary: Summary,
    pub gaps: GapReport,
    /// The gaps with their linked action plans and actions.
    pub entries: Vec<GapEntry>,
    /// Every improvement action of the assessment.
    pub actions: Vec<ImprovementAction>,
    /// The day "overdue" is measured against.
    pub today: chrono::NaiveDate,
    /// Last year's theme means on this model's themes (the chosen assessment of the
    /// latest earlier year).
    pub last_year: Option<(i32, Vec<Option<f64>>)>,
    /// The other assessments of the same facility, year and framework (after `import
    /// --keep-both`).
    pub twins: Vec<i64>,
    /// Whether this is the assessment `chosen` takes for its facility and year.
    pub is_chosen: bool,
}

impl AssessmentView {
    /// The score of an indicator.
    pub fn score(&self, indicator: &str) -> Option<&Score> {
        self.scores.iter().find(|s| s.indicator_id == indicator)
    }

    /// Open and past its due date, measured against the view's day.
    pub fn overdue(&self, action: &ImprovementAction) -> bool {
        action.overdue(self.today)
    }
}

/// The day in the session's local calendar.
pub fn today(session: &Session) -> chrono::NaiveDate {
    session
        .clock
        .now()
        .with_timezone(&chrono::Local)
        .date_naive()
}

/// The read model of an assessment, for the session's day.
pub fn assessment_view(session: &Session, a: &AssessmentRecord) -> Result<AssessmentView> {
    Viewer::new(&*session.store, today(session))?.view(a)
}

/// Builds the read models of many assessments (an export) with what they share read once:
/// the assessment keys behind `the_one` (by facility), the gap rules, the day, and the
/// strategies and mappings (`ViewCache`).
pub struct Viewer<'s> {
    store: &'s dyn Backend,
    by_facility: HashMap<i64, Vec<AssessmentKey>>,
    chosen: Chosen,
    rules: assessment::GapRules,
    today: chrono::NaiveDate,
    cache: ViewCache,
}

impl<'s> Viewer<'s> {
    /// A viewer on the store, with "overdue" measured against `today`.
    pub fn new(store: &'s dyn Backend, today: chrono::NaiveDate) -> Result<Viewer<'s>> {
        let keys = store.assessment_keys()?;
        let chosen = Chosen::from_keys(&keys);
        let mut by_facility: HashMap<i64, Vec<AssessmentKey>> = HashMap::new();
        for k in keys {
            by_facility.entry(k.facility_id).or_default().push(k);
        }
        Ok(Viewer {
            store,
            chosen,
            by_facility,
            rules: store.gap_rules()?,
            today,
            cache: ViewCache::default(),
        })
    }

    /// A viewer for the session's store and day.
    pub fn of(session: &'s Session) -> Result<Viewer<'s>> {
        Viewer::new(&*session.store, today(session))
    }

    /// The read model of one assessment.
    pub fn view(&self, a: &AssessmentRecord) -> Result<AssessmentView> {
        let store = self.store;
        let model = store.model_by_hash(&a.model_hash)?;
        let scores = store.scores(a.id)?;
        let summary = assessment::summarize(&model, &scores);
        let facility = store.facility_by_id(crate::store::FacilityId(a.facility_id))?;
        let strategies = self.cache.strategies(store, &facility, &model.id)?;
        let actions = store.assessment_actions(a.id)?;
        let gaps = assessment::find_gaps(&model, &scores, &self.rules);
        let entries = assessment::gap_entries(&model, &gaps, &strategies, &actions);
        let keys = self
            .by_facility
            .get(&a.facility_id)
            .map_or(&[][..], Vec::as_slice);
        let twins = keys
            .iter()
            .filter(|k| k.year == a.year && k.id != a.id)
            .filter(|k| k.framework == model.framework())
            .map(|k| k.id)
            .collect();
        let last_year = last_year(store, keys, &self.chosen, a, &model, &self.cache)?;
        Ok(AssessmentView {
            is_chosen: self.chosen.contains(a.id),
            record: a.clone(),
            facility,
            model,
            scores,
            summary,
            gaps,
            entries,
            actions,
            today: self.today,
            last_year,
            twins,
        })
    }
}

/// The chosen assessment (`the_one`) of the facility's latest earlier year, with its scores
/// and actions keyed by the indicator ids of `model` (through the mapping across versions).
pub fn previous_year(
    store: &dyn Backend,
    a: &AssessmentRecord,
    model: &QualityModel,
) -> Result<Option<PreviousYear>> {
    // the choice among a year's assessments is made per facility: its own keys will do
    let keys = store.assessment_keys_of(a.facility_id)?;
    previous_of(store, &keys, &Chosen::from_keys(&keys), a, model)
}

/// The previous year of `a` (as `previous_year`); `keys` holds at least the keys of
/// `a`'s facility.
pub(super) fn previous_of(
    store: &dyn Backend,
    keys: &[AssessmentKey],
    chosen: &Chosen,
    a: &AssessmentRecord,
    model: &QualityModel,
) -> Result<Option<PreviousYear>> {
    previous_cached(store, keys, chosen, a, model, &ViewCache::default())
}

/// The same, with the mappings kept in `cache` (an export's many views).
fn previous_cached(
    store: &dyn Backend,
    keys: &[AssessmentKey],
    chosen: &Chosen,
    a: &AssessmentRecord,
    model: &QualityModel,
    cache: &ViewCache,
) -> Result<Option<PreviousYear>> {
    let Some(prev) = keys
        .iter()
        .filter(|k| k.facility_id == a.facility_id && k.year < a.year && chosen.contains(k.id))
        .filter(|k| k.framework == model.framework())
        .max_by_key(|k| k.year)
    else {
        return Ok(None);
    };
    let record = store.assessment(&crate::store::AssessmentRef::Id(prev.id))?;
    let prev_model = store.model_by_hash(&record.model_hash)?;
    let mapping = cache.mapping(store, &prev_model.id, &model.id)?;
    let mapping = mapping.as_deref();
    let scores = store.scores(prev.id)?;
    let scores = assessment::map_scores(&prev_model, &scores, model, mapping)
        .into_iter()
        .map(|(id, s)| {
            let s = Score {
                indicator_id: id.clone(),
                ..s.clone()
            };
            (id, s)
        })
        .collect();
    let mut actions = store.assessment_actions(prev.id)?;
    for x in &mut actions {
        x.indicators = x
            .indicators
            .iter()
            .filter_map(|i| assessment::translate_id(&prev_model.id, model, mapping, i))
            .collect();
    }
    Ok(Some(PreviousYear {
        record,
        scores,
        actions,
    }))
}

/// Last year's theme means, seen on this assessment's model.
fn last_year(
    store: &dyn Backend,
    keys: &[AssessmentKey],
    chosen: &Chosen,
    a: &AssessmentRecord,
    model: &QualityModel,
    cache: &ViewCache,
) -> Result<Option<(i32, Vec<Option<f64>>)>> {
    Ok(
        previous_cached(store, keys, chosen, a, model, cache)?.map(|p| {
            let list: Vec<Score> = p.scores.into_values().collect();
            let s = assessment::summarize(model, &list);
            (p.record.year, s.themes.iter().map(|t| t.mean).collect())
        }),
    )
}

pub use super::view_json::{ActionJson, ScoreJson};

/// The read model for an export that streams many assessments (the workbook): what it
/// shows of each (means, progress, gaps with their plans and actions) by the same core
/// functions as `Viewer::view`, from the rows the export read in one pass; the strategies
/// are read once per organisation and model version, so nothing is queried per assessment.
pub struct StreamViewer<'s> {
    store: &'s dyn Backend,
    rules: assessment::GapRules,
    /// The day "overdue" is measured against.
    pub today: chrono::NaiveDate,
    cache: ViewCache,
}

/// What a streamed export shows of one assessment besides its rows.
pub struct StreamedView {
    pub summary: Summary,
    /// The gaps with their linked action plans and actions.
    pub entries: Vec<GapEntry>,
}

impl<'s> StreamViewer<'s> {
    /// A viewer for the session's store and day.
    pub fn of(session: &'s Session) -> Result<StreamViewer<'s>> {
        Ok(StreamViewer {
            store: &*session.store,
            rules: session.store.gap_rules()?,
            today: today(session),
            cache: ViewCache::default(),
        })
    }

    /// The read model of one assessment of `facility` on `model`, from its scores and actions.
    pub fn view(
        &mut self,
        model: &QualityModel,
        facility: &Facility,
        scores: &[Score],
        actions: &[ImprovementAction],
    ) -> Result<StreamedView> {
        let strategies = self.cache.strategies(self.store, facility, &model.id)?;
        let gaps = assessment::find_gaps(model, scores, &self.rules);
        Ok(StreamedView {
            summary: assessment::summarize(model, scores),
            entries: assessment::gap_entries(model, &gaps, &strategies, actions),
        })
    }
}
