//! Strategies on the server: `store::backend::Strategies` for `PgStore`, with the rows,
//! checks, errors and audit rows of SQLite's `store/strategies.rs` and the links of
//! `store/actions.rs`; and the refresh of a bundled strategy on connect.

use super::PgStore;
use super::audit::audit;
use super::models::rows;
use crate::error::{Error, Result};
use crate::model::ModelMapping;
use crate::store::backend::{ModelVersions, Strategies};
use crate::store::{Facility, Stamp, StrategyRecord};
use crate::strategy::{
    self, ActionPlan, Basis, FocusArea, Link, ModelLinks, Strategy, StrategyTheme,
};
use postgres::Transaction;

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

/// Whether the database holds a strategy of this id that a load of the bundled one
/// leaves as it is: the region's own, or this very text.
pub(super) fn strategy_current(
    tx: &mut Transaction<'_>,
    bundled: &Strategy,
) -> Result<bool, postgres::Error> {
    let found = tx.query_opt(
        "SELECT bundled, hash FROM strategies WHERE id = $1",
        &[&bundled.id],
    )?;
    Ok(found
        .is_some_and(|r| !r.get::<_, bool>(0) || r.get::<_, String>(1) == bundled.content_hash()))
}

fn insert_strategy(
    tx: &mut Transaction<'_>,
    s: &Strategy,
    bundled: bool,
    file: &str,
    stamp: &Stamp,
) -> Result<(), postgres::Error> {
    tx.execute(
        "INSERT INTO strategies (id, hash, region, name, adopted, period, vision, mission, model_id, source, bundled, source_file, loaded_by, loaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        &[
            &s.id,
            &s.content_hash(),
            &s.region,
            &s.name,
            &s.adopted.map(|d| d.to_string()),
            &s.period,
            &s.vision,
            &s.mission,
            &s.model,
            &s.source,
            &bundled,
            &file,
            &stamp.by,
            &stamp.at(),
        ],
    )?;
    let node = tx.prepare(
        "INSERT INTO strategy_nodes (strategy_id, id, parent_id, kind, text, note, source, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )?;
    let mut pos: i64 = 0;
    let none: Option<String> = None;
    for t in &s.themes {
        pos += 1;
        tx.execute(
            &node,
            &[&s.id, &t.id, &none, &"theme", &t.title, &t.note, &"", &pos],
        )?;
        for f in &t.focus_areas {
            pos += 1;
            tx.execute(
                &node,
                &[
                    &s.id,
                    &f.id,
                    &Some(&t.id),
                    &"focus_area",
                    &f.title,
                    &none,
                    &"",
                    &pos,
                ],
            )?;
            for p in &f.action_plans {
                pos += 1;
                tx.execute(
                    &node,
                    &[
                        &s.id,
                        &p.id,
                        &Some(&f.id),
                        &"action_plan",
                        &p.text,
                        &none,
                        &p.source,
                        &pos,
                    ],
                )?;
            }
        }
    }
    let link = tx.prepare(
        "INSERT INTO strategy_links (strategy_id, model_id, node_id, target_id, basis, note, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )?;
    let groups = std::iter::once(("", &s.links))
        .chain(s.model_links.iter().map(|g| (g.model.as_str(), &g.links)));
    for (i, (model, l)) in groups
        .flat_map(|(m, links)| links.iter().map(move |l| (m, l)))
        .enumerate()
    {
        tx.execute(
            &link,
            &[
                &s.id,
                &model,
                &l.node,
                &l.target,
                &basis_str(l.basis),
                &l.note,
                &(i as i64),
            ],
        )?;
    }
    Ok(())
}

/// Puts a newer bundled text in place of the bundled copy of an older one, keeping the
/// local links whose target the new text still has (as SQLite's).
pub(super) fn refresh_bundled_strategy(
    tx: &mut Transaction<'_>,
    s: &Strategy,
    file: &str,
    stamp: &Stamp,
) -> Result<(), postgres::Error> {
    let local = tx.query(
        "SELECT model_id, node_id, target_id, note FROM strategy_links
         WHERE strategy_id = $1 AND basis = 'local' ORDER BY position",
        &[&s.id],
    )?;
    tx.execute("DELETE FROM strategies WHERE id = $1 AND bundled", &[&s.id])?;
    insert_strategy(tx, s, true, file, stamp)?;
    for r in local {
        let target: String = r.get(2);
        if s.node(&target).is_none() {
            continue;
        }
        let (model, node, note): (String, String, Option<String>) = (r.get(0), r.get(1), r.get(3));
        tx.execute(
            "INSERT INTO strategy_links (strategy_id, model_id, node_id, target_id, basis, note, position)
             VALUES ($1, $2, $3, $4, 'local', $5, (SELECT coalesce(max(position), 0) + 1 FROM strategy_links WHERE strategy_id = $1))
             ON CONFLICT DO NOTHING",
            &[&s.id, &model, &node, &target, &note],
        )?;
    }
    Ok(())
}

impl PgStore {
    /// Runs `f` in one write transaction: committed when it succeeds, rolled back otherwise.
    fn strategy_write<T>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        let out = f(&mut tx).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }
}

impl Strategies for PgStore {
    fn strategy_records(&self) -> Result<Vec<StrategyRecord>> {
        let found = rows(
            self,
            "SELECT s.id, s.region, s.name, s.model_id, s.bundled, s.hash,
                    (SELECT count(*) FROM strategy_nodes n WHERE n.strategy_id = s.id AND n.kind = 'action_plan'),
                    (SELECT count(*) FROM strategy_links l WHERE l.strategy_id = s.id)
             FROM strategies s ORDER BY s.region COLLATE \"C\", s.name COLLATE \"C\"",
            &[],
        )?;
        Ok(found
            .iter()
            .map(|r| StrategyRecord {
                id: r.get(0),
                region: r.get(1),
                name: r.get(2),
                model: r.get(3),
                bundled: r.get(4),
                hash: r.get(5),
                action_plans: r.get::<_, i64>(6) as usize,
                links: r.get::<_, i64>(7) as usize,
            })
            .collect())
    }

    fn strategy(&self, id: &str) -> Result<Strategy> {
        let head = rows(
            self,
            "SELECT id, region, name, adopted, period, vision, mission, model_id, source FROM strategies WHERE id = $1",
            &[&id],
        )?;
        let r = head
            .first()
            .ok_or_else(|| Error::UnknownStrategy(id.to_string()))?;
        let mut s = Strategy {
            format: strategy::STRATEGY_FORMAT.to_string(),
            id: r.get(0),
            region: r.get(1),
            name: r.get(2),
            adopted: r.get::<_, Option<String>>(3).and_then(|d| d.parse().ok()),
            period: r.get(4),
            vision: r.get(5),
            mission: r.get(6),
            model: r.get(7),
            source: r.get(8),
            themes: Vec::new(),
            links: Vec::new(),
            model_links: Vec::new(),
        };
        let nodes = rows(
            self,
            "SELECT id, kind, text, note, source FROM strategy_nodes WHERE strategy_id = $1 ORDER BY position",
            &[&id],
        )?;
        for r in &nodes {
            let (nid, kind, text): (String, &str, String) = (r.get(0), r.get(1), r.get(2));
            match kind {
                "theme" => s.themes.push(StrategyTheme {
                    id: nid,
                    title: text,
                    note: r.get(3),
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
                            source: r.get(4),
                        });
                    }
                }
            }
        }
        let links = rows(
            self,
            "SELECT model_id, node_id, target_id, basis, note FROM strategy_links WHERE strategy_id = $1 ORDER BY position",
            &[&id],
        )?;
        // '' is the strategy's own model; the other groups keep the order of their first link
        for r in &links {
            let model: String = r.get(0);
            let link = Link {
                node: r.get(1),
                target: r.get(2),
                basis: basis_from(r.get(3)),
                note: r.get(4),
            };
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

    fn import_strategy(&mut self, s: &Strategy, file: &str, stamp: &Stamp) -> Result<bool> {
        self.strategy_write(|tx| {
            let replaced = tx.execute("DELETE FROM strategies WHERE id = $1", &[&s.id])? > 0;
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
            )?;
            Ok(replaced)
        })
    }

    fn add_link(&mut self, strategy_id: &str, link: &Link, stamp: &Stamp) -> Result<()> {
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
        self.strategy_write(|tx| {
            tx.execute(
                "INSERT INTO strategy_links (strategy_id, node_id, target_id, basis, note, position)
                 VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(position), 0) + 1 FROM strategy_links WHERE strategy_id = $1))",
                &[&s.id, &link.node, &link.target, &basis_str(link.basis), &link.note],
            )?;
            audit(
                tx,
                stamp,
                "strategy.link.add",
                None,
                None,
                Some(&s.id),
                None,
                Some(&format!("{} → {}", link.node, link.target)),
            )
        })
    }

    fn remove_link(
        &mut self,
        strategy_id: &str,
        node: &str,
        target: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let s = self.strategy(strategy_id)?;
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        let n = tx
            .execute(
                "DELETE FROM strategy_links WHERE strategy_id = $1 AND model_id = '' AND node_id = $2 AND target_id = $3",
                &[&s.id, &node, &target],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(Error::BadLink {
                strategy: s.id.clone(),
                detail: format!("{node} → {target} is not linked"),
            });
        }
        audit(
            &mut tx,
            stamp,
            "strategy.link.remove",
            None,
            None,
            Some(&s.id),
            Some(&format!("{node} → {target}")),
            None,
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    fn strategies_for(
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
}
