//! One of a bundle's assessments on the server (as `store::import::Importer::
//! merge_assessment` and `import/rows.rs`): added, left as it is, replaced or refused, and
//! its rows written.

use super::import::{PgImporter, pg};
use crate::assessment::{ActionStatus, Status};
use crate::error::{Error, Result};
use crate::exchange::{
    BundleAction, BundleAssessment, BundleAudit, BundleScore, Replaced, check_assessment,
};
use crate::store::AssessmentRecord;
use crate::store::import::early_check;
use crate::store::import::parts::{Head, Merge, Parts};
use crate::store::import::rows::{framework_of, signoff_to_store};
use postgres::Transaction;

const EXISTING: &str = "SELECT a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by, a.created_at, a.finalised_by, a.finalised_at
     FROM assessments a JOIN facilities f ON f.id = a.facility_id WHERE a.facility_id = $1 AND a.year = $2 ORDER BY a.id";

/// An assessment row read back (columns as `EXISTING`).
fn record(r: &postgres::Row) -> AssessmentRecord {
    AssessmentRecord {
        id: r.get(0),
        facility_id: r.get(1),
        facility: r.get(2),
        year: r.get(3),
        model_id: r.get(4),
        model_hash: r.get(5),
        status: if r.get::<_, &str>(6) == "finalised" {
            Status::Finalised
        } else {
            Status::Draft
        },
        created_by: r.get(7),
        created_at: r.get(8),
        finalised_by: r.get(9),
        finalised_at: r.get(10),
        done: 0,
    }
}

/// An assessment of the server in bundle form (as `store::exchange::bundle_assessment`:
/// scores by indicator, a score's time as SQLite renders it, actions by number).
pub(super) fn bundle_assessment(
    tx: &mut Transaction<'_>,
    server: &str,
    a: &AssessmentRecord,
) -> Result<BundleAssessment<'static>> {
    let e = pg(server);
    let rows = tx
        .query(
            "SELECT indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over FROM scores WHERE assessment_id = $1 ORDER BY indicator_id COLLATE \"C\"",
            &[&a.id],
        )
        .map_err(&e)?;
    let mut scores = Vec::with_capacity(rows.len());
    for r in &rows {
        let value: Option<i64> = r.get(1);
        let not_relevant: bool = r.get(2);
        let at: &str = r.get(6);
        let at = chrono::DateTime::parse_from_rfc3339(at)
            .map_err(|err| Error::Server {
                server: server.to_string(),
                message: format!("a score's time does not read back: {err}"),
            })?
            .to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let scored = value.filter(|_| !not_relevant);
        scores.push(BundleScore {
            indicator: r.get::<_, String>(0).into(),
            value: scored,
            not_relevant: scored.is_none(),
            reasoning: r.get::<_, String>(3).into(),
            sources: r.get::<_, String>(4).into(),
            by: r.get::<_, String>(5).into(),
            at: at.into(),
            carried_over: r.get(7),
        });
    }
    let rows = tx
        .query(
            "SELECT x.text, x.strategy_id, x.action_plan_id, x.owner, x.due, x.status, x.drop_reason, x.created_by, x.created_at, x.updated_at,
                    (SELECT string_agg(indicator_id, ' ' ORDER BY indicator_id COLLATE \"C\") FROM action_indicators i WHERE i.action_id = x.id)
             FROM improvement_actions x WHERE x.assessment_id = $1 ORDER BY x.id",
            &[&a.id],
        )
        .map_err(&e)?;
    let actions = rows
        .iter()
        .map(|r| BundleAction {
            text: r.get(0),
            strategy_id: r.get(1),
            action_plan: r.get(2),
            owner: r.get(3),
            due: r
                .get::<_, Option<&str>>(4)
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .map(|d| d.to_string()),
            status: ActionStatus::parse(r.get(5))
                .unwrap_or(ActionStatus::Planned)
                .as_str()
                .to_string(),
            drop_reason: r.get(6),
            created_by: r.get(7),
            created_at: r.get(8),
            updated_at: r.get(9),
            indicators: r
                .get::<_, Option<&str>>(10)
                .map(|s| s.split(' ').map(String::from).collect())
                .unwrap_or_default(),
        })
        .collect();
    let (signoff_hash, signoff_version) = if a.status == Status::Finalised {
        let r = tx
            .query_one(
                "SELECT signoff_hash, signoff_version FROM assessments WHERE id = $1",
                &[&a.id],
            )
            .map_err(&e)?;
        let hash: Option<String> = r.get(0);
        let version: i64 = r.get(1);
        (hash.clone(), hash.and(Some(version)))
    } else {
        (None, None)
    };
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

impl<'t> Merge<'t> for PgImporter<'t, '_> {
    fn parts(&mut self) -> &mut Parts<'t> {
        &mut self.parts
    }

    fn merge_head(&mut self, head: Head) -> Result<()> {
        self.add_head(head)
    }

    fn merge_audit(&mut self, rows: &[BundleAudit]) -> Result<()> {
        self.append_audit(rows)
    }

    /// One assessment: checked (unless the reading thread has: `checked`), then added,
    /// left as it is, replaced, or refused (as SQLite's `merge_assessment`).
    fn merge_assessment(
        &mut self,
        i: usize,
        a: &BundleAssessment<'static>,
        checked: early_check::Checked,
    ) -> Result<()> {
        let (known, server, e) = (self.known, self.server, pg(self.server));
        let Some(head) = self.head.clone() else {
            return Ok(());
        };
        let (usable, names) = (&head.0, &head.1);
        if let Some(verdict) = checked {
            verdict?;
        } else if !self.parts.final_pass {
            check_assessment(
                self.file,
                i,
                a,
                names,
                usable,
                &|h| known.get(h).cloned(),
                self.policy,
            )?;
        }
        let key = a.facility.trim().to_lowercase();
        let Some(&fid) = self.facility_ids.get(&key) else {
            return Err(Error::definition(
                self.file,
                format!("assessments[{i}].facility"),
                format!("not among the bundle's facilities: {}", a.facility),
            ));
        };
        let framework = framework_of(usable, &a.model_hash);
        if self.taken.insert((fid, a.year, framework.clone())) {
            let target = self.add_assessment(fid, a)?;
            self.report.assessments_added += 1;
            self.touched.insert(target);
            self.fill_assessment(target, a)?;
            self.remember_written(key, a, target);
            return Ok(());
        }
        let rows = self.tx.query(EXISTING, &[&fid, &a.year]).map_err(&e)?;
        // what this file wrote is not what the server had (see SQLite's importer)
        let existing: Vec<AssessmentRecord> = rows
            .iter()
            .map(record)
            .filter(|r| !self.touched.contains(&r.id))
            .filter(|r| framework_of(known, &r.model_hash) == framework)
            .collect();
        for r in &existing {
            let mut mine = bundle_assessment(self.tx, server, r)?;
            mine.facility = a.facility.clone();
            mine.signoff_hash.clone_from(&a.signoff_hash);
            mine.signoff_version = a.signoff_version;
            if &mine == a {
                self.report.assessments_unchanged += 1;
                self.touched.insert(r.id);
                return Ok(());
            }
        }
        if !existing.is_empty() && !self.parts.final_pass {
            self.parts.deferred.push((i, a.clone()));
            return Ok(());
        }
        let conflict = |r: &AssessmentRecord| {
            if r.status == Status::Finalised {
                Error::ImportFinalised {
                    file: self.file.to_string(),
                    facility: r.facility.clone(),
                    year: a.year,
                    finalised_by: r.finalised_by.clone().unwrap_or_default(),
                }
            } else {
                Error::ImportConflict {
                    file: self.file.to_string(),
                    facility: a.facility.clone(),
                    year: a.year,
                }
            }
        };
        self.shared.insert((key.clone(), a.year));
        use crate::exchange::OnConflict;
        let target = match (existing.first(), self.on_conflict) {
            (None, _) | (Some(_), OnConflict::KeepBoth) => {
                self.report.assessments_added += 1;
                self.add_assessment(fid, a)?
            }
            (Some(r), OnConflict::Replace | OnConflict::ReplaceFinalised) => {
                if r.status == Status::Finalised && self.on_conflict != OnConflict::ReplaceFinalised
                {
                    return Err(conflict(r));
                }
                self.tx
                    .execute(
                        "UPDATE assessments SET status = 'draft', model_id = $2, model_hash = $3, created_by = $4, created_at = $5, finalised_by = NULL, finalised_at = NULL WHERE id = $1",
                        &[&r.id, &a.model_id, &a.model_hash, &a.created_by, &a.created_at],
                    )
                    .map_err(&e)?;
                self.tx
                    .execute("DELETE FROM scores WHERE assessment_id = $1", &[&r.id])
                    .map_err(&e)?;
                self.tx
                    .execute(
                        "DELETE FROM improvement_actions WHERE assessment_id = $1",
                        &[&r.id],
                    )
                    .map_err(&e)?;
                self.report.assessments_replaced += 1;
                self.report.replaced.push(Replaced {
                    facility: r.facility.clone(),
                    year: a.year,
                    assessment: r.id,
                    old_status: r.status,
                    new_status: a.status,
                });
                self.replaced.push(r.id);
                r.id
            }
            (Some(r), OnConflict::Refuse) => return Err(conflict(r)),
        };
        self.touched.insert(target);
        self.fill_assessment(target, a)?;
        self.remember_written(key, a, target);
        Ok(())
    }
}

impl PgImporter<'_, '_> {
    fn remember_written(&mut self, key: String, a: &BundleAssessment<'_>, target: i64) {
        self.written_created
            .insert((key.clone(), a.year, a.created_at.to_string()), target);
        self.written.insert((key, a.year), target);
    }

    /// Adds a bundle's assessment as a draft (kept to be sent: `import_rows`); its number.
    fn add_assessment(&mut self, facility: i64, a: &BundleAssessment<'_>) -> Result<i64> {
        let id = self.rows.next_id(self.tx, false).map_err(pg(self.server))?;
        self.rows.assessments.push((
            id,
            facility,
            a.year,
            a.model_id.clone(),
            a.model_hash.clone(),
            a.created_by.clone(),
            a.created_at.clone(),
        ));
        Ok(id)
    }

    /// Keeps the assessment's scores and actions for `target`, and its sign-off where the
    /// bundle's is finalised (as SQLite's `fill_assessment`); sends them when enough wait.
    fn fill_assessment(&mut self, target: i64, a: &BundleAssessment<'_>) -> Result<()> {
        for s in &a.scores {
            self.rows.scores.push((
                target,
                s.indicator.to_string(),
                s.value,
                s.not_relevant,
                s.reasoning.to_string(),
                s.sources.to_string(),
                s.by.to_string(),
                s.at.to_string(),
                s.carried_over,
            ));
        }
        self.report.scores_added += a.scores.len();
        for x in &a.actions {
            let id = self.rows.next_id(self.tx, true).map_err(pg(self.server))?;
            self.rows.actions.push((
                id,
                target,
                x.text.clone(),
                x.strategy_id.clone(),
                x.action_plan.clone(),
                x.owner.clone(),
                x.due.clone(),
                x.status.clone(),
                x.drop_reason.clone(),
                x.created_by.clone(),
                x.created_at.clone(),
                x.updated_at.clone(),
            ));
            // an indicator named twice is one row (SQLite's `INSERT OR IGNORE`)
            let mut seen = std::collections::HashSet::new();
            for i in x.indicators.iter().filter(|i| seen.insert(i.as_str())) {
                self.rows.indicators.push((id, i.clone()));
            }
        }
        self.report.actions_added += a.actions.len();
        if a.status == Status::Finalised {
            let hash = signoff_to_store(a);
            // a sign-off of an older encoding is kept as it was signed (as SQLite's)
            let (hash, version) = match (&a.signoff_hash, a.signoff_version) {
                (Some(h), Some(v)) if v != crate::integrity::SIGNOFF_VERSION => (h.clone(), v),
                _ => (hash.into_owned(), crate::integrity::SIGNOFF_VERSION),
            };
            self.rows.signs.push((
                target,
                a.finalised_by.clone(),
                a.finalised_at.clone(),
                hash,
                version,
            ));
        }
        if self.rows.full() {
            self.rows.flush(self.tx, self.server)?;
        }
        Ok(())
    }
}
