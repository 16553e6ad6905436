//! The terminal program without a terminal: `update` fed with key events (effects run
//! against an in-memory store), and the screens drawn on a `TestBackend` for snapshots.

pub(super) use super::app::{App, EditKind, Overlay, Screen, StatusKind, update};
pub(super) use super::data::load_home;
pub(super) use super::effects::apply;
pub(super) use super::model_states::session;
pub(super) use crate::app::Session;
pub(super) use crate::assessment::{ScoreInput, ScoreValue, Status};
pub(super) use crate::i18n::Lang;
pub(super) use crate::store::{NewFacility, Stamp, Store};
pub(super) use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub(super) use ratatui::Terminal;
pub(super) use ratatui::backend::TestBackend;

pub(super) fn stamp() -> Stamp {
    Stamp {
        by: "mette".into(),
        at: "2026-11-25T09:30:00Z".parse().unwrap(),
    }
}

/// A store with one facility, its 2025 assessment partly scored, and nothing for 2026.
pub(super) fn store() -> Session {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let f = store
        .store
        .add_facility(
            &NewFacility {
                name: "Bostedet Solhøj".into(),
                organisation: "Region Syddanmark".into(),
                location: "Vejle".into(),
                facility_type: "Botilbud (SEL § 108)".into(),
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
    for (id, v, why) in [
        ("1a", 4, "Mål følges op kvartalsvis"),
        ("4a", 2, "Husmøder aflyses ofte"),
        ("6a", 5, "Ingen magtanvendelser"),
    ] {
        let input = ScoreInput {
            indicator_id: id.into(),
            value: ScoreValue::Scored(v),
            reasoning: Some(why.into()),
            sources: Some("Referater".into()),
        };
        store.store.set_score(a.id, &input, &stamp()).unwrap();
    }
    store
}

pub(super) fn app(store: &Session, lang: Lang) -> App {
    App::new(lang, "mette".into(), 2026, false, load_home(store).unwrap())
}

pub(super) fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses keys in order, running each effect through the store.
pub(super) fn press(app: &mut App, store: &mut Session, keys: &[KeyEvent]) {
    for k in keys {
        if let Some(effect) = update(app, *k) {
            apply(app, store, effect);
        }
    }
}

pub(super) fn chars(s: &str) -> Vec<KeyEvent> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

pub(super) fn score_of(
    store: &Session,
    assessment: i64,
    id: &str,
) -> Option<crate::assessment::Score> {
    store
        .store
        .scores(assessment)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == id)
}

/// Opens a new 2026 assessment from the home screen, starting from 2025's when `roll`.
pub(super) fn start_2026(app: &mut App, store: &mut Session, roll: bool) -> i64 {
    press(app, store, &[key(KeyCode::Char('n'))]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.year.lines().join(""), "2026");
    assert_eq!(form.previous_year, Some(2025));
    assert!(form.roll_forward, "roll-forward is offered");
    if !roll {
        press(app, store, &[key(KeyCode::Char(' '))]);
    }
    press(app, store, &[key(KeyCode::Enter)]);
    take_the_quality_model(app, store);
    assert_eq!(app.screen, Screen::Assessment);
    app.assessment.view.as_ref().unwrap().record.id
}

/// Where the year's models need a choice (the quality model beside the safety
/// self-evaluation), takes the one offered first: the quality model.
pub(super) fn take_the_quality_model(app: &mut App, store: &mut Session) {
    if let Overlay::NewAssessment(form) = &app.overlay {
        assert!(
            form.models.iter().any(|(id, _)| id == "sikkerhed-2017"),
            "the safety framework is offered"
        );
        assert_eq!(form.models[form.model].0, "socialtilsyn-2017");
        press(app, store, &[key(KeyCode::Enter)]);
    }
}

/// Draws the app at a size and returns the screen as text.
pub(super) fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::view::view(f, app)).unwrap();
    terminal.backend().to_string()
}

/// Two facilities with assessments in 2016 (2014 model) and 2025 (2017 model).
pub(super) fn region() -> Session {
    let mut store = store();
    let g = store
        .store
        .add_facility(
            &NewFacility {
                name: "Æblehaven".into(),
                organisation: "Region Syddanmark".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let solhoj = store.store.find_facility("Bostedet Solhøj").unwrap();
    for (f, year, scores) in [
        (
            &solhoj,
            2016,
            vec![("1a", 3), ("14a", 2), ("14b", 3), ("8a", 4)],
        ),
        (&g, 2025, vec![("1a", 5), ("11a", 4), ("4a", 4), ("8a", 2)]),
        (&g, 2016, vec![("1a", 4), ("14a", 4)]),
    ] {
        let model = store.store.model_for_year(year).unwrap();
        let a = store
            .store
            .start_assessment(f, year, &model, false, &stamp())
            .unwrap();
        for (id, v) in scores {
            store
                .store
                .set_score(
                    a.id,
                    &ScoreInput {
                        indicator_id: id.into(),
                        value: ScoreValue::Scored(v),
                        reasoning: None,
                        sources: None,
                    },
                    &stamp(),
                )
                .unwrap();
        }
    }
    store
}

#[test]
fn help_opens_and_closes_and_ctrl_c_quits_even_from_an_editor() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &[key(KeyCode::Char('?'))]);
    assert!(matches!(app.overlay, Overlay::Help));
    press(&mut app, &mut store, &[key(KeyCode::Char('q'))]);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(!app.quit, "the key that closes the help does nothing else");
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Enter), key(KeyCode::Char('/'))],
    );
    press(
        &mut app,
        &mut store,
        &[KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)],
    );
    assert!(app.quit);
}

/// The assessment of 2026 started (carried forward), at the fourth theme's second
/// indicator, the status line cleared: where the screens' snapshots are taken.
pub(super) fn at_the_fourth_theme(lang: Lang) -> (App, Session) {
    let mut store = store();
    let mut app = app(&store, lang);
    start_2026(&mut app, &mut store, true);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('j')),
        ],
    );
    app.status = None;
    (app, store)
}

#[test]
fn help_at_80x24_in_danish_and_english() {
    for lang in [Lang::Da, Lang::En] {
        let (mut app, mut store) = at_the_fourth_theme(lang);
        let code = if lang == Lang::Da { "da" } else { "en" };
        press(
            &mut app,
            &mut store,
            &[
                key(KeyCode::Char('o')),
                key(KeyCode::Esc),
                key(KeyCode::Char('?')),
            ],
        );
        insta::assert_snapshot!(format!("help_{code}_80x24"), draw(&app, 80, 24));
    }
}

#[test]
fn a_small_terminal_is_asked_to_grow_and_an_empty_database_says_what_to_do() {
    let store = session(Store::open_in_memory(&stamp()).unwrap());
    let app = app(&store, Lang::Da);
    let small = draw(&app, 60, 20);
    assert!(
        small.contains("Forstør terminalen: mindst 80×24 tegn (nu 60×20)"),
        "{small}"
    );
    let empty = draw(&app, 80, 24);
    assert!(
        empty.contains("Databasen har endnu ingen tilbud."),
        "{empty}"
    );
    assert!(
        empty.contains("Tryk a for at tilføje dit tilbud"),
        "{empty}"
    );
}

#[test]
fn hostile_text_is_drawn_harmlessly() {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    store
        .store
        .add_facility(
            &NewFacility {
                name: "Ond\u{1b}[2J\u{7}".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let app = app(&store, Lang::Da);
    let screen = draw(&app, 80, 24);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(screen.contains("Ond\\u{1b}[2J\\u{7}"), "{screen}");
}

#[test]
fn no_color_draws_without_colours() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    start_2026(&mut app, &mut store, true);
    let colours = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| super::view::view(f, app)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        buffer
            .content()
            .iter()
            .filter(|c| {
                c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset
            })
            .count()
    };
    app.colors = true;
    assert!(colours(&app) > 0, "colours where wanted");
    app.colors = false;
    assert_eq!(colours(&app), 0, "none under NO_COLOR");
}
