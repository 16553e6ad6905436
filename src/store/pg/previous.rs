//! The previous year on the server, as SQLite's `store/previous_year.rs` reads it for a
//! roll-forward: the facility's latest earlier assessment of the same framework, its
//! scores mapped to the later model version.

use super::PgStore;
use super::rows::{COLUMNS, record_from_row};
use crate::assessment::{self, Score};
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::AssessmentRecord;
use crate::store::backend::{ModelVersions, Scores};
use std::collections::HashMap;

impl PgStore {
    /// The content hashes of every model version of `framework` the database holds.
    pub(super) fn framework_hashes(&self, framework: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for r in self.rows("SELECT hash FROM models ORDER BY hash COLLATE \"C\"", &[])? {
            let hash: String = r.get(0);
            if self.model_by_hash(&hash)?.framework() == framework {
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
        let prev_model = self.model_by_hash(&prev.model_hash)?;
        let scores = self.scores(prev.id)?;
        let mapping = self.mapping_between(&prev_model.id, &model.id)?;
        let mapped = assessment::map_scores(&prev_model, &scores, model, mapping.as_ref())
            .into_iter()
            .map(|(id, s)| (id, s.clone()))
            .collect();
        Ok(Some((prev, mapped)))
    }
}
