//! The parts of a bundle as the reading thread hands them over, taken in the order a
//! writer can merge them: the head once it is complete (assessments that come before it
//! wait), each assessment then at once, and the audit rows as they come once every
//! assessment is decided (kept till the end while any waits). The same for every
//! backend's writer, which says only how each is merged (`Merge`).

use super::early_check::{Checked, Spent};
use crate::assessment::PersonalDataPolicy;
use crate::error::Result;
use crate::exchange::{
    AuditProof, BundleAssessment, BundleAudit, BundleFacility, BundleModel, check_audit,
    check_format,
};
use crate::store::import_read::Part;
use std::sync::mpsc::Sender;

/// What the parts taken so far leave to do.
pub(in crate::store) struct Parts<'t> {
    /// The file's name, for errors.
    file: &'t str,
    /// The policy the texts are checked under.
    policy: PersonalDataPolicy,
    exported_at: Option<String>,
    exported_by: Option<String>,
    format_seen: bool,
    program_seen: bool,
    models: Option<Vec<BundleModel>>,
    facilities: Option<Vec<BundleFacility>>,
    head_merged: bool,
    /// Assessments that came before the head was complete, with their places and the
    /// reading thread's verdicts.
    waiting: Vec<(usize, BundleAssessment<'static>, Checked)>,
    assessments: usize,
    /// Whether the `assessments` array has been read to its end.
    assessments_done: bool,
    /// Audit rows kept until the assessments are all decided (and where they start).
    audit: Vec<BundleAudit>,
    audit_first: usize,
    /// How many audit rows have come.
    audit_rows: usize,
    /// The bundle's audit chain, walked as the rows come.
    proof: AuditProof,
    /// Where merged assessments go to be dropped (the reading thread: `early_check`).
    give_back: Option<Sender<Spent>>,
    /// Assessments that differ from what the database has, decided after the others.
    pub(in crate::store) deferred: Vec<(usize, BundleAssessment<'static>)>,
    /// Whether the writer is deciding those now (so defers nothing more).
    pub(in crate::store) final_pass: bool,
}

impl<'t> Parts<'t> {
    pub(in crate::store) fn new(file: &'t str, policy: PersonalDataPolicy) -> Parts<'t> {
        Parts {
            file,
            policy,
            exported_at: None,
            exported_by: None,
            format_seen: false,
            program_seen: false,
            models: None,
            facilities: None,
            head_merged: false,
            waiting: Vec::new(),
            assessments: 0,
            assessments_done: false,
            audit: Vec::new(),
            audit_first: 0,
            audit_rows: 0,
            proof: AuditProof::default(),
            give_back: None,
            deferred: Vec::new(),
            final_pass: false,
        }
    }

    /// Merged assessments go back to the reading thread to be dropped there.
    pub(in crate::store) fn give_back_to(&mut self, to: Sender<Spent>) {
        self.give_back = Some(to);
    }
}

/// The bundle's head, complete: what `Merge::merge_head` merges.
pub(in crate::store) struct Head {
    pub models: Vec<BundleModel>,
    pub facilities: Vec<BundleFacility>,
    pub exported_by: String,
    pub exported_at: String,
}

/// A backend's writer: how each part is merged, inside its transaction.
pub(in crate::store) trait Merge<'t> {
    fn parts(&mut self) -> &mut Parts<'t>;
    fn merge_head(&mut self, head: Head) -> Result<()>;
    fn merge_assessment(
        &mut self,
        i: usize,
        a: &BundleAssessment<'static>,
        checked: Checked,
    ) -> Result<()>;
    fn merge_audit(&mut self, rows: &[BundleAudit]) -> Result<()>;
}

/// Takes the next part: checked, and merged as soon as what it needs is there.
pub(in crate::store) fn take<'t>(m: &mut impl Merge<'t>, part: Part) -> Result<()> {
    let p = m.parts();
    let file = p.file;
    match part {
        Part::Format(f) => {
            check_format(file, &f)?;
            p.format_seen = true;
        }
        Part::ExportedAt(at) => p.exported_at = Some(at),
        Part::ExportedBy(by) => p.exported_by = Some(by),
        Part::Program => p.program_seen = true,
        Part::Models(models) => p.models = Some(models),
        Part::Facilities(f) => p.facilities = Some(f),
        Part::Assessment(a, checked) => {
            let i = p.assessments;
            p.assessments += 1;
            if !p.head_merged {
                p.waiting.push((i, *a, checked));
                return Ok(());
            }
            m.merge_assessment(i, &a, checked)?;
            if let Some(back) = &m.parts().give_back {
                // dropped by the reader if it is still there, else here
                let _ = back.send(a);
            }
            return Ok(());
        }
        Part::AssessmentsEnd => p.assessments_done = true,
        Part::Audit(rows) => {
            let first = p.audit_rows;
            p.audit_rows += rows.len();
            p.proof.check(file, first, &rows)?;
            // every assessment decided: the rows go in as they come
            let kept = !p.audit.is_empty();
            if !kept && p.head_merged && p.assessments_done && p.deferred.is_empty() {
                check_audit(file, first, &rows)?;
                crate::exchange::check_audit_texts(file, first, &rows, p.policy)?;
                return m.merge_audit(&rows);
            }
            if !kept {
                p.audit_first = first;
            }
            p.audit.extend(rows);
            return Ok(());
        }
    }
    let complete = !p.head_merged
        && p.format_seen
        && p.program_seen
        && p.exported_at.is_some()
        && p.exported_by.is_some()
        && p.models.is_some()
        && p.facilities.is_some();
    if complete {
        let head = Head {
            models: p.models.take().unwrap_or_default(),
            facilities: p.facilities.take().unwrap_or_default(),
            exported_by: p.exported_by.clone().unwrap_or_default(),
            exported_at: p.exported_at.clone().unwrap_or_default(),
        };
        m.merge_head(head)?;
        let p = m.parts();
        p.head_merged = true;
        for (i, a, checked) in std::mem::take(&mut p.waiting) {
            m.merge_assessment(i, &a, checked)?;
        }
    }
    Ok(())
}

/// Once every part is taken: the assessments that waited, decided, then the audit rows
/// kept till then, checked and merged.
pub(in crate::store) fn decide_the_rest<'t>(m: &mut impl Merge<'t>) -> Result<()> {
    let p = m.parts();
    p.final_pass = true;
    for (i, a) in std::mem::take(&mut p.deferred) {
        m.merge_assessment(i, &a, None)?;
    }
    let p = m.parts();
    let (first, audit) = (p.audit_first, std::mem::take(&mut p.audit));
    check_audit(p.file, first, &audit)?;
    crate::exchange::check_audit_texts(p.file, first, &audit, p.policy)?;
    m.merge_audit(&audit)
}
