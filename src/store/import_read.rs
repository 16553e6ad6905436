//! The reading side of a bundle import: the JSON read from a buffered reader, field by
//! field, on its own thread, each part handed over as soon as it is read (one assessment
//! at a time, the audit log in chunks). Every string is owned by the part it is in, so
//! what is in memory is the reader's buffer and the parts in flight, whatever the file's
//! size.

use crate::exchange::{BundleAssessment, BundleAudit, BundleFacility, BundleModel};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::io::{self, Read};

/// A part of a bundle, as the reader hands it over.
pub(super) enum Part {
    Format(String),
    ExportedAt(String),
    ExportedBy(String),
    Program,
    Models(Vec<BundleModel>),
    Facilities(Vec<BundleFacility>),
    /// An assessment, with the verdict of `check_assessment` where the reading thread
    /// could already give it (it knew the bundle's models and facilities; see
    /// `import::run`), else `None` and the writer checks it.
    Assessment(Box<BundleAssessment<'static>>, Checked),
    /// The `assessments` array is complete.
    AssessmentsEnd,
    /// The next rows of the audit log (at most `AUDIT_CHUNK`).
    Audit(Vec<BundleAudit>),
}

/// The reading thread's verdict on an assessment, where it could give one.
pub(super) type Checked = Option<crate::error::Result<()>>;

/// The bundle's fields, as `Bundle` has them.
const FIELDS: &[&str] = &[
    "format",
    "exported_at",
    "exported_by",
    "program",
    "models",
    "facilities",
    "assessments",
    "audit_log",
];

/// How many parsed assessments (or chunks of audit rows) may wait for the writer.
pub(super) const QUEUE: usize = 64;

/// How many audit rows travel together.
pub(super) const AUDIT_CHUNK: usize = 256;

/// How many bytes are read from the file at a time.
const BUFFER: usize = 64 * 1024;

/// Where each part goes; false stops the reading (the receiver is gone).
pub(super) type Sink<'s> = &'s (dyn Fn(Part) -> bool + 's);

/// Reads a bundle and hands over each part. The bytes are checked to be UTF-8 as they
/// are read (`Utf8Check`).
pub(super) fn read_parts<R: Read>(r: R, out: Sink<'_>) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_reader(buffered(r));
    de::Deserializer::deserialize_map(&mut de, Parts { out })?;
    de.end()
}

/// Reads a bundle again, tracking the JSON path, to say where it does not hold up:
/// returns the path and serde's error (none if it reads this time). Memory stays as
/// flat as in the first reading: each part is dropped as soon as it is read.
pub(super) fn locate_error<R: Read>(r: R) -> Option<(String, serde_json::Error)> {
    let mut de = serde_json::Deserializer::from_reader(buffered(r));
    let mut track = serde_path_to_error::Track::new();
    let discard = |_: Part| true;
    let read = de::Deserializer::deserialize_map(
        serde_path_to_error::Deserializer::new(&mut de, &mut track),
        Parts { out: &discard },
    );
    match read.and_then(|()| de.end()) {
        Ok(()) => None,
        Err(e) => Some((track.path().to_string(), e)),
    }
}

fn buffered<R: Read>(r: R) -> io::BufReader<Utf8Check<R>> {
    io::BufReader::with_capacity(BUFFER, Utf8Check::new(r))
}

fn hand<E: de::Error>(out: Sink<'_>, part: Part) -> Result<(), E> {
    if out(part) {
        Ok(())
    } else {
        Err(E::custom("the import stopped"))
    }
}

/// The bundle object, field by field. The visitors take `'static` input: read from a
/// reader, nothing borrows from it, so every text is owned by its part.
struct Parts<'s> {
    out: Sink<'s>,
}

impl Visitor<'static> for Parts<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct Bundle")
    }

    fn visit_map<A: MapAccess<'static>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let Some(name) = FIELDS.iter().copied().find(|f| *f == key) else {
                return Err(de::Error::unknown_field(&key, FIELDS));
            };
            if seen.contains(&name) {
                return Err(de::Error::duplicate_field(name));
            }
            seen.push(name);
            let part = match name {
                "format" => Part::Format(map.next_value()?),
                "exported_at" => Part::ExportedAt(map.next_value()?),
                "exported_by" => Part::ExportedBy(map.next_value()?),
                "program" => {
                    map.next_value::<String>()?;
                    Part::Program
                }
                "models" => Part::Models(map.next_value()?),
                "facilities" => Part::Facilities(map.next_value()?),
                "assessments" => {
                    map.next_value_seed(Assessments { out: self.out })?;
                    Part::AssessmentsEnd
                }
                _ => {
                    map.next_value_seed(AuditRows { out: self.out })?;
                    continue;
                }
            };
            hand(self.out, part)?;
        }
        match FIELDS.iter().find(|f| !seen.contains(f)) {
            Some(missing) => Err(de::Error::missing_field(missing)),
            None => Ok(()),
        }
    }
}

/// The `assessments` array, one element at a time.
struct Assessments<'s> {
    out: Sink<'s>,
}

impl DeserializeSeed<'static> for Assessments<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'static>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl Visitor<'static> for Assessments<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // as serde says it of the `Vec` this stands for
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'static>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(a) = seq.next_element::<BundleAssessment<'static>>()? {
            hand(self.out, Part::Assessment(Box::new(a), None))?;
        }
        Ok(())
    }
}

/// The `audit_log` array, `AUDIT_CHUNK` rows at a time.
struct AuditRows<'s> {
    out: Sink<'s>,
}

impl DeserializeSeed<'static> for AuditRows<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'static>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl Visitor<'static> for AuditRows<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'static>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut rows = Vec::with_capacity(AUDIT_CHUNK);
        while let Some(r) = seq.next_element::<BundleAudit>()? {
            rows.push(r);
            if rows.len() == AUDIT_CHUNK {
                let full = std::mem::replace(&mut rows, Vec::with_capacity(AUDIT_CHUNK));
                hand(self.out, Part::Audit(full))?;
            }
        }
        // the last chunk, even if empty: the writer learns the log is there
        hand(self.out, Part::Audit(rows))
    }
}

/// A byte of the file that is not UTF-8: the error `Utf8Check` reads as.
#[derive(Debug)]
pub(super) struct NotUtf8 {
    /// The offset of the first byte that is not part of valid UTF-8.
    pub(super) byte: u64,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not UTF-8 text (byte {})", self.byte)
    }
}

impl std::error::Error for NotUtf8 {}

impl NotUtf8 {
    /// Where serde_json's error is a read that met bytes that are not UTF-8: which.
    pub(super) fn in_error(e: serde_json::Error) -> std::result::Result<u64, io::Error> {
        let e = io::Error::from(e);
        match e.get_ref().and_then(|i| i.downcast_ref::<NotUtf8>()) {
            Some(n) => Ok(n.byte),
            None => Err(e),
        }
    }
}

/// A reader that hands on only bytes it has checked to be UTF-8, and fails at the first
/// that is not (a character cut by a read waits for the next read).
pub(super) struct Utf8Check<R> {
    inner: R,
    buf: Box<[u8]>,
    /// The next byte to hand on.
    start: usize,
    /// The end of the checked bytes.
    checked: usize,
    /// The end of the bytes read.
    end: usize,
    /// The file offset of `buf[0]`.
    offset: u64,
    bad: Option<u64>,
}

impl<R: Read> Utf8Check<R> {
    pub(super) fn new(inner: R) -> Self {
        Self::with_capacity(inner, BUFFER)
    }

    fn with_capacity(inner: R, capacity: usize) -> Self {
        Utf8Check {
            inner,
            buf: vec![0; capacity.max(4)].into_boxed_slice(),
            start: 0,
            checked: 0,
            end: 0,
            offset: 0,
            bad: None,
        }
    }

    /// Reads on and checks; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        if let Some(byte) = self.bad {
            return Err(io::Error::new(io::ErrorKind::InvalidData, NotUtf8 { byte }));
        }
        // keep the bytes not yet checked (a character the last read cut)
        let tail = self.end - self.checked;
        self.buf.copy_within(self.checked..self.end, 0);
        self.offset += self.checked as u64;
        (self.start, self.checked, self.end) = (0, 0, tail);
        let n = loop {
            match self.inner.read(&mut self.buf[tail..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.end += n;
        match std::str::from_utf8(&self.buf[..self.end]) {
            Ok(_) => self.checked = self.end,
            Err(e) => {
                self.checked = e.valid_up_to();
                // a wrong byte, or a character the end of the file cuts
                if e.error_len().is_some() || n == 0 {
                    self.bad = Some(self.offset + self.checked as u64);
                }
            }
        }
        Ok(n > 0 || self.checked > 0 || self.bad.is_some())
    }
}

impl<R: Read> Read for Utf8Check<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.start == self.checked {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.checked - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
