//! A sheet's rows written as SpreadsheetML by hand and deflated as they come, into a
//! temporary file: the cells exactly as rust_xlsxwriter's constant-memory mode writes them
//! (`<c r="B2" t="inlineStr"><is><t>…</t></is></c>`, `<c r="A2"><v>17</v></c>`, the column's
//! style where it has one), at a fraction of its cost per cell. The rows are a raw deflate
//! stream ended by a sync flush, so `package` can put the sheet's head and tail around them.

use flate2::{Compress, Compression, FlushCompress, Status};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// The XML gathered before it is deflated.
const CHUNK: usize = 128 * 1024;

/// The longest text a cell holds (UTF-16 code units), as Excel and rust_xlsxwriter allow.
const MAX_STRING: usize = 32_767;

/// A sheet's rows under its header, as they are written.
pub(super) struct StreamSheet {
    xml: Vec<u8>,
    /// The row being written (Excel's number, the header being 1), and the one whose
    /// `<row>` is open (0: none yet).
    row: u32,
    open: u32,
    /// The row's number as digits, and how many.
    digits: [u8; 10],
    ndigits: usize,
    /// Each column's style index (0: none), and a one-decimal number's.
    col_styles: Vec<u32>,
    decimal: u32,
    out: Out,
}

/// Where the XML goes: deflated on this thread, or on one of its own.
enum Out {
    Here(Deflater),
    Behind {
        chunks: Option<SyncSender<(Vec<u8>, FlushCompress)>>,
        thread: Option<JoinHandle<io::Result<Deflater>>>,
    },
}

impl Out {
    fn write(&mut self, xml: &mut Vec<u8>, flush: FlushCompress) -> io::Result<()> {
        match self {
            Out::Here(d) => {
                d.write(xml, flush)?;
                xml.clear();
                Ok(())
            }
            Out::Behind { chunks, thread } => {
                let chunk = std::mem::replace(xml, Vec::with_capacity(CHUNK + 4096));
                match chunks.as_ref().map(|c| c.send((chunk, flush))) {
                    Some(Ok(())) => Ok(()),
                    // the thread stopped on an error: that error
                    _ => {
                        drop(chunks.take());
                        joined(thread.take()).map(drop)
                    }
                }
            }
        }
    }

    fn finish(self) -> io::Result<Deflater> {
        match self {
            Out::Here(d) => Ok(d),
            Out::Behind { chunks, thread } => {
                drop(chunks);
                joined(thread)
            }
        }
    }
}

/// The deflating thread's end: its deflater, or what stopped it.
fn joined(thread: Option<JoinHandle<io::Result<Deflater>>>) -> io::Result<Deflater> {
    match thread.map(JoinHandle::join) {
        Some(Ok(done)) => done,
        _ => Err(io::Error::other("the deflating thread stopped")),
    }
}

/// The deflated rows of a finished sheet.
pub(super) struct Rows {
    pub file: File,
    pub compressed: u64,
    pub len: u64,
    pub crc: crc32fast::Hasher,
    /// The rows under the header.
    pub count: u32,
}

impl StreamSheet {
    /// A sheet whose rows wait in `tmp`; deflated on a thread of its own where `behind`.
    pub fn new(
        tmp: &Path,
        col_styles: Vec<u32>,
        decimal: u32,
        behind: bool,
    ) -> io::Result<StreamSheet> {
        let file = tempfile::tempfile_in(tmp)?;
        StreamSheet::into_file(file, col_styles, decimal, behind)
    }

    /// The same, into `file`.
    pub fn into_file(
        file: File,
        col_styles: Vec<u32>,
        decimal: u32,
        behind: bool,
    ) -> io::Result<StreamSheet> {
        let d = Deflater::new(file);
        let out = match behind {
            false => Out::Here(d),
            true => {
                let (chunks, queue) = sync_channel::<(Vec<u8>, FlushCompress)>(2);
                let thread = std::thread::Builder::new()
                    .name("xlsx-deflate".into())
                    .spawn(move || {
                        let mut d = d;
                        for (chunk, flush) in queue {
                            d.write(&chunk, flush)?;
                        }
                        Ok(d)
                    })?;
                Out::Behind {
                    chunks: Some(chunks),
                    thread: Some(thread),
                }
            }
        };
        Ok(StreamSheet {
            xml: Vec::with_capacity(CHUNK + 4096),
            row: 1,
            open: 0,
            digits: *b"1         ",
            ndigits: 1,
            col_styles,
            decimal,
            out,
        })
    }

    /// Moves to row `r` (0-based, the header being row 0): the next cells go there.
    pub fn at_row(&mut self, r: u32) -> io::Result<()> {
        self.row = r + 1;
        let mut n = itoa::Buffer::new();
        let digits = n.format(self.row).as_bytes();
        self.digits[..digits.len()].copy_from_slice(digits);
        self.ndigits = digits.len();
        if self.xml.len() >= CHUNK {
            self.out.write(&mut self.xml, FlushCompress::None)?;
        }
        Ok(())
    }

    /// A number, in the column's style.
    pub fn number(&mut self, c: u16, v: f64) {
        let s = self.style(c);
        self.number_styled(c, v, s);
    }

    /// A number shown with one decimal.
    pub fn decimal(&mut self, c: u16, v: f64) {
        self.number_styled(c, v, self.decimal);
    }

    /// A text, in the column's style; an empty text is no cell, as rust_xlsxwriter has it.
    pub fn string(&mut self, c: u16, s: &str) -> io::Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        if s.len() > MAX_STRING && s.encode_utf16().count() > MAX_STRING {
            return Err(io::Error::other(
                "a text is longer than an Excel cell holds (32,767 characters)",
            ));
        }
        let style = self.style(c);
        self.cell_start(c, style);
        self.xml.extend_from_slice(br#" t="inlineStr"><is><t"#);
        if s.starts_with(['\t', '\n', ' ']) || s.ends_with(['\t', '\n', ' ']) {
            self.xml.extend_from_slice(br#" xml:space="preserve""#);
        }
        self.xml.push(b'>');
        escape(s, &mut self.xml);
        self.xml.extend_from_slice(b"</t></is></c>");
        Ok(())
    }

    /// The rows deflated, the stream ended by a sync flush (not final).
    pub fn finish(mut self) -> io::Result<Rows> {
        if self.open > 0 {
            self.xml.extend_from_slice(b"</row>");
        }
        self.out.write(&mut self.xml, FlushCompress::Sync)?;
        let count = self.open.saturating_sub(1);
        let d = self.out.finish()?;
        Ok(Rows {
            file: d.file,
            compressed: d.compressed,
            len: d.len,
            crc: d.crc,
            count,
        })
    }

    fn style(&self, c: u16) -> u32 {
        self.col_styles.get(c as usize).copied().unwrap_or(0)
    }

    fn number_styled(&mut self, c: u16, v: f64, style: u32) {
        self.cell_start(c, style);
        self.xml.extend_from_slice(b"><v>");
        number(v, &mut self.xml);
        self.xml.extend_from_slice(b"</v></c>");
    }

    /// `<c r="B12"` (with its style), the row opened first where it is a new one.
    fn cell_start(&mut self, c: u16, style: u32) {
        let digits = &self.digits[..self.ndigits];
        if self.open != self.row {
            if self.open > 0 {
                self.xml.extend_from_slice(b"</row>");
            }
            self.xml.extend_from_slice(b"<row r=\"");
            self.xml.extend_from_slice(digits);
            self.xml.extend_from_slice(b"\">");
            self.open = self.row;
        }
        self.xml.extend_from_slice(b"<c r=\"");
        column_name(c, &mut self.xml);
        self.xml.extend_from_slice(digits);
        self.xml.push(b'"');
        if style > 0 {
            self.xml.extend_from_slice(b" s=\"");
            self.xml
                .extend_from_slice(itoa::Buffer::new().format(style).as_bytes());
            self.xml.push(b'"');
        }
    }
}

/// A column's letters: A … Z, AA … (0-based).
pub(super) fn column_name(c: u16, out: &mut Vec<u8>) {
    let mut letters = [0u8; 4];
    let mut k = letters.len();
    let mut n = u32::from(c) + 1;
    while n > 0 {
        k -= 1;
        letters[k] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend_from_slice(&letters[k..]);
}

/// A number as rust_xlsxwriter writes it (Rust's shortest form: 17, 2.5).
fn number(v: f64, out: &mut Vec<u8>) {
    if v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
        out.extend_from_slice(itoa::Buffer::new().format(v as i64).as_bytes());
    } else {
        // a Vec takes every byte
        let _ = write!(out, "{v}");
    }
}

/// A text escaped as rust_xlsxwriter escapes a cell's: a literal `_xHHHH_` has its
/// underscore escaped (`_x005F_xHHHH_`), then `&<>` as entities and the control characters
/// XML 1.0 forbids (and U+FFFE, U+FFFF) as `_xHHHH_`, as Excel writes them.
pub(super) fn escape(s: &str, out: &mut Vec<u8>) {
    let b = s.as_bytes();
    let plain = !b.iter().any(|&c| {
        matches!(c, b'&' | b'<' | b'>' | b'_' | 0xEF) || (c < 0x20 && c != b'\t' && c != b'\n')
    });
    if plain {
        out.extend_from_slice(b);
        return;
    }
    let literal = literal_escapes(s);
    for (i, ch) in s.char_indices() {
        if literal.contains(&i) {
            out.extend_from_slice(b"_x005F");
        }
        match ch {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\t' | '\n' => out.push(ch as u8),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            }
            _ => {
                let mut utf8 = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// Where the text holds `_xHHHH_` literally (rust_xlsxwriter's `escape_xml_escapes`).
fn literal_escapes(s: &str) -> Vec<usize> {
    s.match_indices("_x")
        .map(|(i, _)| i)
        .filter(|&i| {
            i + 7 <= s.len()
                && s.is_char_boundary(i + 6)
                && s[i + 6..].starts_with('_')
                && s[i + 2..i + 6].bytes().all(|c| c.is_ascii_hexdigit())
        })
        .collect()
}

/// A raw deflate stream into a file, at deflate's fastest level, with the CRC-32 and
/// length of what went in.
pub(super) struct Deflater {
    z: Compress,
    buf: Vec<u8>,
    file: File,
    compressed: u64,
    len: u64,
    crc: crc32fast::Hasher,
}

impl Deflater {
    fn new(file: File) -> Deflater {
        Deflater {
            z: Compress::new(Compression::fast(), false),
            buf: Vec::with_capacity(CHUNK),
            file,
            compressed: 0,
            len: 0,
            crc: crc32fast::Hasher::new(),
        }
    }

    fn write(&mut self, data: &[u8], flush: FlushCompress) -> io::Result<()> {
        self.crc.update(data);
        self.len += data.len() as u64;
        let file = &mut self.file;
        let written = deflate(&mut self.z, &mut self.buf, data, flush, |b| {
            file.write_all(b)
        })?;
        self.compressed += written;
        Ok(())
    }
}

/// `data` through the compressor, each piece of output handed on; the bytes handed on.
pub(super) fn deflate(
    z: &mut Compress,
    buf: &mut Vec<u8>,
    mut data: &[u8],
    flush: FlushCompress,
    mut put: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<u64> {
    let mut written = 0;
    loop {
        buf.clear();
        let before = z.total_in();
        let status = z.compress_vec(data, buf, flush).map_err(io::Error::other)?;
        data = &data[(z.total_in() - before) as usize..];
        put(buf)?;
        written += buf.len() as u64;
        let full = buf.len() == buf.capacity();
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            FlushCompress::None => data.is_empty(),
            _ => data.is_empty() && !full,
        };
        if done {
            return Ok(written);
        }
    }
}

/// A whole text deflated on its own: with a sync flush where more follows, else finished.
pub(super) fn deflate_part(data: &[u8], last: bool) -> io::Result<Vec<u8>> {
    let mut z = Compress::new(Compression::fast(), false);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut out = Vec::new();
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    deflate(&mut z, &mut buf, data, flush, |b| {
        out.extend_from_slice(b);
        Ok(())
    })?;
    Ok(out)
}
