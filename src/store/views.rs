//! Reads for the read model (`app::view`): the key of every assessment, so that the
//! application layer can decide which one is "the assessment of a facility and year", and
//! which scores are carried over.

use super::Store;
use super::actions::{ACTION_COLUMNS, ACTION_FROM, action_from_row};
use crate::assessment::{ImprovementAction, Status};
use crate::error::Result;
use std::collections::{HashMap, HashSet};

/// What tells an assessment from another of the same facility and year: its number, its
/// status, and the framework of its model (a year holds one assessment per framework).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentKey {
    pub id: i64,
    pub facility_id: i64,
    pub year: i32,
    pub status: Status,
    /// The framework of the assessment's model ("socialtilsyn", "sikkerhed", …).
    pub framework: String,
}

/// A stored status as the rule sees it: finalised, or else a draft.
pub(super) fn status_of(text: &str) -> Status {
    if text == "finalised" {
        Status::Finalised
    } else {
        Status::Draft
    }
}

impl Store {
    /// Every assessment's key, by facility, year and number.
    pub fn assessment_keys(&self) -> Result<Vec<AssessmentKey>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, facility_id, year, status, model_hash FROM assessments ORDER BY facility_id, year, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    AssessmentKey {
                        id: r.get(0)?,
                        facility_id: r.get(1)?,
                        year: r.get(2)?,
                        status: status_of(r.get_ref(3)?.as_str()?),
                        framework: String::new(),
                    },
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        // few model versions behind many assessments: each model read once
        let mut frameworks: HashMap<String, String> = HashMap::new();
        rows.into_iter()
            .map(|(mut key, hash)| {
                key.framework = match frameworks.get(&hash) {
                    Some(f) => f.clone(),
                    None => {
                        let f = self.framework_of_hash(&hash)?;
                        frameworks.insert(hash, f.clone());
                        f
                    }
                };
                Ok(key)
            })
            .collect()
    }

    /// The framework of the model version with this content hash.
    pub fn framework_of_hash(&self, hash: &str) -> Result<String> {
        Ok(self.model_by_hash(hash)?.framework().to_string())
    }

    /// The improvement actions of one assessment, in number order, found through the
    /// assessment's index (the read model of every assessment of an export asks).
    pub fn assessment_actions(&self, assessment: i64) -> Result<Vec<ImprovementAction>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.assessment_id = ?1 ORDER BY x.id"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([assessment], action_from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The indicators carried over and not re-assessed, by assessment (few rows: only a
    /// roll-forward's unconfirmed scores).
    pub fn carried_over_scores(&self) -> Result<HashMap<i64, HashSet<String>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT assessment_id, indicator_id FROM scores WHERE carried_over = 1")
            .map_err(|e| self.err(e))?;
        let mut out: HashMap<i64, HashSet<String>> = HashMap::new();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (a, i) = row.map_err(|e| self.err(e))?;
            out.entry(a).or_default().insert(i);
        }
        Ok(out)
    }
}
