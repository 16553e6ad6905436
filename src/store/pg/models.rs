//! Model versions on the server: `store::backend::ModelVersions` for `PgStore`, with
//! SQLite's rules (`store/models.rs`, `versions.rs`, `tui_reads.rs`): the loading of the
//! bundled models, mappings and strategies on connect, a cache of parsed models by hash,
//! a region's own copy of a model, and the mappings between versions.

use super::PgStore;
use super::audit::audit;
use super::strategies::{refresh_bundled_strategy, strategy_current};
use crate::error::{Error, Result};
use crate::model::{self, ApplicabilityTag, ModelMapping, QualityModel};
use crate::store::backend::ModelVersions;
use crate::store::bundled_seen::{BundledSeen, KEY as MEMO_KEY};
use crate::store::{ModelRecord, Stamp};
use crate::strategy;
use postgres::Transaction;
use postgres::types::ToSql;
use std::rc::Rc;

/// The rows of a read (the borrow of the connection ends with it).
pub(super) fn rows(
    s: &PgStore,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<postgres::Row>> {
    s.client
        .borrow_mut()
        .query(sql, params)
        .map_err(|e| s.err(e))
}

fn json_of<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::definition("models", "$", e.to_string()))
}

/// Whether the database holds every bundled model version (the earlier ones too) and
/// every bundled strategy as this program bundles it: then a connection has nothing to
/// load (and need not queue for the schema lock).
pub(super) fn bundled_current(tx: &mut Transaction<'_>) -> Result<bool, LoadError> {
    // the memo of the last full check, as SQLite's store keeps it (`store/bundled_seen.rs`)
    if memo_holds(tx)? {
        return Ok(true);
    }
    let models = model::bundled_models();
    let mut hashes: Vec<String> = models.iter().map(QualityModel::content_hash).collect();
    hashes.extend(
        model::earlier_bundled_models()
            .iter()
            .map(|(_, h)| h.to_string()),
    );
    let known: i64 = tx
        .query_one(
            "SELECT count(*) FROM models WHERE hash = ANY($1)",
            &[&hashes],
        )?
        .get(0);
    if known != hashes.len() as i64 {
        return Ok(false);
    }
    let strategies = strategy::bundled_strategies(&models);
    for s in &strategies {
        if !strategy_current(tx, s)? {
            return Ok(false);
        }
    }
    // a memo only, in a savepoint: a role that may not write settings (a facility's
    // leader) leaves it to the next connection that may
    let memo = BundledSeen::of(&hashes, &strategies).to_memo();
    let mut sp = tx.transaction()?;
    let kept = sp.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&MEMO_KEY, &memo],
    );
    if kept.is_ok() {
        sp.commit()?;
    }
    Ok(true)
}

/// Whether the memo of the last full check names this program's bundled definitions, and
/// every model version and strategy it names is on the server as it was found.
fn memo_holds(tx: &mut Transaction<'_>) -> Result<bool, postgres::Error> {
    let Some(row) = tx.query_opt("SELECT value FROM settings WHERE key = $1", &[&MEMO_KEY])? else {
        return Ok(false);
    };
    let Some(seen) = BundledSeen::from_memo(row.get(0)) else {
        return Ok(false);
    };
    let (ids, hashes): (Vec<String>, Vec<String>) = seen.strategies.iter().cloned().unzip();
    let holds = tx.query_one(
        "SELECT (SELECT count(DISTINCT hash) FROM models WHERE hash = ANY($1)) = cardinality($1::text[])
            AND (SELECT count(*) FROM strategies s
                   JOIN unnest($2::text[], $3::text[]) AS j(id, hash) ON s.id = j.id
                  WHERE NOT s.bundled OR s.hash = j.hash) = cardinality($2::text[])",
        &[&seen.models, &ids, &hashes],
    )?;
    Ok(holds.get(0))
}

/// Loads the bundled models, mappings and strategies the database does not hold yet, in
/// the connection's first transaction (`migrate`'s, under its lock). A bundled model
/// becomes the active version unless a region's own copy is active; earlier bundled
/// versions are stored inactive, so what was made with them keeps its model.
pub(super) fn load_bundled(tx: &mut Transaction<'_>, stamp: &Stamp) -> Result<bool, LoadError> {
    if bundled_current(tx)? {
        return Ok(false);
    }
    let models = model::bundled_models();
    let earlier = model::earlier_bundled_models();
    let mut hashes: Vec<String> = models.iter().map(QualityModel::content_hash).collect();
    hashes.extend(earlier.iter().map(|(_, h)| h.to_string()));
    let strategies = strategy::bundled_strategies(&models);
    let at = stamp.at();
    for ((m, hash), (file, _)) in earlier.iter().zip(model::BUNDLED_MODELS) {
        tx.execute(
            "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
             VALUES ($1, $2, $3, true, false, $4, $5, $6) ON CONFLICT DO NOTHING",
            &[hash, &m.id, &json_of(m)?, file, &stamp.by, &at],
        )?;
    }
    for ((m, hash), (file, _)) in models.iter().zip(&hashes).zip(model::BUNDLED_MODELS) {
        if tx
            .query_opt("SELECT 1 FROM models WHERE hash = $1", &[hash])?
            .is_some()
        {
            continue;
        }
        let own_copy_active = tx
            .query_opt(
                "SELECT 1 FROM models WHERE id = $1 AND active AND NOT bundled",
                &[&m.id],
            )?
            .is_some();
        if !own_copy_active {
            tx.execute("UPDATE models SET active = false WHERE id = $1", &[&m.id])?;
        }
        insert_model(tx, m, hash, true, !own_copy_active, file, stamp)?;
    }
    for mapping in model::bundled_mappings(&models) {
        tx.execute(
            "INSERT INTO model_mappings (from_model, to_model, json) VALUES ($1, $2, $3)
             ON CONFLICT (from_model, to_model) DO UPDATE SET json = excluded.json",
            &[&mapping.from, &mapping.to, &json_of(&mapping)?],
        )?;
    }
    for (s, (file, _)) in strategies.iter().zip(strategy::BUNDLED_STRATEGIES) {
        if !strategy_current(tx, s)? {
            refresh_bundled_strategy(tx, s, file, stamp)?;
        }
    }
    Ok(true)
}

/// Why loading the bundled definitions failed: the server, or a text that did not serialize.
pub(super) enum LoadError {
    Server(postgres::Error),
    Other(Error),
}

impl From<postgres::Error> for LoadError {
    fn from(e: postgres::Error) -> Self {
        LoadError::Server(e)
    }
}

impl From<Error> for LoadError {
    fn from(e: Error) -> Self {
        LoadError::Other(e)
    }
}

impl PgStore {
    /// A failure of `load_bundled` as the user's error.
    pub(super) fn load_error(&self, e: LoadError) -> Error {
        match e {
            LoadError::Server(e) => self.err(e),
            LoadError::Other(e) => e,
        }
    }

    /// The framework of the model with this id (its active version, else any version);
    /// `None` for an id the database does not hold.
    pub(super) fn framework_of_model(&self, id: &str) -> Result<Option<String>> {
        let found = rows(
            self,
            "SELECT hash FROM models WHERE id = $1 ORDER BY active DESC, loaded_at COLLATE \"C\" DESC LIMIT 1",
            &[&id],
        )?;
        found
            .first()
            .map(|r| Ok(self.model_by_hash(r.get(0))?.framework().to_string()))
            .transpose()
    }

    /// The mapping stored from `from` to `to` (this direction only).
    fn mapping(&self, from: &str, to: &str) -> Result<Option<ModelMapping>> {
        let found = rows(
            self,
            "SELECT json FROM model_mappings WHERE from_model = $1 AND to_model = $2",
            &[&from, &to],
        )?;
        found
            .first()
            .map(|r| {
                serde_json::from_str(r.get(0))
                    .map_err(|e| Error::definition("model_mappings", "$", e.to_string()))
            })
            .transpose()
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_model(
    tx: &mut Transaction<'_>,
    m: &QualityModel,
    hash: &str,
    bundled: bool,
    active: bool,
    file: &str,
    stamp: &Stamp,
) -> Result<(), LoadError> {
    tx.execute(
        "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &hash,
            &m.id,
            &json_of(m)?,
            &bundled,
            &active,
            &file,
            &stamp.by,
            &stamp.at(),
        ],
    )?;
    Ok(())
}

impl ModelVersions for PgStore {
    fn active_model(&self, id: &str) -> Result<Rc<QualityModel>> {
        let found = rows(
            self,
            "SELECT hash FROM models WHERE id = $1 AND active",
            &[&id],
        )?;
        let hash: &str = found
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::UnknownModel(id.to_string()))?;
        self.model_by_hash(hash)
    }

    fn active_models(&self) -> Result<Vec<Rc<QualityModel>>> {
        let found = rows(
            self,
            "SELECT hash FROM models WHERE active ORDER BY id COLLATE \"C\"",
            &[],
        )?;
        found.iter().map(|r| self.model_by_hash(r.get(0))).collect()
    }

    fn model_by_hash(&self, hash: &str) -> Result<Rc<QualityModel>> {
        if let Some(m) = self.models.borrow().get(hash) {
            return Ok(m.clone());
        }
        let found = rows(self, "SELECT json FROM models WHERE hash = $1", &[&hash])?;
        let json: &str = found
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::UnknownModel(hash.to_string()))?;
        let model = Rc::new(QualityModel::parse(
            &format!("{}: models[{hash}]", self.server),
            json,
        )?);
        self.models
            .borrow_mut()
            .insert(hash.to_string(), model.clone());
        Ok(model)
    }

    fn model_for_year(&self, year: i32) -> Result<Rc<QualityModel>> {
        self.framework_model_for_year(year, model::DEFAULT_FRAMEWORK)
    }

    fn framework_model_for_year(&self, year: i32, framework: &str) -> Result<Rc<QualityModel>> {
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

    fn models_for_year(&self, year: i32) -> Result<Vec<Rc<QualityModel>>> {
        let (Some(first), Some(last)) = (
            chrono::NaiveDate::from_ymd_opt(year, 1, 1),
            chrono::NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Ok(Vec::new());
        };
        let default = self.model_for_year(year).ok().map(|m| m.content_hash());
        let mut list: Vec<Rc<QualityModel>> = self
            .active_models()?
            .into_iter()
            .filter(|m| {
                m.in_force
                    .as_ref()
                    .is_some_and(|p| p.from <= last && p.to.is_none_or(|to| first <= to))
            })
            .collect();
        list.sort_by_key(|m| Some(m.content_hash()) != default);
        Ok(list)
    }

    fn model_records(&self) -> Result<Vec<ModelRecord>> {
        let found = rows(
            self,
            "SELECT hash, bundled, active, source_file, loaded_at FROM models
             ORDER BY id COLLATE \"C\", active DESC, loaded_at COLLATE \"C\" DESC",
            &[],
        )?;
        found
            .iter()
            .map(|r| {
                let hash: String = r.get(0);
                let m = self.model_by_hash(&hash)?;
                Ok(ModelRecord {
                    id: m.id.clone(),
                    name: m.name.da.clone(),
                    indicators: m.indicators().count(),
                    wording: m.wording_counts(),
                    hash,
                    bundled: r.get(1),
                    active: r.get(2),
                    source_file: r.get(3),
                    loaded_at: r.get(4),
                })
            })
            .collect()
    }

    fn framework_of_hash(&self, hash: &str) -> Result<String> {
        Ok(self.model_by_hash(hash)?.framework().to_string())
    }

    fn tag_choices(&self) -> Result<Vec<ApplicabilityTag>> {
        let mut tags: Vec<ApplicabilityTag> = Vec::new();
        for m in self.active_models()? {
            for t in &m.tags {
                if !tags.iter().any(|k| k.id == t.id) {
                    tags.push(t.clone());
                }
            }
        }
        Ok(tags)
    }

    fn import_model(&mut self, model: &QualityModel, file: &str, stamp: &Stamp) -> Result<bool> {
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
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        let write = |tx: &mut Transaction<'_>| -> Result<bool, LoadError> {
            let known = tx
                .query_opt("SELECT 1 FROM models WHERE hash = $1", &[&hash])?
                .is_some();
            tx.execute(
                "UPDATE models SET active = false WHERE id = $1",
                &[&model.id],
            )?;
            if known {
                tx.execute("UPDATE models SET active = true WHERE hash = $1", &[&hash])?;
            } else {
                insert_model(tx, model, &hash, false, true, file, stamp)?;
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
            )?;
            Ok(!known)
        };
        let new = write(&mut tx).map_err(|e| self.load_error(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(new)
    }

    fn import_mapping(&mut self, file: &str, json: &str, stamp: &Stamp) -> Result<ModelMapping> {
        let models: Vec<QualityModel> = self
            .active_models()?
            .iter()
            .map(|m| (**m).clone())
            .collect();
        let mapping = ModelMapping::parse(file, json, &models)?;
        let text = json_of(&mapping)?;
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        let write = |tx: &mut Transaction<'_>| -> Result<(), postgres::Error> {
            tx.execute(
                "INSERT INTO model_mappings (from_model, to_model, json) VALUES ($1, $2, $3)
                 ON CONFLICT (from_model, to_model) DO UPDATE SET json = excluded.json",
                &[&mapping.from, &mapping.to, &text],
            )?;
            audit(
                tx,
                stamp,
                "mapping.import",
                None,
                None,
                Some(&format!("{} -> {}", mapping.from, mapping.to)),
                None,
                Some(file),
            )
        };
        write(&mut tx).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(mapping)
    }

    fn mapping_between(&self, a: &str, b: &str) -> Result<Option<ModelMapping>> {
        match self.mapping(a, b)? {
            Some(m) => Ok(Some(m)),
            None => self.mapping(b, a),
        }
    }
}
