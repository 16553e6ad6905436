//! A sheet of rows under one header, written in row order, that continues on further
//! sheets ("1 Uddannelse og beskæftigelse (2)") where Excel's row limit would be passed;
//! and the note that says so.

use super::package::Streamed;
use super::stream::StreamSheet;
use crate::i18n::Lang;
use rust_xlsxwriter::{ConditionalFormat3ColorScale, Format, Workbook, Worksheet, XlsxError};
use std::path::PathBuf;

pub(super) type X<T = ()> = std::result::Result<T, XlsxError>;

/// The rows of an Excel sheet, its header included.
pub(crate) const EXCEL_ROWS: u32 = 1_048_576;

/// How the workbook is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// The rows a sheet holds, its header included.
    pub rows_per_sheet: u32,
    /// Each sheet's rows are written as XML and deflated into a temporary file as they
    /// come, so memory stays flat (`stream`, `package`); without, they are rust_xlsxwriter's
    /// cells in memory until the workbook is saved (the reference the tests compare with).
    pub constant_memory: bool,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            rows_per_sheet: EXCEL_ROWS,
            constant_memory: true,
        }
    }
}

/// The formats every sheet uses, the style indices the workbook gives them, and where
/// the streamed sheets' rows wait.
#[derive(Clone)]
pub(super) struct Styles {
    pub bold: Format,
    pub wrap: Format,
    pub one_decimal: Format,
    /// The style index of a wrapped column and of a one-decimal number.
    pub wrap_id: u32,
    pub decimal_id: u32,
    pub tmp: PathBuf,
    /// Each sheet deflated on a thread of its own (the sheets the reading thread writes).
    pub behind: bool,
}

impl Styles {
    /// The formats, registered in `book` first thing so their indices are known before a
    /// row is written (`style_ids`).
    pub fn new(book: &mut Workbook, tmp: PathBuf) -> X<Styles> {
        let mut st = Styles {
            bold: Format::new().set_bold().set_background_color("#E8E8E8"),
            wrap: Format::new().set_text_wrap(),
            one_decimal: Format::new().set_num_format("0.0"),
            wrap_id: 0,
            decimal_id: 0,
            tmp,
            behind: true,
        };
        (st.wrap_id, st.decimal_id) = style_ids(&st)?;
        drop(register(book, &st)?);
        Ok(st)
    }
}

/// A sheet that puts the formats into its workbook's table, in a fixed order.
fn register(book: &mut Workbook, st: &Styles) -> X<Worksheet> {
    let mut sheet = book.new_worksheet_with_constant_memory()?;
    sheet.write_string_with_format(0, 0, "b", &st.bold)?;
    sheet.write_string_with_format(0, 1, "w", &st.wrap)?;
    sheet.write_number_with_format(0, 2, 0, &st.one_decimal)?;
    Ok(sheet)
}

/// The indices a new workbook gives the formats registered as `register` does: read from
/// a small workbook saved for it (the skeleton's probe rows check them again, `package`).
fn style_ids(st: &Styles) -> X<(u32, u32)> {
    let mut book = Workbook::new();
    book.set_tempdir(&st.tmp)?;
    let sheet = register(&mut book, st)?;
    book.push_worksheet(sheet);
    let saved = book.save_to_buffer()?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(saved)).map_err(XlsxError::from)?;
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("xl/worksheets/sheet1.xml")
            .map_err(XlsxError::from)?,
        &mut xml,
    )?;
    let id = |cell: &str| {
        let at = xml.find(cell)? + cell.len();
        xml[at..]
            .strip_prefix(" s=\"")?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    match (id("<c r=\"B1\""), id("<c r=\"C1\"")) {
        (Some(w), Some(d)) => Ok((w, d)),
        _ => Err(XlsxError::IoError(std::io::Error::other(
            "the workbook's style indices",
        ))),
    }
}

/// What a kind of sheet looks like: its name, column titles and widths, and from which
/// column on its numbers get a colour scale (the means of a summary sheet).
pub(super) struct Shape {
    pub name: String,
    pub titles: Vec<String>,
    pub widths: &'static [(u16, u16)],
    /// The columns of long texts, wrapped: the column's format, so a cell needs none of
    /// its own (looking a cell's format up costs more than writing the cell).
    pub wrapped: &'static [u16],
    pub scale_from: Option<u16>,
}

/// A sheet's rows: rust_xlsxwriter's cells in memory (the reference), or streamed.
// a few parts a workbook, each moved once: their size does not matter
#[allow(clippy::large_enum_variant)]
enum Part {
    Sheet(Box<Worksheet>),
    Stream(StreamSheet),
}

/// One row's cells, written in column order.
pub(super) enum Cells<'a> {
    Sheet {
        sheet: &'a mut Worksheet,
        r: u32,
        decimal: &'a Format,
    },
    Stream(&'a mut StreamSheet),
}

impl Cells<'_> {
    pub fn number(&mut self, c: u16, v: impl Into<f64>) -> X {
        match self {
            Cells::Sheet { sheet, r, .. } => {
                sheet.write_number(*r, c, v)?;
            }
            Cells::Stream(s) => s.number(c, v.into()),
        }
        Ok(())
    }

    /// A number shown with one decimal.
    pub fn decimal(&mut self, c: u16, v: f64) -> X {
        match self {
            Cells::Sheet { sheet, r, decimal } => {
                sheet.write_number_with_format(*r, c, v, decimal)?;
            }
            Cells::Stream(s) => s.decimal(c, v),
        }
        Ok(())
    }

    pub fn string(&mut self, c: u16, v: impl AsRef<str>) -> X {
        match self {
            Cells::Sheet { sheet, r, .. } => {
                sheet.write_string(*r, c, v.as_ref())?;
            }
            Cells::Stream(s) => s.string(c, v.as_ref())?,
        }
        Ok(())
    }
}

/// A finished sheet: its skeleton (or, in memory, the whole sheet), and its streamed rows.
pub(super) struct Done {
    pub sheet: Worksheet,
    pub rows: Option<Streamed>,
}

/// One kind of sheet, continued on further sheets at the row limit.
pub(super) struct Split {
    shape: Shape,
    layout: Layout,
    /// The full sheets, each with its number of rows under the header.
    full: Vec<(Part, u32)>,
    current: Part,
    rows: u32,
    /// Each column's style index in a streamed row.
    col_styles: Vec<u32>,
}

impl Split {
    /// The first sheet of its kind, with its header.
    pub fn new(layout: Layout, shape: Shape, st: &Styles) -> X<Split> {
        let col_styles = (0..shape.titles.len() as u16)
            .map(|c| match shape.wrapped.contains(&c) {
                true => st.wrap_id,
                false => 0,
            })
            .collect();
        let mut split = Split {
            current: Part::Sheet(Box::default()),
            shape,
            layout,
            full: Vec::new(),
            rows: 0,
            col_styles,
        };
        split.current = split.part(&split.shape.name, st)?;
        Ok(split)
    }

    /// The cells of the next row: on a new sheet where this one is full.
    pub fn row<'a>(&'a mut self, st: &'a Styles) -> X<Cells<'a>> {
        if self.rows + 1 >= self.layout.rows_per_sheet.max(2) {
            let name = continued(&self.shape.name, self.full.len() + 2);
            let next = self.part(&name, st)?;
            let full = std::mem::replace(&mut self.current, next);
            self.full.push((full, self.rows));
            self.rows = 0;
        }
        self.rows += 1;
        let r = self.rows;
        Ok(match &mut self.current {
            Part::Sheet(sheet) => Cells::Sheet {
                sheet,
                r,
                decimal: &st.one_decimal,
            },
            Part::Stream(s) => {
                s.at_row(r)?;
                Cells::Stream(s)
            }
        })
    }

    /// Names the sheets of this kind anew (their names are set when they are finished).
    pub fn rename(&mut self, name: String) {
        self.shape.name = name;
    }

    /// The sheets with their filters and colour scales, and the names of the sheets
    /// that continue the first (none where it held every row).
    pub fn finish(mut self, book: &mut Workbook, st: &Styles) -> X<(Vec<Done>, Vec<String>)> {
        self.full.push((self.current, self.rows));
        let mut sheets = Vec::with_capacity(self.full.len());
        let cols = self.shape.titles.len().saturating_sub(1) as u16;
        for (i, (part, rows)) in self.full.into_iter().enumerate() {
            let name = match i {
                0 => self.shape.name.clone(),
                _ => continued(&self.shape.name, i + 1),
            };
            let (mut sheet, streamed) = match part {
                Part::Sheet(mut sheet) => {
                    sheet.set_name(&name)?;
                    (*sheet, None)
                }
                Part::Stream(s) => {
                    // strings inline, as the rows have them
                    let sheet = book.new_worksheet_with_constant_memory()?;
                    let mut sheet = skeleton(sheet, &self.shape, &name, st)?;
                    // the probe rows, cut out again: each column's style, a decimal's
                    for c in 0..=cols {
                        sheet.write_number(1, c, 0)?;
                    }
                    sheet.write_number_with_format(2, 0, 0, &st.one_decimal)?;
                    let streamed = Streamed {
                        rows: s.finish()?,
                        last_col: cols,
                        col_styles: self.col_styles.clone(),
                        decimal: st.decimal_id,
                    };
                    (sheet, Some(streamed))
                }
            };
            sheet.autofilter(0, 0, rows.max(1), cols)?;
            if let Some(from) = self.shape.scale_from {
                let scale = ConditionalFormat3ColorScale::new()
                    .set_minimum_color("#F8696B")
                    .set_midpoint_color("#FFEB84")
                    .set_maximum_color("#63BE7B");
                sheet.add_conditional_format(1, from, rows.max(1), cols, &scale)?;
            }
            sheets.push(Done {
                sheet,
                rows: streamed,
            });
        }
        let more = sheets
            .iter()
            .skip(1)
            .map(|s| s.sheet.name().to_string())
            .collect();
        Ok((sheets, more))
    }

    /// A new sheet of this kind: in memory with its header, or a stream of rows.
    fn part(&self, name: &str, st: &Styles) -> X<Part> {
        Ok(match self.layout.constant_memory {
            true => Part::Stream(StreamSheet::new(
                &st.tmp,
                self.col_styles.clone(),
                st.decimal_id,
                st.behind,
            )?),
            false => Part::Sheet(Box::new(skeleton(Worksheet::new(), &self.shape, name, st)?)),
        })
    }
}

/// A sheet of this shape with its header row, column widths and frozen header.
fn skeleton(mut sheet: Worksheet, shape: &Shape, name: &str, st: &Styles) -> X<Worksheet> {
    sheet.set_name(name)?;
    for (c, t) in shape.titles.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, t, &st.bold)?;
        sheet.set_column_width(c as u16, (t.chars().count() as f64 + 2.0).clamp(10.0, 40.0))?;
    }
    for (c, w) in shape.widths {
        sheet.set_column_width(*c, *w)?;
    }
    for c in shape.wrapped {
        sheet.set_column_format(*c, &st.wrap)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// The name of the `n`th sheet of a kind: "Navn (2)", within Excel's 31 characters.
pub(super) fn continued(name: &str, n: usize) -> String {
    let suffix = format!(" ({n})");
    let keep = 31usize.saturating_sub(suffix.chars().count());
    let base: String = name.chars().take(keep).collect();
    format!("{}{suffix}", base.trim_end())
}

/// The sheet that opens the workbook where a sheet was continued: which, and where to.
pub(super) fn note(
    lang: Lang,
    layout: Layout,
    continued: &[(String, Vec<String>)],
    st: &Styles,
) -> X<Worksheet> {
    let mut sheet = Worksheet::new();
    sheet.set_name(lang.pick("Bemærk", "Note"))?;
    let limit = thousands(lang, layout.rows_per_sheet);
    let text = match lang {
        Lang::Da => format!(
            "Nogle ark har flere rækker, end et ark i Excel kan rumme ({limit} med overskriften). De fortsætter på ark med samme navn og et nummer:"
        ),
        Lang::En => format!(
            "Some sheets have more rows than an Excel sheet holds ({limit} with the header). They continue on sheets of the same name with a number:"
        ),
    };
    sheet.write_string_with_format(0, 0, text, &st.bold)?;
    sheet.write_string_with_format(2, 0, lang.pick("Ark", "Sheet"), &st.bold)?;
    sheet.write_string_with_format(2, 1, lang.pick("Fortsætter på", "Continues on"), &st.bold)?;
    for (i, (first, more)) in continued.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, first)?;
        // one sheet a cell: a theme's name may hold a comma
        for (c, name) in more.iter().enumerate() {
            sheet.write_string(r, 1 + c as u16, name)?;
        }
    }
    let widest = continued.iter().map(|(_, m)| m.len()).max().unwrap_or(0);
    for c in 0..=widest as u16 {
        sheet.set_column_width(c, 34)?;
    }
    Ok(sheet)
}

/// A count with the thousands marked as the language writes them (1.048.576, 1,048,576).
fn thousands(lang: Lang, n: u32) -> String {
    let digits = n.to_string();
    let mark = lang.pick(".", ",");
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(mark);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_names_keep_within_excel_s_31_characters() {
        assert_eq!(continued("6 Økonomi", 2), "6 Økonomi (2)");
        let long = "4 Organisation og ledelse i tilb";
        let name = continued(long, 12);
        assert!(name.chars().count() <= 31, "{name}");
        assert!(name.starts_with("4 Organisation og ledelse"), "{name}");
        assert!(name.ends_with(" (12)"), "{name}");
        assert_eq!(thousands(Lang::Da, 1_048_576), "1.048.576");
        assert_eq!(thousands(Lang::En, 999), "999");
        assert_eq!(thousands(Lang::En, 1000), "1,000");
    }
}
