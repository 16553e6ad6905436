//! Verifying the database: walking the audit chain, re-hashing the finalised
//! assessments, and collecting the findings of the evidence scans.

use super::Store;
use super::audit::each_row;
use super::findings::{Tampering, Verification};
use crate::error::Result;
use crate::integrity::{ChainBreak, ChainVerifier};

impl Store {
    /// Recomputes the audit chain and the sign-off hashes; of one assessment where given
    /// (the chain is walked in full, and a break in the links is reported whichever
    /// assessment it falls in, since the row removed may have been this one's).
    pub fn verify(&self, assessment: Option<i64>) -> Result<Verification> {
        let mut out = Verification::default();
        let mut chain = ChainVerifier::default();
        each_row(&self.conn, |row, prev, hash| {
            if let Some(h) = hash {
                out.chain_head = h.to_string();
            }
            let Some(problem) = chain.check(row, prev, hash) else {
                return Ok(());
            };
            if assessment.is_none()
                || assessment == row.assessment_id
                || problem == ChainBreak::Unlinked
            {
                out.findings.push(Tampering::AuditRow {
                    id: row.id,
                    action: row.action.to_string(),
                    at: row.at.to_string(),
                    assessment: row.assessment_id,
                    problem,
                });
            }
            Ok(())
        })
        .map_err(|e| self.err(e))?;
        out.audit_rows = chain.rows;
        let conn = &self.conn;
        let mut signoffs = || -> rusqlite::Result<()> {
            let mut stmt = conn.prepare(
                "SELECT a.id, a.signoff_hash, f.name, a.year, a.signoff_version, a.finalised_by, a.finalised_at
                 FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE a.status = 'finalised' AND (?1 IS NULL OR a.id = ?1) ORDER BY a.id",
            )?;
            let mut rows = stmt.query([assessment])?;
            while let Some(r) = rows.next()? {
                let lossy = |i| super::row_text::lossy(r, i);
                let id: i64 = r.get(0)?;
                let Some(signed) = lossy(1)? else {
                    out.unsigned += 1;
                    continue;
                };
                out.signoffs += 1;
                let version = r.get::<_, Option<i64>>(4)?.unwrap_or(1);
                let (by, at) = (lossy(5)?, lossy(6)?);
                // each sign-off in the encoding it was written in (an unknown one fits nothing)
                let now =
                    super::evidence::signoff_now(conn, id, version, by.as_deref(), at.as_deref())?;
                if now.as_deref() != Some(signed.as_str()) {
                    out.findings.push(Tampering::Signoff {
                        assessment: id,
                        facility: lossy(2)?.unwrap_or_default(),
                        year: r.get(3)?,
                    });
                }
            }
            super::evidence::status_findings(conn, assessment, &mut out.findings)?;
            super::action_evidence::action_findings(conn, assessment, &mut out.findings)?;
            super::bad_texts::bad_texts(conn, &mut out.findings)
        };
        signoffs().map_err(|e| self.err(e))?;
        Ok(out)
    }
}
