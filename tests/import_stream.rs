//! The import reads a bundle as a stream: a file whose keys come in another order imports
//! the same, and an error deep in a file that is read through a buffer still names its
//! place.

mod common;

use common::Env;
use std::path::{Path, PathBuf};

/// A database with demo data, and its bundle.
fn source() -> (Env, PathBuf, String) {
    let env = Env::new();
    env.ok(&[
        "demo",
        "--facilities",
        "20",
        "--years",
        "3",
        "--from-year",
        "2023",
        "--seed",
        "3",
    ]);
    let bundle = env.dir.path().join("bundle.json");
    env.ok(&[
        "export",
        "--all",
        "--format",
        "json",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&bundle).unwrap();
    // bigger than the reader's buffers (64 KiB each), so it is read in many pieces
    assert!(text.len() > 8 * 64 * 1024, "{} bytes", text.len());
    (env, bundle, text)
}

/// Imports the file into a fresh database; returns the report's counts and what that
/// database exports (without the time of the export).
fn import(file: &Path) -> (serde_json::Value, serde_json::Value) {
    let env = Env::new();
    let out = env.ok(&["import", file.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let back = env.dir.path().join("back.json");
    env.ok(&[
        "export",
        "--all",
        "--format",
        "json",
        "-o",
        back.to_str().unwrap(),
    ]);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(back).unwrap()).unwrap();
    v["exported_at"] = serde_json::Value::Null;
    (report[0]["report"].clone(), v)
}

#[test]
fn a_bundle_with_its_keys_in_another_order_imports_the_same() {
    let (env, bundle, text) = source();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let field = |k: &str| format!("{:?}:{}", k, v[k]);
    let orders: [&[&str]; 3] = [
        // the assessments and the log before any of the head
        &[
            "assessments",
            "audit_log",
            "program",
            "models",
            "facilities",
            "exported_by",
            "exported_at",
            "format",
        ],
        // the head complete, then the log before the assessments
        &[
            "format",
            "exported_at",
            "exported_by",
            "program",
            "models",
            "facilities",
            "audit_log",
            "assessments",
        ],
        // the facilities last: the head completes after every assessment
        &[
            "format",
            "models",
            "assessments",
            "exported_at",
            "audit_log",
            "exported_by",
            "program",
            "facilities",
        ],
    ];
    let (report, expected) = import(&bundle);
    assert_eq!(report["assessments_added"], 60, "{report}");
    assert!(
        report["audit_rows_added"].as_u64().unwrap() > 60,
        "{report}"
    );
    assert_eq!(expected["assessments"], v["assessments"]);
    for (n, order) in orders.iter().enumerate() {
        let reordered = format!(
            "{{{}}}",
            order
                .iter()
                .map(|k| field(k))
                .collect::<Vec<_>>()
                .join(",\n")
        );
        assert_ne!(reordered, text);
        let file = env.file(&format!("order{n}.json"), &reordered);
        let (r, back) = import(&file);
        assert_eq!(r, report, "order {n}: {order:?}");
        assert_eq!(back, expected, "order {n}: {order:?}");
    }
}

#[test]
fn an_error_deep_in_a_streamed_bundle_names_its_place_and_changes_nothing() {
    let (_, _, text) = source();
    let target = Env::new();
    target.ok(&["facility", "add", "Andet tilbud"]);
    // the last assessment's third score carries a text for its value
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let firsts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("{\"facility\""))
        .collect();
    let last = *firsts.last().unwrap();
    let at = lines[last].match_indices("\"value\":").nth(2).unwrap().0;
    lines[last].insert_str(at + 8, "\"x\",\"was\":");
    let bad = target.file("deep.json", &lines.join("\n"));
    let err = target.fails(&["--lang", "en", "import", bad.to_str().unwrap()]);
    let path = format!(
        "deep.json: assessments[{}].scores[2].value: ",
        firsts.len() - 1
    );
    assert!(err.contains(&path), "{err}");
    assert!(err.contains("invalid type: string \"x\""), "{err}");
    // cut in the middle of the audit log: the end is too early
    let cut = text.find("\"audit_log\"").unwrap() + 2000;
    let short = target.file("short.json", &text[..cut]);
    let err = target.fails(&["import", short.to_str().unwrap()]);
    assert!(
        err.contains("short.json: ") && err.contains("ends too early"),
        "{err}"
    );
    let missing = target.dir.path().join("missing.json");
    let err = target.fails(&["import", missing.to_str().unwrap()]);
    assert!(err.contains("missing.json"), "{err}");
}
