//! Gap rules (a per-database setting), improvement actions, and editing strategy links.

use super::audit::audit;
use super::{Facility, Stamp, Store};
use crate::assessment::{
    ActionStatus, GapRules, ImprovementAction, NewAction, PersonalDataPolicy, check_transition,
};
use crate::error::{Error, Result};
use crate::model::ModelMapping;
use crate::strategy::{Link, Strategy};
use rusqlite::{OptionalExtension, Row, params};

/// Which actions to list.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub assessment: Option<i64>,
    pub facility: Option<i64>,
}

/// Changes to an action; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ActionChanges {
    pub text: Option<String>,
    pub owner: Option<String>,
    /// `Some(None)` clears the due date.
    pub due: Option<Option<chrono::NaiveDate>>,
    /// `Some(None)` makes it a local action.
    pub action_plan: Option<Option<String>>,
    pub status: Option<ActionStatus>,
    pub drop_reason: Option<String>,
}

pub(super) const ACTION_COLUMNS: &str = "x.id, x.assessment_id, f.name, a.year, x.text, x.strategy_id, x.action_plan_id, x.owner, x.due,
    x.status, x.drop_reason, x.created_by, x.created_at, x.updated_at,
    (SELECT group_concat(indicator_id, ' ') FROM action_indicators i WHERE i.action_id = x.id)";

pub(super) const ACTION_FROM: &str = "improvement_actions x JOIN assessments a ON a.id = x.assessment_id JOIN facilities f ON f.id = a.facility_id";

pub(super) fn action_from_row(r: &Row<'_>) -> rusqlite::Result<ImprovementAction> {
    Ok(ImprovementAction {
        id: r.get(0)?,
        assessment_id: r.get(1)?,
        facility: r.get(2)?,
        year: r.get(3)?,
        text: r.get(4)?,
        strategy_id: r.get(5)?,
        action_plan: r.get(6)?,
        owner: r.get(7)?,
        due: r.get::<_, Option<String>>(8)?.and_then(|d| d.parse().ok()),
        status: ActionStatus::parse(&r.get::<_, String>(9)?).unwrap_or(ActionStatus::Planned),
        drop_reason: r.get(10)?,
        created_by: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        indicators: r
            .get::<_, Option<String>>(14)?
            .map(|s| s.split(' ').map(String::from).collect())
            .unwrap_or_default(),
    })
}

const POLICY_KEY: &str = "personal_data";

/// The personal-data policy, read through any connection (a write transaction too).
pub(super) fn read_policy(conn: &rusqlite::Connection) -> rusqlite::Result<PersonalDataPolicy> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([POLICY_KEY], |r| r.get(0))
        .optional()?;
    Ok(value
        .and_then(|v| PersonalDataPolicy::parse(&v))
        .unwrap_or_default())
}

/// Writes one setting, with its old and new value in the audit log.
fn put_setting(
    tx: &rusqlite::Transaction<'_>,
    stamp: &Stamp,
    key: &str,
    value: &str,
) -> rusqlite::Result<()> {
    let old: Option<String> = tx
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    audit(
        tx,
        stamp,
        "settings.set",
        None,
        None,
        Some(key),
        old.as_deref(),
        Some(value),
        None,
    )
}

fn snapshot(a: &ImprovementAction) -> String {
    serde_json::to_string(a).expect("serializes")
}

impl Store {
    /// The gap rules in force: the defaults, with what this database has set.
    pub fn gap_rules(&self) -> Result<GapRules> {
        let mut rules = GapRules::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT substr(key, 5), value FROM settings WHERE key LIKE 'gap.%'")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        for (name, value) in rows {
            rules.set(&name, &value).map_err(Error::BadRule)?;
        }
        Ok(rules)
    }

    /// Sets one gap rule for this database (checked against the others first).
    pub fn set_gap_rule(&mut self, name: &str, value: &str, stamp: &Stamp) -> Result<GapRules> {
        let mut rules = self.gap_rules()?;
        rules.set(name, value).map_err(Error::BadRule)?;
        self.write(|tx| {
            Ok(put_setting(
                tx,
                stamp,
                &format!("gap.{name}"),
                value.trim(),
            )?)
        })?;
        Ok(rules)
    }

    /// What happens to texts holding personal identifiers in this database.
    pub fn personal_data_policy(&self) -> Result<PersonalDataPolicy> {
        read_policy(&self.conn).map_err(|e| self.err(e))
    }

    /// Sets what happens to texts holding personal identifiers in this database.
    pub fn set_personal_data_policy(
        &mut self,
        policy: PersonalDataPolicy,
        stamp: &Stamp,
    ) -> Result<()> {
        self.write(|tx| Ok(put_setting(tx, stamp, POLICY_KEY, policy.as_str())?))
    }

    /// Puts the gap rules back to the defaults.
    pub fn reset_gap_rules(&mut self, stamp: &Stamp) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM settings WHERE key LIKE 'gap.%'", [])?;
            if n > 0 {
                audit(
                    tx,
                    stamp,
                    "settings.reset",
                    None,
                    None,
                    Some("gap"),
                    None,
                    None,
                    None,
                )?;
            }
            Ok(())
        })
    }

    /// The strategies that apply to a facility: those of its region (its organisation
    /// names the strategy's region), or every strategy where none does; each as the
    /// links of one model of `model_id`'s framework see it (`Strategy::for_model`: the
    /// quality model's links for a quality assessment, the safety framework's for a
    /// safety one), with the mapping between that model and `model_id` where they differ.
    pub fn strategies_for(
        &self,
        facility: &Facility,
        model_id: &str,
    ) -> Result<Vec<(Strategy, Option<ModelMapping>)>> {
        let records = self.strategy_records()?;
        let org = facility.organisation.trim().to_lowercase();
        let own: Vec<_> = records
            .iter()
            .filter(|r| !org.is_empty() && r.region.to_lowercase() == org)
            .collect();
        let chosen: Vec<_> = if own.is_empty() {
            records.iter().collect()
        } else {
            own
        };
        let framework = self.framework_of_model(model_id)?;
        let mut out = Vec::new();
        for r in chosen {
            let s = self.strategy(&r.id)?;
            for linked in s.linked_models() {
                if linked != model_id && self.framework_of_model(linked)? != framework {
                    continue;
                }
                let mapping = if linked == model_id {
                    None
                } else {
                    self.mapping_between(linked, model_id)?
                };
                out.push((s.for_model(linked), mapping));
            }
        }
        Ok(out)
    }

    /// Finds the strategy that holds an action plan (or other node) id.
    fn plan_owner(&self, plan: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT strategy_id FROM strategy_nodes WHERE id = ?1 ORDER BY strategy_id LIMIT 1",
                [plan],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::UnknownActionPlan(plan.to_string()))
    }

    /// Adds an improvement action to an assessment. Its indicators must be in the
    /// assessment's model; its action plan, if any, in one of the strategies.
    pub fn add_action(
        &mut self,
        assessment: i64,
        new: &NewAction,
        stamp: &Stamp,
    ) -> Result<ImprovementAction> {
        let record = self.assessment(&super::AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        if new.text.trim().is_empty() {
            return Err(Error::Empty("text"));
        }
        if new.indicators.is_empty() {
            return Err(Error::Empty("indicator"));
        }
        self.check_new_action(new)?;
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
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO improvement_actions (assessment_id, text, strategy_id, action_plan_id, owner, due, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![
                    assessment,
                    new.text.trim(),
                    plan.as_ref().map(|p| &p.0),
                    plan.as_ref().map(|p| &p.1),
                    new.owner.trim(),
                    new.due.map(|d| d.to_string()),
                    stamp.by,
                    at
                ],
            )?;
            let id = tx.last_insert_rowid();
            for i in &indicators {
                tx.execute("INSERT INTO action_indicators (action_id, indicator_id) VALUES (?1, ?2)", params![id, i])?;
            }
            let row = tx.query_row(&format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.id = ?1"), [id], action_from_row)?;
            audit(tx, stamp, "action.add", Some(record.facility_id), Some(assessment), Some(&id.to_string()), None, Some(&snapshot(&row)), None)?;
            Ok(id)
        })?;
        self.action(id)
    }

    /// One action.
    pub fn action(&self, id: i64) -> Result<ImprovementAction> {
        self.conn
            .query_row(
                &format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.id = ?1"),
                [id],
                action_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or(Error::UnknownAction(id))
    }

    /// The actions, by facility, year and id; of one assessment or facility where given.
    pub fn actions(&self, filter: &ActionFilter) -> Result<Vec<ImprovementAction>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM}
                 WHERE (?1 IS NULL OR x.assessment_id = ?1) AND (?2 IS NULL OR a.facility_id = ?2)
                 ORDER BY f.name, a.year, x.id"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![filter.assessment, filter.facility], action_from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Changes an action; a done or dropped action does not change again.
    pub fn edit_action(
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
        self.check_action_changes(changes)?;
        let plan = match &changes.action_plan {
            Some(Some(p)) => Some(Some((self.plan_owner(p.trim())?, p.trim().to_string()))),
            Some(None) => Some(None),
            None => None,
        };
        let record = self.assessment(&super::AssessmentRef::Id(old.assessment_id))?;
        self.write(|tx| {
            tx.execute(
                "UPDATE improvement_actions SET
                   text = coalesce(?2, text), owner = coalesce(?3, owner),
                   due = CASE WHEN ?4 THEN ?5 ELSE due END,
                   strategy_id = CASE WHEN ?6 THEN ?7 ELSE strategy_id END,
                   action_plan_id = CASE WHEN ?6 THEN ?8 ELSE action_plan_id END,
                   status = ?9, drop_reason = CASE WHEN ?9 = 'dropped' THEN ?10 ELSE drop_reason END,
                   updated_at = ?11
                 WHERE id = ?1",
                params![
                    id,
                    changes.text.as_deref().map(str::trim),
                    changes.owner.as_deref().map(str::trim),
                    changes.due.is_some(),
                    changes.due.flatten().map(|d| d.to_string()),
                    plan.is_some(),
                    plan.as_ref().and_then(|p| p.as_ref().map(|p| p.0.clone())),
                    plan.as_ref().and_then(|p| p.as_ref().map(|p| p.1.clone())),
                    status.as_str(),
                    changes.drop_reason.as_deref().map(str::trim),
                    stamp.at()
                ],
            )?;
            let new = tx.query_row(&format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.id = ?1"), [id], action_from_row)?;
            let action = if status != old.status { format!("action.{}", status.as_str()) } else { "action.edit".to_string() };
            audit(
                tx,
                stamp,
                &action,
                Some(record.facility_id),
                Some(old.assessment_id),
                Some(&id.to_string()),
                Some(&snapshot(&old)),
                Some(&snapshot(&new)),
                changes.drop_reason.as_deref(),
            )?;
            Ok(())
        })?;
        self.action(id)
    }

    /// Adds a link from a model node to a strategy node.
    pub fn add_link(&mut self, strategy_id: &str, link: &Link, stamp: &Stamp) -> Result<()> {
        let s = self.strategy(strategy_id)?;
        let bad = |detail: String| Error::BadLink {
            strategy: s.id.clone(),
            detail,
        };
        let model = self.active_model(&s.model)?;
        if !model.has_node(&link.node) {
            return Err(bad(format!(
                "{:?} is not a theme, criterion or indicator of {}",
                link.node, model.id
            )));
        }
        if s.node(&link.target).is_none() {
            return Err(bad(format!("{:?} is not in this strategy", link.target)));
        }
        if s.links
            .iter()
            .any(|l| l.node == link.node && l.target == link.target)
        {
            return Err(bad(format!(
                "{} → {} is linked already",
                link.node, link.target
            )));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO strategy_links (strategy_id, node_id, target_id, basis, note, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM strategy_links WHERE strategy_id = ?1))",
                params![s.id, link.node, link.target, serde_json::to_value(link.basis).ok().and_then(|v| v.as_str().map(String::from)), link.note],
            )?;
            audit(tx, stamp, "strategy.link.add", None, None, Some(&s.id), None, Some(&format!("{} → {}", link.node, link.target)), None)?;
            Ok(())
        })
    }

    /// Removes a link.
    pub fn remove_link(
        &mut self,
        strategy_id: &str,
        node: &str,
        target: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let s = self.strategy(strategy_id)?;
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM strategy_links WHERE strategy_id = ?1 AND model_id = '' AND node_id = ?2 AND target_id = ?3",
                params![s.id, node, target],
            )?;
            if n == 0 {
                return Err(Error::BadLink { strategy: s.id.clone(), detail: format!("{node} → {target} is not linked") });
            }
            audit(tx, stamp, "strategy.link.remove", None, None, Some(&s.id), Some(&format!("{node} → {target}")), None, None)?;
            Ok(())
        })
    }
}
