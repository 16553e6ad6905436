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
        &*s.store,
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
    s.store = Box::new(demo);
    Ok(s.store.path().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::super::{Clock, assessments, facilities, scores};
    use super::*;
    use crate::assessment::{ScoreInput, ScoreValue, summarize};
    use crate::i18n::Lang;
    use crate::store::{Stamp, Store};

    fn session() -> Session {
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .unwrap()
            .to_utc();
        let stamp = Stamp { by: "t".into(), at };
        let mut s = Session::new(Store::open_in_memory(&stamp).unwrap(), Lang::En, "t".into());
        s.clock = Clock::Fixed(at);
        s
    }

    fn score(s: &mut Session, a: i64, id: &str, v: u8) -> Score {
        let input = ScoreInput {
            indicator_id: id.into(),
            value: ScoreValue::Scored(v),
            reasoning: Some(format!("why {id}")),
            sources: None,
        };
        scores::save_line(s, a, &input).unwrap()
    }

    #[test]
    fn the_home_list_groups_by_facility_newest_first_and_summaries_count_as_the_core() {
        let mut s = session();
        for name in ["Birkely", "Aslund"] {
            let new = NewFacility {
                name: name.into(),
                ..Default::default()
            };
            let f = facilities::add(&mut s, &new).unwrap();
            for year in [2024, 2026, 2025] {
                assessments::start(&mut s, &f, year, None, year != 2024).unwrap();
            }
        }
        let list = home(&s).unwrap();
        let names: Vec<&str> = list.iter().map(|(f, _)| f.name.as_str()).collect();
        assert_eq!(names, ["Aslund", "Birkely"]);
        for (f, rows) in &list {
            assert_eq!(
                rows.iter().map(|a| a.year).collect::<Vec<_>>(),
                [2026, 2025, 2024]
            );
            assert!(rows.iter().all(|a| a.facility_id == f.id));
        }
        let newest = list[0].1[0].id;
        let before = summaries(&s, &[&list[0].1[0]]).unwrap()[0].done;
        score(&mut s, newest, "1a", 2);
        score(&mut s, newest, "1b", 5);
        let briefs: Vec<&AssessmentBrief> = list.iter().flat_map(|(_, r)| r).collect();
        let got = summaries(&s, &briefs).unwrap();
        for (b, summary) in briefs.iter().zip(&got) {
            let model = s.store.model_by_hash(&b.model_hash).unwrap();
            let want = summarize(&model, &s.store.scores(b.id).unwrap());
            assert_eq!(summary.done, want.done, "assessment {}", b.id);
            assert_eq!(summary.overall_mean, want.overall_mean);
        }
        assert_eq!(got[0].done, before + 2);
    }

    #[test]
    fn undo_goes_through_the_write_rules_and_a_refusal_changes_nothing() {
        let mut s = session();
        let new = NewFacility {
            name: "Solhøj".into(),
            ..Default::default()
        };
        let f = facilities::add(&mut s, &new).unwrap();
        let a = assessments::start(&mut s, &f, 2026, None, false)
            .unwrap()
            .record;
        let first = score(&mut s, a.id, "1a", 3);
        score(&mut s, a.id, "1a", 5);
        scores::restore_score(&mut s, a.id, "1a", Some(&first)).unwrap();
        let now = s.store.scores(a.id).unwrap();
        assert_eq!(now[0].value, ScoreValue::Scored(3));
        // a value outside the model's scale is refused, and so is an unknown indicator
        let bad = Score {
            value: ScoreValue::Scored(9),
            ..first.clone()
        };
        assert!(scores::restore_score(&mut s, a.id, "1a", Some(&bad)).is_err());
        assert!(scores::restore_score(&mut s, a.id, "99z", None).is_err());
        assert_eq!(s.store.scores(a.id).unwrap(), now, "nothing changed");
        let open = open(&s, a.id).unwrap();
        assert_eq!(open.view.record.id, a.id);
        assert!(open.previous.is_none());
    }
}
