//! The use cases of the application layer as a face calls them: the day and the stamp come
//! from the session's clock, the one rule picks "the assessment of a year", and bad input
//! changes nothing.

use super::{Clock, Session, actions, assessments, facilities, gaps, maintenance};
use crate::assessment::{NewAction, Status};
use crate::i18n::Lang;
use crate::store::{NewFacility, Stamp, Store};

fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&format!("{day}T12:00:00Z"))
        .unwrap()
        .to_utc()
}

fn session(day: &str) -> Session {
    let stamp = Stamp {
        by: "t".into(),
        at: at(day),
    };
    let mut s = Session::new(Store::open_in_memory(&stamp).unwrap(), Lang::En, "t".into());
    s.clock = Clock::Fixed(at(day));
    s
}

fn solhoj(s: &mut Session) -> crate::store::Facility {
    let new = NewFacility {
        name: "Solhøj".into(),
        ..Default::default()
    };
    facilities::add(s, &new).unwrap()
}

#[test]
fn overdue_is_judged_on_the_sessions_day() {
    let mut s = session("2026-02-01");
    let f = solhoj(&mut s);
    let a = assessments::start(&mut s, &f, 2026, None, false).unwrap();
    let new = NewAction {
        text: "Faste møder".into(),
        indicators: vec!["6a".into()],
        action_plan: None,
        owner: "Mette".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
    };
    let x = actions::add(&mut s, a.record.id, &new).unwrap();
    let overdue = actions::Only {
        overdue: true,
        ..Default::default()
    };
    let scope = actions::Scope::FacilityYear(f.id.to_string(), 2026);
    assert!(actions::list(&s, &scope, overdue).unwrap().is_empty());
    assert!(!actions::overdue(&s, &x));
    s.clock = Clock::Fixed(at("2026-04-01"));
    let late = actions::list(&s, &scope, overdue).unwrap();
    assert_eq!(late.iter().map(|x| x.id).collect::<Vec<_>>(), vec![x.id]);
    assert!(actions::overdue(&s, &x));
    // a done action is no longer overdue
    actions::done(&mut s, x.id).unwrap();
    assert!(actions::list(&s, &scope, overdue).unwrap().is_empty());
}

#[test]
fn a_blank_signer_is_refused_and_nothing_is_signed() {
    let mut s = session("2026-02-01");
    let f = solhoj(&mut s);
    let a = assessments::start(&mut s, &f, 2026, None, false).unwrap();
    let e = assessments::finalise(&mut s, a.record.id, "   ").unwrap_err();
    assert_eq!(e.localized(Lang::En), "by must not be empty");
    let after = assessments::by_id(&s, a.record.id).unwrap();
    assert_eq!(after.status, Status::Draft);
    assert!(
        assessments::log(&s, a.record.id)
            .unwrap()
            .iter()
            .all(|e| !e.action.contains("final"))
    );
}

#[test]
fn the_assessment_of_a_facility_is_its_newest_year_and_a_missing_year_is_named() {
    let mut s = session("2026-02-01");
    let f = solhoj(&mut s);
    let old = assessments::start(&mut s, &f, 2025, None, false).unwrap();
    let new = assessments::start(&mut s, &f, 2026, None, true).unwrap();
    let key = f.id.to_string();
    assert_eq!(
        assessments::of_facility(&s, &key, None).unwrap().id,
        new.record.id
    );
    assert_eq!(
        assessments::of_facility(&s, &key, Some(2025)).unwrap().id,
        old.record.id
    );
    let e = assessments::of_facility(&s, &key, Some(2020)).unwrap_err();
    assert!(e.localized(Lang::En).contains("Solhøj 2020"), "{e}");
    // the list with progress does not count carried-over scores as done
    let listed = assessments::list_with_progress(&s, Some(&key)).unwrap();
    let this = listed.iter().find(|a| a.id == new.record.id).unwrap();
    assert_eq!(this.done, new.not_applicable);
}

#[test]
fn demo_data_goes_only_into_an_empty_database_and_ends_in_this_year() {
    let mut s = session("2030-06-01");
    let r = maintenance::demo(&mut s, 1, 2, None, 7).unwrap();
    assert_eq!(r.facilities, 1);
    let years: Vec<i32> = assessments::list(&s, None)
        .unwrap()
        .iter()
        .map(|a| a.year)
        .collect();
    assert_eq!(years.iter().max(), Some(&2030));
    assert_eq!(years.iter().min(), Some(&2029));
    let e = maintenance::demo(&mut s, 1, 2, None, 7).unwrap_err();
    assert!(matches!(e, crate::error::Error::DemoNotEmpty(_)));
    assert_eq!(assessments::list(&s, None).unwrap().len(), years.len());
}

#[test]
fn gap_rules_change_and_reset() {
    let mut s = session("2026-02-01");
    let default = gaps::rules(&s).unwrap().indicator_gap_max;
    let changed = gaps::change_rules(&mut s, false, &[("indicator_gap_max", "1")]).unwrap();
    assert_eq!(changed.indicator_gap_max, 1);
    assert_ne!(default, 1);
    let back = gaps::change_rules(&mut s, true, &[]).unwrap();
    assert_eq!(back.indicator_gap_max, default);
}
