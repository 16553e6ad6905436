//! `verify`'s scan for stored texts that are not UTF-8, by table, row and column.

use super::findings::Tampering;
use super::row_text::lossy;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

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

/// The findings of tables whose texts another pass of `verify` checked already, in the
/// words `bad_texts` gives them (`None`: scan that table here).
#[derive(Debug, Default)]
pub(super) struct Scanned {
    pub(super) scores: Option<Vec<Tampering>>,
    pub(super) audit_log: Option<Vec<Tampering>>,
}

/// Every stored text that is not UTF-8, by table, row and column.
pub(super) fn bad_texts(conn: &Connection, out: &mut Vec<Tampering>) -> rusqlite::Result<()> {
    bad_texts_scanned(conn, out, Scanned::default())
}

/// `bad_texts`, with the findings of the tables already scanned put in their place.
pub(super) fn bad_texts_scanned(
    conn: &Connection,
    out: &mut Vec<Tampering>,
    mut scanned: Scanned,
) -> rusqlite::Result<()> {
    for (table, key, columns) in TEXT_COLUMNS {
        let done = match *table {
            "scores" => scanned.scores.take(),
            "audit_log" => scanned.audit_log.take(),
            _ => None,
        };
        if let Some(found) = done {
            out.extend(found);
            continue;
        }
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
                        row: lossy(r, 0)?.unwrap_or_default(),
                        column: column.to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}
