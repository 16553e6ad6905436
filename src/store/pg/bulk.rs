//! The bulk loader on the server (the demo data), as SQLite's `store/bulk.rs`: many rows in
//! one transaction, nothing visible to others until `commit`. The rows are kept per table
//! and sent in chunks with `COPY … FROM STDIN (FORMAT binary)`, ids taken up front from
//! the identity sequences, so memory stays bounded by a chunk.
//!
//! The lock triggers stay on. An assessment goes in as a draft (which the insert trigger
//! asks for) and gets its scores and actions while it is one; one inserted signed (SQLite's
//! bulk writes it finalised at once) is signed right after its `assessment.finalise` row
//! is in the chain, as the sign-off trigger asks: the chunk's audit rows go into a
//! temporary table and one server-side loop appends them in order, signing each
//! assessment after its row. A signed one whose row never comes gets the row at `commit`,
//! as SQLite's `evidence::explain_changes` writes it.

use super::import_finish::PgChain;
use super::{PgStore, server_error};
use crate::error::{Error, Result};
use crate::integrity::SignedRecord;
use crate::store::NewFacility;
use crate::store::backend::{Bulk, BulkLoad, BulkScore};
use postgres::Transaction;
use std::collections::BTreeMap;

/// At most this many score rows wait before a chunk is sent.
pub(super) const CHUNK_SCORES: usize = 50_000;
/// Ids taken from a sequence at a time.
const ID_BLOCK: i64 = 1_000;

/// A sign-off waiting for its row in the chain: (signer, time, hash).
pub(super) type Sign = (Option<String>, Option<String>, String);

/// An audit row of the chunk: its fields, link and hash, and the sign-off it brings.
pub(super) struct AuditRow {
    pub(super) id: i64,
    pub(super) at: String,
    pub(super) by: String,
    pub(super) action: String,
    pub(super) facility: Option<i64>,
    pub(super) assessment: Option<i64>,
    pub(super) old_value: Option<String>,
    pub(super) new_value: Option<String>,
    pub(super) prev: String,
    pub(super) hash: String,
    pub(super) sign: Option<Sign>,
}

/// An assessment of the chunk: (id, facility, year, model id, model hash, by, at).
pub(super) type AssessmentRow = (i64, i64, i32, String, String, String, String);
/// A score: (assessment, indicator, value, reasoning, sources, by, at).
pub(super) type ScoreRow = (i64, String, Option<i64>, String, String, String, String);
/// An action: (id, assessment, text, owner, due, status, drop reason, by, at).
pub(super) type ActionRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
);

/// One bulk load under way on the server.
pub(super) struct PgBulk<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) server: String,
    pub(super) chain: Option<PgChain>,
    assessment_ids: Vec<i64>,
    action_ids: Vec<i64>,
    pub(super) assessments: Vec<AssessmentRow>,
    pub(super) scores: Vec<ScoreRow>,
    pub(super) actions: Vec<ActionRow>,
    pub(super) indicators: Vec<(i64, String)>,
    pub(super) audit: Vec<AuditRow>,
    /// Assessments inserted signed whose `assessment.finalise` row has not come yet.
    signs: BTreeMap<i64, Sign>,
    pub(super) temp_made: bool,
}

impl Bulk for PgStore {
    fn bulk(&mut self) -> Result<Box<dyn BulkLoad + '_>> {
        let server = self.server.clone();
        let tx = self
            .client
            .get_mut()
            .transaction()
            .map_err(|e| server_error(&server, &e))?;
        Ok(Box::new(PgBulk {
            tx,
            server,
            chain: None,
            assessment_ids: Vec::new(),
            action_ids: Vec::new(),
            assessments: Vec::new(),
            scores: Vec::new(),
            actions: Vec::new(),
            indicators: Vec::new(),
            audit: Vec::new(),
            signs: BTreeMap::new(),
            temp_made: false,
        }))
    }
}

impl PgBulk<'_> {
    fn err(&self) -> impl Fn(postgres::Error) -> Error + '_ {
        |e| server_error(&self.server, &e)
    }

    /// The next id of `table`'s identity, from a block taken up front.
    fn next_id(&mut self, table: &str) -> Result<i64> {
        let pool = if table == "assessments" {
            &mut self.assessment_ids
        } else {
            &mut self.action_ids
        };
        if pool.is_empty() {
            let rows = self
                .tx
                .query(
                    "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2::bigint)",
                    &[&table, &ID_BLOCK],
                )
                .map_err(|e| server_error(&self.server, &e))?;
            let mut ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            // handed out from the end: the smallest last
            ids.sort_unstable_by(|a, b| b.cmp(a));
            *pool = ids;
        }
        pool.pop().ok_or_else(|| Error::Server {
            server: self.server.clone(),
            message: format!("the sequence of {table} gave no number"),
        })
    }
}

impl BulkLoad for PgBulk<'_> {
    fn facility(&mut self, f: &NewFacility, at: &str) -> Result<i64> {
        let key = f.name.trim().to_lowercase();
        let found = self
            .tx
            .query_opt("SELECT id FROM facilities WHERE name_key = $1", &[&key])
            .map_err(self.err())?;
        if let Some(r) = found {
            return Ok(r.get(0));
        }
        let row = crate::exchange::BundleFacility {
            name: f.name.clone(),
            organisation: f.organisation.clone(),
            location: f.location.clone(),
            facility_type: f.facility_type.clone(),
            target_group: f.target_group.clone(),
            tags: f.tags.clone(),
            created_at: at.into(),
            archived_at: None,
        };
        let server = self.server.clone();
        super::import::insert_facility(&mut self.tx, &row).map_err(|e| server_error(&server, &e))
    }

    fn assessment(
        &mut self,
        facility: i64,
        year: i32,
        model_id: &str,
        hash: &str,
        by: &str,
        at: &str,
        signed: Option<(&str, &str)>,
    ) -> Result<i64> {
        let id = self.next_id("assessments")?;
        self.assessments.push((
            id,
            facility,
            year,
            model_id.into(),
            hash.into(),
            by.into(),
            at.into(),
        ));
        if let Some((signed_at, signoff)) = signed {
            let signer = Some(crate::store::BulkLoader::SIGNER.to_string());
            self.signs
                .insert(id, (signer, Some(signed_at.into()), signoff.into()));
        }
        Ok(id)
    }

    fn scores(
        &mut self,
        assessment: i64,
        rows: &[BulkScore<'_>],
        by: &str,
        at: &str,
    ) -> Result<()> {
        for (indicator, value, reasoning, sources) in rows {
            self.scores.push((
                assessment,
                indicator.to_string(),
                value.map(i64::from),
                reasoning.to_string(),
                sources.to_string(),
                by.into(),
                at.into(),
            ));
        }
        if self.scores.len() >= CHUNK_SCORES {
            self.flush()?;
        }
        Ok(())
    }

    fn action(
        &mut self,
        assessment: i64,
        indicator: &str,
        text: &str,
        owner: &str,
        due: Option<chrono::NaiveDate>,
        status: &str,
        drop_reason: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        let id = self.next_id("improvement_actions")?;
        self.actions.push((
            id,
            assessment,
            text.into(),
            owner.into(),
            due.map(|d| d.to_string()),
            status.into(),
            drop_reason.map(String::from),
            by.into(),
            at.into(),
        ));
        self.indicators.push((id, indicator.into()));
        Ok(())
    }

    fn finalise(
        &mut self,
        assessment: i64,
        record: &SignedRecord<'_>,
        rows: &[BulkScore<'_>],
        by: &str,
        at: &str,
    ) -> Result<()> {
        let hash = crate::store::BulkLoader::signoff(record, rows, by, at);
        self.signs.insert(
            assessment,
            (
                record.signer.map(String::from),
                record.at.map(String::from),
                hash,
            ),
        );
        Ok(())
    }

    fn audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        let sign = match assessment {
            Some(a) if action == "assessment.finalise" => self.signs.remove(&a),
            _ => None,
        };
        self.keep_audit(action, facility, assessment, None, new_value, by, at, sign)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        // a signed assessment whose row never came: the row SQLite's commit writes for it
        // (`evidence::explain_changes`), by the load's last row's user and time
        let signs = std::mem::take(&mut self.signs);
        if !signs.is_empty() {
            let last = match self.audit.last() {
                Some(r) => Some((r.at.clone(), r.by.clone())),
                None => self
                    .tx
                    .query_opt("SELECT at, by FROM audit_log ORDER BY id DESC LIMIT 1", &[])
                    .map_err(self.err())?
                    .map(|r| (r.get(0), r.get(1))),
            };
            let Some((at, by)) = last else {
                return Err(Error::Server {
                    server: self.server.clone(),
                    message: "a signed assessment without its row in the audit log".into(),
                });
            };
            for (id, (signer, signed_at, hash)) in signs {
                let facility: i64 = match self.assessments.iter().find(|a| a.0 == id) {
                    Some(a) => a.1,
                    None => self
                        .tx
                        .query_one("SELECT facility_id FROM assessments WHERE id = $1", &[&id])
                        .map_err(self.err())?
                        .get(0),
                };
                let new = serde_json::json!({
                    "status": "finalised", "by": signer, "signoff_hash": hash,
                    "signoff_version": crate::integrity::SIGNOFF_VERSION,
                })
                .to_string();
                let row_at = signed_at.clone().unwrap_or_else(|| at.clone());
                let sign = Some((signer, signed_at, hash));
                self.keep_audit(
                    "assessment.finalise",
                    facility,
                    Some(id),
                    Some("draft"),
                    Some(&new),
                    &by,
                    &row_at,
                    sign,
                )?;
            }
        }
        self.flush()?;
        let server = self.server.clone();
        self.tx.commit().map_err(|e| server_error(&server, &e))
    }
}
