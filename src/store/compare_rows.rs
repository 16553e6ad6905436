//! The rows a comparison reads: the model versions used, the frame, and the scores of
//! the filtered assessments, streamed one assessment at a time.

use super::Store;
use crate::assessment::ScoreValue;
use crate::error::{Error, Result};

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
        let framework = filter.framework();
        let frame = match chosen {
            Some(id) => self.active_model(id)?,
            None => {
                let mut all = self.active_models()?;
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
        let mut others: Vec<(
            std::rc::Rc<crate::model::QualityModel>,
            Option<crate::model::ModelMapping>,
        )> = Vec::new();
        for m in used {
            if m.id == frame.id || others.iter().any(|(o, _)| o.id == m.id) {
                continue;
            }
            let mapping = match self.mapping(&m.id, &frame.id)? {
                Some(x) => Some(x),
                None => self.mapping(&frame.id, &m.id)?,
            };
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

    /// The filtered assessments with their scores, collected (oldest year first).
    pub fn assessment_scores(
        &self,
        filter: &CompareFilter,
    ) -> Result<Vec<crate::compare::AssessmentScores>> {
        let mut list = Vec::new();
        self.for_each_assessment_scores(filter, |a| {
            list.push(a);
            Ok(())
        })?;
        Ok(list)
    }

    /// Streams the filtered assessments with their scores, one assessment at a time, in
    /// one query over the indexed rows, oldest year first.
    pub fn for_each_assessment_scores(
        &self,
        filter: &CompareFilter,
        mut f: impl FnMut(crate::compare::AssessmentScores) -> Result<()>,
    ) -> Result<()> {
        let (sql, params) = compare_where(filter, &self.framework_hashes(filter.framework())?);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT a.id, a.facility_id, f.name, f.organisation, a.year, a.model_id, s.indicator_id, s.value, s.not_relevant
                 FROM assessments a JOIN facilities f ON f.id = a.facility_id LEFT JOIN scores s ON s.assessment_id = a.id
                 WHERE {sql} ORDER BY a.year, a.id"
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| self.err(e))?;
        let mut current: Option<crate::compare::AssessmentScores> = None;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            if current.as_ref().is_none_or(|c| c.assessment_id != id) {
                if let Some(done) = current.take() {
                    f(done)?;
                }
                let get = |i| r.get::<_, String>(i);
                current = Some(crate::compare::AssessmentScores {
                    assessment_id: id,
                    facility_id: r.get(1).map_err(|e| self.err(e))?,
                    facility: get(2).map_err(|e| self.err(e))?,
                    organisation: get(3).map_err(|e| self.err(e))?,
                    year: r.get(4).map_err(|e| self.err(e))?,
                    model_id: get(5).map_err(|e| self.err(e))?,
                    values: Vec::with_capacity(40),
                });
            }
            let indicator: Option<String> = r.get(6).map_err(|e| self.err(e))?;
            if let (Some(indicator), Some(c)) = (indicator, current.as_mut()) {
                let value: Option<u8> = r.get(7).map_err(|e| self.err(e))?;
                let nr: bool = r.get(8).map_err(|e| self.err(e))?;
                let v = match (nr, value) {
                    (false, Some(v)) => ScoreValue::Scored(v),
                    _ => ScoreValue::NotRelevant,
                };
                c.values.push((indicator, v));
            }
        }
        if let Some(done) = current {
            f(done)?;
        }
        Ok(())
    }
}

fn compare_where(
    filter: &CompareFilter,
    framework_hashes: &[String],
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut params: Vec<Value> = vec![Value::Text(
        serde_json::to_string(framework_hashes).expect("serializes"),
    )];
    let mut sql = vec!["a.model_hash IN (SELECT value FROM json_each(?1))".to_string()];
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
