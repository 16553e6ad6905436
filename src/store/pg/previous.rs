//! The previous year on the server, as SQLite's `store/previous_year.rs` reads it for a
//! roll-forward: the facility's latest earlier assessment of the same framework, its
//! scores mapped to the later model version; and the model reads that needs.

use super::PgStore;
use super::rows::{COLUMNS, record_from_row};
use crate::assessment::{self, Score};
use crate::error::{Error, Result};
use crate::model::{ModelMapping, QualityModel};
use crate::store::AssessmentRecord;
use crate::store::backend::Scores;
use std::collections::HashMap;
use std::rc::Rc;

impl PgStore {
    /// The model version with this content hash.
    pub(super) fn model_of(&self, hash: &str) -> Result<Rc<QualityModel>> {
        let rows = self.rows("SELECT json FROM models WHERE hash = $1", &[&hash])?;
        let json: &str = rows
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::UnknownModel(hash.to_string()))?;
        Ok(Rc::new(QualityModel::parse(
            &format!("{}: models[{hash}]", self.server),
            json,
        )?))
    }

    /// The mapping between two model versions, in whichever direction it is held.
    pub(super) fn mapping_of(&self, a: &str, b: &str) -> Result<Option<ModelMapping>> {
        let rows = self.rows(
            "SELECT json FROM model_mappings WHERE (from_model = $1 AND to_model = $2)
               OR (from_model = $2 AND to_model = $1) ORDER BY from_model = $1 DESC LIMIT 1",
            &[&a, &b],
        )?;
        rows.first()
            .map(|r| {
                serde_json::from_str(r.get(0))
                    .map_err(|e| Error::definition("model_mappings", "$", e.to_string()))
            })
            .transpose()
    }

    /// The content hashes of every model version of `framework` the database holds.
    pub(super) fn framework_hashes(&self, framework: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for r in self.rows("SELECT hash FROM models ORDER BY hash COLLATE \"C\"", &[])? {
            let hash: String = r.get(0);
            if self.model_of(&hash)?.framework() == framework {
                out.push(hash);
            }
        }
        Ok(out)
    }

    /// The facility's latest assessment before `year` on `model`'s framework, with its
    /// scores keyed by the indicator ids of `model` (through the mapping where the
    /// versions differ).
    pub(super) fn previous_scores(
        &self,
        facility_id: i64,
        year: i32,
        model: &QualityModel,
    ) -> Result<Option<(AssessmentRecord, HashMap<String, Score>)>> {
        let same_framework = self.framework_hashes(model.framework())?;
        let rows = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE a.facility_id = $1 AND a.year < $2 AND a.model_hash = ANY($3)
                 ORDER BY a.year DESC, a.id DESC LIMIT 1"
            ),
            &[&facility_id, &year, &same_framework],
        )?;
        let Some(prev) = rows.first().map(record_from_row) else {
            return Ok(None);
        };
        let prev_model = self.model_of(&prev.model_hash)?;
        let scores = self.scores(prev.id)?;
        let mapping = self.mapping_of(&prev_model.id, &model.id)?;
        let mapped = assessment::map_scores(&prev_model, &scores, model, mapping.as_ref())
            .into_iter()
            .map(|(id, s)| (id, s.clone()))
            .collect();
        Ok(Some((prev, mapped)))
    }
}
