//! The fuzz targets' inputs as regression tests: the seeds (real bundles, the bundled
//! models and strategies) must be accepted, and every input a fuzzer found worth keeping
//! (`fuzz/regressions/<target>/`) must be handled without a panic, with the outcome
//! recorded in its file name (`accept-…` or `reject-…`).

use std::path::Path;

fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn check(target: &str, run: fn(&[u8]) -> bool) {
    let seeds = inputs(&format!("seeds/{target}"));
    assert!(!seeds.is_empty());
    for (name, data) in seeds {
        assert!(run(&data), "{target}: the seed {name} was refused");
    }
    for (name, data) in inputs(&format!("regressions/{target}")) {
        let accepted = run(&data);
        if let Some(expected) = name
            .strip_prefix("accept-")
            .map(|_| true)
            .or_else(|| name.strip_prefix("reject-").map(|_| false))
        {
            assert_eq!(accepted, expected, "{target}: {name}");
        }
    }
}

#[test]
fn bundle_import_inputs() {
    check("bundle_import", tilsynsklar::fuzzing::import_bundle);
}

#[test]
fn model_load_inputs() {
    check("model_load", tilsynsklar::fuzzing::load_model);
}

#[test]
fn strategy_load_inputs() {
    check("strategy_load", tilsynsklar::fuzzing::load_strategy);
}
