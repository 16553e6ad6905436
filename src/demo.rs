//! Demo data: a deterministic, realistic region or nation of facilities over the years.
//! Scores drift year by year (some facilities improve, some decline), facility types
//! decide which indicators apply, reasoning reads like a Danish self-evaluation, gaps get
//! improvement actions, and years before 2017 use the 2014 model.

use crate::assessment::{Scale, ScoreWrite, check_write};
use crate::error::{Error, Result};
use crate::integrity::SignedRecord;
use crate::model::QualityModel;
use crate::store::backend::{Backend, BulkLoad};
use crate::store::{NewFacility, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use words::{ACTIONS, KINDS, PLACES, REASONING, REGIONS, SOURCES, TOWNS, TYPES};

mod words;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub facilities: usize,
    pub years: usize,
    pub from_year: i32,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoReport {
    pub facilities: usize,
    pub assessments: usize,
    pub scores: usize,
    pub actions: usize,
}

/// An improvement action to write after its assessment's scores: (indicator, text, due, status, drop reason).
type PendingAction<'a> = (
    &'a str,
    &'static str,
    Option<chrono::NaiveDate>,
    &'static str,
    Option<&'static str>,
);

/// A score row as the loader takes it: (indicator, value or `None` for not relevant,
/// reasoning, sources).
type Row<'a> = (&'a str, Option<u8>, &'static str, &'static str);

/// What the generating thread hands the writing one, in the order it is to be written:
/// a facility (with the time it was made) and its assessments, together, so that the two
/// threads meet once per facility rather than once per assessment.
struct Work<'a> {
    facility: NewFacility,
    created: String,
    assessments: Vec<Generated<'a>>,
}

/// One generated assessment, with everything the writer needs: its rows, its actions
/// and, where it is finalised, its sign-off (time and hash, computed from the rows).
struct Generated<'a> {
    year: i32,
    model_id: &'a str,
    hash: &'a str,
    at: String,
    rows: Vec<Row<'a>>,
    actions: Vec<PendingAction<'a>>,
    signoff: Option<(String, String)>,
}

/// How many generated facilities may wait for the writer.
const QUEUE: usize = 8;

/// A model's indicators with their applicability.
type Indicators = Vec<(String, Vec<String>, Vec<String>)>;

/// What the generating thread needs of a model version.
struct Version {
    id: String,
    hash: String,
    indicators: Indicators,
    scale: Scale,
}

impl Version {
    fn of(m: &QualityModel) -> Self {
        Version {
            id: m.id.clone(),
            hash: m.content_hash(),
            indicators: m
                .indicators()
                .map(|r| {
                    (
                        r.indicator.id.clone(),
                        r.indicator.applies_only_to.clone(),
                        r.indicator.not_for.clone(),
                    )
                })
                .collect(),
            scale: Scale::of(m),
        }
    }
}

/// Generates the data into the store in one transaction. `now` stamps the rows. The rows
/// are generated (and finalised assessments' sign-offs hashed) on a second thread while
/// this one writes them, so the writing thread does only SQLite's work.
pub fn generate(store: &mut dyn Backend, spec: &DemoSpec, by: &str) -> Result<DemoReport> {
    let v2014 = Version::of(&*store.active_model("socialtilsyn-2014")?);
    let v2017 = Version::of(&*store.active_model("socialtilsyn-2017")?);
    // the rules every write of a score keeps, read once
    let policy = store.write_policy()?;
    let mut report = DemoReport::default();
    let mut bulk = store.bulk()?;
    let (v2014, v2017) = (&v2014, &v2017);
    std::thread::scope(|scope| {
        let (out, work) = std::sync::mpsc::sync_channel::<Result<Work<'_>>>(QUEUE);
        scope.spawn(move || {
            let send = |w| out.send(Ok(w)).is_ok();
            if let Err(e) = produce(spec, by, [v2014, v2017], policy, &send) {
                let _ = out.send(Err(e));
            }
        });
        // an error drops the receiver, which stops the generating thread
        for w in work {
            let w = w?;
            let fid = bulk.facility(&w.facility, &w.created)?;
            report.facilities += 1;
            for g in &w.assessments {
                write(&mut *bulk, fid, g, by, &mut report)?;
            }
        }
        Ok::<_, Error>(())
    })?;
    bulk.commit()?;
    Ok(report)
}

/// Writes one generated assessment.
fn write(
    bulk: &mut dyn BulkLoad,
    fid: i64,
    g: &Generated<'_>,
    by: &str,
    report: &mut DemoReport,
) -> Result<()> {
    let signed = g
        .signoff
        .as_ref()
        .map(|(at, hash)| (at.as_str(), hash.as_str()));
    let aid = bulk.assessment(fid, g.year, g.model_id, g.hash, by, &g.at, signed)?;
    bulk.audit("assessment.start", fid, Some(aid), None, by, &g.at)?;
    report.assessments += 1;
    bulk.scores(aid, &g.rows, by, &g.at)?;
    report.scores += g.rows.len();
    for (id, text, due, status, reason) in &g.actions {
        bulk.action(
            aid,
            id,
            text,
            "Afdelingsleder",
            *due,
            status,
            *reason,
            by,
            &g.at,
        )?;
        report.actions += 1;
    }
    if let Some((done, _)) = signed {
        bulk.audit(
            "assessment.finalise",
            fid,
            Some(aid),
            Some("{\"status\":\"finalised\",\"by\":\"Forstander\"}"),
            by,
            done,
        )?;
    }
    Ok(())
}

/// Generates every facility and assessment in order and hands each to `send` (false:
/// the writer is gone, and generating stops).
fn produce<'a>(
    spec: &DemoSpec,
    by: &str,
    [v2014, v2017]: [&'a Version; 2],
    policy: crate::assessment::PersonalDataPolicy,
    send: &dyn Fn(Work<'a>) -> bool,
) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let last_year = spec.from_year + spec.years as i32 - 1;
    for n in 0..spec.facilities {
        let kind = KINDS[n % KINDS.len()];
        let place = PLACES[(n / KINDS.len()) % PLACES.len()];
        let round = n / (KINDS.len() * PLACES.len());
        let name = if round == 0 {
            format!("{kind} {place}")
        } else {
            format!("{kind} {place} {}", round + 1)
        };
        let (facility_type, target_group, type_tags) = TYPES[rng.random_range(0..TYPES.len())];
        let mut tags: Vec<String> = type_tags.iter().map(|t| t.to_string()).collect();
        if rng.random_bool(0.3) {
            tags.push("board".into());
        }
        let facility = NewFacility {
            name,
            organisation: REGIONS[rng.random_range(0..REGIONS.len())].into(),
            location: TOWNS[rng.random_range(0..TOWNS.len())].into(),
            facility_type: facility_type.into(),
            target_group: target_group.into(),
            tags: tags.clone(),
        };
        let created = format!("{}-01-10T09:00:00.000Z", spec.from_year);
        let mut assessments = Vec::with_capacity(spec.years);
        // a facility's level, its drift per year, and its strengths and weaknesses per indicator
        let base: f64 = 2.4 + rng.random::<f64>() * 2.0;
        let drift: f64 = rng.random_range(-0.15..0.2);
        let offsets: Vec<f64> = (0..40).map(|_| rng.random_range(-0.9..0.9)).collect();
        for (k, year) in (spec.from_year..=last_year).enumerate() {
            let version = if year < 2017 { v2014 } else { v2017 };
            let (list, scale) = (&version.indicators, version.scale);
            let at = format!("{year}-03-01T10:00:00.000Z");
            let mut rows: Vec<Row<'a>> = Vec::with_capacity(list.len());
            // improvement actions for gaps: (indicator, text, due, status, drop reason)
            let mut actions: Vec<PendingAction<'a>> = Vec::new();
            for (i, (id, only, not_for)) in list.iter().enumerate() {
                let inapplicable = (!only.is_empty() && !only.iter().any(|t| tags.contains(t)))
                    || not_for.iter().any(|t| tags.contains(t));
                if inapplicable {
                    rows.push((id, None, "Gælder ikke for tilbuddet (tilbudstypen).", ""));
                } else if rng.random_bool(0.03) {
                    rows.push((id, None, "Ikke relevant for målgruppen i år.", ""));
                } else {
                    let noise: f64 = rng.random_range(-0.6..0.6);
                    let v = (base + drift * k as f64 + offsets[i % offsets.len()] + noise)
                        .round()
                        .clamp(f64::from(scale.min), f64::from(scale.max))
                        as u8;
                    let texts = REASONING[usize::from(v - scale.min).min(REASONING.len() - 1)];
                    let reasoning = texts[rng.random_range(0..texts.len())];
                    let sources = SOURCES[rng.random_range(0..SOURCES.len())];
                    rows.push((id, Some(v), reasoning, sources));
                    if v <= 2 && rng.random_bool(0.5) {
                        let due = chrono::NaiveDate::from_ymd_opt(year + 1, 3, 31);
                        let (status, reason) = if year < last_year {
                            if rng.random_bool(0.8) {
                                ("done", None)
                            } else {
                                ("dropped", Some("Erstattet af en anden indsats"))
                            }
                        } else if rng.random_bool(0.5) {
                            ("in_progress", None)
                        } else {
                            ("planned", None)
                        };
                        actions.push((
                            id,
                            ACTIONS[rng.random_range(0..ACTIONS.len())],
                            due,
                            status,
                            reason,
                        ));
                    }
                }
            }
            let finalised = year < last_year;
            for (id, value, reasoning, sources) in &rows {
                let write = ScoreWrite {
                    value: value.map(i64::from),
                    not_relevant: value.is_none(),
                    reasoning,
                    sources,
                    new_texts: [true, true],
                    carried_over: false,
                    finalised,
                };
                check_write(scale, &write, policy).map_err(|problem| Error::ScoreRefused {
                    indicator: id.to_string(),
                    problem,
                })?;
            }
            let signoff = finalised.then(|| {
                let done = format!("{year}-11-15T14:00:00.000Z");
                let record = SignedRecord {
                    year: i64::from(year),
                    model_hash: &version.hash,
                    signer: Some(crate::store::BulkLoader::SIGNER),
                    at: Some(&done),
                };
                let hash = crate::store::BulkLoader::signoff(&record, &rows, by, &at);
                (done, hash)
            });
            let g = Generated {
                year,
                model_id: &version.id,
                hash: &version.hash,
                at,
                rows,
                actions,
                signoff,
            };
            assessments.push(g);
        }
        let work = Work {
            facility,
            created,
            assessments,
        };
        if !send(work) {
            return Ok(());
        }
    }
    Ok(())
}

/// The demo database: beside the given one, so it never mixes with real data.
pub fn demo_path(beside: &std::path::Path) -> std::path::PathBuf {
    beside
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("tilsynsklar-demo.db")
}

/// Opens the demo database beside `real`, filling it with a region's data the first time.
pub fn open_demo(real: &std::path::Path, stamp: &crate::store::Stamp) -> Result<Store> {
    let path = demo_path(real);
    let mut store = Store::open(&path, stamp)?;
    if store.facilities(true)?.is_empty() {
        let year = chrono::Datelike::year(&stamp.at);
        generate(
            &mut store,
            &DemoSpec {
                facilities: 30,
                years: 5,
                from_year: year - 4,
                seed: 1,
            },
            "demo",
        )?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Stamp;

    fn stamp() -> Stamp {
        Stamp {
            by: "demo".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_the_years_use_their_model() {
        let spec = DemoSpec {
            facilities: 12,
            years: 4,
            from_year: 2015,
            seed: 7,
        };
        let mut a = Store::open_in_memory(&stamp()).unwrap();
        let mut b = Store::open_in_memory(&stamp()).unwrap();
        let ra = generate(&mut a, &spec, "demo").unwrap();
        let rb = generate(&mut b, &spec, "demo").unwrap();
        assert_eq!(ra, rb);
        assert_eq!((ra.facilities, ra.assessments), (12, 48));
        let list = a.assessments(None).unwrap();
        assert!(
            list.iter()
                .filter(|x| x.year < 2017)
                .all(|x| x.model_id == "socialtilsyn-2014")
        );
        assert!(
            list.iter()
                .filter(|x| x.year >= 2017)
                .all(|x| x.model_id == "socialtilsyn-2017")
        );
        assert!(
            list.iter()
                .filter(|x| x.year < 2018)
                .all(|x| x.status == crate::assessment::Status::Finalised)
        );
        for (x, y) in list.iter().zip(b.assessments(None).unwrap()) {
            assert_eq!(a.scores(x.id).unwrap(), b.scores(y.id).unwrap());
        }
        // complete assessments, not-relevant ones with a reason, and some improvement actions
        let scores = a.scores(list[0].id).unwrap();
        assert_eq!(
            scores.len(),
            a.model_by_hash(&list[0].model_hash)
                .unwrap()
                .indicators()
                .count()
        );
        assert!(ra.actions > 0);
        let mut c = Store::open_in_memory(&stamp()).unwrap();
        generate(&mut c, &DemoSpec { seed: 8, ..spec }, "demo").unwrap();
        let first = |s: &Store| s.scores(s.assessments(None).unwrap()[0].id).unwrap();
        assert_ne!(first(&c), first(&a), "another seed, other data");
    }
}
