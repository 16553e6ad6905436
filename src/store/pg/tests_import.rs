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
);
