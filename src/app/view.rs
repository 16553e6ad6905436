//! The read model of an assessment: one function (`assessment_view`) builds everything a
//! face shows of an assessment (progress, means, gaps, actions with owner, due date and
//! overdue, last year's theme means) from the store's rows over the pure core, so that
//! every face shows the same numbers. Also the one rule for "the assessment of a facility
//! and year" where an import kept two (`chosen`), and the scores as `--json` writes them.

use super::Session;
use super::view_cache::ViewCache;
use crate::assessment::{self, GapEntry, GapReport, ImprovementAction, Score, Status, Summary};
use crate::compare::AssessmentScores;
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::{AssessmentKey, AssessmentRecord, CompareFilter, Facility, PreviousYear, Store};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

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
    /// The other assessments of the same facility and year (after `import --keep-both`).
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
    Viewer::new(&session.store, today(session))?.view(a)
}

/// Builds the read models of many assessments (an export) with what they share read once:
/// the assessment keys behind `the_one` (by facility), the gap rules, the day, and the
/// strategies and mappings (`ViewCache`).
pub struct Viewer<'s> {
    store: &'s Store,
    by_facility: HashMap<i64, Vec<AssessmentKey>>,
    chosen: Chosen,
    rules: assessment::GapRules,
    today: chrono::NaiveDate,
    cache: ViewCache,
}

impl<'s> Viewer<'s> {
    /// A viewer on the store, with "overdue" measured against `today`.
    pub fn new(store: &'s Store, today: chrono::NaiveDate) -> Result<Viewer<'s>> {
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
        Viewer::new(&session.store, today(session))
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
    store: &Store,
    a: &AssessmentRecord,
    model: &QualityModel,
) -> Result<Option<PreviousYear>> {
    let keys = store.assessment_keys()?;
    previous_of(store, &keys, &Chosen::from_keys(&keys), a, model)
}

/// The previous year of `a` (as `previous_year`); `keys` holds at least the keys of
/// `a`'s facility.
pub(super) fn previous_of(
    store: &Store,
    keys: &[AssessmentKey],
    chosen: &Chosen,
    a: &AssessmentRecord,
    model: &QualityModel,
) -> Result<Option<PreviousYear>> {
    previous_cached(store, keys, chosen, a, model, &ViewCache::default())
}

/// The same, with the mappings kept in `cache` (an export's many views).
fn previous_cached(
    store: &Store,
    keys: &[AssessmentKey],
    chosen: &Chosen,
    a: &AssessmentRecord,
    model: &QualityModel,
    cache: &ViewCache,
) -> Result<Option<PreviousYear>> {
    let Some(prev) = keys
        .iter()
        .filter(|k| k.facility_id == a.facility_id && k.year < a.year && chosen.contains(k.id))
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
    store: &Store,
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

/// Which assessment is "the assessment of a facility and year" where there are two (after
/// `import --keep-both`): the finalised one, else the newest (the highest number). Every
/// comparison, trend and region statistic counts only these, so no facility counts twice.
pub fn the_one<'k>(
    candidates: impl IntoIterator<Item = &'k AssessmentKey>,
) -> Option<&'k AssessmentKey> {
    candidates
        .into_iter()
        .max_by_key(|k| (k.status == Status::Finalised, k.id))
}

/// The chosen assessments of every facility and year, kept as the ones passed over (few:
/// only a year that holds two has one), so that the rule needs only the keys of the
/// doubles.
#[derive(Debug, Clone, Default)]
pub struct Chosen {
    passed_over: HashSet<i64>,
    /// Per facility and year with more than one assessment: the chosen one and the others.
    pub doubles: Vec<Double>,
}

/// A facility and year with more than one assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Double {
    pub facility_id: i64,
    pub year: i32,
    pub chosen: i64,
    pub status: Status,
    pub others: Vec<i64>,
}

impl Chosen {
    /// The rule applied to these keys.
    pub fn from_keys(keys: &[AssessmentKey]) -> Chosen {
        let mut groups: HashMap<(i64, i32), Vec<&AssessmentKey>> = HashMap::new();
        for k in keys {
            groups.entry((k.facility_id, k.year)).or_default().push(k);
        }
        let mut chosen = Chosen::default();
        for ((facility_id, year), group) in groups {
            let Some(one) = the_one(group.iter().copied()) else {
                continue;
            };
            chosen
                .passed_over
                .extend(group.iter().map(|k| k.id).filter(|id| *id != one.id));
            if group.len() > 1 {
                let mut others: Vec<i64> = group
                    .iter()
                    .map(|k| k.id)
                    .filter(|id| *id != one.id)
                    .collect();
                others.sort();
                chosen.doubles.push(Double {
                    facility_id,
                    year,
                    chosen: one.id,
                    status: one.status,
                    others,
                });
            }
        }
        chosen.doubles.sort_by_key(|d| (d.year, d.facility_id));
        chosen
    }

    /// Whether the assessment with this number (one of the keys', or alone in its facility
    /// and year) is the chosen one of its facility and year.
    pub fn contains(&self, id: i64) -> bool {
        !self.passed_over.contains(&id)
    }
}

/// The chosen assessments of the store.
pub fn chosen(store: &Store) -> Result<Chosen> {
    Ok(Chosen::from_keys(&store.assessment_keys()?))
}

/// The chosen assessments among the filtered ones: the rule needs only the keys of the
/// facilities and years of the filter that hold more than one.
pub fn chosen_where(store: &Store, filter: &CompareFilter) -> Result<Chosen> {
    Ok(Chosen::from_keys(&store.double_keys_where(filter)?))
}

/// The filtered assessments with their scores, one per facility and year (`chosen`).
pub fn chosen_scores(store: &Store, filter: &CompareFilter) -> Result<Vec<AssessmentScores>> {
    let chosen = chosen_where(store, filter)?;
    let mut list = Vec::new();
    store.for_each_assessment_scores(filter, |a| {
        if chosen.contains(a.assessment_id) {
            list.push(a.clone());
        }
        Ok(())
    })?;
    Ok(list)
}

/// The assessment of a facility and year by the rule, where it has any.
pub fn assessment_of(store: &Store, facility_id: i64, year: Option<i32>) -> Result<Option<i64>> {
    let keys = store.assessment_keys()?;
    let mine: Vec<&AssessmentKey> = keys
        .iter()
        .filter(|k| k.facility_id == facility_id && year.is_none_or(|y| k.year == y))
        .collect();
    let Some(newest_year) = mine.iter().map(|k| k.year).max() else {
        return Ok(None);
    };
    Ok(the_one(mine.into_iter().filter(|k| k.year == newest_year)).map(|k| k.id))
}

pub use super::view_json::{ActionJson, ScoreJson};

/// The read model for an export that streams many assessments (the workbook): what it
/// shows of each (means, progress, gaps with their plans and actions) by the same core
/// functions as `Viewer::view`, from the rows the export read in one pass; the strategies
/// are read once per organisation and model version, so nothing is queried per assessment.
pub struct StreamViewer<'s> {
    store: &'s Store,
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
            store: &session.store,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, year: i32, status: Status) -> AssessmentKey {
        AssessmentKey {
            id,
            facility_id: 1,
            year,
            status,
        }
    }

    #[test]
    fn the_finalised_one_wins_else_the_newest() {
        let keys = [
            key(3, 2025, Status::Finalised),
            key(7, 2025, Status::Draft),
            key(4, 2026, Status::Draft),
            key(9, 2026, Status::Draft),
        ];
        let c = Chosen::from_keys(&keys);
        assert!(c.contains(3) && !c.contains(7));
        assert!(c.contains(9) && !c.contains(4));
        assert_eq!(c.doubles.len(), 2);
        assert_eq!(c.doubles[0].others, vec![7]);
        assert_eq!(the_one(&keys[..2]).map(|k| k.id), Some(3));
        assert_eq!(the_one(&[] as &[AssessmentKey]), None);
    }
}
