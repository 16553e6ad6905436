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
                        row: lossy(r, 0)?.unwrap_or_default(),
                        column: column.to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}
