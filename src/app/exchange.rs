//! What leaves the program and comes back: the exports of a selection (CSV, XLSX, the
//! HTML/Markdown report, the JSON bundle) and the import of bundles.

use super::Session;
use super::files::write_output;
use crate::error::Result;
use crate::exchange::{ImportReport, OnConflict};
use crate::export::report::Kind;
use crate::store::{AssessmentRecord, Facility, Selection};
use std::path::Path;

/// The facilities and assessments of a selection.
pub fn select(s: &Session, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
    s.store.select(sel)
}

/// Checks that the export may write `path` (not the database; an existing file only with
/// `force`).
pub fn check_output(s: &Session, path: &Path, force: bool) -> Result<()> {
    super::files::check_output(path, s.store.path(), force)
}

/// The CSV export of a selection, streamed from the tables.
pub fn csv(s: &Session, sel: &Selection, path: &Path, excel: bool) -> Result<()> {
    crate::export::csv::write(s, sel, path, excel)
}

/// The HTML or Markdown report of a selection.
pub fn report(s: &Session, sel: &Selection, path: &Path, kind: Kind) -> Result<()> {
    let (_, assessments) = select(s, sel)?;
    crate::export::report::write(s, &assessments, path, kind)
}

/// The XLSX workbook of a selection.
pub fn xlsx(s: &Session, sel: &Selection, path: &Path) -> Result<()> {
    let (_, assessments) = select(s, sel)?;
    crate::export::xlsx::write(s, &assessments, path)
}

/// The JSON exchange bundle of a selection, stamped with the session's user and clock.
pub fn bundle(s: &Session, sel: &Selection, path: &Path) -> Result<()> {
    let (facilities, assessments) = select(s, sel)?;
    let stamp = s.stamp();
    let at = stamp
        .at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    write_output(path, |w| {
        crate::export::bundle::write(&s.store, &facilities, &assessments, &at, &stamp.by, path, w)
    })
}

/// Merges one bundle file into the database, all or nothing, read as a stream.
pub fn import(s: &mut Session, path: &Path, on_conflict: OnConflict) -> Result<ImportReport> {
    let name = path.display().to_string();
    let stamp = s.stamp();
    s.store
        .import_bundle_from(&name, || std::fs::File::open(path), on_conflict, &stamp)
}
