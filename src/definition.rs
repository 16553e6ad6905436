//! What model, mapping and strategy files share: parsing JSON with the path of the
//! first error, and the content hash that pins the exact text a record was made with.

use crate::error::{Error, Result};
use serde::Deserialize;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Parses a definition file, naming the file and the JSON path of the first error. The
/// path is tracked only when there is an error to report (a second, slower pass).
pub fn parse<'a, T: Deserialize<'a>>(file: &str, json: &'a str) -> Result<T> {
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if inner.is_eof() {
            format!("the file ends too early (line {})", inner.line())
        } else if inner.is_syntax() {
            format!("not valid JSON: {inner}")
        } else {
            // serde's message ends with " at line L column C"; keep it: it helps
            inner.to_string()
        };
        Error::definition(file, if path == "." { "$".into() } else { path }, message)
    })
}

/// The SHA-256 of a definition's canonical JSON (field order of the struct, no
/// whitespace), so that formatting changes leave the hash alone.
pub fn content_hash<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).expect("definitions serialize");
    let digest = Sha256::digest(&bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an id is made of letters, digits and dashes, as ids in definition files must be.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        id: String,
    }

    #[test]
    fn errors_name_file_and_json_path() {
        let err = parse::<Outer>("f.json", r#"{"items":[{"id":"a"},{"id":3}]}"#).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("f.json: items[1].id: invalid type"),
            "{msg}"
        );
        let err = parse::<Outer>("f.json", r#"{"items":[{"id":"a"}"#).unwrap_err();
        assert!(err.to_string().contains("ends too early"), "{err}");
    }

    #[test]
    fn hash_ignores_formatting() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str("{\n  \"a\":1\n}").unwrap();
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_eq!(content_hash(&a).len(), 64);
    }
}
