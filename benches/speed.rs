//! The speed figures of the benchmark issue, measured the same way every time: the
//! median of at least five runs, and where there is a reference (the sqlite3 command-line
//! tool on the same file), the ratio to it measured in the same run. Run by
//! `bench/run.sh`, which builds the release binary first. CI compiles this, never times it.

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

fn line(name: &str, value: String, target: &str) {
    println!("{name:<58} {value:>26}   target: {target}");
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
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let has_sqlite3 = Command::new("sqlite3").arg("--version").output().is_ok();
    let runs = 5;
    println!(
        "tilsynsklar benchmark · {} · {} cores · median of {runs} runs",
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
    let nation = DemoSpec {
        facilities: 3000,
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
    line(
        "demo, nation (3,000 × 10): score rows per second",
        format!(
            "{:.0} ({rows} rows, {:.2} s)",
            rows as f64 / t.as_secs_f64(),
            t.as_secs_f64()
        ),
        "≥ 500,000",
    );
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

    // the terminal program's first frame on the national database
    let first = time(runs, || {
        let store = Store::open(&db, &stamp()).unwrap();
        let home = tilsynsklar::tui::data::load_home(&store).unwrap();
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

    // compare --year across 3,000 facilities
    let cmp = time(runs, || {
        run(Command::new(bin()).args([
            "--db",
            db.to_str().unwrap(),
            "compare",
            "--year",
            "2024",
            "--json",
        ]));
    });
    // the equivalent aggregate: theme means per facility need the indicator → theme map; the
    // criterion level is approximated by grouping per facility and criterion prefix
    let aggregate = "SELECT a.facility_id, substr(s.indicator_id, 1, length(s.indicator_id) - 1) AS criterion, avg(s.value) \
                     FROM assessments a JOIN scores s ON s.assessment_id = a.id WHERE a.year = 2024 AND s.not_relevant = 0 \
                     GROUP BY a.facility_id, criterion;";
    if has_sqlite3 {
        let reference = time(runs, || {
            run(Command::new("sqlite3").arg(&db).arg(aggregate));
        });
        line(
            "compare --year, 3,000 facilities (whole process)",
            format!(
                "{:.1} ms ({:.2}× sqlite3)",
                ms(cmp),
                cmp.as_secs_f64() / reference.as_secs_f64()
            ),
            "≤ 100 ms, ≤ 1× sqlite3",
        );
    } else {
        line(
            "compare --year, 3,000 facilities (whole process)",
            format!("{:.1} ms", ms(cmp)),
            "≤ 100 ms",
        );
    }

    // CSV export of every score row, against sqlite3's .mode csv of the same join
    let out = d.join("all.csv");
    let csv = time(runs, || {
        run(Command::new(bin()).args([
            "--db",
            db.to_str().unwrap(),
            "export",
            "--format",
            "csv",
            "--all",
            "-o",
            out.to_str().unwrap(),
        ]));
    });
    let join = "SELECT f.name, a.year, a.model_id, a.status, s.indicator_id, s.value, s.not_relevant, s.reasoning, s.sources, s.by, s.at \
                FROM assessments a JOIN facilities f ON f.id = a.facility_id JOIN scores s ON s.assessment_id = a.id ORDER BY a.id;";
    let peak = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "export",
            "--format",
            "csv",
            "--all",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .trim()
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok())
        });
    let peak = peak.map_or("peak memory not measured".to_string(), |kb| {
        format!("peak {:.1} MB", kb / 1024.0)
    });
    if has_sqlite3 {
        let reference = time(runs, || {
            run(Command::new("sqlite3")
                .args(["-csv", db.to_str().unwrap(), join])
                .stdout(std::process::Stdio::null()));
        });
        line(
            "CSV export, every score row (whole process)",
            format!(
                "{:.0} ms ({:.2}× sqlite3) {peak}",
                ms(csv),
                csv.as_secs_f64() / reference.as_secs_f64()
            ),
            "≤ 0.75× sqlite3, ≤ 32 MB",
        );
    } else {
        line(
            "CSV export, every score row (whole process)",
            format!("{:.0} ms, {peak}", ms(csv)),
            "≤ 32 MB",
        );
    }

    // import of the national data as bundles into an empty database
    let bundle = d.join("nation.json");
    run(Command::new(bin()).args([
        "--db",
        db.to_str().unwrap(),
        "export",
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
    line(
        "import, nation as a bundle into an empty database",
        format!(
            "{:.0} scores/s ({:.2} s)",
            rows as f64 / import.as_secs_f64(),
            import.as_secs_f64()
        ),
        "≥ 300,000 scores/s",
    );
}
