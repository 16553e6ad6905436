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

/// The peak resident memory of this process so far, in MB (`VmHWM`).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// By hand (release), the nation's bundle into a fresh server database:
/// `TILSYNSKLAR_PG_BUNDLE=nation.json cargo test --release --lib national_import -- --ignored --nocapture`
#[test]
#[ignore]
fn national_import_timing() {
    use crate::store::backend::BundleImport;
    let Ok(path) = std::env::var("TILSYNSKLAR_PG_BUNDLE") else {
        eprintln!("skipped: TILSYNSKLAR_PG_BUNDLE names no bundle");
        return;
    };
    let Some(mut s) = fresh() else { return };
    let open = || std::fs::File::open(&path).map(|f| Box::new(f) as Box<dyn std::io::Read + Send>);
    let before = peak_mb();
    let t = std::time::Instant::now();
    let r = s
        .import_bundle_from(
            "nation.json",
            &open,
            crate::exchange::OnConflict::Refuse,
            &stamp(),
        )
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "PostgreSQL import: {} assessments, {} scores, {} audit rows in {secs:.1} s ({:.0} scores/s); peak RSS {before:.0} -> {:.0} MB",
        r.assessments_added,
        r.scores_added,
        r.audit_rows_added,
        r.scores_added as f64 / secs,
        peak_mb()
    );
    assert_eq!(r.assessments_added, 30_000);
}

/// By hand (release): a nation's worth of rows (3,000 facilities × 10 years, the later
/// socialtilsyn model, the last year a draft) through the bulk loader, into SQLite (a
/// file) and into the server:
/// `cargo test --release --lib national_bulk -- --ignored --nocapture`
#[test]
#[ignore]
fn national_bulk_timing() {
    use crate::store::backend::{Bulk, BulkLoad};
    let Some(mut s) = fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut lite = crate::store::Store::open(&dir.path().join("n.db"), &stamp()).unwrap();
    let model = lite.active_model("socialtilsyn-2017").unwrap();
    let hash = model.content_hash();
    let ids: Vec<String> = model.indicators().map(|r| r.indicator.id.clone()).collect();
    let load = |bulk: &mut dyn BulkLoad| -> usize {
        let mut scores = 0;
        for n in 0..3000 {
            let f = crate::store::NewFacility {
                name: format!("Tilbud {n}"),
                ..Default::default()
            };
            let fid = bulk.facility(&f, "2016-01-10T09:00:00.000Z").unwrap();
            for year in 2016..2026 {
                let rows: Vec<(&str, Option<u8>, &str, &str)> = ids
                    .iter()
                    .enumerate()
                    .map(|(k, id)| {
                        (
                            id.as_str(),
                            Some(1 + ((k + n) % 5) as u8),
                            "Set.",
                            "Interview",
                        )
                    })
                    .collect();
                let at = format!("{year}-03-01T10:00:00.000Z");
                let done = format!("{year}-11-15T14:00:00.000Z");
                let record = crate::integrity::SignedRecord {
                    year: i64::from(year),
                    model_hash: &hash,
                    signer: Some(crate::store::BulkLoader::SIGNER),
                    at: Some(&done),
                };
                let signed = (year < 2025)
                    .then(|| crate::store::BulkLoader::signoff(&record, &rows, "t", &at));
                let sig = signed.as_deref().map(|h| (done.as_str(), h));
                let aid = bulk
                    .assessment(fid, year, &model.id, &hash, "t", &at, sig)
                    .unwrap();
                bulk.audit("assessment.start", fid, Some(aid), None, "t", &at)
                    .unwrap();
                bulk.scores(aid, &rows, "t", &at).unwrap();
                scores += rows.len();
                for id in &ids[..2] {
                    bulk.action(aid, id, "Indsats", "Leder", None, "planned", None, "t", &at)
                        .unwrap();
                }
                if sig.is_some() {
                    let new = Some("{\"status\":\"finalised\",\"by\":\"Forstander\"}");
                    bulk.audit("assessment.finalise", fid, Some(aid), new, "t", &done)
                        .unwrap();
                }
            }
        }
        scores
    };
    for (name, b) in [
        ("SQLite", &mut lite as &mut dyn Bulk),
        ("PostgreSQL", &mut s as &mut dyn Bulk),
    ] {
        let t = std::time::Instant::now();
        let mut bulk = b.bulk().unwrap();
        let scores = load(&mut *bulk);
        bulk.commit().unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name} bulk load: {scores} scores in {secs:.1} s ({:.0} scores/s)",
            scores as f64 / secs
        );
    }
    assert_eq!(pg_dump_count(&s), 30_000);
}

fn pg_dump_count(s: &PgStore) -> i64 {
    s.client
        .borrow_mut()
        .query_one("SELECT count(*) FROM assessments", &[])
        .unwrap()
        .get(0)
}
