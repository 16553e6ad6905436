//! Demo data: a deterministic, realistic region or nation of facilities over the years.
//! Scores drift year by year (some facilities improve, some decline), facility types
//! decide which indicators apply, reasoning reads like a Danish self-evaluation, gaps get
//! improvement actions, and years before 2017 use the 2014 model.

use crate::assessment::{Scale, ScoreWrite, check_write};
use crate::error::{Error, Result};
use crate::integrity::SignedRecord;
use crate::model::QualityModel;
use crate::store::backend::Backend;
use crate::store::{NewFacility, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

const PLACES: &[&str] = &[
    "Solhøj",
    "Bakkehuset",
    "Fjordly",
    "Egely",
    "Kystly",
    "Skovbrynet",
    "Lindehuset",
    "Æblehaven",
    "Møllegården",
    "Engly",
    "Toftegården",
    "Strandvejen",
    "Birkely",
    "Granly",
    "Højvang",
    "Åbrinken",
    "Kildebakken",
    "Nørremark",
    "Vestergården",
    "Østerlund",
    "Rosenhaven",
    "Bøgely",
    "Holmegården",
    "Stensbo",
    "Lyngbo",
    "Ådalen",
    "Hedebo",
    "Tranehuset",
    "Fyrrebo",
    "Sønderled",
];
const KINDS: &[&str] = &[
    "Bostedet",
    "Botilbuddet",
    "Opholdsstedet",
    "Hjemmet",
    "Center",
    "Boligerne",
    "Institutionen",
    "Huset",
];
const REGIONS: &[&str] = &[
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
];
const TOWNS: &[&str] = &[
    "Aarhus",
    "Odense",
    "Aalborg",
    "Vejle",
    "Esbjerg",
    "Randers",
    "Kolding",
    "Horsens",
    "Viborg",
    "Silkeborg",
    "Næstved",
    "Holbæk",
    "Hillerød",
    "Svendborg",
    "Hjørring",
    "Skive",
    "Ringsted",
    "Haderslev",
    "Roskilde",
    "Thisted",
];
/// Facility types with their target groups and applicability tags.
const TYPES: &[(&str, &str, &[&str])] = &[
    ("Botilbud (SEL § 108)", "Voksne med udviklingshæmning", &[]),
    ("Botilbud (SEL § 107)", "Voksne med sindslidelse", &[]),
    (
        "Døgninstitution (SEL § 66)",
        "Børn og unge med særlige behov",
        &["children"],
    ),
    (
        "Opholdssted (SEL § 66)",
        "Unge med sociale vanskeligheder",
        &["children"],
    ),
    ("Forsorgshjem (SEL § 110)", "Hjemløse voksne", &["shelter"]),
    (
        "Misbrugsbehandling (ambulant)",
        "Voksne med misbrug",
        &["ambulant"],
    ),
];
const REASONING: [&[&str]; 5] = [
    &[
        "Der er ikke opstillet mål, og opfølgningen mangler. Ledelsen har sat området på handleplanen.",
        "Praksis er uens og dokumentationen sparsom; flere borgere oplever ikke at blive inddraget.",
    ],
    &[
        "Enkelte mål er opstillet, men der følges sjældent op. Personalet efterspørger fælles redskaber.",
        "Indsatsen afhænger af den enkelte medarbejder; dokumentationen viser huller i opfølgningen.",
    ],
    &[
        "Mål opstilles for de fleste borgere, og der følges op ved statusmøder. Dokumentationen kan styrkes.",
        "Praksis er kendt i personalegruppen, men anvendes ikke konsekvent i hverdagen.",
    ],
    &[
        "Mål opstilles sammen med borgeren og følges op kvartalsvis; borgerne fortæller, at de bliver hørt.",
        "Indsatsen er beskrevet og følges i praksis; enkelte afvigelser drøftes på personalemøder.",
    ],
    &[
        "Praksis er velbeskrevet og følges konsekvent; borgerne oplever stor indflydelse på egen hverdag.",
        "Dokumentationen viser systematisk opfølgning og læring; tilsynet fremhævede området som styrke.",
    ],
];
const SOURCES: &[&str] = &[
    "Handleplaner og statusnotater",
    "Interview med borgere og pårørende",
    "Dagbogsnotater og personalemøder",
    "Tilsynsrapport og egne målinger",
    "Magtanvendelsesskemaer og opfølgninger",
];
const ACTIONS: &[&str] = &[
    "Indføre fast opfølgning på mål ved månedlige statusmøder",
    "Kompetenceforløb for personalet om metoden",
    "Fælles skabelon for dokumentation af indsatsen",
    "Husmøder hver anden uge med dagsorden fra borgerne",
    "Supervision for personalet hver sjette uge",
    "Gennemgang af de fysiske rammer sammen med borgerne",
];

/// An improvement action to write after its assessment's scores: (indicator, text, due, status, drop reason).
type PendingAction<'a> = (
    &'a str,
    &'static str,
    Option<chrono::NaiveDate>,
    &'static str,
    Option<&'static str>,
);

/// Generates the data into the store in one transaction. `now` stamps the rows.
pub fn generate(store: &mut dyn Backend, spec: &DemoSpec, by: &str) -> Result<DemoReport> {
    let m2014 = store.active_model("socialtilsyn-2014")?;
    let m2017 = store.active_model("socialtilsyn-2017")?;
    let (h2014, h2017) = (m2014.content_hash(), m2017.content_hash());
    // the indicators of each model, with their applicability, once
    let indicators = |m: &QualityModel| -> Vec<(String, Vec<String>, Vec<String>)> {
        m.indicators()
            .map(|r| {
                (
                    r.indicator.id.clone(),
                    r.indicator.applies_only_to.clone(),
                    r.indicator.not_for.clone(),
                )
            })
            .collect()
    };
    let (i2014, i2017) = (indicators(&m2014), indicators(&m2017));
    // the rules every write of a score keeps, read once
    let (s2014, s2017) = (Scale::of(&m2014), Scale::of(&m2017));
    let policy = store.write_policy()?;
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut report = DemoReport::default();
    let mut bulk = store.bulk()?;
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
        let fid = bulk.facility(&facility, &created)?;
        report.facilities += 1;
        // a facility's level, its drift per year, and its strengths and weaknesses per indicator
        let base: f64 = 2.4 + rng.random::<f64>() * 2.0;
        let drift: f64 = rng.random_range(-0.15..0.2);
        let offsets: Vec<f64> = (0..40).map(|_| rng.random_range(-0.9..0.9)).collect();
        for (k, year) in (spec.from_year..=last_year).enumerate() {
            let (model, hash, list, scale) = if year < 2017 {
                (&m2014, &h2014, &i2014, s2014)
            } else {
                (&m2017, &h2017, &i2017, s2017)
            };
            let at = format!("{year}-03-01T10:00:00.000Z");
            let aid = bulk.assessment(fid, year, &model.id, hash, by, &at)?;
            bulk.audit("assessment.start", fid, Some(aid), None, by, &at)?;
            report.assessments += 1;
            let mut rows: Vec<(&str, Option<u8>, &str, &str)> = Vec::with_capacity(list.len());
            // improvement actions for gaps: (indicator, text, due, status, drop reason)
            let mut actions: Vec<PendingAction<'_>> = Vec::new();
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
            for (id, value, reasoning, sources) in &rows {
                let write = ScoreWrite {
                    value: value.map(i64::from),
                    not_relevant: value.is_none(),
                    reasoning,
                    sources,
                    new_texts: [true, true],
                    carried_over: false,
                    finalised: year < last_year,
                };
                check_write(scale, &write, policy).map_err(|problem| Error::ScoreRefused {
                    indicator: id.to_string(),
                    problem,
                })?;
            }
            bulk.scores(aid, &rows, by, &at)?;
            report.scores += rows.len();
            for (id, text, due, status, reason) in actions {
                bulk.action(
                    aid,
                    id,
                    text,
                    "Afdelingsleder",
                    due,
                    status,
                    reason,
                    by,
                    &at,
                )?;
                report.actions += 1;
            }
            if year < last_year {
                let done = format!("{year}-11-15T14:00:00.000Z");
                let record = SignedRecord {
                    year: i64::from(year),
                    model_hash: hash,
                    signer: Some("Forstander"),
                    at: Some(&done),
                };
                bulk.finalise(aid, &record, &rows, by, &at)?;
                bulk.audit(
                    "assessment.finalise",
                    fid,
                    Some(aid),
                    Some("{\"status\":\"finalised\",\"by\":\"Forstander\"}"),
                    by,
                    &done,
                )?;
            }
        }
    }
    bulk.commit()?;
    Ok(report)
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
