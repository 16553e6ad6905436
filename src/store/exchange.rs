//! The store's side of the exchange bundle and the exports: choosing what to export,
//! reading it in bundle form, and merging a bundle in one transaction.

use super::actions::{ACTION_COLUMNS, ACTION_FROM, action_from_row};
use super::assessments::{SCORE_COLUMNS, score_from_row};
use super::{AssessmentRecord, AssessmentRef, Facility, Store};
use crate::assessment::ScoreValue;
use crate::error::{Error, Result};
use crate::exchange::{
    BundleAction, BundleAssessment, BundleAudit, BundleFacility, BundleModel, BundleScore,
};
use crate::integrity::AuditFields;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// What an export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every facility (archived ones too) and every assessment.
    All,
    /// One facility's assessments, of one year where given.
    Facility(String, Option<i32>),
    /// Every facility's assessment of a year.
    Year(i32),
    /// One assessment.
    Assessment(i64),
}

/// An assessment in bundle form, read through any connection (a transaction too).
pub(super) fn bundle_assessment(
    conn: &Connection,
    a: &AssessmentRecord,
) -> rusqlite::Result<BundleAssessment<'static>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1 ORDER BY indicator_id"
    ))?;
    let scores = stmt
        .query_map([a.id], score_from_row)?
        .map(|s| {
            s.map(|s| BundleScore {
                indicator: s.indicator_id.into(),
                value: s.value.value().map(i64::from),
                not_relevant: s.value == ScoreValue::NotRelevant,
                reasoning: s.reasoning.into(),
                sources: s.sources.into(),
                by: s.by.into(),
                at: s
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                    .into(),
                carried_over: s.carried_over,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.assessment_id = ?1 ORDER BY x.id"
    ))?;
    let actions = stmt
        .query_map([a.id], action_from_row)?
        .map(|x| {
            x.map(|x| BundleAction {
                text: x.text,
                indicators: x.indicators,
                strategy_id: x.strategy_id,
                action_plan: x.action_plan,
                owner: x.owner,
                due: x.due.map(|d| d.to_string()),
                status: x.status.as_str().to_string(),
                drop_reason: x.drop_reason,
                created_by: x.created_by,
                created_at: x.created_at,
                updated_at: x.updated_at,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (signoff_hash, signoff_version) = super::bundle_proof::signoff_of(conn, a)?;
    Ok(BundleAssessment {
        facility: a.facility.clone(),
        year: a.year,
        model_id: a.model_id.clone(),
        model_hash: a.model_hash.clone(),
        status: a.status,
        created_by: a.created_by.clone(),
        created_at: a.created_at.clone(),
        finalised_by: a.finalised_by.clone(),
        finalised_at: a.finalised_at.clone(),
        scores,
        actions,
        signoff_hash,
        signoff_version,
    })
}

fn bundle_facility(f: &Facility) -> BundleFacility {
    BundleFacility {
        name: f.name.clone(),
        organisation: f.organisation.clone(),
        location: f.location.clone(),
        facility_type: f.facility_type.clone(),
        target_group: f.target_group.clone(),
        tags: f.tags.clone(),
        created_at: f.created_at.clone(),
        archived_at: f.archived_at.clone(),
    }
}

impl Store {
    /// The facilities and assessments a selection takes, in a stable order.
    pub fn select(&self, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
        // exports need no progress counts; counting a nation's scores would cost more than the export
        let all = self.assessments_brief()?;
        let (facilities, assessments) = match sel {
            Selection::All => (self.facilities(true)?, all),
            Selection::Facility(key, year) => {
                let f = self.find_facility(key)?;
                let list: Vec<_> = all
                    .into_iter()
                    .filter(|a| a.facility_id == f.id && year.is_none_or(|y| a.year == y))
                    .collect();
                if let (Some(y), true) = (year, list.is_empty()) {
                    return Err(Error::UnknownAssessment(format!("{} {y}", f.name)));
                }
                (vec![f], list)
            }
            Selection::Year(y) => {
                let list: Vec<_> = all.into_iter().filter(|a| a.year == *y).collect();
                if list.is_empty() {
                    return Err(Error::UnknownAssessment(y.to_string()));
                }
                let ids: Vec<i64> = list.iter().map(|a| a.facility_id).collect();
                (
                    self.facilities(true)?
                        .into_iter()
                        .filter(|f| ids.contains(&f.id))
                        .collect(),
                    list,
                )
            }
            Selection::Assessment(id) => {
                let a = self.assessment(&AssessmentRef::Id(*id))?;
                (
                    vec![self.facility_by_id(super::FacilityId(a.facility_id))?],
                    vec![a],
                )
            }
        };
        // oldest year first within a facility, as a report reads
        let mut assessments = assessments;
        assessments.sort_by(|a, b| {
            a.facility
                .cmp(&b.facility)
                .then(a.year.cmp(&b.year))
                .then(a.id.cmp(&b.id))
        });
        Ok((facilities, assessments))
    }

    /// An assessment in bundle form.
    pub fn bundle_assessment(&self, a: &AssessmentRecord) -> Result<BundleAssessment<'static>> {
        bundle_assessment(&self.conn, a).map_err(|e| self.err(e))
    }

    /// Facilities in bundle form.
    pub fn bundle_facilities(&self, facilities: &[Facility]) -> Vec<BundleFacility> {
        facilities.iter().map(bundle_facility).collect()
    }

    /// The model versions assessments name, the text included where it is not bundled.
    pub fn bundle_models(&self, assessments: &[AssessmentRecord]) -> Result<Vec<BundleModel>> {
        let mut hashes: Vec<&str> = assessments.iter().map(|a| a.model_hash.as_str()).collect();
        hashes.sort();
        hashes.dedup();
        hashes
            .into_iter()
            .map(|h| {
                let bundled: bool = self
                    .conn
                    .query_row("SELECT bundled FROM models WHERE hash = ?1", [h], |r| {
                        r.get(0)
                    })
                    .map_err(|e| self.err(e))?;
                let model = self.model_by_hash(h)?;
                Ok(BundleModel {
                    id: model.id.clone(),
                    hash: h.to_string(),
                    bundled,
                    model: (!bundled).then(|| (*model).clone()),
                })
            })
            .collect()
    }

    /// Streams the audit rows of these facilities (their own rows, and their assessments'
    /// rows where the assessment is exported), oldest first.
    pub fn for_each_audit_row(
        &self,
        facilities: &[Facility],
        assessments: &[AssessmentRecord],
        mut f: impl FnMut(BundleAudit) -> Result<()>,
    ) -> Result<()> {
        let names: HashMap<i64, &str> =
            facilities.iter().map(|f| (f.id, f.name.as_str())).collect();
        let years: HashMap<i64, i32> = assessments.iter().map(|a| (a.id, a.year)).collect();
        // a year that holds two assessments of a facility: its rows say which one
        let mut per_year: HashMap<(i64, i32), usize> = HashMap::new();
        for a in assessments {
            *per_year.entry((a.facility_id, a.year)).or_default() += 1;
        }
        let created: HashMap<i64, &str> = assessments
            .iter()
            .filter(|a| per_year[&(a.facility_id, a.year)] > 1)
            .map(|a| (a.id, a.created_at.as_str()))
            .collect();
        let mut stmt = self
            .conn
            .prepare("SELECT at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, id, prev_hash, hash FROM audit_log WHERE facility_id IS NOT NULL ORDER BY id")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut seal = super::bundle_proof::Sealer::default();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let fid: i64 = r.get(3).map_err(|e| self.err(e))?;
            let aid: Option<i64> = r.get(4).map_err(|e| self.err(e))?;
            let Some(name) = names.get(&fid) else {
                continue;
            };
            let year = match aid {
                Some(a) => match years.get(&a) {
                    Some(y) => Some(*y),
                    None => continue,
                },
                None => None,
            };
            let row = (|| -> rusqlite::Result<BundleAudit> {
                Ok(BundleAudit {
                    at: r.get(0)?,
                    by: r.get(1)?,
                    action: r.get(2)?,
                    facility: Some(name.to_string()),
                    year,
                    subject: r.get(5)?,
                    old_value: r.get(6)?,
                    new_value: r.get(7)?,
                    reason: r.get(8)?,
                    assessment_created: aid.and_then(|a| created.get(&a)).map(|c| c.to_string()),
                    prev_hash: None,
                    hash: None,
                })
            })()
            .map_err(|e| self.err(e))?;
            let row = seal.seal(r, fid, aid, row).map_err(|e| self.err(e))??;
            f(row)?;
        }
        Ok(())
    }
}

/// Which assessments a comparison takes.
#[derive(Debug, Clone, Default)]
pub struct CompareFilter {
    pub facilities: Option<Vec<i64>>,
    pub organisation: Option<String>,
    pub years: Option<(i32, i32)>,
}

impl Store {
    /// The model versions (by content hash) the filtered assessments use.
    pub fn compare_models(
        &self,
        filter: &CompareFilter,
    ) -> Result<Vec<std::rc::Rc<crate::model::QualityModel>>> {
        let (sql, params) = compare_where(filter);
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
        let frame = match chosen {
            Some(id) => self.active_model(id)?,
            None => {
                let mut all = self.active_models()?;
                all.sort_by_key(|m| m.in_force.as_ref().map(|p| p.from));
                all.pop().ok_or_else(|| Error::UnknownModel("-".into()))?
            }
        };
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
        let (sql, params) = compare_where(filter);
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

fn compare_where(filter: &CompareFilter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = vec!["1".to_string()];
    let mut params: Vec<Value> = Vec::new();
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

/// Writes many rows in one transaction with prepared statements: for generated demo data,
/// where no one typed the scores and no per-score audit row is wanted.
pub struct BulkLoader<'a> {
    tx: rusqlite::Transaction<'a>,
    path: std::path::PathBuf,
    chain: Option<super::audit::ChainHead>,
    // dropped after the transaction has committed or rolled back
    _journal: BulkJournal<'a>,
}

/// A bulk write into a database that holds no assessments yet runs under a rollback
/// journal: pages added to the file are not journalled, so the data is written once,
/// instead of to the WAL and then again by the checkpoint. Only taken when no other
/// connection has the file open (SQLite refuses the switch otherwise); WAL again when
/// dropped, and at every open in any case.
pub(super) struct BulkJournal<'a> {
    pub(super) conn: &'a Connection,
    pub(super) switched: bool,
}

impl BulkJournal<'_> {
    /// Switches to the rollback journal where the database holds no assessments and no
    /// other connection has it open; returns whether it did.
    pub(super) fn enter(conn: &Connection, path: &std::path::Path) -> bool {
        let empty = || {
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM assessments)", [], |r| {
                r.get::<_, bool>(0)
            })
            .unwrap_or(false)
        };
        path.as_os_str() != ":memory:"
            && empty()
            && conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .is_ok_and(|m| m.eq_ignore_ascii_case("delete"))
    }
}

impl Drop for BulkJournal<'_> {
    fn drop(&mut self) {
        if self.switched {
            // best effort: the next open sets WAL again if this fails
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
        }
    }
}

impl Store {
    /// Starts a bulk load; nothing is visible to others until `commit`. The page cache is
    /// raised for the load (64 MiB) so that the B-trees are written once, not spilled.
    pub fn bulk(&mut self) -> Result<BulkLoader<'_>> {
        let path = self.path.clone();
        self.conn
            .pragma_update(None, "cache_size", -65536)
            .map_err(|e| super::db_error(&path, e))?;
        let conn = &self.conn;
        let journal = BulkJournal {
            conn,
            switched: BulkJournal::enter(conn, &path),
        };
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| super::db_error(&path, e))?;
        super::migrations::set_aside_lock_triggers(&tx).map_err(|e| super::db_error(&path, e))?;
        Ok(BulkLoader {
            tx,
            path,
            chain: None,
            _journal: journal,
        })
    }
}

impl BulkLoader<'_> {
    fn err(&self, e: rusqlite::Error) -> Error {
        super::db_error(&self.path, e)
    }

    /// Adds a facility (or finds one of that name); returns its number.
    pub fn facility(&mut self, f: &super::NewFacility, at: &str) -> Result<i64> {
        use super::facilities::{FacilityRow, facility_id_by_name, insert_facility};
        let found = facility_id_by_name(&self.tx, &f.name).map_err(|e| self.err(e))?;
        match found {
            Some(id) => Ok(id),
            None => insert_facility(
                &self.tx,
                &FacilityRow {
                    name: &f.name,
                    organisation: &f.organisation,
                    location: &f.location,
                    facility_type: &f.facility_type,
                    target_group: &f.target_group,
                    tags: &f.tags,
                    created_at: at,
                    archived_at: None,
                },
            )
            .map_err(|e| self.err(e)),
        }
    }

    /// Adds a draft assessment; returns its number.
    pub fn assessment(
        &mut self,
        facility: i64,
        year: i32,
        model_id: &str,
        hash: &str,
        by: &str,
        at: &str,
    ) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .and_then(|mut s| s.execute(params![facility, year, model_id, hash, by, at]))
            .map_err(|e| self.err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Adds an assessment's scores: (indicator, value or `None` for not relevant, reasoning, sources).
    pub fn scores(
        &mut self,
        assessment: i64,
        rows: &[(&str, Option<u8>, &str, &str)],
        by: &str,
        at: &str,
    ) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare_cached("INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .map_err(|e| super::db_error(&self.path, e))?;
        for (indicator, value, reasoning, sources) in rows {
            stmt.execute(params![
                assessment,
                indicator,
                value,
                value.is_none(),
                reasoning,
                sources,
                by,
                at
            ])
            .map_err(|e| super::db_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Adds an improvement action.
    #[allow(clippy::too_many_arguments)]
    pub fn action(
        &mut self,
        assessment: i64,
        indicator: &str,
        text: &str,
        owner: &str,
        due: Option<chrono::NaiveDate>,
        status: &str,
        drop_reason: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO improvement_actions (assessment_id, text, owner, due, status, drop_reason, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )
            .and_then(|mut s| s.execute(params![assessment, text, owner, due.map(|d| d.to_string()), status, drop_reason, by, at]))
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.tx
            .prepare_cached(
                "INSERT INTO action_indicators (action_id, indicator_id) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute(params![id, indicator]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Signs an assessment off, with the sign-off hash of the scores written for it
    /// (`assessment::signoff_hash`).
    pub fn finalise(
        &mut self,
        assessment: i64,
        by: &str,
        at: &str,
        signoff_hash: &str,
    ) -> Result<()> {
        super::assessments::record_finalised(&self.tx, assessment, Some(by), Some(at), signoff_hash)
            .map_err(|e| self.err(e))
    }

    /// Writes one audit row.
    pub fn audit(
        &mut self,
        action: &str,
        facility: i64,
        assessment: Option<i64>,
        new_value: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<()> {
        let chain = match &mut self.chain {
            Some(c) => c,
            None => self.chain.insert(
                super::audit::ChainHead::read(&self.tx)
                    .map_err(|e| super::db_error(&self.path, e))?,
            ),
        };
        chain
            .append(
                &self.tx,
                AuditFields {
                    id: 0,
                    at,
                    by,
                    action,
                    facility_id: Some(facility),
                    assessment_id: assessment,
                    subject: None,
                    old_value: None,
                    new_value,
                    reason: None,
                },
            )
            .map_err(|e| super::db_error(&self.path, e))
    }

    /// Makes it all visible at once.
    pub fn commit(self) -> Result<()> {
        let path = self.path.clone();
        super::migrations::restore_lock_triggers(&self.tx)
            .map_err(|e| super::db_error(&path, e))?;
        self.tx.commit().map_err(|e| super::db_error(&path, e))
    }
}

/// One score with its texts, as stored (the time as its RFC 3339 text).
#[derive(Debug, Clone, Default)]
pub struct ScoreText {
    pub indicator: String,
    pub value: Option<u8>,
    pub not_relevant: bool,
    pub reasoning: String,
    pub sources: String,
    pub by: String,
    pub at: String,
}

fn refill(buf: &mut String, r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<()> {
    buf.clear();
    if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i)? {
        buf.push_str(std::str::from_utf8(t).map_err(|e| rusqlite::Error::Utf8Error(i, e))?);
    }
    Ok(())
}

impl Store {
    /// Streams these assessments, in the order of their numbers, each with its scores'
    /// texts: one pass over the score rows in key order, merged with the list; the buffers
    /// are reused, so memory stays flat however many rows there are.
    pub fn for_each_assessment_texts(
        &self,
        assessments: &[AssessmentRecord],
        f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        let mut list: Vec<&AssessmentRecord> = assessments.iter().collect();
        list.sort_by_key(|a| a.id);
        let total: i64 = self
            .conn
            .query_row("SELECT count(*) FROM assessments", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        // every assessment: the whole table in key order; a few: only theirs
        let ids = ((list.len() as i64) < total).then(|| {
            serde_json::to_string(&list.iter().map(|a| a.id).collect::<Vec<_>>())
                .expect("serializes")
        });
        self.merge_texts(list.into_iter().map(Ok), ids, f)
    }

    /// As `for_each_assessment_texts`, for what a selection takes; every assessment is
    /// streamed from the table (in number order) rather than listed first, so memory stays
    /// flat however many assessments there are.
    pub fn for_each_selected_texts(
        &self,
        sel: &Selection,
        f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        if *sel != Selection::All {
            let (_, list) = self.select(sel)?;
            return self.for_each_assessment_texts(&list, f);
        }
        let columns = super::assessments::BRIEF_COLUMNS;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {columns} FROM assessments a JOIN facilities f ON f.id = a.facility_id ORDER BY a.id"
            ))
            .map_err(|e| self.err(e))?;
        let records = stmt
            .query_map([], AssessmentRecord::from_row)
            .map_err(|e| self.err(e))?
            .map(|r| r.map_err(|e| self.err(e)));
        self.merge_texts(records, None, f)
    }

    /// Merges assessments (in number order) with one pass over the score rows in key order
    /// (of the assessments in `ids`, a JSON array, or of all): `f` gets each assessment with
    /// its scores' texts, in buffers reused from one assessment to the next.
    fn merge_texts<R: std::borrow::Borrow<AssessmentRecord>>(
        &self,
        records: impl Iterator<Item = Result<R>>,
        ids: Option<String>,
        mut f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at FROM scores
                 WHERE ?1 IS NULL OR assessment_id IN (SELECT value FROM json_each(?1)) ORDER BY assessment_id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([ids]).map_err(|e| self.err(e))?;
        let mut scores: Vec<ScoreText> = Vec::new();
        let mut next = records.peekable();
        // the next assessment in number order, taken when its number is at most `id`
        let mut take_upto = |id: i64| -> Result<Option<R>> {
            match next.peek() {
                Some(Ok(a)) if a.borrow().id <= id => next.next().transpose(),
                Some(Err(_)) => next.next().transpose(),
                _ => Ok(None),
            }
        };
        let mut current: Option<R> = None;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            if current.as_ref().is_none_or(|c| c.borrow().id != id) {
                if let Some(c) = current.take() {
                    f(c.borrow(), &scores[..n])?;
                }
                n = 0;
                // assessments without scores come out empty, in their place
                while let Some(a) = take_upto(id)? {
                    if a.borrow().id == id {
                        current = Some(a);
                        break;
                    }
                    f(a.borrow(), &[])?;
                }
            }
            if current.is_none() {
                continue;
            }
            if n == scores.len() {
                scores.push(ScoreText::default());
            }
            let s = &mut scores[n];
            (|| -> rusqlite::Result<()> {
                refill(&mut s.indicator, r, 1)?;
                s.value = r.get(2)?;
                s.not_relevant = r.get(3)?;
                refill(&mut s.reasoning, r, 4)?;
                refill(&mut s.sources, r, 5)?;
                refill(&mut s.by, r, 6)?;
                refill(&mut s.at, r, 7)
            })()
            .map_err(|e| self.err(e))?;
            n += 1;
        }
        if let Some(c) = current {
            f(c.borrow(), &scores[..n])?;
        }
        while let Some(a) = take_upto(i64::MAX)? {
            f(a.borrow(), &[])?;
        }
        Ok(())
    }
}
