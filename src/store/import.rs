//! Importing an exchange bundle. One thread reads the JSON from the file and hands over
//! each part as it is read (the head, then one assessment at a time, then the audit rows
//! in chunks); this thread checks each part and merges it at once. All of it happens
//! inside one transaction, so the import stays all or nothing (any error, the reader's
//! included, rolls it back), while reading overlaps the writing and neither the file nor
//! the parsed parts pile up in memory. What must wait is kept: assessments that come
//! before the head is complete (a file whose keys are in another order), assessments
//! that differ from the database's (decided last), and the audit rows while any of
//! those wait; only then does memory grow with the file.

use super::audit::ChainHead;
use super::exchange::bundle_assessment;
use super::facilities::{FacilityRow, facility_id_by_name, insert_facility};
use super::{AssessmentRecord, Stamp};
use crate::assessment::{PersonalDataPolicy, Status};
use crate::error::{Error, Result};
use crate::exchange::{
    BundleAssessment, BundleAudit, ImportReport, ModelsByHash, OnConflict, Replaced,
    check_assessment, check_facilities, check_models,
};
use crate::integrity::AuditFields;
use parts::{Head, Merge, Parts};
use rows::{add_assessment, fill_assessment, framework_of};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::{HashMap, HashSet};

mod audit_rows;
pub(in crate::store) mod early_check;
pub(in crate::store) mod parts;
pub(in crate::store) mod rows;
pub(in crate::store) mod run;

/// The writing side: checks each part as it arrives and merges it.
struct Importer<'t, 'c> {
    tx: &'t Transaction<'c>,
    file: &'t str,
    on_conflict: OnConflict,
    /// The model versions the database holds.
    known: &'t ModelsByHash,
    report: ImportReport,
    /// Set once the head is merged: the models the assessments may use, the facilities'
    /// names as assessments match them, and their numbers here.
    head: Option<(ModelsByHash, Vec<String>)>,
    facility_ids: HashMap<String, i64>,
    /// The end of this database's audit chain, once rows are appended.
    chain: Option<ChainHead>,
    /// Which (facility, year, framework) triples hold an assessment here: those need a
    /// look (a year holds one assessment per framework, so the others do not conflict).
    taken: HashSet<(i64, i32, String)>,
    /// (facility, year) → the assessment the bundle's rows now belong to.
    written: HashMap<(String, i32), i64>,
    /// (facility, year, created_at) → the assessment, for rows that say which of a year.
    written_created: HashMap<(String, i32, String), i64>,
    replaced: Vec<i64>,
    /// The personal-data policy the scores' texts are checked under.
    policy: PersonalDataPolicy,
    /// The assessments this file added, replaced or found unchanged: each stands for one
    /// of the file's, so no later one of the same year is compared with it.
    touched: HashSet<i64>,
    /// (facility, year) pairs written here that hold more than one assessment.
    shared: HashSet<(String, i32)>,
    /// The parts taken so far, and what they leave to do.
    parts: Parts<'t>,
}

impl<'t, 'c> Importer<'t, 'c> {
    fn new(
        tx: &'t Transaction<'c>,
        file: &'t str,
        on_conflict: OnConflict,
        known: &'t ModelsByHash,
        policy: PersonalDataPolicy,
    ) -> Self {
        Importer {
            tx,
            file,
            on_conflict,
            known,
            report: ImportReport::default(),
            head: None,
            facility_ids: HashMap::new(),
            chain: None,
            taken: HashSet::new(),
            written: HashMap::new(),
            written_created: HashMap::new(),
            replaced: Vec::new(),
            policy,
            touched: HashSet::new(),
            shared: HashSet::new(),
            parts: Parts::new(file, policy),
        }
    }
}

impl<'t> Merge<'t> for Importer<'t, '_> {
    fn parts(&mut self) -> &mut Parts<'t> {
        &mut self.parts
    }

    /// The models the bundle carries and its facilities.
    fn merge_head(&mut self, head: Head) -> Result<()> {
        let (tx, file, known) = (self.tx, self.file, self.known);
        let Head {
            models,
            facilities,
            exported_by,
            exported_at,
        } = head;
        let usable = check_models(file, &models, &|h| known.get(h).cloned())?;
        let names = check_facilities(file, &facilities)?;
        crate::exchange::check_facility_texts(file, &facilities, self.policy)?;
        let (by, at) = (exported_by.as_str(), exported_at.as_str());
        for m in &models {
            let Some(model) = &m.model else { continue };
            let present: bool = tx
                .query_row("SELECT 1 FROM models WHERE hash = ?1", [&m.hash], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            if !present {
                let active: bool = tx
                    .query_row(
                        "SELECT 1 FROM models WHERE id = ?1 AND active = 1",
                        [&m.id],
                        |_| Ok(true),
                    )
                    .optional()?
                    .unwrap_or(false);
                tx.execute(
                    "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7)",
                    params![m.hash, m.id, serde_json::to_string(model).expect("serializes"), !active, file, by, at],
                )?;
                self.report.models_added += 1;
            }
        }
        for f in &facilities {
            let key = f.name.trim().to_lowercase();
            let id = match facility_id_by_name(tx, &key)? {
                Some(id) => id,
                None => {
                    self.report.facilities_added += 1;
                    insert_facility(
                        tx,
                        &FacilityRow {
                            name: &f.name,
                            organisation: &f.organisation,
                            location: &f.location,
                            facility_type: &f.facility_type,
                            target_group: &f.target_group,
                            tags: &f.tags,
                            created_at: &f.created_at,
                            archived_at: f.archived_at.as_deref(),
                        },
                    )?
                }
            };
            self.facility_ids.insert(key, id);
        }
        let pairs: Vec<(i64, i32, String)> = tx
            .prepare("SELECT DISTINCT facility_id, year, model_hash FROM assessments")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        self.taken = pairs
            .into_iter()
            .map(|(f, y, hash)| (f, y, framework_of(known, &hash)))
            .collect();
        self.head = Some((usable, names));
        Ok(())
    }

    /// One assessment: checked (unless the reading thread has: `checked`), then added,
    /// left as it is, replaced, or refused.
    fn merge_assessment(
        &mut self,
        i: usize,
        a: &BundleAssessment<'static>,
        checked: early_check::Checked,
    ) -> Result<()> {
        let (tx, known) = (self.tx, self.known);
        let Some((usable, names)) = &self.head else {
            return Ok(());
        };
        if let Some(verdict) = checked {
            verdict?;
        } else if !self.parts.final_pass {
            let policy = self.policy;
            check_assessment(
                self.file,
                i,
                a,
                names,
                usable,
                &|h| known.get(h).cloned(),
                policy,
            )?;
        }
        let key = a.facility.trim().to_lowercase();
        let fid = self.facility_ids[&key];
        let framework = framework_of(usable, &a.model_hash);
        let report = &mut self.report;
        if self.taken.insert((fid, a.year, framework.clone())) {
            // nothing of this facility and year yet: add it without looking
            let target = add_assessment(tx, fid, a)?;
            report.assessments_added += 1;
            self.touched.insert(target);
            fill_assessment(tx, target, a, report)?;
            self.remember_written(key, a, target);
            return Ok(());
        }
        let mut stmt = tx.prepare_cached(
            "SELECT a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by, a.created_at, a.finalised_by, a.finalised_at, 0
             FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE a.facility_id = ?1 AND a.year = ?2 ORDER BY a.id",
        )?;
        // what this file wrote is not what the database had: a bundle from a database
        // that keeps two assessments of a year brings both, and neither conflicts with
        // the other
        let existing = stmt
            .query_map(params![fid, a.year], AssessmentRecord::from_row)?
            .filter(|e| e.as_ref().map_or(true, |e| !self.touched.contains(&e.id)))
            .filter(|e| {
                e.as_ref()
                    .map_or(true, |e| framework_of(known, &e.model_hash) == framework)
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for e in &existing {
            let mut mine = bundle_assessment(tx, e)?;
            mine.facility = a.facility.clone();
            // the proof was checked against the content; an older bundle carries none
            mine.signoff_hash.clone_from(&a.signoff_hash);
            mine.signoff_version = a.signoff_version;
            if &mine == a {
                report.assessments_unchanged += 1;
                // a second, identical copy in the same file is its own assessment
                self.touched.insert(e.id);
                return Ok(());
            }
        }
        if !existing.is_empty() && !self.parts.final_pass {
            // a later one of the file may be the same as this one's rival here: decide
            // once every other assessment of the file has found its match
            self.parts.deferred.push((i, a.clone()));
            return Ok(());
        }
        let conflict = |e: &AssessmentRecord| {
            if e.status == Status::Finalised {
                Error::ImportFinalised {
                    file: self.file.to_string(),
                    facility: e.facility.clone(),
                    year: a.year,
                    finalised_by: e.finalised_by.clone().unwrap_or_default(),
                }
            } else {
                Error::ImportConflict {
                    file: self.file.to_string(),
                    facility: a.facility.clone(),
                    year: a.year,
                }
            }
        };
        // the year holds another assessment: its log rows may be in the file under the same
        // year, and must not be copied onto this one
        self.shared.insert((key.clone(), a.year));
        let target = match (existing.first(), self.on_conflict) {
            (None, _) | (Some(_), OnConflict::KeepBoth) => {
                report.assessments_added += 1;
                add_assessment(tx, fid, a)?
            }
            (Some(e), OnConflict::Replace | OnConflict::ReplaceFinalised) => {
                if e.status == Status::Finalised && self.on_conflict != OnConflict::ReplaceFinalised
                {
                    return Err(conflict(e));
                }
                tx.execute(
                    "UPDATE assessments SET status = 'draft', model_id = ?2, model_hash = ?3, created_by = ?4, created_at = ?5, finalised_by = NULL, finalised_at = NULL WHERE id = ?1",
                    params![e.id, a.model_id, a.model_hash, a.created_by, a.created_at],
                )?;
                tx.execute("DELETE FROM scores WHERE assessment_id = ?1", [e.id])?;
                tx.execute(
                    "DELETE FROM improvement_actions WHERE assessment_id = ?1",
                    [e.id],
                )?;
                report.assessments_replaced += 1;
                report.replaced.push(Replaced {
                    facility: e.facility.clone(),
                    year: a.year,
                    assessment: e.id,
                    old_status: e.status,
                    new_status: a.status,
                });
                self.replaced.push(e.id);
                e.id
            }
            (Some(e), OnConflict::Refuse) => return Err(conflict(e)),
        };
        self.touched.insert(target);
        fill_assessment(tx, target, a, report)?;
        self.remember_written(key, a, target);
        Ok(())
    }

    fn merge_audit(&mut self, rows: &[BundleAudit]) -> Result<()> {
        self.append_audit(rows)
    }
}

impl Importer<'_, '_> {
    /// Where the bundle's rows of this assessment now belong: by facility and year, and
    /// by when it was made (for the rows of a year that holds two).
    fn remember_written(&mut self, key: String, a: &BundleAssessment<'_>, target: i64) {
        self.written_created
            .insert((key.clone(), a.year, a.created_at.to_string()), target);
        self.written.insert((key, a.year), target);
    }

    /// The assessments decided last, the audit rows kept till then, and the import's own
    /// row.
    fn finish(mut self, stamp: &Stamp) -> Result<ImportReport> {
        let tx = self.tx;
        parts::decide_the_rest(&mut self)?;
        let mut chain = match self.chain.take() {
            Some(chain) => chain,
            None => ChainHead::read(tx)?,
        };
        // the import itself, in this database's chain (tied to no facility, so a later
        // export does not carry it); an import that changed nothing leaves no trace
        let report = self.report;
        if report
            != (ImportReport {
                assessments_unchanged: report.assessments_unchanged,
                ..Default::default()
            })
        {
            let what = serde_json::to_string(&report).expect("serializes");
            chain.append(
                tx,
                AuditFields {
                    id: 0,
                    at: &stamp.at(),
                    by: &stamp.by,
                    action: "bundle.import",
                    facility_id: None,
                    assessment_id: None,
                    subject: Some(self.file),
                    old_value: None,
                    new_value: Some(&what),
                    reason: None,
                },
            )?;
        }
        super::migrations::restore_lock_triggers(tx)?;
        Ok(report)
    }
}
