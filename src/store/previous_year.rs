//! The previous year seen from a later one: the facility's latest earlier assessment,
//! its scores mapped to the later model version, and its improvement actions.

use super::assessments::COLUMNS;
use super::{AssessmentRecord, Store};
use crate::assessment::{self, Score, ScoreValue};
use crate::error::Result;
use crate::model::QualityModel;
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

/// The facility's assessment of an earlier year, seen from a later one: its scores and
/// its improvement actions, keyed by the later assessment's indicator ids.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousYear {
    pub record: AssessmentRecord,
    pub scores: HashMap<String, Score>,
    pub actions: Vec<crate::assessment::ImprovementAction>,
}

impl PreviousYear {
    /// What became of last year's gaps (none where there was no last year).
    pub fn follow_up(
        previous: Option<&PreviousYear>,
        model: &QualityModel,
        scores: &[Score],
        rules: &crate::assessment::GapRules,
    ) -> Vec<crate::assessment::FollowUp> {
        let last: Vec<(&str, ScoreValue)> = previous
            .iter()
            .flat_map(|p| p.scores.iter().map(|(id, s)| (id.as_str(), s.value)))
            .collect();
        assessment::follow_up(model, &last, scores, rules)
    }
}

impl Store {
    /// The facility's latest assessment before `year`, with its scores and improvement
    /// actions keyed by the indicator ids of `model` (through the mapping where the
    /// versions differ).
    pub fn previous_year(
        &self,
        facility_id: i64,
        year: i32,
        model: &QualityModel,
    ) -> Result<Option<PreviousYear>> {
        let Some((record, scores)) = self.previous_scores(facility_id, year, model)? else {
            return Ok(None);
        };
        let prev_model = self.model_by_hash(&record.model_hash)?;
        let mapping = self.mapping_between(&prev_model.id, &model.id)?;
        let mut actions = self.actions(&super::ActionFilter {
            assessment: Some(record.id),
            facility: None,
        })?;
        for a in &mut actions {
            a.indicators = a
                .indicators
                .iter()
                .filter_map(|i| {
                    assessment::translate_id(&prev_model.id, model, mapping.as_ref(), i)
                })
                .collect();
        }
        Ok(Some(PreviousYear {
            record,
            scores,
            actions,
        }))
    }

    /// The facility's latest assessment before `year`, with its scores keyed by the
    /// indicator ids of `model` (through the mapping where the versions differ).
    pub fn previous_scores(
        &self,
        facility_id: i64,
        year: i32,
        model: &QualityModel,
    ) -> Result<Option<(AssessmentRecord, HashMap<String, Score>)>> {
        // last year's assessment on the same framework: a safety self-evaluation rolls
        // forward from the last one, never from a quality-model assessment
        let same_framework =
            serde_json::to_string(&self.framework_hashes(model.framework())?).expect("serializes");
        let prev = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                     WHERE a.facility_id = ?1 AND a.year < ?2 AND a.model_hash IN (SELECT value FROM json_each(?3))
                     ORDER BY a.year DESC, a.id DESC LIMIT 1"
                ),
                params![facility_id, year, same_framework],
                AssessmentRecord::from_row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(prev) = prev else {
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
