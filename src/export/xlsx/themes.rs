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
use rust_xlsxwriter::{Workbook, XlsxError};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A model version's rows on the theme sheets: per theme its sheet's name, and per
/// indicator its criterion, id and text.
pub(super) struct ThemeRows {
    themes: Vec<(String, Vec<[String; 3]>)>,
}

impl ThemeRows {
    pub fn of(model: &QualityModel) -> ThemeRows {
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
        ThemeRows { themes }
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
    pub scores: Vec<Score>,
}

/// The theme sheets by name, in the order they first appeared.
type Named = Vec<(String, Split)>;

/// The thread writing the theme sheets, and where to send it the assessments.
pub(super) struct ThemeThread {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<X<Named>>>,
}

impl ThemeThread {
    pub fn start(book: Arc<Mutex<Workbook>>, lang: Lang, layout: Layout) -> ThemeThread {
        let (jobs, queue) = sync_channel::<Job>(64);
        let thread = std::thread::spawn(move || {
            let mut sheets = Sheets {
                lang,
                layout,
                st: Styles::new(),
                themes: Vec::new(),
                titles: super::rows::theme_titles(lang),
            };
            for job in queue {
                sheets.rows(&book, &job)?;
            }
            Ok(sheets.themes)
        });
        ThemeThread {
            jobs: Some(jobs),
            thread: Some(thread),
        }
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
    titles: Vec<String>,
}

impl Sheets {
    fn rows(&mut self, book: &Mutex<Workbook>, a: &Job) -> X {
        let yes = self.lang.pick("ja", "yes");
        // the scores are in the model's order more often than not: look after the last one first
        let mut next = 0;
        for (name, rows) in &a.rows.themes {
            let k = match self.themes.iter().position(|(n, _)| n == name) {
                Some(k) => k,
                None => {
                    let shape = Shape {
                        name: name.clone(),
                        titles: self.titles.clone(),
                        widths: &[(6, 50), (10, 60), (11, 30)],
                        wrapped: &[6, 10, 11],
                        scale_from: None,
                    };
                    let split = Split::new(book, self.layout, shape, &self.st)?;
                    self.themes.push((name.clone(), split));
                    self.themes.len() - 1
                }
            };
            let split = &mut self.themes[k].1;
            for [criterion, indicator, text] in rows {
                let (sheet, r) = split.row(book, &self.st)?;
                let found = match a.scores.get(next) {
                    Some(s) if s.indicator_id == *indicator => Some(next),
                    _ => a.scores.iter().position(|s| s.indicator_id == *indicator),
                };
                sheet.write_number(r, 0, a.id as f64)?;
                sheet.write_string(r, 1, &a.facility)?;
                sheet.write_number(r, 2, a.year)?;
                sheet.write_string(r, 3, &a.model_id)?;
                sheet.write_string(r, 4, criterion)?;
                sheet.write_string(r, 5, indicator)?;
                sheet.write_string(r, 6, text)?;
                let Some(k) = found else { continue };
                next = k + 1;
                let sc = &a.scores[k];
                match sc.value {
                    ScoreValue::Scored(n) => sheet.write_number(r, 7, n)?,
                    ScoreValue::NotRelevant => sheet.write_string(r, 8, yes)?,
                };
                if sc.carried_over {
                    sheet.write_string(r, 9, yes)?;
                }
                sheet.write_string(r, 10, crate::export::spreadsheet_text(&sc.reasoning))?;
                sheet.write_string(r, 11, crate::export::spreadsheet_text(&sc.sources))?;
                sheet.write_string(r, 12, crate::export::spreadsheet_text(&sc.by))?;
                let at = sc.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                sheet.write_string(r, 13, at)?;
            }
        }
        Ok(())
    }
}
