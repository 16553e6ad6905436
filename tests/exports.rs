//! Exports and the exchange bundle: the round-trip law, the formats read back, escaping,
//! conflicts, and bad bundles that change nothing.

mod common;

use clap::Parser;
use common::Env;
use proptest::prelude::*;
use tilsynsklar::assessment::{NewAction, ScoreInput, ScoreValue};
use tilsynsklar::cli::{Cli, run};
use tilsynsklar::store::{NewFacility, Stamp, Store};

fn stamp(minute: u32) -> Stamp {
    Stamp {
        by: "mette".into(),
        at: format!("2026-01-15T10:{minute:02}:00Z").parse().unwrap(),
    }
}

/// Runs the program in-process on a database file.
fn tk(db: &std::path::Path, args: &[&str]) -> tilsynsklar::Result<()> {
    let mut argv = vec![
        "tilsynsklar",
        "--db",
        db.to_str().unwrap(),
        "--user",
        "mette",
    ];
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv).unwrap())
}

/// Everything in a bundle but the time it was written.
fn without_time(bundle: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(bundle).unwrap();
    v["exported_at"] = serde_json::Value::Null;
    v
}

/// A facility's generated assessment: (indicator index, value or not relevant, reasoning).
type Generated = (
    String,
    i32,
    Vec<(usize, Option<u8>, String)>,
    bool,
    Option<String>,
);

fn build(db: &std::path::Path, facilities: &[Generated]) {
    let mut store = Store::open(db, &stamp(0)).unwrap();
    for (n, (name, year, scores, finalise, action)) in facilities.iter().enumerate() {
        let f = match store.find_facility(name) {
            Ok(f) => f,
            Err(_) => store
                .add_facility(
                    &NewFacility {
                        name: name.clone(),
                        tags: vec!["board".into()],
                        ..Default::default()
                    },
                    &stamp(1),
                )
                .unwrap(),
        };
        let model = store.model_for_year(*year).unwrap();
        let Ok(a) = store.start_assessment(&f, *year, &model, false, &stamp(2)) else {
            continue;
        };
        let ids: Vec<String> = model.indicators().map(|r| r.indicator.id.clone()).collect();
        for (k, (i, v, why)) in scores.iter().enumerate() {
            let value = v.map_or(ScoreValue::NotRelevant, ScoreValue::Scored);
            let reasoning = if value == ScoreValue::NotRelevant && why.trim().is_empty() {
                "ikke relevant".to_string()
            } else {
                why.clone()
            };
            let input = ScoreInput {
                indicator_id: ids[i % ids.len()].clone(),
                value,
                reasoning: Some(reasoning),
                sources: Some(format!("kilde {k}")),
            };
            store
                .set_score(a.id, &input, &stamp(3 + (k as u32 % 50)))
                .unwrap();
        }
        if let Some(text) = action.as_ref().filter(|t| !t.trim().is_empty()) {
            store
                .add_action(
                    a.id,
                    &NewAction {
                        text: text.clone(),
                        indicators: vec![ids[n % ids.len()].clone()],
                        ..Default::default()
                    },
                    &stamp(55),
                )
                .unwrap();
        }
        if *finalise {
            for id in &ids {
                let input = ScoreInput {
                    indicator_id: id.clone(),
                    value: ScoreValue::Scored(3),
                    reasoning: None,
                    sources: None,
                };
                if !store
                    .scores(a.id)
                    .unwrap()
                    .iter()
                    .any(|s| &s.indicator_id == id)
                {
                    store.set_score(a.id, &input, &stamp(56)).unwrap();
                }
            }
            store.finalise(a.id, "Leder", &stamp(57)).unwrap();
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zæøåÆØÅ ,.]{1,30}",
        Just("=HYPERLINK(\"http://x\") <script>alert(1)</script> \"citat\" \\ ".to_string()),
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
    ]
}

fn generated() -> impl Strategy<Value = Vec<Generated>> {
    let one = (
        prop_oneof![
            Just("Bostedet Solhøj".to_string()),
            Just("Æblehaven".to_string()),
            "[A-Z][a-zæøå]{2,12}"
        ],
        prop_oneof![Just(2016), Just(2017), Just(2025)],
        proptest::collection::vec(
            (
                0usize..40,
                proptest::option::weighted(0.85, 1u8..=5),
                text(),
            ),
            0..12,
        ),
        any::<bool>(),
        proptest::option::of(text()),
    );
    proptest::collection::vec(one, 1..4)
}

/// Export → import into an empty database → export: the same bundle, a clean `verify`,
/// and a second import that changes nothing.
fn round_trip(data: &[Generated]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    build(&a, data);
    let (first, second) = (dir.path().join("1.json"), dir.path().join("2.json"));
    tk(
        &a,
        &[
            "export",
            "--format",
            "json",
            "--all",
            "-o",
            first.to_str().unwrap(),
        ],
    )
    .unwrap();
    tk(&b, &["import", first.to_str().unwrap()]).unwrap();
    // what was imported holds what was signed, and the audit chain it landed in is whole
    tk(&b, &["verify"]).unwrap();
    tk(
        &b,
        &[
            "export",
            "--format",
            "json",
            "--all",
            "-o",
            second.to_str().unwrap(),
        ],
    )
    .unwrap();
    let (one, two) = (
        std::fs::read_to_string(&first).unwrap(),
        std::fs::read_to_string(&second).unwrap(),
    );
    prop_assert_eq!(without_time(&one), without_time(&two));
    // and a second import of the same bundle changes nothing
    let before = common::snapshot(&b);
    tk(&b, &["import", first.to_str().unwrap()]).unwrap();
    prop_assert_eq!(before, common::snapshot(&b));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
    #[test]
    fn export_import_export_gives_the_same_bundle(data in generated()) {
        round_trip(&data)?;
    }
}

/// Found by the property above: an action's number differs between the two databases,
/// and `verify` compared the copied log row with another action of the same number.
#[test]
fn a_round_trip_where_action_numbers_differ_verifies_clean() {
    let hostile = "=HYPERLINK(\"http://x\") <script>alert(1)</script> \"citat\" \\ ";
    let data: Vec<Generated> = vec![
        ("Æblehaven".into(), 2016, vec![], false, None),
        ("Bøå".into(), 2016, vec![], false, Some(".øøÆ,æÆ mæ".into())),
        (
            "Bostedet Solhøj".into(),
            2016,
            vec![
                (20, None, hostile.into()),
                (32, Some(2), "f, å.ØÆæ r,xhbqøør vgjokå".into()),
                (29, Some(5), ",..".into()),
                (32, Some(1), String::new()),
                (9, Some(2), ".ཤJ\u{c56}<\\&Y 𜹜G*".into()),
                (27, Some(3), "øø,.ø.rz".into()),
            ],
            true,
            Some(hostile.into()),
        ),
    ];
    round_trip(&data).unwrap();
}

/// A facility with a finalised 2016 assessment and a hostile 2025 draft.
fn hostile(env: &Env) {
    build(
        &env.db,
        &[
            (
                "Bostedet Solhøj".into(),
                2016,
                vec![(0, Some(2), "Mål aftales med kommunen".into())],
                true,
                Some("Ny målskabelon".into()),
            ),
            (
                "Bostedet Solhøj".into(),
                2025,
                vec![
                    (
                        0,
                        Some(4),
                        "<script>alert('x')</script> =HYPERLINK(\"http://evil\",\"klik\")".into(),
                    ),
                    (1, Some(1), "-2+3 @SUM(A1) \u{1b}[31m rød".into()),
                    (2, None, "Gælder ikke: | *fed* [link](x)".into()),
                ],
                false,
                Some("=cmd|' /C calc'!A0".into()),
            ),
        ],
    );
}

#[test]
fn the_html_report_escapes_hostile_text() {
    let env = Env::new();
    hostile(&env);
    let html = env.ok(&[
        "export",
        "--format",
        "html",
        "-f",
        "Bostedet Solhøj",
        "-y",
        "2025",
    ]);
    assert!(!html.contains("<script>alert"), "raw script in the report");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(!html.contains('\u{1b}'));
    assert!(html.contains("<svg"), "the charts are inline SVG");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing is fetched from a network"
    );
    assert!(html.contains("Stiplet: 2016"), "last year's radar is drawn");
    insta::assert_snapshot!("report_html", html);
    let md = env.ok(&["export", "--format", "md", "-a", "2"]);
    assert!(
        md.contains("Gælder ikke: \\| \\*fed\\* \\[link\\]\\(x\\)"),
        "{md}"
    );
    assert!(md.contains("&lt;script&gt;"), "{md}");
    insta::assert_snapshot!("report_md", md);
}

#[test]
fn the_csv_reads_back_row_by_row_with_formulas_neutralised() {
    let env = Env::new();
    hostile(&env);
    let out = env.ok(&["export", "--format", "csv", "--all"]);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(
        &headers[0], "vurdering",
        "every row carries the assessment's number"
    );
    assert_eq!(&headers[1], "tilbud");
    assert_eq!(&headers[12], "overført");
    assert_eq!(&headers[13], "begrundelse");
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(
        records.len(),
        33 + 30,
        "one row per indicator of each assessment (2014 and 2017 model)"
    );
    let r2025: Vec<&csv::StringRecord> = records.iter().filter(|r| &r[2] == "2025").collect();
    assert_eq!(&r2025[0][0], "2");
    assert_eq!(&r2025[0][8], "1a");
    assert_eq!(&r2025[0][10], "4");
    assert_eq!(&r2025[0][12], "0", "not carried over");
    assert_eq!(
        &r2025[0][13],
        "<script>alert('x')</script> =HYPERLINK(\"http://evil\",\"klik\")"
    );
    assert_eq!(
        &r2025[1][13], "'-2+3 @SUM(A1) [31m rød",
        "a leading - is neutralised and control characters removed"
    );
    assert_eq!((&r2025[2][10], &r2025[2][11]), ("", "1"));
    assert_eq!(
        (&r2025[5][10], &r2025[5][11], &r2025[5][12]),
        ("", "", ""),
        "unscored"
    );

    let excel = std::process::Command::new(assert_cmd::cargo::cargo_bin("tilsynsklar"))
        .args([
            "--db",
            env.db.to_str().unwrap(),
            "export",
            "--format",
            "csv",
            "-a",
            "2",
            "--excel",
        ])
        .output()
        .unwrap();
    assert!(
        excel
            .stdout
            .starts_with("\u{feff}vurdering;tilbud;år;model".as_bytes())
    );
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&excel.stdout[3..]);
    assert_eq!(rows.records().count(), 30);
}

#[test]
fn the_workbook_reads_back_cell_by_cell() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let env = Env::new();
    hostile(&env);
    let path = env.dir.path().join("rapport.xlsx");
    env.ok(&[
        "export",
        "--format",
        "xlsx",
        "--all",
        "-o",
        path.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names();
    // two model versions: one summary sheet each, never one column for two themes
    assert_eq!(
        names[..2],
        [
            "Oversigt socialtilsyn-2014".to_string(),
            "Oversigt socialtilsyn-2017".to_string()
        ],
        "{names:?}"
    );
    assert!(
        names.contains(&"6 Økonomi".to_string())
            && names.contains(&"4 Sundhed og trivsel".to_string()),
        "{names:?}"
    );
    assert_eq!(names.last().map(String::as_str), Some("Udviklingspunkter"));
    let summary = book.worksheet_range("Oversigt socialtilsyn-2014").unwrap();
    assert_eq!(summary.get((0, 0)), Some(&Data::String("Vurdering".into())));
    assert_eq!(summary.get((1, 0)), Some(&Data::Float(1.0)));
    assert_eq!(
        summary.get((1, 3)),
        Some(&Data::Float(2016.0)),
        "numbers are stored as numbers"
    );
    assert_eq!(
        summary.get((1, 9)),
        Some(&Data::Float(2.7)),
        "theme 1 of 2016: K1 = (2+3+3)/3, rounded to one decimal as the CLI shows it"
    );
    let s2017 = book.worksheet_range("Oversigt socialtilsyn-2017").unwrap();
    let theme4 = |r: &calamine::Range<Data>| r.get((0, 12)).map(|c| c.to_string());
    assert_eq!(theme4(&s2017).as_deref(), Some("4 Sundhed og trivsel"));
    assert_ne!(
        theme4(&summary),
        theme4(&s2017),
        "each version its own themes"
    );
    let sheet = book
        .worksheet_range("1 Uddannelse og beskæftigelse")
        .unwrap();
    assert_eq!(sheet.get((0, 7)), Some(&Data::String("Score".into())));
    let row = (1..sheet.height())
        .find(|r| sheet.get((*r, 2)) == Some(&Data::Float(2025.0)))
        .unwrap() as usize;
    assert_eq!(sheet.get((row, 0)), Some(&Data::Float(2.0)));
    assert_eq!(sheet.get((row, 5)), Some(&Data::String("1a".into())));
    assert_eq!(sheet.get((row, 7)), Some(&Data::Float(4.0)));
    // markup and quotes come back as typed, through the streamed rows' escaping
    assert_eq!(
        sheet.get((row, 10)),
        Some(&Data::String(
            "<script>alert('x')</script> =HYPERLINK(\"http://evil\",\"klik\")".into()
        ))
    );
    assert_eq!(
        sheet.get((row + 1, 10)),
        Some(&Data::String("'-2+3 @SUM(A1) [31m rød".into()))
    );
    assert_eq!(sheet.get((row + 2, 8)), Some(&Data::String("ja".into())));
    let gaps = book.worksheet_range("Huller og udviklingspunkter").unwrap();
    let cells: Vec<String> = gaps
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        cells.iter().any(|c| c.contains("=cmd|' /C calc'!A0")),
        "the action is listed: {cells:?}"
    );
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                assert!(
                    !s.starts_with(['=', '+', '-', '@']),
                    "{sheet}: formula-like cell {s:?}"
                );
            }
        }
    }
}

#[test]
fn conflicts_are_refused_unless_replace_or_keep_both() {
    let a = Env::new();
    hostile(&a);
    let bundle = a.dir.path().join("b.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let b = Env::new();
    b.ok(&["facility", "add", "bostedet solhøj"]);
    b.ok(&["assessment", "start", "-f", "bostedet solhøj", "-y", "2025"]);
    b.ok(&["score", "set", "-a", "1", "-i", "1a", "-v", "5"]);
    let err = b.fails(&["import", bundle.to_str().unwrap()]);
    assert!(err.ends_with("Bostedet Solhøj 2025 findes i databasen med andet indhold; importér med --replace eller --keep-both"), "{err}");
    let out = b.ok(&["import", "--keep-both", bundle.to_str().unwrap()]);
    assert!(out.contains("2 vurderinger tilføjet"), "{out}");
    // the import is in this database's audit chain: who, which file, what it did
    let logged: (String, String, String) = rusqlite::Connection::open(&b.db)
        .unwrap()
        .query_row(
            "SELECT by, subject, new_value FROM audit_log WHERE action = 'bundle.import'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (logged.0.as_str(), logged.1.as_str()),
        ("mette", bundle.to_str().unwrap())
    );
    assert!(logged.2.contains("\"assessments_added\":2"), "{}", logged.2);
    b.ok(&["verify"]);
    let list = b.ok(&["assessment", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|a| a["year"] == 2025)
            .count(),
        2
    );

    let c = Env::new();
    c.ok(&["facility", "add", "Bostedet Solhøj"]);
    c.ok(&["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2025"]);
    c.ok(&["score", "set", "-a", "1", "-i", "1a", "-v", "5"]);
    let out = c.ok(&["import", "--replace", bundle.to_str().unwrap()]);
    assert!(out.contains("1 erstattet"), "{out}");
    let shown: serde_json::Value = serde_json::from_str(&c.ok(&[
        "assessment",
        "show",
        "-f",
        "Bostedet Solhøj",
        "-y",
        "2025",
        "--json",
    ]))
    .unwrap();
    // the bundle's three scores, and 2d, not relevant for a facility with a board
    assert_eq!(shown["scores"].as_array().unwrap().len(), 4);
}

#[test]
fn each_bad_bundle_is_named_and_changes_nothing() {
    let a = Env::new();
    hostile(&a);
    let good = a.dir.path().join("good.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        good.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&good).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let b = Env::new();
    b.ok(&["facility", "add", "Andet tilbud"]);
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.json",
            text.as_bytes()[..text.len() / 2].to_vec(),
            "truncated.json: ",
        ),
        (
            "latin1.json",
            {
                let mut t = text.clone().into_bytes();
                t.extend_from_slice(b"\xe6\xf8");
                t
            },
            "latin1.json: $: not UTF-8 text",
        ),
    ];
    // in the order the program writes (the edits below reorder the keys): the last
    // assessment is bad, after the first has been merged
    let late: String = {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let last = lines
            .iter()
            .rposition(|l| l.starts_with("{\"facility\""))
            .unwrap();
        assert!(lines[last].contains("\"year\":2025"), "{}", lines[last]);
        lines[last] = lines[last].replace("\"year\":2025", "\"year\":1000");
        lines.join("\n")
    };
    cases.push((
        "late.json",
        late.into_bytes(),
        "late.json: assessments[1].year: 1000 is not a plausible year",
    ));
    let mut altered =
        |name: &'static str, change: &dyn Fn(&mut serde_json::Value), expected: &'static str| {
            let mut w = v.clone();
            change(&mut w);
            cases.push((name, w.to_string().into_bytes(), expected));
        };
    altered(
        "version.json",
        &|w| w["format"] = "tilsynsklar-bundle/9".into(),
        "version.json: format: unknown bundle format \"tilsynsklar-bundle/9\"",
    );
    altered(
        "seven.json",
        &|w| w["assessments"][1]["scores"][0]["value"] = 7.into(),
        "seven.json: assessments[1].scores[0].value: score 7 is outside the scale 1–5",
    );
    altered(
        "indicator.json",
        &|w| w["assessments"][1]["scores"][1]["indicator"] = "99z".into(),
        "indicator.json: assessments[1].scores[1].indicator: indicator \"99z\" is not in model socialtilsyn-2017",
    );
    altered(
        "model.json",
        &|w| w["assessments"][0]["model_hash"] = "ab".repeat(32).into(),
        "model.json: assessments[0].model_hash: model socialtilsyn-2014 abababababab is neither in this database nor in the bundle",
    );
    altered(
        "huge.json",
        &|w| {
            w["assessments"][1]["scores"][0]["reasoning"] = "æ".repeat(50 * 1024 * 1024 / 2).into()
        },
        "huge.json: assessments[1].scores[0].reasoning: the reasoning is longer than 100000 characters",
    );
    altered(
        "unknown.json",
        &|w| w["assessments"][0]["colour"] = "red".into(),
        "unknown.json: assessments[0].colour: unknown field `colour`",
    );
    altered(
        "facility.json",
        &|w| w["assessments"][0]["facility"] = "Ukendt".into(),
        "facility.json: assessments[0].facility: \"Ukendt\" is not among the bundle's facilities",
    );
    for (name, bytes, expected) in cases {
        let path = b.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = b.fails(&["import", path.to_str().unwrap()]);
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in {err:?}"
        );
    }
    // a file after a bad one is not imported either: the command stops at the first error
    let bad = b.dir.path().join("seven.json");
    b.fails(&["import", bad.to_str().unwrap(), good.to_str().unwrap()]);
    // the good bundle with its keys in another order (assessments before the facilities
    // and models they name) imports the same
    let c = Env::new();
    let reordered = c.file("reordered.json", &v.to_string());
    c.ok(&["import", reordered.to_str().unwrap()]);
    let again = c.dir.path().join("again.json");
    c.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        without_time(&std::fs::read_to_string(&again).unwrap()),
        without_time(&text)
    );
    c.ok(&["verify"]);
}

#[test]
fn show_json_writes_scores_the_way_the_bundle_does() {
    let env = Env::new();
    hostile(&env);
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "show", "-a", "2", "--json"])).unwrap();
    let bundle: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json", "-a", "2"])).unwrap();
    let in_bundle = &bundle["assessments"][0]["scores"];
    assert!(
        in_bundle.as_array().is_some_and(|s| s.len() >= 3),
        "{in_bundle}"
    );
    assert_eq!(
        &shown["scores"], in_bundle,
        "one form for a score in every machine format"
    );
    let nr = shown["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == "1c")
        .unwrap();
    assert_eq!(
        (&nr["value"], &nr["not_relevant"], &nr["carried_over"]),
        (&serde_json::Value::Null, &true.into(), &false.into())
    );
    assert_eq!(shown["scores"][0]["value"], 4);
}

#[test]
fn a_large_csv_export_to_stdout_is_the_file_export_byte_for_byte() {
    // more than a few buffers of output: written from the encoding thread, which must not
    // wait on the standard output the command holds
    let env = Env::new();
    env.ok(&["demo", "--facilities", "30", "--years", "4", "--seed", "2"]);
    let out = env.ok(&["export", "--format", "csv", "--all", "--excel"]);
    assert!(out.len() > 1024 * 1024, "{} bytes", out.len());
    let file = env.dir.path().join("all.csv");
    let f = file.to_str().unwrap();
    env.ok(&["export", "--format", "csv", "--all", "--excel", "-o", f]);
    assert!(
        std::fs::read(&file).unwrap() == out.as_bytes(),
        "the same bytes"
    );
    let ids: Vec<i64> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(out.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        120 * 30,
        "a row per indicator of each assessment"
    );
    assert!(ids.is_sorted(), "in the assessments' order");
}
