//! Personal identifiers in texts: warned about, masked on request, refused when strict,
//! listed by the quality checks and by `privacy`.

mod common;

use common::Env;

const CPR_TEXT: &str = "Borger 010190-1234 har fået ny plan; mail mette@solhoj.dk";

fn show(env: &Env) -> String {
    env.ok(&["assessment", "show", "-a", "1", "--json"])
}

#[test]
fn a_text_with_identifiers_is_saved_with_a_warning_or_masked_on_request() {
    let env = Env::new();
    env.facility_with_assessment();
    let out = env
        .cmd(&[
            "score", "set", "-a", "1", "-i", "1a", "-v", "3", "-r", CPR_TEXT,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        "tilsynsklar: advarsel: indikator 1a: teksten indeholder et CPR-nummer og en e-mailadresse; gem den igen med --mask for at skjule det"
    );
    assert!(show(&env).contains("010190-1234"));
    // the quality checks list it, and so does the scan
    let summary = env.ok(&["assessment", "summary", "-a", "1"]);
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("personoplysninger i teksten") && l.ends_with(": 1a")),
        "{summary}"
    );
    let scan = env.ok(&["privacy"]);
    assert!(scan.contains("Bostedet Solhøj 2026 (vurdering 1, kladde) indikator 1a: et CPR-nummer og en e-mailadresse"), "{scan}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["privacy", "--json"])).unwrap();
    assert_eq!(
        json["found"][0]["kinds"],
        serde_json::json!(["cpr", "email"])
    );

    // masked: nothing identifying is stored, and no warning is given
    let out = env
        .cmd(&[
            "score",
            "set",
            "-a",
            "1",
            "-i",
            "1a",
            "-v",
            "3",
            "-r",
            CPR_TEXT,
            "-s",
            "tlf. 23 45 67 89",
            "--mask",
        ])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
    let shown = show(&env);
    assert!(
        !shown.contains("010190") && !shown.contains("mette@") && !shown.contains("23 45"),
        "{shown}"
    );
    assert!(
        shown.contains("Borger [CPR-nummer fjernet] har fået ny plan; mail [e-mail fjernet]"),
        "{shown}"
    );
    assert!(shown.contains("tlf. [telefonnummer fjernet]"), "{shown}");
    assert!(
        env.ok(&["privacy"])
            .contains("0 scorer med personoplysninger")
    );
}

#[test]
fn strict_refuses_to_save_identifiers_by_flag_or_by_the_database_setting() {
    let env = Env::new();
    env.facility_with_assessment();
    let err = env.fails(&[
        "--strict", "score", "set", "-a", "1", "-i", "1a", "-v", "3", "-r", CPR_TEXT,
    ]);
    assert_eq!(
        err,
        "tilsynsklar: fejl: indikator 1a: begrundelsen indeholder et CPR-nummer og en e-mailadresse; personoplysninger afvises i denne database; gem med --mask for at erstatte dem"
    );
    // the same through the environment
    let out = env
        .cmd(&[
            "score", "set", "-a", "1", "-i", "1a", "-v", "3", "-r", CPR_TEXT,
        ])
        .env("TILSYNSKLAR_STRICT", "1")
        .output()
        .unwrap();
    assert!(!out.status.success(), "TILSYNSKLAR_STRICT=1 did not refuse");
    env.ok(&["privacy", "--set", "strict"]);
    assert!(env.ok(&["privacy"]).starts_with("politik: streng"));
    let err = env.fails(&[
        "--lang",
        "en",
        "score",
        "set",
        "-a",
        "1",
        "-i",
        "1b",
        "-v",
        "2",
        "-s",
        "ring 23456789",
    ]);
    assert!(
        err.contains("indicator 1b: the sources hold a phone number"),
        "{err}"
    );
    // masking makes it acceptable; a text without identifiers is saved as ever
    env.ok(&[
        "score", "set", "-a", "1", "-i", "1a", "-v", "3", "-r", CPR_TEXT, "--mask",
    ]);
    env.ok(&[
        "score",
        "set",
        "-a",
        "1",
        "-i",
        "1b",
        "-v",
        "2",
        "-r",
        "Intet personligt",
    ]);
    // a score changed without a new text keeps the old one, and is not refused for it
    env.ok(&["privacy", "--set", "warn"]);
    env.ok(&[
        "score",
        "set",
        "-a",
        "1",
        "-i",
        "1c",
        "-v",
        "2",
        "-r",
        "tlf 23456789",
    ]);
    env.ok(&["privacy", "--set", "strict"]);
    env.ok(&["score", "set", "-a", "1", "-i", "1c", "-v", "4"]);
}
