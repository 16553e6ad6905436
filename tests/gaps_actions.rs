//! From gaps to actions, through the real binary: gap rules, link resolution, improvement
//! actions and their rules, link editing, and the follow-up a year later.

mod common;

use common::Env;
use serde_json::Value;

/// A Region Midtjylland facility with a 2025 assessment: 8a=2, 8b=3, 9a-c=4, 11a=1.
fn setup() -> Env {
    let env = Env::new();
    env.ok(&[
        "facility",
        "add",
        "Bostedet Solhøj",
        "--organisation",
        "Region Midtjylland",
        "--tag",
        "board",
    ]);
    env.ok(&["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2025"]);
    for (id, v) in [
        ("8a", "2"),
        ("8b", "3"),
        ("9a", "4"),
        ("9b", "4"),
        ("9c", "4"),
        ("8c", "4"),
        ("11a", "1"),
    ] {
        env.ok(&[
            "score",
            "set",
            "-a",
            "1",
            "-i",
            id,
            "-v",
            v,
            "-r",
            "begrundelse",
        ]);
    }
    env
}

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).unwrap()
}

#[test]
fn gaps_are_classified_and_linked_most_specific_first() {
    let env = setup();
    let g = json(&env, &["gaps", "-a", "1", "--json"]);
    let found: Vec<(String, String, String)> = g["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["finding"]["level"].as_str().unwrap().into(),
                e["finding"]["node_id"].as_str().unwrap().into(),
                e["finding"]["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    let f = |l: &str, n: &str, k: &str| (l.to_string(), n.to_string(), k.to_string());
    assert_eq!(
        found,
        vec![
            f("theme", "T5", "below_bar"),
            f("indicator", "8a", "gap"),
            f("indicator", "8b", "watch"),
            f("theme", "T7", "gap"),
            f("criterion", "K11", "gap"),
            f("indicator", "11a", "gap"),
        ]
    );
    // 8a has no link of its own: it inherits T5's (2014's T4) through the mapping, with their basis
    let a8 = &g["gaps"][1]["plans"];
    assert_eq!(a8[0]["target_id"], "RM-01");
    assert_eq!(a8[0]["via"], "T5");
    assert_eq!(a8[0]["via_level"], "theme");
    assert_eq!(a8[0]["basis"], "seed");
    assert_eq!(g["gaps"][5]["plans"], serde_json::json!([]));
    assert!(g["incomplete"].as_array().unwrap().contains(&"1a".into()));
    // a link on the indicator itself now comes first
    env.ok(&[
        "strategy",
        "link",
        "add",
        "rm-social-strategi",
        "--node",
        "8a",
        "--target",
        "RM-07",
    ]);
    let g = json(&env, &["gaps", "-a", "1", "--json"]);
    let plans: Vec<(&str, &str)> = g["gaps"][1]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["target_id"].as_str().unwrap(),
                p["basis"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        plans,
        vec![("RM-07", "local"), ("RM-01", "seed"), ("RM-10", "seed")]
    );
    let text = env.ok(&["gaps", "-a", "1"]);
    assert!(text.contains("Ingen handleplan i strategien. Lokalt udviklingspunkt: tilsynsklar action add -a 1 -i 11a"), "{text}");
    env.ok(&[
        "strategy",
        "link",
        "remove",
        "rm-social-strategi",
        "--node",
        "8a",
        "--target",
        "RM-07",
    ]);
    let g = json(&env, &["gaps", "-a", "1", "--json"]);
    assert_eq!(g["gaps"][1]["plans"][0]["target_id"], "RM-01");
}

#[test]
fn the_gap_rules_are_explained_and_can_be_set_per_database() {
    let env = setup();
    let explain = env.ok(&["gaps", "--explain"]);
    assert!(
        explain.contains("En indikator med score 2 eller lavere er et hul"),
        "{explain}"
    );
    assert!(
        explain.contains("under 4,0 når ikke den offentliggjorte grænse"),
        "{explain}"
    );
    let err = env.fails(&["gaps", "--set", "indicator_gap_max=9"]);
    assert!(
        err.contains("indicator_gap_max: \"9\" is not a score from 1 to 5"),
        "{err}"
    );
    env.fails(&["gaps", "--set", "colour=red"]);
    env.fails(&["gaps", "--set", "indicator_gap_max"]);
    env.ok(&[
        "gaps",
        "--set",
        "indicator_watch_max=4",
        "--set",
        "indicator_gap_max=3",
    ]);
    let g = json(&env, &["gaps", "-a", "1", "--json"]);
    assert_eq!(g["rules"]["indicator_gap_max"], 3);
    assert!(
        g["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["finding"]["node_id"] == "8b" && e["finding"]["kind"] == "gap")
    );
    env.ok(&["gaps", "--reset"]);
    assert_eq!(
        json(&env, &["gaps", "-a", "1", "--json"])["rules"]["indicator_gap_max"],
        2
    );
}

#[test]
fn improvement_actions_follow_their_rules_and_bad_input_changes_nothing() {
    let env = setup();
    let out = env.ok(&[
        "action",
        "add",
        "-a",
        "1",
        "-i",
        "8a",
        "--text",
        "Diplomuddannelse i ledelse",
        "--plan",
        "RM-10",
        "--owner",
        "Mette",
        "--due",
        "31-03-2026",
    ]);
    assert_eq!(
        out,
        "tilføjet: udviklingspunkt #1 for Bostedet Solhøj 2025 (8a)\n"
    );
    env.ok(&[
        "action",
        "add",
        "-f",
        "Bostedet Solhøj",
        "-i",
        "11A",
        "-i",
        "11b",
        "--text",
        "Fællesstuen indrettes",
        "--due",
        "2099-06-30",
    ]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["action", "add", "-a", "1", "-i", "99z", "--text", "x"],
            "indikator \"99z\" findes ikke i model socialtilsyn-2017",
        ),
        (
            &[
                "action",
                "add",
                "-a",
                "1",
                "-i",
                "8a",
                "--text",
                "x",
                "--due",
                "31-02-2026",
            ],
            "\"31-02-2026\" er ikke en dato",
        ),
        (
            &[
                "action",
                "add",
                "-a",
                "1",
                "-i",
                "8a",
                "--text",
                "x",
                "--due",
                "næste år",
            ],
            "er ikke en dato",
        ),
        (
            &["action", "add", "-a", "1", "-i", "8a", "--text", "  "],
            "--text må ikke være tom",
        ),
        (
            &[
                "action", "add", "-a", "1", "-i", "8a", "--text", "x", "--plan", "RM-99",
            ],
            "ukendt handleplan: RM-99",
        ),
        (
            &["action", "add", "-a", "7", "-i", "8a", "--text", "x"],
            "ukendt vurdering: 7",
        ),
        (
            &["action", "edit", "9", "--text", "x"],
            "ukendt udviklingspunkt: 9",
        ),
        (
            &["action", "drop", "1", "--reason", " "],
            "--reason må ikke være tom",
        ),
        (
            &["action", "edit", "1", "--due", "1/13/2026"],
            "er ikke en dato",
        ),
        (
            &[
                "strategy",
                "link",
                "add",
                "rm-social-strategi",
                "--node",
                "99z",
                "--target",
                "RM-01",
            ],
            "\"99z\" is not a theme, criterion or indicator of socialtilsyn-2014",
        ),
        (
            &[
                "strategy",
                "link",
                "add",
                "rm-social-strategi",
                "--node",
                "K6",
                "--target",
                "RM-02",
            ],
            "K6 → RM-02 is linked already",
        ),
        (
            &[
                "strategy",
                "link",
                "remove",
                "rm-social-strategi",
                "--node",
                "K6",
                "--target",
                "RM-12",
            ],
            "K6 → RM-12 is not linked",
        ),
    ];
    for (args, expected) in cases {
        let err = env.fails(args);
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in {err:?}"
        );
    }
    env.ok(&[
        "action",
        "edit",
        "1",
        "--status",
        "in-progress",
        "--owner",
        "Mette Jensen",
    ]);
    let overdue = json(&env, &["action", "list", "--all", "--overdue", "--json"]);
    assert_eq!(overdue.as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(overdue[0]["status"], "in_progress");
    assert_eq!(overdue[0]["owner"], "Mette Jensen");
    assert_eq!(
        json(&env, &["action", "list", "-f", "Bostedet Solhøj", "--json"])[1]["indicators"],
        serde_json::json!(["11a", "11b"])
    );
    assert!(
        env.ok(&["action", "done", "1"])
            .starts_with("gennemført: #1 [gennemført]")
    );
    for args in [
        &["action", "done", "1"][..],
        &["action", "edit", "1", "--text", "y"],
        &["action", "drop", "1", "--reason", "z"],
    ] {
        let err = env.fails(args);
        assert!(
            err.contains("udviklingspunkt 1 er gennemført og kan ikke ændres mere"),
            "{err}"
        );
    }
    env.ok(&["action", "drop", "2", "--reason", "Budgettet rakte ikke"]);
    let open = json(&env, &["action", "list", "--all", "--open", "--json"]);
    assert_eq!(open, serde_json::json!([]));
    let log = json(&env, &["assessment", "log", "-a", "1", "--json"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("action."))
        .collect();
    assert_eq!(
        actions,
        [
            "action.add",
            "action.add",
            "action.in_progress",
            "action.done",
            "action.dropped"
        ]
    );
}

#[test]
fn next_year_follows_up_last_years_gaps_and_actions() {
    let env = setup();
    env.ok(&["score", "set", "-a", "1", "-i", "10a", "-v", "2", "-r", "x"]);
    env.ok(&[
        "action",
        "add",
        "-a",
        "1",
        "-i",
        "11a",
        "--text",
        "Fællesstuen indrettes",
    ]);
    env.ok(&["assessment", "start", "-f", "Bostedet Solhøj", "-y", "2026"]);
    for (id, v) in [("8a", "4"), ("11a", "1"), ("10a", "1")] {
        env.ok(&[
            "score",
            "set",
            "-a",
            "2",
            "-i",
            id,
            "-v",
            v,
            "-r",
            "ny vurdering",
        ]);
    }
    let s = json(&env, &["assessment", "summary", "-a", "2", "--json"]);
    let follow: Vec<(&str, &str)> = s["follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["indicator_id"].as_str().unwrap(),
                f["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        follow,
        vec![("8a", "closed"), ("10a", "worse"), ("11a", "persists")]
    );
    let text = env.ok(&["assessment", "summary", "-a", "2"]);
    assert!(
        text.contains("Huller fra 2025: 8a 2→4 lukket · 10a 2→1 forværret · 11a 1→1 består"),
        "{text}"
    );
    let gaps = env.ok(&["gaps", "-a", "2"]);
    assert!(
        gaps.contains("Fra 2025: #1 [planlagt] Fællesstuen indrettes"),
        "{gaps}"
    );
}
