//! The workbook (rust_xlsxwriter): a summary sheet of theme means per model version (one
//! sheet each, with that version's own themes as its columns, so a column never holds two
//! themes), a sheet per theme with every indicator row, a sheet of gaps and one of the
//! improvement actions. Every row carries the assessment's number. Frozen headers, filters,
//! numbers as numbers (means rounded as every face shows them), headers in the user's language.
//! Streamed: the assessments in number order with their rows from one pass over the tables,
//! each sheet's rows written as XML and deflated into a temporary file as they come (`stream`),
//! then put into the skeleton rust_xlsxwriter saves (`package`), so memory stays flat; a sheet
//! that would pass Excel's row limit continues on another, and a note opening the workbook
//! says so.

mod package;
mod rows;
mod sheets;
mod stream;
#[cfg(test)]
mod tests;
mod themes;

pub(crate) use sheets::Layout;

use crate::app::Session;
use crate::app::exchange::{self, Facility, Selection};
use crate::app::files::write_output;
use crate::app::view::StreamViewer;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

/// A sheet name as Excel allows it: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The summary sheet of a model version: "Oversigt" where the workbook holds one version,
/// "Oversigt socialtilsyn-2014" and so on where it holds several.
pub fn summary_sheet_name(lang: Lang, model_id: &str, versions: usize) -> String {
    let base = lang.pick("Oversigt", "Summary");
    if versions > 1 {
        sheet_name(&format!("{base} {model_id}"))
    } else {
        base.to_string()
    }
}

/// Column titles, Danish and English side by side.
fn titles(lang: Lang, da: &[&str], en: &[&str]) -> Vec<String> {
    da.iter()
        .zip(en)
        .map(|(d, e)| lang.pick(d, e).to_string())
        .collect()
}

/// Writes the workbook of the assessments a selection takes.
pub fn write(ctx: &Session, selection: &Selection, path: &Path) -> Result<()> {
    write_with(ctx, selection, path, Layout::default())
}

/// The same, laid out as asked (the tests lower the row limit, or keep rows in memory).
pub(crate) fn write_with(
    ctx: &Session,
    selection: &Selection,
    path: &Path,
    layout: Layout,
) -> Result<()> {
    let x = |e: XlsxError| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut book = Workbook::new();
    // deflate's fastest level: the sheets are most of the time, and the file grows by a fifth
    book.set_zip_compression_level(1);
    // the streamed rows wait beside the output, where the user has room for them
    let tmp = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        _ if path.as_os_str() == "-" => std::env::temp_dir(),
        Some(dir) => dir.to_path_buf(),
        None => ".".into(),
    };
    let mut w = rows::Writer::new(book, ctx.lang, layout, tmp).map_err(x)?;
    let mut viewer = StreamViewer::of(ctx)?;
    let mut facilities: HashMap<i64, Facility> = HashMap::new();
    exchange::for_each_export_assessment(ctx, selection, |a, scores, actions| {
        let model = exchange::model(ctx, &a.model_hash)?;
        if facilities.is_empty() {
            // every facility from one query, not one query each
            let all = crate::app::facilities::list(ctx, true)?;
            facilities.extend(all.into_iter().map(|f| (f.id, f)));
        }
        let facility = match facilities.entry(a.facility_id) {
            Entry::Occupied(f) => f.into_mut(),
            Entry::Vacant(f) => f.insert(crate::app::facilities::by_id(ctx, a.facility_id)?),
        };
        let view = viewer.view(&model, facility, scores, actions)?;
        w.assessment(&rows::Assessment {
            record: a,
            facility,
            model: &model,
            scores,
            actions,
            view: &view,
            today: viewer.today,
        })
        .map_err(x)
    })?;
    let (mut book, sheets) = w.finish().map_err(x)?;
    let mut streamed = HashMap::new();
    for (i, done) in sheets.into_iter().enumerate() {
        book.push_worksheet(done.sheet);
        if let Some(rows) = done.rows {
            streamed.insert(i, rows);
        }
    }
    write_output(path, |out| match streamed.is_empty() {
        true => book.save_to_writer(out).map_err(x),
        false => package::save(&mut book, streamed, out).map_err(x),
    })
}
