//! The speed figures, measured the same way every time: each figure is the median of at
//! least five timings, and where there is a reference measured in the same run (a plain
//! prepared-statement insert loop of the same rows into a fresh database, or the sqlite3
//! command-line tool on the same file), its target is a ratio to that reference, so it
//! holds on any machine. The whole benchmark runs `TILSYNSKLAR_BENCH_RUNS` times (default
//! 3) and ends with a table of the minimum, median and maximum of each figure over those
//! runs and whether the median meets its target. Run by `bench/run.sh`, which builds the
//! release binary first. CI compiles this, never times it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tilsynsklar::assessment::{ScoreInput, ScoreValue};
use tilsynsklar::demo::{DemoSpec, generate};
use tilsynsklar::store::{Stamp, Store};

fn stamp() -> Stamp {
    Stamp {
        by: "bench".into(),
        at: chrono::Utc::now(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn bin() -> PathBuf {
    std::env::var_os("TILSYNSKLAR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/tilsynsklar"))
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs the program once under `/usr/bin/time`: the wall time and the peak memory in MB
/// (`None` where /usr/bin/time is missing).
fn timed_with_peak(args: &[&str]) -> (Duration, Option<f64>) {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin())
        .args(args)
        .stdout(std::process::Stdio::null())
        .output();
    let d = t.elapsed();
    match out {
        Ok(o) => {
            assert!(
                o.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let kb = String::from_utf8_lossy(&o.stderr)
                .trim()
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok());
            (d, kb.map(|kb| kb / 1024.0))
        }
        Err(_) => {
            let t = Instant::now();
            run(Command::new(bin())
                .args(args)
                .stdout(std::process::Stdio::null()));
            (t.elapsed(), None)
        }
    }
}

fn line(name: &str, value: String, target: &str) {
    println!("{name:<58} {value:>26}   target: {target}");
}

/// What a figure must be to meet its target.
#[derive(Clone, Copy)]
enum Target {
    AtLeast(f64),
    AtMost(f64),
    None,
}

impl Target {
    fn met(self, v: f64) -> Option<bool> {
        match self {
            Target::AtLeast(t) => Some(v >= t),
            Target::AtMost(t) => Some(v <= t),
            Target::None => None,
        }
    }

    fn text(self, unit: &str) -> String {
        match self {
            Target::AtLeast(t) => format!("≥ {} {unit}", num(t)),
            Target::AtMost(t) => format!("≤ {} {unit}", num(t)),
            Target::None => "-".into(),
        }
    }
}

fn num(v: f64) -> String {
    if v >= 1000.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// Every figure of every run, in the order first recorded.
#[derive(Default)]
struct Figures {
    rows: Vec<(String, String, Target, Vec<f64>)>,
}

impl Figures {
    fn record(&mut self, name: &str, value: f64, unit: &str, target: Target) {
        match self.rows.iter_mut().find(|r| r.0 == name) {
            Some(r) => r.3.push(value),
            None => self
                .rows
                .push((name.to_string(), unit.to_string(), target, vec![value])),
        }
    }

    /// The table of the day: minimum, median, maximum over the runs, and the verdict on the median.
    fn summary(&self, runs: usize) -> bool {
        println!(
            "\n== summary over {runs} run(s): min / median / max; the target is judged on the median"
        );
        let mut all_met = true;
        for (name, unit, target, values) in &self.rows {
            let mut v = values.clone();
            v.sort_by(f64::total_cmp);
            let med = v[v.len() / 2];
            let verdict = match target.met(med) {
                Some(true) => "met",
                Some(false) => {
                    all_met = false;
                    "MISSED"
                }
                None => "",
            };
            println!(
                "{name:<62} {:>10} / {:>10} / {:>10} {unit:<10} target {:<16} {verdict}",
                num(v[0]),
                num(med),
                num(v[v.len() - 1]),
                target.text(unit)
            );
        }
        all_met
    }
}

/// The practical limit of writing what the demo (or the import) wrote: every row it left in
/// `source` — facilities and their tags, assessments as finalised with their sign-offs,
/// scores, improvement actions and their indicators, the chained audit rows — read into
/// memory first, then inserted (only this is timed) with one prepared statement per table,
/// in one transaction, parents before children, into a fresh database with the program's
/// schema (`Store::open`: 8 KiB pages, its indexes) under the settings of the program's
/// bulk load: its triggers set aside as the load sets them aside (all six dropped), the
/// rollback journal (`journal_mode = DELETE`), `synchronous = FULL`, `foreign_keys = ON`,
/// a 64 MiB page cache. Rows a fresh database already holds (the bundled models and
/// strategies) are not the load's and are left out.
struct LoadedRows {
    /// per table: its name, its columns (quoted) and its rows
    tables: Vec<(String, Vec<String>, Vec<Vec<rusqlite::types::Value>>)>,
}

impl LoadedRows {
    fn rows(&self) -> usize {
        self.tables.iter().map(|(_, _, r)| r.len()).sum()
    }

    fn scores(&self) -> usize {
        self.tables
            .iter()
            .find(|(t, _, _)| t == "scores")
            .map_or(0, |(_, _, r)| r.len())
    }
}

/// Every row the load left in `source` and a fresh database does not hold, into memory.
fn loaded_rows(dir: &Path, source: &Path) -> LoadedRows {
    use rusqlite::types::Value;
    let path = dir.join("fresh.db");
    let _ = std::fs::remove_file(&path);
    drop(Store::open(&path, &stamp()).unwrap());
    let src = rusqlite::Connection::open(source).unwrap();
    src.execute("ATTACH DATABASE ?1 AS fresh", [path.to_str().unwrap()])
        .unwrap();
    // in the order the schema creates them, which puts every parent before its children
    let tables: Vec<String> = src
        .prepare(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut data: Vec<(String, Vec<String>, Vec<Vec<Value>>)> = Vec::new();
    for t in &tables {
        let fresh: i64 = src
            .query_row(&format!("SELECT count(*) FROM fresh.\"{t}\""), [], |r| {
                r.get(0)
            })
            .unwrap();
        let here: i64 = src
            .query_row(&format!("SELECT count(*) FROM main.\"{t}\""), [], |r| {
                r.get(0)
            })
            .unwrap();
        // a table the fresh database fills (bundled rows, their timestamps the open's):
        // only the rows the load added
        let sql = if fresh == 0 {
            format!("SELECT * FROM main.\"{t}\"")
        } else if fresh == here {
            continue;
        } else {
            format!(
                "SELECT * FROM main.\"{t}\" WHERE rowid NOT IN (SELECT rowid FROM fresh.\"{t}\")"
            )
        };
        let mut st = src.prepare(&sql).unwrap();
        let cols: Vec<String> = st.column_names().map(|c| format!("\"{c}\"")).collect();
        let n = cols.len();
        let rows: Vec<Vec<Value>> = st
            .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if !rows.is_empty() {
            data.push((t.clone(), cols, rows));
        }
    }
    drop(src);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    LoadedRows { tables: data }
}

/// The insert loop of `rows` into a fresh database (see `LoadedRows`); only the loop is
/// timed.
/// `old`: the reference before 2026-12-01 14:00, kept beside the honest one for
/// comparison: the facility, assessment and score rows only, foreign keys off.
fn insert_loop_reference(dir: &Path, rows: &LoadedRows, old: bool) -> Duration {
    let path = dir.join("reference.db");
    let _ = std::fs::remove_file(&path);
    drop(Store::open(&path, &stamp()).unwrap());
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\""))
            .unwrap();
    }
    conn.pragma_update(None, "foreign_keys", !old).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "cache_size", -65536).unwrap();
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    for (table, cols, rows) in &rows.tables {
        if old && !["facilities", "assessments", "scores"].contains(&table.as_str()) {
            continue;
        }
        let marks = vec!["?"; cols.len()].join(", ");
        let mut st = tx
            .prepare(&format!(
                "INSERT INTO \"{table}\" ({}) VALUES ({marks})",
                cols.join(", ")
            ))
            .unwrap();
        for row in rows {
            st.execute(rusqlite::params_from_iter(row.iter())).unwrap();
        }
    }
    tx.commit().unwrap();
    let d = t.elapsed();
    drop(conn);
    let _ = std::fs::remove_file(&path);
    d
}

/// `TILSYNSKLAR_BENCH_ONLY=demo,import,verify`: the demo and the insert loop, then only
/// the parts named (`import`, `verify`: verify and doctor); unset, every part. Parts that
/// need no demo (`tui`, `compare`, `csv`, `xlsx`, `reports`) named alone run on
/// `TILSYNSKLAR_BENCH_DB` (see `on_one_database`).
fn only_parts() -> Option<Vec<String>> {
    std::env::var("TILSYNSKLAR_BENCH_ONLY").ok().map(|v| {
        v.split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    })
}

fn national(dir: &Path, name: &str, spec: &DemoSpec) -> (PathBuf, Duration, usize) {
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path, &stamp()).unwrap();
    let t = Instant::now();
    let report = generate(&mut store, spec, "demo").unwrap();
    let d = t.elapsed();
    drop(store);
    (path, d, report.scores)
}

fn main() {
    // `cargo test --benches` and `cargo bench -- --list` must not run the whole thing
    if std::env::args().any(|a| a == "--list" || a == "--test")
        || std::env::var_os("TILSYNSKLAR_BENCH").is_none()
    {
        println!("set TILSYNSKLAR_BENCH=1 (bench/run.sh does) to run the benchmark");
        return;
    }
    let whole_runs: usize = std::env::var("TILSYNSKLAR_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3);
    let mut figures = Figures::default();
    if let Some(parts) =
        only_parts().filter(|p| p.iter().all(|p| ON_ONE_DATABASE.contains(&p.as_str())))
    {
        for run in 1..=whole_runs {
            println!("\n== run {run} of {whole_runs} ({} only)", parts.join(", "));
            on_one_database(&parts, &mut figures);
        }
        if !figures.summary(whole_runs) {
            std::process::exit(1);
        }
        return;
    }
    for run in 1..=whole_runs {
        println!("\n== run {run} of {whole_runs}");
        one_run(&mut figures);
    }
    if !figures.summary(whole_runs) {
        std::process::exit(1);
    }
}

fn one_run(figures: &mut Figures) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let runs = 5;
    println!(
        "tilsynsklar benchmark · {} · {} cores · median of {runs} timings",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // demo generation
    let region = DemoSpec {
        facilities: 30,
        years: 10,
        from_year: 2016,
        seed: 1,
    };
    // TILSYNSKLAR_BENCH_FACILITIES makes a smaller "nation" for a quick check of the harness
    let nation = DemoSpec {
        facilities: std::env::var("TILSYNSKLAR_BENCH_FACILITIES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000),
        years: 10,
        from_year: 2016,
        seed: 1,
    };
    let mut times = Vec::new();
    let mut rows = 0;
    for i in 0..runs {
        let (path, t, n) = national(d, &format!("gen{i}.db"), &nation);
        times.push(t);
        rows = n;
        if i + 1 < runs {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(path.with_extension("db-wal"));
            let _ = std::fs::remove_file(path.with_extension("db-shm"));
        }
    }
    let db = d.join(format!("gen{}.db", runs - 1));
    let t = median(times);
    let loaded = loaded_rows(d, &db);
    assert_eq!(
        loaded.scores(),
        rows,
        "the reference inserts the same score rows"
    );
    let reference = median(
        (0..runs)
            .map(|_| insert_loop_reference(d, &loaded, false))
            .collect(),
    );
    let old_reference = median(
        (0..runs)
            .map(|_| insert_loop_reference(d, &loaded, true))
            .collect(),
    );
    let all_rows = loaded.rows();
    drop(loaded);
    let reference_rate = rows as f64 / reference.as_secs_f64();
    let old_rate = rows as f64 / old_reference.as_secs_f64();
    let demo_rate = rows as f64 / t.as_secs_f64();
    line(
        &format!(
            "demo, nation ({} × 10): score rows per second",
            nation.facilities
        ),
        format!(
            "{demo_rate:.0} ({rows} rows, {:.2} s; {:.2}× the insert loop)",
            t.as_secs_f64(),
            demo_rate / reference_rate
        ),
        "≥ 0.85× a plain insert loop",
    );
    line(
        "reference: plain insert loop of every row the demo wrote",
        format!(
            "{reference_rate:.0} score rows/s ({all_rows} rows in all, {:.2} s)",
            reference.as_secs_f64()
        ),
        "-",
    );
    figures.record(
        "demo, nation: × the plain insert loop",
        demo_rate / reference_rate,
        "×",
        Target::AtLeast(0.85),
    );
    figures.record(
        "demo, nation: score rows/s",
        demo_rate,
        "rows/s",
        Target::None,
    );
    line(
        "old reference: facilities, assessments, scores only, foreign keys off",
        format!(
            "{old_rate:.0} score rows/s ({:.2} s; demo {:.2}× it)",
            old_reference.as_secs_f64(),
            demo_rate / old_rate
        ),
        "-",
    );
    figures.record(
        "reference insert loop (demo): score rows/s",
        reference_rate,
        "rows/s",
        Target::None,
    );
    figures.record(
        "demo, nation: × the old loop (3 tables, fk off)",
        demo_rate / old_rate,
        "×",
        Target::None,
    );
    if let Some(parts) = only_parts() {
        if parts.iter().any(|p| p == "import") {
            import_figures(figures, d, &db, rows, runs);
        }
        if parts.iter().any(|p| p == "verify") {
            verify_figures(figures, &db);
        }
        return;
    }
    let (region_db, t, _) = national(d, "region.db", &region);
    line("demo, region (30 × 10)", format!("{:.1} ms", ms(t)), "-");

    // one score through the CLI, the whole process, on the region database
    let mut n = 0;
    let cli = time(21, || {
        n += 1;
        run(Command::new(bin()).args([
            "--db",
            region_db.to_str().unwrap(),
            "--user",
            "bench",
            "score",
            "set",
            "-f",
            "Bostedet Solhøj",
            "-i",
            "2b",
            "-v",
            &(n % 5 + 1).to_string(),
            "-r",
            "bench",
        ]));
    });
    line(
        "score set (CLI, whole process)",
        format!("{:.2} ms", ms(cli)),
        "≤ 10 ms",
    );
    figures.record(
        "score set, CLI, whole process",
        ms(cli),
        "ms",
        Target::AtMost(10.0),
    );
    // one score in-process, with its audit row committed
    let mut store = Store::open(&region_db, &stamp()).unwrap();
    let a = store
        .assessments(None)
        .unwrap()
        .into_iter()
        .find(|a| a.status == tilsynsklar::assessment::Status::Draft)
        .unwrap();
    let model = store.model_by_hash(&a.model_hash).unwrap();
    let ids: Vec<String> = model.indicators().map(|r| r.indicator.id.clone()).collect();
    let mut n = 0;
    let one = time(201, || {
        n += 1;
        let input = ScoreInput {
            indicator_id: ids[n % ids.len()].clone(),
            value: ScoreValue::Scored((n % 5 + 1) as u8),
            reasoning: Some(format!("bench {n}")),
            sources: None,
        };
        store.set_score(a.id, &input, &stamp()).unwrap();
    });
    drop(store);
    line(
        "score set (in-process, committed with its audit row)",
        format!("{:.3} ms", ms(one)),
        "≤ 1 ms",
    );
    figures.record(
        "score set, in-process, with its audit row",
        ms(one),
        "ms",
        Target::AtMost(1.0),
    );

    tui_figures(&db, runs, figures);

    let last_year = (nation.from_year + nation.years as i32 - 1).to_string();
    read_figures(figures, d, &db, runs, &last_year, None);

    // the import was dropped from the whole run when the read figures became one function
    // (2026-12-01 afternoon); it runs after them, as before the XLSX
    import_figures(figures, d, &db, rows, runs);

    verify_figures(figures, &db);
}

/// The import of the nation's bundle into an empty database: its ratio to the insert loop
/// (the median of `runs` imports) and its peak memory.
fn import_figures(figures: &mut Figures, d: &Path, db: &Path, rows: usize, runs: usize) {
    // import of the national data as bundles into an empty database
    let bundle = d.join("nation.json");
    run(Command::new(bin()).args([
        "--db",
        db.to_str().unwrap(),
        "export",
        "--force",
        "--format",
        "json",
        "--all",
        "-o",
        bundle.to_str().unwrap(),
    ]));
    let mut i = 0;
    let import = time(runs, || {
        i += 1;
        let target = d.join(format!("import{i}.db"));
        run(Command::new(bin()).args([
            "--db",
            target.to_str().unwrap(),
            "import",
            bundle.to_str().unwrap(),
        ]));
    });
    let import_rate = rows as f64 / import.as_secs_f64();
    // the reference: every row the import left, inserted by the plain loop
    let loaded = loaded_rows(d, &d.join("import1.db"));
    assert_eq!(
        loaded.scores(),
        rows,
        "the import's reference inserts the same scores"
    );
    let reference = median(
        (0..runs)
            .map(|_| insert_loop_reference(d, &loaded, false))
            .collect(),
    );
    let all_rows = loaded.rows();
    drop(loaded);
    for i in 1..=i {
        for ext in ["db", "db-wal", "db-shm"] {
            let _ = std::fs::remove_file(d.join(format!("import{i}.{ext}")));
        }
    }
    let reference_rate = rows as f64 / reference.as_secs_f64();
    line(
        "reference: plain insert loop of every row the import wrote",
        format!(
            "{reference_rate:.0} score rows/s ({all_rows} rows in all, {:.2} s)",
            reference.as_secs_f64()
        ),
        "-",
    );
    figures.record(
        "reference insert loop (import): score rows/s",
        reference_rate,
        "rows/s",
        Target::None,
    );
    line(
        "import, nation as a bundle into an empty database",
        format!(
            "{import_rate:.0} scores/s ({:.2} s; {:.2}× the insert loop)",
            import.as_secs_f64(),
            import_rate / reference_rate
        ),
        "≥ 0.65× a plain insert loop",
    );
    figures.record(
        "import, nation: × the plain insert loop",
        import_rate / reference_rate,
        "×",
        Target::AtLeast(0.65),
    );
    figures.record(
        "import, nation: scores/s",
        import_rate,
        "scores/s",
        Target::None,
    );

    // the import's peak memory, once
    let target = d.join("import-peak.db");
    let (_, import_peak) = timed_with_peak(&[
        "--db",
        target.to_str().unwrap(),
        "import",
        bundle.to_str().unwrap(),
    ]);
    if let Some(mb) = import_peak {
        line(
            "import, nation: peak memory",
            format!("{mb:.1} MB"),
            "≤ 64 MB",
        );
        figures.record(
            "import, nation: peak memory",
            mb,
            "MB",
            Target::AtMost(64.0),
        );
    }
}

/// `verify` and `doctor` on the nation, whole process.
fn verify_figures(figures: &mut Figures, db: &Path) {
    // verify and doctor on the nation
    for cmd in ["verify", "doctor"] {
        let t = time(3, || {
            run(Command::new(bin()).args(["--db", db.to_str().unwrap(), cmd]));
        });
        line(
            &format!("{cmd}, nation (whole process)"),
            format!("{:.0} ms", ms(t)),
            "≤ 1 s",
        );
        figures.record(
            &format!("{cmd}, nation"),
            ms(t),
            "ms",
            Target::AtMost(1000.0),
        );
    }
}

/// The program's arguments for an export of `db` in `format` (`scope`: `--all` or
/// `--year N`) to `out`, overwriting it.
fn export_args(db: &Path, format: &str, scope: &[&str], out: &Path) -> Vec<String> {
    let mut args: Vec<String> = [
        "--db",
        db.to_str().unwrap(),
        "export",
        "--force",
        "--format",
        format,
    ]
    .map(String::from)
    .to_vec();
    args.extend(scope.iter().map(|s| s.to_string()));
    args.extend(["-o".to_string(), out.to_str().unwrap().to_string()]);
    args
}

/// An export as a whole process: the median of `runs` timings and, from one more run,
/// its peak memory. Each run writes `out` anew: the file an earlier run left is removed
/// first (not timed), so every run measures an export into a new file. (Replacing a file
/// of the nation's size costs ext4 another 0.3–0.4 s on this machine — the old file's
/// blocks freed and the new one's allocated in the rename — which no reference pays.)
fn whole_process(args: &[String], out: &Path, runs: usize) -> (Duration, Option<f64>) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let fresh = || {
        let _ = std::fs::remove_file(out);
    };
    if runs == 1 {
        fresh();
        return timed_with_peak(&args);
    }
    let timings = (0..runs)
        .map(|_| {
            fresh();
            let t = Instant::now();
            run(Command::new(bin())
                .args(&args)
                .stdout(std::process::Stdio::null()));
            t.elapsed()
        })
        .collect();
    fresh();
    (median(timings), timed_with_peak(&args).1)
}

/// The median of `runs` timings of the sqlite3 command-line tool on `db` (`None` where
/// sqlite3 is missing), its output discarded.
fn sqlite3(db: &Path, flags: &[&str], sql: &str, runs: usize) -> Option<Duration> {
    Command::new("sqlite3").arg("--version").output().ok()?;
    Some(time(runs, || {
        run(Command::new("sqlite3")
            .args(flags)
            .arg(db)
            .arg(sql)
            .stdout(std::process::Stdio::null()));
    }))
}

/// One figure: its line printed (the value, `detail` after it) and its value recorded
/// for the summary under `name`.
fn figure(figures: &mut Figures, name: &str, value: f64, unit: &str, target: Target, detail: &str) {
    line(
        name,
        format!("{} {unit}{detail}", num(value)),
        &target.text(unit),
    );
    figures.record(name, value, unit, target);
}

/// The read figures on the national database `db` (scratch files in `d`): `compare
/// --year` and the CSV export against sqlite3, the workbook of everything against the
/// CSV export, the HTML and Markdown reports of `last_year`. `parts`, where given, names
/// the ones to run (`compare`, `csv`, `xlsx`, `reports`; `xlsx` times the CSV export too).
fn read_figures(
    figures: &mut Figures,
    d: &Path,
    db: &Path,
    runs: usize,
    last_year: &str,
    parts: Option<&[String]>,
) {
    let wanted = |p: &str| parts.is_none_or(|parts| parts.iter().any(|q| q == p));
    if wanted("compare") {
        // compare --year across 3,000 facilities
        let args: Vec<String> = [
            "--db",
            db.to_str().unwrap(),
            "compare",
            "--year",
            "2024",
            "--json",
        ]
        .map(String::from)
        .to_vec();
        let cmp = time(runs, || {
            run(Command::new(bin()).args(&args));
        });
        // the equivalent aggregate: theme means per facility need the indicator → theme
        // map; the criterion level is approximated by grouping per facility and criterion
        // prefix
        let aggregate = "SELECT a.facility_id, substr(s.indicator_id, 1, length(s.indicator_id) - 1) AS criterion, avg(s.value) \
                         FROM assessments a JOIN scores s ON s.assessment_id = a.id WHERE a.year = 2024 AND s.not_relevant = 0 \
                         GROUP BY a.facility_id, criterion;";
        if let Some(reference) = sqlite3(db, &[], aggregate, runs) {
            let detail = format!(" ({:.1} ms, sqlite3 {:.1} ms)", ms(cmp), ms(reference));
            figure(
                figures,
                "compare --year: × sqlite3",
                cmp.as_secs_f64() / reference.as_secs_f64(),
                "×",
                Target::AtMost(0.8),
                &detail,
            );
        }
        figure(
            figures,
            "compare --year, 3,000 facilities",
            ms(cmp),
            "ms",
            Target::None,
            "",
        );
    }
    if wanted("csv") || wanted("xlsx") {
        // CSV export of every score row, against sqlite3's .mode csv of the same join
        let out = d.join("all.csv");
        let args = export_args(db, "csv", &["--all"], &out);
        let (csv, peak) = whole_process(&args, &out, runs);
        // the same over the file an earlier export left (`--force`): a secondary figure
        run(Command::new(bin()).args(&args));
        let over = time(runs, || {
            run(Command::new(bin()).args(&args));
        });
        let _ = std::fs::remove_file(&out);
        let join = "SELECT f.name, a.year, a.model_id, a.status, s.indicator_id, s.value, s.not_relevant, s.reasoning, s.sources, s.by, s.at \
                    FROM assessments a JOIN facilities f ON f.id = a.facility_id JOIN scores s ON s.assessment_id = a.id ORDER BY a.id;";
        if let Some(reference) = sqlite3(db, &["-csv"], join, runs) {
            let detail = format!(" ({:.0} ms, sqlite3 {:.0} ms)", ms(csv), ms(reference));
            figure(
                figures,
                "CSV export: × sqlite3",
                csv.as_secs_f64() / reference.as_secs_f64(),
                "×",
                Target::AtMost(0.65),
                &detail,
            );
            figure(
                figures,
                "CSV export over an existing file: × sqlite3",
                over.as_secs_f64() / reference.as_secs_f64(),
                "×",
                Target::None,
                &format!(" ({:.0} ms)", ms(over)),
            );
        }
        if let Some(mb) = peak {
            figure(
                figures,
                "CSV export: peak memory",
                mb,
                "MB",
                Target::AtMost(32.0),
                "",
            );
        }
        if wanted("xlsx") {
            // the workbook of everything (the slowest export: once unless
            // TILSYNSKLAR_BENCH_XLSX_RUNS says more), against the CSV export's time
            let xlsx_runs = std::env::var("TILSYNSKLAR_BENCH_XLSX_RUNS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(1);
            let out = d.join("all.xlsx");
            let (xlsx, peak) =
                whole_process(&export_args(db, "xlsx", &["--all"], &out), &out, xlsx_runs);
            let _ = std::fs::remove_file(&out);
            let detail = format!(
                " ({:.2} s, the CSV export {:.2} s)",
                xlsx.as_secs_f64(),
                csv.as_secs_f64()
            );
            figure(
                figures,
                "XLSX export, everything: × the CSV export",
                xlsx.as_secs_f64() / csv.as_secs_f64(),
                "×",
                Target::AtMost(10.0),
                &detail,
            );
            if let Some(mb) = peak {
                figure(
                    figures,
                    "XLSX export, everything: peak memory",
                    mb,
                    "MB",
                    Target::AtMost(64.0),
                    "",
                );
            }
        }
    }
    if wanted("reports") {
        // the HTML and Markdown reports of the last year, every facility, once each: the
        // same read model, two markups
        for (format, name) in [
            ("html", "HTML report, one year"),
            ("md", "Markdown report, one year"),
        ] {
            let out = d.join(format!("year.{format}"));
            let (t, peak) = whole_process(
                &export_args(db, format, &["--year", last_year], &out),
                &out,
                1,
            );
            let _ = std::fs::remove_file(&out);
            figure(
                figures,
                &format!("{name}: seconds"),
                t.as_secs_f64(),
                "s",
                Target::None,
                "",
            );
            if let Some(mb) = peak {
                figure(
                    figures,
                    &format!("{name}: peak memory"),
                    mb,
                    "MB",
                    Target::AtMost(64.0),
                    " (memory flat)",
                );
            }
        }
    }
}

/// The terminal program on the national database: the first frame, and a score saved →
/// its redrawn frame. `TILSYNSKLAR_BENCH_ONLY=tui` runs only these (on
/// `TILSYNSKLAR_BENCH_DB` where given, else on a freshly generated nation).
fn tui_figures(db: &Path, runs: usize, figures: &mut Figures) {
    // the terminal program's first frame on the national database
    let first = time(runs, || {
        let session = tui_session(db);
        let home = tilsynsklar::tui::data::load_home(&session).unwrap();
        let app = tilsynsklar::tui::app::App::new(
            tilsynsklar::i18n::Lang::Da,
            "bench".into(),
            2026,
            false,
            home,
        );
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        term.draw(|f| tilsynsklar::tui::view::view(f, &app))
            .unwrap();
    });
    line(
        "TUI first frame, nation (open → rendered home, TestBackend)",
        format!("{:.1} ms", ms(first)),
        "≤ 50 ms",
    );
    figures.record(
        "TUI first frame, nation",
        ms(first),
        "ms",
        Target::AtMost(50.0),
    );

    // the terminal program: a score typed on the national database → its redrawn frame
    {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        use tilsynsklar::tui::{app, effects, view};
        let mut session = tui_session(db);
        let draft = tilsynsklar::app::assessments::list(&session, None)
            .unwrap()
            .into_iter()
            .rfind(|a| a.status == tilsynsklar::assessment::Status::Draft)
            .expect("the nation holds drafts");
        let home = tilsynsklar::tui::data::load_home(&session).unwrap();
        let mut tui = app::App::new(
            tilsynsklar::i18n::Lang::Da,
            "bench".into(),
            2026,
            false,
            home,
        );
        effects::apply(&mut tui, &mut session, app::Effect::Open(draft.id));
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        term.draw(|f| view::view(f, &tui)).unwrap();
        let press = |tui: &mut app::App, session: &mut tilsynsklar::app::Session, c: char| {
            let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            if let Some(e) = app::update(tui, k) {
                effects::apply(tui, session, e);
            }
        };
        let mut n = 0;
        let mut times = Vec::new();
        for _ in 0..51 {
            n += 1;
            let digit = char::from(b'1' + (n % 5) as u8);
            let t = Instant::now();
            press(&mut tui, &mut session, digit);
            term.draw(|f| view::view(f, &tui)).unwrap();
            times.push(t.elapsed());
            // back to the same indicator (a score moves on), not timed
            press(&mut tui, &mut session, 'k');
        }
        assert!(
            tilsynsklar::app::view::assessment_view(&session, &draft)
                .unwrap()
                .scores
                .iter()
                .any(|s| s.by == "bench"),
            "the timed keys saved scores"
        );
        let save = median(times);
        line(
            "TUI: a score saved → frame redrawn, nation (TestBackend)",
            format!("{:.2} ms", ms(save)),
            "≤ 16 ms",
        );
        figures.record(
            "TUI save → redrawn frame, nation",
            ms(save),
            "ms",
            Target::AtMost(16.0),
        );
    }
}

/// A session on the benchmark's database, as the terminal program opens it.
fn tui_session(db: &Path) -> tilsynsklar::app::Session {
    tilsynsklar::app::Session::new(
        Store::open(db, &stamp()).unwrap(),
        tilsynsklar::i18n::Lang::Da,
        "bench".into(),
    )
}

/// The parts that run on one national database, without the demo's and the import's
/// figures: `TILSYNSKLAR_BENCH_ONLY=tui`, or any of `compare`, `csv`, `xlsx`, `reports`.
const ON_ONE_DATABASE: &[&str] = &["tui", "compare", "csv", "xlsx", "reports"];

/// The parts named, on `TILSYNSKLAR_BENCH_DB` or a nation generated for the run.
fn on_one_database(parts: &[String], figures: &mut Figures) {
    let dir = tempfile::tempdir().unwrap();
    let nation = DemoSpec {
        facilities: 3000,
        years: 10,
        from_year: 2016,
        seed: 1,
    };
    let db = match std::env::var_os("TILSYNSKLAR_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => national(dir.path(), "nation.db", &nation).0,
    };
    if parts.iter().any(|p| p == "tui") {
        tui_figures(&db, 5, figures);
    }
    let last_year = (nation.from_year + nation.years as i32 - 1).to_string();
    read_figures(figures, dir.path(), &db, 5, &last_year, Some(parts));
}
