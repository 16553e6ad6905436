//! Improvement actions on the server: `store::backend::Actions` for `PgStore`, with the
//! same checks, errors and audit rows as SQLite's `store/actions.rs` (the done/dropped
//! rule is the core's `check_transition`).

use super::PgStore;
use super::audit::append;
use super::rows::{Fail, Hold, hold};
use crate::assessment::{
    ActionStatus, FreeField, ImprovementAction, NewAction, check_free_texts, check_transition,
};
use crate::error::{Error, Result};
use crate::integrity::AuditFields;
use crate::store::backend::{Actions, Assessments, ModelVersions, Settings};
use crate::store::{ActionChanges, ActionFilter, AssessmentRef, Stamp};
use postgres::Row;

const ACTION_COLUMNS: &str = "x.id, x.assessment_id, f.name, a.year, x.text, x.strategy_id, x.action_plan_id, x.owner, x.due,
    x.status, x.drop_reason, x.created_by, x.created_at, x.updated_at,
    (SELECT string_agg(indicator_id, ' ' ORDER BY indicator_id COLLATE \"C\") FROM action_indicators i WHERE i.action_id = x.id)";

const ACTION_FROM: &str = "improvement_actions x JOIN assessments a ON a.id = x.assessment_id JOIN facilities f ON f.id = a.facility_id";

fn action_from_row(r: &Row) -> ImprovementAction {
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
            .get::<_, Option<&str>>(14)
            .map(|s| s.split(' ').map(String::from).collect())
            .unwrap_or_default(),
    }
}

fn snapshot(a: &ImprovementAction) -> String {
    serde_json::to_string(a).expect("serializes")
}

fn read(tx: &mut postgres::Transaction<'_>, id: i64) -> Result<ImprovementAction, Fail> {
    let row = tx.query_one(
        &format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.id = $1"),
        &[&id],
    )?;
    Ok(action_from_row(&row))
}

/// Appends an action's audit row (`subject` its number).
#[allow(clippy::too_many_arguments)]
fn log(
    tx: &mut postgres::Transaction<'_>,
    stamp: &Stamp,
    action: &str,
    facility: i64,
    assessment: i64,
    id: i64,
    old: Option<&str>,
    new: &str,
    reason: Option<&str>,
) -> Result<(), postgres::Error> {
    let (at, subject) = (stamp.at(), id.to_string());
    append(
        tx,
        AuditFields {
            id: 0,
            at: &at,
            by: &stamp.by,
            action,
            facility_id: Some(facility),
            assessment_id: Some(assessment),
            subject: Some(&subject),
            old_value: old,
            new_value: Some(new),
            reason,
        },
    )
}

impl PgStore {
    /// Finds the strategy that holds an action plan (or other node) id.
    fn plan_owner(&self, plan: &str) -> Result<String> {
        let rows = self.rows(
            "SELECT strategy_id FROM strategy_nodes WHERE id = $1 ORDER BY strategy_id COLLATE \"C\" LIMIT 1",
            &[&plan],
        )?;
        rows.first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::UnknownActionPlan(plan.to_string()))
    }

    fn actions_where(
        &self,
        cond: &str,
        order: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<ImprovementAction>> {
        let rows = self.rows(
            &format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE {cond} ORDER BY {order}"),
            params,
        )?;
        Ok(rows.iter().map(action_from_row).collect())
    }
}

impl Actions for PgStore {
    fn action(&self, id: i64) -> Result<ImprovementAction> {
        self.actions_where("x.id = $1", "x.id", &[&id])?
            .into_iter()
            .next()
            .ok_or(Error::UnknownAction(id))
    }

    fn actions(&self, filter: &ActionFilter) -> Result<Vec<ImprovementAction>> {
        self.actions_where(
            "($1::bigint IS NULL OR x.assessment_id = $1) AND ($2::bigint IS NULL OR a.facility_id = $2)",
            "f.name COLLATE \"C\", a.year, x.id",
            &[&filter.assessment, &filter.facility],
        )
    }

    fn assessment_actions(&self, assessment: i64) -> Result<Vec<ImprovementAction>> {
        self.actions_where("x.assessment_id = $1", "x.id", &[&assessment])
    }

    fn add_action(
        &mut self,
        assessment: i64,
        new: &NewAction,
        stamp: &Stamp,
    ) -> Result<ImprovementAction> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        if new.text.trim().is_empty() {
            return Err(Error::Empty("text"));
        }
        if new.indicators.is_empty() {
            return Err(Error::Empty("indicator"));
        }
        check_free_texts(
            [
                (FreeField::ActionText, new.text.as_str()),
                (FreeField::ActionOwner, &new.owner),
            ],
            self.write_policy()?,
        )?;
        let mut indicators = Vec::new();
        for i in &new.indicators {
            let found = model
                .indicator(i.trim())
                .ok_or_else(|| Error::UnknownIndicator {
                    indicator: i.clone(),
                    model: model.id.clone(),
                })?;
            if !indicators.contains(&found.indicator.id) {
                indicators.push(found.indicator.id.clone());
            }
        }
        let plan = match new
            .action_plan
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some((self.plan_owner(p)?, p.to_string())),
            None => None,
        };
        let at = stamp.at();
        let id = self.write(Some(assessment), |tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO improvement_actions (assessment_id, text, strategy_id, action_plan_id, owner, due, created_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    &[
                        &assessment,
                        &new.text.trim(),
                        &plan.as_ref().map(|p| &p.0),
                        &plan.as_ref().map(|p| &p.1),
                        &new.owner.trim(),
                        &new.due.map(|d| d.to_string()),
                        &stamp.by,
                        &at,
                    ],
                )?
                .get(0);
            for i in &indicators {
                tx.execute(
                    "INSERT INTO action_indicators (action_id, indicator_id) VALUES ($1, $2)",
                    &[&id, i],
                )?;
            }
            let row = read(tx, id)?;
            let snap = snapshot(&row);
            log(tx, stamp, "action.add", record.facility_id, assessment, id, None, &snap, None)?;
            Ok(id)
        })?;
        self.action(id)
    }

    fn edit_action(
        &mut self,
        id: i64,
        changes: &ActionChanges,
        stamp: &Stamp,
    ) -> Result<ImprovementAction> {
        let old = self.action(id)?;
        let status = changes.status.unwrap_or(old.status);
        check_transition(id, old.status, status, changes.drop_reason.as_deref())?;
        if changes.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::Empty("text"));
        }
        let texts = [
            (FreeField::ActionText, &changes.text),
            (FreeField::ActionOwner, &changes.owner),
            (FreeField::DropReason, &changes.drop_reason),
        ];
        check_free_texts(
            texts
                .into_iter()
                .filter_map(|(f, t)| t.as_deref().map(|t| (f, t))),
            self.write_policy()?,
        )?;
        let plan = match &changes.action_plan {
            Some(Some(p)) => Some(Some((self.plan_owner(p.trim())?, p.trim().to_string()))),
            Some(None) => Some(None),
            None => None,
        };
        let record = self.assessment(&AssessmentRef::Id(old.assessment_id))?;
        let at = stamp.at();
        self.write(Some(old.assessment_id), |tx| {
            // the action as it is now, held: two edits at once are checked one after the other
            hold(tx, Hold::Action, id, false)?;
            let now = tx.query_one(
                "SELECT status FROM improvement_actions WHERE id = $1",
                &[&id],
            )?;
            let current = ActionStatus::parse(now.get(0)).unwrap_or(ActionStatus::Planned);
            if current != old.status {
                check_transition(id, current, status, changes.drop_reason.as_deref())?;
            }
            tx.execute(
                "UPDATE improvement_actions SET
                   text = coalesce($2, text), owner = coalesce($3, owner),
                   due = CASE WHEN $4 THEN $5 ELSE due END,
                   strategy_id = CASE WHEN $6 THEN $7 ELSE strategy_id END,
                   action_plan_id = CASE WHEN $6 THEN $8 ELSE action_plan_id END,
                   status = $9, drop_reason = CASE WHEN $9 = 'dropped' THEN $10 ELSE drop_reason END,
                   updated_at = $11
                 WHERE id = $1",
                &[
                    &id,
                    &changes.text.as_deref().map(str::trim),
                    &changes.owner.as_deref().map(str::trim),
                    &changes.due.is_some(),
                    &changes.due.flatten().map(|d| d.to_string()),
                    &plan.is_some(),
                    &plan.as_ref().and_then(|p| p.as_ref().map(|p| p.0.clone())),
                    &plan.as_ref().and_then(|p| p.as_ref().map(|p| p.1.clone())),
                    &status.as_str(),
                    &changes.drop_reason.as_deref().map(str::trim),
                    &at,
                ],
            )?;
            let new = read(tx, id)?;
            let action = if status != old.status {
                format!("action.{}", status.as_str())
            } else {
                "action.edit".to_string()
            };
            let (before, after) = (snapshot(&old), snapshot(&new));
            log(
                tx,
                stamp,
                &action,
                record.facility_id,
                old.assessment_id,
                id,
                Some(&before),
                &after,
                changes.drop_reason.as_deref(),
            )?;
            Ok(())
        })?;
        self.action(id)
    }
}
