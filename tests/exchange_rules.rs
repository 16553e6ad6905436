//! Imports that never surprise (a finalised assessment is replaced only when asked for;
//! every replaced assessment is reported; a keep-both database's bundle comes back whole),
//! lookups by number and by name that never shadow each other, and errors of the store
//! that name no flag of the command line.

mod common;

use common::Env;
use tilsynsklar::assessment::{NewAction, ScoreInput, ScoreValue};
use tilsynsklar::exchange::OnConflict;
use tilsynsklar::i18n::Lang;
use tilsynsklar::store::{NewFacility, Stamp, Store};

fn stamp(minute: u32) -> Stamp {
    Stamp {
        by: "mette".into(),
        at: format!("2026-01-15T10:{minute:02}:00Z").parse().unwrap(),
    }
}

fn score(indicator: &str, value: u8) -> ScoreInput {
    ScoreInput {
        indicator_id: indicator.into(),
        value: ScoreValue::Scored(value),
        reasoning: Some(format!("begrundelse {value}")),
        sources: Some("kilde".into()),
    }
}

/// A facility with a finalised assessment of `year`, every indicator scored 3, signed by
/// "Leder"; returns the assessment's number.
fn finalised(store: &mut Store, name: &str, year: i32) -> i64 {
    let f = match store.find_facility(&format!("name:{name}")) {
        Ok(f) => f,
        Err(_) => store
            .add_facility(
                &NewFacility {
                    name: name.into(),
                    tags: vec!["board".into()],
                    ..Default::default()
                },
                &stamp(1),
            )
            .unwrap(),
    };
    let model = store.model_for_year(year).unwrap();
    let a = store
        .start_assessment(&f, year, &model, false, &stamp(2))
        .unwrap();
    let ids: Vec<String> = model.indicators().map(|r| r.indicator.id.clone()).collect();
    for id in &ids {
        let done = store
            .scores(a.id)
            .unwrap()
            .iter()
            .any(|s| &s.indicator_id == id);
        if !done {
            store.set_score(a.id, &score(id, 3), &stamp(3)).unwrap();
        }
    }
    store.finalise(a.id, "Leder", &stamp(4)).unwrap();
    a.id
}

/// A database with Bostedet Solhøj's 2025 draft holding one score; its bundle.
fn one_score_draft(env: &Env) -> std::path::PathBuf {
    env.ok(&["facility", "add", "Bostedet Solhøj", "--tag", "board"]);
    env.ok(&["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2025"]);
    env.ok(&["score", "set", "-a", "1", "-i", "1a", "-v", "2"]);
    let bundle = env.dir.path().join("draft.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    bundle
}

#[test]
fn replace_refuses_a_finalised_assessment_unless_asked_explicitly() {
    let source = Env::new();
    let draft = one_score_draft(&source);
    let b = Env::new();
    finalised(
        &mut Store::open(&b.db, &stamp(0)).unwrap(),
        "Bostedet Solhøj",
        2025,
    );
    let file = draft.to_str().unwrap();
    // refused, all of the file, with the facility, the year and the status named
    let err = b.fails(&["import", "--replace", file]);
    assert!(err.contains("Bostedet Solhøj 2025"), "{err}");
    assert!(
        err.contains("er afsluttet (underskrevet af \"Leder\")"),
        "{err}"
    );
    assert!(
        err.ends_with("--replace-finalised for at erstatte den, eller --keep-both"),
        "{err}"
    );
    let err = b.fails(&["--lang", "en", "import", file]);
    assert!(err.contains("is finalised (signed by \"Leder\")"), "{err}");
    // asked for: replaced, and the report says which, with the old and the new status
    let out = b.ok(&["import", "--replace-finalised", "--json", file]);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let replaced = &r[0]["report"]["replaced"];
    assert_eq!(
        replaced,
        &serde_json::json!([{"facility": "Bostedet Solhøj", "year": 2025, "assessment": 1,
            "old_status": "finalised", "new_status": "draft"}]),
        "{out}"
    );
    assert_eq!(r[0]["report"]["assessments_replaced"], 1);
    let shown: serde_json::Value =
        serde_json::from_str(&b.ok(&["assessment", "show", "-a", "1", "--json"])).unwrap();
    assert_eq!(shown["assessment"]["status"], "draft", "{shown}");
    b.ok(&["verify"]);

    // the text report lists it too, and a draft is replaced with --replace alone
    let c = Env::new();
    finalised(
        &mut Store::open(&c.db, &stamp(0)).unwrap(),
        "Bostedet Solhøj",
        2025,
    );
    let out = c.ok(&["import", "--replace-finalised", file]);
    assert!(
        out.contains("  erstattet: Bostedet Solhøj 2025 (vurdering 1): afsluttet → kladde"),
        "{out}"
    );
    c.ok(&["score", "set", "-a", "1", "-i", "1b", "-v", "4"]);
    let out = c.ok(&["--lang", "en", "import", "--replace", file]);
    assert!(
        out.contains("  replaced: Bostedet Solhøj 2025 (assessment 1): draft → draft"),
        "{out}"
    );
}

/// Everything in a bundle but the time it was written.
fn without_time(path: &std::path::Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["exported_at"] = serde_json::Value::Null;
    v
}

#[test]
fn a_keep_both_database_exports_a_bundle_that_an_empty_database_takes_whole() {
    let other = Env::new();
    let theirs = one_score_draft(&other);
    let a = Env::new();
    {
        let mut store = Store::open(&a.db, &stamp(0)).unwrap();
        let id = finalised(&mut store, "Bostedet Solhøj", 2025);
        finalised(&mut store, "Bostedet Solhøj", 2024);
        let action = NewAction {
            text: "Opfølgning".into(),
            indicators: vec!["1a".into()],
            ..Default::default()
        };
        store.add_action(id, &action, &stamp(5)).unwrap();
    }
    a.ok(&["import", "--keep-both", theirs.to_str().unwrap()]);
    let list: serde_json::Value =
        serde_json::from_str(&a.ok(&["assessment", "list", "--json"])).unwrap();
    let of_2025 = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["year"] == 2025)
        .count();
    assert_eq!(of_2025, 2, "{list}");
    let first = a.dir.path().join("first.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        first.to_str().unwrap(),
    ]);

    // export → import into an empty database → export: the same bundle
    let b = Env::new();
    let out = b.ok(&["import", first.to_str().unwrap()]);
    assert!(out.contains("3 vurderinger tilføjet"), "{out}");
    let second = b.dir.path().join("second.json");
    b.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        second.to_str().unwrap(),
    ]);
    assert_eq!(without_time(&first), without_time(&second));
    b.ok(&["verify"]);
    // and once more changes nothing, in either database
    for env in [&a, &b] {
        let before = common::snapshot(&env.db);
        let out = env.ok(&["import", first.to_str().unwrap()]);
        assert!(
            out.contains("0 vurderinger tilføjet, 0 erstattet, 3 uændrede"),
            "{out}"
        );
        assert_eq!(common::snapshot(&env.db), before);
    }
    // a database holding one of the two takes the other beside it (whatever the order in
    // the file), and no log row twice
    let out = other.ok(&["import", first.to_str().unwrap()]);
    assert!(
        out.contains("2 vurderinger tilføjet, 0 erstattet, 1 uændrede"),
        "{out}"
    );
    let third = other.dir.path().join("third.json");
    other.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        third.to_str().unwrap(),
    ]);
    let rows = |p: &std::path::Path| {
        let mut r: Vec<String> = without_time(p)["audit_log"]
            .as_array()
            .unwrap()
            .iter()
            // the bundle's chain follows each database's order of rows: compare the rows
            .map(|x| {
                let mut x = x.clone();
                x.as_object_mut()
                    .unwrap()
                    .retain(|k, _| k != "hash" && k != "prev_hash");
                x.to_string()
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(rows(&third), rows(&first));
    other.ok(&["verify"]);
}

#[test]
fn a_facility_named_12_and_facility_number_12_never_shadow_each_other() {
    let env = Env::new();
    env.ok(&["facility", "add", "12"]);
    for n in 2..=12 {
        env.ok(&["facility", "add", &format!("Tilbud {n}")]);
    }
    let name = |args: &[&str]| -> String {
        let v: serde_json::Value = serde_json::from_str(&env.ok(args)).unwrap();
        v["facility"]["name"].as_str().unwrap().to_string()
    };
    assert_eq!(name(&["facility", "show", "12", "--json"]), "Tilbud 12");
    assert_eq!(name(&["facility", "show", "name:12", "--json"]), "12");
    assert_eq!(name(&["facility", "show", "1", "--json"]), "12");
    assert_eq!(
        name(&["facility", "show", "tilbud 12", "--json"]),
        "Tilbud 12"
    );
    // a change by name reaches the facility of that name, not number 12
    env.ok(&["facility", "edit", "name:12", "--location", "Viborg"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["facility", "show", "1", "--json"])).unwrap();
    assert_eq!(v["facility"]["location"], "Viborg");
    env.ok(&["assessment", "start", "-f", "12", "-y", "2025"]);
    env.ok(&["assessment", "start", "-f", "name:12", "-y", "2025"]);
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "list", "--json"])).unwrap();
    let mut names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["facility"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["12", "Tilbud 12"]);
    // the error says which it tried
    let err = env.fails(&["facility", "show", "99"]);
    assert!(
        err.ends_with("ukendt tilbud: intet tilbud har nummer 99"),
        "{err}"
    );
    let err = env.fails(&["facility", "show", "name:99"]);
    assert!(
        err.ends_with("ukendt tilbud: intet tilbud hedder \"99\""),
        "{err}"
    );
    let err = env.fails(&["facility", "show", "13"]);
    assert!(err.ends_with("intet tilbud har nummer 13"), "{err}");
    let lone = Env::new();
    lone.ok(&["facility", "add", "7"]);
    let err = lone.fails(&["facility", "show", "7"]);
    assert!(
        err.ends_with("(et tilbud hedder \"7\": skriv name:7)"),
        "{err}"
    );
}

#[test]
fn the_stores_errors_name_no_flag_of_the_command_line() {
    let mut store = Store::open_in_memory(&stamp(0)).unwrap();
    let done = finalised(&mut store, "Bostedet Solhøj", 2025);
    let f = store.find_facility("Bostedet Solhøj").unwrap();
    let model = store.model_for_year(2026).unwrap();
    let draft = store
        .start_assessment(&f, 2026, &model, false, &stamp(6))
        .unwrap()
        .id;
    let not_relevant = ScoreInput {
        indicator_id: "1a".into(),
        value: ScoreValue::NotRelevant,
        reasoning: Some(" ".into()),
        sources: None,
    };
    let mut errors = vec![
        store
            .set_score(done, &score("1a", 4), &stamp(7))
            .unwrap_err(),
        store
            .set_score(draft, &not_relevant, &stamp(7))
            .unwrap_err(),
        store.model_for_year(1990).map(|_| ()).unwrap_err(),
        store
            .add_action(draft, &NewAction::default(), &stamp(7))
            .unwrap_err(),
        store.find_facility("77").unwrap_err(),
    ];
    store.set_strict();
    let cpr = ScoreInput {
        reasoning: Some("Borger 010203-1234 mener".into()),
        ..score("1b", 3)
    };
    errors.push(store.set_score(draft, &cpr, &stamp(8)).unwrap_err());
    let mut other = Store::open_in_memory(&stamp(0)).unwrap();
    let f = other
        .add_facility(
            &NewFacility {
                name: "Bostedet Solhøj".into(),
                ..Default::default()
            },
            &stamp(1),
        )
        .unwrap();
    let m = other.model_for_year(2025).unwrap();
    let a = other
        .start_assessment(&f, 2025, &m, false, &stamp(2))
        .unwrap();
    other.set_score(a.id, &score("1a", 1), &stamp(3)).unwrap();
    let (facilities, assessments) = other.select(&tilsynsklar::store::Selection::All).unwrap();
    let mut bundle = Vec::new();
    let path = std::path::Path::new("b.json");
    let other = tilsynsklar::app::Session::new(other, Lang::Da, "mette".into());
    tilsynsklar::export::bundle::write(
        &other,
        &facilities,
        &assessments,
        "2026-01-01T00:00:00.000Z",
        "mette",
        path,
        &mut bundle,
    )
    .unwrap();
    let text = String::from_utf8(bundle).unwrap();
    for how in [OnConflict::Refuse, OnConflict::Replace] {
        errors.push(
            store
                .import_bundle_text("b.json", &text, how, &stamp(9))
                .unwrap_err(),
        );
    }
    assert_eq!(errors.len(), 8);
    for e in &errors {
        for lang in [Lang::Da, Lang::En] {
            let line = e.localized(lang);
            assert!(!line.contains("--"), "{e:?} names a flag: {line}");
            assert!(!line.trim().is_empty());
        }
        // the log's words are the English ones the user reads
        assert_eq!(e.to_string(), e.localized(Lang::En));
    }
}

/// Every command's path under the program, as the help lists them.
fn paths(c: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut p = path.clone();
        p.push(s.get_name().to_string());
        paths(s, p, out);
    }
    out.push(path);
}

#[test]
fn help_speaks_danish_by_default_and_english_when_asked() {
    let env = Env::new();
    let mut all = Vec::new();
    paths(&tilsynsklar::cli::command(Lang::Da), Vec::new(), &mut all);
    assert!(all.len() > 40, "{}", all.len());
    let da = tilsynsklar::cli::command(Lang::Da);
    for path in &all {
        let mut c = &da;
        for p in path {
            c = c.find_subcommand(p).unwrap();
        }
        let about = c.get_about().unwrap().to_string();
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.ok(&args);
        assert!(out.starts_with(&about), "{path:?}: {out}");
        assert!(out.contains("\nBrug: tilsynsklar"), "{path:?}: {out}");
        for english in ["Usage:", "Options:", "Print help", "[default:", "[env:"] {
            assert!(!out.contains(english), "{path:?}: {english:?} in {out}");
        }
        let mut en = vec!["--lang", "en"];
        en.extend(args.iter().copied());
        let out = env.ok(&en);
        assert!(out.contains("\nUsage: tilsynsklar"), "{path:?}: {out}");
        assert!(!out.contains("Brug:"), "{path:?}: {out}");
    }
    // the environment chooses where the arguments do not
    let out = env
        .cmd(&["import", "-h"])
        .env("TILSYNSKLAR_LANG", "en")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.starts_with("Merges exchange bundles"), "{out}");
    let out = env
        .cmd(&["--lang", "da", "import", "-h"])
        .env("TILSYNSKLAR_LANG", "en")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.starts_with("Fletter udvekslingsfiler"), "{out}");
    // a usage error too, with clap's exit code
    for (lang, start) in [
        ("da", "fejl: disse påkrævede argumenter mangler:"),
        (
            "en",
            "error: the following required arguments were not provided:",
        ),
    ] {
        let out = env.cmd(&["--lang", lang, "import"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with(start), "{err}");
    }
}
