//! A sheet of rows under one header, written in row order, that continues on further
//! sheets ("1 Uddannelse og beskæftigelse (2)") where Excel's row limit would be passed;
//! and the note that says so.

use crate::i18n::Lang;
use rust_xlsxwriter::{ConditionalFormat3ColorScale, Format, Workbook, Worksheet, XlsxError};
use std::sync::Mutex;

pub(super) type X<T = ()> = std::result::Result<T, XlsxError>;

/// The rows of an Excel sheet, its header included.
pub(crate) const EXCEL_ROWS: u32 = 1_048_576;

/// How the workbook is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// The rows a sheet holds, its header included.
    pub rows_per_sheet: u32,
    /// Each sheet's rows go to a temporary file as they are written, so memory stays flat
    /// (rust_xlsxwriter's constant-memory mode, strings inline); without, they stay in
    /// memory until the workbook is saved (the reference the tests compare with).
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

/// The formats every sheet uses.
pub(super) struct Styles {
    pub bold: Format,
    pub wrap: Format,
    pub one_decimal: Format,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            bold: Format::new().set_bold().set_background_color("#E8E8E8"),
            wrap: Format::new().set_text_wrap(),
            one_decimal: Format::new().set_num_format("0.0"),
        }
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

/// One kind of sheet, continued on further sheets at the row limit.
pub(super) struct Split {
    shape: Shape,
    layout: Layout,
    /// The full sheets, each with its number of rows under the header.
    full: Vec<(Worksheet, u32)>,
    current: Worksheet,
    rows: u32,
}

impl Split {
    /// The first sheet of its kind, with its header.
    pub fn new(book: &Mutex<Workbook>, layout: Layout, shape: Shape, st: &Styles) -> X<Split> {
        let current = part(book, layout, &shape, &shape.name, st)?;
        Ok(Split {
            shape,
            layout,
            full: Vec::new(),
            current,
            rows: 0,
        })
    }

    /// The sheet and row number of the next row: on a new sheet where this one is full.
    pub fn row(&mut self, book: &Mutex<Workbook>, st: &Styles) -> X<(&mut Worksheet, u32)> {
        if self.rows + 1 >= self.layout.rows_per_sheet.max(2) {
            let name = continued(&self.shape.name, self.full.len() + 2);
            let next = part(book, self.layout, &self.shape, &name, st)?;
            let full = std::mem::replace(&mut self.current, next);
            self.full.push((full, self.rows));
            self.rows = 0;
        }
        self.rows += 1;
        Ok((&mut self.current, self.rows))
    }

    /// Names the sheets of this kind anew (their names are set when they are finished).
    pub fn rename(&mut self, name: String) {
        self.shape.name = name;
    }

    /// The sheets with their filters and colour scales, and the names of the sheets
    /// that continue the first (none where it held every row).
    pub fn finish(mut self) -> X<(Vec<Worksheet>, Vec<String>)> {
        self.full.push((self.current, self.rows));
        let mut sheets = Vec::with_capacity(self.full.len());
        let cols = self.shape.titles.len().saturating_sub(1) as u16;
        for (i, (mut sheet, rows)) in self.full.into_iter().enumerate() {
            sheet.set_name(match i {
                0 => self.shape.name.clone(),
                _ => continued(&self.shape.name, i + 1),
            })?;
            sheet.autofilter(0, 0, rows.max(1), cols)?;
            if let Some(from) = self.shape.scale_from {
                let scale = ConditionalFormat3ColorScale::new()
                    .set_minimum_color("#F8696B")
                    .set_midpoint_color("#FFEB84")
                    .set_maximum_color("#63BE7B");
                sheet.add_conditional_format(1, from, rows.max(1), cols, &scale)?;
            }
            sheets.push(sheet);
        }
        let more = sheets
            .iter()
            .skip(1)
            .map(|s| s.name().to_string())
            .collect();
        Ok((sheets, more))
    }
}

/// A new sheet of this shape, with its header row, column widths and frozen header.
fn part(
    book: &Mutex<Workbook>,
    layout: Layout,
    shape: &Shape,
    name: &str,
    st: &Styles,
) -> X<Worksheet> {
    let mut sheet = if layout.constant_memory {
        // the lock is only poisoned where a thread panicked, and the export then fails anyway
        book.lock()
            .unwrap_or_else(|p| p.into_inner())
            .new_worksheet_with_constant_memory()?
    } else {
        Worksheet::new()
    };
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
