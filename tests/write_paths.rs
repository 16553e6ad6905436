//! The same bad inputs through every way a score is written (`score set`, `score apply`
//! on stdin, `import` of a bundle): each is refused with one clear line and changes
//! nothing. The terminal program's save (`app::scores::save_input`, which its effect calls)
//! is held by the unit tests in `src/app/scores.rs`. And texts at the limit round-trip.

mod common;

use common::{Env, snapshot};
use serde_json::{Value, json};

const LIMIT: usize = 100_000;
const CPR: &str = "Borger 010190-1234 flyttede";

/// Runs a command with `stdin`, which must fail with one line on stderr and leave the
/// database as it was; returns that line.
fn fails_with_stdin(env: &Env, args: &[&str], stdin: &str) -> String {
    let before = snapshot(&env.db);
    let out = env.cmd(args).write_stdin(stdin).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&env.db), before, "{args:?} changed the database");
    err.trim_end().to_string()
}

/// The database's own bundle.
fn bundle(env: &Env) -> Value {
    let path = env.dir.path().join("all.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "--force",
        "-o",
        path.to_str().unwrap(),
    ]);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A bundle without the time of its export.
fn timeless(mut v: Value) -> Value {
    v["exported_at"] = Value::Null;
    v
}

/// One bad input, as each path takes it.
struct Case {
    name: &'static str,
    /// `score set` arguments after `-a 1 -i 2a` (an indicator without a saved text).
    set: Vec<String>,
    /// The `score apply` line.
    line: Value,
    /// What the bundle's score of 1a becomes: (value, not_relevant, reasoning).
    bundled: (Value, bool, String),
    /// Under the strict personal-data policy.
    strict: bool,
    /// The message after "indikator 2a: " (Danish, for set and apply).
    da: &'static str,
    /// The bundle's field and the message after its JSON path (English, as every
    /// bundle error).
    field: &'static str,
    en: &'static str,
}

fn cases() -> Vec<Case> {
    let long = "a".repeat(LIMIT + 1);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        Case {
            name: "zero",
            set: s(&["-v", "0"]),
            line: json!({"indicator": "2a", "value": 0}),
            bundled: (json!(0), false, "r".into()),
            strict: false,
            da: "scoren 0 ligger uden for skalaen 1–5",
            field: "value",
            en: "score 0 is outside the scale 1–5",
        },
        Case {
            name: "six",
            set: s(&["-v", "6"]),
            line: json!({"indicator": "2a", "value": 6, "reasoning": "r"}),
            bundled: (json!(6), false, "r".into()),
            strict: false,
            da: "scoren 6 ligger uden for skalaen 1–5",
            field: "value",
            en: "score 6 is outside the scale 1–5",
        },
        Case {
            name: "no-reason",
            set: s(&["--not-relevant"]),
            line: json!({"indicator": "2a", "not_relevant": true}),
            bundled: (Value::Null, true, "  ".into()),
            strict: false,
            da: "\"ikke relevant\" kræver en begrundelse",
            field: "reasoning",
            en: "\"not relevant\" needs a reason",
        },
        Case {
            name: "both",
            set: s(&["-v", "3", "--not-relevant", "-r", "grund"]),
            line: json!({"indicator": "2a", "value": 3, "not_relevant": true, "reasoning": "grund"}),
            bundled: (json!(3), true, "grund".into()),
            strict: false,
            da: "en score er enten en værdi eller \"ikke relevant\", ikke begge",
            field: "value",
            en: "a score is either a value or \"not relevant\", not both",
        },
        Case {
            name: "long",
            set: vec!["-v".into(), "3".into(), "-r".into(), long.clone()],
            line: json!({"indicator": "2a", "value": 3, "reasoning": long}),
            bundled: (json!(3), false, long.clone()),
            strict: false,
            da: "begrundelsen er længere end 100000 tegn",
            field: "reasoning",
            en: "the reasoning is longer than 100000 characters",
        },
        Case {
            name: "cpr",
            set: s(&["-v", "3", "-r", CPR]),
            line: json!({"indicator": "2a", "value": 3, "reasoning": CPR}),
            bundled: (json!(3), false, CPR.into()),
            strict: true,
            da: "begrundelsen indeholder et CPR-nummer; personoplysninger afvises i denne database",
            field: "reasoning",
            en: "the reasoning holds a CPR number; personal data is refused in this database",
        },
    ]
}

#[test]
fn the_same_bad_score_is_refused_on_every_path_and_changes_nothing() {
    let env = Env::new();
    let a = env.facility_with_assessment();
    env.ok(&[
        "score", "set", "-a", &a, "-i", "1a", "-v", "4", "-r", "Godt",
    ]);
    let good = bundle(&env);
    // the bundle goes into an empty database, so the only thing that can refuse it is a
    // check (the good one imports there at the end)
    let target = Env::new();
    target.ok(&["model", "list"]);
    let scores = good["assessments"][0]["scores"].as_array().unwrap();
    let k = scores.iter().position(|s| s["indicator"] == "1a").unwrap();
    let before = timeless(bundle(&env));
    for case in cases() {
        let strict: &[&str] = if case.strict { &["--strict"] } else { &[] };
        // score set and apply, which can mask, name the flag that would have saved it
        let mask = if case.strict {
            "; gem med --mask for at erstatte dem"
        } else {
            ""
        };
        let expected = format!("tilsynsklar: fejl: indikator 2a: {}{mask}", case.da);
        // score set
        let mut args: Vec<&str> = strict.to_vec();
        args.extend(["score", "set", "-a", &a, "-i", "2a"]);
        args.extend(case.set.iter().map(String::as_str));
        assert_eq!(env.fails(&args), expected, "{}: score set", case.name);
        // score apply, a good line before the bad one: nothing of the file is saved
        let mut args: Vec<&str> = strict.to_vec();
        args.extend(["score", "apply", "-a", &a, "-"]);
        let stdin = format!(
            "{}\n{}\n",
            json!({"indicator": "1b", "value": 2, "reasoning": "ok"}),
            case.line
        );
        assert_eq!(
            fails_with_stdin(&env, &args, &stdin),
            format!("tilsynsklar: fejl: -:2: indikator 2a: {}{mask}", case.da),
            "{}: score apply",
            case.name
        );
        // import of a bundle whose score of 1a is the bad one
        let mut bad = good.clone();
        let score = &mut bad["assessments"][0]["scores"][k];
        score["value"] = case.bundled.0.clone();
        score["not_relevant"] = case.bundled.1.into();
        score["reasoning"] = case.bundled.2.clone().into();
        let file = target.file(&format!("{}.json", case.name), &bad.to_string());
        let mut args: Vec<&str> = strict.to_vec();
        args.extend(["import", file.to_str().unwrap()]);
        let err = target.fails(&args);
        let tail = format!(
            "{}.json: assessments[0].scores[{k}].{}: {}",
            case.name, case.field, case.en
        );
        assert!(
            err.starts_with("tilsynsklar: fejl: ") && err.ends_with(&tail),
            "{}: import: expected …{tail:?}, got {err:?}",
            case.name
        );
    }
    assert_eq!(
        timeless(bundle(&env)),
        before,
        "the bad inputs changed the export"
    );
    // the database's strict setting refuses the import as the flag does
    target.ok(&["privacy", "--set", "strict"]);
    let mut bad = good.clone();
    bad["assessments"][0]["scores"][k]["sources"] = "ring 23 45 67 89".into();
    let file = target.file("phone.json", &bad.to_string());
    let err = target.fails(&["--lang", "en", "import", file.to_str().unwrap()]);
    assert!(
        err.ends_with(&format!(
            "phone.json: assessments[0].scores[{k}].sources: the sources hold a phone number; personal data is refused in this database"
        )),
        "{err}"
    );
    // and the good bundle imports
    let file = target.file("good.json", &good.to_string());
    target.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(bundle(&target)["assessments"], good["assessments"]);
}

#[test]
fn texts_written_at_the_limit_export_a_bundle_that_imports_into_an_empty_database() {
    let env = Env::new();
    let a = env.facility_with_assessment();
    // score set takes a text at the limit (ASCII: one argument stays under the kernel's
    // 128 KiB), score apply the rest: multi-byte, quotes and control characters, which
    // the audit row's snapshot escapes to up to six characters each
    env.ok(&[
        "score",
        "set",
        "-a",
        &a,
        "-i",
        "1a",
        "-v",
        "4",
        "-r",
        &"a".repeat(LIMIT),
    ]);
    let lines = [
        json!({"indicator": "1b", "value": 3, "reasoning": "æ".repeat(LIMIT), "sources": "\"".repeat(LIMIT)}),
        json!({"indicator": "1c", "not_relevant": true, "reasoning": "\u{1}".repeat(LIMIT), "sources": "ø".repeat(LIMIT)}),
    ];
    let stdin: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let out = env
        .cmd(&["score", "apply", "-a", &a, "-"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // changed again, so the audit rows carry old and new snapshots at the limit
    env.ok(&["score", "set", "-a", &a, "-i", "1b", "-v", "5"]);
    let exported = bundle(&env);
    let empty = Env::new();
    let file = empty.file("limit.json", &exported.to_string());
    let report = empty.ok(&["import", "--json", file.to_str().unwrap()]);
    assert!(report.contains("\"scores_added\""), "{report}");
    let back = bundle(&empty);
    assert_eq!(back["assessments"], exported["assessments"]);
    let texts = |v: &Value| {
        v["assessments"][0]["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["reasoning"].as_str().unwrap().chars().count())
            .max()
    };
    assert_eq!(texts(&back), Some(LIMIT));
    assert_eq!(
        back["audit_log"].as_array().unwrap().len(),
        exported["audit_log"].as_array().unwrap().len()
    );
    empty.ok(&["verify"]);
}
