//! Helpers for running the real binary against a temporary database.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A temporary database and the commands that run against it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tilsynsklar.db");
        Env { dir, db }
    }

    /// The binary with `--db`, a fixed user, no colours, and the given arguments.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("tilsynsklar").unwrap();
        c.env_remove("TILSYNSKLAR_DB")
            .env_remove("TILSYNSKLAR_LANG")
            .env_remove("TILSYNSKLAR_STRICT")
            .env("TILSYNSKLAR_USER", "mette")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(&self.db)
            .args(args);
        c
    }

    /// Runs a command that must succeed, and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with one line on stderr and leave the database as
    /// it was; returns that line.
    pub fn fails(&self, args: &[&str]) -> String {
        let before = snapshot(&self.db);
        let out = self.cmd(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err:?}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(snapshot(&self.db), before, "{args:?} changed the database");
        err.trim_end().to_string()
    }

    /// A file in the temporary directory.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// A facility with an assessment for 2026 on the 2017 model; returns the assessment number.
    pub fn facility_with_assessment(&self) -> String {
        self.ok(&["facility", "add", "Bostedet Solhøj", "--tag", "board"]);
        let out = self.ok(&[
            "assessment",
            "start",
            "--facility",
            "Bostedet Solhøj",
            "--year",
            "2026",
        ]);
        out.split_whitespace().nth(2).unwrap().to_string()
    }
}

/// Every row of every table, as text: what "the database is unchanged" compares.
pub fn snapshot(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut out = String::new();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap_or(-1);
    out.push_str(&format!("user_version {version}\n"));
    let tables: Vec<String> =
        match conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            Ok(mut stmt) => stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect(),
            Err(e) => return format!("unreadable: {e}"),
        };
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => {
                            format!("{:?}", String::from_utf8_lossy(t))
                        }
                        other => format!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&format!("{t}: {}\n", row.unwrap()));
        }
    }
    out
}

/// Whether the outside tool a test needs is installed. Where it is not, the test says so on
/// standard error (past the test harness's capture) and is to return early, skipped;
/// under `TILSYNSKLAR_REQUIRE_TOOLS=1` (set by `.ci/run`) a missing tool fails the test.
pub fn has_tool(tool: &str, test: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg(if tool == "tmux" { "-V" } else { "--version" })
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if found {
        return true;
    }
    let required = std::env::var("TILSYNSKLAR_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{test}: needs `{tool}`, which is not installed (TILSYNSKLAR_REQUIRE_TOOLS=1: no test may be skipped)"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs `{tool}`, which is not installed (`.ci/run` installs it)"
    );
    false
}
