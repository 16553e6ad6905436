//! The audit chain on the server: the one place the PostgreSQL backend appends to it.
//! Appends are serialised by a transaction-level advisory lock on a fixed key
//! (`CHAIN_LOCK`), taken before the end of the chain is read and held to the end of the
//! transaction, so two writers never read the same end. (A `LOCK TABLE audit_log IN
//! EXCLUSIVE MODE` would do the same but needs UPDATE, DELETE or TRUNCATE on the table,
//! which a facility leader must not have; the advisory lock needs no privilege.) Under
//! the region's roles (`roles.rs`) the server's insert trigger takes the same lock and
//! checks the same end, so a row written past the program (psql) cannot fork the chain.
//!
//! Who a row names (`by`): where `region init` has made the roles and the connected
//! role is a member of one of the region's groups, the role the server says connected
//! (`session_user`), whatever `--user` says, so the log names the person the server
//! authenticated; the server's trigger refuses any other name from such a role. The
//! schema's owner (the DBA, migrations, imports) and a database without roles keep the
//! program's user.

use crate::integrity::{AuditFields, link_hash};
use crate::store::Stamp;
use postgres::Transaction;

/// The advisory lock key the chain's appends queue on (the schema's creation uses 7017).
pub(super) const CHAIN_LOCK: i64 = 7018;

/// Whether the connected role is a direct member of one of the region's groups (SQL,
/// `false` where `region init` has not made them).
pub(super) const IN_REGION_GROUP: &str = "EXISTS (SELECT 1 FROM pg_auth_members m
    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
    WHERE u.rolname = session_user
      AND g.rolname IN ('tilsynsklar_leader', 'tilsynsklar_consultant', 'tilsynsklar_management'))";

/// Appends one row (the chain's next id, linked to the last sealed row).
pub(super) fn append(
    tx: &mut Transaction<'_>,
    row: AuditFields<'_>,
) -> Result<(), postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])?;
    let head = tx.query_one(
        &format!(
            "SELECT coalesce((SELECT max(id) FROM audit_log), 0) + 1,
                    coalesce((SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1), ''),
                    CASE WHEN {IN_REGION_GROUP} THEN session_user::text END"
        ),
        &[],
    )?;
    let next: i64 = head.get(0);
    let previous: String = head.get(1);
    let server_user: Option<String> = head.get(2);
    let by = server_user.as_deref().unwrap_or(row.by);
    let row = AuditFields {
        id: next,
        by,
        ..row
    };
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
