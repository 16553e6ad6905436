//! Scores on the server: `store::backend::Scores` for `PgStore`, with the same checks,
//! errors and audit rows as SQLite's `store/scores.rs`. The lock on finalised
//! assessments is the server's (its triggers); a score write shares its assessment's
//! hold (`rows::Hold`) so a sign-off waits for it, and the chain's lock orders the audit rows.

use super::PgStore;
use super::audit::audit;
use super::rows::{
    Hold, SCORE_COLUMNS, ensure_draft, hold, insert_score, score_at, status_of, value_of,
};
use crate::assessment::{self, PersonalDataPolicy, Score, ScoreInput, Status};
use crate::error::{Error, Result};
use crate::store::backend::{Assessments, ModelVersions, Scores, Settings};
use crate::store::score_rows::score_snapshot;
use crate::store::tui_reads::ScoreMark;
use crate::store::{AssessmentRef, Stamp};
use postgres::types::Type;
use std::collections::{HashMap, HashSet};

impl PgStore {
    /// The score of one indicator inside a transaction.
    fn score_in(
        &self,
        tx: &mut postgres::Transaction<'_>,
        assessment: i64,
        indicator: &str,
    ) -> Result<Option<Score>, super::rows::Fail> {
        let row = tx.query_opt(
            &format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = $1 AND indicator_id = $2"
            ),
            &[&assessment, &indicator],
        )?;
        Ok(row.map(|r| self.score_from_row(&r)).transpose()?)
    }

    /// What a score's write reads before its transaction, in one round trip: the
    /// assessment's facility and model version, and the personal-data policy in force
    /// (`Settings::write_policy`'s: strict by `--strict` or by the setting).
    fn score_target(&self, assessment: i64) -> Result<(i64, String, PersonalDataPolicy)> {
        let rows = self
            .client
            .borrow_mut()
            .query_typed(
                "SELECT a.facility_id, a.model_hash, (SELECT value FROM settings WHERE key = 'personal_data')
                 FROM assessments a WHERE a.id = $1",
                &[(&assessment, Type::INT8)],
            )
            .map_err(|e| self.err(e))?;
        let row = rows
            .first()
            .ok_or_else(|| Error::UnknownAssessment(assessment.to_string()))?;
        let policy = if self.strict() {
            PersonalDataPolicy::Strict
        } else {
            row.get::<_, Option<&str>>(2)
                .and_then(PersonalDataPolicy::parse)
                .unwrap_or_default()
        };
        Ok((row.get(0), row.get(1), policy))
    }
}

impl Scores for PgStore {
    fn scores(&self, assessment: i64) -> Result<Vec<Score>> {
        let rows = self.rows(
            &format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = $1 ORDER BY indicator_id COLLATE \"C\""
            ),
            &[&assessment],
        )?;
        rows.iter().map(|r| self.score_from_row(r)).collect()
    }

    fn set_score(&mut self, assessment: i64, input: &ScoreInput, stamp: &Stamp) -> Result<Score> {
        let (facility, hash, policy) = self.score_target(assessment)?;
        let model = self.model_by_hash(&hash)?;
        let at = stamp.at();
        self.write(Some(assessment), |tx| {
            // the hold ensure_draft takes, then the draft check and the score there was at once
            hold(tx, Hold::Assessment, assessment, true)?;
            let found = tx.query_typed(
                &format!(
                    "SELECT a.status, {} FROM assessments a
                     LEFT JOIN scores s ON s.assessment_id = a.id AND lower(s.indicator_id) = lower($2)
                     WHERE a.id = $1",
                    SCORE_COLUMNS
                        .split(", ")
                        .map(|c| format!("s.{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                &[(&assessment, Type::INT8), (&input.indicator_id, Type::TEXT)],
            )?;
            let Some(row) = found.first() else {
                return Err(Error::UnknownAssessment(assessment.to_string()).into());
            };
            if status_of(row.get(0)) == Status::Finalised {
                return Err(Error::Finalised(assessment).into());
            }
            let previous = match row.get::<_, Option<&str>>(1) {
                Some(_) => Some(score_at(row, 1).map_err(|message| Error::Server {
                    server: self.server.clone(),
                    message,
                })?),
                None => None,
            };
            let checked = assessment::check_score(&model, input, previous.as_ref(), policy)?;
            let (reasoning, sources) = (checked.reasoning, checked.sources);
            insert_score(
                tx,
                assessment,
                &checked.indicator_id,
                checked.value,
                &reasoning,
                &sources,
                false,
                stamp,
                &at,
            )?;
            let old = previous
                .as_ref()
                .map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            let new = score_snapshot(checked.value, &reasoning, &sources);
            audit(
                tx,
                stamp,
                "score.set",
                Some(facility),
                Some(assessment),
                Some(&checked.indicator_id),
                old.as_deref(),
                Some(&new),
            )?;
            Ok(Score {
                indicator_id: checked.indicator_id,
                value: checked.value,
                reasoning,
                sources,
                by: stamp.by.clone(),
                at: stamp.at,
                carried_over: false,
            })
        })
    }

    fn confirm_score(&mut self, assessment: i64, indicator: &str, stamp: &Stamp) -> Result<bool> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        let id = model
            .indicator(indicator)
            .ok_or_else(|| Error::UnknownIndicator {
                indicator: indicator.to_string(),
                model: model.id.clone(),
            })?
            .indicator
            .id
            .clone();
        self.write(Some(assessment), |tx| {
            ensure_draft(tx, assessment)?;
            let changed = tx.execute(
                "UPDATE scores SET carried_over = false WHERE assessment_id = $1 AND indicator_id = $2 AND carried_over",
                &[&assessment, &id],
            )?;
            if changed > 0 {
                audit(
                    tx,
                    stamp,
                    "score.confirm",
                    Some(record.facility_id),
                    Some(assessment),
                    Some(&id),
                    None,
                    None,
                )?;
            }
            Ok(changed > 0)
        })
    }

    fn restore_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        previous: Option<&Score>,
        stamp: &Stamp,
    ) -> Result<()> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        self.write(Some(assessment), |tx| {
            ensure_draft(tx, assessment)?;
            let current = self.score_in(tx, assessment, indicator)?;
            let old = current
                .as_ref()
                .map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            match previous {
                Some(p) => {
                    let back = Stamp {
                        by: p.by.clone(),
                        at: p.at,
                    };
                    insert_score(
                        tx,
                        assessment,
                        indicator,
                        p.value,
                        &p.reasoning,
                        &p.sources,
                        p.carried_over,
                        &back,
                        &back.at(),
                    )?;
                }
                None => {
                    tx.execute(
                        "DELETE FROM scores WHERE assessment_id = $1 AND indicator_id = $2",
                        &[&assessment, &indicator],
                    )?;
                }
            }
            let new = previous.map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            audit(
                tx,
                stamp,
                "score.undo",
                Some(record.facility_id),
                Some(assessment),
                Some(indicator),
                old.as_deref(),
                new.as_deref(),
            )?;
            Ok(())
        })
    }

    fn score_values_of(&self, assessments: &[i64]) -> Result<HashMap<i64, Vec<ScoreMark>>> {
        let ids = assessments.to_vec();
        let rows = self.rows(
            "SELECT assessment_id, indicator_id, value, not_relevant, carried_over FROM scores
             WHERE assessment_id = ANY($1) ORDER BY assessment_id, indicator_id COLLATE \"C\"",
            &[&ids],
        )?;
        let mut out: HashMap<i64, Vec<ScoreMark>> = HashMap::new();
        for r in &rows {
            out.entry(r.get(0)).or_default().push((
                r.get(1),
                value_of(r.get(2), r.get(3)),
                r.get(4),
            ));
        }
        Ok(out)
    }

    fn carried_over_scores(&self) -> Result<HashMap<i64, HashSet<String>>> {
        let rows = self.rows(
            "SELECT assessment_id, indicator_id FROM scores WHERE carried_over",
            &[],
        )?;
        let mut out: HashMap<i64, HashSet<String>> = HashMap::new();
        for r in &rows {
            out.entry(r.get(0)).or_default().insert(r.get(1));
        }
        Ok(out)
    }
}
