//! The theme sheets, written on a thread of their own: they hold most of the workbook's
//! cells (a row per indicator of every assessment), so writing them beside the reading,
//! the read model and the other sheets puts the second core to work. The assessments go
//! over a bounded channel in number order, so the rows and the order in which the sheets
//! first appear are what one thread writes.

use super::sheet_name;
use super::sheets::{Layout, Shape, Split, Styles, X};
use crate::assessment::{Score, ScoreValue};
use crate::i18n::Lang;
use crate::model::QualityModel;
use rust_xlsxwriter::XlsxError;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// A model version's rows on the theme sheets: per theme its sheet's name, and per
/// indicator its criterion, id and text.
pub(super) struct ThemeRows {
    themes: Vec<(String, Vec<[String; 3]>)>,
    /// The column titles, with the levels named as this model names them.
    titles: Vec<String>,
}

impl ThemeRows {
    pub fn of(model: &QualityModel, lang: Lang) -> ThemeRows {
        let themes = model
            .themes
            .iter()
            .map(|theme| {
                let name = sheet_name(&format!("{} {}", theme.number, theme.title.da));
                let rows = theme
                    .criteria
                    .iter()
                    .flat_map(|c| {
                        c.indicators
                            .iter()
                            .map(|i| [c.id.clone(), i.id.clone(), i.text.da.clone()])
                    })
                    .collect();
                (name, rows)
            })
            .collect();
        ThemeRows {
            themes,
            titles: super::rows::theme_titles(lang, &model.levels()),
        }
    }
}

/// One assessment's part of the theme sheets.
pub(super) struct Job {
    pub id: i64,
    /// As a spreadsheet shows it (a leading `=` and the like made harmless).
    pub facility: String,
    pub year: i32,
    pub model_id: String,
    pub rows: Arc<ThemeRows>,
    pub scores: Scores,
}

/// An assessment's scores, their texts in one string (one allocation, not four a score).
pub(super) struct Scores {
    texts: String,
    scores: Vec<Packed>,
}

/// A score, its texts as where they end in `Scores::texts`: indicator, reasoning, sources, by.
struct Packed {
    ends: [usize; 4],
    value: ScoreValue,
    carried_over: bool,
    at: chrono::DateTime<chrono::Utc>,
}

impl Scores {
    pub fn of(scores: &[Score]) -> Scores {
        let len = scores
            .iter()
            .map(|s| s.indicator_id.len() + s.reasoning.len() + s.sources.len() + s.by.len())
            .sum();
        let mut texts = String::with_capacity(len);
        let scores = scores
            .iter()
            .map(|s| {
                let mut ends = [0; 4];
                for (e, t) in
                    ends.iter_mut()
                        .zip([&s.indicator_id, &s.reasoning, &s.sources, &s.by])
                {
                    texts.push_str(t);
                    *e = texts.len();
                }
                Packed {
                    ends,
                    value: s.value,
                    carried_over: s.carried_over,
                    at: s.at,
                }
            })
            .collect();
        Scores { texts, scores }
    }

    /// The `k`th score's indicator, reasoning, sources and by.
    fn texts(&self, k: usize) -> [&str; 4] {
        let start = match k {
            0 => 0,
            _ => self.scores[k - 1].ends[3],
        };
        let e = self.scores[k].ends;
        [
            &self.texts[start..e[0]],
            &self.texts[e[0]..e[1]],
            &self.texts[e[1]..e[2]],
            &self.texts[e[2]..e[3]],
        ]
    }

    fn indicator(&self, k: usize) -> Option<&str> {
        self.scores.get(k).map(|_| self.texts(k)[0])
    }

    fn find(&self, indicator: &str) -> Option<usize> {
        (0..self.scores.len()).find(|&k| self.texts(k)[0] == indicator)
    }
}

/// The theme sheets by name, in the order they first appeared.
type Named = Vec<(String, Split)>;

/// The thread writing the theme sheets, and where to send it the assessments.
pub(super) struct ThemeThread {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<X<Named>>>,
}

impl ThemeThread {
    pub fn start(lang: Lang, layout: Layout, st: Styles) -> X<ThemeThread> {
        let (jobs, queue) = sync_channel::<Job>(64);
        let thread = std::thread::Builder::new()
            .name("xlsx-themes".into())
            .spawn(move || {
                let mut sheets = Sheets {
                    lang,
                    layout,
                    st,
                    themes: Vec::new(),
                };
                for job in queue {
                    sheets.rows(&job)?;
                }
                Ok(sheets.themes)
            })?;
        Ok(ThemeThread {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Hands one assessment over; where the thread has stopped, its error.
    pub fn send(&mut self, job: Job) -> X {
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok());
        if sent {
            return Ok(());
        }
        self.finish().and(Err(stopped()))
    }

    /// The theme sheets by name, in the order they first appeared, once every row is written.
    pub fn finish(&mut self) -> X<Named> {
        drop(self.jobs.take());
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(done)) => done,
            _ => Err(stopped()),
        }
    }
}

fn stopped() -> XlsxError {
    XlsxError::IoError(std::io::Error::other("the theme sheets' thread stopped"))
}

/// The theme sheets as they fill.
struct Sheets {
    lang: Lang,
    layout: Layout,
    st: Styles,
    themes: Vec<(String, Split)>,
}

impl Sheets {
    fn rows(&mut self, a: &Job) -> X {
        let yes = self.lang.pick("ja", "yes");
        let mut at = String::with_capacity(32);
        // the scores are in the model's order more often than not: look after the last one first
        let mut next = 0;
        for (name, rows) in &a.rows.themes {
            let k = match self.themes.iter().position(|(n, _)| n == name) {
                Some(k) => k,
                None => {
                    let shape = Shape {
                        name: name.clone(),
                        titles: a.rows.titles.clone(),
                        widths: &[(6, 50), (10, 60), (11, 30)],
                        wrapped: &[6, 10, 11],
                        scale_from: None,
                    };
                    let split = Split::new(self.layout, shape, &self.st)?;
                    self.themes.push((name.clone(), split));
                    self.themes.len() - 1
                }
            };
            let split = &mut self.themes[k].1;
            for [criterion, indicator, text] in rows {
                let mut row = split.row(&self.st)?;
                let found = match a.scores.indicator(next) {
                    Some(i) if i == indicator => Some(next),
                    _ => a.scores.find(indicator),
                };
                row.number(0, a.id as f64)?;
                row.string(1, &a.facility)?;
                row.number(2, a.year)?;
                row.string(3, &a.model_id)?;
                row.string(4, criterion)?;
                row.string(5, indicator)?;
                row.string(6, text)?;
                let Some(k) = found else { continue };
                next = k + 1;
                let sc = &a.scores.scores[k];
                let [_, reasoning, sources, by] = a.scores.texts(k);
                match sc.value {
                    ScoreValue::Scored(n) => row.number(7, n)?,
                    ScoreValue::NotRelevant => row.string(8, yes)?,
                };
                if sc.carried_over {
                    row.string(9, yes)?;
                }
                row.string(10, crate::export::spreadsheet_text(reasoning))?;
                row.string(11, crate::export::spreadsheet_text(sources))?;
                row.string(12, crate::export::spreadsheet_text(by))?;
                at.clear();
                rfc3339(sc.at, &mut at);
                row.string(13, &at)?;
            }
        }
        Ok(())
    }
}

/// A time as `to_rfc3339_opts(Secs, true)` writes it (`2025-03-01T10:00:00Z`), into `out`
/// without a string of its own where the year has four digits.
fn rfc3339(at: chrono::DateTime<chrono::Utc>, out: &mut String) {
    use chrono::{Datelike, Timelike};
    let (d, t) = (at.date_naive(), at.time());
    if !(1000..=9999).contains(&d.year()) || t.nanosecond() >= 1_000_000_000 {
        out.push_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        return;
    }
    let mut n = itoa::Buffer::new();
    out.push_str(n.format(d.year()));
    for (sep, v) in [
        ('-', d.month()),
        ('-', d.day()),
        ('T', t.hour()),
        (':', t.minute()),
        (':', t.second()),
    ] {
        out.push(sep);
        if v < 10 {
            out.push('0');
        }
        out.push_str(n.format(v));
    }
    out.push('Z');
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    #[test]
    fn times_are_written_as_rfc3339_writes_them() {
        let times = [
            Utc.with_ymd_and_hms(2025, 3, 1, 10, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 9, 7, 5, 3).unwrap()
                + chrono::Duration::milliseconds(999),
            Utc.with_ymd_and_hms(999, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(12345, 6, 7, 8, 9, 10).unwrap(),
        ];
        for at in times {
            let mut out = String::new();
            super::rfc3339(at, &mut out);
            assert_eq!(out, at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
    }
}
