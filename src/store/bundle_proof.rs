//! The proof a bundle carries, on the store's side: a finalised assessment's sign-off as
//! recorded, and the bundle's own audit chain, sealed only over rows that still fit this
//! database's chain (so an export never launders a row changed behind the program's back).

use super::AssessmentRecord;
use crate::assessment::Status;
use crate::error::{Error, Result};
use crate::exchange::BundleAudit;
use crate::integrity::{AuditFields, link_hash, portable_audit_hash};
use rusqlite::{Connection, Row};

/// A finalised assessment's sign-off hash and its encoding, as recorded (none for a draft).
pub(super) fn signoff_of(
    conn: &Connection,
    a: &AssessmentRecord,
) -> rusqlite::Result<(Option<String>, Option<i64>)> {
    if a.status != Status::Finalised {
        return Ok((None, None));
    }
    conn.prepare_cached("SELECT signoff_hash, signoff_version FROM assessments WHERE id = ?1")?
        .query_row([a.id], |r| {
            let hash: Option<String> = r.get(0)?;
            let version: Option<i64> = r.get(1)?;
            Ok((hash.clone(), hash.and(version)))
        })
}

/// Keeps the sign-off a bundle carried (checked against its content on the way in) where
/// its encoding is not the current one, so that an export of the import gives it back.
pub(super) fn keep_signoff(
    conn: &Connection,
    assessment: i64,
    hash: &str,
    version: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE assessments SET signoff_hash = ?2, signoff_version = ?3 WHERE id = ?1",
    )?
    .execute(rusqlite::params![assessment, hash, version])?;
    Ok(())
}

/// Seals a bundle's audit rows, one after the other, into the bundle's chain.
#[derive(Debug, Default)]
pub(super) struct Sealer {
    previous: String,
}

impl Sealer {
    /// Seals `row`, read from `r` (columns 0–8 its fields, 9 its number, 10 and 11 its
    /// hashes here); a row whose fields do not give its hash here is refused.
    pub(super) fn seal(
        &mut self,
        r: &Row<'_>,
        facility_id: i64,
        assessment_id: Option<i64>,
        mut row: BundleAudit,
    ) -> rusqlite::Result<Result<BundleAudit>> {
        let id: i64 = r.get(9)?;
        let prev: Option<String> = r.get(10)?;
        let hash: Option<String> = r.get(11)?;
        let fields = AuditFields {
            id,
            at: &row.at,
            by: &row.by,
            action: &row.action,
            facility_id: Some(facility_id),
            assessment_id,
            subject: row.subject.as_deref(),
            old_value: row.old_value.as_deref(),
            new_value: row.new_value.as_deref(),
            reason: row.reason.as_deref(),
        };
        if hash.is_none_or(|h| link_hash(prev.as_deref().unwrap_or_default(), &fields) != h) {
            return Ok(Err(Error::AuditRowUnfit(id)));
        }
        let sealed = portable_audit_hash(&self.previous, &row.portable());
        row.prev_hash = (!self.previous.is_empty()).then(|| std::mem::take(&mut self.previous));
        self.previous = sealed.clone();
        row.hash = Some(sealed);
        Ok(Ok(row))
    }
}
