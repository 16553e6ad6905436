//! The exports' streams on the server: a selection's assessments in number order, each
//! with its scores (and actions, or the scores' texts), as SQLite's `store/xlsx_reads.rs`
//! and `store/texts.rs` give them. A page of assessments at a time: its rows are read,
//! the connection is let go, then the caller's function runs for each (the exporters'
//! functions read the store themselves: a model, a facility), so memory stays flat and
//! nothing re-enters the connection while it is in use.

use super::PgStore;
use super::read_rows::{
    ACTION_COLUMNS, ACTION_FROM, BRIEF_COLUMNS, SCORE_COLUMNS, action_from_row, record_from_row,
};
use crate::assessment::{ImprovementAction, Score};
use crate::error::Result;
use crate::store::backend::{Exchange, SelectedScores};
use crate::store::{AssessmentRecord, ScoreText, Selection};
use postgres::Row;

/// Assessments per page.
const PAGE: usize = 200;

/// The rows of a page in assessment order (column `at` the assessment's number): those of
/// one assessment, taken in turn.
struct Merge<'r> {
    rows: std::iter::Peekable<std::slice::Iter<'r, Row>>,
    at: usize,
}

impl<'r> Merge<'r> {
    fn new(rows: &'r [Row], at: usize) -> Self {
        Merge {
            rows: rows.iter().peekable(),
            at,
        }
    }

    /// The next row of assessment `id` (rows of numbers before it are passed over).
    fn next_of(&mut self, id: i64) -> Option<&'r Row> {
        let at = self.at;
        while self.rows.next_if(|r| r.get::<_, i64>(at) < id).is_some() {}
        self.rows.next_if(|r| r.get::<_, i64>(at) == id)
    }
}

impl PgStore {
    /// The assessments a selection takes, in number order, a page at a time.
    fn for_each_page(
        &self,
        sel: &Selection,
        mut page: impl FnMut(&[AssessmentRecord]) -> Result<()>,
    ) -> Result<()> {
        if *sel != Selection::All {
            let (_, mut list) = self.select(sel)?;
            list.sort_by_key(|a| a.id);
            return list.chunks(PAGE).try_for_each(page);
        }
        // every assessment: straight from the table, by number
        let mut after = i64::MIN;
        loop {
            let rows = self
                .client
                .borrow_mut()
                .query(
                    &format!(
                        "SELECT {BRIEF_COLUMNS} FROM assessments a JOIN facilities f ON f.id = a.facility_id
                         WHERE a.id > $1 ORDER BY a.id LIMIT $2"
                    ),
                    &[&after, &(PAGE as i64)],
                )
                .map_err(|e| self.err(e))?;
            let list: Vec<AssessmentRecord> = rows.iter().map(record_from_row).collect();
            drop(rows);
            let Some(last) = list.last() else {
                return Ok(());
            };
            after = last.id;
            page(&list)?;
        }
    }

    /// The rows of these assessments, by assessment (and in `order` within one).
    fn rows_of(&self, sql: &str, ids: &[i64]) -> Result<Vec<Row>> {
        self.client
            .borrow_mut()
            .query(sql, &[&ids])
            .map_err(|e| self.err(e))
    }

    /// `Exchange::for_each_selected_scores`: each assessment with its scores (by
    /// indicator) and its improvement actions (by number).
    pub(super) fn stream_selected_scores(
        &self,
        sel: &Selection,
        f: &mut SelectedScores<'_>,
    ) -> Result<()> {
        let scores_sql = format!(
            "SELECT {SCORE_COLUMNS} FROM scores WHERE assessment_id = ANY($1)
             ORDER BY assessment_id, indicator_id COLLATE \"C\""
        );
        let actions_sql = format!(
            "SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE x.assessment_id = ANY($1)
             ORDER BY x.assessment_id, x.id"
        );
        let (mut these, mut theirs): (Vec<Score>, Vec<ImprovementAction>) =
            (Vec::new(), Vec::new());
        self.for_each_page(sel, |page| {
            let ids: Vec<i64> = page.iter().map(|a| a.id).collect();
            let scores = self.rows_of(&scores_sql, &ids)?;
            let actions = self.rows_of(&actions_sql, &ids)?;
            let (mut s, mut x) = (Merge::new(&scores, 8), Merge::new(&actions, 1));
            for a in page {
                these.clear();
                theirs.clear();
                while let Some(r) = s.next_of(a.id) {
                    these.push(self.score_from_row(r)?);
                }
                while let Some(r) = x.next_of(a.id) {
                    theirs.push(action_from_row(r));
                }
                f(a, &these, &theirs)?;
            }
            Ok(())
        })
    }

    /// `Exchange::for_each_selected_texts`: each assessment with its scores' texts as
    /// stored, in buffers reused from one assessment to the next.
    pub(super) fn stream_selected_texts(
        &self,
        sel: &Selection,
        f: &mut dyn FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        let sql = "SELECT assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at
             FROM scores WHERE assessment_id = ANY($1) ORDER BY assessment_id, indicator_id COLLATE \"C\"";
        let mut scores: Vec<ScoreText> = Vec::new();
        self.for_each_page(sel, |page| {
            let ids: Vec<i64> = page.iter().map(|a| a.id).collect();
            let rows = self.rows_of(sql, &ids)?;
            let mut m = Merge::new(&rows, 0);
            for a in page {
                let mut n = 0;
                while let Some(r) = m.next_of(a.id) {
                    if n == scores.len() {
                        scores.push(ScoreText::default());
                    }
                    let s = &mut scores[n];
                    refill(&mut s.indicator, r.get(1));
                    s.value = r
                        .get::<_, Option<i64>>(2)
                        .and_then(|v| u8::try_from(v).ok());
                    s.not_relevant = r.get(3);
                    refill(&mut s.reasoning, r.get(4));
                    refill(&mut s.sources, r.get(5));
                    refill(&mut s.by, r.get(6));
                    refill(&mut s.at, r.get(7));
                    n += 1;
                }
                f(a, &scores[..n])?;
            }
            Ok(())
        })
    }
}

fn refill(buf: &mut String, text: &str) {
    buf.clear();
    buf.push_str(text);
}
