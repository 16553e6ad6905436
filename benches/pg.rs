//! The PostgreSQL figures (issue 17, item 4), on a throwaway cluster of their own (the
//! tests' `src/store/pg/cluster.rs`): many writers at once — `TILSYNSKLAR_BENCH_PG_WRITERS`
//! (50) processes of the release binary, each `TILSYNSKLAR_BENCH_PG_SCORES` (200) times
//! `score set` on its own facility's assessment, all appending to the one audit chain —
//! with p50 and p99 per score, errors shown to a writer, scores lost, `verify`; and
//! `compare --year` on the national demo data on PostgreSQL beside the same on SQLite
//! (target: within 2×). `TILSYNSKLAR_BENCH_RUNS` (3) runs; min / median / max and each
//! target's verdict at the end, exit 1 where one is missed. Run by `bench/run.sh`
//! (`TILSYNSKLAR_BENCH_ONLY=pg` alone).

#[allow(dead_code, unused_imports)]
#[path = "../src/store/pg/cluster.rs"]
mod cluster;
#[path = "pg/load.rs"]
mod load;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// One figure's values over the runs, its unit and its target (`Some(max)`: at most;
/// `Some(0)` with unit "" for counts that must be zero).
struct Figure {
    name: &'static str,
    unit: &'static str,
    at_most: Option<f64>,
    values: Vec<f64>,
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test")
        || std::env::var_os("TILSYNSKLAR_BENCH").is_none()
    {
        println!("set TILSYNSKLAR_BENCH=1 (bench/run.sh does) to run the benchmark");
        return;
    }
    let bin = load::release_binary();
    if !bin.is_file() {
        eprintln!("{}: no binary (cargo build --release)", bin.display());
        std::process::exit(1);
    }
    let Some(cluster) = cluster::cluster() else {
        println!("pg: skipped (no PostgreSQL server could be started; see above)");
        return;
    };
    let writers = env_num("TILSYNSKLAR_BENCH_PG_WRITERS", 50);
    let scores = env_num("TILSYNSKLAR_BENCH_PG_SCORES", 200);
    let runs = env_num("TILSYNSKLAR_BENCH_RUNS", 3);
    let facilities = env_num("TILSYNSKLAR_BENCH_FACILITIES", 3000);
    println!(
        "tilsynsklar PostgreSQL benchmark · {} · {} cores · cluster started in {} ms · {writers} writers × {scores} scores",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        cluster.started_in.as_millis()
    );
    let mut figures = vec![
        fig("score set under load: p50", "ms", None),
        fig("score set under load: p99", "ms", None),
        fig("score set under load: scores/s", "/s", None),
        fig("writers shown an error", "", Some(0.0)),
        fig("scores lost or not logged", "", Some(0.0)),
        fig("verify not clean (0 = clean)", "", Some(0.0)),
        fig("compare --year, nation, PostgreSQL", "ms", None),
        fig("compare --year, nation, SQLite", "ms", None),
        fig("compare --year: PostgreSQL × SQLite", "×", Some(2.0)),
    ];
    // the nation, once for every run: demo into a database on the server and into a file
    let nation_url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let nation_file = dir.path().join("nation.db");
    let nation_file = nation_file.to_str().expect("a UTF-8 path").to_string();
    let demo = [
        "demo",
        "--facilities",
        &facilities.to_string(),
        "--years",
        "10",
        "--from-year",
        "2016",
        "--seed",
        "1",
    ];
    for db in [&nation_url, &nation_file] {
        let t = Instant::now();
        match load::ok(&bin, db, &demo) {
            Ok(_) => println!("nation on {}: {:.1} s", kind(db), t.elapsed().as_secs_f64()),
            Err(e) => {
                eprintln!("the nation on {}: {e}", kind(db));
                std::process::exit(1);
            }
        }
    }
    for run in 1..=runs {
        println!("\n== run {run} of {runs}");
        let db = cluster.fresh_database();
        let plan = match load::prepare(&bin, &db, writers, 2026) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("setting up the writers: {e}");
                std::process::exit(1);
            }
        };
        let outcome = load::run(&bin, &db, &plan, scores);
        let checked = match load::check(&bin, &db, &plan, &outcome) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("checking after the load: {e}");
                std::process::exit(1);
            }
        };
        for e in outcome.errors.iter().take(3) {
            println!("  shown to a writer: {e}");
        }
        for l in checked.lost.iter().take(3) {
            println!("  lost: {l}");
        }
        let total = writers * scores;
        let missing = checked.lost.len() + total.saturating_sub(checked.logged);
        let values = [
            load::quantile_ms(&outcome.latencies, 0.5),
            load::quantile_ms(&outcome.latencies, 0.99),
            total as f64 / outcome.wall.as_secs_f64(),
            outcome.errors.len() as f64,
            missing as f64,
            if checked.verified { 0.0 } else { 1.0 },
        ];
        println!(
            "{total} scores in {:.1} s; logged {}; verify: {}",
            outcome.wall.as_secs_f64(),
            checked.logged,
            checked.verify_said.replace('\n', " · ")
        );
        let pg = compare_year(&bin, &nation_url, 5);
        let sqlite = compare_year(&bin, &nation_file, 5);
        let values =
            values
                .into_iter()
                .chain([ms(pg), ms(sqlite), pg.as_secs_f64() / sqlite.as_secs_f64()]);
        for (f, v) in figures.iter_mut().zip(values) {
            println!("{:<45} {:>10.2} {}", f.name, v, f.unit);
            f.values.push(v);
        }
    }
    if !summary(&figures, runs) {
        std::process::exit(1);
    }
}

fn fig(name: &'static str, unit: &'static str, at_most: Option<f64>) -> Figure {
    Figure {
        name,
        unit,
        at_most,
        values: Vec::new(),
    }
}

fn kind(db: &str) -> &'static str {
    if db.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median of `runs` timings of `compare --year 2024 --json` (output thrown away).
fn compare_year(bin: &Path, db: &str, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let status = load::cmd(bin, db, "bench", &["compare", "--year", "2024", "--json"])
                .stdout(Stdio::null())
                .status();
            let d = t.elapsed();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("compare --year on {} failed", kind(db));
                std::process::exit(1);
            }
            d
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Min / median / max of each figure over the runs, and the verdict on the median.
fn summary(figures: &[Figure], runs: usize) -> bool {
    println!(
        "\n== PostgreSQL summary over {runs} run(s): min / median / max; the target is judged on the median"
    );
    let mut all_met = true;
    for f in figures {
        let mut v = f.values.clone();
        v.sort_by(f64::total_cmp);
        let med = v[v.len() / 2];
        let (target, verdict) = match f.at_most {
            Some(t) if med <= t => (format!("≤ {t}"), "met"),
            Some(t) => {
                all_met = false;
                (format!("≤ {t}"), "MISSED")
            }
            None => ("-".to_string(), ""),
        };
        println!(
            "{:<45} {:>10.2} / {:>10.2} / {:>10.2} {:<3} target {target:<6} {verdict}",
            f.name,
            v[0],
            med,
            v[v.len() - 1],
            f.unit
        );
    }
    all_met
}
