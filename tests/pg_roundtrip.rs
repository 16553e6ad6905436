//! `migrate` and the round-trip law: a database moved into another (SQLite or PostgreSQL)
//! gives the same bundle as the original, apart from the export time; and what a bundle
//! does not carry (strategies' links, gap rules, the personal-data policy) moves too.

mod common;
#[path = "common/pg.rs"]
mod pg;

use common::Env;
use std::path::Path;

/// The whole bundle of `db`, without its export time (the one field that differs).
fn bundle(db: &Path) -> String {
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
        db: db.to_path_buf(),
    };
    let text = env.ok(&["export", "--format", "json", "--all"]);
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let at = v["exported_at"].take();
    assert!(at.is_string(), "a bundle names its export time");
    assert!(!v["assessments"].as_array().unwrap().is_empty());
    serde_json::to_string_pretty(&v).unwrap()
}

/// A small demo with what a bundle leaves out: a link added to a strategy, a gap rule,
/// the strict personal-data policy.
fn source(env: &Env) {
    env.ok(&["demo", "--facilities", "3", "--years", "2", "--seed", "7"]);
    env.ok(&[
        "strategy",
        "link",
        "add",
        "rm-social-strategi",
        "--node",
        "1a",
        "--target",
        "RM-06",
    ]);
    env.ok(&["gaps", "--set", "theme_bar=3,5"]);
    env.ok(&["privacy", "--set", "strict"]);
}

/// What the definitions a bundle does not carry look like in `env`.
fn definitions(env: &Env) -> String {
    [
        env.ok(&["strategy", "show", "rm-social-strategi", "--json"]),
        env.ok(&["gaps", "--explain"]),
        env.ok(&["privacy", "--json"]),
        models(env),
    ]
    .join("\n")
}

/// The model versions held, each with whether it is active (not when it was loaded).
fn models(env: &Env) -> String {
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["model", "list", "--json"])).unwrap();
    let mut list: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{} {} {}", m["id"], m["hash"], m["active"]))
        .collect();
    list.sort();
    list.join("\n")
}

fn migrate(env: &Env, from: &Path, to: &Path, more: &[&str]) -> String {
    let (from, to) = (from.to_str().unwrap(), to.to_str().unwrap());
    let mut args = vec!["migrate", "--from", from, "--to", to];
    args.extend_from_slice(more);
    env.ok(&args)
}

#[test]
fn sqlite_to_sqlite_gives_the_same_bundle_and_the_definitions_a_bundle_leaves_out() {
    let a = Env::new();
    source(&a);
    let b = Env::new();
    let said = migrate(&b, &a.db, &b.db, &[]);
    assert!(said.contains("3 tilbud, 6 vurderinger tilføjet"), "{said}");
    assert_eq!(bundle(&b.db), bundle(&a.db));
    assert_eq!(definitions(&b), definitions(&a));
    assert!(b.ok(&["verify"]).contains("intet er ændret"));
}

#[test]
fn a_destination_with_data_is_refused_unless_told_how_to_merge() {
    let a = Env::new();
    source(&a);
    let b = Env::new();
    b.ok(&["facility", "add", "Testhuset Ved Migreringen"]);
    let (from, to) = (a.db.to_str().unwrap(), b.db.to_str().unwrap());
    let err = b.fails(&["migrate", "--from", from, "--to", to]);
    assert!(
        err.contains("har allerede tilbud eller vurderinger"),
        "{err}"
    );
    assert!(err.contains("--on-conflict"), "{err}");
    let said = migrate(&b, &a.db, &b.db, &["--on-conflict", "refuse"]);
    assert!(said.contains("3 tilbud, 6 vurderinger tilføjet"), "{said}");
    // once more: everything is there already, nothing changes
    let again = migrate(&b, &a.db, &b.db, &["--on-conflict", "refuse", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["bundle"]["assessments_unchanged"], 6, "{again}");
    assert_eq!(v["bundle"]["assessments_added"], 0, "{again}");
    assert_eq!(v["strategies"], 0, "{again}");
}

#[test]
fn the_same_database_and_a_missing_source_are_refused() {
    let a = Env::new();
    source(&a);
    let from = a.db.to_str().unwrap();
    let err = a.fails(&["migrate", "--from", from, "--to", from]);
    assert!(err.contains("den samme database"), "{err}");
    let b = Env::new();
    let missing = b.dir.path().join("nowhere.db");
    let to = b.db.to_str().unwrap();
    let err = b.fails(&["migrate", "--from", missing.to_str().unwrap(), "--to", to]);
    assert!(err.contains("her er ingen database"), "{err}");
    assert!(!b.db.exists() && !missing.exists(), "nothing was created");
}

#[test]
fn a_servers_password_never_reaches_a_message() {
    let a = Env::new();
    source(&a);
    let url = "postgres://mette:s3cret-pw@127.0.0.1:1/tilsyn";
    let err = a.fails(&["migrate", "--from", a.db.to_str().unwrap(), "--to", url]);
    assert!(!err.contains("s3cret-pw"), "{err}");
    assert!(err.contains("127.0.0.1"), "the server is named: {err}");
    let err = a.fails(&["migrate", "--from", url, "--to", a.db.to_str().unwrap()]);
    assert!(!err.contains("s3cret-pw"), "{err}");
}

#[test]
fn a_conflict_refuses_the_whole_migration_and_replace_takes_the_sources() {
    let a = Env::new();
    let id = a.facility_with_assessment();
    a.ok(&[
        "score", "set", "-a", &id, "-i", "1a", "-v", "2", "-r", "Først",
    ]);
    let b = Env::new();
    migrate(&b, &a.db, &b.db, &[]);
    a.ok(&[
        "score", "set", "-a", &id, "-i", "1a", "-v", "4", "-r", "Siden",
    ]);
    let (from, to) = (a.db.to_str().unwrap(), b.db.to_str().unwrap());
    let err = b.fails(&[
        "migrate",
        "--from",
        from,
        "--to",
        to,
        "--on-conflict",
        "refuse",
    ]);
    assert!(err.contains("Bostedet Solhøj"), "{err}");
    let said = migrate(&b, &a.db, &b.db, &["--on-conflict", "replace"]);
    assert!(said.contains("1 erstattet"), "{said}");
    assert_eq!(bundle(&b.db), bundle(&a.db));
}
