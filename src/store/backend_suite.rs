//! One store test-suite for every backend (taskchampion's `storage/test.rs` pattern): a
//! function per behaviour, written against the seam's traits and given a fresh backend.
//! SQLite runs all of them (`sqlite` below); the PostgreSQL backend runs those whose
//! traits it implements so far (`store/pg/tests.rs`), one trait switched on at a time.

mod models;
pub(crate) use models::*;

use super::backend::{Assessments, AuditChain, Facilities, ModelVersions, Scores, Settings};
use super::{FacilityChanges, NewFacility, Stamp, Tampering};
use crate::assessment::{GapRules, PersonalDataPolicy, ScoreInput, ScoreValue, Status};
use crate::error::Error;

pub(crate) mod import;
pub(crate) mod scores;

/// The stamp of every write of the suite.
pub(crate) fn stamp() -> Stamp {
    Stamp {
        by: "tester".into(),
        at: chrono::DateTime::UNIX_EPOCH,
    }
}

fn new_facility(name: &str, tags: &[&str]) -> NewFacility {
    NewFacility {
        name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    }
}

fn input(id: &str, v: u8) -> ScoreInput {
    ScoreInput {
        indicator_id: id.into(),
        value: ScoreValue::Scored(v),
        reasoning: Some(format!("why {id}")),
        sources: None,
    }
}

/// Facilities are found by number or by name (any case), names are unique in any case,
/// tags must be the models', edits and archiving show.
pub(crate) fn facilities_are_found_by_id_or_name<B: Facilities + ?Sized>(b: &mut B) {
    let f = b
        .add_facility(&new_facility("Bostedet Solhøj", &["children"]), &stamp())
        .unwrap();
    assert_eq!(f.tags, ["children"]);
    assert_eq!(b.find_facility("bostedet solhøj").unwrap().id, f.id);
    assert_eq!(
        b.find_facility(&f.id.to_string()).unwrap().name,
        "Bostedet Solhøj"
    );
    assert_eq!(b.facility_by_id(super::FacilityId(f.id)).unwrap(), f);
    assert!(matches!(
        b.find_facility("Ukendt"),
        Err(Error::UnknownFacility(_))
    ));
    assert!(matches!(
        b.find_facility("9999"),
        Err(Error::UnknownFacilityNumber {
            id: 9999,
            named: false
        })
    ));
    assert!(matches!(
        b.add_facility(&new_facility("BOSTEDET SOLHØJ", &[]), &stamp()),
        Err(Error::DuplicateFacility(_))
    ));
    assert!(matches!(
        b.add_facility(&new_facility("X", &["kids"]), &stamp()),
        Err(Error::UnknownTag { .. })
    ));
    assert!(matches!(
        b.add_facility(&new_facility("  ", &[]), &stamp()),
        Err(Error::Empty("name"))
    ));
    let changes = FacilityChanges {
        location: Some("Vejle".into()),
        tags: Some(vec!["board".into()]),
        ..Default::default()
    };
    let edited = b
        .edit_facility("Bostedet Solhøj", &changes, &stamp())
        .unwrap();
    assert_eq!(
        (edited.location.as_str(), edited.tags.clone()),
        ("Vejle", vec!["board".to_string()])
    );
    b.archive_facility(&f.id.to_string(), &stamp()).unwrap();
    assert!(matches!(
        b.archive_facility(&f.id.to_string(), &stamp()),
        Err(Error::FacilityArchived(_))
    ));
    assert!(b.facilities(false).unwrap().is_empty());
    assert_eq!(b.facilities(true).unwrap().len(), 1);
}

/// The facility list is by name, and a refused write changes nothing.
pub(crate) fn facilities_are_listed_by_name_and_a_refused_write_changes_nothing<
    B: Facilities + ?Sized,
>(
    b: &mut B,
) {
    for name in ["Nyhuset", "Bakkely", "Åhuset", "Cedergården"] {
        b.add_facility(&new_facility(name, &[]), &stamp()).unwrap();
    }
    let names: Vec<String> = b
        .facilities(false)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    // by the name's bytes, as SQLite's default collation has it (Å after the ASCII letters)
    assert_eq!(names, ["Bakkely", "Cedergården", "Nyhuset", "Åhuset"]);
    let before = b.facilities(true).unwrap();
    let rename = FacilityChanges {
        name: Some("bakkely".into()),
        ..Default::default()
    };
    assert!(matches!(
        b.edit_facility("Nyhuset", &rename, &stamp()),
        Err(Error::DuplicateFacility(_))
    ));
    let bad_tags = FacilityChanges {
        location: Some("Vejle".into()),
        tags: Some(vec!["nope".into()]),
        ..Default::default()
    };
    assert!(b.edit_facility("Nyhuset", &bad_tags, &stamp()).is_err());
    assert_eq!(b.facilities(true).unwrap(), before);
}

/// A facility's writes leave their audit rows, in order, and the chain verifies.
pub(crate) fn facility_writes_are_audited<B: Facilities + AuditChain + ?Sized>(b: &mut B) {
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let changes = FacilityChanges {
        location: Some("Vejle".into()),
        ..Default::default()
    };
    b.edit_facility("Solhøj", &changes, &stamp()).unwrap();
    b.archive_facility(&f.id.to_string(), &stamp()).unwrap();
    let actions: Vec<String> = b
        .audit_log(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["facility.add", "facility.edit", "facility.archive"]
    );
    assert!(b.verify(None).unwrap().findings.is_empty());
}

/// Settings keep what was set and go back to the defaults; a refused rule changes
/// nothing; the strict policy (by the setting or `--strict`) refuses a facility whose
/// texts hold a personal identifier.
pub(crate) fn settings_hold_and_the_strict_policy_refuses_identifiers<
    B: Facilities + Settings + ?Sized,
>(
    b: &mut B,
) {
    assert_eq!(b.gap_rules().unwrap(), GapRules::default());
    let low = b.gap_rules().unwrap().indicator_gap_max.saturating_sub(1);
    let rules = b
        .set_gap_rule("indicator_gap_max", &low.to_string(), &stamp())
        .unwrap();
    assert_eq!(rules.indicator_gap_max, low);
    assert_ne!(rules, GapRules::default());
    assert_eq!(b.gap_rules().unwrap(), rules);
    assert!(matches!(
        b.set_gap_rule("indicator_gap_max", "99", &stamp()),
        Err(Error::BadRule(_))
    ));
    assert_eq!(b.gap_rules().unwrap(), rules);
    b.reset_gap_rules(&stamp()).unwrap();
    assert_eq!(b.gap_rules().unwrap(), GapRules::default());
    let cpr = NewFacility {
        name: "Solhøj".into(),
        location: "kontakt 010203-1234".into(),
        ..Default::default()
    };
    assert_eq!(b.write_policy().unwrap(), PersonalDataPolicy::Warn);
    b.set_personal_data_policy(PersonalDataPolicy::Strict, &stamp())
        .unwrap();
    assert_eq!(
        b.personal_data_policy().unwrap(),
        PersonalDataPolicy::Strict
    );
    assert!(matches!(
        b.add_facility(&cpr, &stamp()),
        Err(Error::TextRefused(_))
    ));
    b.set_personal_data_policy(PersonalDataPolicy::Warn, &stamp())
        .unwrap();
    assert!(!b.strict());
    b.set_strict();
    assert!(b.strict());
    assert_eq!(b.write_policy().unwrap(), PersonalDataPolicy::Strict);
    assert!(matches!(
        b.add_facility(&cpr, &stamp()),
        Err(Error::TextRefused(_))
    ));
    assert!(b.facilities(true).unwrap().is_empty());
}

/// One assessment per facility, year and framework; no model for a year before any.
pub(crate) fn one_assessment_per_facility_and_year<
    B: Facilities + ModelVersions + Assessments + ?Sized,
>(
    b: &mut B,
) {
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let model = b.model_for_year(2015).unwrap();
    assert_eq!(model.id, "socialtilsyn-2014");
    b.start_assessment(&f, 2015, &model, false, &stamp())
        .unwrap();
    assert!(matches!(
        b.start_assessment(&f, 2015, &model, false, &stamp()),
        Err(Error::AssessmentExists { year: 2015, .. })
    ));
    assert!(matches!(
        b.model_for_year(2010),
        Err(Error::NoModelForYear(2010))
    ));
}

/// Scores are saved with an audit row; a finalised assessment refuses them until it is
/// reopened (with its reason in the log).
pub(crate) fn scores_respect_the_lock_on_finalised_assessments<
    B: Facilities + ModelVersions + Assessments + Scores + AuditChain + ?Sized,
>(
    b: &mut B,
) {
    let f = b
        .add_facility(&new_facility("Solhøj", &["board"]), &stamp())
        .unwrap();
    let model = b.model_for_year(2026).unwrap();
    assert_eq!(model.id, "socialtilsyn-2017");
    let a = b
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    // 2d (children only) and nothing else is pre-marked not relevant for a facility with a board
    let scores = b.scores(a.id).unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].indicator_id, "2d");
    assert!(
        scores[0].reasoning.contains("børn og unge"),
        "{}",
        scores[0].reasoning
    );
    b.set_score(a.id, &input("6A", 4), &stamp()).unwrap();
    let keep_text = ScoreInput {
        reasoning: None,
        ..input("6a", 2)
    };
    b.set_score(a.id, &keep_text, &stamp()).unwrap();
    let s = b
        .scores(a.id)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == "6a")
        .unwrap();
    assert_eq!(
        (s.value, s.reasoning.as_str()),
        (ScoreValue::Scored(2), "why 6A")
    );
    let log = b.audit_log(Some(a.id)).unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.subject.as_deref()),
        ("score.set", Some("6a"))
    );
    assert!(last.old_value.as_deref().unwrap().contains("\"value\":4"));
    assert!(last.new_value.as_deref().unwrap().contains("\"value\":2"));
    match b.finalise(a.id, "Forstander Mette", &stamp()).unwrap_err() {
        Error::Unscored { indicators, .. } => assert_eq!(indicators.len(), 28),
        other => panic!("{other}"),
    }
    let model = b.model_by_hash(&a.model_hash).unwrap();
    for r in model.indicators() {
        if r.indicator.id != "2d" {
            b.set_score(a.id, &input(&r.indicator.id, 3), &stamp())
                .unwrap();
        }
    }
    let done = b.finalise(a.id, "Forstander Mette", &stamp()).unwrap();
    assert_eq!((done.status, done.done), (Status::Finalised, 30));
    assert_eq!(done.finalised_by.as_deref(), Some("Forstander Mette"));
    let before = b.scores(a.id).unwrap();
    assert!(matches!(
        b.set_score(a.id, &input("1a", 5), &stamp()),
        Err(Error::Finalised(_))
    ));
    assert_eq!(b.scores(a.id).unwrap(), before);
    let reopened = b
        .reopen(a.id, "Tilsynet bad om en rettelse", &stamp())
        .unwrap();
    assert_eq!(reopened.status, Status::Draft);
    let log = b.audit_log(Some(a.id)).unwrap();
    assert_eq!(
        log.last().unwrap().reason.as_deref(),
        Some("Tilsynet bad om en rettelse")
    );
    b.set_score(a.id, &input("1a", 5), &stamp()).unwrap();
    assert!(b.verify(None).unwrap().findings.is_empty());
}

/// The chain verifies after appends; a changed row is named, and only the assessment it
/// belongs to is reported when one is asked about. `alter` changes the newest
/// `score.set` row of an assessment behind the program's back (the backend's own SQL)
/// and returns its id.
pub(crate) fn a_changed_audit_row_is_named<
    B: Facilities + ModelVersions + Assessments + Scores + AuditChain + ?Sized,
>(
    b: &mut B,
    alter: impl FnOnce(&mut B, i64) -> i64,
) {
    let model = b.model_for_year(2026).unwrap();
    let f = b
        .add_facility(&new_facility("Solhøj", &[]), &stamp())
        .unwrap();
    let a = b
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    b.set_score(a.id, &input("1a", 4), &stamp()).unwrap();
    let g = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    let other = b
        .start_assessment(&g, 2026, &model, false, &stamp())
        .unwrap();
    b.set_score(other.id, &input("1a", 2), &stamp()).unwrap();
    assert!(b.verify(None).unwrap().findings.is_empty());
    let row = alter(b, other.id);
    let all = b.verify(None).unwrap();
    assert_eq!(all.findings.len(), 1, "{:?}", all.findings);
    assert!(matches!(
        all.findings[0],
        Tampering::AuditRow { id, problem: crate::integrity::ChainBreak::Altered, .. } if id == row
    ));
    assert!(b.verify(Some(a.id)).unwrap().findings.is_empty());
    assert_eq!(b.verify(Some(other.id)).unwrap().findings, all.findings);
}

/// The reads (`Listings`, `Exchange`) on a sample both backends hold.
pub(crate) mod reads;

/// The suite on SQLite: every behaviour.
mod sqlite {
    use super::super::Store;

    fn fresh() -> Store {
        Store::open_in_memory(&super::stamp()).unwrap()
    }

    macro_rules! on_sqlite {
        ($($name:ident),* $(,)?) => {
            $(#[test] fn $name() { super::$name(&mut fresh()); })*
        };
    }

    on_sqlite!(
        facilities_are_found_by_id_or_name,
        facilities_are_listed_by_name_and_a_refused_write_changes_nothing,
        facility_writes_are_audited,
        settings_hold_and_the_strict_policy_refuses_identifiers,
        one_assessment_per_facility_and_year,
        scores_respect_the_lock_on_finalised_assessments,
    );

    #[test]
    fn a_changed_audit_row_is_named() {
        super::a_changed_audit_row_is_named(&mut fresh(), |s, assessment| {
            let row: i64 = s
                .conn
                .query_row(
                    "SELECT max(id) FROM audit_log WHERE action = 'score.set' AND assessment_id = ?1",
                    [assessment],
                    |r| r.get(0),
                )
                .unwrap();
            s.conn
                .execute(
                    "UPDATE audit_log SET new_value = replace(new_value, '2', '5') WHERE id = ?1",
                    [row],
                )
                .unwrap();
            row
        });
    }
}
