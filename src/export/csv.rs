//! CSV in long format: one row per indicator of each assessment (with the assessment's
//! number, so two of one facility and year are told apart), RFC 4180, UTF-8; for Danish
//! Excel a byte-order mark and `;` between fields. Two threads side by side: this one
//! reads the store into batches of rows, a second one encodes and writes them.

mod fields;
mod pipe;

use crate::app::Session;
use crate::app::exchange::{self, AssessmentRecord, ScoreText, Selection};
use crate::app::files::{out_err, write_output};
use crate::error::Result;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

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

/// A model version's indicators for the export: where each id sits, and each indicator's
/// fixed columns, encoded (made once per version on the reading side, shared).
struct ModelColumns {
    pos: HashMap<String, usize>,
    fixed: Vec<Vec<u8>>,
}

impl ModelColumns {
    fn of(ctx: &Session, hash: &str, delimiter: u8) -> Result<ModelColumns> {
        let m = exchange::model(ctx, hash)?;
        let pos = m
            .indicators()
            .enumerate()
            .map(|(i, r)| (r.indicator.id.clone(), i))
            .collect();
        let fixed = m
            .indicators()
            .map(|r| {
                let mut out = Vec::new();
                fields::fields(
                    &mut out,
                    &[
                        &r.theme.number.to_string(),
                        &r.theme.title.da,
                        &r.criterion.id,
                        &r.indicator.id,
                        &r.indicator.text.da,
                    ],
                    delimiter,
                );
                out
            })
            .collect();
        Ok(ModelColumns { pos, fixed })
    }
}

/// One assessment of a batch: its own columns, its model's, and where its scores end.
struct Head {
    id: i64,
    facility: String,
    year: i32,
    model_id: String,
    status: &'static str,
    model: Arc<ModelColumns>,
    end: usize,
}

/// Assessments with their scores, owned: filled on the reading side, encoded on the
/// other, then emptied and filled again (the texts' buffers are reused).
#[derive(Default)]
struct Batch {
    heads: Vec<Head>,
    used_heads: usize,
    scores: Vec<ScoreText>,
    /// per score: carried over from last year and not re-assessed
    carried: Vec<bool>,
    used: usize,
}

/// Rows from which a batch is handed over.
const BATCH_ROWS: usize = 4096;
/// Batches in all: one filling, one encoding, the rest waiting.
const BATCHES: usize = 4;
/// The size from which the encoded rows are written.
const CHUNK: usize = 512 * 1024;

impl Batch {
    fn new() -> Batch {
        Batch::default()
    }

    fn clear(&mut self) {
        self.used_heads = 0;
        self.used = 0;
    }

    fn push(
        &mut self,
        a: &AssessmentRecord,
        model: &Arc<ModelColumns>,
        scores: &[ScoreText],
        carried: Option<&HashSet<String>>,
    ) {
        for s in scores {
            if self.used == self.scores.len() {
                self.scores.push(ScoreText::default());
                self.carried.push(false);
            }
            let t = &mut self.scores[self.used];
            t.indicator.clone_from(&s.indicator);
            t.value = s.value;
            t.not_relevant = s.not_relevant;
            t.reasoning.clone_from(&s.reasoning);
            t.sources.clone_from(&s.sources);
            t.by.clone_from(&s.by);
            t.at.clone_from(&s.at);
            self.carried[self.used] = carried.is_some_and(|c| c.contains(&s.indicator));
            self.used += 1;
        }
        // the texts' buffers of the head this one replaces are reused
        let (mut facility, mut model_id) = match self.heads.get_mut(self.used_heads) {
            Some(h) => (
                std::mem::take(&mut h.facility),
                std::mem::take(&mut h.model_id),
            ),
            None => (String::new(), String::new()),
        };
        facility.clone_from(&a.facility);
        model_id.clone_from(&a.model_id);
        let head = Head {
            id: a.id,
            facility,
            year: a.year,
            model_id,
            status: a.status.as_str(),
            model: Arc::clone(model),
            end: self.used,
        };
        match self.heads.get_mut(self.used_heads) {
            Some(h) => *h = head,
            None => self.heads.push(head),
        }
        self.used_heads += 1;
    }
}

/// Writes the rows of these assessments, streamed from one pass over the score rows.
pub fn write(ctx: &Session, selection: &Selection, path: &Path, excel: bool) -> Result<()> {
    if path.as_os_str() == "-" {
        // written from the encoding thread: not through `Stdout`, whose lock this thread
        // may hold, but through a handle of its own on the same output
        let named = Path::new("stdout");
        let mut out = stdout_handle().map_err(out_err(named))?;
        return write_to(ctx, selection, named, excel, &mut out);
    }
    write_output(path, |w| write_to(ctx, selection, path, excel, w))
}

/// A handle of its own on standard output.
fn stdout_handle() -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    let handle = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned()?;
    #[cfg(windows)]
    let handle =
        std::os::windows::io::AsHandle::as_handle(&std::io::stdout()).try_clone_to_owned()?;
    Ok(std::fs::File::from(handle))
}

fn write_to(
    ctx: &Session,
    selection: &Selection,
    path: &Path,
    excel: bool,
    w: &mut (dyn Write + Send),
) -> Result<()> {
    let delimiter = if excel { b';' } else { b',' };
    let mut enc = Encoder::new(delimiter, w, path);
    if excel {
        enc.out.extend_from_slice("\u{feff}".as_bytes());
    }
    fields::fields(&mut enc.out, &header(ctx.lang), delimiter);
    enc.out.push(b'\n');
    pipe::run(
        BATCHES,
        Batch::new,
        |p| read(ctx, selection, delimiter, p),
        |b| match b {
            Some(b) => {
                enc.batch(b)?;
                b.clear();
                Ok(())
            }
            None => enc.flush(),
        },
    )
}

/// The reading side: the assessments with their scores, into batches.
fn read(ctx: &Session, selection: &Selection, delimiter: u8, p: &pipe::Pipe<Batch>) -> Result<()> {
    let mut models: Vec<(String, Arc<ModelColumns>)> = Vec::new();
    let mut batch: Option<Batch> = None;
    exchange::for_each_export_texts(ctx, selection, |a, scores, carried| {
        let model = match models.iter().find(|(h, _)| *h == a.model_hash) {
            Some((_, m)) => Arc::clone(m),
            None => {
                let m = Arc::new(ModelColumns::of(ctx, &a.model_hash, delimiter)?);
                models.push((a.model_hash.clone(), Arc::clone(&m)));
                m
            }
        };
        let mut b = match batch.take() {
            Some(b) => b,
            None => p.take()?,
        };
        b.push(a, &model, scores, carried);
        if b.used >= BATCH_ROWS {
            p.pass(b)
        } else {
            batch = Some(b);
            Ok(())
        }
    })?;
    match batch {
        Some(b) => p.pass(b),
        None => Ok(()),
    }
}

/// The encoding side: batches into CSV records, written in chunks.
struct Encoder<'w> {
    delimiter: u8,
    out: Vec<u8>,
    head: Vec<u8>,
    slots: Vec<Option<usize>>,
    w: &'w mut (dyn Write + Send),
    path: &'w Path,
}

impl<'w> Encoder<'w> {
    fn new(delimiter: u8, w: &'w mut (dyn Write + Send), path: &'w Path) -> Encoder<'w> {
        Encoder {
            delimiter,
            out: Vec::with_capacity(CHUNK + CHUNK / 2),
            head: Vec::new(),
            slots: Vec::new(),
            w,
            path,
        }
    }

    fn flush(&mut self) -> Result<()> {
        self.w.write_all(&self.out).map_err(out_err(self.path))?;
        self.out.clear();
        Ok(())
    }

    /// A batch's records: per assessment, a row for each indicator of its model.
    fn batch(&mut self, b: &Batch) -> Result<()> {
        let d = self.delimiter;
        let mut start = 0;
        for h in &b.heads[..b.used_heads] {
            let model = &*h.model;
            let scores = &b.scores[start..h.end];
            let carried = &b.carried[start..h.end];
            start = h.end;
            self.slots.clear();
            self.slots.resize(model.fixed.len(), None);
            for (i, s) in scores.iter().enumerate() {
                if let Some(p) = model.pos.get(&s.indicator) {
                    self.slots[*p] = Some(i);
                }
            }
            // the assessment's own columns, encoded once for all its rows
            self.head.clear();
            let mut id = itoa::Buffer::new();
            let mut year = itoa::Buffer::new();
            fields::fields(&mut self.head, &[id.format(h.id)], d);
            self.head.push(d);
            fields::field(&mut self.head, &h.facility, d, true);
            self.head.push(d);
            fields::fields(
                &mut self.head,
                &[year.format(h.year), &h.model_id, h.status],
                d,
            );
            let out = &mut self.out;
            for (i, fixed) in model.fixed.iter().enumerate() {
                out.extend_from_slice(&self.head);
                out.push(d);
                out.extend_from_slice(fixed);
                out.push(d);
                let Some(k) = self.slots[i] else {
                    // not scored: the score's columns empty
                    out.extend_from_slice(&[d; 6]);
                    out.push(b'\n');
                    continue;
                };
                let s = &scores[k];
                if s.not_relevant {
                    out.extend_from_slice(&[d, b'1']);
                } else {
                    if let Some(v) = s.value {
                        out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
                    }
                    out.extend_from_slice(&[d, b'0']);
                }
                out.extend_from_slice(&[d, if carried[k] { b'1' } else { b'0' }, d]);
                fields::field(out, &s.reasoning, d, true);
                out.push(d);
                fields::field(out, &s.sources, d, true);
                out.push(d);
                fields::field(out, &s.by, d, true);
                out.push(d);
                fields::field(out, &s.at, d, false);
                out.push(b'\n');
            }
            if self.out.len() > CHUNK {
                self.flush()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn score(indicator: &str, text: &str) -> ScoreText {
        ScoreText {
            indicator: indicator.into(),
            value: Some(3),
            not_relevant: false,
            reasoning: text.into(),
            sources: text.into(),
            by: text.into(),
            at: text.into(),
        }
    }

    fn record(id: i64, facility: &str) -> AssessmentRecord {
        AssessmentRecord {
            id,
            facility_id: 1,
            facility: facility.into(),
            year: 2025,
            model_id: "m".into(),
            model_hash: "h".into(),
            status: crate::assessment::Status::Draft,
            created_by: String::new(),
            created_at: String::new(),
            finalised_by: None,
            finalised_at: None,
            done: 0,
        }
    }

    #[test]
    fn a_reused_batch_holds_only_what_was_put_in_since_it_was_emptied() {
        let model = Arc::new(ModelColumns {
            pos: HashMap::new(),
            fixed: Vec::new(),
        });
        let carried: HashSet<String> = ["1a".to_string()].into();
        let mut b = Batch::new();
        let long = "a long text ".repeat(20);
        b.push(
            &record(1, "Første og længste navn"),
            &model,
            &[score("1a", &long), score("1b", &long)],
            Some(&carried),
        );
        b.push(&record(2, "B"), &model, &[], None);
        assert_eq!((b.used_heads, b.used), (2, 2));
        assert_eq!(b.carried[..2], [true, false]);
        let kept = b.scores[0].reasoning.capacity();
        b.clear();
        b.push(&record(3, "C"), &model, &[score("2a", "kort")], None);
        assert_eq!((b.used_heads, b.used), (1, 1));
        let (h, s) = (&b.heads[0], &b.scores[0]);
        assert_eq!((h.id, h.facility.as_str(), h.end), (3, "C", 1));
        assert_eq!((s.indicator.as_str(), s.reasoning.as_str()), ("2a", "kort"));
        assert_eq!(s.at, "kort");
        assert!(
            !b.carried[0],
            "the carried flag of the score it replaces is not kept"
        );
        assert_eq!(s.reasoning.capacity(), kept, "the text's buffer is reused");
    }

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_records_come_out_in_order_and_a_full_disk_is_reported_as_such() {
        let spec = crate::demo::DemoSpec {
            facilities: 3,
            years: 2,
            from_year: 2024,
            seed: 1,
        };
        let ctx = exchange::demo_session(&spec);
        let mut out = Vec::new();
        write_to(&ctx, &Selection::All, Path::new("out.csv"), false, &mut out).unwrap();
        let ids: Vec<i64> = ::csv::Reader::from_reader(out.as_slice())
            .records()
            .map(|r| r.unwrap()[0].parse().unwrap())
            .collect();
        assert!(ids.len() > 100, "{} rows", ids.len());
        assert!(ids.is_sorted(), "the assessments in number order");
        assert_eq!(ids.first(), Some(&1));
        let e = write_to(&ctx, &Selection::All, Path::new("out.csv"), true, &mut Full).unwrap_err();
        match e {
            Error::Io { path, source } => {
                assert_eq!(path, Path::new("out.csv"));
                assert_eq!(source.to_string(), "disk full");
            }
            other => panic!("{other}"),
        }
    }
}
