//! Compare across the reform fixture (five themes, criteria scored directly) and the 2017
//! model, in both directions and with the mapping file written either way: a directly
//! scored criterion is one row, and a mapping read backwards compares like one read forwards.

mod common;

use common::Env;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/models/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Kystly: 2024 on the 2017 model (3a 4, 3b 2, 4a 3, 4b 5, 5a 2), 2025 on the reform
/// fixture (R3 4, R4 3, R5 2, R11 5), with the mapping file `mapping`.
fn setup(mapping: &str) -> Env {
    let env = Env::new();
    env.ok(&["model", "import", &fixture("reform-fixture.json")]);
    env.ok(&["model", "import", &fixture(mapping)]);
    env.ok(&["facility", "add", "Kystly"]);
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
    let scores = [
        ("2024", "3a", "4"),
        ("2024", "3b", "2"),
        ("2024", "4a", "3"),
        ("2024", "4b", "5"),
        ("2024", "5a", "2"),
        ("2025", "R3", "4"),
        ("2025", "R4", "3"),
        ("2025", "R5", "2"),
        ("2025", "R11", "5"),
    ];
    for (y, id, v) in scores {
        env.ok(&["score", "set", "-f", "Kystly", "-y", y, "-i", id, "-v", v]);
    }
    env
}

fn history(env: &Env, model: &str) -> Value {
    let out = env.ok(&["compare", "-f", "Kystly", "--model", model, "--json"]);
    serde_json::from_str(&out).unwrap()
}

fn rows<'h>(h: &'h Value, id: &str) -> Vec<&'h Value> {
    h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["node_id"] == id)
        .collect()
}

fn cell(row: &Value, year: usize) -> Value {
    row["cells"][year].clone()
}

fn value(v: f64) -> Value {
    serde_json::json!({ "kind": "value", "value": v })
}

const BOTH: [&str; 2] = [
    "mapping-2017-reform-fixture.json",
    "mapping-reform-fixture-2017.json",
];

#[test]
fn a_directly_scored_criterion_is_one_row_in_every_face() {
    for mapping in BOTH {
        let env = setup(mapping);
        let h = history(&env, "reform-fixture");
        let r3 = rows(&h, "R3");
        assert_eq!(r3.len(), 1, "{mapping}: {r3:?}");
        assert_eq!(r3[0]["level"], "criterion");
        // 2024: K3 = (4 + 2) / 2 through the mapping; 2025: R3 scored 4
        assert_eq!(cell(r3[0], 0), value(3.0), "{mapping}");
        assert_eq!(cell(r3[0], 1), value(4.0), "{mapping}");
        assert_eq!(r3[0]["direction"], "up");
        // R5 = 2 is a gap both years (K5 = 2): neither opened nor closed
        assert_eq!(h["gaps_opened"], serde_json::json!([]), "{h}");
        let text = env.ok(&["compare", "-f", "Kystly", "--model", "reform-fixture"]);
        let lines = text
            .lines()
            .filter(|l| l.trim_start().starts_with("R3 "))
            .count();
        assert_eq!(lines, 1, "{text}");
        let csv = env.ok(&[
            "compare",
            "-f",
            "Kystly",
            "--model",
            "reform-fixture",
            "--csv",
        ]);
        let lines = csv.lines().filter(|l| l.starts_with("R3,")).count();
        assert_eq!(lines, 1, "{csv}");
        let html = env.ok(&[
            "compare",
            "-f",
            "Kystly",
            "--model",
            "reform-fixture",
            "--format",
            "html",
        ]);
        assert_eq!(html.matches(">R3<").count(), 1, "{html}");
    }
}

#[test]
fn the_reform_is_seen_in_the_2017_frame_with_the_mapping_either_way() {
    for mapping in BOTH {
        let env = setup(mapping);
        let h = history(&env, "socialtilsyn-2017");
        let row = |id: &str| rows(&h, id)[0].clone();
        // the directly scored R3 = 4 is K3's value in 2025, and T3's
        assert_eq!(cell(&row("K3"), 1), value(4.0), "{mapping}: {h}");
        assert_eq!(cell(&row("T3"), 1), value(4.0), "{mapping}");
        assert_eq!(row("K3")["direction"], "up", "{mapping}");
        // T4: K4 (R4 3) and K5 (R5 2) count once each, as in the reform's own rule
        assert_eq!(cell(&row("T4"), 1), value(2.5), "{mapping}");
        // the 2017 indicators under K3 have no counterpart in the reform
        assert_eq!(cell(&row("3a"), 0), value(4.0));
        assert_eq!(cell(&row("3a"), 1)["kind"], "not_comparable", "{mapping}");
        // a year of the matrix and the trend take the same numbers
        let y: Value = serde_json::from_str(&env.ok(&[
            "compare",
            "-y",
            "2025",
            "--model",
            "socialtilsyn-2017",
            "--json",
        ]))
        .unwrap();
        let text = y.to_string();
        assert!(
            !text.contains("not comparable") && !text.contains("NoMapping"),
            "{text}"
        );
        let means = &y["rows"][0]["theme_means"];
        assert_eq!(means[2], 4.0, "{mapping}: {y}");
        assert_eq!(means[3], 2.5, "{mapping}: {y}");
        let t = env.ok(&["compare", "--trend", "--model", "socialtilsyn-2017"]);
        assert!(
            t.lines()
                .any(|l| l.starts_with("3 ") && l.contains("3,0") && l.contains("4,0")),
            "{t}"
        );
    }
}
