//! Reads the terminal program needs beyond the others: whether the database holds demo
//! data, and which active models apply to a year.

use super::Store;
use crate::error::Result;
use crate::model::QualityModel;
use rusqlite::OptionalExtension;
use std::rc::Rc;

impl Store {
    /// Whether this database was made by `tilsynsklar demo` (or the program's `d`): its
    /// file name is the demo database's, or its audit log names the demo generator.
    pub fn is_demo(&self) -> Result<bool> {
        if self
            .path()
            .file_name()
            .is_some_and(|n| n == "tilsynsklar-demo.db")
        {
            return Ok(true);
        }
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM audit_log WHERE by = 'demo' AND action = 'assessment.start' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(found.is_some())
    }

    /// The applicability tags the active models define, each once, with what it means.
    pub fn tag_choices(&self) -> Result<Vec<crate::model::ApplicabilityTag>> {
        let mut tags: Vec<crate::model::ApplicabilityTag> = Vec::new();
        for m in self.active_models()? {
            for t in &m.tags {
                if !tags.iter().any(|k| k.id == t.id) {
                    tags.push(t.clone());
                }
            }
        }
        Ok(tags)
    }

    /// The active models in force on some day of `year`; the one `model_for_year` picks
    /// first.
    pub fn models_for_year(&self, year: i32) -> Result<Vec<Rc<QualityModel>>> {
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
}
