//! The suite's reads (`backend_suite/reads.rs`) on the server: the sample written through
//! SQLite's writes is copied row for row into a fresh database (the lock's triggers set
//! aside for the copy), then the same functions run; and every read's output must be the
//! same text on both backends.

use super::PgStore;
use super::cluster::cluster;
use crate::store::Store;
use crate::store::backend_suite::reads::{self as suite, Sample};
use crate::store::backend_suite::stamp;
use postgres::types::ToSql;

/// The tables in an order their references allow.
const TABLES: [&str; 13] = [
    "models",
    "model_mappings",
    "strategies",
    "strategy_nodes",
    "strategy_links",
    "facilities",
    "facility_tags",
    "assessments",
    "audit_log",
    "settings",
    "improvement_actions",
    "action_indicators",
    "scores",
];

/// A fresh database on the test cluster; `None` (skipped) without a server.
fn fresh() -> Option<PgStore> {
    let c = cluster()?;
    Some(PgStore::connect(&c.fresh_database(), &stamp()).expect("connects"))
}

/// Every row of every table of `lite`, copied into `pg` (whose own rows go first).
fn copy(lite: &Store, pg: &PgStore) {
    let mut client = pg.client.borrow_mut();
    let mut tx = client.transaction().unwrap();
    // the rows are finished ones: the lock's triggers (and the references) stay aside
    tx.batch_execute("SET LOCAL session_replication_role = replica")
        .unwrap();
    for table in TABLES.iter().rev() {
        tx.execute(&format!("DELETE FROM {table}"), &[]).unwrap();
    }
    for table in TABLES {
        let columns: Vec<(String, String)> = tx
            .query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[&table],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let names: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let insert = tx
            .prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ))
            .unwrap();
        let mut stmt = lite
            .conn
            .prepare(&format!("SELECT {} FROM {table}", names.join(", ")))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
            for (i, (_, kind)) in columns.iter().enumerate() {
                use rusqlite::types::Value;
                let v: Value = r.get(i).unwrap();
                let int = match &v {
                    Value::Integer(n) => Some(*n),
                    _ => None,
                };
                values.push(match kind.as_str() {
                    "bigint" => Box::new(int),
                    "integer" => Box::new(int.map(|n| i32::try_from(n).unwrap())),
                    "boolean" => Box::new(int.map(|n| n != 0)),
                    "text" => Box::new(match v {
                        Value::Text(t) => Some(t),
                        Value::Null => None,
                        other => panic!("{table}: a text column holds {other:?}"),
                    }),
                    other => panic!("{table}: column type {other}"),
                });
            }
            let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
            tx.execute(&insert, &refs).unwrap();
        }
    }
    tx.commit().unwrap();
}

/// The sample on SQLite, and a copy of it on the server.
fn both() -> Option<(Store, PgStore, Sample)> {
    let pg = fresh()?;
    let (lite, sample) = suite::sample();
    copy(&lite, &pg);
    Some((lite, pg, sample))
}

macro_rules! on_pg {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() {
            let Some((_, pg, sample)) = both() else { return };
            suite::$name(&pg, &sample);
        })*
    };
}

on_pg!(
    keys_briefs_and_doubles_read_as_stored,
    a_comparison_streams_oldest_year_first,
    a_selection_takes_its_facilities_and_assessments,
    a_bundle_reads_its_parts_and_seals_the_audit_rows,
    the_export_streams_agree_with_the_bundle,
);

#[test]
fn the_scan_reads_free_texts_within_its_scope() {
    let Some(mut pg) = fresh() else { return };
    suite::the_scan_reads_free_texts_within_its_scope(&mut pg);
}

#[test]
fn a_changed_audit_row_is_not_sealed() {
    let Some((_, mut pg, _)) = both() else { return };
    suite::a_changed_audit_row_is_not_sealed(&mut pg, |s| {
        s.client
            .borrow_mut()
            .query_one(
                "UPDATE audit_log SET by = 'nogen' WHERE id = (SELECT max(id) FROM audit_log WHERE action = 'score.set'
                 AND assessment_id IN (SELECT id FROM assessments WHERE year = 2016)) RETURNING id",
                &[],
            )
            .unwrap()
            .get(0)
    });
}

/// The same rows give the same reads on both backends: keys, doubles, the comparison's
/// stream and frame, selections, bundles (assessments, models, the sealed audit rows), the
/// exports' streams and the privacy scan's texts, text for text.
#[test]
fn the_same_rows_read_the_same_on_sqlite_and_postgresql() {
    let Some((lite, pg, sample)) = both() else {
        return;
    };
    let (on_lite, on_pg) = (suite::dump(&lite, &sample), suite::dump(&pg, &sample));
    assert!(on_lite.lines().count() > 50);
    for (i, (a, b)) in on_lite.lines().zip(on_pg.lines()).enumerate() {
        assert_eq!(a, b, "line {i}");
    }
    assert_eq!(on_lite.lines().count(), on_pg.lines().count());
}

/// The exports' functions read the store while a stream runs (a model, a facility): the
/// stream lets the connection go between its pages, so they may.
#[test]
fn a_stream_may_read_the_store_from_within() {
    use crate::store::backend::{Exchange, Facilities, Listings};
    use crate::store::{CompareFilter, FacilityId, Selection};
    let Some((_, pg, _)) = both() else { return };
    let mut names = Vec::new();
    pg.for_each_selected_scores(&Selection::All, &mut |a, _, _| {
        names.push(pg.facility_by_id(FacilityId(a.facility_id))?.name);
        Ok(())
    })
    .unwrap();
    assert_eq!(names.len(), 7);
    let mut n = 0;
    pg.for_each_selected_texts(&Selection::All, &mut |a, _| {
        n += pg.assessment_keys_of(a.facility_id)?.len();
        Ok(())
    })
    .unwrap();
    assert!(n > 7);
    let mut m = 0;
    pg.for_each_assessment_scores(&CompareFilter::default(), &mut |a| {
        m += pg.select(&Selection::Assessment(a.assessment_id))?.1.len();
        Ok(())
    })
    .unwrap();
    assert_eq!(m, 6);
}
