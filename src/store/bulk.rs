//! The bulk loader: many rows in one transaction with prepared statements (the demo
//! data), and the rollback journal a load into an empty database runs under.

use super::Store;
use crate::error::{Error, Result};
use crate::integrity::{AuditFields, SignedRecord, SignedScore, signoff_v2};
use rusqlite::{Connection, params};

/// At most this many score rows go in one statement (8 parameters each, within SQLite's
/// limit of 32,766).
const MAX_ROWS_PER_INSERT: usize = 64;

/// `INSERT INTO scores … VALUES (…), (…), …` of `n` rows: ?1 the assessment, ?2 `by`,
/// ?3 `at`, then five parameters per row.
fn scores_sql(n: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at) VALUES ",
    );
    for k in 0..n {
        let p = 4 + 5 * k;
        if k > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(?1, ?{}, ?{}, ?{}, ?{}, ?{}, ?2, ?3)",
            p,
            p + 1,
            p + 2,
            p + 3,
            p + 4
        ));
    }
    sql
}

/// Writes many rows in one transaction with prepared statements: for generated demo data,
/// where no one typed the scores and no per-score audit row is wanted.
pub struct BulkLoader<'a> {
    tx: rusqlite::Transaction<'a>,
    path: std::path::PathBuf,
    chain: Option<super::audit::ChainHead>,
    /// The score statement's text by its number of rows.
    score_sql: std::collections::HashMap<usize, String>,
    // dropped after the transaction has committed or rolled back
    _journal: BulkJournal<'a>,
}

/// A bulk write into a database that holds no assessments yet runs under a rollback
/// journal: pages added to the file are not journalled, so the data is written once,
/// instead of to the WAL and then again by the checkpoint. Only taken when no other
/// connection has the file open (SQLite refuses the switch otherwise); WAL again when
/// dropped, and at every open in any case.
pub(super) struct BulkJournal<'a> {
    pub(super) conn: &'a Connection,
    pub(super) switched: bool,
}

impl BulkJournal<'_> {
    /// Switches to the rollback journal where the database holds no assessments and no
    /// other connection has it open; returns whether it did.
    pub(super) fn enter(conn: &Connection, path: &std::path::Path) -> bool {
        let empty = || {
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM assessments)", [], |r| {
                r.get::<_, bool>(0)
            })
            .unwrap_or(false)
        };
        path.as_os_str() != ":memory:"
            && empty()
            && conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .is_ok_and(|m| m.eq_ignore_ascii_case("delete"))
    }
}

impl Drop for BulkJournal<'_> {
    fn drop(&mut self) {
        if self.switched {
            // best effort: the next open sets WAL again if this fails
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
        }
    }
}

impl Store {
    /// Starts a bulk load; nothing is visible to others until `commit`. The page cache is
    /// raised for the load (64 MiB) so that the B-trees are written once, not spilled.
    pub fn bulk(&mut self) -> Result<BulkLoader<'_>> {
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "cache_size", -65536)
            .map_err(|e| super::db_error(&path, e))?;
        let conn = &self.conn;
        let journal = BulkJournal {
            conn,
            switched: BulkJournal::enter(conn, &path),
        };
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| super::db_error(&path, e))?;
        super::migrations::set_aside_lock_triggers(&tx).map_err(|e| super::db_error(&path, e))?;
        Ok(BulkLoader {
            tx,
            path,
            chain: None,
            score_sql: Default::default(),
            _journal: journal,
        })
    }
}

impl BulkLoader<'_> {
    /// Who signs the bulk load's finalised assessments off.
    pub const SIGNER: &'static str = "Forstander";

    fn err(&self, e: rusqlite::Error) -> Error {
        super::db_error(&self.path, e)
    }

    /// Adds a facility (or finds one of that name); returns its number.
    pub fn facility(&mut self, f: &super::NewFacility, at: &str) -> Result<i64> {
        use super::facilities::{FacilityRow, facility_id_by_name, insert_facility};
        let found = facility_id_by_name(&self.tx, &f.name).map_err(|e| self.err(e))?;
        match found {
            Some(id) => Ok(id),
            None => insert_facility(
                &self.tx,
                &FacilityRow {
                    name: &f.name,
                    organisation: &f.organisation,
                    location: &f.location,
                    facility_type: &f.facility_type,
                    target_group: &f.target_group,
                    tags: &f.tags,
                    created_at: at,
                    archived_at: None,
                },
            )
            .map_err(|e| self.err(e)),
        }
    }

    /// Adds an assessment; returns its number. A draft, or where `signed` gives the
    /// sign-off's (time, hash) (`BulkLoader::signoff` of the rows `scores` is given
    /// next), finalised by `Self::SIGNER` (no row is written twice).
    #[allow(clippy::too_many_arguments)]
    pub fn assessment(
        &mut self,
        facility: i64,
        year: i32,
        model_id: &str,
        hash: &str,
        by: &str,
        at: &str,
        signed: Option<(&str, &str)>,
    ) -> Result<i64> {
        let done = match signed {
            None => self
                .tx
                .prepare_cached("INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .and_then(|mut s| s.execute(params![facility, year, model_id, hash, by, at])),
            Some((signed_at, signoff)) => self
                .tx
                .prepare_cached("INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at, status, finalised_by, finalised_at, signoff_hash, signoff_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'finalised', ?7, ?8, ?9, ?10)")
                .and_then(|mut s| {
                    s.execute(params![
                        facility,
                        year,
                        model_id,
                        hash,
                        by,
                        at,
                        Self::SIGNER,
                        signed_at,
                        signoff,
                        crate::integrity::SIGNOFF_VERSION
                    ])
                }),
        };
        done.map_err(|e| self.err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Adds an assessment's scores: (indicator, value or `None` for not relevant, reasoning,
    /// sources), all of them in one statement (prepared once per number of rows), which
    /// spares SQLite a statement's start and end per row.
    pub fn scores(
        &mut self,
        assessment: i64,
        rows: &[(&str, Option<u8>, &str, &str)],
        by: &str,
        at: &str,
    ) -> Result<()> {
        for chunk in rows.chunks(MAX_ROWS_PER_INSERT) {
            let sql = self
                .score_sql
                .entry(chunk.len())
                .or_insert_with(|| scores_sql(chunk.len()));
            let mut stmt = self
                .tx
                .prepare_cached(sql)
                .map_err(|e| super::db_error(&self.path, e))?;
            let bind = |stmt: &mut rusqlite::Statement<'_>| -> rusqlite::Result<usize> {
                stmt.raw_bind_parameter(1, assessment)?;
                stmt.raw_bind_parameter(2, by)?;
                stmt.raw_bind_parameter(3, at)?;
                for (k, (indicator, value, reasoning, sources)) in chunk.iter().enumerate() {
                    let p = 4 + 5 * k;
                    stmt.raw_bind_parameter(p, indicator)?;
                    stmt.raw_bind_parameter(p + 1, value)?;
                    stmt.raw_bind_parameter(p + 2, value.is_none())?;
                    stmt.raw_bind_parameter(p + 3, reasoning)?;
                    stmt.raw_bind_parameter(p + 4, sources)?;
                }
                stmt.raw_execute()
            };
            bind(&mut stmt).map_err(|e| super::db_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Adds an improvement action.
    #[allow(clippy::too_many_arguments)]
    pub fn action(
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
        self.tx
            .prepare_cached(
                "INSERT INTO improvement_actions (assessment_id, text, owner, due, status, drop_reason, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )
            .and_then(|mut s| s.execute(params![assessment, text, owner, due.map(|d| d.to_string()), status, drop_reason, by, at]))
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.tx
            .prepare_cached(
                "INSERT INTO action_indicators (action_id, indicator_id) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute(params![id, indicator]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The sign-off hash (`integrity::signoff_v2`) of an assessment whose scores are
    /// `rows`, written by `scores` with `by`/`at`: `record` is the assessment as signed
    /// (its year, model version, signer and time).
    pub fn signoff(
        record: &SignedRecord<'_>,
        rows: &[(&str, Option<u8>, &str, &str)],
        by: &str,
        at: &str,
    ) -> String {
        let scores: Vec<SignedScore<'_>> = rows
            .iter()
            .map(|(indicator, value, reasoning, sources)| SignedScore {
                indicator,
                value: value.map(i64::from),
                not_relevant: value.is_none(),
                reasoning,
                sources,
                by,
                at,
                carried_over: false,
            })
            .collect();
        signoff_v2(record, &scores)
    }

    /// Signs an assessment off, with the sign-off hash (`signoff`) of the scores written
    /// for it by `scores` (the demo inserts its finalised assessments signed instead).
    pub fn finalise(
        &mut self,
        assessment: i64,
        record: &SignedRecord<'_>,
        rows: &[(&str, Option<u8>, &str, &str)],
        by: &str,
        at: &str,
    ) -> Result<()> {
        let hash = Self::signoff(record, rows, by, at);
        super::assessments::record_finalised(&self.tx, assessment, record.signer, record.at, &hash)
            .map_err(|e| self.err(e))
    }

    /// Writes one audit row.
    pub fn audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        let chain = match &mut self.chain {
            Some(c) => c,
            None => self.chain.insert(
                super::audit::ChainHead::read(&self.tx)
                    .map_err(|e| super::db_error(&self.path, e))?,
            ),
        };
        chain
            .append(
                &self.tx,
                AuditFields {
                    id: 0,
                    at,
                    by,
                    action,
                    facility_id: Some(facility),
                    assessment_id: assessment,
                    subject: None,
                    old_value: None,
                    new_value,
                    reason: None,
                },
            )
            .map_err(|e| super::db_error(&self.path, e))
    }

    /// Makes it all visible at once.
    pub fn commit(self) -> Result<()> {
        let path = self.path.clone();
        super::migrations::restore_lock_triggers(&self.tx)
            .map_err(|e| super::db_error(&path, e))?;
        self.tx.commit().map_err(|e| super::db_error(&path, e))
    }
}
