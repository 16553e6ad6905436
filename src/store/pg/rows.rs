//! What the assessment, score and action writes on the server share: one write
//! transaction with the server's refusals mapped to SQLite's errors, the assessment and
//! score rows' readers, the score insert and the check that an assessment is a draft.

use super::PgStore;
use crate::assessment::{Score, ScoreValue, Status};
use crate::error::{Error, Result};
use crate::store::{AssessmentRecord, Stamp};
use postgres::Row;
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};

/// Why a write transaction stopped: the server refused, or a rule of the program did.
pub(super) enum Fail {
    Pg(postgres::Error),
    App(Error),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Fail {
        Fail::Pg(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::App(e)
    }
}

/// The message of the lock triggers' refusal (`schema::TRIGGERS`, SQLite's too).
const LOCKED: &str = "assessment is finalised";

/// The assessment columns, in the order `record_from_row` reads them (SQLite's `COLUMNS`).
pub(super) const COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at,
    (SELECT count(*) FROM scores s WHERE s.assessment_id = a.id)";

/// The same without the progress count (SQLite's `BRIEF_COLUMNS`).
pub(super) const BRIEF_COLUMNS: &str =
    "a.id, a.facility_id, f.name, a.year, a.model_id, a.model_hash, a.status, a.created_by,
    a.created_at, a.finalised_by, a.finalised_at, 0::bigint";

/// The score columns, as SQLite's (`score_rows::SCORE_COLUMNS`).
pub(super) const SCORE_COLUMNS: &str = crate::store::score_rows::SCORE_COLUMNS;

pub(super) fn status_of(text: &str) -> Status {
    if text == "finalised" {
        Status::Finalised
    } else {
        Status::Draft
    }
}

pub(super) fn record_from_row(r: &Row) -> AssessmentRecord {
    AssessmentRecord {
        id: r.get(0),
        facility_id: r.get(1),
        facility: r.get(2),
        year: r.get(3),
        model_id: r.get(4),
        model_hash: r.get(5),
        status: status_of(r.get(6)),
        created_by: r.get(7),
        created_at: r.get(8),
        finalised_by: r.get(9),
        finalised_at: r.get(10),
        done: usize::try_from(r.get::<_, i64>(11)).unwrap_or_default(),
    }
}

/// A score's value from its columns (a value out of the scale reads as not relevant, as
/// SQLite's reader has it for a row without a value).
pub(super) fn value_of(value: Option<i64>, not_relevant: bool) -> ScoreValue {
    match (not_relevant, value.and_then(|v| u8::try_from(v).ok())) {
        (false, Some(v)) => ScoreValue::Scored(v),
        _ => ScoreValue::NotRelevant,
    }
}

impl PgStore {
    /// A server's refusal as the user reads it: the lock triggers' as SQLite's
    /// `Finalised`, anything else with the server's message.
    pub(super) fn refusal(&self, e: postgres::Error, assessment: Option<i64>) -> Error {
        if let (Some(db), Some(id)) = (e.as_db_error(), assessment)
            && *db.code() == SqlState::RAISE_EXCEPTION
            && db.message() == LOCKED
        {
            return Error::Finalised(id);
        }
        self.err(e)
    }

    /// Runs `f` in one transaction: all of it is committed, or (on any error) none.
    /// `assessment` names the one a lock trigger's refusal is about.
    pub(super) fn write<T>(
        &self,
        assessment: Option<i64>,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, Fail>,
    ) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        match f(&mut tx) {
            Ok(out) => {
                tx.commit().map_err(|e| self.refusal(e, assessment))?;
                Ok(out)
            }
            Err(Fail::App(e)) => Err(e),
            Err(Fail::Pg(e)) => Err(self.refusal(e, assessment)),
        }
    }

    /// Rows of a read outside any write.
    pub(super) fn rows(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.client
            .borrow_mut()
            .query(sql, params)
            .map_err(|e| self.err(e))
    }

    /// A score row as the program reads it; a time that does not read is the server's
    /// data gone wrong, named.
    pub(super) fn score_from_row(&self, r: &Row) -> Result<Score> {
        score_from_row(r).map_err(|message| Error::Server {
            server: self.server.clone(),
            message,
        })
    }
}

/// A score row (`SCORE_COLUMNS`); a time that does not read is an error's message.
pub(super) fn score_from_row(r: &Row) -> Result<Score, String> {
    score_at(r, 0)
}

/// The score whose `SCORE_COLUMNS` begin at column `first` of a row.
pub(super) fn score_at(r: &Row, first: usize) -> Result<Score, String> {
    let at: String = r.get(first + 6);
    Ok(Score {
        indicator_id: r.get(first),
        value: value_of(r.get(first + 1), r.get(first + 2)),
        reasoning: r.get(first + 3),
        sources: r.get(first + 4),
        by: r.get(first + 5),
        at: chrono::DateTime::parse_from_rfc3339(&at)
            .map(|d| d.to_utc())
            .map_err(|e| format!("a score's time {at:?} does not read: {e}"))?,
        carried_over: r.get(first + 7),
    })
}

impl PgStore {
    /// The scores of an assessment inside a transaction, in SQLite's order (by indicator id).
    pub(super) fn scores_in(
        &self,
        tx: &mut postgres::Transaction<'_>,
        assessment: i64,
    ) -> Result<Vec<Score>, Fail> {
        let rows = tx.query(
            &format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = $1 ORDER BY indicator_id COLLATE \"C\""
            ),
            &[&assessment],
        )?;
        Ok(rows
            .iter()
            .map(|r| self.score_from_row(r))
            .collect::<Result<_>>()?)
    }
}

/// What a write holds to the end of its transaction, by its number: an advisory lock
/// (no privilege needed, and blind to row-level security, unlike `FOR SHARE`/`FOR
/// UPDATE`, which ask for UPDATE on the table and find only the rows a leader may change,
/// so that another facility's row reads as missing instead of as the server's refusal).
#[derive(Clone, Copy)]
pub(super) enum Hold {
    /// An assessment: score writes share it, a sign-off, reopen or move holds it alone.
    Assessment = 7019,
    /// A facility, while an assessment of it starts.
    Facility = 7020,
    /// An improvement action, while it is edited.
    Action = 7021,
}

/// Takes a hold on a row's number (`shared`: beside others' shared holds).
pub(super) fn hold(
    tx: &mut postgres::Transaction<'_>,
    what: Hold,
    id: i64,
    shared: bool,
) -> Result<(), postgres::Error> {
    let lock = if shared {
        "pg_advisory_xact_lock_shared"
    } else {
        "pg_advisory_xact_lock"
    };
    tx.execute_typed(
        &format!("SELECT {lock}($1, ($2 % 2147483647)::int)"),
        &[(&(what as i32), Type::INT4), (&id, Type::INT8)],
    )?;
    Ok(())
}

/// Refuses a change to a finalised assessment, sharing its hold until the transaction
/// ends (a sign-off waits for the score writes under way, and later ones for it). The
/// status is read after the hold is taken, so a sign-off committed meanwhile is seen.
pub(super) fn ensure_draft(
    tx: &mut postgres::Transaction<'_>,
    assessment: i64,
) -> Result<(), Fail> {
    hold(tx, Hold::Assessment, assessment, true)?;
    let row = tx.query_opt(
        "SELECT status FROM assessments WHERE id = $1",
        &[&assessment],
    )?;
    match row {
        None => Err(Error::UnknownAssessment(assessment.to_string()).into()),
        Some(r) if status_of(r.get(0)) == Status::Finalised => {
            Err(Error::Finalised(assessment).into())
        }
        Some(_) => Ok(()),
    }
}

/// Inserts or replaces one score row.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_score(
    tx: &mut postgres::Transaction<'_>,
    assessment: i64,
    indicator: &str,
    value: ScoreValue,
    reasoning: &str,
    sources: &str,
    carried_over: bool,
    stamp: &Stamp,
    at: &str,
) -> Result<(), postgres::Error> {
    // typed: one round trip, no statement prepared first (the hot path of every score)
    tx.execute_typed(
        "INSERT INTO scores (assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at, carried_over)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET
           value = excluded.value, not_relevant = excluded.not_relevant, reasoning = excluded.reasoning,
           sources = excluded.sources, by = excluded.by, at = excluded.at, carried_over = excluded.carried_over",
        &[
            (&assessment, Type::INT8),
            (&indicator, Type::TEXT),
            (&value.value().map(i64::from), Type::INT8),
            (&(value == ScoreValue::NotRelevant), Type::BOOL),
            (&reasoning, Type::TEXT),
            (&sources, Type::TEXT),
            (&stamp.by, Type::TEXT),
            (&at, Type::TEXT),
            (&carried_over, Type::BOOL),
        ],
    )?;
    Ok(())
}
