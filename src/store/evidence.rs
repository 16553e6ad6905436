//! What `verify` compares besides the audit chain itself: each assessment's status and
//! sign-off against the last finalise or reopen row of the chain, each improvement action
//! against its last logged state, and every stored text for bytes that are not UTF-8.
//! Everything here reads texts without trusting them to be UTF-8, so that one damaged
//! row is named and hides no other finding.

use super::findings::{StatusProblem, Tampering};
use super::row_text::lossy;
use crate::integrity::{SignedRecord, SignedScore, signoff_v2};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};

fn lossy_text(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(lossy(r, i)?.unwrap_or_default())
}

/// The sign-off hash of an assessment as it is stored now, in encoding `version` (with the
/// signer and time given: at sign-off they are not written yet). `None` for an encoding
/// this program does not know.
pub(super) fn signoff_now(
    conn: &Connection,
    assessment: i64,
    version: i64,
    signer: Option<&str>,
    at: Option<&str>,
) -> rusqlite::Result<Option<String>> {
    let (year, model_hash): (i64, String) = conn
        .prepare_cached("SELECT year, model_hash FROM assessments WHERE id = ?1")?
        .query_row([assessment], |r| Ok((r.get(0)?, lossy_text(r, 1)?)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over FROM scores WHERE assessment_id = ?1",
    )?;
    type Raw = (
        String,
        Option<i64>,
        bool,
        String,
        String,
        String,
        String,
        bool,
    );
    let rows: Vec<Raw> = stmt
        .query_map([assessment], |r| {
            let number = |i| match r.get_ref(i) {
                Ok(ValueRef::Integer(n)) => Ok(Some(n)),
                Ok(_) => Ok(None),
                Err(e) => Err(e),
            };
            Ok((
                lossy_text(r, 0)?,
                number(1)?,
                number(2)? == Some(1),
                lossy_text(r, 3)?,
                lossy_text(r, 4)?,
                lossy_text(r, 5)?,
                lossy_text(r, 6)?,
                number(7)? == Some(1),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match version {
        1 => Some(crate::assessment::signoff_hash(
            &model_hash,
            rows.iter().map(|(i, v, n, r, s, ..)| {
                (
                    i.as_str(),
                    v.and_then(|v| u8::try_from(v).ok()),
                    *n,
                    r.as_str(),
                    s.as_str(),
                )
            }),
        )),
        2 => {
            let scores: Vec<SignedScore<'_>> = rows
                .iter()
                .map(|(i, v, n, r, s, by, at, c)| SignedScore {
                    indicator: i,
                    value: *v,
                    not_relevant: *n,
                    reasoning: r,
                    sources: s,
                    by,
                    at,
                    carried_over: *c,
                })
                .collect();
            let record = SignedRecord {
                year,
                model_hash: &model_hash,
                signer,
                at,
            };
            Some(signoff_v2(&record, &scores))
        }
        _ => None,
    })
}

/// The status the audit chain gives an assessment: that of its last finalise or reopen
/// row (`None` where it has neither).
pub(super) fn chain_status(
    conn: &Connection,
    assessment: i64,
) -> rusqlite::Result<Option<crate::assessment::Status>> {
    let action: Option<String> = conn
        .prepare_cached(
            "SELECT action FROM audit_log WHERE assessment_id = ?1
               AND action IN ('assessment.finalise', 'assessment.reopen') ORDER BY id DESC LIMIT 1",
        )?
        .query_row([assessment], |r| lossy_text(r, 0))
        .optional()?;
    Ok(action.map(|a| {
        if a == "assessment.finalise" {
            crate::assessment::Status::Finalised
        } else {
            crate::assessment::Status::Draft
        }
    }))
}

/// Every assessment (or the one given) whose status, signer, time, facility or hash is
/// not what the last finalise or reopen row of the chain says.
pub(super) fn status_findings(
    conn: &Connection,
    only: Option<i64>,
    out: &mut Vec<Tampering>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.status, a.finalised_by, a.finalised_at, a.signoff_hash, a.signoff_version,
                a.facility_id, f.name, a.year, l.action, l.at, l.facility_id, l.new_value
         FROM assessments a JOIN facilities f ON f.id = a.facility_id
         LEFT JOIN audit_log l ON l.id = (
             SELECT max(id) FROM audit_log WHERE assessment_id = a.id
               AND action IN ('assessment.finalise', 'assessment.reopen'))
         WHERE ?1 IS NULL OR a.id = ?1 ORDER BY a.id",
    )?;
    let mut rows = stmt.query([only])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let finalised = lossy(r, 1)?.as_deref() == Some("finalised");
        let (signer, at, hash) = (lossy(r, 2)?, lossy(r, 3)?, lossy(r, 4)?);
        let version: i64 = r.get::<_, Option<i64>>(5)?.unwrap_or(1);
        let facility_id: i64 = r.get(6)?;
        let (facility, year): (String, i32) = (lossy_text(r, 7)?, r.get(8)?);
        let action = lossy(r, 9)?;
        let chain_finalised = action.as_deref() == Some("assessment.finalise");
        let mut problems = Vec::new();
        match (finalised, chain_finalised) {
            (false, true) => problems.push(StatusProblem::Unfinalised),
            (true, false) => problems.push(StatusProblem::FinalisedOutsideChain),
            (false, false) => {}
            (true, true) => {
                let logged: serde_json::Value = lossy(r, 12)?
                    .and_then(|v| serde_json::from_str(&v).ok())
                    .unwrap_or_default();
                if logged.get("by").and_then(|b| b.as_str()) != signer.as_deref() {
                    problems.push(StatusProblem::Signer);
                }
                if lossy(r, 10)? != at {
                    problems.push(StatusProblem::Time);
                }
                if r.get::<_, Option<i64>>(11)? != Some(facility_id) {
                    problems.push(StatusProblem::Facility);
                }
                if let Some(signed) = logged.get("signoff_hash").and_then(|h| h.as_str()) {
                    let logged_version = logged
                        .get("signoff_version")
                        .and_then(|v| v.as_i64())
                        .unwrap_or(1);
                    // a row of the stored encoding names the stored hash; a row of encoding 1
                    // under a later sign-off (an import from an older program) names the hash
                    // of encoding 1 of the content as it is now
                    let fits = if logged_version == version {
                        hash.as_deref() == Some(signed)
                    } else {
                        signoff_now(conn, id, logged_version, signer.as_deref(), at.as_deref())?
                            .as_deref()
                            == Some(signed)
                    };
                    if !fits {
                        problems.push(StatusProblem::Hash);
                    }
                }
            }
        }
        for problem in problems {
            out.push(Tampering::Status {
                assessment: id,
                facility: facility.clone(),
                year,
                problem,
            });
        }
    }
    Ok(())
}

/// The assessments whose status the chain does not explain: (id, finalised now).
fn unexplained(conn: &Connection) -> rusqlite::Result<Vec<(i64, bool)>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.status = 'finalised' FROM assessments a
         WHERE (a.status = 'finalised') IS NOT (
             SELECT action = 'assessment.finalise' FROM audit_log WHERE assessment_id = a.id
               AND action IN ('assessment.finalise', 'assessment.reopen') ORDER BY id DESC LIMIT 1)
           AND NOT (a.status = 'draft' AND NOT EXISTS (
             SELECT 1 FROM audit_log WHERE assessment_id = a.id
               AND action IN ('assessment.finalise', 'assessment.reopen')))",
    )?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Notes, as a writer with the lock triggers set aside starts (a bulk load, an import),
/// which assessments the chain already did not explain: those stay findings.
pub(super) fn note_unexplained(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS unexplained_before (id INTEGER PRIMARY KEY);
         DELETE FROM temp.unexplained_before;",
    )?;
    for (id, _) in unexplained(tx)? {
        tx.execute("INSERT INTO temp.unexplained_before (id) VALUES (?1)", [id])?;
    }
    Ok(())
}

/// Before such a writer commits: every status it changed without the matching row (an
/// import that replaced a signed assessment with a draft, or a draft with a signed one)
/// gets its finalise or reopen row, by the writer's own last row's user and time, so the
/// chain explains every status the program itself set.
pub(super) fn explain_changes(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let changed: Vec<(i64, bool)> = unexplained(tx)?
        .into_iter()
        .filter(|(id, _)| {
            tx.query_row(
                "SELECT 1 FROM temp.unexplained_before WHERE id = ?1",
                [id],
                |_| Ok(()),
            )
            .optional()
            .is_ok_and(|found| found.is_none())
        })
        .collect();
    tx.execute_batch("DROP TABLE IF EXISTS temp.unexplained_before")?;
    if changed.is_empty() {
        return Ok(());
    }
    let Some((at, by)) = tx
        .query_row(
            "SELECT at, by FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((lossy_text(r, 0)?, lossy_text(r, 1)?)),
        )
        .optional()?
    else {
        return Ok(());
    };
    let mut head = super::audit::ChainHead::read(tx)?;
    for (id, finalised) in changed {
        let (facility, signer, signed_at, hash, version): (i64, Option<String>, Option<String>, Option<String>, i64) =
            tx.query_row(
                "SELECT facility_id, finalised_by, finalised_at, signoff_hash, signoff_version FROM assessments WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, lossy(r, 1)?, lossy(r, 2)?, lossy(r, 3)?, r.get(4)?)),
            )?;
        let (action, row_at, old, new, reason) = if finalised {
            let new = serde_json::json!({
                "status": "finalised", "by": signer, "signoff_hash": hash, "signoff_version": version,
            })
            .to_string();
            let at = signed_at.unwrap_or_else(|| at.clone());
            (
                "assessment.finalise",
                at,
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
        head.append(
            tx,
            crate::integrity::AuditFields {
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

#[cfg(test)]
#[path = "evidence_tests.rs"]
mod tests;
