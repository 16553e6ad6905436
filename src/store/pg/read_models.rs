//! The stored model versions as the server's reads need them (SQLite's `store/models.rs`
//! and `compare_rows.rs`' frame): a version by hash, the active one of an id, the
//! mappings, the frameworks, the frame of a comparison.

use super::PgStore;
use crate::error::{Error, Result};
use crate::model::{ModelMapping, QualityModel};
use std::collections::HashMap;
use std::rc::Rc;

impl PgStore {
    /// The stored model version with this hash (parsed, as SQLite's `model_by_hash`).
    pub(super) fn stored_model(&self, hash: &str) -> Result<Rc<QualityModel>> {
        let row = self
            .client
            .borrow_mut()
            .query_opt("SELECT json FROM models WHERE hash = $1", &[&hash])
            .map_err(|e| self.err(e))?;
        let json: String = row
            .ok_or_else(|| Error::UnknownModel(hash.to_string()))?
            .get(0);
        let file = format!("{}: models[{hash}]", self.path.display());
        Ok(Rc::new(QualityModel::parse(&file, &json)?))
    }

    pub(super) fn stored_hashes(&self, sql: &str) -> Result<Vec<String>> {
        let rows = self
            .client
            .borrow_mut()
            .query(sql, &[])
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(super) fn stored_active(&self, id: &str) -> Result<Rc<QualityModel>> {
        let row = self
            .client
            .borrow_mut()
            .query_opt("SELECT hash FROM models WHERE id = $1 AND active", &[&id])
            .map_err(|e| self.err(e))?;
        let hash: String = row
            .ok_or_else(|| Error::UnknownModel(id.to_string()))?
            .get(0);
        self.stored_model(&hash)
    }

    /// The mapping between two model versions, in whichever direction it is held.
    pub(super) fn stored_mapping(&self, a: &str, b: &str) -> Result<Option<ModelMapping>> {
        for (from, to) in [(a, b), (b, a)] {
            let row = self
                .client
                .borrow_mut()
                .query_opt(
                    "SELECT json FROM model_mappings WHERE from_model = $1 AND to_model = $2",
                    &[&from, &to],
                )
                .map_err(|e| self.err(e))?;
            if let Some(r) = row {
                return serde_json::from_str(r.get(0))
                    .map(Some)
                    .map_err(|e| Error::definition("model_mappings", "$", e.to_string()));
            }
        }
        Ok(None)
    }

    /// The framework of each stored model version, by hash (each parsed once per call).
    pub(super) fn frameworks_by_hash(&self) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        for h in self.stored_hashes("SELECT hash FROM models ORDER BY hash COLLATE \"C\"")? {
            let framework = self.stored_model(&h)?.framework().to_string();
            out.insert(h, framework);
        }
        Ok(out)
    }

    /// The frame model: `chosen`, or the newest active model of the framework.
    pub(super) fn frame_model(
        &self,
        chosen: Option<&str>,
        framework: &str,
    ) -> Result<Rc<QualityModel>> {
        let frame = match chosen {
            Some(id) => self.stored_active(id)?,
            None => {
                let mut all = self
                    .stored_hashes(
                        "SELECT hash FROM models WHERE active ORDER BY id COLLATE \"C\"",
                    )?
                    .iter()
                    .map(|h| self.stored_model(h))
                    .collect::<Result<Vec<_>>>()?;
                all.retain(|m| m.framework() == framework);
                all.sort_by_key(|m| m.in_force.as_ref().map(|p| p.from));
                all.pop()
                    .ok_or_else(|| Error::UnknownModel(framework.to_string()))?
            }
        };
        if frame.framework() != framework {
            return Err(Error::WrongFramework {
                model: frame.id.clone(),
                framework: frame.framework().to_string(),
                asked: framework.to_string(),
            });
        }
        Ok(frame)
    }
}
