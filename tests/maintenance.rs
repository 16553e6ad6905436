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
    env.ok(&["model", "list"]);
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let copy = env.dir.path().join("kopi.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    env.facility_with_assessment();
    let export = env.dir.path().join("eksport.csv");
    env.ok(&[
        "export",
        "--all",
        "--format",
        "csv",
        "-o",
        export.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::metadata(&export).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // unless the user asks otherwise (over the file written before: --force)
    env.ok(&[
        "export",
        "--all",
        "--format",
        "html",
        "--shared",
        "--force",
        "-o",
        export.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::metadata(&export).unwrap().permissions().mode() & 0o777,
        0o644
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

/// Runs SQL with the sqlite3 command-line tool, as someone editing the file by hand would.
fn sqlite3(db: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 command-line tool is needed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn verify_names_every_row_changed_with_the_sqlite3_tool() {
    if !common::has_tool(
        "sqlite3",
        "verify_names_every_row_changed_with_the_sqlite3_tool",
    ) {
        return;
    }
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
    let draft = sqlite3(
        &env.db,
        "SELECT min(id) FROM assessments WHERE status = 'draft'",
    );
    let signed = sqlite3(
        &env.db,
        "SELECT min(id) FROM assessments WHERE status = 'finalised'",
    );
    for (indicator, text) in [
        ("1b", "Slettes"),
        ("1c", "Bliver"),
        ("1a", "Skrevet af lederen"),
    ] {
        env.ok(&[
            "score", "set", "-a", &draft, "-i", indicator, "-v", "3", "-r", text,
        ]);
    }
    let out = env.ok(&["verify"]);
    assert!(out.contains("ok: intet er ændret"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["verify", "--json"])).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
    assert!(json["audit_rows"].as_u64().unwrap() >= 6, "{json}");
    assert_eq!(json["signoffs"], 2);

    // four edits behind the program's back
    let changed = sqlite3(
        &env.db,
        &format!("SELECT id FROM audit_log WHERE subject = '1a' AND assessment_id = {draft}"),
    );
    let deleted = sqlite3(
        &env.db,
        &format!("SELECT id FROM audit_log WHERE subject = '1b' AND assessment_id = {draft}"),
    );
    sqlite3(
        &env.db,
        &format!(
            "UPDATE audit_log SET new_value = replace(new_value, 'lederen', 'en anden') WHERE id = {changed};
             UPDATE scores SET reasoning = 'Skrevet af en anden' WHERE assessment_id = {draft} AND indicator_id = '1a';
             DELETE FROM audit_log WHERE id = {deleted};
             INSERT INTO audit_log (at, by, action, facility_id) VALUES ('2026-01-01T00:00:00.000Z', 'x', 'facility.add', 1);
             DROP TRIGGER scores_locked_update;
             UPDATE scores SET value = 5 WHERE assessment_id = {signed} AND indicator_id = '1a';"
        ),
    );
    let inserted = sqlite3(&env.db, "SELECT max(id) FROM audit_log");
    let before = common::snapshot(&env.db);
    let out = env.cmd(&["verify"]).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let named = |needle: &str| {
        text.lines()
            .any(|l| l.starts_with("ÆNDRET") && l.contains(needle))
    };
    assert!(
        named(&format!("række {changed} (score.set, vurdering {draft}"))
            && named("indholdet er ændret"),
        "{text}"
    );
    // the row after the deleted one (1c's)
    let after = deleted.parse::<i64>().unwrap() + 1;
    assert!(
        named(&format!("række {after} ")) && named("en række før den er slettet"),
        "{text}"
    );
    assert!(
        named(&format!("række {inserted} (facility.add")) && named("ikke skrevet af programmet"),
        "{text}"
    );
    assert!(
        named(&format!("vurdering {signed} (")) && named("ændret efter underskriften"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("ÆNDRET")).count(),
        4,
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        "tilsynsklar: fejl: verify fandt 4 ændring(er) foretaget uden om programmet"
    );
    assert_eq!(
        common::snapshot(&env.db),
        before,
        "verify changed the database"
    );

    // of one assessment: its own findings, and the broken link wherever it is
    let json: serde_json::Value = serde_json::from_str(
        &String::from_utf8(
            env.cmd(&["verify", "-a", &signed, "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    )
    .unwrap();
    let kinds: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["kind"].as_str().unwrap(),
                f["problem"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(kinds, ["audit_row:unlinked", "signoff:-"]);

    let out = env.cmd(&["doctor"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("FEJL") && l.contains("audit_chain") && l.contains(&inserted)),
        "{text}"
    );
}
