//! Reading a stored text leniently: the scans and the chain walk must read a row whose
//! bytes are not UTF-8 (that is one of the things they report), not fail on it.

use rusqlite::Row;
use rusqlite::types::ValueRef;
use std::borrow::Cow;

/// A stored text, a bad byte replaced rather than failing the read (`bad_texts` names the row).
pub(super) fn lossy(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(lossy_ref(r, i)?.map(Cow::into_owned))
}

/// `lossy`, borrowed from the row where the text is valid UTF-8 (no copy).
pub(super) fn lossy_ref<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<Cow<'r, str>>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b)),
        ValueRef::Integer(n) => Some(Cow::Owned(n.to_string())),
        ValueRef::Real(x) => Some(Cow::Owned(x.to_string())),
    })
}

/// `lossy_ref` of a value, and whether it was valid UTF-8 (`is_utf8`), checked once.
pub(super) fn checked(v: ValueRef<'_>) -> (Option<Cow<'_, str>>, bool) {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => match std::str::from_utf8(b) {
            Ok(t) => (Some(Cow::Borrowed(t)), true),
            Err(_) => (Some(String::from_utf8_lossy(b)), false),
        },
        ValueRef::Null => (None, true),
        ValueRef::Integer(n) => (Some(Cow::Owned(n.to_string())), true),
        ValueRef::Real(x) => (Some(Cow::Owned(x.to_string())), true),
    }
}

/// Whether a stored value reads as UTF-8 text when cast to a blob (`bad_texts`' test):
/// numbers and NULL always do.
pub(super) fn is_utf8(v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => std::str::from_utf8(b).is_ok(),
        _ => true,
    }
}
