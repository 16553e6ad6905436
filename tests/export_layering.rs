//! The exporters call only the application layer: no file under `src/export/` names the
//! store (`crate::store`) or reaches into it (`.store`), so every export reads what the
//! use cases in `src/app/` give, by the same rules as every other face.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `text` that mention the store, as `file:line: text`.
fn store_mentions(file: &Path, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(".store") || l.contains("crate::store"))
        .map(|(i, l)| format!("{}:{}: {}", file.display(), i + 1, l.trim()))
        .collect()
}

#[test]
fn no_file_of_the_exporters_names_the_store() {
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/export");
    let mut files = Vec::new();
    rust_files(&export, &mut files);
    // the folder is there and holds the writers: an empty scan proves nothing
    assert!(files.len() >= 8, "src/export/ holds {} files", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable source");
        found.extend(store_mentions(f, &text));
    }
    assert!(
        found.is_empty(),
        "an exporter reads the store directly; give it a use case in src/app/ instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_both_ways_into_the_store() {
    let hits = store_mentions(
        Path::new("x.rs"),
        "use crate::store::Selection;\nlet a = 1;\n    ctx.store.model_by_hash(h)?;\n",
    );
    assert_eq!(
        hits,
        vec![
            "x.rs:1: use crate::store::Selection;".to_string(),
            "x.rs:3: ctx.store.model_by_hash(h)?;".to_string()
        ]
    );
}
