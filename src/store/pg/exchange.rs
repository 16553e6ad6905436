//! What an export, a bundle and the privacy scan read, on the server:
//! `store::backend::Exchange` for `PgStore`, row for row as SQLite's `store/selection.rs`,
//! `exchange.rs`, `bundle_proof.rs` and `privacy.rs` give them (the streams of scores are
//! in `export_streams.rs`). Long reads go a page at a time, so memory stays flat and the
//! connection is free while the caller's function runs.

use super::PgStore;
use super::read_rows::{
    ACTION_COLUMNS, ACTION_FROM, BRIEF_COLUMNS, RECORD_COLUMNS, SCORE_COLUMNS, action_from_row,
    record_from_row,
};
use crate::assessment::{ImprovementAction, ScoreValue, Status};
use crate::error::{Error, Result};
use crate::exchange::{
    BundleAction, BundleAssessment, BundleAudit, BundleFacility, BundleModel, BundleScore,
};
use crate::integrity::{AuditFields, link_hash, portable_audit_hash};
use crate::store::backend::{Exchange, Facilities, SelectedScores};
use crate::store::{
    AssessmentRecord, Facility, FacilityId, ScoreText, Selection, StoredText, TextScope,
};
use std::collections::HashMap;

/// Rows per page of a long read (the audit log, the free texts).
const PAGE: i64 = 5000;

impl PgStore {
    /// Every assessment without its progress count, as SQLite's `assessments_brief`.
    fn records_brief(&self) -> Result<Vec<AssessmentRecord>> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!("SELECT {BRIEF_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id ORDER BY f.name COLLATE \"C\", a.year DESC, a.id DESC"),
                &[],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(record_from_row).collect())
    }

    /// The assessment with this number, with its progress.
    fn record_by_id(&self, id: i64) -> Result<AssessmentRecord> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(
                &format!("SELECT {RECORD_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE a.id = $1"),
                &[&id],
            )
            .map_err(|e| self.err(e))?;
        row.as_ref()
            .map(record_from_row)
            .ok_or_else(|| Error::UnknownAssessment(id.to_string()))
    }

    /// A finalised assessment's sign-off hash and its encoding, as recorded.
    fn signoff_of(&self, a: &AssessmentRecord) -> Result<(Option<String>, Option<i64>)> {
        if a.status != Status::Finalised {
            return Ok((None, None));
        }
        let row = self
            .client
            .borrow_mut()
            .query_opt(
                "SELECT signoff_hash, signoff_version FROM assessments WHERE id = $1",
                &[&a.id],
            )
            .map_err(|e| self.err(e))?;
        Ok(row.map_or((None, None), |r| {
            let hash: Option<String> = r.get(0);
            let version: i64 = r.get(1);
            (hash.clone(), hash.and(Some(version)))
        }))
    }
}

impl Exchange for PgStore {
    fn select(&self, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
        let all = self.records_brief()?;
        let (facilities, mut assessments) = match sel {
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
                let facilities = self.facilities(true)?;
                (
                    facilities
                        .into_iter()
                        .filter(|f| ids.contains(&f.id))
                        .collect(),
                    list,
                )
            }
            Selection::Assessments(ids) => {
                let list: Vec<_> = all.into_iter().filter(|a| ids.contains(&a.id)).collect();
                if list.is_empty() {
                    return Err(Error::UnknownAssessment(format!("{ids:?}")));
                }
                let of: Vec<i64> = list.iter().map(|a| a.facility_id).collect();
                let facilities = self.facilities(true)?;
                (
                    facilities
                        .into_iter()
                        .filter(|f| of.contains(&f.id))
                        .collect(),
                    list,
                )
            }
            Selection::Assessment(id) => {
                let a = self.record_by_id(*id)?;
                (
                    vec![self.facility_by_id(FacilityId(a.facility_id))?],
                    vec![a],
                )
            }
        };
        // oldest year first within a facility, as a report reads
        assessments.sort_by(|a, b| {
            a.facility
                .cmp(&b.facility)
                .then(a.year.cmp(&b.year))
                .then(a.id.cmp(&b.id))
        });
        Ok((facilities, assessments))
    }

    fn bundle_assessment(&self, a: &AssessmentRecord) -> Result<BundleAssessment<'static>> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!("SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = $1 ORDER BY indicator_id COLLATE \"C\""),
                &[&a.id],
            )
            .map_err(|e| self.err(e))?;
        let scores = rows
            .iter()
            .map(|r| {
                let s = self.score_from_row(r)?;
                Ok(BundleScore {
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
            .collect::<Result<Vec<_>>>()?;
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!("SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.assessment_id = $1 ORDER BY x.id"),
                &[&a.id],
            )
            .map_err(|e| self.err(e))?;
        let actions = rows
            .iter()
            .map(|r| bundle_action(action_from_row(r)))
            .collect();
        let (signoff_hash, signoff_version) = self.signoff_of(a)?;
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

    fn bundle_facilities(&self, facilities: &[Facility]) -> Vec<BundleFacility> {
        facilities
            .iter()
            .map(|f| BundleFacility {
                name: f.name.clone(),
                organisation: f.organisation.clone(),
                location: f.location.clone(),
                facility_type: f.facility_type.clone(),
                target_group: f.target_group.clone(),
                tags: f.tags.clone(),
                created_at: f.created_at.clone(),
                archived_at: f.archived_at.clone(),
            })
            .collect()
    }

    fn bundle_models(&self, assessments: &[AssessmentRecord]) -> Result<Vec<BundleModel>> {
        let mut hashes: Vec<&str> = assessments.iter().map(|a| a.model_hash.as_str()).collect();
        hashes.sort();
        hashes.dedup();
        hashes
            .into_iter()
            .map(|h| {
                let row = self
                    .client
                    .borrow_mut()
                    .query_opt("SELECT bundled FROM models WHERE hash = $1", &[&h])
                    .map_err(|e| self.err(e))?;
                let bundled: bool = row
                    .ok_or_else(|| Error::UnknownModel(h.to_string()))?
                    .get(0);
                let model = self.stored_model(h)?;
                Ok(BundleModel {
                    id: model.id.clone(),
                    hash: h.to_string(),
                    bundled,
                    model: (!bundled).then(|| (*model).clone()),
                })
            })
            .collect()
    }

    fn for_each_audit_row(
        &self,
        facilities: &[Facility],
        assessments: &[AssessmentRecord],
        f: &mut dyn FnMut(BundleAudit) -> Result<()>,
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
        let mut previous = String::new();
        let mut after = i64::MIN;
        loop {
            let rows = self
                .client
                .borrow_mut()
                .query(
                    "SELECT at, by, action, facility_id, assessment_id, subject, old_value, new_value, reason, id, prev_hash, hash
                     FROM audit_log WHERE facility_id IS NOT NULL AND id > $1 ORDER BY id LIMIT $2",
                    &[&after, &PAGE],
                )
                .map_err(|e| self.err(e))?;
            let Some(last) = rows.last() else {
                return Ok(());
            };
            after = last.get(9);
            for r in &rows {
                let fid: i64 = r.get(3);
                let aid: Option<i64> = r.get(4);
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
                let mut row = BundleAudit {
                    at: r.get(0),
                    by: r.get(1),
                    action: r.get(2),
                    facility: Some(name.to_string()),
                    year,
                    subject: r.get(5),
                    old_value: r.get(6),
                    new_value: r.get(7),
                    reason: r.get(8),
                    assessment_created: aid.and_then(|a| created.get(&a)).map(|c| c.to_string()),
                    prev_hash: None,
                    hash: None,
                };
                // sealed only where the row still fits this database's chain (bundle_proof.rs)
                let id: i64 = r.get(9);
                let prev: Option<String> = r.get(10);
                let hash: Option<String> = r.get(11);
                let fields = AuditFields {
                    id,
                    at: &row.at,
                    by: &row.by,
                    action: &row.action,
                    facility_id: Some(fid),
                    assessment_id: aid,
                    subject: row.subject.as_deref(),
                    old_value: row.old_value.as_deref(),
                    new_value: row.new_value.as_deref(),
                    reason: row.reason.as_deref(),
                };
                if hash.is_none_or(|h| link_hash(prev.as_deref().unwrap_or_default(), &fields) != h)
                {
                    return Err(Error::AuditRowUnfit(id));
                }
                let sealed = portable_audit_hash(&previous, &row.portable());
                row.prev_hash = (!previous.is_empty()).then(|| std::mem::take(&mut previous));
                previous = sealed.clone();
                row.hash = Some(sealed);
                f(row)?;
            }
        }
    }

    fn for_each_selected_scores(&self, sel: &Selection, f: &mut SelectedScores<'_>) -> Result<()> {
        self.stream_selected_scores(sel, f)
    }

    fn for_each_selected_texts(
        &self,
        sel: &Selection,
        f: &mut dyn FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        self.stream_selected_texts(sel, f)
    }

    fn for_each_free_text(
        &self,
        scope: &TextScope,
        f: &mut dyn FnMut(StoredText) -> Result<()>,
    ) -> Result<()> {
        self.stream_free_texts(scope, f)
    }
}

fn bundle_action(x: ImprovementAction) -> BundleAction {
    BundleAction {
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
    }
}
