//! The audit log as a hash chain: every row the program writes is appended here, carrying
//! the hash of the row before it and its own; `verify` walks the chain and re-hashes the
//! finalised assessments.

use super::Store;
use crate::error::Result;
use crate::integrity::{AuditFields, ChainBreak, ChainVerifier, link_hash};
use rusqlite::{Connection, OptionalExtension, params};
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
        let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
        let row = AuditFields {
            id: r.get(0)?,
            at: text(1)?.unwrap_or_default(),
            by: text(2)?.unwrap_or_default(),
            action: text(3)?.unwrap_or_default(),
            facility_id: r.get(4)?,
            assessment_id: r.get(5)?,
            subject: text(6)?,
            old_value: text(7)?,
            new_value: text(8)?,
            reason: text(9)?,
        };
        f(&row, text(10)?, text(11)?)?;
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
    /// The numbers of the audit rows, and of the assessments, that were found changed.
    pub fn named(&self) -> (Vec<String>, Vec<String>) {
        let mut rows = Vec::new();
        let mut assessments = Vec::new();
        for f in &self.findings {
            match f {
                Tampering::AuditRow { id, .. } => rows.push(id.to_string()),
                Tampering::Signoff { assessment, .. } => assessments.push(assessment.to_string()),
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
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.signoff_hash, f.name, a.year FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE a.status = 'finalised' AND (?1 IS NULL OR a.id = ?1) ORDER BY a.id",
            )
            .map_err(|e| self.err(e))?;
        let finalised = stmt
            .query_map([assessment], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i32>(3)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        for (id, signed, facility, year) in finalised {
            let Some(signed) = signed else {
                out.unsigned += 1;
                continue;
            };
            out.signoffs += 1;
            let now =
                super::assessments::current_signoff(&self.conn, id).map_err(|e| self.err(e))?;
            if now != signed {
                out.findings.push(Tampering::Signoff {
                    assessment: id,
                    facility,
                    year,
                });
            }
        }
        Ok(out)
    }
}
