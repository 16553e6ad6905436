//! The end of an import on the server (as SQLite's `Importer::finish`, `merge_audit` and
//! `evidence::{note_unexplained, explain_changes}`): the assessments decided last, the
//! bundle's audit rows of what was added or replaced, the import's own row, and the
//! finalise or reopen row of every status the import set that the chain does not explain.

use super::import::{ENABLE, PgImporter, pg};
use crate::error::Result;
use crate::exchange::{BundleAudit, ImportReport};
use crate::integrity::{AuditFields, link_hash};
use crate::store::Stamp;
use postgres::Transaction;

/// The end of this database's audit chain, read once under the chain's lock (held to
/// the end of the transaction, as `pg::audit::append` takes it), so that many rows are
/// appended without reading the end again for each.
pub(super) struct PgChain {
    next: i64,
    previous: String,
    insert: postgres::Statement,
}

impl PgChain {
    pub(super) fn read(tx: &mut Transaction<'_>) -> std::result::Result<PgChain, postgres::Error> {
        super::audit::lock_chain(tx)?;
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
        let insert = tx.prepare(
            "INSERT INTO audit_log (id, at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )?;
        Ok(PgChain {
            next,
            previous,
            insert,
        })
    }

    /// The next row's number and the hash it links to, as `append` would give them; the
    /// row's own hash (`link_hash`) becomes the next one's link.
    pub(super) fn link(&mut self, row: AuditFields<'_>) -> (i64, String, String) {
        let row = AuditFields {
            id: self.next,
            ..row
        };
        let hash = link_hash(&self.previous, &row);
        self.next += 1;
        let previous = std::mem::replace(&mut self.previous, hash.clone());
        (row.id, previous, hash)
    }

    pub(super) fn append(
        &mut self,
        tx: &mut Transaction<'_>,
        row: AuditFields<'_>,
    ) -> std::result::Result<(), postgres::Error> {
        let (id, previous, hash) = self.link(row);
        tx.execute(
            &self.insert,
            &[
                &id,
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
}

/// The assessments whose status the chain does not explain (as `evidence::unexplained`).
const UNEXPLAINED: &str = "SELECT a.id, a.status = 'finalised' FROM assessments a
     WHERE (a.status = 'finalised') IS DISTINCT FROM (
         SELECT action = 'assessment.finalise' FROM audit_log WHERE assessment_id = a.id
           AND action IN ('assessment.finalise', 'assessment.reopen') ORDER BY id DESC LIMIT 1)
       AND NOT (a.status = 'draft' AND NOT EXISTS (
         SELECT 1 FROM audit_log WHERE assessment_id = a.id
           AND action IN ('assessment.finalise', 'assessment.reopen')))";

/// Notes which assessments the chain already did not explain as the import starts.
pub(super) fn note_unexplained(
    tx: &mut Transaction<'_>,
) -> std::result::Result<(), postgres::Error> {
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS unexplained_before (id BIGINT PRIMARY KEY) ON COMMIT DROP;
         DELETE FROM unexplained_before;
         INSERT INTO unexplained_before (id) SELECT id FROM ({UNEXPLAINED}) u (id, finalised);"
    ))
}

/// Every status the import changed without the matching row gets its finalise or reopen
/// row, by the import's own last row's user and time (as `evidence::explain_changes`).
fn explain_changes(
    tx: &mut Transaction<'_>,
    chain: &mut Option<PgChain>,
) -> std::result::Result<(), postgres::Error> {
    let changed: Vec<(i64, bool)> = tx
        .query(
            &format!(
                "SELECT id, finalised FROM ({UNEXPLAINED}) u (id, finalised)
                 WHERE id NOT IN (SELECT id FROM unexplained_before) ORDER BY id"
            ),
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    tx.batch_execute("DROP TABLE IF EXISTS unexplained_before")?;
    if changed.is_empty() {
        return Ok(());
    }
    let Some(last) = tx.query_opt("SELECT at, by FROM audit_log ORDER BY id DESC LIMIT 1", &[])?
    else {
        return Ok(());
    };
    let (at, by): (String, String) = (last.get(0), last.get(1));
    let chain = match chain {
        Some(c) => c,
        None => chain.insert(PgChain::read(tx)?),
    };
    for (id, finalised) in changed {
        let r = tx.query_one(
            "SELECT facility_id, finalised_by, finalised_at, signoff_hash, signoff_version FROM assessments WHERE id = $1",
            &[&id],
        )?;
        let (facility, signer, signed_at, hash, version): (
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
        ) = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let (action, row_at, old, new, reason) = if finalised {
            let new = serde_json::json!({
                "status": "finalised", "by": signer, "signoff_hash": hash, "signoff_version": version,
            })
            .to_string();
            (
                "assessment.finalise",
                signed_at.unwrap_or_else(|| at.clone()),
                Some("draft".to_string()),
                Some(new),
                None,
            )
        } else {
            (
                "assessment.reopen",
                at.clone(),
                None,
                Some("draft".to_string()),
                Some("replaced by a bundle import"),
            )
        };
        chain.append(
            tx,
            AuditFields {
                id: 0,
                at: &row_at,
                by: &by,
                action,
                facility_id: Some(facility),
                assessment_id: Some(id),
                subject: None,
                old_value: old.as_deref(),
                new_value: new.as_deref(),
                reason,
            },
        )?;
    }
    Ok(())
}

const EXISTS: &str = "SELECT 1 FROM audit_log WHERE at = $1 AND by = $2 AND action = $3 AND facility_id IS NOT DISTINCT FROM $4
       AND assessment_id IS NOT DISTINCT FROM $5 AND subject IS NOT DISTINCT FROM $6 AND old_value IS NOT DISTINCT FROM $7
       AND new_value IS NOT DISTINCT FROM $8 AND reason IS NOT DISTINCT FROM $9 LIMIT 1";
const EXISTS_IN_YEAR: &str = "SELECT 1 FROM audit_log l JOIN assessments a ON a.id = l.assessment_id
     WHERE l.at = $1 AND l.by = $2 AND l.action = $3 AND l.facility_id IS NOT DISTINCT FROM $4 AND a.year = $5
       AND l.subject IS NOT DISTINCT FROM $6 AND l.old_value IS NOT DISTINCT FROM $7
       AND l.new_value IS NOT DISTINCT FROM $8 AND l.reason IS NOT DISTINCT FROM $9 LIMIT 1";

impl PgImporter<'_, '_> {
    /// Links an audit row into the chain (locked and read at the first) and keeps it.
    fn keep_audit(&mut self, row: AuditFields<'_>) -> Result<()> {
        let chain = match &mut self.chain {
            Some(c) => c,
            None => {
                let c = PgChain::read(self.tx).map_err(pg(self.server))?;
                self.chain.insert(c)
            }
        };
        let (id, prev, hash) = chain.link(row);
        self.rows.audit.push((
            id,
            row.at.to_string(),
            row.by.to_string(),
            row.action.to_string(),
            row.facility_id,
            row.assessment_id,
            row.subject.map(String::from),
            row.old_value.map(String::from),
            row.new_value.map(String::from),
            row.reason.map(String::from),
            prev,
            hash,
        ));
        Ok(())
    }

    /// Audit rows of what was added or replaced (those already here are left out), once
    /// every assessment of the file is decided (as SQLite's `merge_audit`).
    pub(super) fn append_audit(&mut self, rows: &[BundleAudit]) -> Result<()> {
        let e = pg(self.server);
        if rows.is_empty() {
            return Ok(());
        }
        if self.chain.is_none() {
            self.chain = Some(PgChain::read(self.tx).map_err(&e)?);
        }
        for r in rows {
            let name = r
                .facility
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            let Some(&fid) = r.facility.as_ref().and(self.facility_ids.get(&name)) else {
                continue;
            };
            let aid = match r.year {
                Some(y) => {
                    let which = r
                        .assessment_created
                        .as_ref()
                        .and_then(|c| self.written_created.get(&(name.clone(), y, c.clone())));
                    match which.or_else(|| self.written.get(&(name.clone(), y))) {
                        Some(id) => Some(*id),
                        None => continue,
                    }
                }
                None => None,
            };
            let shared = r
                .year
                .is_some_and(|y| self.shared.contains(&(name.clone(), y)));
            if (shared || aid.is_none_or(|a| self.replaced.contains(&a)))
                && !self.rows.audit.is_empty()
            {
                // the look below sees what this import appended before
                self.rows.flush(self.tx, self.server)?;
            }
            if shared {
                let stmt = self.statement(EXISTS_IN_YEAR)?;
                let found = self
                    .tx
                    .query_opt(
                        &stmt,
                        &[
                            &r.at,
                            &r.by,
                            &r.action,
                            &fid,
                            &r.year,
                            &r.subject,
                            &r.old_value,
                            &r.new_value,
                            &r.reason,
                        ],
                    )
                    .map_err(&e)?;
                if found.is_some() {
                    continue;
                }
            }
            let check = aid.is_none_or(|a| self.replaced.contains(&a));
            if !shared && check {
                let stmt = self.statement(EXISTS)?;
                let found = self
                    .tx
                    .query_opt(
                        &stmt,
                        &[
                            &r.at,
                            &r.by,
                            &r.action,
                            &fid,
                            &aid,
                            &r.subject,
                            &r.old_value,
                            &r.new_value,
                            &r.reason,
                        ],
                    )
                    .map_err(&e)?;
                if found.is_some() {
                    continue;
                }
            }
            self.keep_audit(AuditFields {
                id: 0,
                at: &r.at,
                by: &r.by,
                action: &r.action,
                facility_id: Some(fid),
                assessment_id: aid,
                subject: r.subject.as_deref(),
                old_value: r.old_value.as_deref(),
                new_value: r.new_value.as_deref(),
                reason: r.reason.as_deref(),
            })?;
            self.report.audit_rows_added += 1;
        }
        Ok(())
    }

    /// The assessments decided last, the audit rows kept till then, the import's own row,
    /// the rows that explain the statuses it set; then the triggers are back on.
    pub(super) fn finish(mut self, stamp: &Stamp) -> Result<ImportReport> {
        let e = pg(self.server);
        crate::store::import::parts::decide_the_rest(&mut self)?;
        let report = std::mem::take(&mut self.report);
        if report
            != (ImportReport {
                assessments_unchanged: report.assessments_unchanged,
                ..Default::default()
            })
        {
            let what =
                serde_json::to_string(&report).map_err(|err| crate::error::Error::Server {
                    server: self.server.to_string(),
                    message: err.to_string(),
                })?;
            if self.chain.is_none() {
                self.chain = Some(PgChain::read(self.tx).map_err(&e)?);
            }
            self.keep_audit(AuditFields {
                id: 0,
                at: &stamp.at(),
                by: &stamp.by,
                action: "bundle.import",
                facility_id: None,
                assessment_id: None,
                subject: Some(self.file),
                old_value: None,
                new_value: Some(&what),
                reason: None,
            })?;
        }
        self.rows.flush(self.tx, self.server)?;
        explain_changes(self.tx, &mut self.chain).map_err(&e)?;
        self.rows.set_sequences(self.tx).map_err(&e)?;
        self.tx.batch_execute(ENABLE).map_err(&e)?;
        Ok(report)
    }
}
