//! Every face shows the same numbers: over generated databases (both model versions,
//! carried-over scores, not-relevant indicators, two assessments of one facility and year
//! after `import --keep-both`, actions with past due dates), the progress, means, gap counts
//! and action due dates and overdue flags that `assessment summary --json` gives are the
//! ones CSV, XLSX (read back), HTML, Markdown and `compare` show.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use clap::Parser;
use common::Env;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use tilsynsklar::assessment::{NewAction, ScoreInput, ScoreValue};
use tilsynsklar::cli::{Cli, run};
use tilsynsklar::i18n::{Lang, round1};
use tilsynsklar::store::{NewFacility, Stamp, Store};

/// A small deterministic generator (xorshift), so that a failing seed can be replayed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, per_cent: u64) -> bool {
        self.below(100) < per_cent
    }
}

fn stamp(minute: u32) -> Stamp {
    Stamp {
        by: "mette".into(),
        at: format!("2026-01-15T10:{:02}:00Z", minute % 60)
            .parse()
            .unwrap(),
    }
}

fn tk(db: &Path, args: &[&str]) {
    let mut argv = vec![
        "tilsynsklar",
        "--db",
        db.to_str().unwrap(),
        "--user",
        "mette",
    ];
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv).unwrap()).unwrap();
}

/// Random scores for an assessment: scored, not relevant, or left out; carried-over scores
/// are confirmed, changed or left as they are.
fn fill(store: &mut Store, g: &mut Gen, id: i64, complete: bool) {
    let a = store
        .assessment(&tilsynsklar::store::AssessmentRef::Id(id))
        .unwrap();
    let model = store.model_by_hash(&a.model_hash).unwrap();
    let saved = store.scores(id).unwrap();
    for (k, r) in model.indicators().enumerate() {
        let ind = r.indicator.id.clone();
        let old = saved.iter().find(|s| s.indicator_id == ind);
        if old.is_some_and(|s| s.carried_over) {
            match g.below(3) {
                0 if !complete => continue,
                1 => {
                    store.confirm_score(id, &ind, &stamp(k as u32)).unwrap();
                    continue;
                }
                _ => {}
            }
        } else if old.is_some() {
            continue;
        }
        let roll = g.below(100);
        if !complete && roll >= 75 {
            continue;
        }
        let value = if roll < 12 {
            ScoreValue::NotRelevant
        } else {
            ScoreValue::Scored(1 + g.below(5) as u8)
        };
        let input = ScoreInput {
            indicator_id: ind,
            value,
            reasoning: Some("begrundet".into()),
            sources: Some("kilde".into()),
        };
        store.set_score(id, &input, &stamp(k as u32)).unwrap();
    }
}

/// Actions on some of the indicators scored 1 or 2, with and without owner and due date.
fn actions(store: &mut Store, g: &mut Gen, id: i64) {
    let low: Vec<String> = store
        .scores(id)
        .unwrap()
        .into_iter()
        .filter(|s| matches!(s.value, ScoreValue::Scored(v) if v <= 2))
        .map(|s| s.indicator_id)
        .collect();
    for ind in low.iter().take(3) {
        let due = match g.below(3) {
            0 => None,
            1 => chrono::NaiveDate::from_ymd_opt(2020, 3, 1),
            _ => chrono::NaiveDate::from_ymd_opt(2099, 6, 30),
        };
        let new = NewAction {
            text: format!("Følg op på {ind}"),
            indicators: vec![ind.clone()],
            owner: if g.chance(50) {
                "Mette".into()
            } else {
                String::new()
            },
            due,
            ..Default::default()
        };
        store.add_action(id, &new, &stamp(40)).unwrap();
    }
}

fn facility(store: &mut Store, name: &str) -> tilsynsklar::store::Facility {
    store.find_facility(name).unwrap_or_else(|_| {
        store
            .add_facility(
                &NewFacility {
                    name: name.into(),
                    organisation: "Region Prøve".into(),
                    tags: vec!["board".into()],
                    ..Default::default()
                },
                &stamp(1),
            )
            .unwrap()
    })
}

/// A database: Ager 2016 (2014 model) and 2018 from last year (across the model change),
/// Birk 2024 and 2025 from last year, Cedertræ 2025 (finalised on odd seeds), and a second
/// Cedertræ 2025 brought in with `import --keep-both`.
fn generate(dir: &Path, db: &Path, seed: u64) {
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let side = dir.join("side.db");
    for (path, main) in [(db, true), (side.as_path(), false)] {
        let mut store = Store::open(path, &stamp(0)).unwrap();
        let plan: &[(&str, i32, bool)] = if main {
            &[
                ("Ager", 2016, false),
                ("Ager", 2018, true),
                ("Birk", 2024, false),
                ("Birk", 2025, true),
                ("Cedertræ", 2025, false),
            ]
        } else {
            &[("Cedertræ", 2025, false)]
        };
        for (name, year, from_last_year) in plan {
            let f = facility(&mut store, name);
            let model = store.model_for_year(*year).unwrap();
            let a = store
                .start_assessment(&f, *year, &model, *from_last_year, &stamp(2))
                .unwrap();
            let finalise = main && *name == "Cedertræ" && seed % 2 == 1;
            fill(&mut store, &mut g, a.id, finalise);
            actions(&mut store, &mut g, a.id);
            if finalise {
                store.finalise(a.id, "Leder", &stamp(50)).unwrap();
            }
        }
    }
    let bundle = dir.join("side.json");
    tk(
        &side,
        &[
            "export",
            "--format",
            "json",
            "--all",
            "-o",
            bundle.to_str().unwrap(),
        ],
    );
    tk(db, &["import", "--keep-both", bundle.to_str().unwrap()]);
}

/// What `assessment summary --json` says of one assessment.
struct Truth {
    id: i64,
    facility: String,
    year: i32,
    model: String,
    done: u64,
    total: u64,
    carried: u64,
    themes: Vec<Option<f64>>,
    overall: Option<f64>,
    gaps: usize,
    /// Theme ids with a theme-level gap (shown mean under the limit).
    theme_gaps: BTreeSet<String>,
    /// Action number → (due date, overdue).
    actions: BTreeMap<i64, (Option<String>, bool)>,
    /// Overdue actions that name an indicator with a gap (the reports list those).
    overdue_on_gaps: usize,
}

fn truth(env: &Env, id: i64) -> Truth {
    let v: Value =
        serde_json::from_str(&env.ok(&["assessment", "summary", "-a", &id.to_string(), "--json"]))
            .unwrap();
    let s = &v["summary"];
    let gaps = v["gaps"].as_array().unwrap();
    let gap_indicators: BTreeSet<&str> = gaps
        .iter()
        .filter(|f| f["level"] == "indicator")
        .map(|f| f["node_id"].as_str().unwrap())
        .collect();
    let acts = v["actions"].as_array().unwrap();
    Truth {
        id,
        facility: v["assessment"]["facility"].as_str().unwrap().into(),
        year: v["assessment"]["year"].as_i64().unwrap() as i32,
        model: v["assessment"]["model_id"].as_str().unwrap().into(),
        done: s["done"].as_u64().unwrap(),
        total: s["total"].as_u64().unwrap(),
        carried: s["not_reassessed"].as_array().unwrap().len() as u64,
        themes: s["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["mean"].as_f64())
            .collect(),
        overall: s["overall_mean"].as_f64(),
        gaps: gaps.len(),
        theme_gaps: gaps
            .iter()
            .filter(|f| f["level"] == "theme" && f["kind"] == "gap")
            .map(|f| f["node_id"].as_str().unwrap().to_string())
            .collect(),
        actions: acts
            .iter()
            .map(|a| {
                (
                    a["id"].as_i64().unwrap(),
                    (
                        a["due"].as_str().map(String::from),
                        a["overdue"].as_bool().unwrap(),
                    ),
                )
            })
            .collect(),
        overdue_on_gaps: acts
            .iter()
            .filter(|a| a["overdue"] == true)
            .map(|a| {
                a["indicators"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| gap_indicators.contains(i.as_str().unwrap()))
                    .count()
            })
            .sum(),
    }
}

fn shown(v: Option<f64>) -> String {
    Lang::Da.mean(v)
}

fn check_csv(path: &Path, truths: &[Truth]) {
    let mut rows = csv::Reader::from_path(path).unwrap();
    let mut by_id: HashMap<i64, (u64, u64, u64)> = HashMap::new();
    for r in rows.records() {
        let r = r.unwrap();
        let e = by_id.entry(r[0].parse().unwrap()).or_default();
        e.0 += 1;
        if &r[12] == "1" {
            e.2 += 1;
        } else if !r[10].is_empty() || &r[11] == "1" {
            e.1 += 1;
        }
    }
    for t in truths {
        assert_eq!(
            by_id.get(&t.id),
            Some(&(t.total, t.done, t.carried)),
            "CSV of assessment {}",
            t.id
        );
    }
}

fn check_xlsx(path: &Path, truths: &[Truth]) {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let num = |d: Option<&Data>| match d {
        Some(Data::Float(f)) => Some(*f),
        _ => None,
    };
    let mut seen = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        if name.starts_with("Oversigt") {
            for r in 1..range.height() as u32 {
                let id = num(range.get_value((r, 0))).unwrap() as i64;
                let t = truths.iter().find(|t| t.id == id).unwrap();
                let cell = |c: u32| num(range.get_value((r, c)));
                assert_eq!(
                    (cell(6), cell(7), cell(8)),
                    (
                        Some(t.done as f64),
                        Some(t.total as f64),
                        Some(t.carried as f64)
                    ),
                    "XLSX progress of {id}"
                );
                let means: Vec<Option<f64>> = t.themes.iter().copied().chain([t.overall]).collect();
                for (k, m) in means.iter().enumerate() {
                    assert_eq!(cell(9 + k as u32), m.map(round1), "XLSX mean {k} of {id}");
                }
                seen += 1;
            }
        } else if name == "Huller og udviklingspunkter" {
            for t in truths {
                let n = (1..range.height() as u32)
                    .filter(|r| num(range.get_value((*r, 0))) == Some(t.id as f64))
                    .count();
                assert_eq!(n, t.gaps, "XLSX gaps of {}", t.id);
            }
        } else if name == "Udviklingspunkter" {
            let mut found = BTreeMap::new();
            for r in 1..range.height() as u32 {
                let id = num(range.get_value((r, 0))).unwrap() as i64;
                let due = match range.get_value((r, 9)) {
                    Some(Data::String(s)) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                };
                let overdue = range.get_value((r, 10)) == Some(&Data::String("ja".into()));
                found
                    .entry(id)
                    .or_insert_with(BTreeMap::new)
                    .insert(num(range.get_value((r, 3))).unwrap() as i64, (due, overdue));
            }
            for t in truths {
                assert_eq!(
                    found.get(&t.id).cloned().unwrap_or_default(),
                    t.actions,
                    "XLSX actions of {}",
                    t.id
                );
            }
        }
    }
    assert_eq!(seen, truths.len(), "every assessment on a summary sheet");
}

fn check_report(db: &Path, dir: &Path, t: &Truth) {
    let id = t.id.to_string();
    let html_path = dir.join(format!("{id}.html"));
    let md_path = dir.join(format!("{id}.md"));
    tk(
        db,
        &[
            "export",
            "--format",
            "html",
            "-a",
            &id,
            "-o",
            html_path.to_str().unwrap(),
        ],
    );
    tk(
        db,
        &[
            "export",
            "--format",
            "md",
            "-a",
            &id,
            "-o",
            md_path.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(html_path).unwrap();
    let md = std::fs::read_to_string(md_path).unwrap();
    let progress = format!("fremdrift: {} af {}", t.done, t.total);
    for (face, text) in [("HTML", &html), ("Markdown", &md)] {
        assert!(text.contains(&progress), "{face} of {id}: {progress}");
        assert_eq!(
            text.contains(&format!("↻ {} overført", t.carried)),
            t.carried > 0,
            "{face} of {id}: carried over"
        );
        assert_eq!(
            text.matches("overskredet").count(),
            t.overdue_on_gaps,
            "{face} of {id}: overdue actions"
        );
        assert!(
            text.contains(&format!(
                "Samlet gennemsnit af temaerne: {}",
                shown(t.overall)
            )),
            "{face} of {id}: overall"
        );
    }
    let heading = regex::Regex::new(
        r"<h2>Tema \d+ [^<]*<span class=.small.>· gennemsnit ([^<]+)</span></h2>",
    )
    .unwrap();
    let html_means: Vec<String> = heading
        .captures_iter(&html)
        .map(|c| c[1].to_string())
        .collect();
    let md_heading = regex::Regex::new(r"(?m)^## Tema \d+ .*: gennemsnit (\S+)$").unwrap();
    let md_means: Vec<String> = md_heading
        .captures_iter(&md)
        .map(|c| c[1].to_string())
        .collect();
    let want: Vec<String> = t.themes.iter().map(|m| shown(*m)).collect();
    assert_eq!(html_means, want, "HTML theme means of {id}");
    assert_eq!(md_means, want, "Markdown theme means of {id}");
    let html_gaps = html.matches("<li><span class=\"gap\">").count()
        + html.matches("<li><span class=\"watch\">").count();
    assert_eq!(html_gaps, t.gaps, "HTML gaps of {id}");
    let md_gap = regex::Regex::new(r"(?m)^- \*\*\S+ \(\S+, [^)]+\)\*\*").unwrap();
    assert_eq!(
        md_gap.find_iter(&md).count(),
        t.gaps,
        "Markdown gaps of {id}"
    );
}

/// The rule every face applies: the finalised one, else the newest.
fn chosen(truths: &[Truth], statuses: &HashMap<i64, String>) -> BTreeMap<(String, i32), i64> {
    let mut out: BTreeMap<(String, i32), i64> = BTreeMap::new();
    for t in truths {
        let key = (t.facility.clone(), t.year);
        let better = |a: i64, b: i64| {
            let fin = |x: i64| statuses[&x] == "finalised";
            (fin(a), a) > (fin(b), b)
        };
        match out.get(&key) {
            Some(&old) if !better(t.id, old) => {}
            _ => {
                out.insert(key, t.id);
            }
        }
    }
    out
}

fn check_compare(env: &Env, truths: &[Truth], statuses: &HashMap<i64, String>) {
    let chosen = chosen(truths, statuses);
    let by_id: HashMap<i64, &Truth> = truths.iter().map(|t| (t.id, t)).collect();
    let years: BTreeSet<i32> = truths.iter().map(|t| t.year).collect();
    for y in &years {
        let v: Value =
            serde_json::from_str(&env.ok(&["compare", "--year", &y.to_string(), "--json"]))
                .unwrap();
        let rows = v["rows"].as_array().unwrap();
        let want: Vec<i64> = chosen
            .iter()
            .filter(|((_, year), _)| year == y)
            .map(|(_, id)| *id)
            .collect();
        let mut got: Vec<i64> = rows
            .iter()
            .map(|r| r["assessment_id"].as_i64().unwrap())
            .collect();
        got.sort();
        assert_eq!(
            got, want,
            "compare --year {y}: each facility once, by the rule"
        );
        for r in rows {
            let t = by_id[&r["assessment_id"].as_i64().unwrap()];
            if t.model != "socialtilsyn-2017" {
                continue;
            }
            let means: Vec<Option<f64>> = r["theme_means"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::as_f64)
                .collect();
            assert_eq!(means, t.themes, "compare --year {y}: means of {}", t.id);
            for (k, s) in v["stats"].as_array().unwrap().iter().enumerate() {
                let below = s["below"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|n| n == t.facility.as_str());
                let theme = s["theme_id"].as_str().unwrap();
                assert_eq!(
                    below,
                    t.theme_gaps.contains(theme),
                    "compare --year {y}: below in theme {k} for {}",
                    t.id
                );
            }
        }
        for (k, s) in v["stats"].as_array().unwrap().iter().enumerate() {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| r["theme_means"][k].as_f64())
                .collect();
            let mean =
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
            let got = s["mean"].as_f64();
            assert!(
                match (got, mean) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                    (a, b) => a == b,
                },
                "compare --year {y}: the region's mean of theme {k} counts each facility once"
            );
        }
    }
    let trend: Value = serde_json::from_str(&env.ok(&["compare", "--trend", "--json"])).unwrap();
    for (k, y) in trend["years"].as_array().unwrap().iter().enumerate() {
        let y = y.as_i64().unwrap() as i32;
        let n = chosen.keys().filter(|(_, year)| *year == y).count();
        assert_eq!(trend["counts"][k].as_u64(), Some(n as u64), "trend {y}");
    }
    for name in ["Ager", "Birk", "Cedertræ"] {
        let h: Value =
            serde_json::from_str(&env.ok(&["compare", "--facility", name, "--json"])).unwrap();
        let ys: Vec<i32> = h["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y.as_i64().unwrap() as i32)
            .collect();
        let want: Vec<i32> = chosen
            .keys()
            .filter(|(f, _)| f == name)
            .map(|(_, y)| *y)
            .collect();
        assert_eq!(ys, want, "compare --facility {name}: each year once");
        let theme_rows: Vec<&Value> = h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["level"] == "theme")
            .collect();
        for (w, y) in ys.iter().enumerate() {
            let t = by_id[&chosen[&(name.to_string(), *y)]];
            if t.model != "socialtilsyn-2017" {
                continue;
            }
            for (k, r) in theme_rows.iter().enumerate() {
                let cell = &r["cells"][w];
                let got = (cell["kind"] == "value").then(|| cell["value"].as_f64().unwrap());
                assert_eq!(got, t.themes[k], "compare --facility {name} {y}: theme {k}");
            }
        }
    }
}

#[test]
fn every_face_shows_the_same_numbers() {
    // what the generated databases held, so that a generator gone dull fails the test
    let (mut overdue, mut with_progress, mut finalised_twins) = (0, 0, 0);
    for seed in 1..=4u64 {
        let env = Env::new();
        generate(env.dir.path(), &env.db, seed);
        let db = env.db.clone();
        let list: Value = serde_json::from_str(&env.ok(&["assessment", "list", "--json"])).unwrap();
        let statuses: HashMap<i64, String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["id"].as_i64().unwrap(),
                    a["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            statuses.len(),
            6,
            "seed {seed}: five assessments and one kept beside"
        );
        let mut ids: Vec<i64> = statuses.keys().copied().collect();
        ids.sort();
        let truths: Vec<Truth> = ids.iter().map(|id| truth(&env, *id)).collect();
        for t in &truths {
            let a = list
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == t.id)
                .unwrap();
            assert_eq!(
                a["done"].as_u64(),
                Some(t.done),
                "list --json progress of {}",
                t.id
            );
        }
        assert!(
            truths.iter().any(|t| t.carried > 0),
            "seed {seed}: the roll-forward leaves carried-over scores"
        );
        let csv = env.dir.path().join("all.csv");
        tk(
            &db,
            &[
                "export",
                "--format",
                "csv",
                "--all",
                "-o",
                csv.to_str().unwrap(),
            ],
        );
        check_csv(&csv, &truths);
        let xlsx = env.dir.path().join("all.xlsx");
        tk(
            &db,
            &[
                "export",
                "--format",
                "xlsx",
                "--all",
                "-o",
                xlsx.to_str().unwrap(),
            ],
        );
        check_xlsx(&xlsx, &truths);
        for t in &truths {
            check_report(&db, env.dir.path(), t);
        }
        check_compare(&env, &truths, &statuses);
        overdue += truths.iter().map(|t| t.overdue_on_gaps).sum::<usize>();
        with_progress += truths.iter().filter(|t| t.done > 0).count();
        finalised_twins += statuses.values().filter(|s| *s == "finalised").count();
    }
    assert!(overdue > 0, "some overdue actions on gaps were shown");
    assert!(with_progress > 0);
    assert!(
        finalised_twins >= 2,
        "a finalised assessment beside a draft of its year"
    );
}
