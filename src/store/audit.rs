//! The audit log as a hash chain: every row the program writes is appended here, carrying
//! the hash of the row before it and its own; `verify` walks the chain and re-hashes the
//! finalised assessments.

use super::{Stamp, Store};
use crate::error::Result;
use crate::integrity::{AuditFields, ChainBreak, ChainVerifier, link_hash};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

/// The end of the chain, kept while one transaction appends rows.
pub(super) struct ChainHead {
    next_id: i64,
    hash: String,
}

impl ChainHead {
    /// Reads the end of the chain; call it inside the write transaction that appends.
    pub(super) fn read(conn: &Connection) -> rusqlite::Result<ChainHead> {
        let last: i64 = conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM audit_log")?
            .query_row([], |r| r.get(0))?;
        // a row inserted by hand carries no hash; the chain goes on from the last sealed row
        let hash: Option<String> = conn
            .prepare_cached(
                "SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(ChainHead {
            next_id: last + 1,
            hash: hash.unwrap_or_default(),
        })
    }

    /// Appends one row (its `id` is the chain's next) and moves the head to it.
    pub(super) fn append(
        &mut self,
        conn: &Connection,
        row: AuditFields<'_>,
    ) -> rusqlite::Result<()> {
        let row = AuditFields {
            id: self.next_id,
            ..row
        };
        let hash = link_hash(&self.hash, &row);
        conn.prepare_cached(
            "INSERT INTO audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            row.id,
            row.at,
            row.by,
            row.action,
            row.facility_id,
            row.assessment_id,
            row.subject,
            row.old_value,
            row.new_value,
            row.reason,
            self.hash,
            hash
        ])?;
        self.hash = hash;
        self.next_id += 1;
        Ok(())
    }
}

/// Appends one row to the audit log of a write transaction.
pub(super) fn append(conn: &Connection, row: AuditFields<'_>) -> rusqlite::Result<()> {
    ChainHead::read(conn)?.append(conn, row)
}

/// Seals the rows written before the audit log became a chain (schema step 7), in id order.
pub(super) fn seal_earlier_rows(conn: &Connection) -> rusqlite::Result<()> {
    let mut head = String::new();
    let mut update =
        conn.prepare("UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    each_row(conn, |row, _, _| {
        let hash = link_hash(&head, row);
        update.execute(params![row.id, head, hash])?;
        head = hash;
        Ok(())
    })
}

/// Calls `f` with every audit row and the hashes it carries, in id order.
fn each_row(
    conn: &Connection,
    mut f: impl FnMut(&AuditFields<'_>, Option<&str>, Option<&str>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        // a text that is not UTF-8 is read with the bad bytes replaced: the row then no
        // longer fits its hash, and the texts scan names it
        let text = |i: usize| super::evidence::lossy(r, i);
        let (at, by, action) = (text(1)?, text(2)?, text(3)?);
        let (subject, old_value, new_value, reason) = (text(6)?, text(7)?, text(8)?, text(9)?);
        let row = AuditFields {
            id: r.get(0)?,
            at: at.as_deref().unwrap_or_default(),
            by: by.as_deref().unwrap_or_default(),
            action: action.as_deref().unwrap_or_default(),
            facility_id: r.get(4)?,
            assessment_id: r.get(5)?,
            subject: subject.as_deref(),
            old_value: old_value.as_deref(),
            new_value: new_value.as_deref(),
            reason: reason.as_deref(),
        };
        f(&row, text(10)?.as_deref(), text(11)?.as_deref())?;
    }
    Ok(())
}

/// Something changed behind the program's back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tampering {
    /// An audit row that does not fit the chain.
    AuditRow {
        id: i64,
        action: String,
        at: String,
        assessment: Option<i64>,
        problem: ChainBreak,
    },
    /// A finalised assessment whose scores or texts no longer give its sign-off hash.
    Signoff {
        assessment: i64,
        facility: String,
        year: i32,
    },
    /// An assessment whose status or sign-off is not what the last finalise or reopen row
    /// of the audit chain says.
    Status {
        assessment: i64,
        facility: String,
        year: i32,
        problem: StatusProblem,
    },
    /// An improvement action changed or deleted behind the program's back.
    Action {
        id: i64,
        assessment: i64,
        problem: ActionProblem,
    },
    /// A stored text that is not UTF-8 (the program writes only UTF-8).
    Text {
        table: String,
        row: String,
        column: String,
    },
}

/// How an assessment's status or sign-off differs from the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusProblem {
    /// A draft whose last finalise/reopen row is a finalise: un-finalised behind the program's back.
    Unfinalised,
    /// Finalised, but the chain holds no finalise row after its last reopen.
    FinalisedOutsideChain,
    /// The signer is not the one the finalise row names.
    Signer,
    /// The sign-off time is not the finalise row's.
    Time,
    /// The assessment belongs to another facility than the one it was signed for.
    Facility,
    /// The sign-off hash is not the one the finalise row names.
    Hash,
}

/// How an improvement action differs from its last logged state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionProblem {
    Changed,
    Deleted,
}

/// What `verify` checked and found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Audit rows walked (all of them: the chain runs through every assessment).
    pub audit_rows: usize,
    /// The hash of the chain's last row: noting it down lets a later check see rows cut off the end.
    pub chain_head: String,
    /// Finalised assessments re-hashed against their sign-off.
    pub signoffs: usize,
    /// Finalised before sign-off hashes were recorded (nothing to check against).
    pub unsigned: usize,
    pub findings: Vec<Tampering>,
}

impl Verification {
    /// The numbers of the audit rows, and of the assessments (their sign-off or status),
    /// that were found changed.
    pub fn named(&self) -> (Vec<String>, Vec<String>) {
        self.named_all().0
    }

    /// `named`, and the improvement actions changed or deleted, and the damaged texts
    /// (as "table row column").
    #[allow(clippy::type_complexity)]
    pub fn named_all(&self) -> ((Vec<String>, Vec<String>), Vec<String>, Vec<String>) {
        let mut actions = Vec::new();
        let mut texts = Vec::new();
        for f in &self.findings {
            match f {
                Tampering::Action { id, .. } => actions.push(id.to_string()),
                Tampering::Text { table, row, column } => {
                    texts.push(format!("{table} {row} {column}"))
                }
                _ => {}
            }
        }
        ((self.rows_and_assessments()), actions, texts)
    }

    fn rows_and_assessments(&self) -> (Vec<String>, Vec<String>) {
        let mut rows = Vec::new();
        let mut assessments = Vec::new();
        for f in &self.findings {
            match f {
                Tampering::AuditRow { id, .. } => rows.push(id.to_string()),
                Tampering::Signoff { assessment, .. } | Tampering::Status { assessment, .. } => {
                    if !assessments.contains(&assessment.to_string()) {
                        assessments.push(assessment.to_string())
                    }
                }
                Tampering::Action { .. } | Tampering::Text { .. } => {}
            }
        }
        (rows, assessments)
    }
}

impl Store {
    /// Recomputes the audit chain and the sign-off hashes; of one assessment where given
    /// (the chain is walked in full, and a break in the links is reported whichever
    /// assessment it falls in, since the row removed may have been this one's).
    pub fn verify(&self, assessment: Option<i64>) -> Result<Verification> {
        let mut out = Verification::default();
        let mut chain = ChainVerifier::default();
        each_row(&self.conn, |row, prev, hash| {
            if let Some(h) = hash {
                out.chain_head = h.to_string();
            }
            let Some(problem) = chain.check(row, prev, hash) else {
                return Ok(());
            };
            if assessment.is_none()
                || assessment == row.assessment_id
                || problem == ChainBreak::Unlinked
            {
                out.findings.push(Tampering::AuditRow {
                    id: row.id,
                    action: row.action.to_string(),
                    at: row.at.to_string(),
                    assessment: row.assessment_id,
                    problem,
                });
            }
            Ok(())
        })
        .map_err(|e| self.err(e))?;
        out.audit_rows = chain.rows;
        let conn = &self.conn;
        let mut signoffs = || -> rusqlite::Result<()> {
            let mut stmt = conn.prepare(
                "SELECT a.id, a.signoff_hash, f.name, a.year, a.signoff_version, a.finalised_by, a.finalised_at
                 FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE a.status = 'finalised' AND (?1 IS NULL OR a.id = ?1) ORDER BY a.id",
            )?;
            let mut rows = stmt.query([assessment])?;
            while let Some(r) = rows.next()? {
                let lossy = |i| super::evidence::lossy(r, i);
                let id: i64 = r.get(0)?;
                let Some(signed) = lossy(1)? else {
                    out.unsigned += 1;
                    continue;
                };
                out.signoffs += 1;
                let version = r.get::<_, Option<i64>>(4)?.unwrap_or(1);
                let (by, at) = (lossy(5)?, lossy(6)?);
                // each sign-off in the encoding it was written in (an unknown one fits nothing)
                let now =
                    super::evidence::signoff_now(conn, id, version, by.as_deref(), at.as_deref())?;
                if now.as_deref() != Some(signed.as_str()) {
                    out.findings.push(Tampering::Signoff {
                        assessment: id,
                        facility: lossy(2)?.unwrap_or_default(),
                        year: r.get(3)?,
                    });
                }
            }
            super::evidence::status_findings(conn, assessment, &mut out.findings)?;
            super::action_evidence::action_findings(conn, assessment, &mut out.findings)?;
            super::bad_texts::bad_texts(conn, &mut out.findings)
        };
        signoffs().map_err(|e| self.err(e))?;
        Ok(out)
    }
}

/// Writes one row of the audit log.
#[allow(clippy::too_many_arguments)]
pub(super) fn audit(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    action: &str,
    facility: Option<i64>,
    assessment: Option<i64>,
    subject: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
    reason: Option<&str>,
) -> rusqlite::Result<()> {
    append(
        tx,
        AuditFields {
            id: 0,
            at: &stamp.at(),
            by: &stamp.by,
            action,
            facility_id: facility,
            assessment_id: assessment,
            subject,
            old_value: old,
            new_value: new,
            reason,
        },
    )
}
