//! The audit rows a bundle brings: those of what the import added or replaced are
//! appended to this database's chain; those it has already are left out.

use super::Importer;
use crate::error::Result;
use crate::exchange::BundleAudit;
use crate::integrity::AuditFields;
use crate::store::audit::ChainHead;
use rusqlite::params;

impl Importer<'_, '_> {
    /// Audit rows of what was added or replaced (those already here are left out), once
    /// every assessment of the file is decided.
    pub(super) fn append_audit(&mut self, rows: &[BundleAudit]) -> Result<()> {
        let tx = self.tx;
        if rows.is_empty() {
            return Ok(());
        }
        let mut chain = match self.chain.take() {
            Some(chain) => chain,
            None => ChainHead::read(tx)?,
        };
        let mut exists = tx.prepare_cached(
            "SELECT 1 FROM audit_log WHERE at = ?1 AND by = ?2 AND action = ?3 AND facility_id IS ?4 AND assessment_id IS ?5
               AND subject IS ?6 AND old_value IS ?7 AND new_value IS ?8 AND reason IS ?9",
        )?;
        // the same, under any assessment of the year (a bundle names the year, not which one)
        let mut exists_in_year = tx.prepare_cached(
            "SELECT 1 FROM audit_log l JOIN assessments a ON a.id = l.assessment_id
             WHERE l.at = ?1 AND l.by = ?2 AND l.action = ?3 AND l.facility_id IS ?4 AND a.year = ?5
               AND l.subject IS ?6 AND l.old_value IS ?7 AND l.new_value IS ?8 AND l.reason IS ?9",
        )?;
        for r in rows {
            let Some(fid) = r
                .facility
                .as_ref()
                .and_then(|f| self.facility_ids.get(&f.trim().to_lowercase()))
            else {
                continue;
            };
            let aid = match r.year {
                Some(y) => {
                    let key = (
                        r.facility
                            .as_deref()
                            .unwrap_or_default()
                            .trim()
                            .to_lowercase(),
                        y,
                    );
                    // a row of a year with two assessments says which one
                    let which = r
                        .assessment_created
                        .as_ref()
                        .and_then(|c| self.written_created.get(&(key.0.clone(), key.1, c.clone())));
                    match which.or_else(|| self.written.get(&key)) {
                        Some(id) => Some(*id),
                        None => continue,
                    }
                }
                None => None,
            };
            let values = params![
                r.at,
                r.by,
                r.action,
                fid,
                aid,
                r.subject,
                r.old_value,
                r.new_value,
                r.reason
            ];
            // rows of a newly added assessment cannot be there yet; the rest might be
            let shared = r.year.is_some_and(|y| {
                let name = r.facility.as_deref().unwrap_or_default();
                self.shared.contains(&(name.trim().to_lowercase(), y))
            });
            if shared {
                let in_year = params![
                    r.at,
                    r.by,
                    r.action,
                    fid,
                    r.year,
                    r.subject,
                    r.old_value,
                    r.new_value,
                    r.reason
                ];
                if exists_in_year.exists(in_year)? {
                    continue;
                }
            }
            let check = aid.is_none_or(|a| self.replaced.contains(&a));
            if !shared && check && exists.exists(values)? {
                continue;
            }
            chain.append(
                tx,
                AuditFields {
                    id: 0,
                    at: &r.at,
                    by: &r.by,
                    action: &r.action,
                    facility_id: Some(*fid),
                    assessment_id: aid,
                    subject: r.subject.as_deref(),
                    old_value: r.old_value.as_deref(),
                    new_value: r.new_value.as_deref(),
                    reason: r.reason.as_deref(),
                },
            )?;
            self.report.audit_rows_added += 1;
        }
        self.chain = Some(chain);
        Ok(())
    }
}
