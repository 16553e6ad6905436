//! What leaves the program and comes back: the selection an export writes (the writers,
//! faces themselves, are `export::{csv, xlsx, report, bundle}` through `export::write_*`)
//! and the import of bundles.

use super::Session;
use crate::assessment::{ImprovementAction, Score};
use crate::error::Result;
use crate::exchange::{BundleAssessment, BundleAudit, BundleFacility, BundleModel};
use crate::exchange::{ImportReport, OnConflict};
use crate::model::QualityModel;
use std::collections::HashSet;
use std::path::Path;
use std::rc::Rc;

/// What the exporters read, named here so that they need nothing from the store.
pub use crate::store::{AssessmentRecord, Facility, ScoreText, Selection};

/// The facilities and assessments of a selection.
pub fn select(s: &Session, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
    s.store.select(sel)
}

/// The model version an assessment names (by its content hash).
pub fn model(s: &Session, hash: &str) -> Result<Rc<QualityModel>> {
    s.store.model_by_hash(hash)
}

/// Streams the assessments a selection takes, in number order, each with its scores'
/// texts as stored and the indicators carried over and not re-assessed; the buffers are
/// reused from one assessment to the next, so memory stays flat (the CSV export).
pub fn for_each_export_texts(
    s: &Session,
    sel: &Selection,
    mut f: impl FnMut(&AssessmentRecord, &[ScoreText], Option<&HashSet<String>>) -> Result<()>,
) -> Result<()> {
    // few rows: only a roll-forward's unconfirmed scores
    let carried = s.store.carried_over_scores()?;
    s.store
        .for_each_selected_texts(sel, &mut |a, scores| f(a, scores, carried.get(&a.id)))
}

/// Streams the assessments a selection takes, in number order, each with its scores and
/// improvement actions, from one pass over each table (the workbook).
pub fn for_each_export_assessment(
    s: &Session,
    sel: &Selection,
    mut f: impl FnMut(&AssessmentRecord, &[Score], &[ImprovementAction]) -> Result<()>,
) -> Result<()> {
    s.store.for_each_selected_scores(sel, &mut f)
}

/// The bundle's parts: the model versions the assessments name, the facilities.
pub fn bundle_head(
    s: &Session,
    facilities: &[Facility],
    assessments: &[AssessmentRecord],
) -> Result<(Vec<BundleModel>, Vec<BundleFacility>)> {
    Ok((
        s.store.bundle_models(assessments)?,
        s.store.bundle_facilities(facilities),
    ))
}

/// One assessment in bundle form.
pub fn bundle_assessment(s: &Session, a: &AssessmentRecord) -> Result<BundleAssessment<'static>> {
    s.store.bundle_assessment(a)
}

/// The audit rows of these facilities and assessments in bundle form, streamed.
pub fn for_each_bundle_audit_row(
    s: &Session,
    facilities: &[Facility],
    assessments: &[AssessmentRecord],
    mut f: impl FnMut(BundleAudit) -> Result<()>,
) -> Result<()> {
    s.store.for_each_audit_row(facilities, assessments, &mut f)
}

/// A session on an in-memory database holding a small demo (the exporters' tests).
#[cfg(test)]
pub(crate) fn demo_session(spec: &crate::demo::DemoSpec) -> Session {
    let stamp = crate::store::Stamp {
        by: "t".into(),
        at: chrono::Utc::now(),
    };
    let mut store = crate::store::Store::open_in_memory(&stamp).expect("an in-memory database");
    crate::demo::generate(&mut store, spec, "t").expect("the demo loads");
    Session::new(store, crate::i18n::Lang::Da, "t".into())
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
        .import_bundle_from(&name, &|| open_boxed(path), on_conflict, &stamp)
}

/// The bundle file opened as the seam's reader.
fn open_boxed(path: &Path) -> std::io::Result<Box<dyn std::io::Read + Send>> {
    Ok(Box::new(std::fs::File::open(path)?))
}
