//! The many-writers load (issue 17, item 4), shared by the benchmark (`benches/pg.rs`:
//! 50 × 200) and its integration test (`tests/pg_concurrency.rs`, smaller): writer
//! processes of the real binary, each scoring its own facility's assessment through
//! `score set` one process at a time, all at once against one database (every write
//! appends to the one audit chain, the point where they meet); then what the database
//! holds is checked through the binary: each score the last one its writer set, every
//! `score.set` row logged, `verify` clean.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The binary with `--db`, a user, no colours, and nothing from the caller's environment
/// that picks a database, a language or the strict policy.
pub fn cmd(bin: &Path, db: &str, user: &str, args: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.env_remove("TILSYNSKLAR_DB")
        .env_remove("TILSYNSKLAR_LANG")
        .env_remove("TILSYNSKLAR_STRICT")
        .env("TILSYNSKLAR_USER", user)
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db)
        .args(args);
    c
}

/// Runs a command that must succeed; its stdout.
pub fn ok(bin: &Path, db: &str, args: &[&str]) -> Result<String, String> {
    let out = cmd(bin, db, "bench", args)
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        ))
    }
}

/// One writer's assessment and the indicators it scores.
#[derive(Debug, Clone)]
pub struct Writer {
    pub assessment: i64,
    pub indicators: Vec<String>,
}

/// A facility and a draft assessment per writer; the indicators the model gives each
/// (those not marked not relevant for the facility's type at the start).
pub fn prepare(bin: &Path, db: &str, writers: usize, year: i32) -> Result<Vec<Writer>, String> {
    let mut out = Vec::new();
    for w in 0..writers {
        let name = format!("Skriver {w:02}");
        ok(bin, db, &["facility", "add", &name])?;
        ok(
            bin,
            db,
            &[
                "assessment",
                "start",
                "--facility",
                &name,
                "--year",
                &year.to_string(),
            ],
        )?;
        let a = assessment_of(bin, db, &name)?;
        let model = model_indicators(bin, db, &a)?;
        let marked: Vec<String> = a["scores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["not_relevant"] == true)
            .filter_map(|s| s["indicator"].as_str().map(String::from))
            .collect();
        out.push(Writer {
            assessment: a["assessment"]["id"].as_i64().ok_or("no assessment id")?,
            indicators: model.into_iter().filter(|i| !marked.contains(i)).collect(),
        });
    }
    Ok(out)
}

fn assessment_of(bin: &Path, db: &str, facility: &str) -> Result<serde_json::Value, String> {
    let text = ok(
        bin,
        db,
        &["assessment", "show", "--facility", facility, "--json"],
    )?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Every indicator id of the assessment's model, in the model's order.
fn model_indicators(bin: &Path, db: &str, a: &serde_json::Value) -> Result<Vec<String>, String> {
    let id = a["assessment"]["model_id"].as_str().ok_or("no model id")?;
    let text = ok(bin, db, &["model", "show", id, "--json"])?;
    let model: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    for theme in model["themes"].as_array().into_iter().flatten() {
        for criterion in theme["criteria"].as_array().into_iter().flatten() {
            for i in criterion["indicators"].as_array().into_iter().flatten() {
                if let Some(id) = i["id"].as_str() {
                    ids.push(id.to_string());
                }
            }
        }
    }
    if ids.is_empty() {
        return Err(format!("model {id}: no indicators read"));
    }
    Ok(ids)
}

/// What the writers saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Each `score set`'s whole process, start to exit.
    pub latencies: Vec<Duration>,
    /// What any writer was shown on standard error, or a non-zero exit.
    pub errors: Vec<String>,
    /// The last value each writer set, by (assessment, indicator).
    pub expected: BTreeMap<(i64, String), i64>,
    /// From the first writer's start to the last one's end.
    pub wall: Duration,
}

/// The value writer `w` gives in its `k`-th score.
fn value(w: usize, k: usize) -> i64 {
    1 + ((w * 7 + k * 3) % 5) as i64
}

/// All writers at once, each `scores` times `score set` on its own assessment, cycling
/// through its indicators with changing values.
pub fn run(bin: &Path, db: &str, writers: &[Writer], scores: usize) -> Outcome {
    let t = Instant::now();
    let results: Vec<(Vec<Duration>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = writers
            .iter()
            .enumerate()
            .map(|(w, writer)| scope.spawn(move || one_writer(bin, db, w, writer, scores)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| (Vec::new(), vec!["a writer thread panicked".into()]))
            })
            .collect()
    });
    let mut outcome = Outcome {
        wall: t.elapsed(),
        ..Outcome::default()
    };
    for (w, writer) in writers.iter().enumerate() {
        for k in 0..scores {
            let ind = &writer.indicators[k % writer.indicators.len()];
            outcome
                .expected
                .insert((writer.assessment, ind.clone()), value(w, k));
        }
    }
    for (lat, errs) in results {
        outcome.latencies.extend(lat);
        outcome.errors.extend(errs);
    }
    outcome
}

fn one_writer(
    bin: &Path,
    db: &str,
    w: usize,
    writer: &Writer,
    scores: usize,
) -> (Vec<Duration>, Vec<String>) {
    let user = format!("skriver{w:02}");
    let a = writer.assessment.to_string();
    let mut lat = Vec::with_capacity(scores);
    let mut errors = Vec::new();
    for k in 0..scores {
        let ind = &writer.indicators[k % writer.indicators.len()];
        let v = value(w, k).to_string();
        let reason = format!("Skriver {w}, score {k}: set ved belastningsprøven");
        let t = Instant::now();
        let out: std::io::Result<Output> = cmd(
            bin,
            db,
            &user,
            &["score", "set", "-a", &a, "-i", ind, "-v", &v, "-r", &reason],
        )
        .output();
        lat.push(t.elapsed());
        match out {
            Ok(o) if o.status.success() && o.stderr.is_empty() => {}
            Ok(o) => errors.push(format!(
                "writer {w}, score {k}: exit {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).trim_end()
            )),
            Err(e) => errors.push(format!("writer {w}, score {k}: {e}")),
        }
    }
    (lat, errors)
}

/// What the database holds after the load.
#[derive(Debug, Default)]
pub struct Checked {
    /// Scores that are not the last value their writer set (or missing).
    pub lost: Vec<String>,
    /// `score.set` rows in the writers' assessments' logs.
    pub logged: usize,
    /// Whether `verify` found the chain and the sign-offs whole.
    pub verified: bool,
    /// `verify`'s words.
    pub verify_said: String,
}

/// Checks the database after `run`: every score as last set, every write logged, verify.
pub fn check(
    bin: &Path,
    db: &str,
    writers: &[Writer],
    outcome: &Outcome,
) -> Result<Checked, String> {
    let mut checked = Checked::default();
    for writer in writers {
        let a = writer.assessment.to_string();
        let text = ok(bin, db, &["assessment", "show", "-a", &a, "--json"])?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let held: BTreeMap<String, Option<i64>> = v["scores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s["indicator"].as_str()?.to_string(), s["value"].as_i64())))
            .collect();
        for ((assessment, ind), want) in
            outcome.expected.range((writer.assessment, String::new())..)
        {
            if *assessment != writer.assessment {
                break;
            }
            if held.get(ind).copied().flatten() != Some(*want) {
                checked.lost.push(format!(
                    "assessment {assessment}, {ind}: {:?}, not {want}",
                    held.get(ind)
                ));
            }
        }
        let log = ok(bin, db, &["assessment", "log", "-a", &a, "--json"])?;
        let rows: serde_json::Value = serde_json::from_str(&log).map_err(|e| e.to_string())?;
        checked.logged += rows
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["action"] == "score.set" && r["by"] != "bench")
            .count();
    }
    let out = cmd(bin, db, "bench", &["verify"])
        .output()
        .map_err(|e| e.to_string())?;
    checked.verify_said = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
    checked.verified = out.status.success() && checked.verify_said.contains("intet er ændret");
    Ok(checked)
}

/// The `q`-quantile of the latencies (0.5: the median), in milliseconds.
pub fn quantile_ms(latencies: &[Duration], q: f64) -> f64 {
    if latencies.is_empty() {
        return f64::NAN;
    }
    let mut v = latencies.to_vec();
    v.sort();
    let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
    v[i].as_secs_f64() * 1000.0
}

/// The release binary (or `TILSYNSKLAR_BIN`'s).
pub fn release_binary() -> PathBuf {
    std::env::var_os("TILSYNSKLAR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/tilsynsklar")
        })
}
