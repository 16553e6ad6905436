//! The attacks of issue 14 on a signed-off assessment, made the way a forger with the
//! sqlite3 tool would, each against the real binary: the database refuses what it can,
//! and `verify` and `doctor` name the rest.

mod common;

use common::Env;

/// Runs SQL with the sqlite3 tool; its output, or its error.
fn sqlite3(db: &std::path::Path, sql: &str) -> Result<String, String> {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("sqlite3 runs");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

const DROP_TRIGGERS: &str = "DROP TRIGGER scores_locked_insert; DROP TRIGGER scores_locked_update;
    DROP TRIGGER scores_locked_delete; DROP TRIGGER assessments_signoff_by_chain;
    DROP TRIGGER assessments_signoff_insert; DROP TRIGGER assessments_signed_locked;";

/// A demo database (finalised assessments from the bulk loader) with one more assessment
/// signed through the program with an improvement action; returns it and that
/// assessment's number.
fn signed() -> (Env, String) {
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
    env.ok(&["facility", "add", "Forfalskerhjemmet", "--tag", "board"]);
    let out = env.ok(&[
        "assessment",
        "start",
        "-f",
        "Forfalskerhjemmet",
        "-y",
        "2026",
    ]);
    let id = out.split_whitespace().nth(2).unwrap().to_string();
    // the indicators still to score, as finalise names them
    let err = env.fails(&["assessment", "finalise", "-a", &id, "--by", "Leder"]);
    let missing = err.rsplit("score: ").next().unwrap().to_string();
    for i in missing.split(", ") {
        env.ok(&["score", "set", "-a", &id, "-i", i.trim(), "-v", "3"]);
    }
    env.ok(&[
        "action",
        "add",
        "-a",
        &id,
        "-i",
        "1a",
        "--text",
        "Ny skabelon",
    ]);
    env.ok(&["assessment", "finalise", "-a", &id, "--by", "Leder"]);
    (env, id)
}

/// A copy of the database to attack.
fn copy(env: &Env) -> Env {
    let other = Env::new();
    env.ok(&["backup", other.db.to_str().unwrap()]);
    other
}

/// `verify --json`'s findings, and that it failed.
fn findings(env: &Env) -> Vec<serde_json::Value> {
    let out = env.cmd(&["verify", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let found = v["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(out.status.success(), found.is_empty(), "{v}");
    found
}

#[test]
fn unfinalising_by_sql_is_refused_and_named_when_the_triggers_are_dropped() {
    if !common::has_tool(
        "sqlite3",
        "unfinalising_by_sql_is_refused_and_named_when_the_triggers_are_dropped",
    ) {
        return;
    }
    let (env, id) = signed();
    assert_eq!(findings(&env), Vec::<serde_json::Value>::new());
    env.ok(&["doctor"]);
    let attack = format!(
        "UPDATE assessments SET status='draft', signoff_hash=NULL, finalised_by=NULL, finalised_at=NULL WHERE id={id};
         UPDATE scores SET value=1, reasoning='forged after signoff' WHERE assessment_id={id} AND indicator_id='1a';"
    );
    // the database itself refuses it
    let before = common::snapshot(&env.db);
    let err = sqlite3(&env.db, &attack).unwrap_err();
    assert!(
        err.contains("only together with its row in the audit log"),
        "{err}"
    );
    assert_eq!(common::snapshot(&env.db), before);
    // as does an un-finalise of a demo assessment (signed by the bulk loader)
    let demo = sqlite3(
        &env.db,
        "SELECT min(id) FROM assessments WHERE status = 'finalised'",
    )
    .unwrap();
    assert!(
        sqlite3(
            &env.db,
            &format!("UPDATE assessments SET status='draft' WHERE id={demo}")
        )
        .is_err()
    );
    // and so is finalising by SQL, or inserting a finalised assessment
    let draft = sqlite3(
        &env.db,
        "SELECT min(id) FROM assessments WHERE status = 'draft'",
    )
    .unwrap();
    assert!(
        sqlite3(
            &env.db,
            &format!("UPDATE assessments SET status='finalised' WHERE id={draft}")
        )
        .is_err()
    );
    assert!(
        sqlite3(
            &env.db,
            &format!("UPDATE assessments SET year = 2000 WHERE id={id}")
        )
        .is_err()
    );

    // a forger who drops the triggers first is named by verify and doctor
    sqlite3(&env.db, &format!("{DROP_TRIGGERS} {attack}")).unwrap();
    let found = findings(&env);
    assert!(
        found.iter().any(|f| f["kind"] == "status"
            && f["assessment"] == id.parse::<i64>().unwrap()
            && f["problem"] == "unfinalised"),
        "{found:?}"
    );
    let out = env.cmd(&["doctor"]).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("FEJL") && l.contains("signoffs") && l.contains(&id)),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("FEJL") && l.contains("lock_triggers")),
        "{text}"
    );
    // and finalise refuses to sign over the forgery
    let err = env.fails(&["assessment", "finalise", "-a", &id, "--by", "Forger"]);
    assert!(
        err.contains(&format!(
            "vurdering {id}: revisionssporet viser den som afsluttet"
        )),
        "{err}"
    );
}

#[test]
fn every_part_of_the_signed_record_is_covered() {
    if !common::has_tool("sqlite3", "every_part_of_the_signed_record_is_covered") {
        return;
    }
    let (env, id) = signed();
    let demo = sqlite3(
        &env.db,
        "SELECT min(id) FROM assessments WHERE status = 'finalised'",
    )
    .unwrap();
    let other_facility = sqlite3(
        &env.db,
        &format!("SELECT max(id) FROM facilities WHERE id <> (SELECT facility_id FROM assessments WHERE id = {id})"),
    )
    .unwrap();
    for target in [id.as_str(), demo.as_str()] {
        for (change, kind, problem) in [
            (
                format!("UPDATE assessments SET finalised_by = 'Forger' WHERE id = {target}"),
                "status",
                "signer",
            ),
            (
                format!(
                    "UPDATE assessments SET finalised_at = '2027-01-01T00:00:00.000Z' WHERE id = {target}"
                ),
                "status",
                "time",
            ),
            (
                format!("UPDATE assessments SET year = year - 5 WHERE id = {target}"),
                "signoff",
                "",
            ),
            (
                format!(
                    "UPDATE assessments SET facility_id = {other_facility} WHERE id = {target}"
                ),
                "status",
                "facility",
            ),
            (
                format!(
                    "UPDATE scores SET by = 'Forger' WHERE assessment_id = {target} AND indicator_id = '1a'"
                ),
                "signoff",
                "",
            ),
            (
                format!(
                    "UPDATE scores SET at = '2019-01-01T00:00:00.000Z' WHERE assessment_id = {target} AND indicator_id = '1a'"
                ),
                "signoff",
                "",
            ),
            (
                format!(
                    "UPDATE scores SET carried_over = 1 WHERE assessment_id = {target} AND indicator_id = '1a'"
                ),
                "signoff",
                "",
            ),
            (
                format!("UPDATE assessments SET signoff_hash = 'ab' WHERE id = {target}"),
                "signoff",
                "",
            ),
        ] {
            let attacked = copy(&env);
            assert!(findings(&attacked).is_empty());
            sqlite3(&attacked.db, &format!("{DROP_TRIGGERS} {change}")).unwrap();
            let found = findings(&attacked);
            assert!(
                found.iter().any(|f| f["kind"] == kind
                    && f["assessment"] == target.parse::<i64>().unwrap()
                    && (problem.is_empty() || f["problem"] == problem)),
                "{change}: {found:?}"
            );
        }
    }
}

#[test]
fn actions_change_after_signoff_only_through_the_chain() {
    if !common::has_tool(
        "sqlite3",
        "actions_change_after_signoff_only_through_the_chain",
    ) {
        return;
    }
    let (env, id) = signed();
    let action = sqlite3(
        &env.db,
        &format!("SELECT id FROM improvement_actions WHERE assessment_id = {id}"),
    )
    .unwrap();
    // the year's work goes on: a change through the program is no finding
    env.ok(&["action", "edit", &action, "--status", "in-progress"]);
    assert!(findings(&env).is_empty());
    for (change, problem) in [
        (
            format!("UPDATE improvement_actions SET status = 'done' WHERE id = {action}"),
            "changed",
        ),
        (
            format!("UPDATE improvement_actions SET owner = 'Forger' WHERE id = {action}"),
            "changed",
        ),
        (
            "DELETE FROM action_indicators; DELETE FROM improvement_actions".to_string(),
            "deleted",
        ),
    ] {
        let attacked = copy(&env);
        sqlite3(&attacked.db, &change).unwrap();
        let found = findings(&attacked);
        assert!(
            found.iter().any(|f| f["kind"] == "action"
                && f["id"] == action.parse::<i64>().unwrap()
                && f["problem"] == problem),
            "{change}: {found:?}"
        );
    }
}

#[test]
fn a_text_that_is_not_utf8_is_named_and_hides_no_other_finding() {
    if !common::has_tool(
        "sqlite3",
        "a_text_that_is_not_utf8_is_named_and_hides_no_other_finding",
    ) {
        return;
    }
    let (env, id) = signed();
    let draft = sqlite3(
        &env.db,
        "SELECT min(assessment_id) FROM scores WHERE assessment_id IN (SELECT id FROM assessments WHERE status = 'draft')",
    )
    .unwrap();
    let indicator = sqlite3(
        &env.db,
        &format!("SELECT min(indicator_id) FROM scores WHERE assessment_id = {draft}"),
    )
    .unwrap();
    sqlite3(
        &env.db,
        &format!(
            "UPDATE scores SET reasoning = CAST(x'4fc328' AS TEXT) WHERE assessment_id = {draft} AND indicator_id = '{indicator}';
             UPDATE facilities SET location = CAST(x'ff' AS TEXT) WHERE id = 1;
             {DROP_TRIGGERS}
             UPDATE assessments SET status='draft', signoff_hash=NULL, finalised_by=NULL, finalised_at=NULL WHERE id={id};"
        ),
    )
    .unwrap();
    let found = findings(&env);
    let text = |table: &str, row: &str, column: &str| {
        found.iter().any(|f| {
            f["kind"] == "text" && f["table"] == table && f["row"] == row && f["column"] == column
        })
    };
    assert!(
        text("scores", &format!("{draft} {indicator}"), "reasoning"),
        "{found:?}"
    );
    assert!(text("facilities", "1", "location"), "{found:?}");
    assert!(
        found.iter().any(|f| f["kind"] == "status"
            && f["assessment"] == id.parse::<i64>().unwrap()
            && f["problem"] == "unfinalised"),
        "{found:?}"
    );
    // the same in words, and from doctor
    let out = env.cmd(&["verify"]).output().unwrap();
    let words = String::from_utf8(out.stdout).unwrap();
    assert!(
        words.contains(&format!(
            "BESKADIGET tekst i scores række {draft} {indicator} kolonne reasoning"
        )),
        "{words}"
    );
    let out = env.cmd(&["doctor"]).output().unwrap();
    let words = String::from_utf8(out.stdout).unwrap();
    assert!(
        words.lines().any(|l| l.starts_with("FEJL")
            && l.contains("texts")
            && l.contains(&format!("scores {draft} {indicator} reasoning"))),
        "{words}"
    );
}

#[test]
fn a_schema_version_the_program_never_wrote_is_a_clear_error() {
    if !common::has_tool(
        "sqlite3",
        "a_schema_version_the_program_never_wrote_is_a_clear_error",
    ) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    sqlite3(&env.db, "PRAGMA user_version = -1").unwrap();
    for args in [
        &["facility", "list"][..],
        &["verify"],
        &["facility", "add", "Y"],
    ] {
        let err = env.fails(args);
        assert!(
            err.contains("skemaversion -1 er ikke skrevet af dette program"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn imports_that_replace_signed_assessments_leave_the_chain_explaining_every_status() {
    if !common::has_tool(
        "sqlite3",
        "imports_that_replace_signed_assessments_leave_the_chain_explaining_every_status",
    ) {
        return;
    }
    let a = Env::new();
    a.ok(&[
        "demo",
        "--facilities",
        "1",
        "--years",
        "2",
        "--from-year",
        "2020",
    ]);
    let signed = a.dir.path().join("signed.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        signed.to_str().unwrap(),
    ]);
    let b = copy(&a);
    a.ok(&["assessment", "reopen", "-a", "1", "--reason", "ny viden"]);
    a.ok(&[
        "score", "set", "-a", "1", "-i", "1a", "-v", "1", "-r", "Ændret",
    ]);
    let draft = a.dir.path().join("draft.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        draft.to_str().unwrap(),
    ]);
    // signed → draft → signed again, each by an import that replaces it
    b.ok(&["import", "--replace-finalised", draft.to_str().unwrap()]);
    assert!(findings(&b).is_empty());
    b.ok(&["import", "--replace-finalised", signed.to_str().unwrap()]);
    assert!(findings(&b).is_empty());
    b.ok(&["doctor"]);
    let actions = sqlite3(
        &b.db,
        "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE assessment_id = 1
           AND action IN ('assessment.finalise', 'assessment.reopen') ORDER BY id)",
    )
    .unwrap();
    assert_eq!(
        actions,
        "assessment.finalise assessment.reopen assessment.finalise"
    );

    // but a status forged before an import stays a finding after it
    sqlite3(
        &b.db,
        &format!("{DROP_TRIGGERS} UPDATE assessments SET status = 'draft', signoff_hash = NULL WHERE id = 1;"),
    )
    .unwrap();
    let other = Env::new();
    other.ok(&["facility", "add", "Andetsteds", "--tag", "board"]);
    other.ok(&["assessment", "start", "-f", "Andetsteds", "-y", "2026"]);
    let bundle = other.dir.path().join("other.json");
    other.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    b.ok(&["import", bundle.to_str().unwrap()]);
    let found = findings(&b);
    assert!(
        found.iter().any(|f| f["kind"] == "status"
            && f["assessment"] == 1
            && f["problem"] == "unfinalised"),
        "{found:?}"
    );
}
