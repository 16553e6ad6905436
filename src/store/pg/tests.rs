//! The PostgreSQL backend on a throwaway server (`cluster.rs`): the shared suite for the
//! traits implemented so far, the schema's lock, the chain, and the password kept out.

use super::PgStore;
use super::cluster::cluster;
use crate::error::Error;
use crate::integrity::{AuditFields, link_hash};
use crate::store::NewFacility;
use crate::store::backend::Facilities;
use crate::store::backend_suite::{self as suite, stamp};

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

// Facilities, Settings and Assessments; the suite's functions that need AuditChain are
// switched on in tests_models.rs, those of scores and actions in tests_scores.rs.
on_pg!(
    facilities_are_found_by_id_or_name,
    facilities_are_listed_by_name_and_a_refused_write_changes_nothing,
    settings_hold_and_the_strict_policy_refuses_identifiers,
    one_assessment_per_facility_and_year,
);

fn client(s: &PgStore) -> std::cell::RefMut<'_, postgres::Client> {
    s.client.borrow_mut()
}

#[test]
fn a_new_database_gets_the_schema_once_and_a_newer_one_is_refused() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        crate::store::migrations::SCHEMA_VERSION
    );
    let tables: i64 = client(&s)
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    // SQLite's 13 tables and the schema version
    assert_eq!(tables, 14);
    let triggers: Vec<String> = client(&s)
        .query(
            "SELECT DISTINCT trigger_name::text FROM information_schema.triggers ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected: Vec<&str> = crate::store::migrations::LOCK_TRIGGERS.to_vec();
    expected.sort();
    assert_eq!(triggers, expected);
    let models: i64 = client(&s)
        .query_one("SELECT count(*) FROM models WHERE active", &[])
        .unwrap()
        .get(0);
    assert_eq!(models, crate::model::bundled_models().len() as i64);
    drop(s);
    // a second connection finds the schema and changes nothing
    let s = PgStore::connect(&url, &stamp()).unwrap();
    let again: i64 = client(&s)
        .query_one("SELECT count(*) FROM models WHERE active", &[])
        .unwrap()
        .get(0);
    assert_eq!(again, models);
    client(&s)
        .batch_execute("UPDATE schema_version SET version = version + 1")
        .unwrap();
    drop(s);
    assert!(matches!(
        PgStore::connect(&url, &stamp()),
        Err(Error::DatabaseTooNew { .. })
    ));
}

#[test]
fn the_server_locks_a_finalised_assessment_against_plain_sql() {
    let Some(mut s) = fresh() else { return };
    let f = s
        .add_facility(
            &NewFacility {
                name: "Solhøj".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let mut c = client(&s);
    let hash: String = c
        .query_one(
            "SELECT hash FROM models WHERE id = 'socialtilsyn-2017' AND active",
            &[],
        )
        .unwrap()
        .get(0);
    // a new assessment must start as a draft
    let signed = c.execute(
        "INSERT INTO assessments (facility_id, year, model_id, model_hash, status, created_by, created_at)
         VALUES ($1, 2026, 'socialtilsyn-2017', $2, 'finalised', 'x', 'now')",
        &[&f.id, &hash],
    );
    assert!(
        signed
            .unwrap_err()
            .as_db_error()
            .unwrap()
            .message()
            .to_string()
            .contains("starts as a draft")
    );
    let id: i64 = c
        .query_one(
            "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
             VALUES ($1, 2026, 'socialtilsyn-2017', $2, 'x', 'now') RETURNING id",
            &[&f.id, &hash],
        )
        .unwrap()
        .get(0);
    c.execute(
        "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES ($1, '1a', 3, 'x', 'now')",
        &[&id],
    )
    .unwrap();
    // finalising without its audit row is refused
    let plain = c.execute(
        "UPDATE assessments SET status = 'finalised' WHERE id = $1",
        &[&id],
    );
    assert!(
        plain
            .unwrap_err()
            .as_db_error()
            .unwrap()
            .message()
            .to_string()
            .contains("audit log")
    );
    // with the matching newest audit row in the same transaction it goes through
    let mut tx = c.transaction().unwrap();
    tx.execute(
        "INSERT INTO audit_log (id, at, by, action, assessment_id) VALUES (1000, 'now', 'x', 'assessment.finalise', $1)",
        &[&id],
    )
    .unwrap();
    tx.execute(
        "UPDATE assessments SET status = 'finalised' WHERE id = $1",
        &[&id],
    )
    .unwrap();
    tx.commit().unwrap();
    for sql in [
        "UPDATE scores SET value = 5 WHERE assessment_id = $1",
        "DELETE FROM scores WHERE assessment_id = $1",
        "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES ($1, '1b', 3, 'x', 'now')",
        "UPDATE assessments SET year = 2025 WHERE id = $1",
    ] {
        let refused = c.execute(sql, &[&id]);
        assert!(
            refused
                .unwrap_err()
                .as_db_error()
                .unwrap()
                .message()
                .to_string()
                .contains("finalised"),
            "{sql}"
        );
    }
    let value: i64 = c
        .query_one("SELECT value FROM scores WHERE assessment_id = $1", &[&id])
        .unwrap()
        .get(0);
    assert_eq!(value, 3);
}

#[test]
fn facility_writes_append_a_whole_chain_on_the_server() {
    let Some(mut s) = fresh() else { return };
    for name in ["Solhøj", "Nyhuset"] {
        s.add_facility(
            &NewFacility {
                name: name.into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    }
    let changes = crate::store::FacilityChanges {
        location: Some("Vejle".into()),
        ..Default::default()
    };
    s.edit_facility("Solhøj", &changes, &stamp()).unwrap();
    s.archive_facility("Nyhuset", &stamp()).unwrap();
    let rows = client(&s)
        .query(
            "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
             FROM audit_log ORDER BY id",
            &[],
        )
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.get(3)).collect();
    assert_eq!(
        actions,
        [
            "facility.add",
            "facility.add",
            "facility.edit",
            "facility.archive"
        ]
    );
    // the same link hash as SQLite's chain: each row names the one before and hashes to its own
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
        assert_eq!(r.get::<_, String>(10), head);
        let hash = link_hash(&head, &row);
        assert_eq!(r.get::<_, String>(11), hash);
        head = hash;
    }
}

#[test]
fn a_password_never_reaches_an_error_message() {
    let Some(c) = cluster() else { return };
    // a database that does not exist on the test cluster, and a server that is not there
    let missing = c.url("nowhere").replace("postgres@", "postgres:s3cret-pw@");
    let absent = "postgres://mette:s3cret-pw@/tilsyn?host=/nonexistent-dir&connect_timeout=2";
    let bad = "postgres://mette:s3cret-pw@db/tilsyn?sslmode=bogus";
    for url in [missing.as_str(), absent, bad] {
        let e = PgStore::connect(url, &stamp()).err().expect("refused");
        for lang in [crate::i18n::Lang::Da, crate::i18n::Lang::En] {
            let text = e.localized(lang);
            assert!(!text.contains("s3cret-pw"), "{text}");
            assert!(
                text.contains("mette@") || text.contains("postgres@"),
                "{text}"
            );
        }
        assert!(!format!("{e:?}").contains("s3cret-pw"));
    }
}

#[test]
fn the_cluster_starts_within_a_minute() {
    let Some(c) = cluster() else { return };
    assert!(c.started_in.as_secs() < 60, "{:?}", c.started_in);
}

/// The server's schema is written out apart from SQLite's migrations (another dialect):
/// every table and column of SQLite's newest schema is on the server, and nothing else.
#[test]
fn the_server_schema_has_exactly_sqlites_tables_and_columns() {
    let Some(s) = fresh() else { return };
    let lite = crate::store::Store::open_in_memory(&stamp()).unwrap();
    let mut sqlite: Vec<(String, String)> = lite
        .conn
        .prepare(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut server: Vec<(String, String)> = client(&s)
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> 'schema_version'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    sqlite.sort();
    server.sort();
    assert!(sqlite.len() > 50, "SQLite's schema read: {}", sqlite.len());
    assert_eq!(server, sqlite);
}

#[test]
fn a_connection_to_a_current_database_does_not_queue_behind_the_schema_lock() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    drop(PgStore::connect(&url, &stamp()).unwrap());
    // another connection holds the schema lock (as one creating the schema would)
    let holder = PgStore::connect(&url, &stamp()).unwrap();
    let mut held = client(&holder);
    let mut tx = held.transaction().unwrap();
    tx.batch_execute("SELECT pg_advisory_xact_lock(7017)")
        .unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let other = url.clone();
    std::thread::spawn(move || {
        let connected = PgStore::connect(&other, &stamp()).is_ok();
        let _ = done.send(connected);
    });
    // a database at this version holding every bundled model: nothing to wait for
    let connected = finished.recv_timeout(std::time::Duration::from_secs(20));
    tx.rollback().unwrap();
    assert_eq!(
        connected,
        Ok(true),
        "the connect waited for the schema lock"
    );
}

#[test]
fn a_connection_takes_the_memo_only_while_what_it_names_is_on_the_server() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let memo = |s: &PgStore| -> Option<String> {
        client(s)
            .query_opt(
                "SELECT value FROM settings WHERE key = 'cache.bundled'",
                &[],
            )
            .unwrap()
            .map(|r| r.get(0))
    };
    let models = |s: &PgStore| -> i64 {
        client(s)
            .query_one("SELECT count(*) FROM models", &[])
            .unwrap()
            .get(0)
    };
    drop(PgStore::connect(&url, &stamp()).unwrap());
    // the second connection finds everything and leaves the memo (the first loaded)
    let s = PgStore::connect(&url, &stamp()).unwrap();
    let first = memo(&s).expect("a memo");
    assert!(
        first.contains(crate::model::EARLIER_BUNDLED[0].1),
        "{first}"
    );
    assert!(s.is_current().unwrap());
    // a model version gone: the memo does not hold, and the next connection puts it back
    client(&s)
        .execute(
            "DELETE FROM models WHERE hash = $1",
            &[&crate::model::EARLIER_BUNDLED[0].1],
        )
        .unwrap();
    assert_eq!(models(&s), 4);
    assert!(!s.is_current().unwrap());
    drop(s);
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(models(&s), 5);
    // a memo of other texts: a full check, which writes this program's anew
    client(&s)
        .execute(
            "UPDATE settings SET value = 'not a memo' WHERE key = 'cache.bundled'",
            &[],
        )
        .unwrap();
    assert!(s.is_current().unwrap());
    assert_eq!(memo(&s).as_deref(), Some(first.as_str()));
}
