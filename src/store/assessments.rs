//! Assessments, their scores, sign-off and the audit log.

use super::definitions::audit;
use super::{Facility, Stamp, Store};
use crate::assessment::{self, Score, ScoreInput, ScoreValue, Status};
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

const COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at,
    (SELECT count(*) FROM scores s WHERE s.assessment_id = a.id)";

impl AssessmentRecord {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<AssessmentRecord> {
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

fn score_from_row(r: &Row<'_>) -> rusqlite::Result<Score> {
    let value: Option<u8> = r.get(1)?;
    let not_relevant: bool = r.get(2)?;
    let at: String = r.get(6)?;
    Ok(Score {
        indicator_id: r.get(0)?,
        value: match (not_relevant, value) {
            (false, Some(v)) => ScoreValue::Scored(v),
            _ => ScoreValue::NotRelevant,
        },
        reasoning: r.get(3)?,
        sources: r.get(4)?,
        by: r.get(5)?,
        at: chrono::DateTime::parse_from_rfc3339(&at)
            .map(|d| d.to_utc())
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    6,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
    })
}

fn score_snapshot(value: ScoreValue, reasoning: &str, sources: &str) -> String {
    serde_json::json!({ "value": value.value(), "not_relevant": value == ScoreValue::NotRelevant, "reasoning": reasoning, "sources": sources })
        .to_string()
}

/// The reason recorded for an indicator that does not apply to the facility, in Danish
/// (the assessment's own language, whatever the user's interface speaks).
fn inapplicable_reason(model: &QualityModel, why: &Inapplicable) -> String {
    let lang = crate::i18n::Lang::Da;
    match why {
        Inapplicable::OnlyFor(tags) => {
            let labels: Vec<String> = tags
                .iter()
                .map(|t| model.tag_label(t, lang).to_lowercase())
                .collect();
            format!(
                "Gælder ikke for tilbuddet: gælder kun for {}.",
                labels.join(" / ")
            )
        }
        Inapplicable::NotFor(tag) => {
            format!(
                "Gælder ikke for tilbuddet: gælder ikke for {}.",
                model.tag_label(tag, lang).to_lowercase()
            )
        }
    }
}

impl Store {
    /// Starts a facility's assessment for a year on a model version. Indicators that do
    /// not apply to the facility (by its tags) are marked not relevant with the reason.
    pub fn start_assessment(
        &mut self,
        facility: &Facility,
        year: i32,
        model: &QualityModel,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        if facility.archived_at.is_some() {
            return Err(Error::FacilityArchived(facility.name.clone()));
        }
        let hash = model.content_hash();
        let at = stamp.at();
        let id = self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row("SELECT id FROM assessments WHERE facility_id = ?1 AND year = ?2", params![facility.id, year], |r| r.get(0))
                .optional()?;
            if let Some(id) = existing {
                return Err(Error::AssessmentExists { facility: facility.name.clone(), year, id });
            }
            tx.execute(
                "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![facility.id, year, model.id, hash, stamp.by, at],
            )?;
            let id = tx.last_insert_rowid();
            let new = serde_json::json!({ "facility": facility.name, "year": year, "model": model.id, "hash": hash }).to_string();
            audit(tx, stamp, "assessment.start", Some(facility.id), Some(id), None, None, Some(&new), None)?;
            for r in model.indicators() {
                if let Some(why) = r.indicator.applicability(&facility.tags) {
                    let reason = inapplicable_reason(model, &why);
                    insert_score(tx, id, &r.indicator.id, ScoreValue::NotRelevant, &reason, "", stamp, &at)?;
                    let snap = score_snapshot(ScoreValue::NotRelevant, &reason, "");
                    audit(tx, stamp, "score.set", Some(facility.id), Some(id), Some(&r.indicator.id), None, Some(&snap), None)?;
                }
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

    /// The scores of an assessment, by indicator id.
    pub fn scores(&self, assessment: i64) -> Result<Vec<Score>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at FROM scores WHERE assessment_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([assessment], score_from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Saves one score with its audit row, in one transaction. The rules are checked
    /// against the assessment's own model version; a finalised assessment is refused.
    pub fn set_score(
        &mut self,
        assessment: i64,
        input: &ScoreInput,
        stamp: &Stamp,
    ) -> Result<Score> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        let at = stamp.at();
        self.write(|tx| {
            let status: String = tx.query_row("SELECT status FROM assessments WHERE id = ?1", [assessment], |r| r.get(0))?;
            if status == Status::Finalised.as_str() {
                return Err(Error::Finalised(assessment));
            }
            let previous = tx
                .query_row(
                    "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at FROM scores
                     WHERE assessment_id = ?1 AND indicator_id = ?2 COLLATE NOCASE",
                    params![assessment, input.indicator_id],
                    score_from_row,
                )
                .optional()?;
            let checked = assessment::check_score(&model, input, previous.as_ref())?;
            let reasoning = checked.reasoning.unwrap_or_default();
            let sources = checked.sources.unwrap_or_default();
            insert_score(tx, assessment, &checked.indicator_id, checked.value, &reasoning, &sources, stamp, &at)?;
            let old = previous.as_ref().map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            let new = score_snapshot(checked.value, &reasoning, &sources);
            audit(
                tx,
                stamp,
                "score.set",
                Some(record.facility_id),
                Some(assessment),
                Some(&checked.indicator_id),
                old.as_deref(),
                Some(&new),
                None,
            )?;
            Ok(Score {
                indicator_id: checked.indicator_id,
                value: checked.value,
                reasoning,
                sources,
                by: stamp.by.clone(),
                at: stamp.at,
            })
        })
    }

    /// Signs an assessment off. Refused while any indicator is unscored, which are named.
    pub fn finalise(
        &mut self,
        assessment: i64,
        signed_by: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status == Status::Finalised {
            return Err(Error::Finalised(assessment));
        }
        let model = self.model_by_hash(&record.model_hash)?;
        let at = stamp.at();
        self.write(|tx| {
            // read the scores inside the write lock, so a concurrent change cannot slip past the check
            let mut stmt = tx.prepare_cached(
                "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at FROM scores WHERE assessment_id = ?1",
            )?;
            let scores = stmt.query_map([assessment], score_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            let missing = assessment::unscored(&model, &scores);
            if !missing.is_empty() {
                return Err(Error::Unscored { id: assessment, indicators: missing.iter().map(|s| s.to_string()).collect() });
            }
            tx.execute(
                "UPDATE assessments SET status = 'finalised', finalised_by = ?2, finalised_at = ?3 WHERE id = ?1",
                params![assessment, signed_by, at],
            )?;
            let new = serde_json::json!({ "status": "finalised", "by": signed_by }).to_string();
            audit(tx, stamp, "assessment.finalise", Some(record.facility_id), Some(assessment), None, Some("draft"), Some(&new), None)?;
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
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status != Status::Finalised {
            return Err(Error::NotFinalised(assessment));
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE assessments SET status = 'draft', finalised_by = NULL, finalised_at = NULL WHERE id = ?1",
                [assessment],
            )?;
            let old = serde_json::json!({ "status": "finalised", "by": record.finalised_by, "at": record.finalised_at }).to_string();
            audit(tx, stamp, "assessment.reopen", Some(record.facility_id), Some(assessment), None, Some(&old), Some("draft"), Some(reason.trim()))?;
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

#[allow(clippy::too_many_arguments)]
fn insert_score(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    indicator: &str,
    value: ScoreValue,
    reasoning: &str,
    sources: &str,
    stamp: &Stamp,
    at: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET
           value = excluded.value, not_relevant = excluded.not_relevant, reasoning = excluded.reasoning,
           sources = excluded.sources, by = excluded.by, at = excluded.at",
    )?
    .execute(params![
        assessment,
        indicator,
        value.value(),
        value == ScoreValue::NotRelevant,
        reasoning,
        sources,
        stamp.by,
        at
    ])?;
    Ok(())
}
