//! The rows a comparison reads: the model versions used, the frame, and the scores of
//! the filtered assessments, streamed one assessment at a time.

use super::views::status_of;
use super::{AssessmentKey, Store};
use crate::assessment::ScoreValue;
use crate::error::{Error, Result};
use crate::model::QualityModel;
use std::rc::Rc;

/// Which assessments a comparison takes: always those of one framework (a comparison
/// never mixes the quality model with the safety self-evaluation).
#[derive(Debug, Clone, Default)]
pub struct CompareFilter {
    pub facilities: Option<Vec<i64>>,
    pub organisation: Option<String>,
    pub years: Option<(i32, i32)>,
    /// The framework [default: socialtilsyn, the quality model].
    pub framework: Option<String>,
}

impl CompareFilter {
    /// The framework the comparison is within.
    pub fn framework(&self) -> &str {
        self.framework
            .as_deref()
            .unwrap_or(crate::model::DEFAULT_FRAMEWORK)
    }
}

impl Store {
    /// The model versions (by content hash) the filtered assessments use.
    pub fn compare_models(
        &self,
        filter: &CompareFilter,
    ) -> Result<Vec<std::rc::Rc<crate::model::QualityModel>>> {
        let (sql, params) = compare_where(filter, &self.framework_hashes(filter.framework())?);
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT DISTINCT a.model_hash FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE {sql}"))
            .map_err(|e| self.err(e))?;
        let hashes: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        hashes.iter().map(|h| self.model_by_hash(h)).collect()
    }

    /// The models a comparison of the filtered assessments needs: the frame (`chosen`, or
    /// the newest active model) and every other version used, with its mapping. Two
    /// versions without a mapping cannot be compared.
    pub fn compare_frame(
        &self,
        filter: &CompareFilter,
        chosen: Option<&str>,
    ) -> Result<crate::compare::Models> {
        let used = self.compare_models(filter)?;
        let frame = frame_model(
            chosen,
            filter.framework(),
            |id| self.active_model(id),
            || self.active_models(),
        )?;
        let mut others: Vec<(
            std::rc::Rc<crate::model::QualityModel>,
            Option<crate::model::ModelMapping>,
        )> = Vec::new();
        for m in used {
            if m.id == frame.id || others.iter().any(|(o, _)| o.id == m.id) {
                continue;
            }
            let mapping = self.mapping_between(&m.id, &frame.id)?;
            if mapping.is_none() {
                return Err(Error::NoMapping {
                    from: m.id.clone(),
                    to: frame.id.clone(),
                });
            }
            others.push((m, mapping));
        }
        Ok(crate::compare::Models { frame, others })
    }

    /// The keys of the filtered assessments that share their facility and year with
    /// another (after `import --keep-both`): the only ones "the assessment of a facility
    /// and year" has to choose between. Every filter takes whole facilities or whole years,
    /// so a group is never cut in two. The groups are found on the (facility, year) index
    /// alone, without reading the assessment rows.
    pub fn double_keys_where(&self, filter: &CompareFilter) -> Result<Vec<AssessmentKey>> {
        let framework = filter.framework();
        let (sql, params) = compare_where(filter, &self.framework_hashes(filter.framework())?);
        // the groups on the covering index: the model is not in it (a lookup of every row
        // of the filter), so it is checked on the groups' rows, and a group left with one
        // assessment of this framework is dropped below; the facility only for its organisation
        let groups = sql.replacen(FRAMEWORK_TERM, "?1 IS NOT NULL", 1);
        let join = match filter.organisation {
            Some(_) => "JOIN facilities f ON f.id = a.facility_id",
            None => "",
        };
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT a.id, a.facility_id, a.year, a.status FROM assessments a
                 WHERE {FRAMEWORK_TERM}
                 AND (a.facility_id, a.year) IN (
                     SELECT a.facility_id, a.year FROM assessments a INDEXED BY assessments_by_facility
                     {join} WHERE {groups} GROUP BY a.facility_id, a.year HAVING count(*) > 1)
                 ORDER BY a.facility_id, a.year, a.id"
            ))
            .map_err(|e| self.err(e))?;
        let keys: Vec<AssessmentKey> = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok(AssessmentKey {
                    id: r.get(0)?,
                    facility_id: r.get(1)?,
                    year: r.get(2)?,
                    status: status_of(r.get_ref(3)?.as_str()?),
                    framework: framework.to_string(),
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(keys
            .chunk_by(|a, b| (a.facility_id, a.year) == (b.facility_id, b.year))
            .filter(|group| group.len() > 1)
            .flatten()
            .cloned()
            .collect())
    }

    /// The models a comparison may meet, without reading the assessments: the frame (as
    /// `compare_frame` chooses it) and one version of every other model id the database
    /// holds (the active one first), with its mapping where there is one. A caller checks
    /// each assessment's model with `Models::comparable` as it comes.
    pub fn compare_frame_any(
        &self,
        chosen: Option<&str>,
        framework: &str,
    ) -> Result<crate::compare::Models> {
        let frame = frame_model(
            chosen,
            framework,
            |id| self.active_model(id),
            || self.active_models(),
        )?;
        let mut others: Vec<(
            std::rc::Rc<crate::model::QualityModel>,
            Option<crate::model::ModelMapping>,
        )> = Vec::new();
        for hash in
            self.strings("SELECT hash FROM models ORDER BY id, active DESC, loaded_at DESC")?
        {
            let m = self.model_by_hash(&hash)?;
            if m.framework() != framework
                || m.id == frame.id
                || others.iter().any(|(o, _)| o.id == m.id)
            {
                continue;
            }
            let mapping = self.mapping_between(&m.id, &frame.id)?;
            others.push((m, mapping));
        }
        Ok(crate::compare::Models { frame, others })
    }

    /// Streams the filtered assessments with their scores, one assessment at a time,
    /// oldest year first. Two reads: the assessments (with their facility) listed once,
    /// then per year the score rows of that year's assessments in one pass over the
    /// scores' key, merged in number order (a join would repeat the assessment's columns
    /// on every score row). The assessment handed to `f` is a buffer reused for the next
    /// one, its indicator ids included, so no score row allocates.
    pub fn for_each_assessment_scores(
        &self,
        filter: &CompareFilter,
        mut f: impl FnMut(&crate::compare::AssessmentScores) -> Result<()>,
    ) -> Result<()> {
        let e = |e| self.err(e);
        let (sql, params) = compare_where(filter, &self.framework_hashes(filter.framework())?);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT a.id, a.facility_id, f.name, f.organisation, a.year, a.model_id
                 FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE {sql} ORDER BY a.year, a.id"
            ))
            .map_err(e)?;
        let list: Vec<crate::compare::AssessmentScores> = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok(crate::compare::AssessmentScores {
                    assessment_id: r.get(0)?,
                    facility_id: r.get(1)?,
                    facility: r.get(2)?,
                    organisation: r.get(3)?,
                    year: r.get(4)?,
                    model_id: r.get(5)?,
                    values: Vec::new(),
                })
            })
            .map_err(e)?
            .collect::<rusqlite::Result<_>>()
            .map_err(e)?;
        let mut scores = self
            .conn
            .prepare_cached(
                "SELECT assessment_id, indicator_id, value, not_relevant FROM scores
                 WHERE assessment_id IN (SELECT value FROM json_each(?1)) ORDER BY assessment_id",
            )
            .map_err(e)?;
        let mut current = crate::compare::AssessmentScores {
            values: Vec::with_capacity(64),
            ..list
                .first()
                .cloned()
                .unwrap_or(crate::compare::AssessmentScores {
                    assessment_id: 0,
                    facility_id: 0,
                    facility: String::new(),
                    organisation: String::new(),
                    year: 0,
                    model_id: String::new(),
                    values: Vec::new(),
                })
        };
        // the indicator ids of the assessment before, to be refilled
        let mut spare: Vec<String> = Vec::with_capacity(64);
        let mut hand_over = |a: &crate::compare::AssessmentScores,
                             current: &mut crate::compare::AssessmentScores|
         -> Result<()> {
            current.assessment_id = a.assessment_id;
            current.facility_id = a.facility_id;
            current.facility.clone_from(&a.facility);
            current.organisation.clone_from(&a.organisation);
            current.year = a.year;
            current.model_id.clone_from(&a.model_id);
            f(current)
        };
        // one year at a time: within a year, number order is the order of the list
        for year in list.chunk_by(|a, b| a.year == b.year) {
            let ids: Vec<i64> = year.iter().map(|a| a.assessment_id).collect();
            let ids = serde_json::to_string(&ids).expect("numbers serialize");
            let mut rows = scores.query([ids]).map_err(e)?;
            let mut next = year.iter().peekable();
            let mut open: Option<&crate::compare::AssessmentScores> = None;
            while let Some(r) = rows.next().map_err(e)? {
                let id: i64 = r.get(0).map_err(e)?;
                if open.is_none_or(|o| o.assessment_id != id) {
                    if let Some(o) = open.take() {
                        hand_over(o, &mut current)?;
                    }
                    spare.extend(current.values.drain(..).map(|(s, _)| s));
                    // assessments without scores come out empty, in their place
                    while let Some(a) = next.next_if(|a| a.assessment_id <= id) {
                        if a.assessment_id == id {
                            open = Some(a);
                            break;
                        }
                        hand_over(a, &mut current)?;
                    }
                }
                if open.is_none() {
                    continue;
                }
                let indicator = r.get_ref(1).map_err(e)?.as_str().map_err(|x| e(x.into()))?;
                let value: Option<u8> = r.get(2).map_err(e)?;
                let nr: bool = r.get(3).map_err(e)?;
                let v = match (nr, value) {
                    (false, Some(v)) => ScoreValue::Scored(v),
                    _ => ScoreValue::NotRelevant,
                };
                let mut id = spare.pop().unwrap_or_default();
                id.clear();
                id.push_str(indicator);
                current.values.push((id, v));
            }
            if let Some(o) = open {
                hand_over(o, &mut current)?;
            }
            spare.extend(current.values.drain(..).map(|(s, _)| s));
            for a in next {
                hand_over(a, &mut current)?;
            }
        }
        Ok(())
    }
}

/// The filter's first term: the assessment is on one of the framework's model versions.
const FRAMEWORK_TERM: &str = "a.model_hash IN (SELECT value FROM json_each(?1))";

fn compare_where(
    filter: &CompareFilter,
    framework_hashes: &[String],
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut params: Vec<Value> = vec![Value::Text(
        serde_json::to_string(framework_hashes).expect("serializes"),
    )];
    let mut sql = vec![FRAMEWORK_TERM.to_string()];
    if let Some(ids) = &filter.facilities {
        params.push(Value::Text(serde_json::to_string(ids).expect("serializes")));
        sql.push(format!(
            "a.facility_id IN (SELECT value FROM json_each(?{}))",
            params.len()
        ));
    }
    if let Some(org) = &filter.organisation {
        params.push(Value::Text(org.trim().to_lowercase()));
        sql.push(format!("lower(f.organisation) = ?{}", params.len()));
    }
    if let Some((from, to)) = filter.years {
        params.push(Value::Integer(from.into()));
        params.push(Value::Integer(to.into()));
        sql.push(format!(
            "a.year BETWEEN ?{} AND ?{}",
            params.len() - 1,
            params.len()
        ));
    }
    (sql.join(" AND "), params)
}

/// The frame model of a comparison: `chosen`, or the newest active model of the framework;
/// a chosen model of another framework is refused. The same rule on either backend, each
/// giving its own reads of the active model versions.
pub(in crate::store) fn frame_model(
    chosen: Option<&str>,
    framework: &str,
    active_model: impl FnOnce(&str) -> Result<Rc<QualityModel>>,
    active_models: impl FnOnce() -> Result<Vec<Rc<QualityModel>>>,
) -> Result<Rc<QualityModel>> {
    let frame = match chosen {
        Some(id) => active_model(id)?,
        None => {
            let mut all = active_models()?;
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
