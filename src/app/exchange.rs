//! What leaves the program and comes back: the selection an export writes (the writers,
//! faces themselves, are `export::{csv, xlsx, report, bundle}` through `export::write_*`)
//! and the import of bundles.

use super::Session;
use crate::error::Result;
use crate::exchange::{ImportReport, OnConflict};
use crate::store::{AssessmentRecord, Facility, Selection};
use std::path::Path;

/// The facilities and assessments of a selection.
pub fn select(s: &Session, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
    s.store.select(sel)
}

/// A selection narrowed to the assessments on one framework (where a year holds a quality
/// assessment and a safety self-evaluation); refused where none of them is on it.
pub fn on_framework(s: &Session, sel: &Selection, framework: &str) -> Result<Selection> {
    let (_, list) = s.store.select(sel)?;
    let mut ids = Vec::new();
    for a in &list {
        if s.store.framework_of_hash(&a.model_hash)? == framework {
            ids.push(a.id);
        }
    }
    if ids.is_empty() {
        return Err(crate::error::Error::UnknownAssessment(
            crate::text::for_terminal(framework, false).into_owned(),
        ));
    }
    Ok(Selection::Assessments(ids))
}

/// Checks that the export may write `path` (not the database; an existing file only with
/// `force`).
pub fn check_output(s: &Session, path: &Path, force: bool) -> Result<()> {
    super::files::check_output(path, s.store.path(), force)
}

/// Merges one bundle file into the database, all or nothing, read as a stream.
pub fn import(s: &mut Session, path: &Path, on_conflict: OnConflict) -> Result<ImportReport> {
    let name = path.display().to_string();
    let stamp = s.stamp();
    s.store
        .import_bundle_from(&name, || std::fs::File::open(path), on_conflict, &stamp)
}
