//! The audit log as a hash chain: every row the program writes is appended here (and only
//! here), carrying the hash of the row before it and its own.

use super::Stamp;
use super::row_text::{is_utf8, lossy_ref};
use crate::integrity::{AuditFields, link_hash};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

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
    each_row(conn, |row, _, _, _| {
        let hash = link_hash(&head, row);
        update.execute(params![row.id, head, hash])?;
        head = hash;
        Ok(())
    })
}

/// The text columns of an audit row, in the order of `each_row`'s mask of texts that are
/// not UTF-8 (bit i: column i).
pub(super) const AUDIT_TEXT_COLUMNS: [&str; 9] = [
    "at",
    "by",
    "action",
    "subject",
    "old_value",
    "new_value",
    "reason",
    "prev_hash",
    "hash",
];

/// Calls `f` with every audit row, the hashes it carries, and which of its
/// `AUDIT_TEXT_COLUMNS` are not UTF-8 (a bit mask), in id order.
pub(super) fn each_row(
    conn: &Connection,
    mut f: impl FnMut(&AuditFields<'_>, Option<&str>, Option<&str>, u16) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        // a text that is not UTF-8 is read with the bad bytes replaced: the row then no
        // longer fits its hash, and the texts scan names it
        let mut bad = 0u16;
        for (bit, i) in [1usize, 2, 3, 6, 7, 8, 9, 10, 11].into_iter().enumerate() {
            if !is_utf8(r.get_ref(i)?) {
                bad |= 1 << bit;
            }
        }
        let text = |i: usize| lossy_ref(r, i);
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
        f(&row, text(10)?.as_deref(), text(11)?.as_deref(), bad)?;
    }
    Ok(())
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
