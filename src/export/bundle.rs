//! The exchange bundle of a selection, streamed: the head, one assessment at a time, then
//! the audit rows.

use crate::app::files::out_err;
use crate::error::Result;
use crate::exchange::BundleWriter;
use crate::store::{AssessmentRecord, Facility, Store};
use std::io::Write;
use std::path::Path;

/// Writes the bundle of `facilities` and `assessments`, exported `at` by `by`; I/O errors
/// name `path`.
pub fn write(
    store: &Store,
    facilities: &[Facility],
    assessments: &[AssessmentRecord],
    at: &str,
    by: &str,
    path: &Path,
    w: &mut dyn Write,
) -> Result<()> {
    let err = out_err(path);
    let models = store.bundle_models(assessments)?;
    let mut bw = BundleWriter::start(w, at, by, &models, &store.bundle_facilities(facilities))
        .map_err(&err)?;
    for a in assessments {
        bw.assessment(&store.bundle_assessment(a)?).map_err(&err)?;
    }
    store.for_each_audit_row(facilities, assessments, |row| bw.audit(&row).map_err(&err))?;
    bw.finish().map_err(&err)?;
    Ok(())
}
