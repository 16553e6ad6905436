//! What `verify` compares besides the audit chain itself: each assessment's status and
//! sign-off against the last finalise or reopen row of the chain, each improvement action
//! against its last logged state, and every stored text for bytes that are not UTF-8.
//! Everything here reads texts without trusting them to be UTF-8, so that one damaged
//! row is named and hides no other finding.

use super::audit::{ActionProblem, StatusProblem, Tampering};
use crate::integrity::{SignedRecord, SignedScore, signoff_v2};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::HashMap;

/// A stored text, a bad byte replaced rather than failing the read (`bad_texts` names the row).
pub(super) fn lossy(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
    })
}

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

/// An action as `verify` compares it: its content, without the facility name and year
/// (which a rename changes) and with the indicators sorted.
fn action_content(v: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for key in [
        "text",
        "strategy_id",
        "action_plan",
        "owner",
        "due",
        "status",
        "drop_reason",
        "created_by",
        "created_at",
        "updated_at",
    ] {
        out.insert(key.into(), v.get(key).cloned().unwrap_or_default());
    }
    let mut indicators: Vec<String> = v
        .get("indicators")
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    indicators.sort();
    out.insert("indicators".into(), indicators.into());
    serde_json::Value::Object(out)
}

/// Every improvement action (of the assessment given) that differs from its last logged
/// state, or was logged and is gone. Only rows this database's own log wrote are compared
/// (a copied row of an import names another database's action numbers), and an action
/// deleted by an import that replaced assessments after its last row is not named.
pub(super) fn action_findings(
    conn: &Connection,
    only: Option<i64>,
    out: &mut Vec<Tampering>,
) -> rusqlite::Result<()> {
    let mut logged: HashMap<i64, (i64, i64, serde_json::Value)> = HashMap::new();
    let mut last_replace = 0i64;
    let mut stmt = conn.prepare(
        "SELECT id, action, assessment_id, subject, new_value FROM audit_log
         WHERE action LIKE 'action.%' OR action = 'bundle.import' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row: i64 = r.get(0)?;
        let value: serde_json::Value = lossy(r, 4)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        if lossy(r, 1)?.as_deref() == Some("bundle.import") {
            if value.get("assessments_replaced").and_then(|n| n.as_i64()) > Some(0) {
                last_replace = row;
            }
            continue;
        }
        let (Some(assessment), Some(subject)) = (
            r.get::<_, Option<i64>>(2)?,
            lossy(r, 3)?.and_then(|s| s.parse::<i64>().ok()),
        ) else {
            continue;
        };
        let own = value.get("id").and_then(|i| i.as_i64()) == Some(subject)
            && value.get("assessment_id").and_then(|i| i.as_i64()) == Some(assessment);
        if own && only.is_none_or(|a| a == assessment) {
            logged.insert(subject, (row, assessment, value));
        }
    }
    drop(rows);
    let mut current = conn.prepare(
        "SELECT x.text, x.strategy_id, x.action_plan_id, x.owner, x.due, x.status, x.drop_reason,
                x.created_by, x.created_at, x.updated_at,
                (SELECT group_concat(indicator_id, ' ') FROM action_indicators i WHERE i.action_id = x.id)
         FROM improvement_actions x WHERE x.id = ?1",
    )?;
    let mut ids: Vec<_> = logged.into_iter().collect();
    ids.sort_by_key(|(id, _)| *id);
    for (id, (row, assessment, value)) in ids {
        let now = current
            .query_row([id], |r| {
                let mut m = serde_json::Map::new();
                for (i, key) in [
                    "text",
                    "strategy_id",
                    "action_plan",
                    "owner",
                    "due",
                    "status",
                    "drop_reason",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
                .iter()
                .enumerate()
                {
                    m.insert(key.to_string(), lossy(r, i)?.into());
                }
                let indicators: Vec<String> = lossy(r, 10)?
                    .map(|s| s.split(' ').map(String::from).collect())
                    .unwrap_or_default();
                m.insert("indicators".into(), indicators.into());
                Ok(serde_json::Value::Object(m))
            })
            .optional()?;
        let problem = match now {
            None if row > last_replace => ActionProblem::Deleted,
            None => continue,
            Some(now) if action_content(&now) != action_content(&value) => ActionProblem::Changed,
            Some(_) => continue,
        };
        out.push(Tampering::Action {
            id,
            assessment,
            problem,
        });
    }
    Ok(())
}

/// The text columns of every table, with the expression that names a row.
const TEXT_COLUMNS: &[(&str, &str, &[&str])] = &[
    (
        "facilities",
        "id",
        &[
            "name",
            "name_key",
            "organisation",
            "location",
            "facility_type",
            "target_group",
            "created_at",
            "archived_at",
        ],
    ),
    ("facility_tags", "facility_id", &["tag"]),
    (
        "assessments",
        "id",
        &[
            "model_id",
            "model_hash",
            "status",
            "created_by",
            "created_at",
            "finalised_by",
            "finalised_at",
            "signoff_hash",
        ],
    ),
    (
        "scores",
        "assessment_id || ' ' || indicator_id",
        &["indicator_id", "reasoning", "sources", "by", "at"],
    ),
    (
        "improvement_actions",
        "id",
        &[
            "text",
            "strategy_id",
            "action_plan_id",
            "owner",
            "due",
            "status",
            "drop_reason",
            "created_by",
            "created_at",
            "updated_at",
        ],
    ),
    ("action_indicators", "action_id", &["indicator_id"]),
    (
        "audit_log",
        "id",
        &[
            "at",
            "by",
            "action",
            "subject",
            "old_value",
            "new_value",
            "reason",
            "prev_hash",
            "hash",
        ],
    ),
    ("settings", "key", &["key", "value"]),
];

/// Every stored text that is not UTF-8, by table, row and column.
pub(super) fn bad_texts(conn: &Connection, out: &mut Vec<Tampering>) -> rusqlite::Result<()> {
    for (table, key, columns) in TEXT_COLUMNS {
        let checks: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS BLOB)"))
            .collect();
        let mut stmt =
            conn.prepare(&format!("SELECT {key}, {} FROM {table}", checks.join(", ")))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for (i, column) in columns.iter().enumerate() {
                if let ValueRef::Blob(b) = r.get_ref(i + 1)?
                    && std::str::from_utf8(b).is_err()
                {
                    out.push(Tampering::Text {
                        table: table.to_string(),
                        row: lossy_text(r, 0)?,
                        column: column.to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}
