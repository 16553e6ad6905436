//! What `verify` compares on the server besides the chain itself, as SQLite's
//! `store/evidence.rs` and `action_evidence.rs` do: each assessment's status and sign-off
//! against the last finalise or reopen row of the chain, each improvement action against
//! its last logged state, and a sign-off recomputed from the rows as they are now.

use super::verify::Chunked;
use crate::integrity::{SignedRecord, SignedScore, signoff_v2};
use crate::store::action_evidence::{ACTION_FIELDS, action_content};
use crate::store::{ActionProblem, StatusProblem, Tampering};
use postgres::Transaction;
use std::collections::HashMap;

/// The sign-off hash of an assessment as it is stored now, in encoding `version` (with
/// the signer and time given). `None` for an encoding this program does not know.
pub(super) fn signoff_now(
    tx: &mut Transaction<'_>,
    assessment: i64,
    version: i64,
    signer: Option<&str>,
    at: Option<&str>,
) -> Result<Option<String>, postgres::Error> {
    let head = tx.query_one(
        "SELECT year, model_hash FROM assessments WHERE id = $1",
        &[&assessment],
    )?;
    let (year, model_hash): (i32, &str) = (head.get(0), head.get(1));
    let rows = tx.query(
        "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over
         FROM scores WHERE assessment_id = $1 ORDER BY indicator_id COLLATE \"C\"",
        &[&assessment],
    )?;
    Ok(match version {
        1 => Some(crate::assessment::signoff_hash(
            model_hash,
            rows.iter().map(|r| {
                (
                    r.get::<_, &str>(0),
                    r.get::<_, Option<i64>>(1)
                        .and_then(|v| u8::try_from(v).ok()),
                    r.get::<_, bool>(2),
                    r.get::<_, &str>(3),
                    r.get::<_, &str>(4),
                )
            }),
        )),
        2 => {
            let scores: Vec<SignedScore<'_>> = rows
                .iter()
                .map(|r| SignedScore {
                    indicator: r.get(0),
                    value: r.get(1),
                    not_relevant: r.get(2),
                    reasoning: r.get(3),
                    sources: r.get(4),
                    by: r.get(5),
                    at: r.get(6),
                    carried_over: r.get(7),
                })
                .collect();
            let record = SignedRecord {
                year: i64::from(year),
                model_hash,
                signer,
                at,
            };
            Some(signoff_v2(&record, &scores))
        }
        _ => None,
    })
}

/// Every assessment (or the one given) whose status, signer, time, facility or hash is
/// not what the last finalise or reopen row of the chain says.
pub(super) fn status_findings(
    tx: &mut Transaction<'_>,
    only: Option<i64>,
    out: &mut Vec<Tampering>,
) -> Result<(), postgres::Error> {
    let mut rows = Chunked::new(
        tx,
        "SELECT a.id, a.status, a.finalised_by, a.finalised_at, a.signoff_hash, a.signoff_version,
                a.facility_id, f.name, a.year, l.action, l.at, l.facility_id, l.new_value
         FROM assessments a JOIN facilities f ON f.id = a.facility_id
         LEFT JOIN audit_log l ON l.id = (
             SELECT max(id) FROM audit_log WHERE assessment_id = a.id
               AND action IN ('assessment.finalise', 'assessment.reopen'))
         WHERE $1::bigint IS NULL OR a.id = $1 ORDER BY a.id",
        &[&only],
    )?;
    while let Some(r) = rows.next(tx)? {
        let id: i64 = r.get(0);
        let finalised = r.get::<_, &str>(1) == "finalised";
        let (signer, at, hash): (Option<&str>, Option<&str>, Option<&str>) =
            (r.get(2), r.get(3), r.get(4));
        let version: i64 = r.get(5);
        let facility_id: i64 = r.get(6);
        let (facility, year): (&str, i32) = (r.get(7), r.get(8));
        let chain_finalised = r.get::<_, Option<&str>>(9) == Some("assessment.finalise");
        let mut problems = Vec::new();
        match (finalised, chain_finalised) {
            (false, true) => problems.push(StatusProblem::Unfinalised),
            (true, false) => problems.push(StatusProblem::FinalisedOutsideChain),
            (false, false) => {}
            (true, true) => {
                let logged: serde_json::Value = r
                    .get::<_, Option<&str>>(12)
                    .and_then(|v| serde_json::from_str(v).ok())
                    .unwrap_or_default();
                if logged.get("by").and_then(|b| b.as_str()) != signer {
                    problems.push(StatusProblem::Signer);
                }
                if r.get::<_, Option<&str>>(10) != at {
                    problems.push(StatusProblem::Time);
                }
                if r.get::<_, Option<i64>>(11) != Some(facility_id) {
                    problems.push(StatusProblem::Facility);
                }
                if let Some(signed) = logged.get("signoff_hash").and_then(|h| h.as_str()) {
                    let logged_version = logged
                        .get("signoff_version")
                        .and_then(|v| v.as_i64())
                        .unwrap_or(1);
                    // a row of the stored encoding names the stored hash; one of encoding 1
                    // under a later sign-off names the hash of encoding 1 of the content now
                    let fits = if logged_version == version {
                        hash == Some(signed)
                    } else {
                        signoff_now(tx, id, logged_version, signer, at)?.as_deref() == Some(signed)
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
                facility: facility.to_string(),
                year,
                problem,
            });
        }
    }
    Ok(())
}

/// Every improvement action (of the assessment given) that differs from its last logged
/// state, or was logged and is gone (as SQLite's `action_evidence::action_findings`).
pub(super) fn action_findings(
    tx: &mut Transaction<'_>,
    only: Option<i64>,
    out: &mut Vec<Tampering>,
) -> Result<(), postgres::Error> {
    type Key = (i64, String, String);
    let mut logged: HashMap<Key, (i64, i64, serde_json::Value)> = HashMap::new();
    let mut last_replace = 0i64;
    let mut rows = Chunked::new(
        tx,
        "SELECT id, action, assessment_id, subject, new_value FROM audit_log
         WHERE action LIKE 'action.%' OR action = 'bundle.import' ORDER BY id",
        &[],
    )?;
    while let Some(r) = rows.next(tx)? {
        let row: i64 = r.get(0);
        let value: serde_json::Value = r
            .get::<_, Option<&str>>(4)
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default();
        if r.get::<_, &str>(1) == "bundle.import" {
            if value.get("assessments_replaced").and_then(|n| n.as_i64()) > Some(0) {
                last_replace = row;
            }
            continue;
        }
        let (Some(assessment), Some(subject)) = (
            r.get::<_, Option<i64>>(2),
            r.get::<_, Option<&str>>(3)
                .and_then(|s| s.parse::<i64>().ok()),
        ) else {
            continue;
        };
        let own = value.get("id").and_then(|i| i.as_i64()) == Some(subject)
            && value.get("assessment_id").and_then(|i| i.as_i64()) == Some(assessment);
        if own && only.is_none_or(|a| a == assessment) {
            let text = |k: &str| {
                value
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let key = (assessment, text("created_at"), text("created_by"));
            logged.insert(key, (row, subject, value));
        }
    }
    // the actions now, in one pass (a query per logged action would be a round trip
    // each): the first of each key, in number order, as SQLite's lookup finds it
    let mut now: HashMap<Key, serde_json::Value> = HashMap::new();
    let mut rows = Chunked::new(
        tx,
        "SELECT x.text, x.strategy_id, x.action_plan_id, x.owner, x.due, x.status, x.drop_reason,
                x.created_by, x.created_at, x.updated_at,
                (SELECT string_agg(indicator_id, ' ' ORDER BY indicator_id COLLATE \"C\")
                 FROM action_indicators i WHERE i.action_id = x.id),
                x.assessment_id
         FROM improvement_actions x
         WHERE $1::bigint IS NULL OR x.assessment_id = $1 ORDER BY x.id",
        &[&only],
    )?;
    while let Some(r) = rows.next(tx)? {
        let key: Key = (r.get(11), r.get(8), r.get(7));
        if !logged.contains_key(&key) || now.contains_key(&key) {
            continue;
        }
        let mut m = serde_json::Map::new();
        for (i, field) in ACTION_FIELDS.iter().enumerate() {
            m.insert(field.to_string(), r.get::<_, Option<String>>(i).into());
        }
        let indicators: Vec<String> = r
            .get::<_, Option<&str>>(10)
            .map(|s| s.split(' ').map(String::from).collect())
            .unwrap_or_default();
        m.insert("indicators".into(), indicators.into());
        now.insert(key, serde_json::Value::Object(m));
    }
    let mut ids: Vec<_> = logged.into_iter().collect();
    ids.sort_by_key(|(_, (_, id, _))| *id);
    for (key, (row, id, value)) in ids {
        let problem = match now.get(&key) {
            None if row > last_replace => ActionProblem::Deleted,
            None => continue,
            Some(now) if action_content(now) != action_content(&value) => ActionProblem::Changed,
            Some(_) => continue,
        };
        out.push(Tampering::Action {
            id,
            assessment: key.0,
            problem,
        });
    }
    Ok(())
}
