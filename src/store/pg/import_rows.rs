//! The rows an import writes, kept and sent in chunks through `COPY … FROM STDIN (FORMAT
//! binary)` (a statement per row or per assessment would cost a round trip to the server
//! each): the assessments, their scores, actions and the actions' indicators, the
//! sign-offs (one `UPDATE` over `unnest`), and the audit rows (linked here, `PgChain`).
//!
//! Numbers: the import holds `assessments` locked from its start (`ALTER TABLE`), so no
//! one else adds an assessment, nor an action (whose key check reads it), until it
//! commits; it numbers both from the largest number there + 1, as SQLite's rowids do,
//! and sets the identity sequences past them before commit.
//!
//! What reads rows back sees them sent first (`flush` before a look at the audit log);
//! the assessments an import compares with are never ones whose rows are still kept.

use super::bulk_flush::copy;
use super::server_error;
use crate::error::Result;
use postgres::Transaction;
use postgres::types::{ToSql, Type};

/// Score rows kept before a chunk is sent.
const CHUNK: usize = 20_000;

/// (id, facility, year, model id, model hash, created by, created at)
type Assessment = (i64, i64, i32, String, String, String, String);
/// (assessment, indicator, value, not relevant, reasoning, sources, by, at, carried over)
type Score = (
    i64,
    String,
    Option<i64>,
    bool,
    String,
    String,
    String,
    String,
    bool,
);
/// (id, assessment, text, strategy, plan, owner, due, status, reason, by, created, updated)
type Action = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    String,
);
/// (id, at, by, action, facility, assessment, subject, old, new, reason, prev hash, hash)
pub(super) type Audit = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// A sign-off: (assessment, signer, time, hash, encoding).
pub(super) type Sign = (i64, Option<String>, Option<String>, String, i64);

/// The kept rows and the next numbers.
#[derive(Default)]
pub(super) struct Rows {
    next: Option<(i64, i64)>,
    pub(super) assessments: Vec<Assessment>,
    pub(super) scores: Vec<Score>,
    pub(super) actions: Vec<Action>,
    pub(super) indicators: Vec<(i64, String)>,
    pub(super) signs: Vec<Sign>,
    pub(super) audit: Vec<Audit>,
}

impl Rows {
    /// The next number of an assessment (`action`: false) or an action (true).
    pub(super) fn next_id(
        &mut self,
        tx: &mut Transaction<'_>,
        action: bool,
    ) -> std::result::Result<i64, postgres::Error> {
        let next = match &mut self.next {
            Some(n) => n,
            None => {
                let r = tx.query_one(
                    "SELECT (SELECT coalesce(max(id), 0) FROM assessments), (SELECT coalesce(max(id), 0) FROM improvement_actions)",
                    &[],
                )?;
                self.next.insert((r.get(0), r.get(1)))
            }
        };
        let n = if action { &mut next.1 } else { &mut next.0 };
        *n += 1;
        Ok(*n)
    }

    /// Whether enough rows wait to send them.
    pub(super) fn full(&self) -> bool {
        self.scores.len() >= CHUNK || self.audit.len() >= CHUNK
    }

    /// Sends every kept row, table by table (each one's rows after those they point to).
    pub(super) fn flush(&mut self, tx: &mut Transaction<'_>, server: &str) -> Result<()> {
        let e = |err| server_error(server, &err);
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
            "scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over)",
            &[i8.clone(), t.clone(), i8.clone(), b.clone(), t.clone(), t.clone(), t.clone(), t.clone(), b],
            &self.scores,
            |r| vec![&r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8],
        )
        .map_err(e)?;
        self.scores.clear();
        let texts = std::iter::repeat_n(t.clone(), 10);
        let types: Vec<Type> = [i8.clone(), i8.clone()].into_iter().chain(texts).collect();
        copy(
            tx,
            "improvement_actions (id, assessment_id, text, strategy_id, action_plan_id, owner, due, status, drop_reason, created_by, created_at, updated_at)",
            &types,
            &self.actions,
            |r| {
                let row: Vec<&(dyn ToSql + Sync)> = vec![
                    &r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8, &r.9, &r.10, &r.11,
                ];
                row
            },
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
        if !self.signs.is_empty() {
            let s = &self.signs;
            let ids: Vec<i64> = s.iter().map(|x| x.0).collect();
            let by: Vec<Option<&str>> = s.iter().map(|x| x.1.as_deref()).collect();
            let at: Vec<Option<&str>> = s.iter().map(|x| x.2.as_deref()).collect();
            let hash: Vec<&str> = s.iter().map(|x| x.3.as_str()).collect();
            let version: Vec<i64> = s.iter().map(|x| x.4).collect();
            tx.execute(
                "UPDATE assessments a SET status = 'finalised', finalised_by = s.by, finalised_at = s.at, signoff_hash = s.hash, signoff_version = s.version
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS s (id, by, at, hash, version) WHERE a.id = s.id",
                &[&ids, &by, &at, &hash, &version],
            )
            .map_err(e)?;
            self.signs.clear();
        }
        let types: Vec<Type> = [i8.clone(), t.clone(), t.clone(), t.clone(), i8.clone(), i8]
            .into_iter()
            .chain(std::iter::repeat_n(t, 6))
            .collect();
        copy(
            tx,
            "audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)",
            &types,
            &self.audit,
            |r| {
                let row: Vec<&(dyn ToSql + Sync)> = vec![
                    &r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8, &r.9, &r.10, &r.11,
                ];
                row
            },
        )
        .map_err(e)?;
        self.audit.clear();
        Ok(())
    }

    /// Sets the identity sequences past the numbers given out (before commit).
    pub(super) fn set_sequences(
        &self,
        tx: &mut Transaction<'_>,
    ) -> std::result::Result<(), postgres::Error> {
        if self.next.is_none() {
            return Ok(());
        }
        tx.batch_execute(
            "SELECT setval(pg_get_serial_sequence('assessments', 'id'), (SELECT coalesce(max(id), 0) FROM assessments) + 1, false);
             SELECT setval(pg_get_serial_sequence('improvement_actions', 'id'), (SELECT coalesce(max(id), 0) FROM improvement_actions) + 1, false);",
        )
    }
}
