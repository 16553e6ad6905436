//! The rows of one of a bundle's assessments: the assessment, its scores and actions.

use crate::assessment::Status;
use crate::exchange::{BundleAssessment, ImportReport};
use crate::integrity::{SignedRecord, SignedScore, signoff_v2};
use rusqlite::params;

/// Adds a bundle's assessment as a draft; returns its number.
pub(super) fn add_assessment(
    tx: &rusqlite::Transaction<'_>,
    facility: i64,
    a: &BundleAssessment<'_>,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO assessments (facility_id, year, model_id, model_hash, status, created_by, created_at) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6)",
    )?
    .execute(params![facility, a.year, a.model_id, a.model_hash, a.created_by, a.created_at])?;
    Ok(tx.last_insert_rowid())
}

/// Writes a bundle's assessment's scores and actions into `target`, and signs it off
/// where the bundle's is finalised.
pub(super) fn fill_assessment(
    tx: &rusqlite::Transaction<'_>,
    target: i64,
    a: &BundleAssessment<'_>,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    let mut score = tx.prepare_cached(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for s in &a.scores {
        score.execute(params![
            target,
            s.indicator,
            s.value,
            s.not_relevant,
            s.reasoning,
            s.sources,
            s.by,
            s.at,
            s.carried_over
        ])?;
    }
    report.scores_added += a.scores.len();
    drop(score);
    for x in &a.actions {
        tx.prepare_cached(
            "INSERT INTO improvement_actions (assessment_id, text, strategy_id, action_plan_id, owner, due, status, drop_reason, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![target, x.text, x.strategy_id, x.action_plan, x.owner, x.due, x.status, x.drop_reason, x.created_by, x.created_at, x.updated_at])?;
        let xid = tx.last_insert_rowid();
        for i in &x.indicators {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO action_indicators (action_id, indicator_id) VALUES (?1, ?2)",
            )?
            .execute(params![xid, i])?;
        }
    }
    report.actions_added += a.actions.len();
    if a.status == Status::Finalised {
        let hash = signoff_to_store(a);
        crate::store::assessments::record_finalised(
            tx,
            target,
            a.finalised_by.as_deref(),
            a.finalised_at.as_deref(),
            &hash,
        )?;
        // a sign-off of an older encoding, checked against the content on the way in,
        // is kept as it was signed (re-encoding it would vouch for more than was signed)
        if let (Some(hash), Some(version)) = (&a.signoff_hash, a.signoff_version)
            && version != crate::integrity::SIGNOFF_VERSION
        {
            crate::store::bundle_proof::keep_signoff(tx, target, hash, version)?;
        }
    }
    Ok(())
}

/// The sign-off hash a finalised bundle assessment is stored with, from the rows in hand
/// (the same fields the store would read back): where the bundle carries one of this
/// encoding, `check_assessment` has recomputed it from these very fields and found it
/// equal. Both backends' writers call it.
pub(in crate::store) fn signoff_to_store<'a>(
    a: &'a BundleAssessment<'_>,
) -> std::borrow::Cow<'a, str> {
    if let Some(h) = a
        .signoff_hash
        .as_deref()
        .filter(|_| a.signoff_version == Some(crate::integrity::SIGNOFF_VERSION))
    {
        return std::borrow::Cow::Borrowed(h);
    }
    let scores: Vec<SignedScore<'_>> = a
        .scores
        .iter()
        .map(|s| SignedScore {
            indicator: &s.indicator,
            value: s.value,
            not_relevant: s.not_relevant,
            reasoning: &s.reasoning,
            sources: &s.sources,
            by: &s.by,
            at: &s.at,
            carried_over: s.carried_over,
        })
        .collect();
    let record = SignedRecord {
        year: i64::from(a.year),
        model_hash: &a.model_hash,
        signer: a.finalised_by.as_deref(),
        at: a.finalised_at.as_deref(),
    };
    std::borrow::Cow::Owned(signoff_v2(&record, &scores))
}

/// The framework of a model version among `models` (the quality model's where it is not
/// there: the bundle's checks refuse an assessment on an unknown model first).
pub(in crate::store) fn framework_of(models: &crate::exchange::ModelsByHash, hash: &str) -> String {
    models.get(hash).map_or_else(
        || crate::model::DEFAULT_FRAMEWORK.to_string(),
        |m| m.framework().to_string(),
    )
}
