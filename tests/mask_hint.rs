//! Under the strict policy, a score whose texts hold a personal identifier is refused with
//! the hint that `--mask` would save it masked; the hint is given where masking helps only.

mod common;

use common::Env;

#[test]
fn a_refused_score_names_mask_and_mask_then_saves_it() {
    let env = Env::new();
    let a = env.facility_with_assessment();
    env.ok(&["privacy", "--set", "strict"]);
    let set = ["score", "set", "-a", &a, "-i", "1a", "-v", "3", "-r"];
    let with = |extra: &[&str]| -> Vec<String> {
        set.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let args = with(&["Talt med 010203-1234"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = env.fails(&args);
    assert!(err.contains("CPR-nummer"), "{err}");
    assert!(err.contains("gem med --mask"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // the batch names the line and the same flag
    let lines = env.file(
        "s.jsonl",
        "{\"indicator\":\"1b\",\"value\":3,\"reasoning\":\"a@b.dk\"}\n",
    );
    let err = env.fails(&["score", "apply", "-a", &a, lines.to_str().unwrap()]);
    assert!(err.contains("s.jsonl:1") && err.contains("--mask"), "{err}");
    // nothing was saved
    let show = env.ok(&["assessment", "show", "-a", &a, "--json"]);
    assert!(
        !show.contains("010203") && !show.contains("a@b.dk"),
        "{show}"
    );
    // with --mask it is saved, masked
    let args = with(&["Talt med 010203-1234", "--mask"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    let show = env.ok(&["assessment", "show", "-a", &a, "--json"]);
    assert!(!show.contains("010203-1234"), "{show}");
    // an action text cannot be masked, so no flag is named there
    let err = env.fails(&[
        "action",
        "add",
        "-a",
        &a,
        "-i",
        "1a",
        "--text",
        "ring 23456789",
    ]);
    assert!(
        err.contains("telefonnummer") && !err.contains("--mask"),
        "{err}"
    );
}
