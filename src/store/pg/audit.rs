//! The audit chain on the server: the one place the PostgreSQL backend appends to it.
//! Appends are serialised by a lock on the table (held to the end of the transaction),
//! so two writers never read the same end of the chain.

use crate::integrity::{AuditFields, link_hash};
use crate::store::Stamp;
use postgres::Transaction;

/// Appends one row (the chain's next id, linked to the last sealed row).
pub(super) fn append(
    tx: &mut Transaction<'_>,
    row: AuditFields<'_>,
) -> Result<(), postgres::Error> {
    tx.batch_execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")?;
    let next: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) + 1 FROM audit_log", &[])?
        .get(0);
    let previous: String = tx
        .query_opt(
            "SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1",
            &[],
        )?
        .map(|r| r.get(0))
        .unwrap_or_default();
    let row = AuditFields { id: next, ..row };
    let hash = link_hash(&previous, &row);
    tx.execute(
        "INSERT INTO audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            &row.id,
            &row.at,
            &row.by,
            &row.action,
            &row.facility_id,
            &row.assessment_id,
            &row.subject,
            &row.old_value,
            &row.new_value,
            &row.reason,
            &previous,
            &hash,
        ],
    )?;
    Ok(())
}

/// Writes one row of the audit log (as `store::audit::audit`).
#[allow(clippy::too_many_arguments)]
pub(super) fn audit(
    tx: &mut Transaction<'_>,
    stamp: &Stamp,
    action: &str,
    facility: Option<i64>,
    assessment: Option<i64>,
    subject: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), postgres::Error> {
    let at = stamp
        .at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    append(
        tx,
        AuditFields {
            id: 0,
            at: &at,
            by: &stamp.by,
            action,
            facility_id: facility,
            assessment_id: assessment,
            subject,
            old_value: old,
            new_value: new,
            reason: None,
        },
    )
}
