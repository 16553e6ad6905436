//! The personal-data policy and the length limit on every free text, not just a score's:
//! facility fields, improvement actions (text, owner, drop reason), reopen reasons, the
//! signer of a sign-off, the user name of the audit log. Under `privacy --set strict` each
//! is refused with one line and changes nothing, on the command line and from a bundle;
//! the `privacy` scan finds each kind where the policy let it in.

mod common;

use common::Env;
use serde_json::Value;

const LIMIT: usize = 100_000;
const REFUSED: &str = "personal data is refused in this database";

/// A database with demo data: assessment 1 (2025) finalised, assessment 2 (2026) a draft
/// with improvement action 1.
fn demo() -> Env {
    let env = Env::new();
    env.ok(&["demo", "--facilities", "1", "--years", "2", "--seed", "1"]);
    env
}

fn strict_demo() -> Env {
    let env = demo();
    env.ok(&["privacy", "--set", "strict"]);
    env
}

/// The database's own bundle.
fn bundle(env: &Env) -> Value {
    let path = env.dir.path().join("all.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        path.to_str().unwrap(),
    ]);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn strict_refuses_personal_data_in_every_free_text_typed_and_changes_nothing() {
    let env = strict_demo();
    let cases: [(&[&str], &str); 13] = [
        (
            &["facility", "add", "Mette 010190 1234"],
            "the facility name holds a CPR number",
        ),
        (
            &["facility", "add", "Ny", "--organisation", "mette@solhoj.dk"],
            "the organisation holds an e-mail address",
        ),
        (
            &["facility", "add", "Ny", "--location", "ring 23 45 67 89"],
            "the location holds a phone number",
        ),
        (
            &["facility", "edit", "1", "--name", "01.01.90-1234"],
            "the facility name holds a CPR number",
        ),
        (
            &[
                "facility",
                "edit",
                "1",
                "--target-group",
                "tlf. ２３ ４５ ６７ ８９",
            ],
            "the target group holds a phone number",
        ),
        (
            &["facility", "edit", "1", "--type", "0101\u{200B}90-1234"],
            "the facility type holds a CPR number",
        ),
        (
            &[
                "action",
                "add",
                "-a",
                "2",
                "-i",
                "1a",
                "--text",
                "Borger 010190-1234",
            ],
            "the action text holds a CPR number",
        ),
        (
            &[
                "action",
                "add",
                "-a",
                "2",
                "-i",
                "1a",
                "--text",
                "Ny plan",
                "--owner",
                "mette@solhoj.dk",
            ],
            "the owner holds an e-mail address",
        ),
        (
            &["action", "edit", "1", "--text", "ring 23456789"],
            "the action text holds a phone number",
        ),
        (
            &["action", "edit", "1", "--owner", "Mette 010190 1234"],
            "the owner holds a CPR number",
        ),
        (
            &[
                "action",
                "drop",
                "1",
                "--reason",
                "borger 010190-1234 flyttede",
            ],
            "the reason for dropping the action holds a CPR number",
        ),
        (
            &[
                "assessment",
                "reopen",
                "-a",
                "1",
                "--reason",
                "klage fra 010190 1234",
            ],
            "the reason for reopening holds a CPR number",
        ),
        (
            &[
                "assessment",
                "finalise",
                "-a",
                "2",
                "--by",
                "mette@solhoj.dk",
            ],
            "the signer's name holds an e-mail address",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["--lang", "en"];
        all.extend_from_slice(args);
        let err = env.fails(&all);
        assert_eq!(
            err,
            format!("tilsynsklar: error: {expected}; {REFUSED}"),
            "{args:?}"
        );
    }
    // in Danish by default, naming the field
    assert_eq!(
        env.fails(&["facility", "add", "Mette 010190 1234"]),
        "tilsynsklar: fejl: tilbuddets navn indeholder et CPR-nummer; personoplysninger afvises i denne database"
    );
    // the user name, whatever the command
    for args in [
        &["--user", "mette@solhoj.dk", "facility", "add", "Ny"][..],
        &["--user", "０１０１９０-１２３４", "action", "done", "1"],
        &["--user", "ring 23 45 67 89", "facility", "list"],
    ] {
        let err = env.fails(args);
        assert!(
            err.starts_with("tilsynsklar: fejl: brugernavnet indeholder"),
            "{args:?}: {err}"
        );
    }
    // the same texts without personal data go in
    env.ok(&["facility", "add", "Ny", "--location", "Aarhus, RM-02"]);
    env.ok(&["action", "edit", "1", "--owner", "Afdelingsleder Hansen"]);
    env.ok(&[
        "--user",
        "Mette Hansen",
        "facility",
        "edit",
        "Ny",
        "--type",
        "§ 107",
    ]);
}

#[test]
fn the_strict_flag_refuses_them_too_and_a_new_database_is_not_written_under_a_bad_user() {
    let env = demo();
    let err = env.fails(&[
        "--strict",
        "--lang",
        "en",
        "action",
        "edit",
        "1",
        "--text",
        "ring 23 45 67 89",
    ]);
    assert!(err.ends_with(REFUSED), "{err}");
    let fresh = Env::new();
    let err = fresh.fails(&["--strict", "--user", "010190-1234", "facility", "list"]);
    assert!(
        err.contains("brugernavnet indeholder et CPR-nummer"),
        "{err}"
    );
    assert!(!fresh.db.exists(), "a database was created");
}

#[test]
fn over_long_texts_are_refused_when_typed_under_either_policy() {
    let env = demo();
    let long = "a".repeat(LIMIT + 1);
    let cases: [(&[&str], &str); 4] = [
        (&["facility", "add", &long], "the facility name"),
        (
            &["action", "add", "-a", "2", "-i", "1a", "--text", &long],
            "the action text",
        ),
        (&["action", "edit", "1", "--text", &long], "the action text"),
        (
            &["assessment", "reopen", "-a", "1", "--reason", &long],
            "the reason for reopening",
        ),
    ];
    for (args, field) in cases {
        let mut all = vec!["--lang", "en"];
        all.extend_from_slice(args);
        let err = env.fails(&all);
        assert_eq!(
            err,
            format!("tilsynsklar: error: {field} is longer than {LIMIT} characters"),
            "{}",
            args[..2].join(" ")
        );
    }
    // at the limit they go in, and the bundle of them imports elsewhere
    let at = "a".repeat(LIMIT);
    env.ok(&["action", "edit", "1", "--text", &at]);
    env.ok(&["assessment", "reopen", "-a", "1", "--reason", &at]);
    let file = env.file("limit.json", &bundle(&env).to_string());
    Env::new().ok(&["import", file.to_str().unwrap()]);
}

/// Sources (under the warn policy), each holding personal data in one kind of text, with
/// the JSON path the strict import names and what it says.
fn sources() -> Vec<(Env, &'static str, &'static str)> {
    let mut out = Vec::new();
    let env = demo();
    env.ok(&["facility", "edit", "1", "--location", "ring 23 45 67 89"]);
    out.push((
        env,
        "facilities[0].location",
        "the location holds a phone number",
    ));
    let env = demo();
    env.ok(&["action", "edit", "1", "--text", "Borger 010190 1234"]);
    out.push((
        env,
        "assessments[1].actions[0].text",
        "the action text holds a CPR number",
    ));
    let env = demo();
    env.ok(&["action", "edit", "1", "--owner", "mette@solhoj.dk"]);
    out.push((
        env,
        "assessments[1].actions[0].owner",
        "the owner holds an e-mail address",
    ));
    let env = demo();
    env.ok(&["assessment", "reopen", "-a", "1", "--reason", "ny viden"]);
    env.ok(&[
        "assessment",
        "finalise",
        "-a",
        "1",
        "--by",
        "Mette 010190-1234",
    ]);
    out.push((
        env,
        "assessments[0].finalised_by",
        "the signer's name holds a CPR number",
    ));
    let env = demo();
    env.ok(&[
        "assessment",
        "reopen",
        "-a",
        "1",
        "--reason",
        "klage 01.01.90-1234",
    ]);
    out.push((
        env,
        "audit_log",
        "the reason for reopening holds a CPR number",
    ));
    let env = demo();
    env.ok(&[
        "--user",
        "mette@solhoj.dk",
        "facility",
        "edit",
        "1",
        "--type",
        "§ 108",
    ]);
    out.push((env, "audit_log", "the user name holds an e-mail address"));
    out
}

#[test]
fn a_strict_database_takes_no_personal_data_from_a_bundle_and_the_scan_finds_each_kind() {
    let mut kinds_seen = Vec::new();
    for (source, path, message) in sources() {
        // the scan of the source names where the text is
        let scan: Value = serde_json::from_str(&source.ok(&["privacy", "--json"])).unwrap();
        let found = scan["texts_found"].as_array().unwrap();
        assert!(!found.is_empty(), "{path}: {scan}");
        for hit in found {
            assert!(hit["row"].as_i64().unwrap() > 0, "{hit}");
            kinds_seen.push(format!(
                "{}.{}",
                hit["table"].as_str().unwrap(),
                hit["field"].as_str().unwrap()
            ));
        }
        let file = source.file("b.json", &bundle(&source).to_string());
        let file = file.to_str().unwrap();
        let target = Env::new();
        target.ok(&["privacy", "--set", "strict"]);
        let err = target.fails(&["import", file]);
        assert!(
            err.starts_with(&format!("tilsynsklar: fejl: {file}: {path}")),
            "{path}: {err}"
        );
        assert!(
            err.ends_with(&format!("{message}; {REFUSED}")),
            "{path}: {err}"
        );
        // the warn policy takes it
        Env::new().ok(&["import", file]);
    }
    for expected in [
        "facilities.location",
        "improvement_actions.text",
        "improvement_actions.owner",
        "assessments.finalised_by",
        "audit_log.reason",
        "audit_log.by",
    ] {
        assert!(
            kinds_seen.iter().any(|k| k == expected),
            "{expected} not found by the scan: {kinds_seen:?}"
        );
    }
}

#[test]
fn the_scan_reports_every_kind_of_text_in_both_languages() {
    let env = demo();
    env.ok(&[
        "action",
        "drop",
        "1",
        "--reason",
        "borger ０１０１９０-１２３４ flyttede",
    ]);
    env.ok(&["facility", "edit", "1", "--organisation", "mette@solhoj.dk"]);
    let scan: Value = serde_json::from_str(&env.ok(&["privacy", "--json"])).unwrap();
    let found: Vec<(String, i64, String)> = scan["texts_found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["table"].as_str().unwrap().to_string(),
                h["row"].as_i64().unwrap(),
                h["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        found.contains(&("improvement_actions".into(), 1, "drop_reason".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("facilities".into(), 1, "organisation".into())),
        "{found:?}"
    );
    // the drop reason is in the audit row of the drop too
    assert!(
        found.iter().any(|f| f.0 == "audit_log" && f.2 == "reason"),
        "{found:?}"
    );
    let da = env.ok(&["privacy"]);
    assert!(
        da.contains("tilbud 1, felt organisation: en e-mailadresse"),
        "{da}"
    );
    assert!(
        da.contains(&format!(
            "{} andre tekster med personoplysninger",
            found.len()
        )),
        "{da}"
    );
    let en = env.ok(&["--lang", "en", "privacy", "--facility", "1"]);
    assert!(
        en.contains("improvement action 1, field drop_reason: a CPR number"),
        "{en}"
    );
}
