//! The model-based test's starting states: an empty, a small, a strict, a carried-over and
//! a demo database, and the ways into every screen and dialog over each; and its helpers.

use super::app::{App, Msg, update};
use super::data::load_home;
use super::effects::apply;
use crate::app::{Clock, Session};
use crate::assessment::{ScoreInput, ScoreValue};
use crate::i18n::Lang;
use crate::store::{NewFacility, Stamp, Store};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) fn stamp() -> Stamp {
    Stamp {
        by: "mette".into(),
        at: "2026-11-25T09:30:00Z".parse().unwrap(),
    }
}

/// A session on `store` as the tests' user, its clock stopped at the tests' instant.
pub(super) fn session(store: Store) -> Session {
    Session {
        store: Box::new(store),
        lang: Lang::Da,
        user: stamp().by,
        clock: Clock::Fixed(stamp().at),
    }
}

pub(super) fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub(super) fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Runs messages and their effects, as the loop does.
pub(super) fn press(app: &mut App, store: &mut Session, msgs: &[Msg]) {
    for m in msgs {
        if let Some(effect) = update(app, m.clone()) {
            apply(app, store, effect);
        }
    }
}

pub(super) fn keys(s: &str) -> Vec<Msg> {
    s.chars().map(|c| Msg::Key(key(KeyCode::Char(c)))).collect()
}

pub(super) fn small_store(strict: bool) -> Session {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    if strict {
        store.store.set_strict();
    }
    let f = store
        .store
        .add_facility(
            &NewFacility {
                name: "Bostedet Solhøj".into(),
                organisation: "Region Syddanmark".into(),
                tags: vec!["board".into()],
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let model = store.store.model_for_year(2025).unwrap();
    let a = store
        .store
        .start_assessment(&f, 2025, &model, false, &stamp())
        .unwrap();
    for (id, v) in [("1a", 4), ("4a", 2), ("6a", 5), ("6b", 1)] {
        let input = ScoreInput {
            indicator_id: id.into(),
            value: ScoreValue::Scored(v),
            reasoning: Some(format!("Begrundelse for {id}")),
            sources: Some("Referater".into()),
        };
        store.store.set_score(a.id, &input, &stamp()).unwrap();
    }
    store
}

/// The starting states: each an app over one of the stores.
pub(super) struct World {
    pub(super) stores: Vec<Session>,
    pub(super) starts: Vec<(String, usize, App)>,
}

impl World {
    pub(super) fn build() -> World {
        let mut stores = vec![session(Store::open_in_memory(&stamp()).unwrap())];
        stores.push(small_store(false));
        stores.push(small_store(true));
        // carried over: 2026 started from 2025's scores
        let mut carried = small_store(false);
        let mut app = App::new(
            Lang::Da,
            "mette".into(),
            2026,
            false,
            load_home(&carried).unwrap(),
        );
        press(&mut app, &mut carried, &keys("n"));
        press(&mut app, &mut carried, &[Msg::Key(key(KeyCode::Enter))]);
        // the year offers the quality model and the safety self-evaluation: the first
        press(&mut app, &mut carried, &[Msg::Key(key(KeyCode::Enter))]);
        assert!(
            app.assessment
                .view
                .as_ref()
                .is_some_and(|v| v.record.year == 2026)
        );
        stores.push(carried);
        let mut demo = session(Store::open_in_memory(&stamp()).unwrap());
        crate::demo::generate(
            &mut *demo.store,
            &crate::demo::DemoSpec {
                facilities: 3,
                years: 3,
                from_year: 2024,
                seed: 7,
            },
            "demo",
        )
        .unwrap();
        stores.push(demo);
        // a region's own copy beside the national model: a new assessment asks which
        let mut region = small_store(false);
        let mut copy = (*region.store.model_for_year(2026).unwrap()).clone();
        copy.id = "region-syd-2017".into();
        region
            .store
            .import_model(&copy, "region.json", &stamp())
            .unwrap();
        stores.push(region);

        // the ways into every screen and dialog, from the home screen
        let enter = Msg::Key(key(KeyCode::Enter));
        let esc = Msg::Key(key(KeyCode::Esc));
        let ways: Vec<(&str, Vec<Msg>)> = vec![
            ("home", vec![]),
            ("help", keys("?")),
            ("facility form", keys("a")),
            ("new assessment", keys("n")),
            ("compare", keys("c")),
            ("assessment", vec![enter.clone()]),
            ("reasoning", [vec![enter.clone()], keys("e")].concat()),
            ("sources", [vec![enter.clone()], keys("s")].concat()),
            ("not relevant", [vec![enter.clone()], keys("jx")].concat()),
            ("search", [vec![enter.clone()], keys("/")].concat()),
            ("theme 4", [vec![enter.clone()], keys("lll")].concat()),
            ("overview", [vec![enter.clone()], keys("o")].concat()),
            ("finalise", [vec![enter.clone()], keys("of")].concat()),
            (
                "finalise, name",
                [
                    vec![enter.clone()],
                    keys("of"),
                    vec![Msg::Key(key(KeyCode::Tab))],
                ]
                .concat(),
            ),
            // the second assessment row: an earlier, finalised year where the store has one
            (
                "reopen",
                [keys("j"), vec![enter.clone()], keys("oR")].concat(),
            ),
            ("facility edit", keys("e")),
            ("gaps", [vec![enter.clone()], keys("g")].concat()),
            ("gap action", [vec![enter.clone()], keys("ga")].concat()),
            ("gap row 2", [vec![enter.clone()], keys("gjj")].concat()),
            ("cpr text", {
                let mut m = vec![enter.clone()];
                m.extend(keys("e"));
                m.push(Msg::Paste("Borger 010190-1234 deltog".into()));
                m.push(esc.clone());
                m
            }),
            // last: it starts a new year where the store allows it, a year without gaps
            ("gaps of a fresh year", {
                let mut m = keys("n ");
                m.push(enter.clone());
                m.extend(keys("g"));
                m
            }),
        ];
        let mut starts = Vec::new();
        for (i, store) in stores.iter_mut().enumerate() {
            for (name, msgs) in &ways {
                for lang in [Lang::Da, Lang::En] {
                    let mut app = App::new(
                        lang,
                        "mette".into(),
                        2026,
                        i % 2 == 0,
                        load_home(store).unwrap(),
                    );
                    press(&mut app, store, msgs);
                    starts.push((format!("store {i}, {name}, {lang:?}"), i, app));
                }
            }
        }
        let region = stores.len() - 1;
        for lang in [Lang::Da, Lang::En] {
            let store = &mut stores[region];
            let mut app = App::new(lang, "mette".into(), 2026, false, load_home(store).unwrap());
            press(&mut app, store, &[keys("n"), vec![enter.clone()]].concat());
            assert!(
                matches!(&app.overlay, super::app::Overlay::NewAssessment(f) if f.models.len() == 3),
                "the model question"
            );
            starts.push((
                format!("store {region}, model choice, {lang:?}"),
                region,
                app,
            ));
        }
        World { stores, starts }
    }
}
