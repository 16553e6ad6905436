//! The reads of lists and comparisons on the server: `store::backend::Listings` for
//! `PgStore`, row for row as SQLite's `store/views.rs`, `tui_reads.rs` and
//! `compare_rows.rs` give them (the same order: text compared by its bytes, `COLLATE "C"`).

use super::PgStore;
use super::rows::{status_of, value_of};
use crate::assessment::ScoreValue;
use crate::compare::{AssessmentScores, Models};
use crate::error::{Error, Result};
use crate::model::{ModelMapping, QualityModel};
use crate::store::backend::{Listings, ModelVersions};
use crate::store::compare_rows::frame_model;
use crate::store::{AssessmentBrief, AssessmentKey, CompareFilter};
use postgres::types::ToSql;
use std::collections::HashMap;
use std::rc::Rc;

/// How many assessments' score rows one read of a comparison's stream takes: the rows
/// are read a chunk at a time, so the connection is free while the caller's function runs.
const CHUNK: usize = 1000;

/// A query's parameters, of their several types.
pub(super) type Params = Vec<Box<dyn ToSql + Sync>>;

pub(super) fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// The filter's terms after the framework's (`$1`, the framework's model hashes), and
/// their parameters from `$2` on; the facility is `f`, the assessment `a`.
fn filter_terms(filter: &CompareFilter, params: &mut Params) -> Vec<String> {
    let mut sql = Vec::new();
    if let Some(ids) = &filter.facilities {
        params.push(Box::new(ids.clone()));
        sql.push(format!("a.facility_id = ANY(${})", params.len()));
    }
    if let Some(org) = &filter.organisation {
        params.push(Box::new(org.trim().to_lowercase()));
        sql.push(format!("lower(f.organisation) = ${}", params.len()));
    }
    if let Some((from, to)) = filter.years {
        params.push(Box::new(from));
        params.push(Box::new(to));
        sql.push(format!(
            "a.year BETWEEN ${} AND ${}",
            params.len() - 1,
            params.len()
        ));
    }
    sql
}

const FRAMEWORK_TERM: &str = "a.model_hash = ANY($1)";

impl PgStore {
    /// The filter as SQL over `assessments a JOIN facilities f`, with its parameters.
    fn compare_where(&self, filter: &CompareFilter) -> Result<(String, Params)> {
        let mut params: Params = vec![Box::new(self.framework_hashes(filter.framework())?)];
        let mut sql = vec![FRAMEWORK_TERM.to_string()];
        sql.extend(filter_terms(filter, &mut params));
        Ok((sql.join(" AND "), params))
    }

    /// The framework of each stored model version, by hash.
    fn frameworks_by_hash(&self) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        for r in self.rows("SELECT hash FROM models", &[])? {
            let hash: String = r.get(0);
            let framework = self.model_by_hash(&hash)?.framework().to_string();
            out.insert(hash, framework);
        }
        Ok(out)
    }

    fn keys(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<AssessmentKey>> {
        let rows = self
            .client
            .borrow_mut()
            .query(sql, params)
            .map_err(|e| self.err(e))?;
        let frameworks = self.frameworks_by_hash()?;
        rows.iter()
            .map(|r| {
                let hash: &str = r.get(4);
                Ok(AssessmentKey {
                    id: r.get(0),
                    facility_id: r.get(1),
                    year: r.get(2),
                    status: status_of(r.get(3)),
                    framework: frameworks
                        .get(hash)
                        .cloned()
                        .ok_or_else(|| Error::UnknownModel(hash.to_string()))?,
                })
            })
            .collect()
    }
}

impl Listings for PgStore {
    fn assessment_keys(&self) -> Result<Vec<AssessmentKey>> {
        self.keys(
            "SELECT id, facility_id, year, status, model_hash FROM assessments ORDER BY facility_id, year, id",
            &[],
        )
    }

    fn assessment_keys_of(&self, facility_id: i64) -> Result<Vec<AssessmentKey>> {
        self.keys(
            "SELECT id, facility_id, year, status, model_hash FROM assessments WHERE facility_id = $1 ORDER BY year, id",
            &[&facility_id],
        )
    }

    fn assessment_briefs(&self) -> Result<Vec<AssessmentBrief>> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT id, facility_id, year, status, model_hash, model_id FROM assessments",
                &[],
            )
            .map_err(|e| self.err(e))?;
        // the model versions' hashes shared, not copied per row
        let mut models: Vec<(Rc<str>, Rc<str>)> = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let hash: &str = r.get(4);
            let (model_hash, model_id) = match models.iter().find(|(h, _)| &**h == hash) {
                Some(m) => m.clone(),
                None => {
                    let m: (Rc<str>, Rc<str>) = (Rc::from(hash), Rc::from(r.get::<_, &str>(5)));
                    models.push(m.clone());
                    m
                }
            };
            out.push(AssessmentBrief {
                id: r.get(0),
                facility_id: r.get(1),
                year: r.get(2),
                status: status_of(r.get(3)),
                model_hash,
                model_id,
            });
        }
        Ok(out)
    }

    fn double_keys_where(&self, filter: &CompareFilter) -> Result<Vec<AssessmentKey>> {
        let framework = filter.framework();
        let mut params: Params = vec![Box::new(self.framework_hashes(framework)?)];
        let terms = filter_terms(filter, &mut params);
        // the groups on the (facility, year) index; the model checked on the groups' rows
        let groups = if terms.is_empty() {
            "true".to_string()
        } else {
            terms.join(" AND ")
        };
        let join = match filter.organisation {
            Some(_) => "JOIN facilities f ON f.id = a.facility_id",
            None => "",
        };
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT a.id, a.facility_id, a.year, a.status FROM assessments a
                     WHERE {FRAMEWORK_TERM}
                     AND (a.facility_id, a.year) IN (
                         SELECT a.facility_id, a.year FROM assessments a {join}
                         WHERE {groups} GROUP BY a.facility_id, a.year HAVING count(*) > 1)
                     ORDER BY a.facility_id, a.year, a.id"
                ),
                &refs(&params),
            )
            .map_err(|e| self.err(e))?;
        let keys: Vec<AssessmentKey> = rows
            .iter()
            .map(|r| AssessmentKey {
                id: r.get(0),
                facility_id: r.get(1),
                year: r.get(2),
                status: status_of(r.get(3)),
                framework: framework.to_string(),
            })
            .collect();
        // a group left with one assessment of this framework is no double
        Ok(keys
            .chunk_by(|a, b| (a.facility_id, a.year) == (b.facility_id, b.year))
            .filter(|group| group.len() > 1)
            .flatten()
            .cloned()
            .collect())
    }

    fn compare_frame(&self, filter: &CompareFilter, chosen: Option<&str>) -> Result<Models> {
        let (sql, params) = self.compare_where(filter)?;
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!("SELECT DISTINCT a.model_hash FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE {sql}"),
                &refs(&params),
            )
            .map_err(|e| self.err(e))?;
        let hashes: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        let used = hashes
            .iter()
            .map(|h| self.model_by_hash(h))
            .collect::<Result<Vec<_>>>()?;
        let frame = frame_model(
            chosen,
            filter.framework(),
            |id| self.active_model(id),
            || self.active_models(),
        )?;
        let mut others: Vec<(Rc<QualityModel>, Option<ModelMapping>)> = Vec::new();
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
        Ok(Models { frame, others })
    }

    fn compare_frame_any(&self, chosen: Option<&str>, framework: &str) -> Result<Models> {
        let frame = frame_model(
            chosen,
            framework,
            |id| self.active_model(id),
            || self.active_models(),
        )?;
        let mut others: Vec<(Rc<QualityModel>, Option<ModelMapping>)> = Vec::new();
        for r in self.rows(
            "SELECT hash FROM models ORDER BY id COLLATE \"C\", active DESC, loaded_at COLLATE \"C\" DESC",
            &[],
        )? {
            let m = self.model_by_hash(r.get(0))?;
            if m.framework() != framework
                || m.id == frame.id
                || others.iter().any(|(o, _)| o.id == m.id)
            {
                continue;
            }
            let mapping = self.mapping_between(&m.id, &frame.id)?;
            others.push((m, mapping));
        }
        Ok(Models { frame, others })
    }

    fn for_each_assessment_scores(
        &self,
        filter: &CompareFilter,
        f: &mut dyn FnMut(&AssessmentScores) -> Result<()>,
    ) -> Result<()> {
        let (sql, params) = self.compare_where(filter)?;
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT a.id, a.facility_id, f.name, f.organisation, a.year, a.model_id
                     FROM assessments a JOIN facilities f ON f.id = a.facility_id
                     WHERE {sql} ORDER BY a.year, a.id"
                ),
                &refs(&params),
            )
            .map_err(|e| self.err(e))?;
        let list: Vec<AssessmentScores> = rows
            .iter()
            .map(|r| AssessmentScores {
                assessment_id: r.get(0),
                facility_id: r.get(1),
                facility: r.get(2),
                organisation: r.get(3),
                year: r.get(4),
                model_id: r.get(5),
                values: Vec::new(),
            })
            .collect();
        drop(rows);
        let mut current = AssessmentScores {
            assessment_id: 0,
            facility_id: 0,
            facility: String::new(),
            organisation: String::new(),
            year: 0,
            model_id: String::new(),
            values: Vec::with_capacity(64),
        };
        // the indicator ids of the assessment before, to be refilled
        let mut spare: Vec<String> = Vec::with_capacity(64);
        // a year at a time (number order within it), a chunk of its assessments per read;
        // the rows are in memory, the connection free, while `f` runs
        for year in list.chunk_by(|a, b| a.year == b.year) {
            for chunk in year.chunks(CHUNK) {
                let ids: Vec<i64> = chunk.iter().map(|a| a.assessment_id).collect();
                let rows = self
                    .client
                    .borrow_mut()
                    .query(
                        "SELECT assessment_id, indicator_id, value, not_relevant FROM scores
                         WHERE assessment_id = ANY($1)",
                        &[&ids],
                    )
                    .map_err(|e| self.err(e))?;
                // by assessment, then by the indicators' bytes as SQLite's key has them:
                // sorted here, not by the server (its sort by a collation of its own
                // cost a third of the read)
                let mut decoded: Vec<(i64, &str, ScoreValue)> = rows
                    .iter()
                    .map(|r| (r.get(0), r.get(1), value_of(r.get(2), r.get(3))))
                    .collect();
                decoded.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
                let mut rows = decoded.into_iter().peekable();
                for a in chunk {
                    spare.extend(current.values.drain(..).map(|(s, _)| s));
                    // rows of an assessment not listed (none: the list is the same filter) pass
                    while rows.next_if(|r| r.0 < a.assessment_id).is_some() {}
                    while let Some((_, indicator, v)) = rows.next_if(|r| r.0 == a.assessment_id) {
                        let mut id = spare.pop().unwrap_or_default();
                        id.clear();
                        id.push_str(indicator);
                        current.values.push((id, v));
                    }
                    current.assessment_id = a.assessment_id;
                    current.facility_id = a.facility_id;
                    current.facility.clone_from(&a.facility);
                    current.organisation.clone_from(&a.organisation);
                    current.year = a.year;
                    current.model_id.clone_from(&a.model_id);
                    f(&current)?;
                }
            }
        }
        Ok(())
    }

    fn is_demo(&self) -> Result<bool> {
        // a server has no demo file name: only the audit log says so
        let found = self
            .client
            .borrow_mut()
            .query_opt(
                "SELECT 1 FROM audit_log WHERE by = 'demo' AND action = 'assessment.start' LIMIT 1",
                &[],
            )
            .map_err(|e| self.err(e))?;
        Ok(found.is_some())
    }
}
