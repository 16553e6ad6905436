//! Verifying the database: walking the audit chain, re-hashing the finalised
//! assessments, and collecting the findings of the evidence scans. The two large tables
//! are read once each: the audit log by the chain walk, the scores in key order by the
//! sign-off check, and both passes note the texts that are not UTF-8 as they go.

use super::Store;
use super::audit::{AUDIT_TEXT_COLUMNS, each_row};
use super::bad_texts::Scanned;
use super::findings::{Tampering, Verification};
use super::row_text::{checked, lossy};
use crate::error::Result;
use crate::integrity::{ChainBreak, ChainVerifier, SignedRecord, SignedScore, SignoffV2Stream};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row};
use std::borrow::Cow;

impl Store {
    /// Recomputes the audit chain and the sign-off hashes; of one assessment where given
    /// (the chain is walked in full, and a break in the links is reported whichever
    /// assessment it falls in, since the row removed may have been this one's).
    pub fn verify(&self, assessment: Option<i64>) -> Result<Verification> {
        let mut out = Verification::default();
        let mut chain = ChainVerifier::default();
        let mut scanned = Scanned::default();
        let mut audit_texts = Vec::new();
        each_row(&self.conn, |row, prev, hash, bad| {
            if let Some(h) = hash {
                out.chain_head.clear();
                out.chain_head.push_str(h);
            }
            for (bit, column) in AUDIT_TEXT_COLUMNS.iter().enumerate() {
                if bad & (1 << bit) != 0 {
                    audit_texts.push(Tampering::Text {
                        table: "audit_log".into(),
                        row: row.id.to_string(),
                        column: column.to_string(),
                    });
                }
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
        scanned.audit_log = Some(audit_texts);
        out.audit_rows = chain.rows;
        let conn = &self.conn;
        let rest = || -> rusqlite::Result<()> {
            scanned.scores = signoffs(conn, assessment, &mut out)?;
            super::evidence::status_findings(conn, assessment, &mut out.findings)?;
            super::action_evidence::action_findings(conn, assessment, &mut out.findings)?;
            super::bad_texts::bad_texts_scanned(conn, &mut out.findings, scanned)
        };
        rest().map_err(|e| self.err(e))?;
        Ok(out)
    }
}

/// A finalised assessment waiting for its scores in the pass over them.
struct Signed {
    id: i64,
    signed: String,
    facility: String,
    year: i32,
    version: i64,
    by: Option<String>,
    at: Option<String>,
    model_hash: String,
}

/// Re-hashes every finalised assessment (or the one given) against its sign-off, in one
/// pass over the score rows in key order merged with the finalised assessments in number
/// order; a sign-off of encoding 2 is hashed as its scores stream by, one of another
/// encoding is recomputed as written (`evidence::signoff_now`). Over every score, the
/// texts that are not UTF-8 (`None` where only one assessment was read).
fn signoffs(
    conn: &Connection,
    only: Option<i64>,
    out: &mut Verification,
) -> rusqlite::Result<Option<Vec<Tampering>>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.signoff_hash, f.name, a.year, a.signoff_version, a.finalised_by, a.finalised_at, a.model_hash
         FROM assessments a JOIN facilities f ON f.id = a.facility_id
         WHERE a.status = 'finalised' AND (?1 IS NULL OR a.id = ?1) ORDER BY a.id",
    )?;
    let mut assessments = stmt.query([only])?;
    let mut next = || -> rusqlite::Result<Option<Signed>> {
        while let Some(r) = assessments.next()? {
            let Some(signed) = lossy(r, 1)? else {
                out.unsigned += 1;
                continue;
            };
            out.signoffs += 1;
            return Ok(Some(Signed {
                id: r.get(0)?,
                signed,
                facility: lossy(r, 2)?.unwrap_or_default(),
                year: r.get(3)?,
                version: r.get::<_, Option<i64>>(4)?.unwrap_or(1),
                by: lossy(r, 5)?,
                at: lossy(r, 6)?,
                model_hash: lossy(r, 7)?.unwrap_or_default(),
            }));
        }
        Ok(None)
    };
    let columns = "assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over";
    let mut scores = match only {
        Some(_) => conn.prepare(&format!(
            "SELECT {columns} FROM scores WHERE assessment_id = ?1 ORDER BY assessment_id, indicator_id"
        ))?,
        None => conn.prepare(&format!(
            "SELECT {columns} FROM scores ORDER BY assessment_id, indicator_id"
        ))?,
    };
    let mut rows = match only {
        Some(a) => scores.query([a])?,
        None => scores.query([])?,
    };
    let mut texts = Vec::new();
    let mut stream = SignoffV2Stream::default();
    stream.clear();
    let mut pending = next()?;
    let mut found = Vec::new();
    while let Some(r) = rows.next()? {
        let aid = match r.get_ref(0)? {
            ValueRef::Integer(aid) => Some(aid),
            _ => None,
        };
        while let Some(p) = pending.as_ref().filter(|p| aid.is_some_and(|a| p.id < a)) {
            check(conn, p, &stream, &mut found)?;
            stream.clear();
            pending = next()?;
        }
        let signed = pending
            .as_ref()
            .is_some_and(|p| Some(p.id) == aid && p.version == 2);
        score_row(
            conn,
            r,
            signed.then_some(&mut stream),
            only.is_none().then_some(&mut texts),
        )?;
    }
    while let Some(p) = pending.as_ref() {
        check(conn, p, &stream, &mut found)?;
        stream.clear();
        pending = next()?;
    }
    out.findings.extend(found);
    Ok(only.is_none().then_some(texts))
}

/// One score row: into the stream of its assessment's sign-off where given, read as
/// `evidence::signoff_now` reads it, and its texts that are not UTF-8 into `texts`, named
/// as `bad_texts` names them; each text is decoded once for both.
fn score_row(
    conn: &Connection,
    r: &Row<'_>,
    stream: Option<&mut SignoffV2Stream>,
    texts: Option<&mut Vec<Tampering>>,
) -> rusqlite::Result<()> {
    const TEXTS: [(usize, &str); 5] = [
        (1, "indicator_id"),
        (4, "reasoning"),
        (5, "sources"),
        (6, "by"),
        (7, "at"),
    ];
    let mut read: [(Option<Cow<'_, str>>, bool); 5] = Default::default();
    for (slot, (i, _)) in read.iter_mut().zip(TEXTS) {
        *slot = checked(r.get_ref(i)?);
    }
    if let Some(out) = texts {
        for ((_, ok), (_, column)) in read.iter().zip(TEXTS) {
            if !ok {
                let row = conn.query_row(
                    "SELECT ?1 || ' ' || ?2",
                    [
                        ToSqlOutput::Borrowed(r.get_ref(0)?),
                        ToSqlOutput::Borrowed(r.get_ref(1)?),
                    ],
                    |n| lossy(n, 0),
                )?;
                out.push(Tampering::Text {
                    table: "scores".into(),
                    row: row.unwrap_or_default(),
                    column: column.into(),
                });
            }
        }
    }
    let Some(stream) = stream else {
        return Ok(());
    };
    let number = |i| match r.get_ref(i) {
        Ok(ValueRef::Integer(n)) => Ok(Some(n)),
        Ok(_) => Ok(None),
        Err(e) => Err(e),
    };
    let text = |k: usize| read[k].0.as_deref().unwrap_or_default();
    stream.score(&SignedScore {
        indicator: text(0),
        value: number(2)?,
        not_relevant: number(3)? == Some(1),
        reasoning: text(1),
        sources: text(2),
        by: text(3),
        at: text(4),
        carried_over: number(8)? == Some(1),
    });
    Ok(())
}

/// Whether a finalised assessment's scores still give its sign-off hash.
fn check(
    conn: &Connection,
    p: &Signed,
    stream: &SignoffV2Stream,
    found: &mut Vec<Tampering>,
) -> rusqlite::Result<()> {
    let record = SignedRecord {
        year: i64::from(p.year),
        model_hash: &p.model_hash,
        signer: p.by.as_deref(),
        at: p.at.as_deref(),
    };
    let streamed = (p.version == 2).then(|| stream.finish(&record)).flatten();
    // each sign-off in the encoding it was written in (an unknown one fits nothing)
    let now = match streamed {
        Some(hash) => Some(hash),
        None => {
            super::evidence::signoff_now(conn, p.id, p.version, p.by.as_deref(), p.at.as_deref())?
        }
    };
    if now.as_deref() != Some(p.signed.as_str()) {
        found.push(Tampering::Signoff {
            assessment: p.id,
            facility: p.facility.clone(),
            year: p.year,
        });
    }
    Ok(())
}
