//! Quality models, mappings and strategies in the database.

use super::{Stamp, Store};
use crate::error::{Error, Result};
use crate::model::{self, ModelMapping, QualityModel};
use crate::strategy::{self, ActionPlan, Basis, FocusArea, Link, Strategy, StrategyTheme};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::rc::Rc;

/// A model version as the database holds it.
#[derive(Debug, Clone, Serialize)]
pub struct ModelRecord {
    pub id: String,
    pub hash: String,
    pub name: String,
    pub bundled: bool,
    /// The version new assessments use.
    pub active: bool,
    pub source_file: String,
    pub loaded_at: String,
    pub indicators: usize,
    /// Texts by provenance: confirmed, gist, reconstructed.
    pub wording: [usize; 3],
}

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
    /// Loads the bundled models, mappings and strategies the database does not hold yet.
    /// A bundled model becomes the active version unless a region's own copy is active.
    pub(super) fn load_bundled(&self, stamp: &Stamp) -> Result<()> {
        let models = model::bundled_models();
        let hashes: Vec<String> = models.iter().map(QualityModel::content_hash).collect();
        let known: i64 = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT count(*) FROM models WHERE hash = ?1")
                .map_err(|e| self.err(e))?;
            let mut n = 0;
            for h in &hashes {
                n += stmt
                    .query_row([h], |r| r.get::<_, i64>(0))
                    .map_err(|e| self.err(e))?;
            }
            n
        };
        let strategies = strategy::bundled_strategies(&models);
        let strategies_known = strategies
            .iter()
            .map(|s| self.strategy_exists(&s.id))
            .collect::<Result<Vec<bool>>>()?;
        if known == hashes.len() as i64 && strategies_known.iter().all(|k| *k) {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let at = stamp.at();
        for ((m, hash), (file, _)) in models.iter().zip(&hashes).zip(model::BUNDLED_MODELS) {
            let exists: bool = tx
                .query_row("SELECT 1 FROM models WHERE hash = ?1", [hash], |_| Ok(true))
                .optional()
                .map_err(|e| self.err(e))?
                .unwrap_or(false);
            if exists {
                continue;
            }
            let own_copy_active: bool = tx
                .query_row(
                    "SELECT 1 FROM models WHERE id = ?1 AND active = 1 AND bundled = 0",
                    [&m.id],
                    |_| Ok(true),
                )
                .optional()
                .map_err(|e| self.err(e))?
                .unwrap_or(false);
            if !own_copy_active {
                tx.execute("UPDATE models SET active = 0 WHERE id = ?1", [&m.id])
                    .map_err(|e| self.err(e))?;
            }
            insert_model(&tx, m, hash, true, !own_copy_active, file, stamp, &at)
                .map_err(|e| self.err(e))?;
        }
        for mapping in model::bundled_mappings(&models) {
            tx.execute(
                "INSERT OR REPLACE INTO model_mappings (from_model, to_model, json) VALUES (?1, ?2, ?3)",
                params![mapping.from, mapping.to, serde_json::to_string(&mapping).expect("serializes")],
            )
            .map_err(|e| self.err(e))?;
        }
        for ((s, known), (file, _)) in strategies
            .iter()
            .zip(strategies_known)
            .zip(strategy::BUNDLED_STRATEGIES)
        {
            if !known {
                insert_strategy(&tx, s, true, file, stamp).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Every model version the database holds, active ones first within each id.
    pub fn model_records(&self) -> Result<Vec<ModelRecord>> {
        let mut stmt = self
            .conn
            .prepare("SELECT hash, bundled, active, source_file, loaded_at FROM models ORDER BY id, active DESC, loaded_at DESC")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<(String, bool, bool, String, String)>>>()
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(hash, bundled, active, source_file, loaded_at)| {
                let m = self.model_by_hash(&hash)?;
                Ok(ModelRecord {
                    id: m.id.clone(),
                    name: m.name.da.clone(),
                    indicators: m.indicators().count(),
                    wording: m.wording_counts(),
                    hash,
                    bundled,
                    active,
                    source_file,
                    loaded_at,
                })
            })
            .collect()
    }

    /// The model version with this content hash (every assessment names one).
    pub fn model_by_hash(&self, hash: &str) -> Result<Rc<QualityModel>> {
        if let Some(m) = self.models.borrow().get(hash) {
            return Ok(m.clone());
        }
        let json: String = self
            .conn
            .query_row("SELECT json FROM models WHERE hash = ?1", [hash], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::UnknownModel(hash.to_string()))?;
        let model = Rc::new(QualityModel::parse(
            &format!("{}: models[{hash}]", self.path.display()),
            &json,
        )?);
        self.models
            .borrow_mut()
            .insert(hash.to_string(), model.clone());
        Ok(model)
    }

    /// The active version of the model with this id (the one new assessments use).
    pub fn active_model(&self, id: &str) -> Result<Rc<QualityModel>> {
        let hash: String = self
            .conn
            .query_row(
                "SELECT hash FROM models WHERE id = ?1 AND active = 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::UnknownModel(id.to_string()))?;
        self.model_by_hash(&hash)
    }

    /// The active versions of every model.
    pub fn active_models(&self) -> Result<Vec<Rc<QualityModel>>> {
        let hashes = self.strings("SELECT hash FROM models WHERE active = 1 ORDER BY id")?;
        hashes.iter().map(|h| self.model_by_hash(h)).collect()
    }

    /// The active model that was in force on 1 January of `year`.
    pub fn model_for_year(&self, year: i32) -> Result<Rc<QualityModel>> {
        self.active_models()?
            .into_iter()
            .filter(|m| m.in_force_in(year))
            .max_by_key(|m| m.in_force.as_ref().map(|p| p.from))
            .ok_or(Error::NoModelForYear(year))
    }

    /// Imports a region's own copy of a model. A copy of a model id the database knows
    /// must keep its structure (the same ids), since assessments, mappings and strategy
    /// links name them; it becomes the active version. Returns whether it was new.
    pub fn import_model(
        &mut self,
        model: &QualityModel,
        file: &str,
        stamp: &Stamp,
    ) -> Result<bool> {
        let hash = model.content_hash();
        if let Ok(existing) = self.active_model(&model.id) {
            let old: Vec<&str> = existing.node_ids().collect();
            let new: Vec<&str> = model.node_ids().collect();
            if old != new {
                let detail = match (
                    old.iter().find(|i| !new.contains(i)),
                    new.iter().find(|i| !old.contains(i)),
                ) {
                    (Some(gone), _) => format!("{gone} is missing"),
                    (None, Some(added)) => format!("{added} is new"),
                    (None, None) => "the order differs".to_string(),
                };
                return Err(Error::ModelStructureChanged {
                    file: file.to_string(),
                    id: model.id.clone(),
                    detail,
                });
            }
        }
        let at = stamp.at();
        self.write(|tx| {
            let known: bool = tx
                .query_row("SELECT 1 FROM models WHERE hash = ?1", [&hash], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            tx.execute("UPDATE models SET active = 0 WHERE id = ?1", [&model.id])?;
            if known {
                tx.execute("UPDATE models SET active = 1 WHERE hash = ?1", [&hash])?;
            } else {
                insert_model(tx, model, &hash, false, true, file, stamp, &at)?;
            }
            audit(
                tx,
                stamp,
                "model.import",
                None,
                None,
                Some(&model.id),
                None,
                Some(&hash),
                None,
            )?;
            Ok(!known)
        })
    }

    /// The mapping between two model ids, in either direction as stored.
    pub fn mapping(&self, from: &str, to: &str) -> Result<Option<ModelMapping>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM model_mappings WHERE from_model = ?1 AND to_model = ?2",
                [from, to],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| Error::definition("model_mappings", "$", e.to_string()))
        })
        .transpose()
    }

    fn strategy_exists(&self, id: &str) -> Result<bool> {
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

    pub(super) fn strings(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        stmt.query_map([], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_model(
    tx: &Transaction<'_>,
    m: &QualityModel,
    hash: &str,
    bundled: bool,
    active: bool,
    file: &str,
    stamp: &Stamp,
    at: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            hash,
            m.id,
            serde_json::to_string(m).expect("serializes"),
            bundled,
            active,
            file,
            stamp.by,
            at
        ],
    )?;
    Ok(())
}

fn insert_strategy(
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

/// Writes one row of the audit log.
#[allow(clippy::too_many_arguments)]
pub(super) fn audit(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    action: &str,
    facility: Option<i64>,
    assessment: Option<i64>,
    subject: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
    reason: Option<&str>,
) -> rusqlite::Result<()> {
    super::audit::append(
        tx,
        crate::integrity::AuditFields {
            id: 0,
            at: &stamp.at(),
            by: &stamp.by,
            action,
            facility_id: facility,
            assessment_id: assessment,
            subject,
            old_value: old,
            new_value: new,
            reason,
        },
    )
}
