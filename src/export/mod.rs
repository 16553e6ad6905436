//! The exports other than the bundle: CSV, XLSX, and the HTML and Markdown report. Each
//! writer takes the assessments to export and a destination; every user text is escaped
//! for where it goes.

pub mod bundle;
pub mod compare_html;
pub mod csv;
pub mod report;
pub mod xlsx;

use crate::app::Session;
use crate::app::exchange::Selection;
use crate::error::Result;
use report::Kind;
use std::borrow::Cow;
use std::path::Path;

/// The CSV export of a selection, streamed from the tables.
pub fn write_csv(s: &Session, sel: &Selection, path: &Path, excel: bool) -> Result<()> {
    csv::write(s, sel, path, excel)
}

/// The HTML or Markdown report of a selection.
pub fn write_report(s: &Session, sel: &Selection, path: &Path, kind: Kind) -> Result<()> {
    let (_, assessments) = crate::app::exchange::select(s, sel)?;
    report::write(s, &assessments, path, kind)
}

/// The XLSX workbook of a selection.
pub fn write_xlsx(s: &Session, sel: &Selection, path: &Path) -> Result<()> {
    xlsx::write(s, sel, path)
}

/// The JSON exchange bundle of a selection, stamped with the session's user and clock.
pub fn write_bundle(s: &Session, sel: &Selection, path: &Path) -> Result<()> {
    let (facilities, assessments) = crate::app::exchange::select(s, sel)?;
    let stamp = s.stamp();
    let at = stamp
        .at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    crate::app::files::write_output(path, |w| {
        bundle::write(s, &facilities, &assessments, &at, &stamp.by, path, w)
    })
}

/// A user text made safe for a spreadsheet cell (CSV or XLSX): control characters other
/// than the line break are removed, and a text that a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
pub fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    let risky_start = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // control characters are ASCII (below 0x20, 0x7F) or C1 (U+0080–U+009F, encoded 0xC2 0x80–0x9F):
    // a byte scan finds the candidates, and only those texts are looked at character by character
    let candidate = may_hold_control(s.as_bytes());
    let has_control = candidate && s.chars().any(|c| c.is_control() && c != '\n');
    if !risky_start && !has_control {
        return Cow::Borrowed(s);
    }
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    if risky_start || clean.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{clean}"))
    } else {
        Cow::Owned(clean)
    }
}

/// Whether any byte may begin a control character other than the line break. Looked at
/// 32 bytes at a time without an early exit inside a block, so the compiler compares them
/// side by side (every cell of an export passes here).
fn may_hold_control(bytes: &[u8]) -> bool {
    let hit = |b: u8| ((b < 0x20) & (b != b'\n')) | (b == 0x7F) | (b == 0xC2);
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | hit(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| hit(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_control_characters_are_neutralised() {
        assert_eq!(spreadsheet_text("God praksis"), "God praksis");
        assert_eq!(
            spreadsheet_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(spreadsheet_text("+45 12 34"), "'+45 12 34");
        assert_eq!(spreadsheet_text("-1"), "'-1");
        assert_eq!(spreadsheet_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_text("\t=1+1"), "'=1+1");
        assert_eq!(spreadsheet_text("\r@x"), "'@x");
        assert_eq!(spreadsheet_text("a\u{1b}[31mb\nc\u{7}"), "a[31mb\nc");
        assert_eq!(spreadsheet_text("\u{0}=1"), "'=1");
        // past the first block of 32 bytes, and a C1 control character
        let long = format!("{}\u{7}x", "a".repeat(40));
        assert_eq!(spreadsheet_text(&long), format!("{}x", "a".repeat(40)));
        let c1 = format!("{}\u{85}y", "b".repeat(64));
        assert_eq!(spreadsheet_text(&c1), format!("{}y", "b".repeat(64)));
        let plain = "ø".repeat(50);
        assert!(matches!(spreadsheet_text(&plain), Cow::Borrowed(_)));
    }
}
