//! The improvement action as the server's reads (bundles, the workbook's stream) read
//! it: SQLite's `store/actions.rs` columns, its indicators in their bytes' order.

use crate::assessment::{ActionStatus, ImprovementAction};
use postgres::Row;

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
