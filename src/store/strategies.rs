//! Strategies (focus areas, action plans and their links to model nodes) in the database.

use super::audit::audit;
use super::{Stamp, Store};
use crate::error::{Error, Result};
use crate::strategy::{self, ActionPlan, Basis, FocusArea, Link, Strategy, StrategyTheme};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

/// A strategy as the database holds it.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyRecord {
    pub id: String,
    pub region: String,
    pub name: String,
    pub model: String,
    pub action_plans: usize,
    pub links: usize,
    pub bundled: bool,
    pub hash: String,
}

fn basis_str(b: Basis) -> &'static str {
    match b {
        Basis::Seed => "seed",
        Basis::Proposed => "proposed",
        Basis::Local => "local",
    }
}

fn basis_from(s: &str) -> Basis {
    match s {
        "seed" => Basis::Seed,
        "proposed" => Basis::Proposed,
        _ => Basis::Local,
    }
}

impl Store {
    pub(super) fn strategy_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM strategies WHERE id = ?1", [id], |_| Ok(true))
            .optional()
            .map_err(|e| self.err(e))?
            .unwrap_or(false))
    }

    /// Every strategy the database holds.
    pub fn strategy_records(&self) -> Result<Vec<StrategyRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.region, s.name, s.model_id, s.bundled, s.hash,
                        (SELECT count(*) FROM strategy_nodes n WHERE n.strategy_id = s.id AND n.kind = 'action_plan'),
                        (SELECT count(*) FROM strategy_links l WHERE l.strategy_id = s.id)
                 FROM strategies s ORDER BY s.region, s.name",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([], |r| {
            Ok(StrategyRecord {
                id: r.get(0)?,
                region: r.get(1)?,
                name: r.get(2)?,
                model: r.get(3)?,
                bundled: r.get(4)?,
                hash: r.get(5)?,
                action_plans: r.get::<_, i64>(6)? as usize,
                links: r.get::<_, i64>(7)? as usize,
            })
        })
        .map_err(|e| self.err(e))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| self.err(e))
    }

    /// A whole strategy, rebuilt from its rows.
    pub fn strategy(&self, id: &str) -> Result<Strategy> {
        let head = self
            .conn
            .query_row(
                "SELECT id, region, name, adopted, period, vision, mission, model_id, source FROM strategies WHERE id = ?1",
                [id],
                |r| {
                    Ok(Strategy {
                        format: strategy::STRATEGY_FORMAT.to_string(),
                        id: r.get(0)?,
                        region: r.get(1)?,
                        name: r.get(2)?,
                        adopted: r.get::<_, Option<String>>(3)?.and_then(|d| d.parse().ok()),
                        period: r.get(4)?,
                        vision: r.get(5)?,
                        mission: r.get(6)?,
                        model: r.get(7)?,
                        source: r.get(8)?,
                        themes: Vec::new(),
                        links: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let mut s = head.ok_or_else(|| Error::UnknownStrategy(id.to_string()))?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, parent_id, kind, text, note, source FROM strategy_nodes WHERE strategy_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        let nodes = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        for (nid, _parent, kind, text, note, source) in nodes {
            match kind.as_str() {
                "theme" => s.themes.push(StrategyTheme {
                    id: nid,
                    title: text,
                    note,
                    focus_areas: Vec::new(),
                }),
                "focus_area" => {
                    if let Some(t) = s.themes.last_mut() {
                        t.focus_areas.push(FocusArea {
                            id: nid,
                            title: text,
                            action_plans: Vec::new(),
                        });
                    }
                }
                _ => {
                    if let Some(f) = s.themes.last_mut().and_then(|t| t.focus_areas.last_mut()) {
                        f.action_plans.push(ActionPlan {
                            id: nid,
                            text,
                            source,
                        });
                    }
                }
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT node_id, target_id, basis, note FROM strategy_links WHERE strategy_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        s.links = stmt
            .query_map([id], |r| {
                Ok(Link {
                    node: r.get(0)?,
                    target: r.get(1)?,
                    basis: basis_from(&r.get::<_, String>(2)?),
                    note: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(s)
    }

    /// Imports a region's strategy file, replacing a strategy with the same id.
    /// Returns whether it replaced one.
    pub fn import_strategy(&mut self, s: &Strategy, file: &str, stamp: &Stamp) -> Result<bool> {
        self.write(|tx| {
            let replaced = tx.execute("DELETE FROM strategies WHERE id = ?1", [&s.id])? > 0;
            insert_strategy(tx, s, false, file, stamp)?;
            audit(
                tx,
                stamp,
                "strategy.import",
                None,
                None,
                Some(&s.id),
                None,
                Some(&s.content_hash()),
                None,
            )?;
            Ok(replaced)
        })
    }
}

pub(super) fn insert_strategy(
    tx: &Transaction<'_>,
    s: &Strategy,
    bundled: bool,
    file: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO strategies (id, hash, region, name, adopted, period, vision, mission, model_id, source, bundled, source_file, loaded_by, loaded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            s.id,
            s.content_hash(),
            s.region,
            s.name,
            s.adopted.map(|d| d.to_string()),
            s.period,
            s.vision,
            s.mission,
            s.model,
            s.source,
            bundled,
            file,
            stamp.by,
            stamp.at()
        ],
    )?;
    let mut node = tx.prepare_cached(
        "INSERT INTO strategy_nodes (strategy_id, id, parent_id, kind, text, note, source, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut pos = 0;
    for t in &s.themes {
        pos += 1;
        node.execute(params![
            s.id,
            t.id,
            None::<String>,
            "theme",
            t.title,
            t.note,
            "",
            pos
        ])?;
        for f in &t.focus_areas {
            pos += 1;
            node.execute(params![
                s.id,
                f.id,
                t.id,
                "focus_area",
                f.title,
                None::<String>,
                "",
                pos
            ])?;
            for p in &f.action_plans {
                pos += 1;
                node.execute(params![
                    s.id,
                    p.id,
                    f.id,
                    "action_plan",
                    p.text,
                    None::<String>,
                    p.source,
                    pos
                ])?;
            }
        }
    }
    let mut link = tx.prepare_cached(
        "INSERT INTO strategy_links (strategy_id, node_id, target_id, basis, note, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, l) in s.links.iter().enumerate() {
        link.execute(params![
            s.id,
            l.node,
            l.target,
            basis_str(l.basis),
            l.note,
            i as i64
        ])?;
    }
    Ok(())
}
