//! Assessments: their rows, starting one (with roll-forward), looking them up, sign-off
//! and reopening, and an assessment's audit log.

use super::audit::audit;
use super::score_rows::{ensure_draft, insert_score, score_snapshot};
// the score rows' columns and reader live in score_rows.rs; the bundle readers name them here
pub(super) use super::score_rows::{SCORE_COLUMNS, score_from_row};
use super::{Facility, Stamp, Store};
use crate::assessment::{self, ScoreValue, Status};
use crate::error::{Error, Result};
use crate::model::{Inapplicable, QualityModel};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

/// How the user names an assessment: by its number, or by facility and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssessmentRef {
    Id(i64),
    FacilityYear(String, i32),
}

impl std::fmt::Display for AssessmentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssessmentRef::Id(id) => write!(f, "{id}"),
            AssessmentRef::FacilityYear(name, year) => write!(f, "{name} {year}"),
        }
    }
}

/// An assessment as stored, with its facility and progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRecord {
    pub id: i64,
    pub facility_id: i64,
    pub facility: String,
    pub year: i32,
    pub model_id: String,
    pub model_hash: String,
    pub status: Status,
    pub created_by: String,
    pub created_at: String,
    pub finalised_by: Option<String>,
    pub finalised_at: Option<String>,
    /// Indicators scored or marked not relevant.
    pub done: usize,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub by: String,
    pub action: String,
    pub facility_id: Option<i64>,
    pub assessment_id: Option<i64>,
    pub subject: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
}

pub(super) const COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at,
    (SELECT count(*) FROM scores s WHERE s.assessment_id = a.id)";

/// The same columns without the progress count, where counting would cost more than the
/// use (lists for exports, the home screen before it fills in).
pub(super) const BRIEF_COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at, 0";

impl AssessmentRecord {
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<AssessmentRecord> {
        Ok(AssessmentRecord {
            id: r.get(0)?,
            facility_id: r.get(1)?,
            facility: r.get(2)?,
            year: r.get(3)?,
            model_id: r.get(4)?,
            model_hash: r.get(5)?,
            status: if r.get::<_, String>(6)? == "finalised" {
                Status::Finalised
            } else {
                Status::Draft
            },
            created_by: r.get(7)?,
            created_at: r.get(8)?,
            finalised_by: r.get(9)?,
            finalised_at: r.get(10)?,
            done: r.get::<_, i64>(11)? as usize,
        })
    }
}

/// The reason recorded for an indicator that does not apply to the facility, in Danish
/// (the assessment's own language, whatever the user's interface speaks).
pub(super) fn inapplicable_reason(model: &QualityModel, why: &Inapplicable) -> String {
    let lang = crate::i18n::Lang::Da;
    match why {
        Inapplicable::OnlyFor(tags) => {
            let labels: Vec<String> = tags
                .iter()
                .map(|t| model.tag_label(t, lang).to_lowercase())
                .collect();
            format!(
                "Gælder ikke for tilbuddet. Indikatoren gælder kun for: {}.",
                labels.join(" / ")
            )
        }
        Inapplicable::NotFor(tag) => {
            format!(
                "Gælder ikke for tilbuddet. Indikatoren gælder ikke for: {}.",
                model.tag_label(tag, lang).to_lowercase()
            )
        }
    }
}

impl Store {
    /// Starts a facility's assessment for a year on a model version. Indicators that do
    /// not apply to the facility (by its tags) are marked not relevant with the reason.
    /// With `roll_forward`, the facility's latest earlier assessment is copied in (through
    /// the model mapping where the versions differ), every copied score marked "not
    /// re-assessed" until it is confirmed or changed.
    pub fn start_assessment(
        &mut self,
        facility: &Facility,
        year: i32,
        model: &QualityModel,
        roll_forward: bool,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        if facility.archived_at.is_some() {
            return Err(Error::FacilityArchived(facility.name.clone()));
        }
        let previous = if roll_forward {
            let found = self.previous_scores(facility.id, year, model)?;
            Some(found.ok_or_else(|| Error::NothingToRollForward(facility.name.clone()))?)
        } else {
            None
        };
        let hash = model.content_hash();
        let at = stamp.at();
        // a year holds one assessment per framework: the quality model's and the safety one's
        let same_framework =
            serde_json::to_string(&self.framework_hashes(model.framework())?).expect("serializes");
        let id = self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM assessments WHERE facility_id = ?1 AND year = ?2
                     AND (model_hash = ?3 OR model_hash IN (SELECT value FROM json_each(?4))) ORDER BY id LIMIT 1",
                    params![facility.id, year, hash, same_framework],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                return Err(Error::AssessmentExists { facility: facility.name.clone(), year, id });
            }
            tx.execute(
                "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at, rolled_from)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![facility.id, year, model.id, hash, stamp.by, at, previous.as_ref().map(|(p, _)| p.id)],
            )?;
            let id = tx.last_insert_rowid();
            let new = serde_json::json!({
                "facility": facility.name, "year": year, "model": model.id, "hash": hash,
                "rolled_from": previous.as_ref().map(|(p, _)| p.id),
            })
            .to_string();
            audit(tx, stamp, "assessment.start", Some(facility.id), Some(id), None, None, Some(&new), None)?;
            for r in model.indicators() {
                let indicator = &r.indicator.id;
                let (value, reasoning, sources, carried, action) = if let Some(why) = r.indicator.applicability(&facility.tags) {
                    (ScoreValue::NotRelevant, inapplicable_reason(model, &why), String::new(), false, "score.set")
                } else if let Some(old) = previous.as_ref().and_then(|(_, scores)| scores.get(indicator)) {
                    (old.value, old.reasoning.clone(), old.sources.clone(), true, "score.carry")
                } else {
                    continue;
                };
                insert_score(tx, id, indicator, value, &reasoning, &sources, carried, stamp, &at)?;
                let snap = score_snapshot(value, &reasoning, &sources);
                audit(tx, stamp, action, Some(facility.id), Some(id), Some(indicator), None, Some(&snap), None)?;
            }
            Ok(id)
        })?;
        self.assessment(&AssessmentRef::Id(id))
    }

    /// The assessment the user names.
    pub fn assessment(&self, r: &AssessmentRef) -> Result<AssessmentRecord> {
        let found = match r {
            AssessmentRef::Id(id) => self
                .conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE a.id = ?1"),
                    [id],
                    AssessmentRecord::from_row,
                )
                .optional(),
            AssessmentRef::FacilityYear(key, year) => {
                let f = self.find_facility(key)?;
                self.conn
                    .query_row(
                        &format!(
                            "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                             WHERE a.facility_id = ?1 AND a.year = ?2 ORDER BY a.id DESC LIMIT 1"
                        ),
                        params![f.id, year],
                        AssessmentRecord::from_row,
                    )
                    .optional()
            }
        };
        found
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::UnknownAssessment(r.to_string()))
    }

    /// Every assessment without its progress count (`done` is 0): the home screen's list,
    /// which must not touch the score rows.
    pub fn assessments_brief(&self) -> Result<Vec<AssessmentRecord>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {BRIEF_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id ORDER BY f.name, a.year DESC, a.id DESC"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([], AssessmentRecord::from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The assessments, newest year first; of one facility where given.
    pub fn assessments(&self, facility: Option<&Facility>) -> Result<Vec<AssessmentRecord>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE ?1 IS NULL OR a.facility_id = ?1 ORDER BY f.name, a.year DESC, a.id DESC"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([facility.map(|f| f.id)], AssessmentRecord::from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Signs an assessment off. Refused while any indicator is unscored, which are named.
    pub fn finalise(
        &mut self,
        assessment: i64,
        signed_by: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        self.check_texts([(crate::assessment::FreeField::Signer, signed_by)])?;
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status == Status::Finalised {
            return Err(Error::Finalised(assessment));
        }
        let model = self.model_by_hash(&record.model_hash)?;
        let at = stamp.at();
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            // a draft the chain holds as signed was un-finalised behind the program's back
            if super::evidence::chain_status(tx, assessment)? == Some(Status::Finalised) {
                return Err(Error::StatusNotInChain(assessment));
            }
            // read the scores inside the write lock, so a concurrent change cannot slip past the check
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1"
            ))?;
            let scores = stmt
                .query_map([assessment], score_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let missing = assessment::unscored(&model, &scores);
            if !missing.is_empty() {
                return Err(Error::Unscored {
                    id: assessment,
                    indicators: missing.iter().map(|s| s.to_string()).collect(),
                });
            }
            let carried: Vec<String> = model
                .indicators()
                .filter(|r| {
                    scores
                        .iter()
                        .any(|s| s.indicator_id == r.indicator.id && s.carried_over)
                })
                .map(|r| r.indicator.id.clone())
                .collect();
            if !carried.is_empty() {
                return Err(Error::NotReassessed {
                    id: assessment,
                    indicators: carried,
                });
            }
            let version = crate::integrity::SIGNOFF_VERSION;
            let hash = super::evidence::signoff_now(tx, assessment, version, Some(signed_by), Some(&at))?
                .unwrap_or_default();
            let new = serde_json::json!({
                "status": "finalised", "by": signed_by, "signoff_hash": hash, "signoff_version": version,
            })
            .to_string();
            // the audit row first: the database takes the status change only right after it
            audit(
                tx,
                stamp,
                "assessment.finalise",
                Some(record.facility_id),
                Some(assessment),
                None,
                Some("draft"),
                Some(&new),
                None,
            )?;
            store_signoff(tx, assessment, Some(signed_by), Some(&at), &hash)?;
            Ok(())
        })?;
        self.assessment(&AssessmentRef::Id(assessment))
    }

    /// Reopens a finalised assessment for changes; the reason goes into the audit log.
    pub fn reopen(
        &mut self,
        assessment: i64,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        if reason.trim().is_empty() {
            return Err(Error::Empty("reason"));
        }
        self.check_texts([(crate::assessment::FreeField::ReopenReason, reason)])?;
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status != Status::Finalised {
            return Err(Error::NotFinalised(assessment));
        }
        self.write(|tx| {
            let old = serde_json::json!({ "status": "finalised", "by": record.finalised_by, "at": record.finalised_at }).to_string();
            // the audit row first: the database takes the status change only right after it
            audit(tx, stamp, "assessment.reopen", Some(record.facility_id), Some(assessment), None, Some(&old), Some("draft"), Some(reason.trim()))?;
            tx.execute(
                "UPDATE assessments SET status = 'draft', finalised_by = NULL, finalised_at = NULL, signoff_hash = NULL WHERE id = ?1",
                [assessment],
            )?;
            Ok(())
        })?;
        self.assessment(&AssessmentRef::Id(assessment))
    }

    /// The audit log, oldest first; of one assessment where given.
    pub fn audit_log(&self, assessment: Option<i64>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason
                 FROM audit_log WHERE ?1 IS NULL OR assessment_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([assessment], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                by: r.get(2)?,
                action: r.get(3)?,
                facility_id: r.get(4)?,
                assessment_id: r.get(5)?,
                subject: r.get(6)?,
                old_value: r.get(7)?,
                new_value: r.get(8)?,
                reason: r.get(9)?,
            })
        })
        .map_err(|e| self.err(e))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| self.err(e))
    }
}

/// Marks an assessment finalised by a writer that wrote its scores in this transaction
/// (a bulk load, an import), with the lock triggers set aside. `hash` is the sign-off
/// hash of the current encoding (`integrity::signoff_v2`), which the writer computes from
/// the rows it has just written, as they were written (reading them back would give the
/// same fields).
pub(super) fn record_finalised(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    by: Option<&str>,
    at: Option<&str>,
    hash: &str,
) -> rusqlite::Result<()> {
    store_signoff(tx, assessment, by, at, hash)
}

/// Writes the sign-off columns (in the current encoding).
fn store_signoff(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    by: Option<&str>,
    at: Option<&str>,
    hash: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE assessments SET status = 'finalised', finalised_by = ?2, finalised_at = ?3, signoff_hash = ?4, signoff_version = ?5 WHERE id = ?1")?
        .execute(rusqlite::params![assessment, by, at, hash, crate::integrity::SIGNOFF_VERSION])?;
    Ok(())
}
