//! The score rows: their columns and reader, the snapshot the audit log keeps, the insert,
//! and the check that an assessment is still a draft; shared by assessments.rs and scores.rs.

use super::Stamp;
use crate::assessment::{Score, ScoreValue, Status};
use crate::error::{Error, Result};
use rusqlite::{Row, params};

/// The score columns, in the order `score_from_row` reads them.
pub(super) const SCORE_COLUMNS: &str =
    "indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over";

pub(super) fn score_from_row(r: &Row<'_>) -> rusqlite::Result<Score> {
    let value: Option<u8> = r.get(1)?;
    let not_relevant: bool = r.get(2)?;
    let at: String = r.get(6)?;
    Ok(Score {
        indicator_id: r.get(0)?,
        value: match (not_relevant, value) {
            (false, Some(v)) => ScoreValue::Scored(v),
            _ => ScoreValue::NotRelevant,
        },
        reasoning: r.get(3)?,
        sources: r.get(4)?,
        by: r.get(5)?,
        at: chrono::DateTime::parse_from_rfc3339(&at)
            .map(|d| d.to_utc())
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    6,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
        carried_over: r.get(7)?,
    })
}

pub(super) fn score_snapshot(value: ScoreValue, reasoning: &str, sources: &str) -> String {
    serde_json::json!({ "value": value.value(), "not_relevant": value == ScoreValue::NotRelevant, "reasoning": reasoning, "sources": sources })
        .to_string()
}

/// Refuses a change to a finalised assessment (checked inside the write transaction).
pub(super) fn ensure_draft(tx: &rusqlite::Transaction<'_>, assessment: i64) -> Result<()> {
    let status: String = tx.query_row(
        "SELECT status FROM assessments WHERE id = ?1",
        [assessment],
        |r| r.get(0),
    )?;
    if status == Status::Finalised.as_str() {
        return Err(Error::Finalised(assessment));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn insert_score(
    tx: &rusqlite::Transaction<'_>,
    assessment: i64,
    indicator: &str,
    value: ScoreValue,
    reasoning: &str,
    sources: &str,
    carried_over: bool,
    stamp: &Stamp,
    at: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET
           value = excluded.value, not_relevant = excluded.not_relevant, reasoning = excluded.reasoning,
           sources = excluded.sources, by = excluded.by, at = excluded.at, carried_over = excluded.carried_over",
    )?
    .execute(params![
        assessment,
        indicator,
        value.value(),
        value == ScoreValue::NotRelevant,
        reasoning,
        sources,
        stamp.by,
        at,
        carried_over
    ])?;
    Ok(())
}
