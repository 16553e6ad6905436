//! Reading a stored text leniently: the scans and the chain walk must read a row whose
//! bytes are not UTF-8 (that is one of the things they report), not fail on it.

use rusqlite::Row;
use rusqlite::types::ValueRef;

/// A stored text, a bad byte replaced rather than failing the read (`bad_texts` names the row).
pub(super) fn lossy(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
    })
}
