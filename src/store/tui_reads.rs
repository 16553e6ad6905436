//! Reads the terminal program needs beyond the others: whether the database holds demo
//! data, which active models apply to a year, and the cheap reads its screens are built
//! from (assessments unsorted, score values without texts, one facility's keys).

use super::Store;
use crate::error::Result;
use crate::model::QualityModel;
use rusqlite::OptionalExtension;
use std::rc::Rc;

/// An assessment as a list shows it: its number, facility, year, status, model version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentBrief {
    pub id: i64,
    pub facility_id: i64,
    pub year: i32,
    pub status: crate::assessment::Status,
    pub model_hash: Rc<str>,
    pub model_id: Rc<str>,
}

/// A score's indicator, value and whether it is carried over (not re-assessed).
pub type ScoreMark = (String, crate::assessment::ScoreValue, bool);

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

    /// Every assessment as a list shows it, in no particular order (the home screen
    /// groups them by facility itself: sorting 30,000 rows by name in SQL, and reading
    /// every column of them, costs more than the whole first frame may). The model
    /// versions' hashes are shared, not copied per row.
    pub fn assessment_briefs(&self) -> Result<Vec<AssessmentBrief>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, facility_id, year, status, model_hash, model_id FROM assessments",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut models: Vec<(Rc<str>, Rc<str>)> = Vec::new();
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let text = |i| r.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
            let (status, hash) = (
                text(3).map_err(|e| self.err(e))?,
                text(4).map_err(|e| self.err(e))?,
            );
            let (model_hash, model_id) = match models.iter().find(|(h, _)| &**h == hash) {
                Some(m) => m.clone(),
                None => {
                    let m = (Rc::from(hash), Rc::from(text(5).map_err(|e| self.err(e))?));
                    models.push(m.clone());
                    m
                }
            };
            out.push(AssessmentBrief {
                id: r.get(0).map_err(|e| self.err(e))?,
                facility_id: r.get(1).map_err(|e| self.err(e))?,
                year: r.get(2).map_err(|e| self.err(e))?,
                status: if status == "finalised" {
                    crate::assessment::Status::Finalised
                } else {
                    crate::assessment::Status::Draft
                },
                model_hash,
                model_id,
            });
        }
        Ok(out)
    }

    /// The score values of these assessments (no texts): (indicator, value, carried over)
    /// by assessment, read in one query.
    pub fn score_values_of(
        &self,
        assessments: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<ScoreMark>>> {
        use crate::assessment::ScoreValue;
        let mut out: std::collections::HashMap<i64, Vec<_>> = std::collections::HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT assessment_id, indicator_id, value, not_relevant, carried_over FROM scores
                 WHERE assessment_id IN (SELECT value FROM json_each(?1))",
            )
            .map_err(|e| self.err(e))?;
        let ids = serde_json::to_string(assessments).unwrap_or_else(|_| "[]".into());
        let mut rows = stmt.query([ids]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = || -> rusqlite::Result<(i64, String, ScoreValue, bool)> {
                let value: Option<u8> = r.get(2)?;
                let not_relevant: bool = r.get(3)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    match (not_relevant, value) {
                        (false, Some(v)) => ScoreValue::Scored(v),
                        _ => ScoreValue::NotRelevant,
                    },
                    r.get(4)?,
                ))
            };
            let (a, indicator, value, carried) = get().map_err(|e| self.err(e))?;
            out.entry(a).or_default().push((indicator, value, carried));
        }
        Ok(out)
    }

    /// The keys of one facility's assessments, by year and number.
    pub fn assessment_keys_of(&self, facility_id: i64) -> Result<Vec<super::AssessmentKey>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, facility_id, year, status, model_hash FROM assessments WHERE facility_id = ?1 ORDER BY year, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([facility_id], |r| {
                Ok((
                    super::AssessmentKey {
                        id: r.get(0)?,
                        facility_id: r.get(1)?,
                        year: r.get(2)?,
                        status: if r.get::<_, String>(3)? == "finalised" {
                            crate::assessment::Status::Finalised
                        } else {
                            crate::assessment::Status::Draft
                        },
                        framework: String::new(),
                    },
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(mut key, hash)| {
                key.framework = self.framework_of_hash(&hash)?;
                Ok(key)
            })
            .collect()
    }
}
