//! Strategies (focus areas, action plans and their links to model nodes) in the database.

use super::audit::audit;
use super::{Stamp, Store};
use crate::error::{Error, Result};
use crate::strategy::{
    self, ActionPlan, Basis, FocusArea, Link, ModelLinks, Strategy, StrategyTheme,
};
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
    /// Whether the database holds a strategy of this id that a load of the bundled one
    /// `bundled` leaves as it is: the region's own, or this very text. A bundled copy of
    /// an older text is refreshed (`refresh_bundled_strategy`).
    pub(super) fn strategy_current(&self, bundled: &Strategy) -> Result<bool> {
        let found: Option<(bool, String)> = self
            .conn
            .query_row(
                "SELECT bundled, hash FROM strategies WHERE id = ?1",
                [&bundled.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(found.is_some_and(|(was_bundled, hash)| !was_bundled || hash == bundled.content_hash()))
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
                        model_links: Vec::new(),
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
            .prepare("SELECT model_id, node_id, target_id, basis, note FROM strategy_links WHERE strategy_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        let links = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Link {
                        node: r.get(1)?,
                        target: r.get(2)?,
                        basis: basis_from(&r.get::<_, String>(3)?),
                        note: r.get(4)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        // '' is the strategy's own model; the other groups keep the order of their first link
        for (model, link) in links {
            if model.is_empty() {
                s.links.push(link);
            } else if let Some(g) = s.model_links.iter_mut().find(|g| g.model == model) {
                g.links.push(link);
            } else {
                s.model_links.push(ModelLinks {
                    model,
                    links: vec![link],
                });
            }
        }
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
        "INSERT INTO strategy_links (strategy_id, model_id, node_id, target_id, basis, note, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let groups = std::iter::once(("", &s.links))
        .chain(s.model_links.iter().map(|g| (g.model.as_str(), &g.links)));
    for (i, (model, l)) in groups
        .flat_map(|(m, links)| links.iter().map(move |l| (m, l)))
        .enumerate()
    {
        link.execute(params![
            s.id,
            model,
            l.node,
            l.target,
            basis_str(l.basis),
            l.note,
            i as i64
        ])?;
    }
    Ok(())
}

/// Puts a newer bundled text in place of the bundled copy of an older one (a region's own
/// strategy is never touched: `strategy_current`). The local links a user added to the old
/// copy are kept where the new text still has their target.
pub(super) fn refresh_bundled_strategy(
    tx: &Transaction<'_>,
    s: &Strategy,
    file: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    let local: Vec<(String, String, String, Option<String>)> = tx
        .prepare(
            "SELECT model_id, node_id, target_id, note FROM strategy_links
             WHERE strategy_id = ?1 AND basis = 'local' ORDER BY position",
        )?
        .query_map([&s.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute(
        "DELETE FROM strategies WHERE id = ?1 AND bundled = 1",
        [&s.id],
    )?;
    insert_strategy(tx, s, true, file, stamp)?;
    for (model, node, target, note) in local {
        if s.node(&target).is_none() {
            continue;
        }
        tx.execute(
            "INSERT OR IGNORE INTO strategy_links (strategy_id, model_id, node_id, target_id, basis, note, position)
             VALUES (?1, ?2, ?3, ?4, 'local', ?5, (SELECT coalesce(max(position), 0) + 1 FROM strategy_links WHERE strategy_id = ?1))",
            params![s.id, model, node, target, note],
        )?;
    }
    Ok(())
}
