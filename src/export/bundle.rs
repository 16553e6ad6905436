//! The exchange bundle of a selection, streamed: the head, one assessment at a time, then
//! the audit rows.

use crate::app::Session;
use crate::app::exchange::{self, AssessmentRecord, Facility};
use crate::app::files::out_err;
use crate::error::Result;
use crate::exchange::BundleWriter;
use std::io::Write;
use std::path::Path;

/// Writes the bundle of `facilities` and `assessments`, exported `at` by `by`; I/O errors
/// name `path`.
pub fn write(
    s: &Session,
    facilities: &[Facility],
    assessments: &[AssessmentRecord],
    at: &str,
    by: &str,
    path: &Path,
    w: &mut dyn Write,
) -> Result<()> {
    let err = out_err(path);
    let (models, bundle_facilities) = exchange::bundle_head(s, facilities, assessments)?;
    let mut bw = BundleWriter::start(w, at, by, &models, &bundle_facilities).map_err(&err)?;
    for a in assessments {
        bw.assessment(&exchange::bundle_assessment(s, a)?)
            .map_err(&err)?;
    }
    exchange::for_each_bundle_audit_row(s, facilities, assessments, |row| {
        bw.audit(&row).map_err(&err)
    })?;
    bw.finish().map_err(&err)?;
    Ok(())
}
