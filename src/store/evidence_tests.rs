//! Tests of `evidence`: sign-off encodings, the status trigger and the chain.

use super::super::{NewFacility, Stamp, Store};
use super::*;
use crate::assessment::{ScoreInput, ScoreValue};

fn stamp() -> Stamp {
    Stamp {
        by: "tester".into(),
        at: chrono::DateTime::UNIX_EPOCH,
    }
}

/// A finalised assessment every indicator of which is scored 3.
fn signed(store: &mut Store) -> i64 {
    let f = store
        .add_facility(
            &NewFacility {
                name: "Solhøj".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let model = store.model_for_year(2026).unwrap();
    let a = store
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    for r in model.indicators() {
        let input = ScoreInput {
            indicator_id: r.indicator.id.clone(),
            value: ScoreValue::Scored(3),
            reasoning: Some("why".into()),
            sources: None,
        };
        if store.set_score(a.id, &input, &stamp()).is_err() {
            continue; // not relevant for this facility
        }
    }
    store.finalise(a.id, "Leder", &stamp()).unwrap();
    a.id
}

#[test]
fn a_sign_off_of_encoding_1_is_checked_in_it_and_never_re_encoded() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let id = signed(&mut store);
    assert!(store.verify(None).unwrap().findings.is_empty());
    // the state an older program left: encoding 1, in the column and in the log row
    let conn = &store.conn;
    let v1 = signoff_now(conn, id, 1, None, None).unwrap().unwrap();
    conn.execute_batch(
        "DROP TRIGGER assessments_signoff_by_chain; DROP TRIGGER scores_locked_update;",
    )
    .unwrap();
    conn.execute(
        "UPDATE assessments SET signoff_version = 1, signoff_hash = ?2 WHERE id = ?1",
        rusqlite::params![id, v1],
    )
    .unwrap();
    let old = serde_json::json!({ "status": "finalised", "by": "Leder", "signoff_hash": v1 });
    conn.execute(
        "UPDATE audit_log SET new_value = ?2 WHERE assessment_id = ?1 AND action = 'assessment.finalise'",
        rusqlite::params![id, old.to_string()],
    )
    .unwrap();
    super::super::audit::seal_earlier_rows(conn).unwrap();
    let v = store.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!(v.signoffs, 1);
    // a change encoding 1 covers is named; the stored encoding stays 1
    let conn = &store.conn;
    conn.execute(
        "UPDATE scores SET reasoning = 'forged' WHERE assessment_id = ?1 AND indicator_id = '1a'",
        [id],
    )
    .unwrap();
    let v = store.verify(None).unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Tampering::Signoff { assessment, .. } if *assessment == id)),
        "{:?}",
        v.findings
    );
    let version: i64 = store
        .conn
        .query_row(
            "SELECT signoff_version FROM assessments WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, 1);
}

#[test]
fn finalise_and_reopen_pass_the_trigger_and_leave_the_chain_explaining_the_status() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let id = signed(&mut store);
    assert_eq!(
        chain_status(&store.conn, id).unwrap(),
        Some(crate::assessment::Status::Finalised)
    );
    store.reopen(id, "ny viden", &stamp()).unwrap();
    assert_eq!(
        chain_status(&store.conn, id).unwrap(),
        Some(crate::assessment::Status::Draft)
    );
    store.finalise(id, "Leder", &stamp()).unwrap();
    assert!(store.verify(None).unwrap().findings.is_empty());
    // an audit row written by hand just before is not enough when it is not the newest
    let err = store
        .conn
        .execute_batch(&format!(
            "INSERT INTO audit_log (at, by, action, assessment_id) VALUES ('x', 'x', 'assessment.reopen', {id});
             INSERT INTO audit_log (at, by, action) VALUES ('x', 'x', 'facility.add');
             UPDATE assessments SET status = 'draft' WHERE id = {id};"
        ))
        .unwrap_err();
    assert!(err.to_string().contains("audit log"), "{err}");
}
