//! Sign-off and reopening on the server, as SQLite's `store/assessments.rs` does them:
//! the same checks in the same order, the sign-off hash of the current encoding
//! (`integrity::signoff_v2` over the rows as stored), and the audit row written first in
//! the same transaction, which the server's `assessments_signoff_by_chain` trigger asks for.

use super::PgStore;
use super::audit::{append, audit};
use super::rows::{Fail, Hold, hold, status_of};
use crate::assessment::{self, FreeField, Status, check_free_texts};
use crate::error::{Error, Result};
use crate::integrity::{AuditFields, SIGNOFF_VERSION, SignedRecord, SignedScore, signoff_v2};
use crate::store::backend::{Assessments, ModelVersions, Settings};
use crate::store::{AssessmentRef, Stamp};

/// The sign-off hash of encoding 2 of an assessment as stored now, with the signer and
/// time given (at sign-off they are not written yet).
pub(super) fn signoff_now(
    tx: &mut postgres::Transaction<'_>,
    assessment: i64,
    signer: &str,
    at: &str,
) -> Result<String, postgres::Error> {
    let head = tx.query_one(
        "SELECT year, model_hash FROM assessments WHERE id = $1",
        &[&assessment],
    )?;
    let (year, model_hash): (i32, String) = (head.get(0), head.get(1));
    let rows = tx.query(
        "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over
         FROM scores WHERE assessment_id = $1",
        &[&assessment],
    )?;
    let scores: Vec<SignedScore<'_>> = rows
        .iter()
        .map(|r| SignedScore {
            indicator: r.get(0),
            value: r.get(1),
            not_relevant: r.get(2),
            reasoning: r.get(3),
            sources: r.get(4),
            by: r.get(5),
            at: r.get(6),
            carried_over: r.get(7),
        })
        .collect();
    let record = SignedRecord {
        year: i64::from(year),
        model_hash: &model_hash,
        signer: Some(signer),
        at: Some(at),
    };
    Ok(signoff_v2(&record, &scores))
}

/// The status the audit chain gives an assessment: that of its last finalise or reopen row.
fn chain_status(
    tx: &mut postgres::Transaction<'_>,
    assessment: i64,
) -> Result<Option<Status>, postgres::Error> {
    let row = tx.query_opt(
        "SELECT action FROM audit_log WHERE assessment_id = $1
           AND action IN ('assessment.finalise', 'assessment.reopen') ORDER BY id DESC LIMIT 1",
        &[&assessment],
    )?;
    Ok(row.map(|r| {
        if r.get::<_, &str>(0) == "assessment.finalise" {
            Status::Finalised
        } else {
            Status::Draft
        }
    }))
}

impl PgStore {
    /// Signs an assessment off (see `Assessments::finalise`).
    pub(super) fn sign_off(&self, assessment: i64, signed_by: &str, stamp: &Stamp) -> Result<()> {
        check_free_texts([(FreeField::Signer, signed_by)], self.write_policy()?)?;
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status == Status::Finalised {
            return Err(Error::Finalised(assessment));
        }
        let model = self.model_by_hash(&record.model_hash)?;
        let at = stamp.at();
        self.write(Some(assessment), |tx| {
            // held alone: score writes under way end first, later ones wait and find it signed
            hold(tx, Hold::Assessment, assessment, false)?;
            let status = tx.query_one(
                "SELECT status FROM assessments WHERE id = $1",
                &[&assessment],
            )?;
            if status_of(status.get(0)) == Status::Finalised {
                return Err(Error::Finalised(assessment).into());
            }
            // a draft the chain holds as signed was un-finalised behind the program's back
            if chain_status(tx, assessment)? == Some(Status::Finalised) {
                return Err(Error::StatusNotInChain(assessment).into());
            }
            let scores = self.scores_in(tx, assessment)?;
            let missing = assessment::unscored(&model, &scores);
            if !missing.is_empty() {
                return Err(Fail::App(Error::Unscored {
                    id: assessment,
                    indicators: missing.iter().map(|s| s.to_string()).collect(),
                }));
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
                return Err(Fail::App(Error::NotReassessed {
                    id: assessment,
                    indicators: carried,
                }));
            }
            let hash = signoff_now(tx, assessment, signed_by, &at)?;
            let new = serde_json::json!({
                "status": "finalised", "by": signed_by, "signoff_hash": hash, "signoff_version": SIGNOFF_VERSION,
            })
            .to_string();
            // the audit row first: the server takes the status change only right after it
            audit(
                tx,
                stamp,
                "assessment.finalise",
                Some(record.facility_id),
                Some(assessment),
                None,
                Some("draft"),
                Some(&new),
            )?;
            tx.execute(
                "UPDATE assessments SET status = 'finalised', finalised_by = $2, finalised_at = $3,
                   signoff_hash = $4, signoff_version = $5 WHERE id = $1",
                &[&assessment, &signed_by, &at, &hash, &SIGNOFF_VERSION],
            )?;
            Ok(())
        })
    }

    /// Reopens a finalised assessment (see `Assessments::reopen`).
    pub(super) fn reopen_signed(&self, assessment: i64, reason: &str, stamp: &Stamp) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Error::Empty("reason"));
        }
        check_free_texts([(FreeField::ReopenReason, reason)], self.write_policy()?)?;
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        if record.status != Status::Finalised {
            return Err(Error::NotFinalised(assessment));
        }
        let at = stamp.at();
        self.write(Some(assessment), |tx| {
            hold(tx, Hold::Assessment, assessment, false)?;
            let now = tx.query_one(
                "SELECT status, finalised_by, finalised_at FROM assessments WHERE id = $1",
                &[&assessment],
            )?;
            if status_of(now.get(0)) != Status::Finalised {
                return Err(Error::NotFinalised(assessment).into());
            }
            let (by, signed_at): (Option<String>, Option<String>) = (now.get(1), now.get(2));
            let old =
                serde_json::json!({ "status": "finalised", "by": by, "at": signed_at }).to_string();
            // the audit row first: the server takes the status change only right after it
            append(
                tx,
                AuditFields {
                    id: 0,
                    at: &at,
                    by: &stamp.by,
                    action: "assessment.reopen",
                    facility_id: Some(record.facility_id),
                    assessment_id: Some(assessment),
                    subject: None,
                    old_value: Some(&old),
                    new_value: Some("draft"),
                    reason: Some(reason.trim()),
                },
            )?;
            tx.execute(
                "UPDATE assessments SET status = 'draft', finalised_by = NULL, finalised_at = NULL,
                   signoff_hash = NULL WHERE id = $1",
                &[&assessment],
            )?;
            Ok(())
        })
    }
}
