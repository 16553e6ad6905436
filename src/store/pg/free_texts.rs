//! The privacy scan's rows on the server: every stored free text in scope but the
//! scores' (SQLite's `store/privacy.rs`), table by table in row order, a page at a time.

use super::PgStore;
use crate::error::Result;
use crate::store::{StoredText, TextScope};
use postgres::types::Type;

/// Rows per page.
const PAGE: i64 = 5000;

/// The tables and columns of the free texts, each with the rows of a scope it reads
/// (`$1` all, `$2` the assessments, `$3` the facilities), as SQLite's `privacy.rs`.
const TEXTS: [(&str, &[&str], &str); 4] = [
    (
        "facilities",
        &[
            "name",
            "organisation",
            "location",
            "facility_type",
            "target_group",
        ],
        "$1 OR id = ANY($3)",
    ),
    (
        "improvement_actions",
        &["text", "owner", "drop_reason", "created_by"],
        "$1 OR assessment_id = ANY($2)",
    ),
    (
        "assessments",
        &["finalised_by", "created_by"],
        "$1 OR id = ANY($2)",
    ),
    (
        "audit_log",
        &["reason"],
        "$1 OR assessment_id = ANY($2) OR facility_id = ANY($3)",
    ),
];

/// The types of the scope's parameters and the page's (after, limit).
const SCOPE_TYPES: [Type; 5] = [
    Type::BOOL,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8,
    Type::INT8,
];

impl PgStore {
    /// `Exchange::for_each_free_text`.
    pub(super) fn stream_free_texts(
        &self,
        scope: &TextScope,
        f: &mut dyn FnMut(StoredText) -> Result<()>,
    ) -> Result<()> {
        let (all, assessments, facilities) = (&scope.all, &scope.assessments, &scope.facilities);
        for (table, columns, scope_sql) in TEXTS {
            let sql = format!(
                "SELECT id, {} FROM {table} WHERE ({scope_sql}) AND id > $4 ORDER BY id LIMIT $5",
                columns.join(", ")
            );
            // typed: a query need not name every parameter
            let stmt = self
                .client
                .borrow_mut()
                .prepare_typed(&sql, &SCOPE_TYPES)
                .map_err(|e| self.err(e))?;
            let mut after = i64::MIN;
            loop {
                let rows = self
                    .client
                    .borrow_mut()
                    .query(&stmt, &[all, assessments, facilities, &after, &PAGE])
                    .map_err(|e| self.err(e))?;
                let Some(last) = rows.last() else { break };
                after = last.get(0);
                for r in &rows {
                    let row: i64 = r.get(0);
                    for (i, field) in columns.iter().enumerate() {
                        let text: Option<String> = r.get(i + 1);
                        if let Some(text) = text.filter(|t| !t.is_empty()) {
                            f(StoredText {
                                table,
                                row,
                                field,
                                text,
                            })?;
                        }
                    }
                }
            }
        }
        // each user name once, at its first row
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT min(id), by FROM audit_log WHERE {} GROUP BY by ORDER BY min(id)",
                    TEXTS[3].2
                ),
                &[all, assessments, facilities],
            )
            .map_err(|e| self.err(e))?;
        for r in &rows {
            f(StoredText {
                table: "audit_log",
                row: r.get(0),
                field: "by",
                text: r.get(1),
            })?;
        }
        Ok(())
    }
}
