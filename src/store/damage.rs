//! Damage named: a read that meets a stored text that is not UTF-8 (written behind the
//! program's back) is refused with the table, row and column of that text, found by
//! `verify`'s scan, instead of a decoder's message that names no row.

use super::findings::Tampering;
use crate::error::Error;
use rusqlite::Connection;
use std::path::Path;

/// Whether an SQLite error is a text that did not decode as UTF-8.
fn is_bad_text(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::Utf8Error(..) => true,
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => {
            inner.is::<std::str::Utf8Error>() || inner.is::<std::string::FromUtf8Error>()
        }
        _ => false,
    }
}

/// The error of a read: where it met a text that is not UTF-8, the first such text by
/// table, row and column; any other error as `db_error` makes it.
pub(super) fn read_error(conn: &Connection, path: &Path, e: rusqlite::Error) -> Error {
    if is_bad_text(&e) {
        let mut found = Vec::new();
        if super::bad_texts::bad_texts(conn, &mut found).is_ok() {
            let count = found.len();
            if let Some(Tampering::Text { table, row, column }) = found
                .into_iter()
                .find(|t| matches!(t, Tampering::Text { .. }))
            {
                return Error::TextNotUtf8 {
                    path: path.to_path_buf(),
                    table,
                    row,
                    column,
                    more: count - 1,
                };
            }
        }
    }
    super::db_error(path, e)
}
