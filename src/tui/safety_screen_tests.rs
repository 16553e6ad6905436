//! The safety self-evaluation's screens (område / retningslinje / spørgsmål on a 0–3
//! scale) and the new-assessment form's roll-forward, which carries only from last
//! year's assessment of the same framework.

use super::app::{App, Msg, Overlay, Screen};
use super::data::load_home;
use super::effects::apply;
use super::model_states::{key, keys, press, session, stamp};
use crate::app::Session;
use crate::assessment::ScoreValue;
use crate::i18n::Lang;
use crate::store::{NewFacility, Store};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::view::view(f, app)).unwrap();
    terminal.backend().to_string()
}

fn k(code: KeyCode) -> Msg {
    Msg::Key(key(code))
}

/// A facility with a 2025 assessment on `model`; returns its id.
fn facility_with(store: &mut Session, model: &str, year: i32) -> i64 {
    let f = store
        .store
        .add_facility(
            &NewFacility {
                name: "Bostedet Solhøj".into(),
                organisation: "Region Midtjylland".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let model = store.store.active_model(model).unwrap();
    store
        .store
        .start_assessment(&f, year, &model, false, &stamp())
        .unwrap()
        .id
}

fn app_on(store: &Session, lang: Lang) -> App {
    App::new(lang, "mette".into(), 2026, false, load_home(store).unwrap())
}

/// The safety self-evaluation of 2026 opened and scored: område 1 all 3s, område 2
/// with 0, 1 and 2; the cursor on område 1's first question.
fn scored_safety(lang: Lang) -> (App, Session) {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let id = facility_with(&mut store, "sikkerhed-2017", 2026);
    let mut app = app_on(&store, lang);
    apply(&mut app, &mut store, super::app::Effect::Open(id));
    // each score moves on to the next question, into the next område at its end
    press(&mut app, &mut store, &keys("3333333012"));
    (app.assessment.theme, app.assessment.sel) = (0, 0);
    app.status = None;
    (app, store)
}

#[test]
fn the_safety_assessment_names_its_areas_and_reads_its_own_scale() {
    let (app, _store) = scored_safety(Lang::Da);
    assert_eq!(app.screen, Screen::Assessment);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Område 1"), "{screen}");
    assert!(screen.contains(" Områder "), "{screen}");
    assert!(!screen.contains("Tema"), "{screen}");
    assert!(!screen.contains("grad opfyldt"), "{screen}");
    insta::assert_snapshot!("safety_assessment_da_80x24", screen);
    let (app, _store) = scored_safety(Lang::En);
    let screen = draw(&app, 120, 40);
    assert!(screen.contains("Area 1"), "{screen}");
    assert!(
        screen.contains("Scale: 0 Not started · 1 Partly in place"),
        "{screen}"
    );
    assert!(!screen.contains("degree met"), "{screen}");
}

#[test]
fn the_safety_overview_runs_its_bars_and_radar_to_the_top_of_its_scale() {
    let (mut app, mut store) = scored_safety(Lang::Da);
    press(&mut app, &mut store, &keys("o"));
    assert_eq!(app.screen, Screen::Overview);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Områdegennemsnit (0–3)"), "{screen}");
    assert!(screen.contains("Retningslinjer: R1"), "{screen}");
    // område 1: seven 3s; område 2: 0, 1, 2
    let line = |n: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("│{n} ")))
            .unwrap_or_else(|| panic!("no bar for {n}: {screen}"))
            .to_string()
    };
    let full = |l: &str| l.chars().filter(|c| *c == '█').count();
    let (one, two) = (line("1"), line("2"));
    assert!(one.contains(" 3,0"), "{one}");
    assert!(two.contains(" 1,0"), "{two}");
    // on 0–3 the top fills the bar (on 0–5 it would stop at three fifths), 1 a third
    let width = one.chars().filter(|c| *c == '█').count();
    assert!(width >= 5, "{one}");
    assert!(
        full(&two) * 3 <= width + 1 && full(&two) * 3 + 3 >= width,
        "{two}"
    );
    insta::assert_snapshot!("safety_overview_da_80x24", screen);
}

#[test]
fn roll_forward_is_offered_only_from_last_years_assessment_of_the_same_framework() {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    // 2025: only a safety self-evaluation, with one score
    let last = facility_with(&mut store, "sikkerhed-2017", 2025);
    let mut app = app_on(&store, Lang::Da);
    apply(&mut app, &mut store, super::app::Effect::Open(last));
    press(&mut app, &mut store, &keys("2"));
    press(&mut app, &mut store, &[k(KeyCode::Esc)]);
    app.home.set_rows(load_home(&store).unwrap());
    app.home.sel = 0;
    // n: 2026 on the quality model (what starting without a choice takes) has nothing to
    // carry from
    press(&mut app, &mut store, &keys("n"));
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.year.lines().join(""), "2026");
    assert_eq!((form.previous_year, form.roll_forward), (None, false));
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Ingen tidligere vurdering på"), "{screen}");
    // Space cannot tick it
    press(&mut app, &mut store, &keys(" "));
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert!(!form.roll_forward);
    // Enter: the year asks which model; the safety self-evaluation offers 2025's
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no choice of model")
    };
    assert_eq!(form.models[form.model].0, "socialtilsyn-2017");
    assert_eq!(form.previous_year, None);
    press(&mut app, &mut store, &[k(KeyCode::Down)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.models[form.model].0, "sikkerhed-2017");
    assert_eq!((form.previous_year, form.roll_forward), (Some(2025), true));
    assert!(
        draw(&app, 80, 24).contains("[x] Start fra 2025-vurderingen"),
        "{}",
        draw(&app, 80, 24)
    );
    // back up to the quality model: nothing to carry again
    press(&mut app, &mut store, &[k(KeyCode::Up)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!((form.previous_year, form.roll_forward), (None, false));
    // the safety one, started: 2025's score carried over, not yet re-assessed
    press(&mut app, &mut store, &[k(KeyCode::Down), k(KeyCode::Enter)]);
    let view = app.assessment.view.as_ref().expect("started");
    assert_eq!(
        (view.record.year, view.record.model_id.as_str()),
        (2026, "sikkerhed-2017")
    );
    let s1a = view.scores.get("S1a").expect("carried");
    assert_eq!(s1a.value, ScoreValue::Scored(2));
    assert!(s1a.carried_over);
    // and the quality model of 2026 starts afresh, its roll-forward never ticked
    app.home.set_rows(load_home(&store).unwrap());
    app.screen = Screen::Home;
    app.home.sel = 0;
    press(&mut app, &mut store, &keys("n"));
    press(&mut app, &mut store, &vec![k(KeyCode::Backspace); 4]);
    press(&mut app, &mut store, &keys("2026"));
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no choice of model")
    };
    assert_eq!(form.previous_year, None);
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let view = app.assessment.view.as_ref().expect("started");
    assert_eq!(view.record.model_id, "socialtilsyn-2017");
    assert!(
        view.scores.values().all(|s| !s.carried_over),
        "nothing carried across frameworks"
    );
}

#[test]
fn compare_from_a_safety_row_compares_within_the_safety_framework() {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let id = facility_with(&mut store, "sikkerhed-2017", 2026);
    let mut app = app_on(&store, Lang::Da);
    apply(&mut app, &mut store, super::app::Effect::Open(id));
    press(&mut app, &mut store, &keys("3"));
    press(&mut app, &mut store, &[k(KeyCode::Esc)]);
    assert_eq!(app.screen, Screen::Home);
    assert_eq!(app.home.selected_framework().as_deref(), Some("sikkerhed"));
    // the facility holds no quality assessment: before, `c` found nothing to compare
    press(&mut app, &mut store, &keys("c"));
    assert_eq!(app.screen, Screen::Compare);
    let view = app.compare.view.as_ref().expect("a comparison");
    assert_eq!(view.framework.as_deref(), Some("sikkerhed"));
    assert_eq!(view.scale, (0, 3));
    assert_eq!(view.themes.len(), 4, "O1–O4");
    assert_eq!(view.years, [2026]);
    let screen = draw(&app, 100, 30);
    assert!(screen.to_lowercase().contains("område"), "{screen}");
}

#[test]
fn the_hint_bar_says_omraade_where_it_fits_and_never_loses_a_key_for_it() {
    let (app, _store) = scored_safety(Lang::Da);
    let wide = draw(&app, 140, 30);
    let bar = wide.lines().last().unwrap();
    assert!(bar.contains("område"), "{bar}");
    assert!(!bar.contains(" tema"), "{bar}");
    // at 80 columns "område" would push "o oversigt" off the bar: the table's word stays
    let narrow = draw(&app, 80, 24);
    let bar = narrow.lines().last().unwrap();
    assert!(
        bar.contains("o oversigt") && bar.contains("? hjælp"),
        "{bar}"
    );
}

#[test]
fn the_help_names_the_models_areas_and_scale_on_the_safety_screen() {
    let (mut app, mut store) = scored_safety(Lang::Da);
    press(&mut app, &mut store, &[k(KeyCode::Char('?'))]);
    assert!(matches!(app.overlay, Overlay::Help));
    let screen = draw(&app, 100, 40);
    assert!(screen.contains("næste område / forrige område"), "{screen}");
    assert!(!screen.contains("næste tema"), "{screen}");
    assert!(screen.contains("0–3"), "{screen}");
    // in English too
    let (mut app, mut store) = scored_safety(Lang::En);
    press(&mut app, &mut store, &[k(KeyCode::Char('?'))]);
    let screen = draw(&app, 100, 40);
    assert!(screen.contains("next area / previous area"), "{screen}");
}
