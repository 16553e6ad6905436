//! The arrows between the crate's modules point down only, and there are no import
//! circles: between the top-level modules, and between the files of `store/`. The test
//! reads the sources (test code left out) and collects `crate::x` (and `super::x`)
//! references per module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The faces: they may use the application layer and everything below it.
const FACES: &[&str] = &["cli", "tui", "export", "fuzzing"];
/// The application layer: the use cases (the demo loader is one).
const APP: &[&str] = &["app", "demo"];
/// The pure core: no SQL, no terminal, no clock.
const CORE: &[&str] = &[
    "assessment",
    "compare",
    "exchange",
    "integrity",
    "i18n",
    "text",
];
/// Frameworks and action plans as data, with their validation.
const DEFINITIONS: &[&str] = &["model", "strategy", "definition"];

/// Arrows that point the wrong way today, each with the reason it stays for now.
const KNOWN_EXCEPTIONS: &[(&str, &str)] = &[
    // `Error::TextRefused` carries the core's `TextProblem` and asks it for its message;
    // the fix is to move `TextProblem` (assessment/free_text.rs) below `error`, which
    // belongs to another change.
    ("error", "assessment"),
];

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether a file holds tests only.
fn is_test_file(rel: &Path) -> bool {
    let name = rel.file_stem().unwrap().to_string_lossy();
    name == "tests"
        || name.ends_with("_tests")
        || rel.components().any(|c| c.as_os_str() == "tests")
}

/// The code of a file without comment lines and without its inline `#[cfg(test)] mod … {`.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("mod ") && l.trim_end().ends_with('{'))
        {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The first path segment of every item named after `prefix` (`prefix` followed by a
/// name, or by a `{…}` group whose entries each start with a name).
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // the entries at depth 0 of the group
            let mut depth = 0;
            let mut entry = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(first_segment(&entry));
                        entry.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    entry.push(c);
                }
            }
            found.insert(first_segment(&entry));
        } else {
            found.insert(first_segment(rest));
        }
    }
    found.remove("");
    found
}

fn first_segment(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level module a file under `src/` belongs to.
fn top_module(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Which top-level modules each top-level module names, with a file that does.
fn crate_graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let tops: BTreeSet<String> = files
        .iter()
        .map(|p| top_module(p.strip_prefix(&src).unwrap()))
        .collect();
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        if is_test_file(rel) {
            continue;
        }
        let from = top_module(rel);
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        let mut names = names_after(&code, "crate::");
        // `super::` in a top-level module's own file is the crate
        let depth = rel.components().count();
        if depth == 1 || (depth == 2 && rel.ends_with("mod.rs")) {
            names.extend(names_after(&code, "super::"));
        }
        for to in names {
            // `tr!` is exported at the crate root from i18n
            let to = if to == "tr" { "i18n".to_string() } else { to };
            if to != from && tops.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| rel.display().to_string());
            }
        }
    }
    graph
}

/// The cycles of a graph: its strongly connected components of more than one node.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let nodes: BTreeSet<&String> = graph
        .keys()
        .chain(graph.values().flat_map(|v| v.iter()))
        .collect();
    let reaches = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in graph.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for n in &nodes {
        if !reach[n].contains(*n) {
            continue;
        }
        let scc: BTreeSet<String> = reach[n]
            .iter()
            .filter(|m| reach[m].contains(*n))
            .cloned()
            .collect();
        if !out.contains(&scc) {
            out.push(scc);
        }
    }
    out
}

fn without_exceptions(
    graph: &BTreeMap<String, BTreeMap<String, String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    graph
        .iter()
        .map(|(from, tos)| {
            let tos = tos
                .keys()
                .filter(|to| !KNOWN_EXCEPTIONS.contains(&(from.as_str(), to.as_str())))
                .cloned()
                .collect();
            (from.clone(), tos)
        })
        .collect()
}

#[test]
fn the_reader_finds_the_arrows_it_should() {
    // the test is only as good as its reader: known arrows must be seen
    let graph = crate_graph();
    for (from, to) in [
        ("cli", "app"),
        ("app", "store"),
        ("store", "assessment"),
        ("tui", "i18n"),
    ] {
        assert!(
            graph.get(from).is_some_and(|t| t.contains_key(to)),
            "{from} -> {to} not found: {graph:?}"
        );
    }
    let code = "use crate::{a::B, c};\nlet x = crate::d::e();\n// crate::f\nmycrate::g";
    let names = names_after(&code_of(code), "crate::");
    assert_eq!(names, ["a", "c", "d"].map(String::from).into());
}

#[test]
fn the_arrows_between_the_layers_point_down() {
    let graph = crate_graph();
    let below_faces: Vec<&str> = APP
        .iter()
        .chain(CORE)
        .chain(DEFINITIONS)
        .chain(&["store", "error"])
        .copied()
        .collect();
    let mut rules: Vec<(&str, &str)> = Vec::new();
    for m in &below_faces {
        for f in FACES {
            rules.push((m, f));
        }
    }
    for m in CORE.iter().chain(DEFINITIONS).chain(&["store", "error"]) {
        for a in APP {
            rules.push((m, a));
        }
    }
    for m in CORE.iter().chain(DEFINITIONS).chain(&["error"]) {
        rules.push((m, "store"));
    }
    // the definitions are data: they know no rule of the core
    for m in DEFINITIONS.iter().chain(&["error"]) {
        for c in CORE.iter().filter(|c| **c != "i18n") {
            rules.push((m, c));
        }
    }
    let wrong: Vec<String> = rules
        .iter()
        .filter(|r| !KNOWN_EXCEPTIONS.contains(r))
        .filter_map(|(from, to)| {
            graph
                .get(*from)
                .and_then(|t| t.get(*to))
                .map(|file| format!("{from} -> {to} (src/{file})"))
        })
        .collect();
    assert!(wrong.is_empty(), "arrows pointing up: {wrong:#?}");
    // an exception that no longer holds is taken off the list
    for (from, to) in KNOWN_EXCEPTIONS {
        assert!(
            graph.get(*from).is_some_and(|t| t.contains_key(*to)),
            "{from} -> {to} is gone: remove it from KNOWN_EXCEPTIONS"
        );
    }
}

#[test]
fn no_import_circle_between_the_top_level_modules() {
    let found = circles(&without_exceptions(&crate_graph()));
    assert!(found.is_empty(), "import circles: {found:?}");
}

/// Which files of `store/` each file names (through `super::`, `crate::store::` and the
/// re-exports of `store/mod.rs`); `mod.rs` itself, the root, is left out.
fn store_graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let module_of = |rel: &Path| top_module(rel);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| module_of(p.strip_prefix(&dir).unwrap()))
        .filter(|m| m != "mod")
        .collect();
    // `pub use file::{A, B};` in mod.rs: which file each re-exported name comes from
    let root = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
    let mut exported: BTreeMap<String, String> = BTreeMap::new();
    for line in code_of(&root).lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let file = first_segment(rest);
        if !modules.contains(&file) {
            continue;
        }
        for name in names_after(rest, &format!("{file}::")) {
            exported.insert(name, file.clone());
        }
    }
    let resolve = |name: &str| -> Option<String> {
        if modules.contains(name) {
            Some(name.to_string())
        } else {
            exported.get(name).cloned()
        }
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let rel = path.strip_prefix(&dir).unwrap();
        let from = module_of(rel);
        if from == "mod" || is_test_file(rel) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        let mut names = names_after(&code, "crate::store::");
        // `super::` is the store in store/x.rs, and `super::super::` in store/x/y.rs
        if rel.components().count() == 1 {
            names.extend(names_after(&code, "super::"));
        } else {
            names.extend(names_after(&code, "super::super::"));
        }
        for name in names {
            if let Some(to) = resolve(&name).filter(|to| *to != from) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

#[test]
fn no_import_circle_between_the_files_of_the_store() {
    let graph = store_graph();
    assert!(
        graph
            .get("exchange")
            .is_some_and(|t| t.contains("assessments")),
        "the reader misses store arrows: {graph:?}"
    );
    let found = circles(&graph);
    assert!(found.is_empty(), "import circles in store/: {found:?}");
}
