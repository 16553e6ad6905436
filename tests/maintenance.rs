//! Backup, doctor, and the database's file mode.

mod common;

use common::Env;

#[test]
fn a_backup_is_a_working_copy_and_never_overwrites() {
    let env = Env::new();
    env.facility_with_assessment();
    env.ok(&[
        "score",
        "set",
        "-a",
        "1",
        "-i",
        "1a",
        "-v",
        "4",
        "-r",
        "Kopieres med",
    ]);
    let copy = env.dir.path().join("kopi.db");
    let out = env.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.starts_with("sikkerhedskopi: "), "{out}");
    let mut c = assert_cmd::Command::cargo_bin("tilsynsklar").unwrap();
    let shown = c
        .args([
            "--db",
            copy.to_str().unwrap(),
            "assessment",
            "show",
            "-a",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Kopieres med"));
    let before = std::fs::read(&copy).unwrap();
    let err = env.fails(&["backup", copy.to_str().unwrap()]);
    assert!(
        err.contains("kopi.db") && err.contains("exists already"),
        "{err}"
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn doctor_checks_the_database_and_names_what_was_changed_behind_its_back() {
    let env = Env::new();
    env.facility_with_assessment();
    let out = env.ok(&["doctor"]);
    for name in [
        "integrity",
        "foreign_keys",
        "schema",
        "lock_triggers",
        "model_hashes",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with("ok") && l.contains(name)),
            "{name}: {out}"
        );
    }
    // someone edits a model's text with the sqlite3 tool
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute("UPDATE models SET json = replace(json, 'Borgerne trives i tilbuddet.', 'Borgerne trives.') WHERE id = 'socialtilsyn-2017'", [])
            .unwrap();
        conn.execute_batch("DROP TRIGGER scores_locked_delete;")
            .unwrap();
    }
    let out = env.cmd(&["doctor"]).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("FEJL")
            && l.contains("model_hashes")
            && l.contains("socialtilsyn-2017")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("FEJL") && l.contains("lock_triggers")),
        "{text}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("databasen fejlede disse tjek: lock_triggers, model_hashes"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_new_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(&["facility", "list"]);
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let copy = env.dir.path().join("kopi.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_sign_off_records_what_was_signed_and_doctor_sees_a_later_change() {
    let env = Env::new();
    env.ok(&[
        "demo",
        "--facilities",
        "2",
        "--years",
        "2",
        "--from-year",
        "2020",
    ]);
    let out = env.ok(&["doctor"]);
    assert!(
        out.lines().any(|l| l.starts_with("ok")
            && l.contains("signoffs")
            && l.contains("2 finalised assessment(s) match")),
        "{out}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "list", "--json"])).unwrap();
    let finalised = log
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "finalised")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // reopen and finalise again through the program: a new hash, still matching
    env.ok(&[
        "assessment",
        "reopen",
        "-a",
        &finalised.to_string(),
        "--reason",
        "rettelse",
    ]);
    env.ok(&[
        "score",
        "set",
        "-a",
        &finalised.to_string(),
        "-i",
        "1a",
        "-v",
        "5",
        "-r",
        "rettet",
    ]);
    env.ok(&[
        "assessment",
        "finalise",
        "-a",
        &finalised.to_string(),
        "--by",
        "Leder",
    ]);
    env.ok(&["doctor"]);
    // a reasoning edited with the sqlite3 tool (the trigger set aside first, as a forger would)
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("DROP TRIGGER scores_locked_update;")
            .unwrap();
        conn.execute("UPDATE scores SET reasoning = 'forfalsket' WHERE assessment_id = ?1 AND indicator_id = '1a'", [finalised]).unwrap();
    }
    let out = env.cmd(&["doctor"]).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("FEJL")
            && l.contains("signoffs")
            && l.contains(&format!("changed after sign-off: assessment {finalised}"))),
        "{text}"
    );
}
