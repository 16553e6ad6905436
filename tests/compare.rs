//! `tilsynsklar compare` through the real binary: hand-computed fixtures for each view,
//! a snapshot of the JSON, and the bad inputs.

mod common;

use common::Env;
use serde_json::Value;

/// Kystly: 2015 on the 2014 model, no 2016, 2017 on the 2017 model; Bakkehuset: 2017.
fn setup() -> Env {
    let env = Env::new();
    env.ok(&[
        "facility",
        "add",
        "Kystly",
        "--organisation",
        "Region Syddanmark",
        "--tag",
        "board",
    ]);
    env.ok(&[
        "facility",
        "add",
        "Bakkehuset",
        "--organisation",
        "Region Syddanmark",
    ]);
    env.ok(&[
        "facility",
        "add",
        "Fjordly",
        "--organisation",
        "Region Midtjylland",
    ]);
    env.ok(&["assessment", "start", "-f", "Kystly", "-y", "2015"]);
    env.ok(&["assessment", "start", "-f", "Kystly", "-y", "2017"]);
    env.ok(&["assessment", "start", "-f", "Bakkehuset", "-y", "2017"]);
    env.ok(&["assessment", "start", "-f", "Fjordly", "-y", "2017"]);
    let set = |f: &str, y: &str, id: &str, v: &str| {
        if v == "nr" {
            env.ok(&[
                "score",
                "set",
                "-f",
                f,
                "-y",
                y,
                "-i",
                id,
                "--not-relevant",
                "-r",
                "ikke aktuelt",
            ]);
        } else {
            env.ok(&["score", "set", "-f", f, "-y", y, "-i", id, "-v", v]);
        }
    };
    for (id, v) in [
        ("14a", "2"),
        ("14b", "4"),
        ("11a", "5"),
        ("4a", "2"),
        ("4b", "nr"),
    ] {
        set("Kystly", "2015", id, v);
    }
    for (id, v) in [("11a", "4"), ("11b", "4"), ("4a", "3"), ("4b", "4")] {
        set("Kystly", "2017", id, v);
    }
    for (id, v) in [("11a", "2"), ("4a", "5"), ("1a", "3")] {
        set("Bakkehuset", "2017", id, v);
    }
    for (id, v) in [("11a", "5"), ("4a", "4")] {
        set("Fjordly", "2017", id, v);
    }
    env
}

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).unwrap()
}

#[test]
fn a_facility_across_years_and_model_versions() {
    let env = setup();
    let h = json(&env, &["compare", "-f", "Kystly", "--json"]);
    assert_eq!(h["years"], serde_json::json!([2015, 2017]));
    assert_eq!(h["model"], "socialtilsyn-2017");
    let row = |id: &str| {
        h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["node_id"] == id)
            .unwrap()
            .clone()
    };
    // T7: (2+4)/2 = 3.0 → (4+4)/2 = 4.0
    assert_eq!(
        row("T7")["cells"],
        serde_json::json!([{"kind": "value", "value": 3.0}, {"kind": "value", "value": 4.0}])
    );
    assert_eq!(row("T7")["direction"], "up");
    // K4: 4a=2, 4b not relevant → 2.0; then (3+4)/2 = 3.5
    assert_eq!(row("K4")["change"], 1.5);
    assert_eq!(row("4b")["cells"][0]["kind"], "not_relevant");
    assert_eq!(row("4b")["direction"], Value::Null);
    assert_eq!(
        h["gaps_closed"],
        serde_json::json!([[2017, "4a"], [2017, "11a"]])
    );
    insta::assert_snapshot!(
        "compare_facility_json",
        env.ok(&["compare", "-f", "Kystly", "--json"])
    );
    // in the 2014 frame, Økonomi has no counterpart in 2017: not comparable, never a fall
    let old = json(
        &env,
        &[
            "compare",
            "-f",
            "Kystly",
            "--model",
            "socialtilsyn-2014",
            "--json",
        ],
    );
    let r = old["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node_id"] == "11a")
        .unwrap();
    assert_eq!(r["cells"][1]["kind"], "not_comparable");
    assert_eq!(r["direction"], Value::Null);
    let text = env.ok(&["compare", "-f", "Kystly", "--model", "socialtilsyn-2014"]);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("11a"))
        .unwrap();
    assert!(line.contains("5,0") && line.contains("i.s."), "{line}");
    // a range with one year
    let one = json(
        &env,
        &["compare", "-f", "Kystly", "--years", "2016..2017", "--json"],
    );
    assert_eq!(one["years"], serde_json::json!([2017]));
}

#[test]
fn the_facilities_of_a_year_and_the_trend() {
    let env = setup();
    let m = json(&env, &["compare", "-y", "2017", "--json"]);
    let order: Vec<&str> = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["facility"].as_str().unwrap())
        .collect();
    // overall: Fjordly (5+4)/2 = 4.5; Kystly (3.5 + 4)/2 = 3.75; Bakkehuset (3 + 5 + 2)/3 = 3.33
    assert_eq!(order, ["Fjordly", "Kystly", "Bakkehuset"]);
    let t4 = &m["stats"][3];
    assert_eq!(
        (
            t4["median"].as_f64(),
            t4["min"].as_f64(),
            t4["max"].as_f64()
        ),
        (Some(4.0), Some(3.5), Some(5.0))
    );
    assert_eq!(m["stats"][6]["below"], serde_json::json!(["Bakkehuset"]));
    let org = json(
        &env,
        &[
            "compare",
            "-y",
            "2017",
            "--organisation",
            "region syddanmark",
            "--json",
        ],
    );
    assert_eq!(org["rows"].as_array().unwrap().len(), 2);
    let some = json(
        &env,
        &[
            "compare",
            "-y",
            "2017",
            "--facilities",
            "Kystly,Fjordly",
            "--json",
        ],
    );
    assert_eq!(some["rows"].as_array().unwrap().len(), 2);
    let table = env.ok(&["compare", "-y", "2017"]);
    // the tables and the prose (the legend of the themes too) fit the 80 columns of a pipe
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    let legend: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("Temaer: T1"))
        .collect();
    assert!(legend.len() > 1, "the legend wraps: {table}");
    assert!(legend[1..].iter().all(|l| l.starts_with("  ")), "{table}");
    assert!(
        table.contains("Under 3,0 i tema 7 Fysiske rammer: Bakkehuset"),
        "{table}"
    );
    let t = json(&env, &["compare", "--trend", "--json"]);
    assert_eq!(t["years"], serde_json::json!([2015, 2017]));
    assert_eq!(t["counts"], serde_json::json!([1, 3]));
    assert_eq!(t["means"][6], serde_json::json!([3.0, 11.0 / 3.0]));
    let csv = env.ok(&["compare", "--trend", "--csv"]);
    assert!(csv.starts_with("theme,2015,2017\nT1,,"), "{csv}");
    // for a Danish spreadsheet: a byte-order mark, `;`, and a decimal comma (4.5 is not 45)
    let excel = env.ok(&["compare", "-y", "2017", "--csv", "--excel"]);
    let mut lines = excel.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}assessment;facility;organisation;T1;T2;T3;T4;T5;T6;T7;overall")
    );
    assert!(
        lines.next().is_some_and(
            |l| l.starts_with("4;Fjordly;Region Midtjylland;") && l.ends_with(";4,500")
        ),
        "{excel}"
    );
    let plain = env.ok(&["compare", "-y", "2017", "--csv"]);
    assert!(plain.lines().nth(1).unwrap().ends_with(",4.500"), "{plain}");
    let out = env
        .cmd(&["compare", "-y", "2017", "--excel"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--excel without --csv is a usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--csv"));
    let html = env.ok(&["compare", "-y", "2017", "--format", "html"]);
    assert!(
        html.contains("<td style=\"background:#63be7b\">5,0</td>"),
        "a heat map cell"
    );
}

#[test]
fn bad_comparisons_say_why() {
    let env = setup();
    let err = env.fails(&["compare", "-f", "Ukendt"]);
    assert!(err.ends_with("ukendt tilbud: Ukendt"), "{err}");
    let err = env.fails(&["compare", "-f", "Kystly", "--years", "2030..2031"]);
    assert!(
        err.ends_with("intet at sammenligne: Kystly har ingen vurderinger 2030–2031"),
        "{err}"
    );
    let err = env.fails(&["compare", "-y", "2030"]);
    assert!(err.ends_with("ingen vurderinger i 2030"), "{err}");
    let err = env.fails(&["compare", "-f", "Kystly", "--years", "2017..2015"]);
    assert!(err.contains("is not a year or a range"), "{err}");
    // a model of its own, without a mapping to the 2017 model
    let mut own: Value = json(&env, &["model", "show", "socialtilsyn-2014", "--json"]);
    own["id"] = "egen-model".into();
    let file = env.file("egen.json", &own.to_string());
    env.ok(&["model", "import", file.to_str().unwrap()]);
    env.ok(&[
        "assessment",
        "start",
        "-f",
        "Bakkehuset",
        "-y",
        "2018",
        "--model",
        "egen-model",
    ]);
    env.ok(&[
        "score",
        "set",
        "-f",
        "Bakkehuset",
        "-y",
        "2018",
        "-i",
        "1a",
        "-v",
        "3",
    ]);
    let err = env.fails(&["compare", "--trend"]);
    assert!(err.ends_with("ingen mapping mellem egen-model og socialtilsyn-2017: deres vurderinger kan ikke sammenlignes"), "{err}");
}

#[test]
fn two_assessments_of_one_year_count_once_by_the_rule() {
    let env = setup();
    // another database's Kystly 2017, brought in beside ours
    let other = Env::new();
    other.ok(&[
        "facility",
        "add",
        "Kystly",
        "--organisation",
        "Region Syddanmark",
        "--tag",
        "board",
    ]);
    other.ok(&["assessment", "start", "-f", "Kystly", "-y", "2017"]);
    other.ok(&["score", "set", "-f", "Kystly", "-i", "11a", "-v", "1"]);
    let bundle = other.dir.path().join("b.json");
    other.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    env.ok(&["import", "--keep-both", bundle.to_str().unwrap()]);
    // neither is finalised: the newest (5) counts, in every view
    let m = json(&env, &["compare", "-y", "2017", "--json"]);
    let rows = m["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "Kystly once, not twice");
    let kystly = rows.iter().find(|r| r["facility"] == "Kystly").unwrap();
    assert_eq!(kystly["assessment_id"], 5);
    assert_eq!(kystly["theme_means"][6], 1.0);
    let table = env.ok(&["compare", "-y", "2017"]);
    assert!(
        table.contains(
            "Kystly har flere vurderinger i 2017: talt med er vurdering 5 (kladde), ikke 2."
        ),
        "{table}"
    );
    let h = json(&env, &["compare", "-f", "Kystly", "--json"]);
    assert_eq!(h["years"], serde_json::json!([2015, 2017]));
    let t = json(&env, &["compare", "--trend", "--json"]);
    assert_eq!(t["counts"], serde_json::json!([1, 3]));
    let shown = json(
        &env,
        &[
            "assessment",
            "summary",
            "-f",
            "Kystly",
            "-y",
            "2017",
            "--json",
        ],
    );
    assert_eq!(shown["assessment"]["id"], 5);
    // a finalised assessment wins over a newer draft
    for id in [
        "11b", "11c", "1a", "1b", "1c", "2a", "2b", "2c", "2d", "3a", "3b", "3c",
    ] {
        let _ = env
            .cmd(&["score", "set", "-a", "2", "-i", id, "-v", "3"])
            .output();
    }
    let model: Value = json(&env, &["model", "show", "socialtilsyn-2017", "--json"]);
    for t in model["themes"].as_array().unwrap() {
        for c in t["criteria"].as_array().unwrap() {
            for i in c["indicators"].as_array().unwrap() {
                let id = i["id"].as_str().unwrap();
                let _ = env
                    .cmd(&[
                        "score", "set", "-a", "2", "-i", id, "-v", "3", "-r", "ok", "-s", "kilde",
                    ])
                    .output();
            }
        }
    }
    env.ok(&["assessment", "finalise", "-a", "2", "--by", "Leder"]);
    let m = json(&env, &["compare", "-y", "2017", "--json"]);
    let kystly = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["facility"] == "Kystly")
        .unwrap()
        .clone();
    assert_eq!(kystly["assessment_id"], 2);
    let list = env.ok(&["assessment", "list"]);
    assert!(list.lines().any(|l| l.starts_with("2*")), "{list}");
    assert!(list.contains("bruger den markerede"), "{list}");
}
