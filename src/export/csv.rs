//! CSV in long format: one row per indicator of each assessment (with the assessment's
//! number, so two of one facility and year are told apart), RFC 4180, UTF-8; for Danish
//! Excel a byte-order mark and `;` between fields. Written assessment by assessment.

use super::spreadsheet_text;
use crate::app::Session;
use crate::app::exchange::{self, Selection};
use crate::app::files::{out_err, write_output};
use crate::error::{Error, Result};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// The header row, in the user's language.
pub fn header(lang: crate::i18n::Lang) -> [&'static str; 17] {
    match lang {
        crate::i18n::Lang::Da => [
            "vurdering",
            "tilbud",
            "år",
            "model",
            "status",
            "tema",
            "tema_titel",
            "kriterium",
            "indikator",
            "indikator_tekst",
            "score",
            "ikke_relevant",
            "overført",
            "begrundelse",
            "kilder",
            "af",
            "tidspunkt",
        ],
        crate::i18n::Lang::En => [
            "assessment",
            "facility",
            "year",
            "model",
            "status",
            "theme",
            "theme_title",
            "criterion",
            "indicator",
            "indicator_text",
            "score",
            "not_relevant",
            "carried_over",
            "reasoning",
            "sources",
            "by",
            "at",
        ],
    }
}

/// One CSV record at a time into a buffer, through csv_core's RFC 4180 encoder; the
/// model's fixed texts are encoded once per indicator and copied in.
struct Rows {
    enc: csv_core::Writer,
    buf: Vec<u8>,
}

impl Rows {
    fn new(delimiter: u8) -> Rows {
        Rows {
            enc: csv_core::WriterBuilder::new().delimiter(delimiter).build(),
            buf: Vec::with_capacity(512 * 1024),
        }
    }

    /// Runs one encoder step with room enough for any input (quoting at most doubles it).
    fn step(&mut self, room: usize, f: impl FnOnce(&mut csv_core::Writer, &mut [u8]) -> usize) {
        let start = self.buf.len();
        self.buf.resize(start + room, 0);
        let n = f(&mut self.enc, &mut self.buf[start..]);
        self.buf.truncate(start + n);
    }

    fn field(&mut self, text: &str) {
        self.step(text.len() * 2 + 4, |e, out| e.field(text.as_bytes(), out).2);
    }

    fn delimiter(&mut self) {
        self.step(4, |e, out| e.delimiter(out).1);
    }

    fn end(&mut self) {
        self.step(4, |e, out| e.terminator(out).1);
    }

    /// Fields, then the record's end.
    fn record(&mut self, fields: &[&str]) {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.delimiter();
            }
            self.field(f);
        }
        self.end();
    }

    /// Fields encoded on their own (no record end), to be copied into records later.
    fn segment(delimiter: u8, fields: &[&str]) -> Vec<u8> {
        let mut r = Rows::new(delimiter);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                r.delimiter();
            }
            r.field(f);
        }
        r.step(4, |e, out| e.finish(out).1);
        r.buf
    }
}

/// A model version's indicators for the export: where each id sits, and each indicator's
/// fixed columns, encoded.
struct ModelColumns {
    hash: String,
    pos: HashMap<String, usize>,
    fixed: Vec<Vec<u8>>,
}

/// Writes the rows of these assessments, streamed from one pass over the score rows.
pub fn write(ctx: &Session, selection: &Selection, path: &Path, excel: bool) -> Result<()> {
    let delimiter = if excel { b';' } else { b',' };
    write_output(path, |w| {
        let err = out_err(path);
        if excel {
            w.write_all("\u{feff}".as_bytes()).map_err(&err)?;
        }
        write_behind(w, &err, |out| encode(ctx, selection, delimiter, out))
    })
}

/// Encodes the records, handing each full buffer to the writing thread.
fn encode(ctx: &Session, selection: &Selection, delimiter: u8, out: &Handoff) -> Result<()> {
    let lang = ctx.lang;
    let mut rows = Rows::new(delimiter);
    rows.record(&header(lang));
    // per model version: where each indicator id sits, and each indicator's fixed columns, encoded
    let mut models: Vec<ModelColumns> = Vec::new();
    let mut slots: Vec<Option<usize>> = Vec::new();
    // with the scores carried over from last year and not re-assessed ("1")
    exchange::for_each_export_texts(ctx, selection, |a, scores, carried| {
        if !models.iter().any(|m| m.hash == a.model_hash) {
            let m = exchange::model(ctx, &a.model_hash)?;
            let pos = m
                .indicators()
                .enumerate()
                .map(|(i, r)| (r.indicator.id.clone(), i))
                .collect();
            let fixed = m
                .indicators()
                .map(|r| {
                    Rows::segment(
                        delimiter,
                        &[
                            &r.theme.number.to_string(),
                            &r.theme.title.da,
                            &r.criterion.id,
                            &r.indicator.id,
                            &r.indicator.text.da,
                        ],
                    )
                })
                .collect();
            models.push(ModelColumns {
                hash: a.model_hash.clone(),
                pos,
                fixed,
            });
        }
        let ModelColumns { pos, fixed, .. } = models
            .iter()
            .find(|m| m.hash == a.model_hash)
            .expect("added above");
        slots.clear();
        slots.resize(pos.len(), None);
        for (i, s) in scores.iter().enumerate() {
            if let Some(p) = pos.get(&s.indicator) {
                slots[*p] = Some(i);
            }
        }
        // the assessment's own columns, encoded once for all its rows
        let head = Rows::segment(
            delimiter,
            &[
                &a.id.to_string(),
                &spreadsheet_text(&a.facility),
                &a.year.to_string(),
                &a.model_id,
                a.status.as_str(),
            ],
        );
        for (i, fixed) in fixed.iter().enumerate() {
            let s = slots[i].map(|k| &scores[k]);
            let (score, not_relevant) = match s {
                Some(s) if s.not_relevant => (Cow::Borrowed(""), "1"),
                Some(s) => (
                    s.value.map_or(Cow::Borrowed(""), |v| digits(u32::from(v))),
                    "0",
                ),
                None => (Cow::Borrowed(""), ""),
            };
            rows.buf.extend_from_slice(&head);
            rows.delimiter();
            rows.buf.extend_from_slice(fixed);
            rows.delimiter();
            rows.field(&score);
            rows.delimiter();
            rows.field(not_relevant);
            rows.delimiter();
            rows.field(match s {
                Some(s) if carried.is_some_and(|c| c.contains(&s.indicator)) => "1",
                Some(_) => "0",
                None => "",
            });
            rows.delimiter();
            rows.field(&spreadsheet_text(s.map_or("", |s| s.reasoning.as_str())));
            rows.delimiter();
            rows.field(&spreadsheet_text(s.map_or("", |s| s.sources.as_str())));
            rows.delimiter();
            rows.field(&spreadsheet_text(s.map_or("", |s| s.by.as_str())));
            rows.delimiter();
            rows.field(s.map_or("", |s| s.at.as_str()));
            rows.end();
        }
        if rows.buf.len() > CHUNK {
            out.pass(&mut rows.buf)?;
        }
        Ok(())
    })?;
    out.pass(&mut rows.buf)
}

/// The size from which an encoded buffer goes to the writing thread.
const CHUNK: usize = 512 * 1024;

/// Full buffers handed to a thread that writes them, so the kernel's copy of the file
/// runs on the other core while the records are encoded; emptied buffers come back for
/// reuse, and at most two wait, so memory stays flat.
struct Handoff {
    full: SyncSender<Vec<u8>>,
    empty: Receiver<Vec<u8>>,
}

impl Handoff {
    /// Hands `buf` over and leaves an empty one in its place; fails where the writing
    /// thread has stopped (`write_behind` then reports that thread's error).
    fn pass(&self, buf: &mut Vec<u8>) -> Result<()> {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK + CHUNK / 2));
        self.full
            .send(std::mem::replace(buf, next))
            .map_err(|_| stopped())
    }
}

fn stopped() -> Error {
    Error::Io {
        path: "-".into(),
        source: std::io::Error::other("the writing thread stopped"),
    }
}

/// Runs `body` with a thread writing to `w` what it hands over; the first write error is
/// the one reported.
fn write_behind(
    w: &mut (dyn Write + Send),
    err: &dyn Fn(std::io::Error) -> Error,
    body: impl FnOnce(&Handoff) -> Result<()>,
) -> Result<()> {
    let (full, to_write) = sync_channel::<Vec<u8>>(2);
    let (emptied, empty) = channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let writer = s.spawn(move || -> std::io::Result<()> {
            for mut buf in to_write {
                w.write_all(&buf)?;
                buf.clear();
                let _ = emptied.send(buf);
            }
            Ok(())
        });
        let done = body(&Handoff { full, empty });
        // the sender is dropped with the handoff: the writer ends once the queue is written
        match writer.join() {
            Ok(Ok(())) => done,
            Ok(Err(e)) => Err(err(e)),
            Err(_) => Err(stopped()),
        }
    })
}

/// Small numbers as text, without an allocation per row.
fn digits(n: u32) -> Cow<'static, str> {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    DIGITS
        .get(n as usize)
        .map_or_else(|| Cow::Owned(n.to_string()), |d| Cow::Borrowed(*d))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn io(e: std::io::Error) -> Error {
        Error::Io {
            path: "out.csv".into(),
            source: e,
        }
    }

    #[test]
    fn the_writing_thread_writes_every_buffer_in_order_and_reports_its_own_error() {
        let mut out = Vec::new();
        write_behind(&mut out, &io, |h| {
            for i in 0..9u8 {
                let mut b = vec![i; CHUNK + 1];
                h.pass(&mut b)?;
                assert!(b.is_empty(), "an empty buffer comes back in its place");
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(out.len(), 9 * (CHUNK + 1));
        for (i, chunk) in out.chunks(CHUNK + 1).enumerate() {
            assert!(chunk.iter().all(|b| usize::from(*b) == i), "buffer {i}");
        }
        // the disk's error, not "the writing thread stopped", however far the encoder got
        let e = write_behind(&mut Full, &io, |h| {
            for _ in 0..100 {
                h.pass(&mut vec![b'x'; 16])?;
            }
            Ok(())
        })
        .unwrap_err();
        match e {
            Error::Io { path, source } => {
                assert_eq!(path, Path::new("out.csv"));
                assert_eq!(source.to_string(), "disk full");
            }
            other => panic!("{other}"),
        }
    }
}
