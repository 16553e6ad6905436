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
