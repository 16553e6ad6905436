//! Model versions beyond the bundled ones: a draft moved to a version of its model with
//! another theme score rule, and a region's mapping between two versions of a framework.

use super::audit::audit;
use super::{Stamp, Store};
use crate::error::{Error, Result};
use crate::model::{ModelMapping, QualityModel};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Moves draft `assessment` to `model`, a version of its model with the same node ids
    /// (stored, inactive, where the database does not hold it yet), logged with the old and
    /// the new version. A finalised assessment is refused: its numbers never change.
    pub fn move_draft_to_version(
        &mut self,
        assessment: i64,
        model: &QualityModel,
        file: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let hash = model.content_hash();
        let json = serde_json::to_string(model).expect("serializes");
        let at = stamp.at();
        self.write(|tx| {
            let row: Option<(String, i64, String)> = tx
                .query_row(
                    "SELECT status, facility_id, model_hash FROM assessments WHERE id = ?1",
                    [assessment],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((status, facility, old)) = row else {
                return Err(Error::UnknownAssessment(assessment.to_string()));
            };
            if status != "draft" {
                return Err(Error::Finalised(assessment));
            }
            tx.execute(
                "INSERT OR IGNORE INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
                 VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, ?6)",
                params![hash, model.id, json, file, stamp.by, at],
            )?;
            tx.execute(
                "UPDATE assessments SET model_hash = ?2 WHERE id = ?1 AND status = 'draft'",
                params![assessment, hash],
            )?;
            audit(
                tx,
                stamp,
                "assessment.rule",
                Some(facility),
                Some(assessment),
                Some(model.theme_score().name()),
                Some(&old),
                Some(&hash),
                None,
            )?;
            Ok(())
        })
    }

    /// Stores a mapping between two model versions (checked against the active models
    /// first), replacing one between the same two; logged.
    pub fn import_mapping(
        &mut self,
        file: &str,
        json: &str,
        stamp: &Stamp,
    ) -> Result<ModelMapping> {
        let models: Vec<QualityModel> = self
            .active_models()?
            .iter()
            .map(|m| (**m).clone())
            .collect();
        let mapping = ModelMapping::parse(file, json, &models)?;
        let text = serde_json::to_string(&mapping).expect("serializes");
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO model_mappings (from_model, to_model, json) VALUES (?1, ?2, ?3)",
                params![mapping.from, mapping.to, text],
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
                None,
            )?;
            Ok(())
        })?;
        Ok(mapping)
    }
}
