//! The store's side of the exchange bundle: reading facilities, assessments, models and
//! audit rows in bundle form (writing a bundle is `import`).

use super::actions::{ACTION_COLUMNS, ACTION_FROM, action_from_row};
use super::assessments::{SCORE_COLUMNS, score_from_row};
use super::{AssessmentRecord, Facility, Store};
use crate::assessment::ScoreValue;
use crate::error::Result;
use crate::exchange::{
    BundleAction, BundleAssessment, BundleAudit, BundleFacility, BundleModel, BundleScore,
};
use rusqlite::Connection;
use std::collections::HashMap;

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
