//! The real binary against a PostgreSQL server (the test binary's throwaway cluster, a
//! database per test): a facility's year from the first facility to `verify`, the refused
//! write on a finalised assessment, the import, and every export equal to SQLite's for
//! the same data. Skipped with the reason printed where no server can be started.

mod common;
#[path = "common/pg.rs"]
mod pg;

use common::Env;

/// Every indicator id of a model, in its order.
fn indicators(env: &Env, model: &str) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["model", "show", model, "--json"])).unwrap();
    let mut ids = Vec::new();
    for t in v["themes"].as_array().unwrap() {
        for c in t["criteria"].as_array().unwrap() {
            for i in c["indicators"].as_array().unwrap() {
                ids.push(i["id"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(ids.len() > 10, "{model}: {ids:?}");
    ids
}

fn shown(env: &Env, id: &str) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["assessment", "show", "-a", id, "--json"])).unwrap()
}

#[test]
fn a_facilitys_year_on_the_server_from_the_first_facility_to_verify() {
    let Some(env) = pg::env() else {
        return;
    };
    let id = env.facility_with_assessment();
    let start = shown(&env, &id);
    assert_eq!(start["assessment"]["status"], "draft");
    let marked: Vec<String> = start["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["indicator"].as_str().unwrap().to_string())
        .collect();
    let model = start["assessment"]["model_id"]
        .as_str()
        .unwrap()
        .to_string();
    // one score by hand, the rest from a file
    env.ok(&[
        "score",
        "set",
        "-a",
        &id,
        "-i",
        "1a",
        "-v",
        "2",
        "-r",
        "Få i beskæftigelse",
    ]);
    let lines: Vec<String> = indicators(&env, &model)
        .into_iter()
        .filter(|i| i != "1a" && !marked.contains(i))
        .enumerate()
        .map(|(k, i)| {
            format!(
                "{{\"indicator\":\"{i}\",\"value\":{},\"reasoning\":\"Vurderet på mødet, punkt {k}\"}}",
                2 + k % 4
            )
        })
        .collect();
    let file = env.file("scores.jsonl", &lines.join("\n"));
    env.ok(&["score", "apply", "-a", &id, file.to_str().unwrap()]);
    let held = shown(&env, &id);
    let one_a = held["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == "1a")
        .unwrap();
    assert_eq!(one_a["value"], 2);
    assert_eq!(one_a["by"], "mette");
    let gaps = env.ok(&["gaps", "-a", &id]);
    assert!(gaps.contains("1a"), "1a scored 2 is a gap:\n{gaps}");
    env.ok(&[
        "assessment",
        "finalise",
        "-a",
        &id,
        "--by",
        "Forstander Hansen",
    ]);
    assert_eq!(shown(&env, &id)["assessment"]["status"], "finalised");
    // the server's lock: the write is refused in one line and changes nothing
    let err = pg::fails(&env, &["score", "set", "-a", &id, "-i", "1a", "-v", "5"]);
    assert!(err.contains("er afsluttet og kan ikke ændres"), "{err}");
    let verify = env.ok(&["verify"]);
    assert!(verify.contains("intet er ændret"), "{verify}");
    assert!(verify.contains("1 afsluttede vurderinger"), "{verify}");
    let doctor = env.ok(&["doctor", "--json"]);
    let checks: serde_json::Value = serde_json::from_str(&doctor).unwrap();
    assert!(
        checks.as_array().unwrap().iter().all(|c| c["ok"] == true),
        "{doctor}"
    );
    let compare = env.ok(&["compare", "--facility", "Bostedet Solhøj"]);
    assert!(compare.contains("2026"), "{compare}");
}

/// Fails with the first line that differs (the outputs are long).
fn same(server: &str, file: &str, what: &str) {
    if server == file {
        return;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (server.lines().collect(), file.lines().collect());
    let i = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    panic!(
        "{what}: line {} differs ({} lines on the server, {} in SQLite)\nserver: {:?}\nsqlite: {:?}",
        i + 1,
        a.len(),
        b.len(),
        a.get(i),
        b.get(i)
    );
}

/// The same demo (the same seed: the same rows, numbers and times) in a SQLite file and
/// on the server. (`migrate` carries the data, not the numbers: a bundle names
/// assessments by facility and year; see `pg_roundtrip.rs`.)
fn both() -> Option<(Env, Env)> {
    let server = pg::env()?;
    let file = Env::new();
    let demo = ["demo", "--facilities", "4", "--years", "2", "--seed", "5"];
    let a = file.ok(&demo);
    let b = server.ok(&demo);
    assert!(b.contains("4 tilbud, 8 vurderinger"), "{b}");
    assert!(a.contains("4 tilbud, 8 vurderinger"), "{a}");
    Some((file, server))
}

/// The workbook's every cell, sheet by sheet, as text.
fn workbook(path: &std::path::Path) -> String {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        out.push_str(&format!("== {name}\n"));
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_export_and_comparison_on_the_server_equals_sqlites_for_the_same_data() {
    let Some((file, server)) = both() else {
        return;
    };
    for format in ["csv", "html", "md"] {
        let a = file.ok(&["export", "--format", format, "--all"]);
        let b = server.ok(&["export", "--format", format, "--all"]);
        assert!(a.len() > 1000, "{format}: {a}");
        same(&b, &a, &format!("export --format {format}"));
    }
    let json = |env: &Env| {
        let mut v: serde_json::Value =
            serde_json::from_str(&env.ok(&["export", "--format", "json", "--all"])).unwrap();
        v["exported_at"].take();
        v
    };
    assert_eq!(json(&server), json(&file), "the bundle");
    let (xa, xb) = (
        file.dir.path().join("a.xlsx"),
        server.dir.path().join("b.xlsx"),
    );
    file.ok(&[
        "export",
        "--format",
        "xlsx",
        "--all",
        "-o",
        xa.to_str().unwrap(),
    ]);
    server.ok(&[
        "export",
        "--format",
        "xlsx",
        "--all",
        "-o",
        xb.to_str().unwrap(),
    ]);
    assert_eq!(workbook(&xb), workbook(&xa), "the workbook");
    let year: serde_json::Value =
        serde_json::from_str(&file.ok(&["assessment", "list", "--json"])).unwrap();
    let newest = year[0]["year"].to_string();
    for args in [
        vec!["compare", "--year", newest.as_str()],
        vec!["compare", "--year", newest.as_str(), "--json"],
        vec!["compare", "--trend"],
        vec!["assessment", "list"],
        vec!["facility", "list"],
        vec!["gaps", "-a", "1"],
        vec!["assessment", "summary", "-a", "2"],
        vec!["action", "list", "--all"],
    ] {
        same(&server.ok(&args), &file.ok(&args), &format!("{args:?}"));
    }
    assert!(server.ok(&["verify"]).contains("intet er ændret"));
}

#[test]
fn a_bundle_imports_into_the_server_once() {
    let Some(server) = pg::env() else {
        return;
    };
    let file = Env::new();
    file.ok(&["demo", "--facilities", "3", "--years", "2", "--seed", "9"]);
    let bundle = file.dir.path().join("bundle.json");
    file.ok(&[
        "export",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let said = server.ok(&["import", bundle.to_str().unwrap()]);
    assert!(said.contains("3 tilbud, 6 vurderinger tilføjet"), "{said}");
    let again = server.ok(&["import", bundle.to_str().unwrap()]);
    assert!(
        again.contains("0 vurderinger tilføjet, 0 erstattet, 6 uændrede"),
        "{again}"
    );
    assert!(server.ok(&["verify"]).contains("intet er ændret"));
    let bad = server.file("bad.json", "{\"format\":\"tilsynsklar-bundle/1\",");
    let err = pg::fails(&server, &["import", bad.to_str().unwrap()]);
    assert!(err.contains("bad.json"), "{err}");
}

/// The terminal program on the server in tmux: an indicator scored, the program killed
/// (no clean exit: the shell `exec`s it, so the pid is the program's), the score is on
/// the server.
#[cfg(unix)]
#[test]
fn the_terminal_program_on_the_server_keeps_a_score_when_killed() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    if !common::has_tool(
        "tmux",
        "the_terminal_program_on_the_server_keeps_a_score_when_killed",
    ) {
        return;
    }
    let Some(env) = pg::env() else {
        return;
    };
    let id = env.facility_with_assessment();
    let name = format!("tilsynsklar-pgtest-{}", std::process::id());
    let pidfile = env.dir.path().join("tui.pid");
    let script = format!(
        "echo $$ > '{}'; TILSYNSKLAR_USER=mette TILSYNSKLAR_LANG=da exec '{}' --db '{}'",
        pidfile.display(),
        env!("CARGO_BIN_EXE_tilsynsklar"),
        env.db.display()
    );
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "100",
            "-y",
            "30",
            &script,
        ])
        .env_remove("TMUX")
        .status()
        .unwrap();
    assert!(started.success());
    struct Kill(String);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["kill-session", "-t", &self.0])
                .status();
        }
    }
    let _session = Kill(name.clone());
    let screen = || {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        loop {
            let s = screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for {text:?}; the screen shows:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let keys = |k: &str| {
        assert!(
            Command::new("tmux")
                .args(["send-keys", "-t", &name, k])
                .status()
                .unwrap()
                .success()
        );
    };
    wait_for("Bostedet Solhøj");
    keys("Enter");
    wait_for("Tema 1: Uddannelse og beskæftigelse");
    keys("3");
    wait_for("Gemt");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    assert!(
        Command::new("kill")
            .args(["-KILL", pid.trim()])
            .status()
            .unwrap()
            .success()
    );
    let held = shown(&env, &id);
    let one_a = held["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == "1a")
        .cloned()
        .unwrap_or_default();
    assert_eq!(one_a["value"], 3, "{held}");
    assert_eq!(one_a["by"], "mette");
}
