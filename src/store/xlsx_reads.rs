//! Reads for the workbook: the selected assessments in number order, each with its scores
//! and improvement actions, from one pass over each table merged by assessment number.

use super::actions::{ACTION_COLUMNS, ACTION_FROM, action_from_row};
use super::assessments::{BRIEF_COLUMNS, SCORE_COLUMNS, score_from_row};
use super::{AssessmentRecord, Selection, Store};
use crate::assessment::{ImprovementAction, Score};
use crate::error::Result;
use rusqlite::{Row, Rows};

/// Rows of one table in assessment order, with the row read ahead of the current assessment.
struct Cursor<'s, T> {
    rows: Rows<'s>,
    parse: fn(&Row<'_>) -> rusqlite::Result<(i64, T)>,
    ahead: Option<(i64, T)>,
    done: bool,
}

impl<T> Cursor<'_, T> {
    /// The rows of assessment `id` into `out` (cleared first); rows of assessments before
    /// it (not selected) are passed over.
    fn take(&mut self, id: i64, out: &mut Vec<T>) -> rusqlite::Result<()> {
        out.clear();
        loop {
            let ahead = match self.ahead.take() {
                Some(a) => a,
                None if self.done => return Ok(()),
                None => match self.rows.next()? {
                    Some(r) => (self.parse)(r)?,
                    None => {
                        self.done = true;
                        return Ok(());
                    }
                },
            };
            if ahead.0 > id {
                self.ahead = Some(ahead);
                return Ok(());
            }
            if ahead.0 == id {
                out.push(ahead.1);
            }
        }
    }
}

fn score_row(r: &Row<'_>) -> rusqlite::Result<(i64, Score)> {
    Ok((r.get(8)?, score_from_row(r)?))
}

fn action_row(r: &Row<'_>) -> rusqlite::Result<(i64, ImprovementAction)> {
    let a = action_from_row(r)?;
    Ok((a.assessment_id, a))
}

impl Store {
    /// Streams the assessments a selection takes, in the order of their numbers, each with
    /// its scores and its improvement actions (in number order): one pass over each table,
    /// so memory stays flat however many assessments there are.
    pub fn for_each_selected_scores(
        &self,
        sel: &Selection,
        mut f: impl FnMut(&AssessmentRecord, &[Score], &[ImprovementAction]) -> Result<()>,
    ) -> Result<()> {
        let e = |e| self.err(e);
        // every assessment: straight from the table; a few: listed, and only their rows read
        let (list, ids) = if *sel == Selection::All {
            (None, None)
        } else {
            let (_, mut list) = self.select(sel)?;
            list.sort_by_key(|a| a.id);
            let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
            let ids = serde_json::to_string(&ids).expect("numbers serialize");
            (Some(list), Some(ids))
        };
        let mut scores = self
            .conn
            .prepare(&format!(
                "SELECT {SCORE_COLUMNS}, assessment_id FROM scores
                 WHERE ?1 IS NULL OR assessment_id IN (SELECT value FROM json_each(?1))
                 ORDER BY assessment_id"
            ))
            .map_err(e)?;
        let mut actions = self
            .conn
            .prepare(&format!(
                "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM}
                 WHERE ?1 IS NULL OR x.assessment_id IN (SELECT value FROM json_each(?1))
                 ORDER BY x.assessment_id, x.id"
            ))
            .map_err(e)?;
        let mut scores = Cursor {
            rows: scores.query([&ids]).map_err(e)?,
            parse: score_row,
            ahead: None,
            done: false,
        };
        let mut actions = Cursor {
            rows: actions.query([&ids]).map_err(e)?,
            parse: action_row,
            ahead: None,
            done: false,
        };
        let (mut these, mut theirs) = (Vec::new(), Vec::new());
        let mut each = |a: &AssessmentRecord| -> Result<()> {
            scores.take(a.id, &mut these).map_err(e)?;
            actions.take(a.id, &mut theirs).map_err(e)?;
            f(a, &these, &theirs)
        };
        if let Some(list) = list {
            return list.iter().try_for_each(&mut each);
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {BRIEF_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id ORDER BY a.id"
            ))
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            each(&AssessmentRecord::from_row(r).map_err(e)?)?;
        }
        Ok(())
    }
}
