//! The PostgreSQL backend's model versions, strategies, audit chain and maintenance: the
//! shared suite's part (`store/backend_suite/models.rs`) and the server's own cases
//! (the bundled definitions on connect, forgers with the triggers set aside).

use super::PgStore;
use super::cluster::cluster;
use crate::error::Error;
use crate::integrity::{AuditFields, ChainBreak, SignedRecord, SignedScore, signoff_v2};
use crate::model::{self, QualityModel};
use crate::store::backend::{AuditChain, Facilities, Maintenance, ModelVersions};
use crate::store::backend_suite::{self as suite, stamp};
use crate::store::{Check, NewFacility, StatusProblem, Tampering};

/// A store on a fresh database of the test cluster; `None` (skipped) without a server.
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
    bundled_definitions_are_there_from_the_start,
    the_model_of_a_year_is_the_one_in_force,
    a_regions_official_copy_replaces_the_text_but_not_the_structure,
    a_mapping_is_stored_once_and_read_both_ways,
    strategies_round_trip_through_their_rows,
    strategy_imports_and_links_keep_their_rules,
    each_framework_reads_the_strategy_links_written_for_it,
    definition_writes_are_audited_and_the_chain_verifies,
    a_fresh_database_passes_the_health_checks,
    facility_writes_are_audited,
    scores_respect_the_lock_on_finalised_assessments,
);

/// The suite's forged score, by a superuser with the triggers set aside for the session.
#[test]
fn a_signed_assessment_verifies_until_a_score_is_forged() {
    let Some(mut s) = fresh() else { return };
    suite::a_signed_assessment_verifies_until_a_score_is_forged(&mut s, |s, a| {
        execute(
            s,
            &format!(
                "SET session_replication_role = replica;
                 UPDATE scores SET value = 1 WHERE assessment_id = {a} AND indicator_id = '1a';
                 RESET session_replication_role;"
            ),
        );
    });
}

/// The suite's actions changed and deleted on the server.
#[test]
fn actions_changed_behind_the_programs_back_are_named() {
    let Some(mut s) = fresh() else { return };
    suite::actions_changed_behind_the_programs_back_are_named(&mut s, |s, changed, deleted| {
        execute(
            s,
            &format!(
                "UPDATE improvement_actions SET text = 'Noget andet' WHERE id = {changed};
                 DELETE FROM action_indicators WHERE action_id = {deleted};
                 DELETE FROM improvement_actions WHERE id = {deleted};"
            ),
        );
    });
}

/// The suite's changed audit row, changed on the server (the table has no lock of its own).
#[test]
fn a_changed_audit_row_is_named() {
    let Some(mut s) = fresh() else { return };
    suite::a_changed_audit_row_is_named(&mut s, |s, assessment| {
        let mut c = s.client.borrow_mut();
        let row: i64 = c
            .query_one(
                "SELECT max(id) FROM audit_log WHERE action = 'score.set' AND assessment_id = $1",
                &[&assessment],
            )
            .unwrap()
            .get(0);
        c.execute(
            "UPDATE audit_log SET new_value = replace(new_value, '2', '5') WHERE id = $1",
            &[&row],
        )
        .unwrap();
        row
    });
}

fn execute(s: &PgStore, sql: &str) {
    s.client.borrow_mut().batch_execute(sql).unwrap();
}

/// SQLite's `load_bundled` rules on connect: a database that lacks a bundled version gets
/// it, active unless a region's own copy of that model is; the earlier bundled versions
/// stay inactive; nothing is loaded twice.
#[test]
fn a_reconnect_loads_missing_bundled_versions_and_keeps_a_regions_own_copy_active() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let models = model::bundled_models();
    let by_id = |id: &str| -> QualityModel { models.iter().find(|m| m.id == id).unwrap().clone() };
    // a region's own copy of the 2014 model, active
    let mut own = by_id("socialtilsyn-2014");
    own.themes[0].criteria[0].indicators[0].text.da = "Egen tekst.".into();
    assert!(s.import_model(&own, "egen.json", &stamp()).unwrap());
    // as an older program left the database: neither current bundled quality version
    // stored, the earlier 2017 version active
    let current: Vec<String> = ["socialtilsyn-2014", "socialtilsyn-2017"]
        .iter()
        .map(|id| by_id(id).content_hash())
        .collect();
    let earlier_2017 = model::earlier_bundled_models()
        .into_iter()
        .find(|(m, _)| m.id == "socialtilsyn-2017")
        .unwrap()
        .1;
    execute(
        &s,
        &format!(
            "DELETE FROM models WHERE hash IN ('{}', '{}');
             UPDATE models SET active = true WHERE hash = '{earlier_2017}'",
            current[0], current[1]
        ),
    );
    drop(s);
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(
        s.active_model("socialtilsyn-2014").unwrap().content_hash(),
        own.content_hash(),
        "the region's own copy stays active"
    );
    assert_eq!(
        s.active_model("socialtilsyn-2017").unwrap().content_hash(),
        current[1],
        "the new bundled version takes over from the earlier one"
    );
    let records = s.model_records().unwrap();
    assert_eq!(records.len(), 6);
    assert!(
        records
            .iter()
            .any(|r| r.hash == current[0] && r.bundled && !r.active)
    );
    assert!(records.iter().any(|r| r.hash == earlier_2017 && !r.active));
    drop(s);
    // a third connection finds everything and changes nothing
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(s.model_records().unwrap().len(), 6);
}

/// A bundled strategy stored from an older text is refreshed on connect, keeping the
/// local links whose target the new text still has; a region's own strategy is kept.
#[test]
fn a_stale_bundled_strategy_is_refreshed_and_keeps_its_local_links() {
    use crate::store::backend::Strategies;
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let records = s.strategy_records().unwrap();
    let id = records[0].id.clone();
    let original = s.strategy(&id).unwrap();
    let target = original.themes[0].focus_areas[0].action_plans[0].id.clone();
    let link = crate::strategy::Link {
        node: "2b".into(),
        target: target.clone(),
        basis: crate::strategy::Basis::Local,
        note: None,
    };
    if !original
        .links
        .iter()
        .any(|l| l.node == "2b" && l.target == target)
    {
        s.add_link(&id, &link, &stamp()).unwrap();
    }
    execute(
        &s,
        &format!("UPDATE strategies SET hash = 'old', name = 'Gammel tekst' WHERE id = '{id}'"),
    );
    drop(s);
    let s = PgStore::connect(&url, &stamp()).unwrap();
    let now = s.strategy(&id).unwrap();
    assert_eq!(now.name, original.name);
    assert!(
        now.links
            .iter()
            .any(|l| l.node == "2b" && l.target == target)
    );
    let record = s.strategy_records().unwrap();
    let record = record.iter().find(|r| r.id == id).unwrap();
    assert_eq!(record.hash, original.content_hash());
}

/// A finalised assessment of two scores, written as the program writes one (the finalise
/// row first, then the sign-off, in one transaction the lock triggers accept), without
/// the Assessments trait; its number.
fn finalised(s: &mut PgStore, name: &str) -> i64 {
    finalised_with(s, name, ["1a", "1b"])
}

/// `finalised`, with these two indicator ids.
fn finalised_with(s: &mut PgStore, name: &str, ids: [&str; 2]) -> i64 {
    let f = s
        .add_facility(
            &NewFacility {
                name: name.into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let hash = s.model_for_year(2026).unwrap().content_hash();
    let mut c = s.client.borrow_mut();
    let mut tx = c.transaction().unwrap();
    let id: i64 = tx
        .query_one(
            "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
             VALUES ($1, 2026, 'socialtilsyn-2017', $2, 'tester', '2026-01-05T09:00:00.000Z') RETURNING id",
            &[&f.id, &hash],
        )
        .unwrap()
        .get(0);
    let at = "2026-11-25T10:00:00.000Z";
    let scores = [(ids[0], 4i64), (ids[1], 3)];
    for (indicator, value) in scores {
        tx.execute(
            "INSERT INTO scores (assessment_id, indicator_id, value, reasoning, by, at)
             VALUES ($1, $2, $3, 'fordi', 'tester', $4)",
            &[&id, &indicator, &value, &at],
        )
        .unwrap();
    }
    let signed: Vec<SignedScore<'_>> = scores
        .iter()
        .map(|(indicator, value)| SignedScore {
            indicator,
            value: Some(*value),
            not_relevant: false,
            reasoning: "fordi",
            sources: "",
            by: "tester",
            at,
            carried_over: false,
        })
        .collect();
    let record = SignedRecord {
        year: 2026,
        model_hash: &hash,
        signer: Some("Mette"),
        at: Some(at),
    };
    let signoff = signoff_v2(&record, &signed);
    let new = serde_json::json!({
        "status": "finalised", "by": "Mette", "signoff_hash": signoff, "signoff_version": 2,
    })
    .to_string();
    super::audit::append(
        &mut tx,
        AuditFields {
            id: 0,
            at,
            by: "tester",
            action: "assessment.finalise",
            facility_id: Some(f.id),
            assessment_id: Some(id),
            subject: None,
            old_value: Some("draft"),
            new_value: Some(&new),
            reason: None,
        },
    )
    .unwrap();
    tx.execute(
        "UPDATE assessments SET status = 'finalised', finalised_by = 'Mette', finalised_at = $2,
                signoff_hash = $3, signoff_version = 2 WHERE id = $1",
        &[&id, &at, &signoff],
    )
    .unwrap();
    tx.commit().unwrap();
    id
}

fn check<'a>(checks: &'a [Check], name: &str) -> &'a Check {
    checks.iter().find(|c| c.name == name).unwrap()
}

#[test]
fn finalised_assessments_verify_clean_and_pass_the_doctor() {
    let Some(mut s) = fresh() else { return };
    let a = finalised(&mut s, "Solhøj");
    let b = finalised(&mut s, "Nyhuset");
    let v = s.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!((v.signoffs, v.unsigned, v.audit_rows), (2, 0, 4));
    assert_eq!(s.verify(Some(a)).unwrap().signoffs, 1);
    assert_eq!(s.verify(Some(b)).unwrap().signoffs, 1);
    let checks = s.doctor().unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    assert_eq!(
        check(&checks, "signoffs").detail,
        "2 finalised assessment(s) match what was signed"
    );
}

/// The server's forger: a superuser sets the triggers aside for the session
/// (`session_replication_role = replica`) and changes a finalised assessment's score.
/// `verify` names the assessment (and only when it is the one asked about); `doctor` fails
/// its sign-off check.
#[test]
fn a_score_changed_by_a_superuser_past_the_triggers_is_found() {
    let Some(mut s) = fresh() else { return };
    let other = finalised(&mut s, "Solhøj");
    let a = finalised(&mut s, "Nyhuset");
    execute(
        &s,
        &format!(
            "SET session_replication_role = replica;
             UPDATE scores SET value = 1 WHERE assessment_id = {a} AND indicator_id = '1a';
             RESET session_replication_role;"
        ),
    );
    let v = s.verify(None).unwrap();
    assert_eq!(v.findings.len(), 1, "{:?}", v.findings);
    assert!(matches!(
        &v.findings[0],
        Tampering::Signoff { assessment, facility, year: 2026 } if *assessment == a && facility == "Nyhuset"
    ));
    assert!(s.verify(Some(other)).unwrap().findings.is_empty());
    assert_eq!(s.verify(Some(a)).unwrap().findings, v.findings);
    let checks = s.doctor().unwrap();
    let signoffs = check(&checks, "signoffs");
    assert!(!signoffs.ok);
    assert_eq!(
        signoffs.detail,
        format!("changed after sign-off: assessment {a}")
    );
    assert!(check(&checks, "audit_chain").ok);
    // the triggers were set aside for that session only: they are all still enabled
    assert!(check(&checks, "lock_triggers").ok);
}

/// A trigger disabled for good (`ALTER TABLE … DISABLE TRIGGER`) and the audit row of the
/// change rewritten: `doctor` names the disabled trigger, the rewritten row and the
/// changed sign-off; `verify` the row as altered.
#[test]
fn a_disabled_trigger_and_a_rewritten_audit_row_are_named_by_the_doctor() {
    let Some(mut s) = fresh() else { return };
    let a = finalised(&mut s, "Solhøj");
    execute(
        &s,
        &format!(
            "ALTER TABLE scores DISABLE TRIGGER scores_locked_update;
             UPDATE scores SET reasoning = 'omskrevet' WHERE assessment_id = {a} AND indicator_id = '1b';
             UPDATE audit_log SET by = 'en anden' WHERE action = 'facility.add';"
        ),
    );
    let row: i64 = s
        .client
        .borrow_mut()
        .query_one(
            "SELECT id FROM audit_log WHERE action = 'facility.add'",
            &[],
        )
        .unwrap()
        .get(0);
    let v = s.verify(None).unwrap();
    assert!(v.findings.iter().any(|f| matches!(
        f,
        Tampering::AuditRow { id, problem: ChainBreak::Altered, .. } if *id == row
    )));
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Tampering::Signoff { assessment, .. } if *assessment == a))
    );
    let checks = s.doctor().unwrap();
    let triggers = check(&checks, "lock_triggers");
    assert!(!triggers.ok);
    assert_eq!(
        triggers.detail,
        "6 of 6 present; disabled: scores_locked_update"
    );
    assert_eq!(
        check(&checks, "audit_chain").detail,
        format!("rows not as written: {row}")
    );
    assert!(!check(&checks, "signoffs").ok);
    execute(&s, "DROP TRIGGER assessments_signed_locked ON assessments");
    let checks = s.doctor().unwrap();
    assert_eq!(
        check(&checks, "lock_triggers").detail,
        "5 of 6 present; missing: assessments_signed_locked; disabled: scores_locked_update"
    );
}

/// A status set past the triggers (un-finalised without its reopen row), a score row
/// pointing at no assessment, and a model whose text no longer gives its hash.
#[test]
fn a_status_a_dangling_row_and_a_changed_model_set_past_the_server_are_found() {
    let Some(mut s) = fresh() else { return };
    let a = finalised(&mut s, "Solhøj");
    execute(
        &s,
        &format!(
            "SET session_replication_role = replica;
             UPDATE assessments SET status = 'draft' WHERE id = {a};
             INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES (9999, '1a', 3, 'x', 'y');
             UPDATE models SET json = regexp_replace(json, '\"da\":\"', '\"da\":\"Ændret ') WHERE id = 'socialtilsyn-2014' AND active;
             RESET session_replication_role;"
        ),
    );
    let v = s.verify(None).unwrap();
    assert!(v.findings.iter().any(|f| matches!(
        f,
        Tampering::Status { assessment, problem: StatusProblem::Unfinalised, .. } if *assessment == a
    )), "{:?}", v.findings);
    let checks = s.doctor().unwrap();
    assert_eq!(
        check(&checks, "foreign_keys").detail,
        "1 row(s) point at nothing"
    );
    assert!(!check(&checks, "foreign_keys").ok);
    assert!(!check(&checks, "signoffs").ok);
    let models = check(&checks, "model_hashes");
    assert!(!models.ok);
    assert!(
        models.detail.starts_with("changed: socialtilsyn-2014 "),
        "{}",
        models.detail
    );
}

/// `backup` on a server refuses, names `pg_dump`, and writes no file; `path` is the
/// server's address without its password.
#[test]
fn backup_names_the_servers_own_tool_and_the_path_has_no_password() {
    let Some(s) = fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("kopi.db");
    let err = s.backup(&dest).unwrap_err();
    assert!(matches!(err, Error::BackupOnServer { .. }));
    for lang in [crate::i18n::Lang::Da, crate::i18n::Lang::En] {
        assert!(err.localized(lang).contains("pg_dump"));
    }
    assert!(!dest.exists());
    assert!(!s.path().to_string_lossy().contains("password"));
    assert_eq!(s.path().to_string_lossy(), s.server);
}

/// In a database whose collation orders texts otherwise than their bytes (ICU: "x" before
/// "Y"), the score rows of a sign-off come out of the key's index in the collation's order;
/// the sign-off is still checked in the bytes' order, clean while untouched and named once
/// changed.
#[test]
fn a_sign_off_verifies_under_a_collation_that_is_not_the_bytes_order() {
    let Some(c) = cluster() else { return };
    let mut admin = postgres::Client::connect(&c.url("postgres"), postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "CREATE DATABASE icu_order TEMPLATE template0 ENCODING 'UTF8'
             LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C'",
        )
        .unwrap();
    let mut s = PgStore::connect(&c.url("icu_order"), &stamp()).unwrap();
    let order: Vec<String> = s
        .client
        .borrow_mut()
        .query("SELECT x FROM (VALUES ('Y'), ('x')) v (x) ORDER BY x", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(order, ["x", "Y"], "the collation is not the bytes' order");
    let a = finalised_with(&mut s, "Solhøj", ["x", "Y"]);
    let b = finalised(&mut s, "Nyhuset");
    let v = s.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!(v.signoffs, 2);
    assert!(s.verify(Some(a)).unwrap().findings.is_empty());
    execute(
        &s,
        &format!(
            "SET session_replication_role = replica;
             UPDATE scores SET value = 1 WHERE assessment_id = {a} AND indicator_id = 'Y';
             RESET session_replication_role;"
        ),
    );
    let named: Vec<i64> = s
        .verify(None)
        .unwrap()
        .findings
        .iter()
        .filter_map(|t| match t {
            Tampering::Signoff { assessment, .. } => Some(*assessment),
            _ => None,
        })
        .collect();
    assert_eq!(named, [a]);
    assert!(s.verify(Some(b)).unwrap().findings.is_empty());
}
