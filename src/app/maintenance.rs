//! Looking after the database: its file, backup, doctor, verify, strict mode, demo data.

use super::Session;
use crate::demo::{DemoReport, DemoSpec};
use crate::error::{Error, Result};
use crate::store::{Check, Verification};
use std::path::Path;

/// The database file of the session.
pub fn database_path(s: &Session) -> &Path {
    s.store.path()
}

/// Copies the database with SQLite's online backup (safe while others write).
pub fn backup(s: &Session, dest: &Path) -> Result<()> {
    s.store.backup(dest)
}

/// The database's health checks.
pub fn doctor(s: &Session) -> Result<Vec<Check>> {
    s.store.doctor()
}

/// Recomputes the audit chain and the sign-off hashes, of one assessment or of all.
pub fn verify(s: &Session, assessment: Option<i64>) -> Result<Verification> {
    s.store.verify(assessment)
}

/// Refuses texts holding personal data for this session, whatever the database's policy.
pub fn set_strict(s: &mut Session) {
    s.store.set_strict();
}

/// Generates demo data into an empty database; the first year defaults to this year (the
/// session's clock) minus the years.
pub fn demo(
    s: &mut Session,
    facilities: usize,
    years: usize,
    from_year: Option<i32>,
    seed: u64,
) -> Result<DemoReport> {
    if !super::facilities::none(s)? {
        return Err(Error::DemoNotEmpty(s.store.path().to_path_buf()));
    }
    let spec = DemoSpec {
        facilities,
        years,
        from_year: from_year.unwrap_or(s.this_year() - years as i32 + 1),
        seed,
    };
    crate::demo::generate(&mut *s.store, &spec, "demo")
}
