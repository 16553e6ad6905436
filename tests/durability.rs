//! Nothing lost: the program killed (SIGKILL) at random moments while it writes scores,
//! many times over, and two processes writing the same assessment at once.

mod common;

use common::Env;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A file of `n` score lines for the 2017 model's first indicators, each with a text that
/// names its run and line.
fn script(env: &Env, name: &str, tag: &str, n: usize) -> std::path::PathBuf {
    const IDS: [&str; 6] = ["1a", "1b", "1c", "2a", "2b", "2c"];
    let mut text = String::new();
    for i in 0..n {
        let line = serde_json::json!({
            "indicator": IDS[i % IDS.len()],
            "value": i % 5 + 1,
            "reasoning": format!("{tag} skrivning {}", i + 1),
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    env.file(name, &text)
}

/// `score apply` as a child process with its stdout piped.
fn apply(env: &Env, file: &std::path::Path, user: &str) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("tilsynsklar"))
        .env("TILSYNSKLAR_USER", user)
        .env_remove("TILSYNSKLAR_LANG")
        .arg("--db")
        .arg(&env.db)
        .args(["score", "apply", "-a", "1"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The reasoning texts the audit log holds for score writes.
fn logged(env: &Env) -> std::collections::HashSet<String> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT json_extract(new_value, '$.reasoning') FROM audit_log WHERE action = 'score.set'")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn killed_at_random_moments_it_loses_no_acknowledged_write_and_the_file_stays_whole() {
    let env = Env::new();
    env.facility_with_assessment();
    const RUNS: usize = 30;
    const WRITES: usize = 3000;
    // a fixed pseudo-random sequence of kill delays, 0–500 ms (a run takes longer)
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % 500
    };
    let (mut acknowledged, mut killed_mid_run) = (Vec::new(), 0);
    for run in 0..RUNS {
        let tag = format!("kørsel {run}");
        let file = script(&env, &format!("run{run}.jsonl"), &tag, WRITES);
        let mut child = apply(&env, &file, "mette");
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(next()));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill(); // SIGKILL on Unix
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        for l in &lines {
            let n: usize = l
                .strip_prefix("gemt linje ")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("not an acknowledgement: {l}"));
            acknowledged.push(format!("{tag} skrivning {n}"));
        }
        // after every kill: the file is whole, and every acknowledged write is in it
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "run {run}");
        drop(conn);
        let log = logged(&env);
        for a in &acknowledged {
            assert!(log.contains(a), "run {run}: acknowledged but lost: {a}");
        }
    }
    assert!(
        killed_mid_run >= RUNS / 2,
        "only {killed_mid_run} kills landed mid-run"
    );
    assert!(
        acknowledged.len() >= 200,
        "only {} writes acknowledged",
        acknowledged.len()
    );
    // each score is the last write the log holds for it, and the audit chain is unbroken
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mismatched: i64 = conn
        .query_row(
            "SELECT count(*) FROM scores s WHERE s.assessment_id = 1 AND s.indicator_id IN ('1a','1b','1c','2a','2b','2c')
               AND s.reasoning <> (SELECT json_extract(new_value, '$.reasoning') FROM audit_log l
                                   WHERE l.assessment_id = 1 AND l.subject = s.indicator_id ORDER BY l.id DESC LIMIT 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mismatched, 0);
    env.ok(&["verify"]);
    eprintln!(
        "{RUNS} runs, {killed_mid_run} killed mid-run, {} acknowledged writes all present",
        acknowledged.len()
    );
}

#[test]
fn two_processes_writing_one_assessment_at_once_lose_nothing_and_never_see_a_lock() {
    let env = Env::new();
    env.facility_with_assessment();
    const WRITES: usize = 1000;
    let a = script(&env, "a.jsonl", "leder A", WRITES);
    let b = script(&env, "b.jsonl", "leder B", WRITES);
    let children = [apply(&env, &a, "leder-a"), apply(&env, &b, "leder-b")];
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.to_lowercase().contains("locked"), "{err}");
        let acks = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(acks, WRITES);
    }
    let log = logged(&env);
    for tag in ["leder A", "leder B"] {
        for i in 1..=WRITES {
            assert!(
                log.contains(&format!("{tag} skrivning {i}")),
                "{tag} {i} lost"
            );
        }
    }
    // the writes interleaved (both ran at once), and the chain held
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let switches: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT by, lag(by) OVER (ORDER BY id) AS before FROM audit_log WHERE action = 'score.set' AND by LIKE 'leder-%') WHERE by <> before",
            [],
            |r| r.get(0),
        )
        .unwrap();
    eprintln!("the two writers took turns {switches} times");
    env.ok(&["verify"]);
    let _ = std::io::stderr().flush();
}

#[test]
fn score_apply_checks_every_line_before_it_saves_any() {
    let env = Env::new();
    env.facility_with_assessment();
    let good = r#"{"indicator":"1a","value":4,"reasoning":"God"}"#;
    for (bad, expected) in [
        (r#"{"indicator":"1b","value":7}"#, "score.jsonl:2: "),
        (r#"{"indicator":"99z","value":3}"#, "score.jsonl:2: "),
        (r#"{"indicator":"1b","value":3"#, "score.jsonl:2: "),
        (
            r#"{"indicator":"1b","value":3,"colour":"red"}"#,
            "score.jsonl:2: ",
        ),
        (
            r#"{"indicator":"1b","not_relevant":true}"#,
            "score.jsonl:2: ",
        ),
    ] {
        let file = env.file("score.jsonl", &format!("{good}\n{bad}\n"));
        let err = env.fails(&["score", "apply", "-a", "1", file.to_str().unwrap()]);
        assert!(
            err.starts_with(
                &format!("tilsynsklar: fejl: {}", file.display()).replace("score.jsonl", expected)
            ),
            "{err}"
        );
    }
    let file = env.file(
        "score.jsonl",
        &format!(
            "{good}\n\n{}\n",
            r#"{"indicator":"2d","not_relevant":true,"reasoning":"Kun voksne"}"#
        ),
    );
    let out = env.ok(&["score", "apply", "-a", "1", file.to_str().unwrap()]);
    assert_eq!(
        out,
        "gemt linje 1: 1a = 4\ngemt linje 3: 2d = ikke relevant\n"
    );
    // from standard input
    let out = env
        .cmd(&[
            "--lang",
            "en",
            "score",
            "apply",
            "-f",
            "Bostedet Solhøj",
            "-y",
            "2026",
            "-",
        ])
        .write_stdin(r#"{"indicator":"1b","value":2,"sources":"Referat"}"#)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "saved line 1: 1b = 2\n"
    );
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_of_it_or_none() {
    let source = Env::new();
    source.ok(&[
        "demo",
        "--facilities",
        "40",
        "--years",
        "5",
        "--from-year",
        "2019",
    ]);
    let bundle = source.dir.path().join("bundle.json");
    source.ok(&[
        "export",
        "--all",
        "--format",
        "json",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let full: i64 = 200;
    // how long a whole import takes here: the kills land within that
    let timed = Env::new();
    let started = std::time::Instant::now();
    timed.ok(&["import", bundle.to_str().unwrap()]);
    let whole = started.elapsed().as_millis() as u64;
    let mut seed: u64 = 7;
    let (mut none, mut all) = (0, 0);
    for run in 0..12 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let env = Env::new();
        env.ok(&["model", "list"]); // an empty database, as a region starts
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("tilsynsklar"))
            .arg("--db")
            .arg(&env.db)
            .arg("import")
            .arg(&bundle)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis((seed >> 33) % whole.max(1)));
        let _ = child.kill();
        child.wait().unwrap();
        // the next program to open it finds it whole: all of the bundle, or none of it
        let out = env.ok(&["assessment", "list", "--json"]);
        let n = serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len() as i64;
        assert!(n == 0 || n == full, "run {run}: {n} assessments");
        if n == 0 {
            none += 1
        } else {
            all += 1
        }
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "run {run}");
        drop(conn);
        env.ok(&["verify"]);
    }
    eprintln!("12 imports killed within {whole} ms: {none} left nothing, {all} left everything");
    assert!(none > 0, "no kill landed before the commit");
}
