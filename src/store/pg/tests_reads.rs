//! The suite's reads (`backend_suite/reads.rs`) on the server: the sample written through
//! SQLite's writes is copied row for row into a fresh database (the lock's triggers set
//! aside for the copy), then the same functions run; and every read's output must be the
//! same text on both backends.

use super::PgStore;
use super::cluster::cluster;
use crate::store::Store;
use crate::store::backend_suite::reads::{self as suite, Sample};
use crate::store::backend_suite::stamp;

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

/// A value in `COPY`'s text format.
fn copy_text(out: &mut Vec<u8>, kind: &str, v: rusqlite::types::ValueRef<'_>) {
    use rusqlite::types::ValueRef;
    match (v, kind) {
        (ValueRef::Null, _) => out.extend_from_slice(b"\\N"),
        (ValueRef::Integer(n), "boolean") => out.push(if n != 0 { b't' } else { b'f' }),
        (ValueRef::Integer(n), _) => out.extend_from_slice(n.to_string().as_bytes()),
        (ValueRef::Text(t), _) => {
            for &c in t {
                match c {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    c => out.push(c),
                }
            }
        }
        (other, _) => panic!("a {kind} column holds {other:?}"),
    }
}

/// Every row of every table of `lite`, copied into `pg` (whose own rows go first) with
/// `COPY`; the rows are finished ones, so the lock's triggers (and the references) stay
/// aside for the copy.
fn copy(lite: &Store, pg: &PgStore) {
    use std::io::Write;
    let mut client = pg.client.borrow_mut();
    let mut tx = client.transaction().unwrap();
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
        let mut w = tx
            .copy_in(&format!("COPY {table} ({}) FROM STDIN", names.join(", ")))
            .unwrap();
        let mut stmt = lite
            .conn
            .prepare(&format!("SELECT {} FROM {table}", names.join(", ")))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut line = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            line.clear();
            for (i, (_, kind)) in columns.iter().enumerate() {
                if i > 0 {
                    line.push(b'\t');
                }
                copy_text(&mut line, kind, r.get_ref(i).unwrap());
            }
            line.push(b'\n');
            w.write_all(&line).unwrap();
        }
        w.finish().unwrap();
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

/// `compare --year`'s reads (the frame, the doubles, the year's scores streamed) on a
/// national database: `TILSYNSKLAR_PG_BENCH_DB` names a SQLite file (`tilsynsklar demo
/// --facilities 3000 --years 10`), copied to the server; each backend timed in turn.
/// A measurement, not a check: `cargo test --release --lib compare_year -- --ignored
/// --nocapture`.
#[test]
#[ignore]
fn compare_year_on_a_national_database_beside_sqlite() {
    use crate::store::CompareFilter;
    use crate::store::backend::Listings;
    use std::time::{Duration, Instant};
    let Some(path) = std::env::var_os("TILSYNSKLAR_PG_BENCH_DB") else {
        println!("skipped: TILSYNSKLAR_PG_BENCH_DB names no national database");
        return;
    };
    let Some(pg) = fresh() else { return };
    let lite = Store::open(std::path::Path::new(&path), &stamp()).unwrap();
    let started = Instant::now();
    copy(&lite, &pg);
    pg.client.borrow_mut().batch_execute("ANALYZE").unwrap();
    println!("copied to the server in {:?}", started.elapsed());
    let year = |b: &dyn Listings| {
        let filter = CompareFilter {
            years: Some((2024, 2024)),
            ..Default::default()
        };
        let m = b.compare_frame_any(None, filter.framework()).unwrap();
        let doubles = b.double_keys_where(&filter).unwrap().len();
        let (mut n, mut sum) = (0usize, 0u64);
        b.for_each_assessment_scores(&filter, &mut |a| {
            n += 1;
            sum += a
                .values
                .iter()
                .filter_map(|(_, v)| v.value().map(u64::from))
                .sum::<u64>();
            Ok(())
        })
        .unwrap();
        (m.frame.id.clone(), doubles, n, sum)
    };
    assert_eq!(year(&lite), year(&pg));
    let (mut on_lite, mut on_pg): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let t = Instant::now();
        year(&lite);
        on_lite.push(t.elapsed());
        let t = Instant::now();
        year(&pg);
        on_pg.push(t.elapsed());
    }
    on_lite.sort();
    on_pg.sort();
    let (l, p) = (on_lite[3], on_pg[3]);
    // the parts on the server
    let filter = CompareFilter {
        years: Some((2024, 2024)),
        ..Default::default()
    };
    let part = |name: &str, f: &dyn Fn()| {
        let mut t: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        t.sort();
        println!("  {name}: {:.1} ms", t[2].as_secs_f64() * 1e3);
    };
    part("compare_frame_any", &|| {
        pg.compare_frame_any(None, "socialtilsyn").unwrap();
    });
    part("double_keys_where", &|| {
        pg.double_keys_where(&filter).unwrap();
    });
    part("for_each_assessment_scores", &|| {
        pg.for_each_assessment_scores(&filter, &mut |_| Ok(()))
            .unwrap();
    });
    println!(
        "compare --year 2024 reads, median of 7: SQLite {:.1} ms, PostgreSQL {:.1} ms ({:.2}×); {:?}",
        l.as_secs_f64() * 1e3,
        p.as_secs_f64() * 1e3,
        p.as_secs_f64() / l.as_secs_f64(),
        year(&pg)
    );
}

/// The same writes through each backend's own code give the same reads, text for text
/// (the sample written on the server by `PgStore`'s writes, not copied).
#[test]
fn the_same_writes_read_the_same_on_sqlite_and_postgresql() {
    let Some(mut pg) = fresh() else { return };
    let (lite, sample) = suite::sample();
    let on_server = suite::sample_on(&mut pg, |s, of| {
        s.client
            .borrow_mut()
            .query_one(
                "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at)
                 SELECT facility_id, year, model_id, model_hash, 'import', '2026-02-01T10:00:00.000Z'
                 FROM assessments WHERE id = $1 RETURNING id",
                &[&of],
            )
            .unwrap()
            .get(0)
    });
    assert_eq!(format!("{sample:?}"), format!("{on_server:?}"));
    let (on_lite, on_pg) = (suite::dump(&lite, &sample), suite::dump(&pg, &on_server));
    for (i, (a, b)) in on_lite.lines().zip(on_pg.lines()).enumerate() {
        assert_eq!(a, b, "line {i}");
    }
    assert_eq!(on_lite.lines().count(), on_pg.lines().count());
}
