//! The home screen: opening, the facility form, an empty database.

use super::tests::*;

#[test]
fn enter_opens_the_selected_assessment_and_q_goes_back_then_quits() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    assert_eq!(app.home.sel, 1, "the first assessment is selected");
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    assert_eq!(app.screen, Screen::Assessment);
    assert_eq!(app.assessment.view.as_ref().unwrap().record.year, 2025);
    press(&mut app, &mut store, &[key(KeyCode::Char('o'))]);
    assert_eq!(app.screen, Screen::Overview);
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert_eq!(app.screen, Screen::Assessment);
    press(&mut app, &mut store, &[key(KeyCode::Char('q'))]);
    assert_eq!(app.screen, Screen::Home);
    assert!(!app.quit);
    press(&mut app, &mut store, &[key(KeyCode::Char('q'))]);
    assert!(app.quit);
}

#[test]
fn a_facility_is_added_through_the_form() {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let mut app = app(&store, Lang::Da);
    assert!(app.home.rows.is_empty());
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Tilføj først et tilbud")
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('a'))]);
    press(&mut app, &mut store, &chars("Æblehaven"));
    press(&mut app, &mut store, &[key(KeyCode::Tab)]);
    press(&mut app, &mut store, &chars("Region Midtjylland"));
    for _ in 0..4 {
        press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    }
    // the tags are a checkbox list: children, then board
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Enter),
        ],
    );
    let f = store.store.find_facility("æblehaven").unwrap();
    assert_eq!(
        (f.organisation.as_str(), f.tags.clone()),
        (
            "Region Midtjylland",
            vec!["board".to_string(), "children".to_string()]
        )
    );
    assert_eq!(app.home.rows.len(), 1);
    // Enter on a facility without assessments offers a new one, without roll-forward
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.previous_year, None);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Backspace),
            key(KeyCode::Char('5')),
            key(KeyCode::Enter),
        ],
    );
    take_the_quality_model(&mut app, &mut store);
    assert_eq!(app.assessment.view.as_ref().unwrap().record.year, 2025);
    assert_eq!(
        app.assessment.view.as_ref().unwrap().record.model_id,
        "socialtilsyn-2017"
    );
}

#[test]
fn n_and_c_on_an_empty_database_say_what_to_do_instead_of_crashing() {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let mut app = app(&store, Lang::Da);
    for k in ['n', 'c', 'j', 'G', 'g', 'k'] {
        press(&mut app, &mut store, &[key(KeyCode::Char(k))]);
        assert_eq!(app.screen, Screen::Home, "after {k}");
    }
    press(&mut app, &mut store, &[key(KeyCode::Char('n'))]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Tilføj først et tilbud med a")
    );
    assert!(draw(&app, 80, 24).contains("Tilføj først et tilbud med a"));
}

#[test]
fn esc_on_the_home_screen_never_ends_the_program_q_does() {
    // the first keys a new user tries on an empty database: n Esc c Esc
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let mut app = app(&store, Lang::Da);
    for k in [
        key(KeyCode::Char('n')),
        key(KeyCode::Esc),
        key(KeyCode::Char('c')),
        key(KeyCode::Esc),
    ] {
        press(&mut app, &mut store, &[k]);
        assert!(!app.quit, "still running after {k:?}");
        assert_eq!(app.screen, Screen::Home);
    }
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("q afslutter programmet")
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('q'))]);
    assert!(app.quit, "q quits from the home screen");
}

#[test]
fn an_empty_database_offers_a_demo_database_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("tilsynsklar.db");
    let mut store = session(Store::open(&real, &stamp()).unwrap());
    let mut app = app(&store, Lang::Da);
    assert!(draw(&app, 200, 30).contains("Tryk d for en demodatabase"));
    press(&mut app, &mut store, &[key(KeyCode::Char('d'))]);
    assert_eq!(store.store.path(), dir.path().join("tilsynsklar-demo.db"));
    assert!(app.home.rows.len() > 30, "the demo region is there");
    assert!(
        Store::open(&real, &stamp())
            .unwrap()
            .facilities(true)
            .unwrap()
            .is_empty(),
        "the real database is untouched"
    );
}

#[test]
fn the_home_screen_at_80x24_and_120x40_in_danish_and_english() {
    for lang in [Lang::Da, Lang::En] {
        let store = store();
        let app = app(&store, lang);
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("home_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("home_{code}_120x40"), draw(&app, 120, 40));
    }
}
