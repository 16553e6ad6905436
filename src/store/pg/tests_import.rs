//! The bundle import on the server: the shared suite's import functions
//! (`backend_suite/import.rs`), each against SQLite's outcome for the same bundle.

use super::PgStore;
use super::cluster::cluster;
use crate::store::backend_suite::import::{FLAGS, TABLES, dump_row};
use crate::store::backend_suite::{self as suite, stamp};

fn fresh() -> Option<PgStore> {
    let c = cluster()?;
    Some(PgStore::connect(&c.fresh_database(), &stamp()).expect("connects"))
}

/// The server's rows as the suite lists them (flags as SQLite's 0 and 1), sorted.
pub(super) fn pg_dump(s: &PgStore) -> Vec<String> {
    let mut client = s.client.borrow_mut();
    let mut out = Vec::new();
    for (table, columns) in TABLES {
        let cols: Vec<String> = columns
            .split(", ")
            .map(|c| {
                if FLAGS.contains(&c) {
                    format!("CAST(CAST({c} AS INT) AS TEXT)")
                } else {
                    format!("CAST({c} AS TEXT)")
                }
            })
            .collect();
        let sql = format!("SELECT {} FROM {table}", cols.join(", "));
        let mut rows: Vec<String> = client
            .query(&sql, &[])
            .unwrap()
            .iter()
            .map(|r| dump_row(table, (0..cols.len()).map(|i| r.get(i)).collect()))
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

macro_rules! on_pg {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() {
            let Some(mut s) = fresh() else { return };
            suite::import::$name(&mut s, &pg_dump);
        })*
    };
}

on_pg!(
    a_bundle_gives_the_same_rows_as_on_sqlite,
    a_bad_bundle_changes_nothing_and_names_the_place,
    a_forged_bundle_is_refused,
    conflicts_are_decided_as_on_sqlite,
    a_bulk_load_gives_the_same_rows_as_on_sqlite,
);

/// The lock triggers enabled, as `pg_trigger` says (`O`: on), each of SQLite's six names.
fn triggers_on(s: &PgStore) -> usize {
    s.client
        .borrow_mut()
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O'",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0) as usize
}

/// After an import (one that failed too) and a bulk load the lock is whole: every trigger
/// on, and a finalised assessment's score refused by the server itself.
#[test]
fn the_lock_holds_after_an_import_and_a_bulk_load() {
    let Some(mut s) = fresh() else { return };
    let six = crate::store::migrations::LOCK_TRIGGERS.len();
    assert_eq!(triggers_on(&s), six);
    suite::import::a_bad_bundle_changes_nothing_and_names_the_place(&mut s, &pg_dump);
    assert_eq!(triggers_on(&s), six);
    let Some(mut t) = fresh() else { return };
    suite::import::a_bulk_load_gives_the_same_rows_as_on_sqlite(&mut t, &pg_dump);
    assert_eq!(triggers_on(&t), six);
    for s in [&s, &t] {
        let refused = s.client.borrow_mut().execute(
            "UPDATE scores SET reasoning = 'ændret' WHERE assessment_id = (SELECT min(id) FROM assessments WHERE status = 'finalised')",
            &[],
        );
        let message = refused
            .unwrap_err()
            .as_db_error()
            .unwrap()
            .message()
            .to_string();
        assert_eq!(message, "assessment is finalised");
    }
}
