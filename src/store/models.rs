//! Quality models and the mappings between their versions in the database, and the
//! loading of the bundled models and strategies on first use.

use super::audit::audit;
use super::bundled_seen::BundledSeen;
use super::strategies::refresh_bundled_strategy;
use super::{Stamp, Store};
use crate::error::{Error, Result};
use crate::model::{self, ModelMapping, QualityModel};
use crate::strategy;
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

impl Store {
    /// Loads the bundled models, mappings and strategies the database does not hold yet.
    /// A bundled model becomes the active version unless a region's own copy is active.
    pub(super) fn load_bundled(&self, stamp: &Stamp) -> Result<()> {
        // most starts: the last full check of this database found this program's
        // definitions, and they are still there (no parsing, one query)
        if self.bundled_seen().unwrap_or(false) {
            return Ok(());
        }
        let seen = self.load_bundled_in_full(stamp)?;
        self.remember_bundled(&seen);
        Ok(())
    }

    /// The full check and load of the bundled definitions; what it found, for the memo.
    fn load_bundled_in_full(&self, stamp: &Stamp) -> Result<BundledSeen> {
        let models = model::bundled_models();
        let earlier = model::earlier_bundled_models();
        let mut hashes: Vec<String> = models.iter().map(QualityModel::content_hash).collect();
        hashes.extend(earlier.iter().map(|(_, h)| h.to_string()));
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
            .map(|s| self.strategy_current(s))
            .collect::<Result<Vec<bool>>>()?;
        let seen = BundledSeen::of(&hashes, &strategies);
        if known == hashes.len() as i64 && strategies_known.iter().all(|k| *k) {
            return Ok(seen);
        }
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let at = stamp.at();
        // earlier bundled versions, inactive, so what was made with them keeps its model
        for ((m, hash), (file, _)) in earlier.iter().zip(model::BUNDLED_MODELS) {
            tx.execute(
                "INSERT OR IGNORE INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
                 VALUES (?1, ?2, ?3, 1, 0, ?4, ?5, ?6)",
                params![hash, m.id, serde_json::to_string(m).expect("serializes"), file, stamp.by, at],
            )
            .map_err(|e| self.err(e))?;
        }
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
                refresh_bundled_strategy(&tx, s, file, stamp).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(seen)
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

    /// The framework of the model with this id (its active version, else any version);
    /// `None` for an id the database does not hold.
    pub fn framework_of_model(&self, id: &str) -> Result<Option<String>> {
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM models WHERE id = ?1 ORDER BY active DESC, loaded_at DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        hash.map(|h| Ok(self.model_by_hash(&h)?.framework().to_string()))
            .transpose()
    }

    /// The content hashes of every model version of `framework` the database holds.
    pub fn framework_hashes(&self, framework: &str) -> Result<Vec<String>> {
        let all = self.strings("SELECT hash FROM models ORDER BY hash")?;
        let mut out = Vec::new();
        for h in all {
            if self.model_by_hash(&h)?.framework() == framework {
                out.push(h);
            }
        }
        Ok(out)
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

    /// The active quality model (the default framework) in force on 1 January of `year`.
    pub fn model_for_year(&self, year: i32) -> Result<Rc<QualityModel>> {
        self.framework_model_for_year(year, model::DEFAULT_FRAMEWORK)
    }

    /// The active model of `framework` that was in force on 1 January of `year`.
    pub fn framework_model_for_year(&self, year: i32, framework: &str) -> Result<Rc<QualityModel>> {
        self.active_models()?
            .into_iter()
            .filter(|m| m.framework() == framework && m.in_force_in(year))
            .max_by_key(|m| m.in_force.as_ref().map(|p| p.from))
            .ok_or_else(|| {
                if framework == model::DEFAULT_FRAMEWORK {
                    Error::NoModelForYear(year)
                } else {
                    Error::NoFrameworkModelForYear {
                        framework: framework.to_string(),
                        year,
                    }
                }
            })
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

    /// The mapping between two model versions, in whichever direction the database
    /// holds it (a mapping is read both ways: `a → b` serves `b → a`).
    pub fn mapping_between(&self, a: &str, b: &str) -> Result<Option<ModelMapping>> {
        match self.mapping(a, b)? {
            Some(m) => Ok(Some(m)),
            None => self.mapping(b, a),
        }
    }

    /// The mapping stored from `from` to `to` (this direction only; `mapping_between`
    /// reads either).
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
