//! The command line calls only the application layer: no file under `src/cli/` reaches
//! into the store (`.store`), so a rule the CLI applies is the one the terminal program
//! can call too (`src/app/`).

use std::path::Path;

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of `text` that mention `needle`, as `file:line: text`.
fn mentions(file: &Path, text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, l)| format!("{}:{}: {}", file.display(), i + 1, l.trim()))
        .collect()
}

#[test]
fn no_file_of_the_command_line_calls_the_store() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let mut files = Vec::new();
    rust_files(&cli, &mut files);
    // the folder is there and holds the subcommands: an empty scan proves nothing
    assert!(files.len() >= 10, "src/cli/ holds {} files", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable source");
        found.extend(mentions(f, &text, ".store"));
    }
    assert!(
        found.is_empty(),
        "the command line calls the store directly; call a use case in src/app/ instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_a_call_of_the_store() {
    let hits = mentions(
        Path::new("x.rs"),
        "let a = 1;\n    ctx.app.store.finalise(id)?;\n",
        ".store",
    );
    assert_eq!(
        hits,
        vec!["x.rs:2: ctx.app.store.finalise(id)?;".to_string()]
    );
}
