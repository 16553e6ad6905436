//! Streaming the scores' texts of many assessments in one pass, with reused buffers
//! (the exports and the privacy scan).

use super::{AssessmentRecord, Selection, Store};
use crate::error::Result;

/// One score with its texts, as stored (the time as its RFC 3339 text).
#[derive(Debug, Clone, Default)]
pub struct ScoreText {
    pub indicator: String,
    pub value: Option<u8>,
    pub not_relevant: bool,
    pub reasoning: String,
    pub sources: String,
    pub by: String,
    pub at: String,
}

fn refill(buf: &mut String, r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<()> {
    buf.clear();
    if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i)? {
        // simdutf8's check (several times std's on text that is not all ASCII); std's
        // only where it fails, for its error
        let text = match simdutf8::basic::from_utf8(t) {
            Ok(text) => text,
            Err(_) => std::str::from_utf8(t).map_err(|e| rusqlite::Error::Utf8Error(i, e))?,
        };
        buf.push_str(text);
    }
    Ok(())
}

impl Store {
    /// Streams these assessments, in the order of their numbers, each with its scores'
    /// texts: one pass over the score rows in key order, merged with the list; the buffers
    /// are reused, so memory stays flat however many rows there are.
    pub fn for_each_assessment_texts(
        &self,
        assessments: &[AssessmentRecord],
        f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        let mut list: Vec<&AssessmentRecord> = assessments.iter().collect();
        list.sort_by_key(|a| a.id);
        let total: i64 = self
            .conn
            .query_row("SELECT count(*) FROM assessments", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        // every assessment: the whole table in key order; a few: only theirs
        let ids = ((list.len() as i64) < total).then(|| {
            serde_json::to_string(&list.iter().map(|a| a.id).collect::<Vec<_>>())
                .expect("serializes")
        });
        self.merge_texts(list.into_iter().map(Ok), ids, f)
    }

    /// As `for_each_assessment_texts`, for what a selection takes; every assessment is
    /// streamed from the table (in number order) rather than listed first, so memory stays
    /// flat however many assessments there are.
    pub fn for_each_selected_texts(
        &self,
        sel: &Selection,
        f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        if *sel != Selection::All {
            let (_, list) = self.select(sel)?;
            return self.for_each_assessment_texts(&list, f);
        }
        let columns = super::assessments::BRIEF_COLUMNS;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {columns} FROM assessments a JOIN facilities f ON f.id = a.facility_id ORDER BY a.id"
            ))
            .map_err(|e| self.err(e))?;
        let records = stmt
            .query_map([], AssessmentRecord::from_row)
            .map_err(|e| self.err(e))?
            .map(|r| r.map_err(|e| self.err(e)));
        self.merge_texts(records, None, f)
    }

    /// Merges assessments (in number order) with one pass over the score rows in key order
    /// (of the assessments in `ids`, a JSON array, or of all): `f` gets each assessment with
    /// its scores' texts, in buffers reused from one assessment to the next.
    fn merge_texts<R: std::borrow::Borrow<AssessmentRecord>>(
        &self,
        records: impl Iterator<Item = Result<R>>,
        ids: Option<String>,
        mut f: impl FnMut(&AssessmentRecord, &[ScoreText]) -> Result<()>,
    ) -> Result<()> {
        const COLUMNS: &str = "SELECT assessment_id, indicator_id, value, not_relevant, reasoning, sources, by, at FROM scores";
        // every row: no condition to test on each
        let sql = match ids {
            Some(_) => format!(
                "{COLUMNS} WHERE assessment_id IN (SELECT value FROM json_each(?1)) ORDER BY assessment_id"
            ),
            None => format!("{COLUMNS} ORDER BY assessment_id"),
        };
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = match &ids {
            Some(ids) => stmt.query([ids]),
            None => stmt.query([]),
        }
        .map_err(|e| self.err(e))?;
        let mut scores: Vec<ScoreText> = Vec::new();
        let mut next = records.peekable();
        // the next assessment in number order, taken when its number is at most `id`
        let mut take_upto = |id: i64| -> Result<Option<R>> {
            match next.peek() {
                Some(Ok(a)) if a.borrow().id <= id => next.next().transpose(),
                Some(Err(_)) => next.next().transpose(),
                _ => Ok(None),
            }
        };
        let mut current: Option<R> = None;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            if current.as_ref().is_none_or(|c| c.borrow().id != id) {
                if let Some(c) = current.take() {
                    f(c.borrow(), &scores[..n])?;
                }
                n = 0;
                // assessments without scores come out empty, in their place
                while let Some(a) = take_upto(id)? {
                    if a.borrow().id == id {
                        current = Some(a);
                        break;
                    }
                    f(a.borrow(), &[])?;
                }
            }
            if current.is_none() {
                continue;
            }
            if n == scores.len() {
                scores.push(ScoreText::default());
            }
            let s = &mut scores[n];
            (|| -> rusqlite::Result<()> {
                refill(&mut s.indicator, r, 1)?;
                s.value = r.get(2)?;
                s.not_relevant = r.get(3)?;
                refill(&mut s.reasoning, r, 4)?;
                refill(&mut s.sources, r, 5)?;
                refill(&mut s.by, r, 6)?;
                refill(&mut s.at, r, 7)
            })()
            .map_err(|e| self.err(e))?;
            n += 1;
        }
        if let Some(c) = current {
            f(c.borrow(), &scores[..n])?;
        }
        while let Some(a) = take_upto(i64::MAX)? {
            f(a.borrow(), &[])?;
        }
        Ok(())
    }
}
