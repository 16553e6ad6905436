//! The workbook's file: rust_xlsxwriter saves the skeleton (every sheet with its header,
//! widths, frozen pane, filter and formats, the styles, the note), and the streamed sheets'
//! rows go in after their header row. The skeleton's other entries are copied as they are
//! compressed; a streamed sheet's entry is its skeleton's head and tail deflated around the
//! rows' own deflate stream, so nothing is compressed twice.

use super::sheets::X;
use super::stream::{Rows, column_name, deflate_part};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use zip::read::{ZipReadOptions, read_zipfile_from_stream_with_options};
use zip::{ZipArchive, ZipWriter};

/// A streamed sheet: its rows, its last column, and the style indices its rows were
/// written with (checked against the skeleton's).
pub(super) struct Streamed {
    pub rows: Rows,
    pub last_col: u16,
    pub col_styles: Vec<u32>,
    pub decimal: u32,
}

fn bad(what: &str) -> XlsxError {
    XlsxError::IoError(std::io::Error::other(format!(
        "the workbook's skeleton: {what}"
    )))
}

/// Saves the workbook to `out`, the streamed sheets' rows (by the sheet's position in the
/// workbook, from 0) spliced into their sheets.
pub(super) fn save(
    book: &mut Workbook,
    mut streamed: HashMap<usize, Streamed>,
    out: &mut (dyn Write + Send),
) -> X {
    let skeleton = book.save_to_buffer()?;
    let mut archive = ZipArchive::new(Cursor::new(skeleton)).map_err(XlsxError::from)?;
    let mut zip = ZipWriter::new_stream(out);
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(XlsxError::from)?
            .name()
            .map_err(XlsxError::from)?
            .to_string();
        let sheet = name
            .strip_prefix("xl/worksheets/sheet")
            .and_then(|n| n.strip_suffix(".xml"))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| streamed.remove(&n.saturating_sub(1)));
        match sheet {
            Some(s) => {
                let mut xml = String::new();
                archive
                    .by_index(i)
                    .map_err(XlsxError::from)?
                    .read_to_string(&mut xml)?;
                splice(&mut zip, &name, &xml, s)?;
            }
            None => zip
                .raw_copy_file(archive.by_index_raw(i).map_err(XlsxError::from)?)
                .map_err(XlsxError::from)?,
        }
    }
    if !streamed.is_empty() {
        return Err(bad("a streamed sheet has no entry"));
    }
    zip.finish().map_err(XlsxError::from)?;
    Ok(())
}

/// The head and tail of a skeleton sheet: up to its probe rows (the second and third, which
/// show the style of each column and of a one-decimal number), and from the end of its data;
/// the dimension set to the rows' extent.
pub(super) fn cut(xml: &str, s: &Streamed) -> X<(String, String)> {
    let start = xml
        .find("<row r=\"2\"")
        .ok_or_else(|| bad("no probe row"))?;
    let end = xml
        .find("</sheetData>")
        .ok_or_else(|| bad("no sheetData"))?;
    let probes = &xml[start..end];
    let (second, third) = probes
        .split_once("<row r=\"3\"")
        .ok_or_else(|| bad("no second probe row"))?;
    for (c, want) in s.col_styles.iter().enumerate() {
        let mut cell = b"<c r=\"".to_vec();
        column_name(c as u16, &mut cell);
        cell.extend_from_slice(b"2\"");
        let found = style_of(second, std::str::from_utf8(&cell).unwrap_or_default());
        if found != Some(*want) {
            return Err(bad("a column's style differs"));
        }
    }
    if style_of(third, "<c r=\"A3\"") != Some(s.decimal) {
        return Err(bad("the decimal style differs"));
    }
    let dim = xml
        .find("<dimension ref=\"")
        .ok_or_else(|| bad("no dimension"))?
        + 16;
    let dim_end = dim + xml[dim..].find('"').ok_or_else(|| bad("no dimension"))?;
    let mut last = Vec::new();
    column_name(s.last_col, &mut last);
    let extent = format!("A1:{}{}", String::from_utf8_lossy(&last), s.rows.count + 1);
    let head = format!("{}{extent}{}", &xml[..dim], &xml[dim_end..start]);
    Ok((head, xml[end..].to_string()))
}

/// The style index of the cell that starts with `cell` (0 where it has none).
fn style_of(row: &str, cell: &str) -> Option<u32> {
    let at = row.find(cell)?;
    let tag = &row[at..at + row[at..].find('>')?];
    match tag.split_once(" s=\"") {
        None => Some(0),
        Some((_, rest)) => rest.split('"').next()?.parse().ok(),
    }
}

/// One streamed sheet's entry: the deflated head, the rows as deflated, the deflated tail,
/// under one CRC; copied in raw through a local header made for it.
fn splice<W: Write + Seek>(zip: &mut ZipWriter<W>, name: &str, xml: &str, s: Streamed) -> X {
    let (head, tail) = cut(xml, &s)?;
    let head_z = deflate_part(head.as_bytes(), false)?;
    let tail_z = deflate_part(tail.as_bytes(), true)?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(head.as_bytes());
    crc.combine(&s.rows.crc);
    let mut tail_crc = crc32fast::Hasher::new();
    tail_crc.update(tail.as_bytes());
    crc.combine(&tail_crc);
    let len = head.len() as u64 + s.rows.len + tail.len() as u64;
    let compressed = head_z.len() as u64 + s.rows.compressed + tail_z.len() as u64;
    let mut rows = s.rows.file;
    rows.seek(SeekFrom::Start(0))?;
    let mut entry = Cursor::new(local_header(name))
        .chain(Cursor::new(head_z))
        .chain(rows)
        .chain(Cursor::new(tail_z));
    let options = ZipReadOptions::new()
        .override_compressed_size(compressed)
        .override_uncompressed_size(len)
        .override_crc(crc.finalize());
    let file = read_zipfile_from_stream_with_options(&mut entry, options)
        .map_err(XlsxError::from)?
        .ok_or_else(|| bad("the spliced entry"))?;
    zip.raw_copy_file(file).map_err(XlsxError::from)?;
    Ok(())
}

/// A zip local file header for a deflated entry whose sizes and CRC follow the data (they
/// are handed to the reader instead), dated as rust_xlsxwriter dates its entries (1980-01-01).
fn local_header(name: &str) -> Vec<u8> {
    let mut h = Vec::with_capacity(30 + name.len());
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed: deflate
    h.extend_from_slice(&0x0808u16.to_le_bytes()); // sizes after the data; UTF-8 name
    h.extend_from_slice(&8u16.to_le_bytes()); // deflated
    h.extend_from_slice(&0u16.to_le_bytes()); // 00:00:00
    h.extend_from_slice(&0x0021u16.to_le_bytes()); // 1980-01-01
    h.extend_from_slice(&[0; 12]); // CRC, sizes
    h.extend_from_slice(&(name.len() as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(name.as_bytes());
    h
}
