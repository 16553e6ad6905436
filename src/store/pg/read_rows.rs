//! The rows the server's reads share: an assessment record, a score, an improvement
//! action, in the columns and the order SQLite's `store/assessments.rs`,
//! `store/score_rows.rs` and `store/actions.rs` read them.

use super::listings::status_of;
use crate::assessment::{ActionStatus, ImprovementAction};
use crate::store::AssessmentRecord;
use postgres::Row;

/// An assessment's columns with its progress count (SQLite's `COLUMNS`).
pub(super) const RECORD_COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at,
    (SELECT count(*) FROM scores s WHERE s.assessment_id = a.id)";

/// The same columns without the progress count (SQLite's `BRIEF_COLUMNS`).
pub(super) const BRIEF_COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at, 0::bigint";

pub(super) fn record_from_row(r: &Row) -> AssessmentRecord {
    AssessmentRecord {
        id: r.get(0),
        facility_id: r.get(1),
        facility: r.get(2),
        year: r.get(3),
        model_id: r.get(4),
        model_hash: r.get(5),
        status: status_of(r.get(6)),
        created_by: r.get(7),
        created_at: r.get(8),
        finalised_by: r.get(9),
        finalised_at: r.get(10),
        done: usize::try_from(r.get::<_, i64>(11)).unwrap_or(0),
    }
}

/// The score columns, in the order `score_from_row` reads them, the assessment last.
pub(super) const SCORE_COLUMNS: &str =
    "indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over, assessment_id";

// `PgStore::score_from_row` (a score row) is `rows.rs`'s, shared with the writes

/// An action's columns (SQLite's `ACTION_COLUMNS`, its indicators in byte order).
pub(super) const ACTION_COLUMNS: &str = "x.id, x.assessment_id, f.name, a.year, x.text, x.strategy_id, x.action_plan_id, x.owner, x.due,
    x.status, x.drop_reason, x.created_by, x.created_at, x.updated_at,
    (SELECT string_agg(indicator_id, ' ' ORDER BY indicator_id COLLATE \"C\") FROM action_indicators i WHERE i.action_id = x.id)";

pub(super) const ACTION_FROM: &str = "improvement_actions x JOIN assessments a ON a.id = x.assessment_id JOIN facilities f ON f.id = a.facility_id";

pub(super) fn action_from_row(r: &Row) -> ImprovementAction {
    ImprovementAction {
        id: r.get(0),
        assessment_id: r.get(1),
        facility: r.get(2),
        year: r.get(3),
        text: r.get(4),
        strategy_id: r.get(5),
        action_plan: r.get(6),
        owner: r.get(7),
        due: r.get::<_, Option<&str>>(8).and_then(|d| d.parse().ok()),
        status: ActionStatus::parse(r.get(9)).unwrap_or(ActionStatus::Planned),
        drop_reason: r.get(10),
        created_by: r.get(11),
        created_at: r.get(12),
        updated_at: r.get(13),
        indicators: r
            .get::<_, Option<String>>(14)
            .map(|s| s.split(' ').map(String::from).collect())
            .unwrap_or_default(),
    }
}
