//! Assessments, scores and actions on the test server (`cluster.rs`): the suite's
//! functions of `backend_suite/scores.rs`, the trigger's refusal read as SQLite's error,
//! the same rows and sign-off hash as SQLite, and two writers at once.

use super::PgStore;
use super::cluster::cluster;
use super::rows::insert_score;
use crate::assessment::{ScoreInput, ScoreValue, Status};
use crate::error::Error;
use crate::integrity::{AuditFields, link_hash};
use crate::store::backend::{Actions, Assessments, AuditChain, Facilities, Scores};
use crate::store::backend_suite::scores::{self as suite, bundled, score_all};
use crate::store::backend_suite::stamp;
use crate::store::{ActionChanges, AssessmentRef, NewFacility, Stamp};

fn fresh() -> Option<PgStore> {
    let c = cluster()?;
    Some(PgStore::connect(&c.fresh_database(), &stamp()).expect("connects"))
}

macro_rules! on_pg {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() {
            let Some(mut s) = fresh() else { return };
            suite::$name(&mut s);
        })*
    };
}

on_pg!(
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

fn input(id: &str, v: u8) -> ScoreInput {
    ScoreInput {
        indicator_id: id.into(),
        value: ScoreValue::Scored(v),
        reasoning: Some(format!("why {id}")),
        sources: None,
    }
}

fn facility(name: &str) -> NewFacility {
    NewFacility {
        name: name.into(),
        tags: vec!["board".into()],
        ..Default::default()
    }
}

/// Checks the whole audit chain as stored: ids 1, 2, …, each row naming the one before
/// and hashing to its own (`integrity::link_hash`, as SQLite's chain).
fn assert_chain_whole(s: &PgStore) -> usize {
    let rows = s
        .client
        .borrow_mut()
        .query(
            "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
             FROM audit_log ORDER BY id",
            &[],
        )
        .unwrap();
    let mut head = String::new();
    for (i, r) in rows.iter().enumerate() {
        let row = AuditFields {
            id: r.get(0),
            at: r.get(1),
            by: r.get(2),
            action: r.get(3),
            facility_id: r.get(4),
            assessment_id: r.get(5),
            subject: r.get(6),
            old_value: r.get(7),
            new_value: r.get(8),
            reason: r.get(9),
        };
        assert_eq!(row.id, i as i64 + 1);
        assert_eq!(r.get::<_, String>(10), head, "row {}", row.id);
        let hash = link_hash(&head, &row);
        assert_eq!(r.get::<_, String>(11), hash, "row {}", row.id);
        head = hash;
    }
    rows.len()
}

#[test]
fn a_write_the_lock_trigger_refuses_reads_as_finalised() {
    let Some(mut s) = fresh() else { return };
    let m = bundled("socialtilsyn-2017");
    let f = s.add_facility(&facility("Solhøj"), &stamp()).unwrap();
    let a = s.start_assessment(&f, 2026, &m, false, &stamp()).unwrap();
    score_all(&mut s, a.id, &m);
    s.finalise(a.id, "Mette", &stamp()).unwrap();
    // past the program's own check, as a writer that read the status before the sign-off
    let refused = s.write(Some(a.id), |tx| {
        insert_score(
            tx,
            a.id,
            "1a",
            ScoreValue::Scored(1),
            "",
            "",
            false,
            &stamp(),
            "now",
        )?;
        Ok(())
    });
    assert!(
        matches!(refused, Err(Error::Finalised(id)) if id == a.id),
        "{refused:?}"
    );
    // another server refusal keeps the server's message
    let other = s.write(None, |tx| {
        tx.execute("UPDATE scores SET value = 42 WHERE assessment_id = 0", &[])?;
        tx.execute("INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES (9999, '1a', 3, 'x', 'now')", &[])?;
        Ok(())
    });
    assert!(matches!(other, Err(Error::Server { .. })), "{other:?}");
    assert_eq!(s.scores(a.id).unwrap().len(), 30);
}

/// The rows a write leaves that do not name the database's own history: the audit
/// rows' contents of one assessment and its sign-off.
type Written = (
    Vec<(
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )>,
    Option<String>,
);

fn scripted<B: Facilities + Assessments + Scores + Actions + ?Sized>(b: &mut B) -> i64 {
    let m = bundled("socialtilsyn-2017");
    let f = b.add_facility(&facility("Solhøj"), &stamp()).unwrap();
    let last = b.start_assessment(&f, 2025, &m, false, &stamp()).unwrap();
    b.set_score(last.id, &input("1a", 4), &stamp()).unwrap();
    score_all(b, last.id, &m);
    b.finalise(last.id, "Forstander Mette", &stamp()).unwrap();
    let a = b.start_assessment(&f, 2026, &m, true, &stamp()).unwrap();
    for r in m.indicators() {
        b.confirm_score(a.id, &r.indicator.id, &stamp()).unwrap();
    }
    let later = Stamp {
        by: "Jens".into(),
        at: chrono::DateTime::UNIX_EPOCH + chrono::Duration::minutes(5),
    };
    b.set_score(
        a.id,
        &ScoreInput {
            sources: Some("rapport \"2026\"".into()),
            ..input("6b", 2)
        },
        &later,
    )
    .unwrap();
    let x = b
        .add_action(
            a.id,
            &crate::assessment::NewAction {
                text: "Kursus".into(),
                indicators: vec!["6b".into(), "1a".into()],
                action_plan: None,
                owner: "Mette".into(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
            },
            &stamp(),
        )
        .unwrap();
    let done = ActionChanges {
        status: Some(crate::assessment::ActionStatus::Done),
        ..Default::default()
    };
    b.edit_action(x.id, &done, &later).unwrap();
    let before = b.scores(a.id).unwrap();
    let one_a = before.iter().find(|s| s.indicator_id == "1a").cloned();
    b.set_score(a.id, &input("1a", 1), &later).unwrap();
    b.restore_score(a.id, "1a", one_a.as_ref(), &later).unwrap();
    // strategy plans and a draft moved to a version with the other theme score rule
    let planned = crate::assessment::NewAction {
        text: "Plan".into(),
        indicators: vec!["2a".into()],
        action_plan: Some("RM-06".into()),
        owner: String::new(),
        due: None,
    };
    b.add_action(a.id, &planned, &later).unwrap();
    let mut next = m.clone();
    next.theme_score = Some(crate::model::ThemeScore::CriterionMean);
    b.move_draft_to_version(a.id, &next, "regel", &later)
        .unwrap();
    b.finalise(a.id, "Forstander Mette", &later).unwrap();
    b.reopen(a.id, "Rettelse", &later).unwrap();
    b.finalise(a.id, "Forstander Mette", &later).unwrap();
    a.id
}

#[test]
fn the_same_writes_leave_the_same_rows_and_sign_off_hash_as_sqlite() {
    let Some(mut pg) = fresh() else { return };
    let mut lite = crate::store::Store::open_in_memory(&stamp()).unwrap();
    let on_lite = scripted(&mut lite);
    let on_pg = scripted(&mut pg);
    assert_eq!(on_lite, on_pg);
    let lite_rows: Written = (
        lite.audit_log(Some(on_lite))
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.subject, e.old_value, e.new_value, e.reason))
            .collect(),
        lite.conn
            .query_row(
                "SELECT signoff_hash FROM assessments WHERE id = ?1",
                [on_lite],
                |r| r.get(0),
            )
            .unwrap(),
    );
    let mut c = pg.client.borrow_mut();
    let pg_rows: Written = (
        c.query(
            "SELECT action, subject, old_value, new_value, reason FROM audit_log WHERE assessment_id = $1 ORDER BY id",
            &[&on_pg],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect(),
        c.query_one("SELECT signoff_hash FROM assessments WHERE id = $1", &[&on_pg])
            .unwrap()
            .get(0),
    );
    drop(c);
    assert!(lite_rows.1.is_some());
    assert!(lite_rows.0.len() > 60, "{}", lite_rows.0.len());
    assert_eq!(pg_rows, lite_rows);
    assert_eq!(pg.scores(on_pg).unwrap(), lite.scores(on_lite).unwrap());
    assert_eq!(
        pg.assessment_actions(on_pg).unwrap(),
        lite.assessment_actions(on_lite).unwrap()
    );
    assert_eq!(
        pg.assessment(&AssessmentRef::Id(on_pg)).unwrap(),
        lite.assessment(&AssessmentRef::Id(on_lite)).unwrap()
    );
    assert_chain_whole(&pg);
}

#[test]
fn two_connections_saving_scores_to_one_assessment_at_once_both_succeed() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let m = bundled("socialtilsyn-2017");
    let f = s.add_facility(&facility("Solhøj"), &stamp()).unwrap();
    let a = s.start_assessment(&f, 2026, &m, false, &stamp()).unwrap();
    let ids: Vec<String> = m
        .indicators()
        .map(|r| r.indicator.id.clone())
        .filter(|i| i != "2d")
        .collect();
    let rounds = 5;
    let writers: Vec<_> = ["Mette", "Jens"]
        .into_iter()
        .enumerate()
        .map(|(n, by)| {
            let (url, ids) = (url.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url, &stamp()).unwrap();
                let me = Stamp {
                    by: by.into(),
                    at: chrono::DateTime::UNIX_EPOCH,
                };
                let mut saved = 0;
                for round in 0..rounds {
                    // both write every indicator, in opposite orders
                    let order: Vec<&String> = if n == 0 {
                        ids.iter().collect()
                    } else {
                        ids.iter().rev().collect()
                    };
                    for id in order {
                        let v = ((round + n) % 4 + 1) as u8;
                        s.set_score(a.id, &input(id, v), &me)
                            .map_err(|e| e.to_string())?;
                        saved += 1;
                    }
                }
                Ok::<usize, String>(saved)
            })
        })
        .collect();
    let saved: Vec<usize> = writers
        .into_iter()
        .map(|w| w.join().unwrap().unwrap())
        .collect();
    assert_eq!(saved, [rounds * ids.len(); 2]);
    let rows = assert_chain_whole(&s);
    // the facility's and the start's rows, 2d marked, and one row per saved score
    assert_eq!(rows, 1 + 1 + 1 + 2 * rounds * ids.len());
    assert_eq!(s.scores(a.id).unwrap().len(), 30);
    let done = s.finalise(a.id, "Mette", &stamp()).unwrap();
    assert_eq!(done.status, Status::Finalised);
    assert!(s.verify(None).unwrap().findings.is_empty());
}

#[test]
fn writers_on_several_assessments_and_a_facility_editor_at_once_leave_a_chain_that_verifies() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let m = bundled("socialtilsyn-2017");
    let mut assessments = Vec::new();
    for name in ["Solhøj", "Nyhuset"] {
        let f = s.add_facility(&facility(name), &stamp()).unwrap();
        assessments.push(
            s.start_assessment(&f, 2026, &m, false, &stamp())
                .unwrap()
                .id,
        );
    }
    let ids: Vec<String> = m
        .indicators()
        .map(|r| r.indicator.id.clone())
        .filter(|i| i != "2d")
        .collect();
    let mut threads: Vec<std::thread::JoinHandle<Result<usize, String>>> = Vec::new();
    for n in 0..4 {
        let (url, ids, a) = (url.clone(), ids.clone(), assessments[n % 2]);
        threads.push(std::thread::spawn(move || {
            let mut s = PgStore::connect(&url, &stamp()).map_err(|e| e.to_string())?;
            for id in &ids {
                s.set_score(a, &input(id, (n % 4 + 1) as u8), &stamp())
                    .map_err(|e| e.to_string())?;
            }
            Ok(ids.len())
        }));
    }
    let editor_url = url.clone();
    threads.push(std::thread::spawn(move || {
        let mut s = PgStore::connect(&editor_url, &stamp()).map_err(|e| e.to_string())?;
        for i in 0..20 {
            let changes = crate::store::FacilityChanges {
                location: Some(format!("Vejle {i}")),
                ..Default::default()
            };
            s.edit_facility("Solhøj", &changes, &stamp())
                .map_err(|e| e.to_string())?;
        }
        Ok(20)
    }));
    let written: usize = threads
        .into_iter()
        .map(|t| t.join().unwrap().unwrap())
        .sum();
    assert_eq!(written, 4 * ids.len() + 20);
    assert_eq!(assert_chain_whole(&s), 2 * 3 + written);
    for a in assessments {
        assert_eq!(s.scores(a).unwrap().len(), 30);
        s.finalise(a, "Mette", &stamp()).unwrap();
    }
    let checked = s.verify(None).unwrap();
    assert!(checked.findings.is_empty(), "{:?}", checked.findings);
}

#[test]
fn a_sign_off_while_scores_are_saved_covers_exactly_the_rows_it_signs() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let m = bundled("socialtilsyn-2017");
    let f = s.add_facility(&facility("Solhøj"), &stamp()).unwrap();
    let a = s.start_assessment(&f, 2026, &m, false, &stamp()).unwrap();
    score_all(&mut s, a.id, &m);
    let (started, go) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let mut s = PgStore::connect(&url, &stamp()).unwrap();
        let mut saved = 0u32;
        loop {
            let v = (saved % 4 + 1) as u8;
            match s.set_score(a.id, &input("1a", v), &stamp()) {
                Ok(_) => saved += 1,
                Err(Error::Finalised(id)) if id == a.id => return Ok(saved),
                Err(other) => return Err(other.to_string()),
            }
            if saved == 3 {
                let _ = started.send(());
            }
        }
    });
    go.recv().unwrap();
    s.finalise(a.id, "Mette", &stamp()).unwrap();
    let saved = writer.join().unwrap().unwrap();
    assert!(saved >= 3);
    // the stored hash is that of the rows as they are: no score slipped in after the read
    let mut client = s.client.borrow_mut();
    let mut tx = client.transaction().unwrap();
    let stored: String = tx
        .query_one(
            "SELECT signoff_hash FROM assessments WHERE id = $1",
            &[&a.id],
        )
        .unwrap()
        .get(0);
    let now =
        super::signoff::signoff_now(&mut tx, a.id, "Mette", "1970-01-01T00:00:00.000Z").unwrap();
    assert_eq!(stored, now);
    let last_score: i64 = tx
        .query_one(
            "SELECT max(id) FROM audit_log WHERE assessment_id = $1 AND action = 'score.set'",
            &[&a.id],
        )
        .unwrap()
        .get(0);
    let signed: i64 = tx
        .query_one(
            "SELECT max(id) FROM audit_log WHERE assessment_id = $1 AND action = 'assessment.finalise'",
            &[&a.id],
        )
        .unwrap()
        .get(0);
    assert!(last_score < signed);
}

/// Under the region's roles a leader starts, scores, signs off and reopens their own
/// facility's assessment through the store, and another facility's writes come back as
/// the server's refusal naming it, with nothing changed.
#[test]
fn a_leader_writes_their_own_facilitys_assessment_and_is_refused_anothers() {
    use crate::error::Refusal;
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut owner = PgStore::connect(&url, &stamp()).unwrap();
    let m = bundled("socialtilsyn-2017");
    let own = owner.add_facility(&facility("Solhøj"), &stamp()).unwrap();
    let other = owner.add_facility(&facility("Bakken"), &stamp()).unwrap();
    let theirs = owner
        .start_assessment(&other, 2026, &m, false, &stamp())
        .unwrap();
    score_all(&mut owner, theirs.id, &m);
    owner.region_init().unwrap();
    let db = url
        .split('?')
        .next()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let name = format!("leder_{db}");
    owner
        .region_grant(super::RegionGroup::Leader, &name, Some("Solhøj"))
        .unwrap();
    let mut leader = PgStore::connect(&super::cluster::as_role(&url, &name), &stamp()).unwrap();
    let a = leader
        .start_assessment(&own, 2026, &m, false, &stamp())
        .unwrap();
    score_all(&mut leader, a.id, &m);
    let x = leader
        .add_action(
            a.id,
            &crate::assessment::NewAction {
                text: "Kursus".into(),
                indicators: vec!["1a".into()],
                action_plan: None,
                owner: String::new(),
                due: None,
            },
            &stamp(),
        )
        .unwrap();
    let doing = ActionChanges {
        status: Some(crate::assessment::ActionStatus::InProgress),
        ..Default::default()
    };
    leader.edit_action(x.id, &doing, &stamp()).unwrap();
    assert_eq!(
        leader.finalise(a.id, "Mette", &stamp()).unwrap().status,
        Status::Finalised
    );
    leader.reopen(a.id, "Rettelse", &stamp()).unwrap();
    let audit = |s: &PgStore| -> i64 {
        s.client
            .borrow_mut()
            .query_one("SELECT count(*) FROM audit_log", &[])
            .unwrap()
            .get(0)
    };
    let before = (audit(&owner), owner.scores(theirs.id).unwrap());
    let refused = |e: &Error| matches!(e, Error::ServerRefused { refusal: Refusal::NotLeader { facility }, .. } if facility == "Bakken");
    let e = leader
        .start_assessment(&other, 2027, &m, false, &stamp())
        .unwrap_err();
    assert!(refused(&e), "{e:?}");
    let e = leader
        .set_score(theirs.id, &input("1a", 1), &stamp())
        .unwrap_err();
    assert!(refused(&e), "{e:?}");
    let e = leader
        .restore_score(theirs.id, "1a", None, &stamp())
        .unwrap_err();
    assert!(refused(&e), "{e:?}");
    let e = leader.finalise(theirs.id, "Mette", &stamp()).unwrap_err();
    assert!(refused(&e), "{e:?}");
    assert_eq!((audit(&owner), owner.scores(theirs.id).unwrap()), before);
    assert_eq!(
        owner
            .assessment(&AssessmentRef::Id(theirs.id))
            .unwrap()
            .status,
        Status::Draft
    );
    assert!(owner.verify(None).unwrap().findings.is_empty());
}
