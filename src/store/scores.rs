//! The scores of an assessment: reading them, and the store's side of saving, confirming
//! and restoring one (the rules themselves are `assessment::check_score`'s).

use super::audit::audit;
use super::score_rows::{
    SCORE_COLUMNS, ensure_draft, insert_score, score_from_row, score_snapshot,
};
use super::{AssessmentRef, Stamp, Store};
use crate::assessment::{self, PersonalDataPolicy, Score, ScoreInput};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// The scores of an assessment, by indicator id.
    pub fn scores(&self, assessment: i64) -> Result<Vec<Score>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([assessment], score_from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The personal-data policy a score's write applies: strict by `--strict` or by the
    /// database's setting.
    pub fn write_policy(&self) -> Result<PersonalDataPolicy> {
        if self.strict {
            return Ok(PersonalDataPolicy::Strict);
        }
        super::actions::read_policy(&self.conn).map_err(|e| self.err(e))
    }

    /// Saves one score with its audit row, in one transaction. The rules are checked
    /// against the assessment's own model version; a finalised assessment is refused.
    pub fn set_score(
        &mut self,
        assessment: i64,
        input: &ScoreInput,
        stamp: &Stamp,
    ) -> Result<Score> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        let model = self.model_by_hash(&record.model_hash)?;
        let at = stamp.at();
        let strict = self.strict;
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let previous = tx
                .query_row(
                    &format!("SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2 COLLATE NOCASE"),
                    params![assessment, input.indicator_id],
                    score_from_row,
                )
                .optional()?;
            let policy = if strict { PersonalDataPolicy::Strict } else { super::actions::read_policy(tx)? };
            let checked = assessment::check_score(&model, input, previous.as_ref(), policy)?;
            let (reasoning, sources) = (checked.reasoning, checked.sources);
            insert_score(tx, assessment, &checked.indicator_id, checked.value, &reasoning, &sources, false, stamp, &at)?;
            let old = previous.as_ref().map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            let new = score_snapshot(checked.value, &reasoning, &sources);
            audit(
                tx,
                stamp,
                "score.set",
                Some(record.facility_id),
                Some(assessment),
                Some(&checked.indicator_id),
                old.as_deref(),
                Some(&new),
                None,
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

    /// Confirms a score carried over from last year as re-assessed, unchanged. Returns
    /// whether there was anything to confirm.
    pub fn confirm_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        stamp: &Stamp,
    ) -> Result<bool> {
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
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let changed = tx.execute(
                "UPDATE scores SET carried_over = 0 WHERE assessment_id = ?1 AND indicator_id = ?2 AND carried_over = 1",
                params![assessment, id],
            )?;
            if changed > 0 {
                audit(tx, stamp, "score.confirm", Some(record.facility_id), Some(assessment), Some(&id), None, None, None)?;
            }
            Ok(changed > 0)
        })
    }

    /// Puts an indicator's score back as it was (`None`: unscored), for undo. Audited.
    pub fn restore_score(
        &mut self,
        assessment: i64,
        indicator: &str,
        previous: Option<&Score>,
        stamp: &Stamp,
    ) -> Result<()> {
        let record = self.assessment(&AssessmentRef::Id(assessment))?;
        self.write(|tx| {
            ensure_draft(tx, assessment)?;
            let current = tx
                .query_row(
                    &format!("SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2"),
                    params![assessment, indicator],
                    score_from_row,
                )
                .optional()?;
            let old = current.as_ref().map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            match previous {
                Some(p) => {
                    let back = Stamp { by: p.by.clone(), at: p.at };
                    insert_score(tx, assessment, indicator, p.value, &p.reasoning, &p.sources, p.carried_over, &back, &back.at())?;
                }
                None => {
                    tx.execute("DELETE FROM scores WHERE assessment_id = ?1 AND indicator_id = ?2", params![assessment, indicator])?;
                }
            }
            let new = previous.map(|p| score_snapshot(p.value, &p.reasoning, &p.sources));
            audit(tx, stamp, "score.undo", Some(record.facility_id), Some(assessment), Some(indicator), old.as_deref(), new.as_deref(), None)?;
            Ok(())
        })
    }
}
