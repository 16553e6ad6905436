//! Models of other shapes through every face: a five-theme model whose criteria are scored
//! directly (the shape the 2025 amendment allows, `tests/fixtures/models/reform-fixture.json`,
//! with a mapping from 2017 to it) and a model on a 0–3 scale with its own level names and
//! gap rules (`scale-0-3.json`). Import, start, score, summary, gaps, every export format,
//! compare, the theme score rule and a bundle round trip, through the real binary.

mod common;

use common::Env;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/models/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).unwrap()
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

fn score(env: &Env, f: &str, y: &str, id: &str, v: &str) {
    env.ok(&["score", "set", "-f", f, "-y", y, "-i", id, "-v", v]);
}

/// Kystly: 2024 on the 2017 model, 2025 on the reform fixture; Bakkehuset: 2026 on the
/// 0–3 model.
fn setup() -> Env {
    let env = Env::new();
    for f in [
        "reform-fixture.json",
        "mapping-2017-reform-fixture.json",
        "scale-0-3.json",
    ] {
        env.ok(&["model", "import", &fixture(f)]);
    }
    env.ok(&["facility", "add", "Kystly"]);
    env.ok(&["facility", "add", "Bakkehuset"]);
    env.ok(&["assessment", "start", "-f", "Kystly", "-y", "2024"]);
    env.ok(&[
        "assessment",
        "start",
        "-f",
        "Kystly",
        "-y",
        "2025",
        "--model",
        "reform-fixture",
    ]);
    for (id, v) in [
        ("3a", "4"),
        ("3b", "2"),
        ("4a", "3"),
        ("4b", "5"),
        ("5a", "2"),
    ] {
        score(&env, "Kystly", "2024", id, v);
    }
    for (id, v) in [("R3", "4"), ("R4", "3"), ("R5", "2"), ("R11", "5")] {
        score(&env, "Kystly", "2025", id, v);
    }
    env.ok(&[
        "assessment",
        "start",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
        "--model",
        "egenkontrol-0-3",
    ]);
    for (id, v) in [("1.1a", "0"), ("1.1b", "3"), ("1.2", "2"), ("2.1a", "1")] {
        score(&env, "Bakkehuset", "2026", id, v);
    }
    env
}

fn summary(env: &Env, f: &str, y: &str) -> Value {
    json(env, &["assessment", "summary", "-f", f, "-y", y, "--json"])
}

#[test]
fn a_model_of_directly_scored_criteria_is_assessed_and_compared_across_2017() {
    let env = setup();
    let s = summary(&env, "Kystly", "2025");
    let themes = s["summary"]["themes"].as_array().unwrap();
    assert_eq!(themes.len(), 5);
    assert_eq!(s["summary"]["rule"], "indicator_mean");
    // N2 Sundhed og trivsel: R4 3 and R5 2, scored directly
    assert!(close(&themes[1]["mean"], 2.5), "{}", themes[1]);
    assert!(close(
        &s["summary"]["overall_mean"],
        (4.0 + 2.5 + 5.0) / 3.0
    ));
    assert_eq!(s["summary"]["total"], 9);
    let text = env.ok(&["assessment", "summary", "-f", "Kystly", "-y", "2025"]);
    assert!(text.contains("indicator_mean"), "{text}");
    // R5 = 2 is a gap by the default rules; a score outside the scale is refused
    let gaps = json(&env, &["gaps", "-f", "Kystly", "-y", "2025", "--json"]);
    let found = gaps.to_string();
    assert!(found.contains("\"R5\""), "{found}");
    let err = env.fails(&[
        "score", "set", "-f", "Kystly", "-y", "2025", "-i", "R6", "-v", "6",
    ]);
    assert!(err.contains("1–5"), "{err}");
    // across 2017 → the fixture: a 2017 criterion's mean is the directly scored criterion's value
    let h = json(
        &env,
        &[
            "compare",
            "-f",
            "Kystly",
            "--model",
            "reform-fixture",
            "--json",
        ],
    );
    let row = |id: &str| {
        h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["node_id"] == id && r["level"] == "criterion")
            .unwrap()
            .clone()
    };
    // K3 in 2024: (4 + 2) / 2 = 3.0 → R3 4 in 2025
    assert!(close(&row("R3")["cells"][0]["value"], 3.0), "{}", row("R3"));
    assert!(close(&row("R3")["cells"][1]["value"], 4.0));
    assert_eq!(row("R3")["direction"], "up");
    // K4 in 2024: (3 + 5) / 2 = 4.0 → R4 3
    assert_eq!(row("R4")["direction"], "down");
    let theme = h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node_id"] == "N2")
        .unwrap();
    // N2 in 2024 seen in the fixture's frame: (K4 4.0 + K5 2.0) / 2
    assert!(close(&theme["cells"][0]["value"], 3.0), "{theme}");
}

#[test]
fn a_model_on_a_0_to_3_scale_keeps_its_scale_names_and_gap_rules() {
    let env = setup();
    let s = summary(&env, "Bakkehuset", "2026");
    let themes = s["summary"]["themes"].as_array().unwrap();
    // O1: (0 + 3 + 2) / 3 by its questions; its guidelines' means 1.5 and 2
    assert!(close(&themes[0]["mean"], 5.0 / 3.0), "{}", themes[0]);
    assert!(close(&themes[0]["criterion_mean"], 1.75));
    assert!(close(&themes[1]["mean"], 1.0));
    // 0 is a value of this scale, 4 is not
    let err = env.fails(&[
        "score",
        "set",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
        "-i",
        "2.1b",
        "-v",
        "4",
    ]);
    assert!(err.contains("0–3"), "{err}");
    // the model's gap rules: 0 is a gap, 1 watch, O2 (1.0) under 1.5 a gap, O1 under 2.5
    let kinds = |env: &Env| -> Vec<(String, String)> {
        let g = json(env, &["gaps", "-f", "Bakkehuset", "-y", "2026", "--json"]);
        g["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let f = &e["finding"];
                (
                    f["node_id"].as_str().unwrap().to_string(),
                    f["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let found = kinds(&env);
    for want in [
        ("1.1a", "gap"),
        ("2.1a", "watch"),
        ("O2", "gap"),
        ("O1", "below_bar"),
    ] {
        assert!(
            found.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {found:?}"
        );
    }
    // the database's rules are for the socialtilsyn models; this framework keeps its own
    env.ok(&["gaps", "--set", "indicator_gap_max=3"]);
    assert_eq!(kinds(&env), found);
    // every export format carries the scale's values and the model's means
    let csv = env.ok(&[
        "export",
        "--format",
        "csv",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
    ]);
    assert!(csv.contains("1.1a") && csv.contains(",0,"), "{csv}");
    let md = env.ok(&["export", "--format", "md", "-f", "Bakkehuset", "-y", "2026"]);
    assert!(
        md.contains("1,7") && md.contains("indicator\\_mean"),
        "{md}"
    );
    let html = env.ok(&[
        "export",
        "--format",
        "html",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
    ]);
    assert!(html.contains("Ledelse og organisering") && html.contains("1,7"));
    let path = env.dir.path().join("b.xlsx");
    env.ok(&[
        "export",
        "--format",
        "xlsx",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
}

#[test]
fn the_rule_is_the_stored_models_and_a_draft_is_recomputed_only_when_asked() {
    let env = setup();
    // 2024 on the bundled 2017 model: T4 by its indicators (3 + 5 + 2) / 3
    let t4 = |env: &Env| summary(env, "Kystly", "2024")["summary"]["themes"][3]["mean"].clone();
    assert!(close(&t4(&env), 10.0 / 3.0));
    let out = env.ok(&["assessment", "rule", "-f", "Kystly", "-y", "2024"]);
    assert!(
        out.contains("indicator_mean") && !out.contains("genberegnet"),
        "{out}"
    );
    let out = env.ok(&[
        "assessment",
        "rule",
        "-f",
        "Kystly",
        "-y",
        "2024",
        "--set",
        "criterion_mean",
    ]);
    assert!(
        out.contains("criterion_mean") && out.contains("genberegnet"),
        "{out}"
    );
    // by its criteria: (K4 4.0 + K5 2.0) / 2
    assert!(close(&t4(&env), 3.0));
    assert_eq!(
        summary(&env, "Kystly", "2024")["summary"]["rule"],
        "criterion_mean"
    );
    let err = env.fails(&["assessment", "rule", "-a", "1", "--set", "median"]);
    assert!(err.contains("median"), "{err}");
    // a finalised assessment never changes
    for (id, v) in [("1.1a", "1"), ("1.2", "2"), ("2.1b", "2"), ("2.1c", "3")] {
        env.ok(&[
            "score",
            "set",
            "-f",
            "Bakkehuset",
            "-y",
            "2026",
            "-i",
            id,
            "-v",
            v,
            "-r",
            "fordi",
            "--source",
            "samtale",
        ]);
    }
    for (id, v) in [("1.1b", "3"), ("2.1a", "1")] {
        env.ok(&[
            "score",
            "set",
            "-f",
            "Bakkehuset",
            "-y",
            "2026",
            "-i",
            id,
            "-v",
            v,
            "-r",
            "fordi",
            "--source",
            "samtale",
        ]);
    }
    env.ok(&[
        "assessment",
        "finalise",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
        "--by",
        "Mette",
    ]);
    let err = env.fails(&[
        "assessment",
        "rule",
        "-f",
        "Bakkehuset",
        "-y",
        "2026",
        "--set",
        "criterion_mean",
    ]);
    assert!(err.contains("afsluttet"), "{err}");
    env.ok(&["verify"]);
}

#[test]
fn assessments_on_both_shapes_survive_a_bundle_round_trip() {
    let env = setup();
    let bundle = env.dir.path().join("b.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let other = Env::new();
    other.ok(&["import", bundle.to_str().unwrap()]);
    for (f, y) in [
        ("Kystly", "2025"),
        ("Bakkehuset", "2026"),
        ("Kystly", "2024"),
    ] {
        assert_eq!(
            summary(&env, f, y)["summary"],
            summary(&other, f, y)["summary"],
            "{f} {y}"
        );
    }
    other.ok(&["verify"]);
}

#[test]
fn model_list_and_show_tell_of_the_2025_amendment() {
    let env = Env::new();
    let list = env.ok(&["model", "list"]);
    assert!(
        list.contains("L 200") && list.contains("model import"),
        "{list}"
    );
    let show = env.ok(&["--lang", "en", "model", "show"]);
    assert!(show.contains("2025 amendment"), "{show}");
    // the bundled 2017 model stays the default
    assert!(show.contains("socialtilsyn-2017"), "{show}");
}
