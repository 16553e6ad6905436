//! The throwaway PostgreSQL cluster of `src/store/pg/cluster.rs` (one per test binary,
//! started on first use, a database per test) for the tests that run the real binary;
//! a test binary takes it with `#[path = "common/pg.rs"] mod pg;` beside `mod common;`.
//! Where no server can be started a test is skipped with the reason printed; under
//! `TILSYNSKLAR_REQUIRE_TOOLS=1` the skip fails.

#![allow(dead_code)]

#[allow(dead_code, unused_imports)]
#[path = "../../src/store/pg/cluster.rs"]
mod cluster;

use crate::common::Env;
use std::path::PathBuf;

/// The URL of a new, empty database on the test binary's cluster; `None` (the reason
/// printed) where no server can be started.
pub fn fresh_database() -> Option<String> {
    cluster::cluster().map(|c| c.fresh_database())
}

/// An `Env` whose `--db` is a new database on the cluster (`None`: skipped).
pub fn env() -> Option<Env> {
    let url = fresh_database()?;
    Some(Env {
        dir: tempfile::tempdir().unwrap(),
        db: PathBuf::from(url),
    })
}

/// Every row of every table of the database at `url`, as text, in a stable order: what
/// "the server's database is unchanged" compares.
pub fn snapshot(url: &str) -> String {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' ORDER BY table_name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = String::new();
    for t in tables {
        let rows = c
            .query(
                &format!("SELECT t::text FROM \"{t}\" t ORDER BY t::text"),
                &[],
            )
            .unwrap();
        for r in rows {
            let row: String = r.get(0);
            out.push_str(&format!("{t}: {row}\n"));
        }
    }
    out
}

/// Runs a command on `env` that must fail with one line on stderr and leave the server's
/// database as it was; returns that line (`Env::fails` for a server).
pub fn fails(env: &Env, args: &[&str]) -> String {
    let url = env.db.to_str().unwrap().to_string();
    let before = snapshot(&url);
    let out = env.cmd(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&url), before, "{args:?} changed the database");
    err.trim_end().to_string()
}
