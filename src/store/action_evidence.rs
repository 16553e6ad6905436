//! `verify`'s look at the improvement actions: each one compared with its last logged state.

use super::findings::{ActionProblem, Tampering};
use super::row_text::lossy;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// The fields of an action `verify` compares, in the order the query below reads them.
pub(super) const ACTION_FIELDS: [&str; 10] = [
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
];

/// An action as `verify` compares it: its content, without the facility name and year
/// (which a rename changes) and with the indicators sorted.
pub(super) fn action_content(v: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for key in ACTION_FIELDS {
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
    // an action is known by its assessment, when it was made and by whom: its number can
    // differ between databases (a row copied by an import may carry another's number)
    type Key = (i64, String, String);
    let mut logged: HashMap<Key, (i64, i64, serde_json::Value)> = HashMap::new();
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
    drop(rows);
    let mut current = conn.prepare(
        "SELECT x.text, x.strategy_id, x.action_plan_id, x.owner, x.due, x.status, x.drop_reason,
                x.created_by, x.created_at, x.updated_at,
                (SELECT group_concat(indicator_id, ' ') FROM action_indicators i WHERE i.action_id = x.id)
         FROM improvement_actions x
         WHERE x.assessment_id = ?1 AND x.created_at = ?2 AND x.created_by = ?3",
    )?;
    let mut ids: Vec<_> = logged.into_iter().collect();
    ids.sort_by_key(|(_, (_, id, _))| *id);
    for ((assessment, created_at, created_by), (row, id, value)) in ids {
        let now = current
            .query_row(rusqlite::params![assessment, created_at, created_by], |r| {
                let mut m = serde_json::Map::new();
                for (i, key) in ACTION_FIELDS.iter().enumerate() {
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
