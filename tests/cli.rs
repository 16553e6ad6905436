//! The command line, run as the real binary against a temporary database: the README's
//! walkthrough, and every kind of bad input.

mod common;

use common::Env;

#[test]
fn the_readme_walkthrough_works_end_to_end() {
    let env = Env::new();
    let models = env.ok(&["model", "list"]);
    assert!(
        models.contains("socialtilsyn-2014") && models.contains("socialtilsyn-2017"),
        "{models}"
    );
    let tree = env.ok(&["model", "show", "socialtilsyn-2014"]);
    assert!(tree.contains("Tema 6  Økonomi"), "{tree}");
    assert!(tree.contains("14c   De fysiske rammer afspejler"), "{tree}");
    assert!(
        tree.contains("1c   *Borgerne har et stabilt fremmøde"),
        "{tree}"
    );
    let strategies = env.ok(&["strategy", "list"]);
    assert!(
        strategies.contains("Region Midtjylland") && strategies.contains("Region Syddanmark"),
        "{strategies}"
    );
    let rm = env.ok(&["strategy", "show", "rm-social-strategi"]);
    assert!(
        rm.contains("RM-11  Specialområderne skal arbejde aktivt med inklusion og mestring"),
        "{rm}"
    );
    assert!(
        rm.contains("Uden handleplan i strategien (tilføj en lokal): T7 Fysiske rammer"),
        "{rm}"
    );

    let added = env.ok(&[
        "facility",
        "add",
        "Bostedet Solhøj",
        "--organisation",
        "Region Syddanmark",
        "--location",
        "Vejle",
        "--type",
        "Botilbud (SEL § 108)",
        "--target-group",
        "Voksne med udviklingshæmning",
        "--tag",
        "board",
    ]);
    assert_eq!(added, "tilføjet: tilbud 1 Bostedet Solhøj\n");
    let started = env.ok(&[
        "assessment",
        "start",
        "--facility",
        "Bostedet Solhøj",
        "--year",
        "2026",
    ]);
    assert!(started.starts_with("startet: vurdering 1 for Bostedet Solhøj 2026 på socialtilsyn-2017 (30 indikatorer, 1 markeret"), "{started}");
    env.ok(&[
        "score",
        "set",
        "--assessment",
        "1",
        "--indicator",
        "6a",
        "--value",
        "4",
        "--reason",
        "Få magtanvendelser; kendt plan",
        "--source",
        "Magtanvendelsesskemaer",
    ]);
    env.ok(&[
        "score",
        "set",
        "-f",
        "Bostedet Solhøj",
        "-y",
        "2026",
        "-i",
        "6b",
        "-v",
        "2",
        "-r",
        "Opfølgning mangler",
    ]);
    let saved = env.ok(&[
        "score",
        "set",
        "-f",
        "bostedet solhøj",
        "-i",
        "7A",
        "--not-relevant",
        "-r",
        "Ingen hændelser i perioden",
    ]);
    assert_eq!(
        saved,
        "gemt: Bostedet Solhøj 2026 indikator 7a = ikke relevant\n"
    );

    let summary = env.ok(&["assessment", "summary", "-a", "1"]);
    assert!(
        summary.contains("Fremdrift: 4 af 30 indikatorer (13 %)"),
        "{summary}"
    );
    assert!(summary.contains("4 Sundhed og trivsel"), "{summary}");
    // K6 = (4 + 2) / 2 = 3,0; K7 has only "not relevant" and no mean; theme 4 = 3,0
    let k6 = summary
        .lines()
        .find(|l| l.trim_start().starts_with("K6"))
        .unwrap();
    assert!(k6.contains("3,0"), "{k6}");
    let k7 = summary
        .lines()
        .find(|l| l.trim_start().starts_with("K7"))
        .unwrap();
    assert!(k7.contains("–") && k7.contains("1/1"), "{k7}");

    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "summary", "-a", "1", "--json"])).unwrap();
    assert_eq!(json["summary"]["done"], 4);
    assert_eq!(json["summary"]["themes"][3]["mean"], 3.0);
    assert_eq!(
        json["summary"]["themes"][3]["criteria"][3]["mean"],
        serde_json::Value::Null
    );

    let err = env.fails(&["assessment", "finalise", "-a", "1", "--by", "Mette Jensen"]);
    assert!(err.starts_with("tilsynsklar: fejl: vurdering 1 kan ikke afsluttes: 26 indikator(er) mangler score: 1a, 1b"), "{err}");
    for id in [
        "1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "3c", "3d", "4a", "4b", "5a", "5b", "5c",
        "8a", "8b", "8c", "9a", "9b", "9c", "10a", "10b", "11a", "11b", "11c",
    ] {
        env.ok(&[
            "score", "set", "-a", "1", "-i", id, "-v", "3", "-r", "Middel",
        ]);
    }
    let done = env.ok(&["assessment", "finalise", "-a", "1", "--by", "Mette Jensen"]);
    assert_eq!(
        done,
        "afsluttet: vurdering 1 for Bostedet Solhøj 2026 af Mette Jensen\n"
    );
    let err = env.fails(&["score", "set", "-a", "1", "-i", "1a", "-v", "5"]);
    assert!(
        err.contains("vurdering 1 er afsluttet og kan ikke ændres"),
        "{err}"
    );
    env.ok(&[
        "assessment",
        "reopen",
        "-a",
        "1",
        "--reason",
        "Tilsynet bad om rettelse af 1a",
    ]);
    env.ok(&["score", "set", "-a", "1", "-i", "1a", "-v", "5"]);
    let log = env.ok(&["assessment", "log", "-a", "1", "--json"]);
    let log: Vec<serde_json::Value> = serde_json::from_str(&log).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.first(), Some(&"assessment.start"));
    assert!(actions.contains(&"assessment.finalise") && actions.contains(&"assessment.reopen"));
    let last = log.last().unwrap();
    assert_eq!(last["subject"], "1a");
    assert_eq!(last["by"], "mette");
    assert!(last["old_value"].as_str().unwrap().contains("\"value\":3"));
    assert!(
        last["new_value"]
            .as_str()
            .unwrap()
            .contains("\"reasoning\":\"Middel\""),
        "the reasoning is kept: {last}"
    );

    let list = env.ok(&["assessment", "list", "--lang", "en"]);
    assert!(
        list.contains("Bostedet Solhøj  2026  socialtilsyn-2017  draft   30/30"),
        "{list}"
    );
    let facilities: serde_json::Value =
        serde_json::from_str(&env.ok(&["facility", "list", "--json"])).unwrap();
    assert_eq!(facilities[0]["tags"], serde_json::json!(["board"]));
}

#[test]
fn indicators_that_do_not_apply_are_marked_not_relevant_with_the_reason() {
    let env = Env::new();
    env.ok(&["facility", "add", "Herberget", "--tag", "shelter"]);
    env.ok(&["assessment", "start", "-f", "Herberget", "-y", "2015"]);
    let shown = env.ok(&["assessment", "show", "-f", "Herberget", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["assessment"]["model_id"], "socialtilsyn-2014");
    let ids: Vec<&str> = v["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    for id in ["2d", "8c", "14c"] {
        assert!(ids.contains(&id), "{id} missing in {ids:?}");
    }
    let s14c = v["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == "14c")
        .unwrap();
    assert_eq!(
        s14c["reasoning"],
        "Gælder ikke for tilbuddet. Indikatoren gælder ikke for: forsorgshjem eller herberg."
    );
}

#[test]
fn english_on_request() {
    let env = Env::new();
    env.ok(&["facility", "add", "Solhøj"]);
    let out = env.ok(&[
        "--lang",
        "en",
        "assessment",
        "start",
        "-f",
        "Solhøj",
        "-y",
        "2026",
    ]);
    assert!(out.starts_with("started: assessment 1"), "{out}");
    let err = env.fails(&[
        "--lang", "en", "score", "set", "-a", "1", "-i", "1a", "-v", "9",
    ]);
    assert_eq!(
        err,
        "tilsynsklar: error: indicator 1a: score 9 is outside the scale 1–5"
    );
    let tree = env.ok(&["--lang", "en", "model", "show", "socialtilsyn-2017"]);
    assert!(
        tree.contains("Theme 4  Sundhed og trivsel\n         (Health and well-being)"),
        "{tree}"
    );
}

#[test]
fn each_bad_input_gets_one_line_a_failure_code_and_changes_nothing() {
    let env = Env::new();
    let a = env.facility_with_assessment();
    let cases: &[(&[&str], &str)] = &[
        (
            &["facility", "show", "Ukendt"],
            "tilsynsklar: fejl: ukendt tilbud: Ukendt",
        ),
        (
            &["assessment", "start", "-f", "Ukendt", "-y", "2026"],
            "ukendt tilbud: Ukendt",
        ),
        (
            &["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2026"],
            "har allerede en vurdering for 2026",
        ),
        (
            &["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2010"],
            "ingen kvalitetsmodel var i kraft i 2010",
        ),
        (
            &[
                "assessment",
                "start",
                "-f",
                "Bostedet Solhøj",
                "-y",
                "2027",
                "--model",
                "x",
            ],
            "ukendt kvalitetsmodel: x",
        ),
        (
            &["assessment", "summary", "-a", "99"],
            "ukendt vurdering: 99",
        ),
        (
            &[
                "assessment",
                "summary",
                "-f",
                "Bostedet Solhøj",
                "-y",
                "2019",
            ],
            "ukendt vurdering: Bostedet Solhøj 2019",
        ),
        (
            &["score", "set", "-a", &a, "-i", "99z", "-v", "3"],
            "indikator \"99z\" findes ikke i model socialtilsyn-2017",
        ),
        (
            &["score", "set", "-a", &a, "-i", "1a", "-v", "7"],
            "scoren 7 ligger uden for skalaen 1–5",
        ),
        (
            &["score", "set", "-a", &a, "-i", "1a", "-v", "0"],
            "scoren 0 ligger uden for skalaen 1–5",
        ),
        (
            &["score", "set", "-a", &a, "-i", "1a", "-v", "-2"],
            "scoren -2 ligger uden for skalaen 1–5",
        ),
        (
            &["score", "set", "-a", &a, "-i", "1a"],
            "indikator 1a: angiv en score",
        ),
        (
            &["score", "set", "-a", &a, "-i", "1a", "--not-relevant"],
            "\"ikke relevant\" kræver en begrundelse",
        ),
        (
            &["facility", "add", "bostedet solhøj"],
            "der findes allerede et tilbud med navnet",
        ),
        (
            &["facility", "add", "Nyt", "--tag", "kids"],
            "ukendt tilbudsmærke \"kids\"",
        ),
        (&["facility", "add", "  "], "navnet må ikke være tomt"),
        (
            &["assessment", "reopen", "-a", &a, "--reason", "x"],
            "er ikke afsluttet",
        ),
        (&["strategy", "show", "nope"], "ukendt strategi: nope"),
        (&["model", "show", "nope"], "ukendt kvalitetsmodel: nope"),
    ];
    for (args, expected) in cases {
        let err = env.fails(args);
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in {err:?}"
        );
    }
    // clap's own usage errors also fail without touching the database
    let before = common::snapshot(&env.db);
    let out = env
        .cmd(&["score", "set", "-a", &a, "-i", "1a", "-v", "fire"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(common::snapshot(&env.db), before);
}

#[test]
fn a_finalised_assessment_refuses_changes() {
    let env = Env::new();
    env.ok(&["facility", "add", "Lille Hjem", "--tag", "board"]);
    env.ok(&["assessment", "start", "-f", "Lille Hjem", "-y", "2016"]);
    let model: serde_json::Value =
        serde_json::from_str(&env.ok(&["model", "show", "socialtilsyn-2014", "--json"])).unwrap();
    for theme in model["themes"].as_array().unwrap() {
        for c in theme["criteria"].as_array().unwrap() {
            for i in c["indicators"].as_array().unwrap() {
                let id = i["id"].as_str().unwrap();
                if id != "2d" && id != "14c" {
                    env.ok(&[
                        "score",
                        "set",
                        "-a",
                        "1",
                        "-i",
                        id,
                        "-v",
                        "4",
                        "-r",
                        "God praksis",
                    ]);
                }
            }
        }
    }
    env.fails(&["assessment", "finalise", "-a", "1", "--by", "Leder"]);
    env.ok(&["score", "set", "-a", "1", "-i", "14c", "-v", "5"]);
    env.ok(&["assessment", "finalise", "-a", "1", "--by", "Leder"]);
    let err = env.fails(&["score", "set", "-a", "1", "-i", "14c", "-v", "1"]);
    assert_eq!(
        err,
        "tilsynsklar: fejl: vurdering 1 er afsluttet og kan ikke ændres; genåbn den først (assessment reopen --reason …)"
    );
    env.fails(&["assessment", "finalise", "-a", "1", "--by", "Leder"]);
    env.fails(&["assessment", "reopen", "-a", "1", "--reason", " "]);
}

#[test]
fn bad_model_and_strategy_files_are_named_with_their_json_path() {
    let env = Env::new();
    env.ok(&["model", "list"]);
    let good = env.ok(&["model", "show", "socialtilsyn-2014", "--json"]);
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    v["themes"][2]["criteria"][3]["indicators"][1]["id"] = "6a".into();
    let dup = env.file("dup.json", &v.to_string());
    for verb in ["validate", "import"] {
        let err = env.fails(&["model", verb, dup.to_str().unwrap()]);
        assert!(
            err.ends_with("dup.json: themes[2].criteria[3].indicators[1].id: duplicate \"6a\" (first at themes[2].criteria[3].indicators[0].id)"),
            "{err}"
        );
    }
    let broken = env.file("broken.json", &good[..good.len() / 2]);
    let err = env.fails(&["model", "import", broken.to_str().unwrap()]);
    assert!(
        err.contains("broken.json: ") && err.contains("ends too early"),
        "{err}"
    );
    let err = env.fails(&[
        "model",
        "import",
        env.dir.path().join("missing.json").to_str().unwrap(),
    ]);
    assert!(err.contains("missing.json"), "{err}");
    let latin1 = env.dir.path().join("latin1.json");
    std::fs::write(&latin1, b"{\"id\": \"\xe6\"}").unwrap();
    let err = env.fails(&["model", "validate", latin1.to_str().unwrap()]);
    assert!(
        err.contains("latin1.json: $: not UTF-8 text (byte 8)"),
        "{err}"
    );

    let strategy = env.ok(&["strategy", "show", "rsd-strategisk-grundlag", "--json"]);
    let mut s: serde_json::Value = serde_json::from_str(&strategy).unwrap();
    s["links"][3]["target"] = "SD-9".into();
    let dangling = env.file("dangling.json", &s.to_string());
    let err = env.fails(&["strategy", "import", dangling.to_str().unwrap()]);
    assert!(
        err.ends_with("dangling.json: links[3].target: \"SD-9\" is not in this strategy"),
        "{err}"
    );
    let mut s: serde_json::Value = serde_json::from_str(&strategy).unwrap();
    s["links"][0]["node"] = "K14".into();
    let wrong_model = env.file("wrong.json", &s.to_string());
    let err = env.fails(&["strategy", "validate", wrong_model.to_str().unwrap()]);
    assert!(err.ends_with("wrong.json: links[0].node: \"K14\" is not a theme, criterion or indicator of socialtilsyn-2017"), "{err}");
}

#[test]
fn a_regions_official_model_copy_and_strategy_can_be_loaded() {
    let env = Env::new();
    let good = env.ok(&["model", "show", "socialtilsyn-2014", "--json"]);
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    v["themes"][0]["criteria"][0]["indicators"][2]["text"] = serde_json::json!({"da": "Officiel ordlyd.", "en": "Official wording.", "wording": "confirmed"});
    let official = env.file("officiel.json", &serde_json::to_string_pretty(&v).unwrap());
    let ok = env.ok(&["model", "validate", official.to_str().unwrap()]);
    assert!(ok.starts_with("ok: "), "{ok}");
    let out = env.ok(&["model", "import", official.to_str().unwrap()]);
    assert!(out.starts_with("indlæst: socialtilsyn-2014"), "{out}");
    let tree = env.ok(&["model", "show", "socialtilsyn-2014"]);
    assert!(tree.contains("1c    Officiel ordlyd."), "{tree}");
    let list = env.ok(&["model", "list"]);
    assert!(
        list.contains("socialtilsyn-2014 (tidligere udgave)"),
        "{list}"
    );
    assert!(list.contains("bruges ikke til nye vurderinger"), "{list}");

    let strategy = env.ok(&["strategy", "show", "rsd-strategisk-grundlag", "--json"]);
    let mut s: serde_json::Value = serde_json::from_str(&strategy).unwrap();
    s["themes"][0]["focus_areas"] = serde_json::json!([{ "id": "SD-1-1", "title": "Kompetenceløft", "action_plans": [{ "id": "SD-HP-1", "text": "Alle medarbejdere får en udviklingsplan" }] }]);
    s["links"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "node": "10a", "target": "SD-HP-1", "basis": "local" }));
    let own = env.file("egen.json", &s.to_string());
    assert_eq!(
        env.ok(&["strategy", "import", own.to_str().unwrap()]),
        "erstattet: rsd-strategisk-grundlag\n"
    );
    let shown = env.ok(&["strategy", "show", "rsd-strategisk-grundlag"]);
    assert!(
        shown.contains("SD-HP-1 Alle medarbejdere får en udviklingsplan"),
        "{shown}"
    );
    assert!(
        shown.contains("10a") && shown.contains("SD-HP-1 (lokal)"),
        "{shown}"
    );
}

#[test]
fn the_database_is_refused_when_too_new_or_not_a_database() {
    let env = Env::new();
    env.ok(&["model", "list"]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.pragma_update(None, "user_version", 42).unwrap();
    }
    let err = env.fails(&["facility", "list"]);
    let known = tilsynsklar::store::migrations::SCHEMA_VERSION;
    assert!(
        err.contains(&format!(
            "databasen har skemaversion 42, dette program kender op til {known}"
        )),
        "{err}"
    );

    let env = Env::new();
    std::fs::write(&env.db, "Navn;Score\nSolhøj;4\n".repeat(20)).unwrap();
    let before = std::fs::read(&env.db).unwrap();
    let err = env.fails(&["facility", "list"]);
    assert!(
        err.ends_with(
            "tilsynsklar.db: ikke en tilsynsklar-database (ikke en SQLite-fil, eller beskadiget)"
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

#[test]
fn terminal_control_characters_in_user_text_are_shown_harmlessly() {
    let env = Env::new();
    env.ok(&["facility", "add", "Evil\u{1b}[2J\u{1b}[31mName"]);
    let list = env.ok(&["facility", "list"]);
    assert!(!list.contains('\u{1b}'), "{list:?}");
    assert!(list.contains("Evil\\u{1b}[2J\\u{1b}[31mName"), "{list}");
    let err = env.fails(&["facility", "show", "x\u{1b}]0;pwned\u{7}"]);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn without_a_terminal_the_program_says_what_to_do_instead() {
    let env = Env::new();
    let out = env.cmd(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "terminalprogrammet kræver en terminal; brug en underkommando (tilsynsklar --help)"
        ),
        "{err}"
    );
}

#[test]
fn the_database_path_comes_from_the_environment_when_not_given() {
    let env = Env::new();
    let other = env.dir.path().join("andet").join("fra-miljø.db");
    let mut c = assert_cmd::Command::cargo_bin("tilsynsklar").unwrap();
    c.env("TILSYNSKLAR_DB", &other)
        .env("TILSYNSKLAR_USER", "x")
        .args(["facility", "add", "Miljø"]);
    c.assert().success();
    assert!(other.exists());
    assert!(common::snapshot(&other).contains("Miljø"));
}

#[test]
fn roll_forward_carries_last_years_scores_across_the_model_change_until_reassessed() {
    let env = Env::new();
    env.ok(&["facility", "add", "Kystly", "--tag", "board"]);
    env.ok(&["assessment", "start", "-f", "Kystly", "-y", "2016"]);
    env.ok(&[
        "score",
        "set",
        "-f",
        "Kystly",
        "-y",
        "2016",
        "-i",
        "14a",
        "-v",
        "2",
        "-r",
        "Slidte rammer",
        "-s",
        "Rundgang",
    ]);
    env.ok(&[
        "score",
        "set",
        "-f",
        "Kystly",
        "-y",
        "2016",
        "-i",
        "11a",
        "-v",
        "4",
        "-r",
        "Økonomi i balance",
    ]);
    env.ok(&[
        "score",
        "set",
        "-f",
        "Kystly",
        "-y",
        "2016",
        "-i",
        "5b",
        "-v",
        "3",
        "-r",
        "Adgang via egen læge",
    ]);
    let out = env.ok(&[
        "assessment",
        "start",
        "-f",
        "Kystly",
        "-y",
        "2017",
        "--from-last-year",
    ]);
    assert!(
        out.contains("socialtilsyn-2017")
            && out.contains("2 overført fra sidste år og markeret ikke genvurderet"),
        "{out}"
    );
    let shown: serde_json::Value = serde_json::from_str(&env.ok(&[
        "assessment",
        "show",
        "-f",
        "Kystly",
        "-y",
        "2017",
        "--json",
    ]))
    .unwrap();
    let score = |id: &str| {
        shown["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["indicator"] == id)
            .cloned()
    };
    // 2014's 14a became 2017's 11a, with its texts; Økonomi (2014's 11a) has no counterpart
    let s11a = score("11a").unwrap();
    assert_eq!(
        (
            s11a["value"].clone(),
            s11a["reasoning"].clone(),
            s11a["carried_over"].clone()
        ),
        (serde_json::json!(2), "Slidte rammer".into(), true.into())
    );
    assert!(score("5b").unwrap()["carried_over"] == true);
    // a facility with a board: 2d is not relevant by its tags, not carried
    assert_eq!(score("2d").unwrap()["carried_over"], false);

    let model: serde_json::Value =
        serde_json::from_str(&env.ok(&["model", "show", "socialtilsyn-2017", "--json"])).unwrap();
    for theme in model["themes"].as_array().unwrap() {
        for c in theme["criteria"].as_array().unwrap() {
            for i in c["indicators"].as_array().unwrap() {
                let id = i["id"].as_str().unwrap();
                if !["2d", "11a", "5b"].contains(&id) {
                    env.ok(&[
                        "score", "set", "-f", "Kystly", "-y", "2017", "-i", id, "-v", "3", "-r",
                        "ok",
                    ]);
                }
            }
        }
    }
    let err = env.fails(&[
        "assessment",
        "finalise",
        "-f",
        "Kystly",
        "-y",
        "2017",
        "--by",
        "Leder",
    ]);
    assert!(
        err.ends_with("2 indikator(er) overført fra sidste år er ikke genvurderet: 5b, 11a"),
        "{err}"
    );
    assert!(
        env.ok(&[
            "score", "confirm", "-f", "Kystly", "-y", "2017", "-i", "11A"
        ])
        .starts_with("bekræftet")
    );
    assert!(
        env.ok(&[
            "score", "confirm", "-f", "Kystly", "-y", "2017", "-i", "11a"
        ])
        .starts_with("uændret")
    );
    env.ok(&[
        "score", "set", "-f", "Kystly", "-y", "2017", "-i", "5b", "-v", "4",
    ]);
    env.ok(&[
        "assessment",
        "finalise",
        "-f",
        "Kystly",
        "-y",
        "2017",
        "--by",
        "Leder",
    ]);
    let err = env.fails(&[
        "assessment",
        "start",
        "-f",
        "Kystly",
        "-y",
        "2015",
        "--from-last-year",
    ]);
    assert!(
        err.ends_with("Kystly har ingen tidligere vurdering at starte fra"),
        "{err}"
    );
}

#[test]
fn demo_data_goes_only_into_an_empty_database() {
    let env = Env::new();
    let out = env.ok(&[
        "demo",
        "--facilities",
        "4",
        "--years",
        "3",
        "--from-year",
        "2015",
        "--seed",
        "3",
    ]);
    assert!(out.contains("4 tilbud, 12 vurderinger"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "list", "--json"])).unwrap();
    let models: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["model_id"].as_str().unwrap())
        .collect();
    assert!(
        models.contains(&"socialtilsyn-2014") && models.contains(&"socialtilsyn-2017"),
        "both model versions are exercised"
    );
    let err = env.fails(&["demo"]);
    assert!(
        err.contains("har allerede tilbud; demodata skal i en tom database (--db STI)"),
        "{err}"
    );
    // its own error, not "nothing to compare"
    assert!(!err.contains("sammenligne"), "{err}");
}
