//! Assessments, their scores, sign-off and the audit log.

use super::audit::audit;
use super::{Facility, Stamp, Store};
use crate::assessment::{self, PersonalDataPolicy, Score, ScoreInput, ScoreValue, Status};
use crate::error::{Error, Result};
use crate::model::{Inapplicable, QualityModel};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use std::collections::HashMap;

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

/// The facility's assessment of an earlier year, seen from a later one: its scores and
/// its improvement actions, keyed by the later assessment's indicator ids.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousYear {
    pub record: AssessmentRecord,
    pub scores: HashMap<String, Score>,
    pub actions: Vec<crate::assessment::ImprovementAction>,
}

impl PreviousYear {
    /// What became of last year's gaps (none where there was no last year).
    pub fn follow_up(
        previous: Option<&PreviousYear>,
        model: &QualityModel,
        scores: &[Score],
        rules: &crate::assessment::GapRules,
    ) -> Vec<crate::assessment::FollowUp> {
        let last: Vec<(&str, ScoreValue)> = previous
            .iter()
            .flat_map(|p| p.scores.iter().map(|(id, s)| (id.as_str(), s.value)))
            .collect();
        assessment::follow_up(model, &last, scores, rules)
    }
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

/// The score columns, in the order `score_from_row` reads them.
pub(super) const SCORE_COLUMNS: &str =
    "indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over";

pub(super) fn score_from_row(r: &Row<'_>) -> rusqlite::Result<Score> {
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
        carried_over: r.get(7)?,
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
        let id = self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row("SELECT id FROM assessments WHERE facility_id = ?1 AND year = ?2", params![facility.id, year], |r| r.get(0))
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

    /// The facility's latest assessment before `year`, with its scores and improvement
    /// actions keyed by the indicator ids of `model` (through the mapping where the
    /// versions differ).
    pub fn previous_year(
        &self,
        facility_id: i64,
        year: i32,
        model: &QualityModel,
    ) -> Result<Option<PreviousYear>> {
        let Some((record, scores)) = self.previous_scores(facility_id, year, model)? else {
            return Ok(None);
        };
        let prev_model = self.model_by_hash(&record.model_hash)?;
        let mapping = match self.mapping(&prev_model.id, &model.id)? {
            Some(m) => Some(m),
            None => self.mapping(&model.id, &prev_model.id)?,
        };
        let mut actions = self.actions(&super::ActionFilter {
            assessment: Some(record.id),
            facility: None,
        })?;
        for a in &mut actions {
            a.indicators = a
                .indicators
                .iter()
                .filter_map(|i| {
                    assessment::translate_id(&prev_model.id, model, mapping.as_ref(), i)
                })
                .collect();
        }
        Ok(Some(PreviousYear {
            record,
            scores,
            actions,
        }))
    }

    /// The facility's latest assessment before `year`, with its scores keyed by the
    /// indicator ids of `model` (through the mapping where the versions differ).
    pub fn previous_scores(
        &self,
        facility_id: i64,
        year: i32,
        model: &QualityModel,
    ) -> Result<Option<(AssessmentRecord, HashMap<String, Score>)>> {
        let prev = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                     WHERE a.facility_id = ?1 AND a.year < ?2 ORDER BY a.year DESC, a.id DESC LIMIT 1"
                ),
                params![facility_id, year],
                AssessmentRecord::from_row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(prev) = prev else {
            return Ok(None);
        };
        let prev_model = self.model_by_hash(&prev.model_hash)?;
        let scores = self.scores(prev.id)?;
        let mapping = match self.mapping(&prev_model.id, &model.id)? {
            Some(m) => Some(m),
            None => self.mapping(&model.id, &prev_model.id)?,
        };
        let mapped = assessment::map_scores(&prev_model, &scores, model, mapping.as_ref())
            .into_iter()
            .map(|(id, s)| (id, s.clone()))
            .collect();
        Ok(Some((prev, mapped)))
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

    /// The scores of an assessment, by indicator id.
    pub fn scores(&self, assessment: i64) -> Result<Vec<Score>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([assessment], score_from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The personal-data policy a score's write applies: strict by `--strict` or by the
    /// database's setting.
    pub fn write_policy(&self) -> Result<PersonalDataPolicy> {
        if self.strict {
            return Ok(PersonalDataPolicy::Strict);
        }
        super::actions::read_policy(&self.conn).map_err(|e| self.err(e))
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
        let strict = self.strict;
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let previous = tx
                .query_row(
                    &format!("SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2 COLLATE NOCASE"),
                    params![assessment, input.indicator_id],
                    score_from_row,
                )
                .optional()?;
            let policy = if strict { PersonalDataPolicy::Strict } else { super::actions::read_policy(tx)? };
            let checked = assessment::check_score(&model, input, previous.as_ref(), policy)?;
            let (reasoning, sources) = (checked.reasoning, checked.sources);
            insert_score(tx, assessment, &checked.indicator_id, checked.value, &reasoning, &sources, false, stamp, &at)?;
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
                carried_over: false,
            })
        })
    }

    /// Confirms a score carried over from last year as re-assessed, unchanged. Returns
    /// whether there was anything to confirm.
    pub fn confirm_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        stamp: &Stamp,
    ) -> Result<bool> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        let id = model
            .indicator(indicator)
            .ok_or_else(|| Error::UnknownIndicator {
                indicator: indicator.to_string(),
                model: model.id.clone(),
            })?
            .indicator
            .id
            .clone();
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let changed = tx.execute(
                "UPDATE scores SET carried_over = 0 WHERE assessment_id = ?1 AND indicator_id = ?2 AND carried_over = 1",
                params![assessment, id],
            )?;
            if changed > 0 {
                audit(tx, stamp, "score.confirm", Some(record.facility_id), Some(assessment), Some(&id), None, None, None)?;
            }
            Ok(changed > 0)
        })
    }

    /// Puts an indicator's score back as it was (`None`: unscored), for undo. Audited.
    pub fn restore_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        previous: Option<&Score>,
        stamp: &Stamp,
    ) -> Result<()> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let current = tx
                .query_row(
                    &format!("SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2"),
                    params![assessment, indicator],
                    score_from_row,
                )
                .optional()?;
            let old = current.as_ref().map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            match previous {
                Some(p) => {
                    let back = Stamp { by: p.by.clone(), at: p.at };
                    insert_score(tx, assessment, indicator, p.value, &p.reasoning, &p.sources, p.carried_over, &back, &back.at())?;
                }
                None => {
                    tx.execute("DELETE FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2", params![assessment, indicator])?;
                }
            }
            let new = previous.map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            audit(tx, stamp, "score.undo", Some(record.facility_id), Some(assessment), Some(indicator), old.as_deref(), new.as_deref(), None)?;
            Ok(())
        })
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

/// Refuses a change to a finalised assessment (checked inside the write transaction).
fn ensure_draft(tx: &rusqlite::Transaction<'_>, assessment: i64) -> Result<()> {
    let status: String = tx.query_row(
        "SELECT status FROM assessments WHERE id = ?1",
        [assessment],
        |r| r.get(0),
    )?;
    if status == Status::Finalised.as_str() {
        return Err(Error::Finalised(assessment));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_score(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    indicator: &str,
    value: ScoreValue,
    reasoning: &str,
    sources: &str,
    carried_over: bool,
    stamp: &Stamp,
    at: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET
           value = excluded.value, not_relevant = excluded.not_relevant, reasoning = excluded.reasoning,
           sources = excluded.sources, by = excluded.by, at = excluded.at, carried_over = excluded.carried_over",
    )?
    .execute(params![
        assessment,
        indicator,
        value.value(),
        value == ScoreValue::NotRelevant,
        reasoning,
        sources,
        stamp.by,
        at,
        carried_over
    ])?;
    Ok(())
}

/// Marks an assessment finalised by a writer that wrote its scores in this transaction
/// (a bulk load, an import), with the lock triggers set aside. The hash stored is of the
/// current encoding, computed from the rows as written; the writer's own hash (of
/// encoding 1) is not stored.
pub(super) fn record_finalised(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    by: Option<&str>,
    at: Option<&str>,
    _encoding_1_hash: &str,
) -> rusqlite::Result<()> {
    let hash =
        super::evidence::signoff_now(tx, assessment, crate::integrity::SIGNOFF_VERSION, by, at)?
            .unwrap_or_default();
    store_signoff(tx, assessment, by, at, &hash)
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
