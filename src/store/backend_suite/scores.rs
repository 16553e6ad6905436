//! The suite's assessments, scores and improvement actions: starting (applicability,
//! roll-forward), look-ups and lists, sign-off and reopening, moving a draft, undo, the
//! actions' done/dropped rule, and the audit rows they leave. The models come from the
//! bundled files, so these run on a backend before its `ModelVersions` does.

use super::{input, new_facility, stamp};
use crate::assessment::{
    self, ActionStatus, NewAction, PersonalDataPolicy, ScoreInput, ScoreValue, Status,
};
use crate::error::Error;
use crate::model::{QualityModel, ThemeScore};
use crate::store::backend::{Actions, Assessments, AuditChain, Facilities, Scores, Settings};
use crate::store::{ActionChanges, ActionFilter, AssessmentRecord, AssessmentRef, Facility};

/// A bundled model version by its id.
pub(crate) fn bundled(id: &str) -> QualityModel {
    crate::model::bundled_models()
        .into_iter()
        .find(|m| m.id == id)
        .expect("a bundled model")
}

/// Scores every indicator of `model` not scored yet with 3.
pub(crate) fn score_all<B: Scores + ?Sized>(b: &mut B, a: i64, model: &QualityModel) {
    let done: Vec<String> = b
        .scores(a)
        .unwrap()
        .into_iter()
        .map(|s| s.indicator_id)
        .collect();
    for r in model.indicators() {
        if !done.contains(&r.indicator.id) {
            b.set_score(a, &input(&r.indicator.id, 3), &stamp())
                .unwrap();
        }
    }
}

fn start<B: Assessments + ?Sized>(
    b: &mut B,
    f: &Facility,
    year: i32,
    m: &QualityModel,
) -> AssessmentRecord {
    b.start_assessment(f, year, m, false, &stamp()).unwrap()
}

/// A new assessment marks what does not apply to the facility; a roll-forward copies the
/// latest earlier one in, each score "not re-assessed" until confirmed or changed.
pub(crate) fn a_roll_forward_carries_last_years_scores_until_confirmed<
    B: Facilities + Assessments + Scores + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let f = b
        .add_facility(&new_facility("Solhøj", &["board"]), &stamp())
        .unwrap();
    assert!(matches!(
        b.start_assessment(&f, 2025, &m, true, &stamp()),
        Err(Error::NothingToRollForward(_))
    ));
    let last = start(b, &f, 2025, &m);
    assert_eq!(last.done, 1);
    let special = ScoreInput {
        sources: Some("tilsynsrapport".into()),
        ..input("1a", 4)
    };
    b.set_score(last.id, &special, &stamp()).unwrap();
    score_all(b, last.id, &m);
    b.finalise(last.id, "Forstander Mette", &stamp()).unwrap();
    let next = b.start_assessment(&f, 2026, &m, true, &stamp()).unwrap();
    assert_eq!((next.done, next.status), (30, Status::Draft));
    let scores = b.scores(next.id).unwrap();
    let one_a = scores.iter().find(|s| s.indicator_id == "1a").unwrap();
    assert_eq!(
        (
            one_a.value,
            one_a.reasoning.as_str(),
            one_a.sources.as_str(),
            one_a.carried_over
        ),
        (ScoreValue::Scored(4), "why 1a", "tilsynsrapport", true)
    );
    let two_d = scores.iter().find(|s| s.indicator_id == "2d").unwrap();
    assert_eq!(
        (two_d.value, two_d.carried_over),
        (ScoreValue::NotRelevant, false)
    );
    let carried = b.carried_over_scores().unwrap();
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[&next.id].len(), 29);
    assert!(!carried[&next.id].contains("2d"));
    let marks = b.score_values_of(&[last.id, next.id, 9999]).unwrap();
    assert_eq!(marks.len(), 2);
    assert!(marks[&last.id].iter().all(|(_, _, c)| !c));
    assert_eq!(marks[&next.id].iter().filter(|(_, _, c)| *c).count(), 29);
    assert!(marks[&next.id].contains(&("1a".to_string(), ScoreValue::Scored(4), true)));
    match b
        .finalise(next.id, "Forstander Mette", &stamp())
        .unwrap_err()
    {
        Error::NotReassessed { indicators, .. } => assert_eq!(indicators.len(), 29),
        other => panic!("{other}"),
    }
    assert!(b.confirm_score(next.id, "1A", &stamp()).unwrap());
    assert!(!b.confirm_score(next.id, "1a", &stamp()).unwrap());
    assert!(matches!(
        b.confirm_score(next.id, "99z", &stamp()),
        Err(Error::UnknownIndicator { .. })
    ));
    b.set_score(next.id, &input("1b", 2), &stamp()).unwrap();
    let carried = b.carried_over_scores().unwrap();
    assert_eq!(carried[&next.id].len(), 27);
    assert!(!carried[&next.id].contains("1a") && !carried[&next.id].contains("1b"));
    assert!(matches!(
        b.start_assessment(&f, 2026, &m, false, &stamp()),
        Err(Error::AssessmentExists { year: 2026, id, .. }) if id == next.id
    ));
    let g = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    b.archive_facility(&g.id.to_string(), &stamp()).unwrap();
    let archived = b.find_facility("Nyhuset").unwrap();
    assert!(matches!(
        b.start_assessment(&archived, 2027, &m, false, &stamp()),
        Err(Error::FacilityArchived(_))
    ));
}

/// A roll-forward from an earlier model version brings its scores under the later
/// version's ids through the bundled mapping between the two.
pub(crate) fn a_roll_forward_across_versions_goes_through_the_mapping<
    B: Facilities + Assessments + Scores + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let old = bundled("socialtilsyn-2014");
    let mapping = crate::model::bundled_mappings(&crate::model::bundled_models())
        .into_iter()
        .find(|x| [&x.from, &x.to] == [&old.id, &m.id]);
    assert!(mapping.is_some());
    let g = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    // across model versions: the earlier version's scores arrive under the later one's ids
    let old = bundled("socialtilsyn-2014");
    let first = start(b, &g, 2015, &old);
    score_all(b, first.id, &old);
    let rolled = b.start_assessment(&g, 2026, &m, true, &stamp()).unwrap();
    let before = b.scores(first.id).unwrap();
    let mut expected: Vec<String> = assessment::map_scores(&old, &before, &m, mapping.as_ref())
        .into_keys()
        .filter(|id| {
            m.indicator(id)
                .is_some_and(|r| r.indicator.applicability(&g.tags).is_none())
        })
        .collect();
    expected.sort();
    let mut got: Vec<String> = b.carried_over_scores().unwrap()[&rolled.id]
        .iter()
        .cloned()
        .collect();
    got.sort();
    assert!(!got.is_empty());
    assert_eq!(got, expected);
}

/// A year holds one assessment per framework: a safety self-evaluation beside the quality
/// assessment, each rolled forward only from its own framework's.
pub(crate) fn each_framework_holds_its_own_assessment_of_a_year<
    B: Facilities + Assessments + Scores + ?Sized,
>(
    b: &mut B,
) {
    let (quality, safety) = (bundled("socialtilsyn-2017"), bundled("sikkerhed-2017"));
    assert_ne!(quality.framework(), safety.framework());
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let q25 = start(b, &f, 2025, &quality);
    score_all(b, q25.id, &quality);
    assert!(matches!(
        b.start_assessment(&f, 2026, &safety, true, &stamp()),
        Err(Error::NothingToRollForward(_))
    ));
    let s26 = start(b, &f, 2026, &safety);
    let first = safety.indicators().next().unwrap().indicator.id.clone();
    b.set_score(s26.id, &input(&first, 2), &stamp()).unwrap();
    let q26 = b
        .start_assessment(&f, 2026, &quality, true, &stamp())
        .unwrap();
    assert!(matches!(
        b.start_assessment(&f, 2026, &safety, false, &stamp()),
        Err(Error::AssessmentExists { id, .. }) if id == s26.id
    ));
    let s27 = b
        .start_assessment(&f, 2027, &safety, true, &stamp())
        .unwrap();
    let carried = b.carried_over_scores().unwrap();
    assert_eq!(carried[&s27.id].iter().collect::<Vec<_>>(), [&first]);
    let applies = quality
        .indicators()
        .filter(|r| r.indicator.applicability(&f.tags).is_none())
        .count();
    assert_eq!(carried[&q26.id].len(), applies);
    assert!(applies < b.scores(q25.id).unwrap().len());
    let by_year: Vec<(i32, String)> = b
        .assessments(Some(&f))
        .unwrap()
        .into_iter()
        .map(|a| (a.year, a.model_id))
        .collect();
    assert_eq!(by_year.len(), 4);
    assert_eq!(by_year[0], (2027, safety.id.clone()));
}

/// Assessments are found by number or by facility and year, and listed by facility name,
/// newest year first; the brief list has the same rows without their progress.
pub(crate) fn assessments_are_found_and_listed<B: Facilities + Assessments + Scores + ?Sized>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let ny = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    let ba = b
        .add_facility(&new_facility("Bakkely", &["children"]), &stamp())
        .unwrap();
    let n25 = start(b, &ny, 2025, &m);
    let n26 = start(b, &ny, 2026, &m);
    let b26 = start(b, &ba, 2026, &m);
    b.set_score(n26.id, &input("1a", 2), &stamp()).unwrap();
    let found = b
        .assessment(&AssessmentRef::FacilityYear("nyhuset".into(), 2026))
        .unwrap();
    assert_eq!(
        (found.id, found.facility.as_str(), found.year),
        (n26.id, "Nyhuset", 2026)
    );
    assert_eq!(found.done, b.scores(n26.id).unwrap().len());
    assert_eq!(b.assessment(&AssessmentRef::Id(b26.id)).unwrap(), b26);
    for missing in [
        AssessmentRef::Id(9999),
        AssessmentRef::FacilityYear("Nyhuset".into(), 2020),
    ] {
        assert!(matches!(
            b.assessment(&missing),
            Err(Error::UnknownAssessment(_))
        ));
    }
    assert!(matches!(
        b.assessment(&AssessmentRef::FacilityYear("Ukendt".into(), 2026)),
        Err(Error::UnknownFacility(_))
    ));
    let all = b.assessments(None).unwrap();
    let ids: Vec<i64> = all.iter().map(|a| a.id).collect();
    assert_eq!(ids, [b26.id, n26.id, n25.id]);
    assert_eq!(all[1].done, found.done);
    assert_eq!(b.assessments(Some(&ny)).unwrap(), all[1..]);
    let brief = b.assessments_brief().unwrap();
    assert_eq!(brief.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
    assert!(brief.iter().all(|a| a.done == 0));
    assert_eq!(
        AssessmentRecord {
            done: all[0].done,
            ..brief[0].clone()
        },
        all[0]
    );
}

/// Sign-off is refused while anything is unscored and once signed; it locks the scores
/// until a reopen with its reason; a signer's personal identifier is refused when strict.
pub(crate) fn sign_off_and_reopen_refuse_what_does_not_fit<
    B: Facilities + Settings + Assessments + Scores + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let f = b
        .add_facility(&new_facility("Solhøj", &["board"]), &stamp())
        .unwrap();
    let a = start(b, &f, 2026, &m);
    assert!(matches!(
        b.reopen(a.id, "rettelse", &stamp()),
        Err(Error::NotFinalised(_))
    ));
    assert!(matches!(
        b.finalise(9999, "Mette", &stamp()),
        Err(Error::UnknownAssessment(_))
    ));
    match b.finalise(a.id, "Mette", &stamp()).unwrap_err() {
        Error::Unscored { indicators, .. } => assert_eq!(indicators.len(), 29),
        other => panic!("{other}"),
    }
    score_all(b, a.id, &m);
    b.set_personal_data_policy(PersonalDataPolicy::Strict, &stamp())
        .unwrap();
    assert!(matches!(
        b.finalise(a.id, "Mette 010203-1234", &stamp()),
        Err(Error::TextRefused(_))
    ));
    assert_eq!(
        b.assessment(&AssessmentRef::Id(a.id)).unwrap().status,
        Status::Draft
    );
    let signed = b.finalise(a.id, "Forstander Mette", &stamp()).unwrap();
    assert_eq!(
        signed.finalised_at.as_deref(),
        Some("1970-01-01T00:00:00.000Z")
    );
    assert!(matches!(
        b.finalise(a.id, "Mette", &stamp()),
        Err(Error::Finalised(_))
    ));
    let before = b.scores(a.id).unwrap();
    assert!(matches!(
        b.confirm_score(a.id, "1a", &stamp()),
        Err(Error::Finalised(_))
    ));
    assert!(matches!(
        b.restore_score(a.id, "1a", None, &stamp()),
        Err(Error::Finalised(_))
    ));
    assert_eq!(b.scores(a.id).unwrap(), before);
    assert!(matches!(
        b.reopen(a.id, "  ", &stamp()),
        Err(Error::Empty("reason"))
    ));
    assert!(matches!(
        b.reopen(a.id, "ring 010203-1234", &stamp()),
        Err(Error::TextRefused(_))
    ));
    let open = b
        .reopen(a.id, " Tilsynet bad om en rettelse ", &stamp())
        .unwrap();
    assert_eq!(
        (open.status, open.finalised_by, open.finalised_at),
        (Status::Draft, None, None)
    );
    b.restore_score(a.id, "1a", None, &stamp()).unwrap();
    assert_eq!(b.scores(a.id).unwrap().len(), before.len() - 1);
}

/// A draft moves to another version of its model (stored where new); a finalised one is refused.
pub(crate) fn a_draft_moves_to_another_version_and_a_signed_one_does_not<
    B: Facilities + Assessments + Scores + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let a = start(b, &f, 2026, &m);
    b.set_score(a.id, &input("1a", 4), &stamp()).unwrap();
    let scores = b.scores(a.id).unwrap();
    let mut next = m.clone();
    next.theme_score = Some(match m.theme_score() {
        ThemeScore::IndicatorMean => ThemeScore::CriterionMean,
        ThemeScore::CriterionMean => ThemeScore::IndicatorMean,
    });
    assert_ne!(next.content_hash(), m.content_hash());
    b.move_draft_to_version(a.id, &next, "regel", &stamp())
        .unwrap();
    let moved = b.assessment(&AssessmentRef::Id(a.id)).unwrap();
    assert_eq!(
        (moved.model_id.as_str(), moved.model_hash.clone()),
        (m.id.as_str(), next.content_hash())
    );
    assert_eq!(b.scores(a.id).unwrap(), scores);
    // back to the version it came from (held already), and on with the moved-to rules
    b.move_draft_to_version(a.id, &m, "regel", &stamp())
        .unwrap();
    b.move_draft_to_version(a.id, &next, "regel", &stamp())
        .unwrap();
    assert!(matches!(
        b.move_draft_to_version(9999, &next, "regel", &stamp()),
        Err(Error::UnknownAssessment(_))
    ));
    score_all(b, a.id, &next);
    b.finalise(a.id, "Mette", &stamp()).unwrap();
    assert!(matches!(
        b.move_draft_to_version(a.id, &m, "regel", &stamp()),
        Err(Error::Finalised(_))
    ));
    assert_eq!(
        b.assessment(&AssessmentRef::Id(a.id)).unwrap().model_hash,
        next.content_hash()
    );
}

/// Undo puts a score back as it was, or takes it away where there was none.
pub(crate) fn undo_puts_a_score_back_as_it_was<B: Facilities + Assessments + Scores + ?Sized>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let a = start(b, &f, 2026, &m);
    b.set_score(a.id, &input("3a", 2), &stamp()).unwrap();
    let find = |b: &B| {
        b.scores(a.id)
            .unwrap()
            .into_iter()
            .find(|s| s.indicator_id == "3a")
    };
    let first = find(b).unwrap();
    let later = crate::store::Stamp {
        by: "anden".into(),
        at: chrono::DateTime::UNIX_EPOCH + chrono::Duration::hours(1),
    };
    let second = b.set_score(a.id, &input("3a", 5), &later).unwrap();
    assert_eq!(find(b).unwrap(), second);
    b.restore_score(a.id, "3a", Some(&first), &stamp()).unwrap();
    assert_eq!(find(b).unwrap(), first);
    b.restore_score(a.id, "3a", None, &stamp()).unwrap();
    assert!(find(b).is_none());
}

/// Improvement actions: checked when added, changed until done or dropped (dropping
/// needs a reason), listed by facility, year and number.
pub(crate) fn actions_follow_the_done_and_dropped_rule<
    B: Facilities + Assessments + Actions + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let ny = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    let ba = b
        .add_facility(&new_facility("Bakkely", &[]), &stamp())
        .unwrap();
    let a = start(b, &ny, 2026, &m);
    let c = start(b, &ba, 2026, &m);
    let new = |text: &str, indicators: &[&str]| NewAction {
        text: text.into(),
        indicators: indicators.iter().map(|i| i.to_string()).collect(),
        action_plan: None,
        owner: " Mette ".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
    };
    assert!(matches!(
        b.add_action(a.id, &new(" ", &["1a"]), &stamp()),
        Err(Error::Empty("text"))
    ));
    assert!(matches!(
        b.add_action(a.id, &new("Kursus", &[]), &stamp()),
        Err(Error::Empty("indicator"))
    ));
    assert!(matches!(
        b.add_action(a.id, &new("Kursus", &["99z"]), &stamp()),
        Err(Error::UnknownIndicator { .. })
    ));
    let planned = NewAction {
        action_plan: Some("ingen-plan".into()),
        ..new("Kursus", &["1a"])
    };
    assert!(matches!(
        b.add_action(a.id, &planned, &stamp()),
        Err(Error::UnknownActionPlan(_))
    ));
    assert!(matches!(
        b.add_action(9999, &new("Kursus", &["1a"]), &stamp()),
        Err(Error::UnknownAssessment(_))
    ));
    let x = b
        .add_action(
            a.id,
            &new(" Kursus i dokumentation ", &["6B", "1a", "6b"]),
            &stamp(),
        )
        .unwrap();
    assert_eq!(
        (
            x.text.as_str(),
            x.owner.as_str(),
            x.indicators.clone(),
            x.status,
            x.facility.as_str(),
            x.year
        ),
        (
            "Kursus i dokumentation",
            "Mette",
            vec!["1a".to_string(), "6b".to_string()],
            ActionStatus::Planned,
            "Nyhuset",
            2026
        )
    );
    assert_eq!(b.action(x.id).unwrap(), x);
    assert!(matches!(b.action(9999), Err(Error::UnknownAction(9999))));
    let planned = NewAction {
        action_plan: Some(" RM-06 ".into()),
        ..new("Personalemøde", &["2a"])
    };
    let y = b.add_action(a.id, &planned, &stamp()).unwrap();
    assert_eq!(
        (y.strategy_id.as_deref(), y.action_plan.as_deref()),
        (Some("rm-social-strategi"), Some("RM-06"))
    );
    let local = ActionChanges {
        action_plan: Some(None),
        ..Default::default()
    };
    let y = b.edit_action(y.id, &local, &stamp()).unwrap();
    assert_eq!((y.strategy_id, y.action_plan.clone()), (None, None));
    let z = b
        .add_action(c.id, &new("Ny procedure", &["3a"]), &stamp())
        .unwrap();
    let change = ActionChanges {
        owner: Some("Jens".into()),
        due: Some(None),
        status: Some(ActionStatus::InProgress),
        ..Default::default()
    };
    let edited = b.edit_action(x.id, &change, &stamp()).unwrap();
    assert_eq!(
        (edited.owner.as_str(), edited.due, edited.status),
        ("Jens", None, ActionStatus::InProgress)
    );
    assert_eq!(edited.text, x.text);
    let drop = |reason: Option<&str>| ActionChanges {
        status: Some(ActionStatus::Dropped),
        drop_reason: reason.map(String::from),
        ..Default::default()
    };
    assert!(matches!(
        b.edit_action(x.id, &drop(None), &stamp()),
        Err(Error::Empty("reason"))
    ));
    assert!(matches!(
        b.edit_action(x.id, &drop(Some(" ")), &stamp()),
        Err(Error::Empty("reason"))
    ));
    let empty = ActionChanges {
        text: Some(" ".into()),
        ..Default::default()
    };
    assert!(matches!(
        b.edit_action(x.id, &empty, &stamp()),
        Err(Error::Empty("text"))
    ));
    assert!(matches!(
        b.edit_action(9999, &empty, &stamp()),
        Err(Error::UnknownAction(_))
    ));
    assert_eq!(b.action(x.id).unwrap(), edited);
    let dropped = b
        .edit_action(x.id, &drop(Some(" Ikke længere aktuelt ")), &stamp())
        .unwrap();
    assert_eq!(
        (dropped.status, dropped.drop_reason.as_deref()),
        (ActionStatus::Dropped, Some("Ikke længere aktuelt"))
    );
    let done = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    b.edit_action(y.id, &done, &stamp()).unwrap();
    for id in [x.id, y.id] {
        let change = ActionChanges {
            owner: Some("Ny".into()),
            ..Default::default()
        };
        assert!(matches!(
            b.edit_action(id, &change, &stamp()),
            Err(Error::ActionClosed { .. })
        ));
    }
    let ids = |list: Vec<crate::assessment::ImprovementAction>| {
        list.into_iter().map(|x| x.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(b.actions(&ActionFilter::default()).unwrap()),
        [z.id, x.id, y.id]
    );
    assert_eq!(
        ids(b
            .actions(&ActionFilter {
                assessment: Some(a.id),
                facility: None
            })
            .unwrap()),
        [x.id, y.id]
    );
    assert_eq!(
        ids(b
            .actions(&ActionFilter {
                assessment: None,
                facility: Some(ba.id)
            })
            .unwrap()),
        [z.id]
    );
    assert_eq!(ids(b.assessment_actions(a.id).unwrap()), [x.id, y.id]);
    assert!(b.assessment_actions(9999).unwrap().is_empty());
}

/// The audit rows the writes of assessments, scores and actions leave, and a chain that verifies.
pub(crate) fn score_and_action_writes_leave_their_audit_rows<
    B: Facilities + Assessments + Scores + Actions + AuditChain + ?Sized,
>(
    b: &mut B,
) {
    let m = bundled("socialtilsyn-2017");
    let f = b
        .add_facility(&new_facility("Solhøj", &["board"]), &stamp())
        .unwrap();
    let last = start(b, &f, 2025, &m);
    score_all(b, last.id, &m);
    b.finalise(last.id, "Mette", &stamp()).unwrap();
    b.reopen(last.id, "Rettelse", &stamp()).unwrap();
    b.finalise(last.id, "Mette", &stamp()).unwrap();
    let a = b.start_assessment(&f, 2026, &m, true, &stamp()).unwrap();
    b.confirm_score(a.id, "1a", &stamp()).unwrap();
    let first = b
        .scores(a.id)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == "3a")
        .unwrap();
    b.set_score(a.id, &input("3a", 5), &stamp()).unwrap();
    b.restore_score(a.id, "3a", Some(&first), &stamp()).unwrap();
    b.restore_score(a.id, "3a", None, &stamp()).unwrap();
    let x = b
        .add_action(
            a.id,
            &NewAction {
                text: "Kursus".into(),
                indicators: vec!["1a".into()],
                action_plan: None,
                owner: String::new(),
                due: None,
            },
            &stamp(),
        )
        .unwrap();
    let drop = ActionChanges {
        status: Some(ActionStatus::Dropped),
        drop_reason: Some("Aflyst".into()),
        ..Default::default()
    };
    b.edit_action(x.id, &drop, &stamp()).unwrap();
    let log = b.audit_log(Some(last.id)).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[0], "assessment.start");
    assert_eq!(actions.iter().filter(|a| **a == "score.set").count(), 30);
    assert_eq!(
        &actions[31..],
        [
            "assessment.finalise",
            "assessment.reopen",
            "assessment.finalise"
        ]
    );
    assert_eq!(log[32].reason.as_deref(), Some("Rettelse"));
    let signed: serde_json::Value =
        serde_json::from_str(log[33].new_value.as_deref().unwrap()).unwrap();
    assert_eq!(signed["signoff_version"], 2);
    assert_eq!(signed["by"], "Mette");
    let log = b.audit_log(Some(a.id)).unwrap();
    let tail: Vec<&str> = log
        .iter()
        .rev()
        .take(6)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        tail,
        [
            "action.dropped",
            "action.add",
            "score.undo",
            "score.undo",
            "score.set",
            "score.confirm"
        ]
    );
    assert_eq!(log.iter().filter(|e| e.action == "score.carry").count(), 29);
    let undo = &log[log.len() - 3];
    assert_eq!(
        (undo.subject.as_deref(), undo.new_value.as_deref()),
        (Some("3a"), None)
    );
    assert!(undo.old_value.as_deref().unwrap().contains("\"value\":3"));
    assert_eq!(log.last().unwrap().reason.as_deref(), Some("Aflyst"));
    assert_eq!(log.last().unwrap().subject, Some(x.id.to_string()));
    assert!(b.verify(None).unwrap().findings.is_empty());
}

/// The suite's assessments, scores and actions on SQLite.
mod sqlite {
    use crate::store::Store;

    fn fresh() -> Store {
        Store::open_in_memory(&super::stamp()).unwrap()
    }

    macro_rules! on_sqlite {
        ($($name:ident),* $(,)?) => {
            $(#[test] fn $name() { super::$name(&mut fresh()); })*
        };
    }

    on_sqlite!(
        a_roll_forward_carries_last_years_scores_until_confirmed,
        a_roll_forward_across_versions_goes_through_the_mapping,
        each_framework_holds_its_own_assessment_of_a_year,
        assessments_are_found_and_listed,
        sign_off_and_reopen_refuse_what_does_not_fit,
        a_draft_moves_to_another_version_and_a_signed_one_does_not,
        undo_puts_a_score_back_as_it_was,
        actions_follow_the_done_and_dropped_rule,
        score_and_action_writes_leave_their_audit_rows,
    );
}
