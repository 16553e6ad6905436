//! The terminal program calls only the application layer: no file under `src/tui/` reaches
//! into the session's store (`.store`) or names the store module (`crate::store`), so
//! every rule the terminal shows is the one the CLI applies (`src/app/`). The row types the
//! screens show come re-exported through `app::home`. The unit tests of the TUI, which set
//! up databases, are left out; the scan checks that they are test modules.

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

/// Whether a line reaches the store: `crate::store`, or the field `.store` (a method
/// called `store(`, such as an atomic flag's, is something else).
fn reaches_store(line: &str) -> bool {
    if line.contains("crate::store") {
        return true;
    }
    line.match_indices(".store").any(|(i, m)| {
        let next = line[i + m.len()..].chars().next();
        !next.is_some_and(|c| c == '(' || c == '_' || c.is_alphanumeric())
    })
}

/// The lines of `text` that reach the store, as `file:line: text`.
fn mentions(file: &Path, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| reaches_store(l))
        .map(|(i, l)| format!("{}:{}: {}", file.display(), i + 1, l.trim()))
        .collect()
}

/// The TUI's unit-test modules: they build their databases and look into them.
const TEST_MODULES: [&str; 12] = [
    "tests",
    "assessment_tests",
    "compare_tests",
    "editor_tests",
    "gaps_tests",
    "home_tests",
    "job_tests",
    "model_states",
    "model_tests",
    "overview_tests",
    "safety_screen_tests",
    "safety_tests",
];

#[test]
fn no_file_of_the_terminal_program_calls_the_store() {
    let tui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let module = std::fs::read_to_string(tui.join("mod.rs")).expect("src/tui/mod.rs");
    for m in TEST_MODULES {
        assert!(
            module.contains(&format!("#[cfg(test)]\nmod {m};")),
            "src/tui/{m}.rs is left out of the scan as a test module, but mod.rs does not declare it under #[cfg(test)]"
        );
    }
    let mut files = Vec::new();
    rust_files(&tui, &mut files);
    // the folder is there and holds the screens: an empty scan proves nothing
    assert!(files.len() >= 20, "src/tui/ holds {} files", files.len());
    let mut found = Vec::new();
    for f in &files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if TEST_MODULES.contains(&stem) {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("readable source");
        found.extend(mentions(f, &text));
    }
    assert!(
        found.is_empty(),
        "the terminal program calls the store directly; call a use case in src/app/ instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_a_call_of_the_store_and_not_an_atomic_flag() {
    let text = "let a = 1;\n    ctx.store.finalise(id)?;\n    flag.store(true, SeqCst);\n    use crate::store::Stamp;\n    save(&mut s.store, x);\n    self.stored = 1;\n";
    assert_eq!(
        mentions(Path::new("x.rs"), text),
        vec![
            "x.rs:2: ctx.store.finalise(id)?;".to_string(),
            "x.rs:4: use crate::store::Stamp;".to_string(),
            "x.rs:5: save(&mut s.store, x);".to_string(),
        ]
    );
}
