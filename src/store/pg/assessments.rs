//! Assessments on the server: `store::backend::Assessments` for `PgStore`, with the same
//! checks, errors and audit rows as SQLite's `store/assessments.rs` and
//! `store/versions.rs`: start (applicability, roll-forward), look up, list, move a draft;
//! sign-off and reopening are in `signoff.rs`.

use super::PgStore;
use super::audit::audit;
use super::rows::{BRIEF_COLUMNS, COLUMNS, Fail, Hold, hold, insert_score, record_from_row};
use crate::assessment::ScoreValue;
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::assessments::inapplicable_reason;
use crate::store::backend::{Assessments, Facilities};
use crate::store::score_rows::score_snapshot;
use crate::store::{AssessmentRecord, AssessmentRef, Facility, Stamp};

impl Assessments for PgStore {
    fn start_assessment(
        &mut self,
        facility: &Facility,
        year: i32,
        model: &QualityModel,
        roll_forward: bool,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        if facility.archived_at.is_some() {
            return Err(Error::FacilityArchived(facility.name.clone()));
        }
        let previous = if roll_forward {
            let found = self.previous_scores(facility.id, year, model)?;
            Some(found.ok_or_else(|| Error::NothingToRollForward(facility.name.clone()))?)
        } else {
            None
        };
        let hash = model.content_hash();
        let at = stamp.at();
        // a year holds one assessment per framework: the quality model's and the safety one's
        let same_framework = self.framework_hashes(model.framework())?;
        let rolled_from = previous.as_ref().map(|(p, _)| p.id);
        let id = self.write(None, |tx| {
            // two starts for one facility at once: the second waits and then finds the first
            hold(tx, Hold::Facility, facility.id, false)?;
            let existing = tx.query_opt(
                "SELECT id FROM assessments WHERE facility_id = $1 AND year = $2
                 AND (model_hash = $3 OR model_hash = ANY($4)) ORDER BY id LIMIT 1",
                &[&facility.id, &year, &hash, &same_framework],
            )?;
            if let Some(r) = existing {
                return Err(Fail::App(Error::AssessmentExists {
                    facility: facility.name.clone(),
                    year,
                    id: r.get(0),
                }));
            }
            let id: i64 = tx
                .query_one(
                    "INSERT INTO assessments (facility_id, year, model_id, model_hash, created_by, created_at, rolled_from)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[&facility.id, &year, &model.id, &hash, &stamp.by, &at, &rolled_from],
                )?
                .get(0);
            let new = serde_json::json!({
                "facility": facility.name, "year": year, "model": model.id, "hash": hash,
                "rolled_from": rolled_from,
            })
            .to_string();
            audit(
                tx,
                stamp,
                "assessment.start",
                Some(facility.id),
                Some(id),
                None,
                None,
                Some(&new),
            )?;
            for r in model.indicators() {
                let indicator = &r.indicator.id;
                let (value, reasoning, sources, carried, action) =
                    if let Some(why) = r.indicator.applicability(&facility.tags) {
                        let reason = inapplicable_reason(model, &why);
                        (ScoreValue::NotRelevant, reason, String::new(), false, "score.set")
                    } else if let Some(old) =
                        previous.as_ref().and_then(|(_, scores)| scores.get(indicator))
                    {
                        let (r, s) = (old.reasoning.clone(), old.sources.clone());
                        (old.value, r, s, true, "score.carry")
                    } else {
                        continue;
                    };
                insert_score(
                    tx, id, indicator, value, &reasoning, &sources, carried, stamp, &at,
                )?;
                let snap = score_snapshot(value, &reasoning, &sources);
                audit(
                    tx,
                    stamp,
                    action,
                    Some(facility.id),
                    Some(id),
                    Some(indicator),
                    None,
                    Some(&snap),
                )?;
            }
            Ok(id)
        })?;
        self.assessment(&AssessmentRef::Id(id))
    }

    fn assessment(&self, r: &AssessmentRef) -> Result<AssessmentRecord> {
        let rows = match r {
            AssessmentRef::Id(id) => self.rows(
                &format!(
                    "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE a.id = $1"
                ),
                &[id],
            )?,
            AssessmentRef::FacilityYear(key, year) => {
                let f = self.find_facility(key)?;
                self.rows(
                    &format!(
                        "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                         WHERE a.facility_id = $1 AND a.year = $2 ORDER BY a.id DESC LIMIT 1"
                    ),
                    &[&f.id, year],
                )?
            }
        };
        rows.first()
            .map(record_from_row)
            .ok_or_else(|| Error::UnknownAssessment(r.to_string()))
    }

    fn assessments(&self, facility: Option<&Facility>) -> Result<Vec<AssessmentRecord>> {
        let rows = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 WHERE $1::bigint IS NULL OR a.facility_id = $1
                 ORDER BY f.name COLLATE \"C\", a.year DESC, a.id DESC"
            ),
            &[&facility.map(|f| f.id)],
        )?;
        Ok(rows.iter().map(record_from_row).collect())
    }

    fn assessments_brief(&self) -> Result<Vec<AssessmentRecord>> {
        let rows = self.rows(
            &format!(
                "SELECT {BRIEF_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                 ORDER BY f.name COLLATE \"C\", a.year DESC, a.id DESC"
            ),
            &[],
        )?;
        Ok(rows.iter().map(record_from_row).collect())
    }

    fn finalise(
        &mut self,
        assessment: i64,
        signed_by: &str,
        stamp: &Stamp,
    ) -> Result<AssessmentRecord> {
        self.sign_off(assessment, signed_by, stamp)?;
        self.assessment(&AssessmentRef::Id(assessment))
    }

    fn reopen(&mut self, assessment: i64, reason: &str, stamp: &Stamp) -> Result<AssessmentRecord> {
        self.reopen_signed(assessment, reason, stamp)?;
        self.assessment(&AssessmentRef::Id(assessment))
    }

    fn move_draft_to_version(
        &mut self,
        assessment: i64,
        model: &QualityModel,
        file: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let hash = model.content_hash();
        let json = serde_json::to_string(model).map_err(|e| Error::Server {
            server: self.server.clone(),
            message: format!("the model does not serialize: {e}"),
        })?;
        let at = stamp.at();
        self.write(Some(assessment), |tx| {
            hold(tx, Hold::Assessment, assessment, false)?;
            let row = tx.query_opt(
                "SELECT status, facility_id, model_hash FROM assessments WHERE id = $1",
                &[&assessment],
            )?;
            let Some(row) = row else {
                return Err(Error::UnknownAssessment(assessment.to_string()).into());
            };
            let (status, facility, old): (String, i64, String) = (row.get(0), row.get(1), row.get(2));
            if status != "draft" {
                return Err(Error::Finalised(assessment).into());
            }
            tx.execute(
                "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at)
                 VALUES ($1, $2, $3, false, false, $4, $5, $6) ON CONFLICT (hash) DO NOTHING",
                &[&hash, &model.id, &json, &file, &stamp.by, &at],
            )?;
            tx.execute(
                "UPDATE assessments SET model_hash = $2 WHERE id = $1 AND status = 'draft'",
                &[&assessment, &hash],
            )?;
            audit(
                tx,
                stamp,
                "assessment.rule",
                Some(facility),
                Some(assessment),
                Some(model.theme_score().name()),
                Some(&old),
                Some(&hash),
            )?;
            Ok(())
        })
    }
}
