//! The bulk loader's chunks on their way to the server: each table's rows through
//! `COPY … FROM STDIN (FORMAT binary)` (`BinaryCopyInWriter`), then the chunk's audit rows
//! through a temporary table and one server-side loop that appends them in the chain's
//! order and signs each assessment right after its `assessment.finalise` row (what the
//! sign-off trigger asks). See `bulk.rs`.

use super::bulk::{AuditRow, PgBulk, Sign};
use super::import_finish::PgChain;
use super::server_error;
use crate::error::Result;
use crate::integrity::AuditFields;
use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

// the loop below writes the current sign-off encoding
const _: () = assert!(crate::integrity::SIGNOFF_VERSION == 2);

/// Appends the chunk's audit rows in order, signing each assessment after its row.
const APPEND: &str = r#"
DO $$
DECLARE
    r record;
    done bigint := (SELECT coalesce(min(id), 1) - 1 FROM bulk_audit);
BEGIN
    FOR r IN SELECT id, assessment_id, sign_by, sign_at, sign_hash FROM bulk_audit
             WHERE sign_hash IS NOT NULL ORDER BY id LOOP
        INSERT INTO audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)
            SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
            FROM bulk_audit WHERE id > done AND id <= r.id ORDER BY id;
        UPDATE assessments SET status = 'finalised', finalised_by = r.sign_by, finalised_at = r.sign_at,
            signoff_hash = r.sign_hash, signoff_version = 2 WHERE id = r.assessment_id;
        done := r.id;
    END LOOP;
    INSERT INTO audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)
        SELECT id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash
        FROM bulk_audit WHERE id > done ORDER BY id;
    TRUNCATE bulk_audit;
END $$"#;

/// A missing text in a `COPY` row.
static NONE: Option<&str> = None;

/// Writes `rows` to `COPY table (columns) FROM STDIN (FORMAT binary)`.
fn copy<T>(
    tx: &mut Transaction<'_>,
    table: &str,
    types: &[Type],
    rows: &[T],
    fields: impl Fn(&T) -> Vec<&(dyn ToSql + Sync)>,
) -> std::result::Result<(), postgres::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let sink = tx.copy_in(&format!("COPY {table} FROM STDIN (FORMAT binary)"))?;
    let mut w = BinaryCopyInWriter::new(sink, types);
    for r in rows {
        w.write(&fields(r))?;
    }
    w.finish()?;
    Ok(())
}

impl PgBulk<'_> {
    /// Sends the rows kept so far, table by table, then the chunk's audit rows.
    pub(super) fn flush(&mut self) -> Result<()> {
        let server = self.server.clone();
        let e = |err| server_error(&server, &err);
        let tx = &mut self.tx;
        let (t, i8, i4, b) = (Type::TEXT, Type::INT8, Type::INT4, Type::BOOL);
        copy(
            tx,
            "assessments (id, facility_id, year, model_id, model_hash, created_by, created_at)",
            &[
                i8.clone(),
                i8.clone(),
                i4,
                t.clone(),
                t.clone(),
                t.clone(),
                t.clone(),
            ],
            &self.assessments,
            |r| vec![&r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6],
        )
        .map_err(e)?;
        self.assessments.clear();
        copy(
            tx,
            "scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at)",
            &[
                i8.clone(),
                t.clone(),
                i8.clone(),
                b,
                t.clone(),
                t.clone(),
                t.clone(),
                t.clone(),
            ],
            &self.scores,
            |r| {
                let nr: &(dyn ToSql + Sync) = if r.2.is_none() { &true } else { &false };
                vec![&r.0, &r.1, &r.2, nr, &r.3, &r.4, &r.5, &r.6]
            },
        )
        .map_err(e)?;
        self.scores.clear();
        copy(
            tx,
            "improvement_actions (id, assessment_id, text, owner, due, status, drop_reason, created_by, created_at, updated_at)",
            &[i8.clone(), i8.clone(), t.clone(), t.clone(), t.clone(), t.clone(), t.clone(), t.clone(), t.clone(), t.clone()],
            &self.actions,
            |r| vec![&r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8, &r.8],
        )
        .map_err(e)?;
        self.actions.clear();
        copy(
            tx,
            "action_indicators (action_id, indicator_id)",
            &[i8.clone(), t.clone()],
            &self.indicators,
            |r| vec![&r.0, &r.1],
        )
        .map_err(e)?;
        self.indicators.clear();
        if self.audit.is_empty() {
            return Ok(());
        }
        if !self.temp_made {
            tx.batch_execute(
                "CREATE TEMP TABLE bulk_audit (id BIGINT PRIMARY KEY, at TEXT, by TEXT, action TEXT, facility_id BIGINT,
                   assessment_id BIGINT, subject TEXT, old_value TEXT, new_value TEXT, reason TEXT, prev_hash TEXT, hash TEXT,
                   sign_by TEXT, sign_at TEXT, sign_hash TEXT) ON COMMIT DROP",
            )
            .map_err(e)?;
            self.temp_made = true;
        }
        copy(
            tx,
            "bulk_audit (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash, sign_by, sign_at, sign_hash)",
            &[
                i8.clone(), t.clone(), t.clone(), t.clone(), i8.clone(), i8, t.clone(), t.clone(), t.clone(),
                t.clone(), t.clone(), t.clone(), t.clone(), t.clone(), t,
            ],
            &self.audit,
            |r| {
                let (sb, sa, sh): (&(dyn ToSql + Sync), &(dyn ToSql + Sync), &(dyn ToSql + Sync)) =
                    match &r.sign {
                        Some((by, at, hash)) => (by, at, hash),
                        None => (&NONE, &NONE, &NONE),
                    };
                vec![
                    &r.id, &r.at, &r.by, &r.action, &r.facility, &r.assessment, &NONE,
                    &r.old_value, &r.new_value, &NONE, &r.prev, &r.hash, sb, sa, sh,
                ]
            },
        )
        .map_err(e)?;
        self.audit.clear();
        tx.batch_execute(APPEND).map_err(e)
    }

    /// Links the next audit row into the chain (locked and read at the first) and keeps it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn keep_audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        old_value: Option<&str>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
        sign: Option<Sign>,
    ) -> Result<()> {
        let chain = match &mut self.chain {
            Some(c) => c,
            None => {
                let c = PgChain::read(&mut self.tx).map_err(|e| server_error(&self.server, &e))?;
                self.chain.insert(c)
            }
        };
        let (id, prev, hash) = chain.link(AuditFields {
            id: 0,
            at,
            by,
            action,
            facility_id: Some(facility),
            assessment_id: assessment,
            subject: None,
            old_value,
            new_value,
            reason: None,
        });
        self.audit.push(AuditRow {
            id,
            at: at.into(),
            by: by.into(),
            action: action.into(),
            facility: Some(facility),
            assessment,
            old_value: old_value.map(String::from),
            new_value: new_value.map(String::from),
            prev,
            hash,
            sign,
        });
        Ok(())
    }
}
