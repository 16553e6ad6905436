//! The yearly safety self-evaluation beside the quality model, through the real binary:
//! one facility holds, for one year, an assessment on each framework; scores, gaps (and
//! the action plans Region Midtjylland links to the safety framework), exports, compare
//! and bundles keep them apart.

mod common;

use common::Env;
use serde_json::Value;

const F: &str = "Bostedet Solhøj";

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).unwrap()
}

/// The questions of the bundled safety framework, in model order.
fn questions(env: &Env) -> Vec<String> {
    let m = json(env, &["model", "show", "sikkerhed-2017", "--json"]);
    m["themes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["criteria"].as_array().unwrap().clone())
        .flat_map(|c| c["indicators"].as_array().unwrap().clone())
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// A Region Midtjylland facility with a 2025 quality assessment (8a = 2) and a 2025
/// safety self-evaluation: the questions of area O1 (S1a–S3b) 0, every other question 3.
fn setup() -> Env {
    let env = Env::new();
    env.ok(&["facility", "add", F, "--organisation", "Region Midtjylland"]);
    let q = env.ok(&["assessment", "start", "-f", F, "-y", "2025"]);
    assert!(q.contains("socialtilsyn-2017"), "{q}");
    let s = env.ok(&[
        "assessment",
        "start",
        "-f",
        F,
        "-y",
        "2025",
        "--framework",
        "sikkerhed",
    ]);
    assert!(
        s.contains("vurdering 2") && s.contains("sikkerhed-2017"),
        "{s}"
    );
    // what the framework scores, by its own name
    assert!(s.contains("(18 spørgsmål,"), "{s}");
    assert!(q.contains("(30 indikatorer,"), "{q}");
    env.ok(&[
        "score", "set", "-a", "1", "-i", "8a", "-v", "2", "-r", "Kvalitet",
    ]);
    for id in questions(&env) {
        let v = if ["S1", "S2", "S3"].iter().any(|p| id.starts_with(p)) {
            "0"
        } else {
            "3"
        };
        env.ok(&[
            "score",
            "set",
            "-f",
            F,
            "-y",
            "2025",
            "--framework",
            "sikkerhed",
            "-i",
            &id,
            "-v",
            v,
            "-r",
            "Gennemgået på personalemødet",
        ]);
    }
    env
}

#[test]
fn a_year_holds_a_quality_and_a_safety_assessment_and_each_is_found_by_its_framework() {
    let env = setup();
    assert_eq!(questions(&env).len(), 18);
    // a second safety self-evaluation of the year is refused, naming the first
    let err = env.fails(&[
        "assessment",
        "start",
        "-f",
        F,
        "-y",
        "2025",
        "--framework",
        "sikkerhed",
    ]);
    assert!(err.contains("vurdering 2"), "{err}");
    // and so is a second quality assessment, naming the quality one
    let err = env.fails(&["assessment", "start", "-f", F, "-y", "2025"]);
    assert!(err.contains("vurdering 1"), "{err}");
    // a model and a framework that disagree
    let err = env.fails(&[
        "--lang",
        "en",
        "assessment",
        "start",
        "-f",
        F,
        "-y",
        "2026",
        "--model",
        "sikkerhed-2017",
        "--framework",
        "socialtilsyn",
    ]);
    assert!(err.contains("belongs to the framework sikkerhed"), "{err}");
    // without --framework, -f -y means the quality assessment: a safety question is not in it
    let err = env.fails(&[
        "score", "set", "-f", F, "-y", "2025", "-i", "S2a", "-v", "1",
    ]);
    assert!(err.contains("socialtilsyn-2017"), "{err}");
    let quality = json(
        &env,
        &["assessment", "summary", "-f", F, "-y", "2025", "--json"],
    );
    assert_eq!(quality["assessment"]["id"], 1);
    let safety = json(
        &env,
        &[
            "assessment",
            "summary",
            "-f",
            F,
            "--framework",
            "sikkerhed",
            "--json",
        ],
    );
    assert_eq!(safety["assessment"]["id"], 2);
    assert_eq!(safety["assessment"]["model_id"], "sikkerhed-2017");
    // both are listed, neither as the other's double
    let list = env.ok(&["assessment", "list"]);
    assert!(list.contains("sikkerhed-2017") && list.contains("socialtilsyn-2017"));
    assert!(!list.contains('*'), "no double mark: {list}");
    // the safety one can be signed off on its own; the quality one stays a draft
    env.ok(&["assessment", "finalise", "-a", "2", "--by", "Mette"]);
    let l = json(&env, &["assessment", "list", "--json"]);
    let status: Vec<(i64, String)> = l
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_i64().unwrap(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(status.contains(&(1, "draft".into())), "{status:?}");
    assert!(status.contains(&(2, "finalised".into())), "{status:?}");
    let v = env.ok(&["verify"]);
    assert!(v.contains("1 afsluttede vurderinger genberegnet"), "{v}");
    assert!(v.contains("ok: intet er ændret"), "{v}");
    // --framework picks the list's assessments
    let safety_only = json(
        &env,
        &["assessment", "list", "--framework", "sikkerhed", "--json"],
    );
    let ids: Vec<i64> = safety_only
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2]);
}

#[test]
fn a_safety_gap_leads_to_the_regions_plan_for_the_model_for_sikkerhed() {
    let env = setup();
    let g = json(&env, &["gaps", "-a", "2", "--json"]);
    let gaps = g["gaps"].as_array().unwrap();
    let gap = |node: &str| {
        gaps.iter()
            .find(|e| e["finding"]["node_id"] == node && e["finding"]["kind"] == "gap")
            .unwrap_or_else(|| panic!("no gap on {node}: {g:#}"))
    };
    // the area O1 and its questions scored 0 are gaps, led to RM-02 (implement the Model
    // for sikkerhed) and RM-03 (the yearly self-evaluation), through the area's links
    for node in ["O1", "R1", "S1a", "S1b", "S1c", "S3b"] {
        let plans: Vec<&str> = gap(node)["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["target_id"].as_str().unwrap())
            .collect();
        assert_eq!(plans, ["RM-02", "RM-03"], "{node}");
    }
    assert!(
        gaps.iter()
            .all(|e| e["finding"]["node_id"] != "O2" || e["finding"]["kind"] != "gap"),
        "an area scored 3 is no gap"
    );
    // the quality assessment's gaps keep the quality model's links, none of the safety ones
    let q = json(&env, &["gaps", "-a", "1", "--json"]);
    let text = q.to_string();
    assert!(!text.contains("\"via\":\"O1\""), "{text}");
    assert!(!text.contains("\"node_id\":\"S1a\""), "{text}");
    // the plain text says it in Danish and names the plan
    let out = env.ok(&["gaps", "-f", F, "--framework", "sikkerhed"]);
    assert!(out.contains("sikkerhed-2017"), "{out}");
    assert!(out.contains("Handleplan RM-02 (kilde, via O1)"), "{out}");
    // an improvement action under that plan, on a safety question
    env.ok(&[
        "action",
        "add",
        "-a",
        "2",
        "-i",
        "S1a",
        "--text",
        "Mestringsskema for hver borger",
        "--plan",
        "RM-02",
    ]);
    let g = json(&env, &["gaps", "-a", "2", "--json"]);
    let s1a = g["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["finding"]["node_id"] == "S1a")
        .unwrap();
    assert_eq!(s1a["actions"][0]["text"], "Mestringsskema for hver borger");
    // strategy show lists the links from the safety framework
    let s = env.ok(&["strategy", "show", "rm-social-strategi"]);
    assert!(s.contains("sikkerhed-2017"), "{s}");
}

#[test]
fn compare_stays_within_a_framework_across_two_years_and_rolls_forward_from_its_own() {
    let env = setup();
    // 2026's safety self-evaluation starts from 2025's safety one, never the quality one
    let out = env.ok(&[
        "assessment",
        "start",
        "-f",
        F,
        "-y",
        "2026",
        "--framework",
        "sikkerhed",
        "--from-last-year",
    ]);
    assert!(out.contains("18 overført"), "{out}");
    for id in ["S1a", "S1b", "S1c", "S2a", "S2b", "S3a", "S3b"] {
        env.ok(&[
            "score",
            "set",
            "-f",
            F,
            "-y",
            "2026",
            "--framework",
            "sikkerhed",
            "-i",
            id,
            "-v",
            "3",
            "-r",
            "Mestringsskemaer er i brug",
        ]);
    }
    let c = json(
        &env,
        &["compare", "-f", F, "--framework", "sikkerhed", "--json"],
    );
    let text = c.to_string();
    assert!(text.contains("sikkerhed-2017"), "{text}");
    assert!(!text.contains("socialtilsyn"), "never mixed: {text}");
    assert!(text.contains("2025") && text.contains("2026"), "{text}");
    let plain = env.ok(&["compare", "-f", F, "--framework", "sikkerhed"]);
    // O1 went from 0 to 3
    let o1 = plain
        .lines()
        .find(|l| l.contains("Forebyggelse i samarbejdet"))
        .unwrap_or_else(|| panic!("{plain}"));
    assert!(o1.contains("0,0") && o1.contains("3,0"), "{o1}");
    // the quality model's comparison has one year, and no safety area
    let q = env.ok(&["compare", "-f", F]);
    assert!(!q.contains("Forebyggelse i samarbejdet"), "{q}");
    assert!(!q.contains("2026"), "{q}");
    // the framework follows from --model too
    let m = env.ok(&["compare", "-f", F, "--model", "sikkerhed-2017"]);
    assert_eq!(m, plain);
    // a quality and a safety assessment of one facility and year are not two of one kind
    for framework in ["socialtilsyn", "sikkerhed"] {
        let y = env.ok(&["compare", "-y", "2025", "--framework", framework]);
        assert!(!y.contains("flere vurderinger"), "{y}");
        assert!(y.contains(F), "{y}");
    }
}

#[test]
fn exports_carry_the_model_and_a_bundle_round_trips_both_frameworks() {
    let env = setup();
    let csv = env.ok(&["export", "--format", "csv", "-f", F]);
    let safety_rows = csv.lines().filter(|l| l.contains("sikkerhed-2017")).count();
    assert_eq!(safety_rows, 18, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("socialtilsyn-2017") && l.contains(",8a,"))
    );
    // --framework keeps the safety self-evaluation only
    let only = env.ok(&[
        "export",
        "--format",
        "csv",
        "-f",
        F,
        "--framework",
        "sikkerhed",
    ]);
    assert_eq!(
        only.lines().count(),
        19,
        "a header and 18 questions: {only}"
    );
    assert!(!only.contains("socialtilsyn-2017"), "{only}");
    let err = env.fails(&["export", "--format", "csv", "-f", F, "--framework", "dkm"]);
    assert!(err.contains("dkm"), "{err}");
    let only_bundle = env.ok(&[
        "export",
        "--format",
        "json",
        "-y",
        "2025",
        "--framework",
        "sikkerhed",
    ]);
    let b: Value = serde_json::from_str(&only_bundle).unwrap();
    assert_eq!(b["assessments"].as_array().unwrap().len(), 1);
    assert_eq!(b["assessments"][0]["model_id"], "sikkerhed-2017");
    let html = env.ok(&["export", "--format", "html", "-f", F]);
    assert!(html.contains("sikkerhed-2017") && html.contains("Forebyggelse i samarbejdet"));
    let md = env.ok(&["export", "--format", "md", "-a", "2"]);
    assert!(md.contains("**S1a") && !md.contains("**8a "), "{md}");
    let xlsx = env.dir.path().join("alt.xlsx");
    env.ok(&[
        "export",
        "--format",
        "xlsx",
        "--all",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        let names = book.sheet_names().to_vec();
        let mut found = false;
        for n in &names {
            let range = book.worksheet_range(n).unwrap();
            if range.rows().any(|r| {
                r.iter()
                    .any(|c| matches!(c, calamine::Data::String(s) if s == "sikkerhed-2017"))
            }) {
                found = true;
            }
        }
        assert!(found, "no sheet names the safety model: {names:?}");
    }
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
    let before = json(&env, &["assessment", "list", "--json"]);
    let after = json(&other, &["assessment", "list", "--json"]);
    let key = |v: &Value| {
        let mut k: Vec<(i64, String, i64)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["year"].as_i64().unwrap(),
                    a["model_id"].as_str().unwrap().to_string(),
                    a["done"].as_i64().unwrap(),
                )
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(key(&before), key(&after));
    assert_eq!(key(&after).len(), 2);
    let v = other.ok(&["--lang", "en", "verify"]);
    assert!(v.contains("ok: nothing was changed"), "{v}");
    // the same gaps and plans in the new database
    let g = |e: &Env| {
        let mut v = json(
            e,
            &[
                "gaps",
                "-f",
                F,
                "-y",
                "2025",
                "--framework",
                "sikkerhed",
                "--json",
            ],
        );
        v["assessment"] = Value::Null;
        v["gaps"].to_string()
    };
    assert_eq!(g(&env), g(&other));
    // importing it again changes nothing (each assessment found by its framework)
    let again = json(&other, &["import", bundle.to_str().unwrap(), "--json"]);
    let again = &again[0]["report"];
    assert_eq!(again["assessments_unchanged"], 2, "{again}");
    assert_eq!(again["assessments_added"], 0, "{again}");
}

#[test]
fn a_safety_bundle_imports_beside_the_quality_assessment_of_the_same_year() {
    let env = setup();
    let bundle = env.dir.path().join("safety.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "-a",
        "2",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    // a database that has the facility's 2025 quality assessment only
    let other = Env::new();
    other.ok(&["facility", "add", F, "--organisation", "Region Midtjylland"]);
    other.ok(&["assessment", "start", "-f", F, "-y", "2025"]);
    let r = json(&other, &["import", bundle.to_str().unwrap(), "--json"]);
    let r = &r[0]["report"];
    assert_eq!(
        r["assessments_added"], 1,
        "no conflict across frameworks: {r}"
    );
    assert_eq!(r["assessments_replaced"], 0, "{r}");
    let list = json(&other, &["assessment", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let s = json(
        &other,
        &[
            "assessment",
            "summary",
            "-f",
            F,
            "--framework",
            "sikkerhed",
            "--json",
        ],
    );
    assert_eq!(s["assessment"]["model_id"], "sikkerhed-2017");
    assert_eq!(s["assessment"]["done"], 18);
}
