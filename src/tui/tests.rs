//! The terminal program without a terminal: `update` fed with key events (effects run
//! against an in-memory store), and the screens drawn on a `TestBackend` for snapshots.

use super::app::{App, EditKind, Overlay, Screen, StatusKind, update};
use super::data::load_home;
use super::effects::apply;
use super::model_states::session;
use crate::app::Session;
use crate::assessment::{ScoreInput, ScoreValue, Status};
use crate::i18n::Lang;
use crate::store::{NewFacility, Stamp, Store};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn stamp() -> Stamp {
    Stamp {
        by: "mette".into(),
        at: "2026-11-25T09:30:00Z".parse().unwrap(),
    }
}

/// A store with one facility, its 2025 assessment partly scored, and nothing for 2026.
fn store() -> Session {
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

fn app(store: &Session, lang: Lang) -> App {
    App::new(lang, "mette".into(), 2026, false, load_home(store).unwrap())
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses keys in order, running each effect through the store.
fn press(app: &mut App, store: &mut Session, keys: &[KeyEvent]) {
    for k in keys {
        if let Some(effect) = update(app, *k) {
            apply(app, store, effect);
        }
    }
}

fn chars(s: &str) -> Vec<KeyEvent> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn score_of(store: &Session, assessment: i64, id: &str) -> Option<crate::assessment::Score> {
    store
        .store
        .scores(assessment)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == id)
}

/// Opens a new 2026 assessment from the home screen, starting from 2025's when `roll`.
fn start_2026(app: &mut App, store: &mut Session, roll: bool) -> i64 {
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
fn take_the_quality_model(app: &mut App, store: &mut Session) {
    if let Overlay::NewAssessment(form) = &app.overlay {
        assert!(
            form.models.iter().any(|(id, _)| id == "sikkerhed-2017"),
            "the safety framework is offered"
        );
        assert_eq!(form.models[form.model].0, "socialtilsyn-2017");
        press(app, store, &[key(KeyCode::Enter)]);
    }
}

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
fn digits_score_and_move_on_across_themes_and_undo_and_redo_are_per_indicator() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, false);
    let value = |store: &Session, id: &str| score_of(store, a, id).map(|s| s.value);
    press(&mut app, &mut store, &chars("352"));
    assert_eq!(value(&store, "1a"), Some(ScoreValue::Scored(3)));
    assert_eq!(value(&store, "1b"), Some(ScoreValue::Scored(5)));
    assert_eq!(value(&store, "1c"), Some(ScoreValue::Scored(2)));
    assert_eq!(app.status.as_ref().unwrap().kind, StatusKind::Saved);
    assert_eq!(
        (
            app.assessment.theme,
            app.assessment.selected().unwrap().id.as_str()
        ),
        (1, "2a"),
        "after the theme's last indicator the next theme's first"
    );
    // k goes back across the theme's start
    press(&mut app, &mut store, &chars("k4k"));
    assert_eq!(value(&store, "1c"), Some(ScoreValue::Scored(4)));
    assert_eq!(app.assessment.selected().unwrap().id, "1c");
    press(&mut app, &mut store, &chars("u"));
    assert_eq!(value(&store, "1c"), Some(ScoreValue::Scored(2)));
    assert!(
        app.status.as_ref().unwrap().text.ends_with("1c 4 → 2"),
        "{:?}",
        app.status
    );
    press(&mut app, &mut store, &chars("u"));
    assert_eq!(value(&store, "1c"), None);
    press(&mut app, &mut store, &chars("u"));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "Intet at fortryde for 1c"
    );
    press(&mut app, &mut store, &chars("r"));
    assert_eq!(value(&store, "1c"), Some(ScoreValue::Scored(2)));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .ends_with("1c ingen score → 2")
    );
    // undo on 1b touches 1b only: 1a and 1c keep theirs
    press(&mut app, &mut store, &chars("ku"));
    assert_eq!(value(&store, "1b"), None);
    assert_eq!(value(&store, "1a"), Some(ScoreValue::Scored(3)));
    assert_eq!(value(&store, "1c"), Some(ScoreValue::Scored(2)));
    assert_eq!(
        store
            .store
            .audit_log(Some(a))
            .unwrap()
            .iter()
            .filter(|e| e.action == "score.undo")
            .count(),
        4,
        "every undo and redo is in the audit log"
    );
}

#[test]
fn a_reasoning_written_before_the_score_is_kept_and_saved_with_it() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, false);
    // e on an unscored indicator opens the editor: the typed text never runs as keys
    press(&mut app, &mut store, &[key(KeyCode::Char('e'))]);
    assert!(
        matches!(&app.overlay, Overlay::Editor(e) if e.kind == EditKind::Reasoning && e.indicator == "1a"),
        "the editor opens before a score"
    );
    press(&mut app, &mut store, &chars("Vi har handleplaner 4 alle"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("gemmes sammen med scoren"),
        "{:?}",
        app.status
    );
    assert!(
        store
            .store
            .scores(a)
            .unwrap()
            .iter()
            .all(|s| s.indicator_id != "1a"),
        "nothing saved without a score"
    );
    // the score takes the text with it
    press(&mut app, &mut store, &[key(KeyCode::Char('3'))]);
    let saved = store
        .store
        .scores(a)
        .unwrap()
        .into_iter()
        .find(|s| s.indicator_id == "1a")
        .expect("1a saved");
    assert_eq!(saved.value, ScoreValue::Scored(3));
    assert_eq!(saved.reasoning, "Vi har handleplaner 4 alle");
    // and no other indicator was touched by the typing
    assert!(
        store
            .store
            .scores(a)
            .unwrap()
            .iter()
            .all(|s| s.indicator_id == "1a" || s.value == ScoreValue::NotRelevant),
        "only 1a scored"
    );
}

#[test]
fn reasoning_and_sources_are_edited_and_saved_with_escape() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, false);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char('4')),
            key(KeyCode::Char('k')),
            key(KeyCode::Enter),
        ],
    );
    assert!(
        matches!(&app.overlay, Overlay::Editor(e) if e.kind == EditKind::Reasoning && e.indicator == "1a")
    );
    press(
        &mut app,
        &mut store,
        &chars("Målene følges op på møder i år"),
    );
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    press(&mut app, &mut store, &chars("– og i handleplanen"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert_eq!(
        score_of(&store, a, "1a").unwrap().reasoning,
        "Målene følges op på møder i år\n– og i handleplanen"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('s'))]);
    press(&mut app, &mut store, &chars("Statusnotater"));
    press(
        &mut app,
        &mut store,
        &[KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)],
    );
    let s = score_of(&store, a, "1a").unwrap();
    assert_eq!(
        (s.sources.as_str(), s.value),
        ("Statusnotater", ScoreValue::Scored(4))
    );
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn not_relevant_asks_for_the_reason_and_refuses_an_empty_one() {
    let mut store = store();
    let mut app = app(&store, Lang::En);
    let a = start_2026(&mut app, &mut store, false);
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('x')), key(KeyCode::Enter)],
    );
    assert!(score_of(&store, a, "1a").is_none());
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "This needs a reason; write it, or Esc cancels"
    );
    assert!(matches!(app.overlay, Overlay::Editor(_)), "still asking");
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "Cancelled; nothing changed"
    );
    // Esc cancels the dialog, and keeps what was typed as a draft for next time
    press(&mut app, &mut store, &[key(KeyCode::Char('0'))]);
    press(&mut app, &mut store, &chars("Alle borgere er"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert!(score_of(&store, a, "1a").is_none(), "Esc saves nothing");
    assert!(matches!(app.overlay, Overlay::None));
    press(&mut app, &mut store, &[key(KeyCode::Char('x'))]);
    let Overlay::Editor(e) = &app.overlay else {
        panic!("no editor")
    };
    assert_eq!(e.text(), "Alle borgere er");
    press(&mut app, &mut store, &chars(" folkepensionister"));
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    assert!(app.drafts.is_empty(), "the saved draft is gone");
    let s = score_of(&store, a, "1a").unwrap();
    assert_eq!(
        (s.value, s.reasoning.as_str()),
        (ScoreValue::NotRelevant, "Alle borgere er folkepensionister")
    );
}

#[test]
fn themes_change_with_tab_h_and_l_and_search_finds_an_indicator() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    start_2026(&mut app, &mut store, false);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Char('l')),
            key(KeyCode::Right),
        ],
    );
    assert_eq!(app.assessment.theme, 3);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::Char('h')),
            key(KeyCode::Left),
            key(KeyCode::Left),
        ],
    );
    assert_eq!(
        app.assessment.theme, 6,
        "wraps from the first theme to the last"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('G'))]);
    assert_eq!(app.assessment.selected().unwrap().id, "11c");
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Home), key(KeyCode::Char('k'))],
    );
    assert_eq!(
        (
            app.assessment.theme,
            app.assessment.selected().unwrap().id.as_str()
        ),
        (5, "10b"),
        "k at a theme's start goes to the previous theme's last"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('/'))]);
    press(&mut app, &mut store, &chars("magtanvendelser"));
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    assert_eq!(
        (
            app.assessment.theme,
            app.assessment.selected().unwrap().id.as_str()
        ),
        (3, "6a")
    );
    // the same search again finds the next one
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('/')), key(KeyCode::Enter)],
    );
    assert_eq!(app.assessment.selected().unwrap().id, "6b");
    press(&mut app, &mut store, &[key(KeyCode::Char('/'))]);
    press(&mut app, &mut store, &chars("xyzzy"));
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    assert_eq!(app.assessment.selected().unwrap().id, "6b");
    assert!(app.status.as_ref().unwrap().text.contains("xyzzy"));
}

#[test]
fn roll_forward_marks_carried_scores_until_confirmed_and_finalising_needs_them() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, true);
    assert!(score_of(&store, a, "1a").unwrap().carried_over);
    assert_eq!(
        app.assessment
            .view
            .as_ref()
            .unwrap()
            .previous
            .as_ref()
            .unwrap()
            .record
            .year,
        2025
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('c'))]);
    assert!(!score_of(&store, a, "1a").unwrap().carried_over);
    // score every other indicator; 4a and 6a stay carried over
    let ids: Vec<String> = app
        .assessment
        .view
        .as_ref()
        .unwrap()
        .model
        .indicators()
        .map(|r| r.indicator.id.clone())
        .collect();
    for id in &ids {
        if ["1a", "2d", "4a", "6a"].contains(&id.as_str()) {
            continue;
        }
        let input = ScoreInput {
            indicator_id: id.clone(),
            value: ScoreValue::Scored(3),
            reasoning: Some("ok".into()),
            sources: None,
        };
        store.store.set_score(a, &input, &stamp()).unwrap();
    }
    // written behind the app's back (as a second leader would): it shows them once reloaded
    app.show_assessment(super::data::load_assessment(&store, a).unwrap());
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('o')), key(KeyCode::Char('f'))],
    );
    let Overlay::Message(lines) = &app.overlay else {
        panic!("finalising should be refused")
    };
    assert!(lines[0].contains("2 indikator(er) mangler"), "{lines:?}");
    assert!(
        lines[1].contains("4a") && lines[1].contains("ikke genvurderet"),
        "{lines:?}"
    );
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char('x')),
            key(KeyCode::Esc),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
        ],
    );
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char('c')),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
        ],
    );
    assert_eq!(
        app.assessment.selected().unwrap().id,
        "6a",
        "c confirmed 4a and moved on"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('4'))]);
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('o')), key(KeyCode::Char('f'))],
    );
    assert!(matches!(app.overlay, Overlay::Finalise(_)));
    for cancel in [
        key(KeyCode::Char('n')),
        key(KeyCode::Char('j')),
        key(KeyCode::Esc),
    ] {
        press(&mut app, &mut store, &[cancel]);
        assert_eq!(
            store
                .store
                .assessment(&crate::store::AssessmentRef::Id(a))
                .unwrap()
                .status,
            Status::Draft,
            "{cancel:?} cancels (j is the scroll key)"
        );
        assert!(matches!(app.overlay, Overlay::None));
        press(&mut app, &mut store, &[key(KeyCode::Char('f'))]);
    }
    press(&mut app, &mut store, &[key(KeyCode::Char('y'))]);
    let done = store
        .store
        .assessment(&crate::store::AssessmentRef::Id(a))
        .unwrap();
    assert_eq!(
        (done.status, done.finalised_by.as_deref()),
        (Status::Finalised, Some("mette"))
    );
    // a finalised assessment is read-only
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Esc), key(KeyCode::Char('1'))],
    );
    assert!(app.status.as_ref().unwrap().text.contains("kan kun læses"));
    assert_eq!(
        score_of(&store, a, "6a").unwrap().value,
        ScoreValue::Scored(4)
    );
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

/// Draws the app at a size and returns the screen as text.
fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::view::view(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn screens_at_80x24_and_120x40_in_danish_and_english() {
    for lang in [Lang::Da, Lang::En] {
        let mut store = store();
        let mut app = app(&store, lang);
        let home = |app: &App, w, h| draw(app, w, h);
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("home_{code}_80x24"), home(&app, 80, 24));
        insta::assert_snapshot!(format!("home_{code}_120x40"), home(&app, 120, 40));
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
        insta::assert_snapshot!(format!("assessment_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("assessment_{code}_120x40"), draw(&app, 120, 40));
        press(&mut app, &mut store, &[key(KeyCode::Char('o'))]);
        insta::assert_snapshot!(format!("overview_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("overview_{code}_120x40"), draw(&app, 120, 40));
        press(
            &mut app,
            &mut store,
            &[key(KeyCode::Esc), key(KeyCode::Char('?'))],
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

#[test]
fn the_gaps_screen_goes_from_gap_to_action_plans_to_actions() {
    let mut store = store();
    // a facility of Region Midtjylland sees Social Strategi's action plans (on the 2014 model)
    let changes = crate::store::FacilityChanges {
        organisation: Some("Region Midtjylland".into()),
        ..Default::default()
    };
    store
        .store
        .edit_facility("Bostedet Solhøj", &changes, &stamp())
        .unwrap();
    let mut app = app(&store, Lang::Da);
    // 2025: 4a = 2 (a gap, linked through K4 in the 2014 strategy), 1a = 4, 6a = 5
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Enter), key(KeyCode::Char('g'))],
    );
    assert_eq!(app.screen, Screen::Gaps);
    let view = app.assessment.view.as_ref().unwrap();
    let rows = super::app::gap_rows(view);
    let at = |id: &str| {
        rows.iter().position(|r| matches!(r, super::app::GapRow::Finding(i) if view.gaps[*i].finding.node_id == id)).unwrap()
    };
    let row_4a = at("4a");
    let plans: Vec<&str> = view
        .gaps
        .iter()
        .find(|e| e.finding.node_id == "4a")
        .unwrap()
        .plans
        .iter()
        .map(|p| p.target_id.as_str())
        .collect();
    assert!(plans.contains(&"RM-11"), "{plans:?}");
    // move to 4a and raise an action; the form offers the linked action plan
    for _ in 0..row_4a {
        press(&mut app, &mut store, &[key(KeyCode::Char('j'))]);
    }
    press(&mut app, &mut store, &[key(KeyCode::Char('a'))]);
    let Overlay::Form(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(
        form.kind,
        super::app::FormKind::Action {
            indicators: vec!["4a".into()]
        }
    );
    assert_eq!(form.fields[3].lines().join(""), "RM-11");
    press(&mut app, &mut store, &chars("Husmøder hver anden uge"));
    press(&mut app, &mut store, &[key(KeyCode::Tab)]);
    press(&mut app, &mut store, &chars("Mette"));
    press(&mut app, &mut store, &[key(KeyCode::Tab)]);
    press(&mut app, &mut store, &chars("31-02-2026"));
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Tab), key(KeyCode::Enter)],
    );
    assert!(
        matches!(app.overlay, Overlay::Form(_)),
        "a bad date keeps the form open"
    );
    assert_eq!(app.status.as_ref().unwrap().kind, StatusKind::Error);
    for _ in 0..10 {
        press(&mut app, &mut store, &[key(KeyCode::Backspace)]);
    }
    press(&mut app, &mut store, &chars("31-03-2026"));
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Tab), key(KeyCode::Enter)],
    );
    let actions = store
        .store
        .actions(&crate::store::ActionFilter::default())
        .unwrap();
    assert_eq!(actions.len(), 1);
    let x = &actions[0];
    assert_eq!(
        (x.text.as_str(), x.owner.as_str(), x.action_plan.as_deref()),
        ("Husmøder hver anden uge", "Mette", Some("RM-11"))
    );
    assert_eq!(x.due, chrono::NaiveDate::from_ymd_opt(2026, 3, 31));
    // the action sits under its gap; p, then x with a reason
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('j')), key(KeyCode::Char('p'))],
    );
    assert_eq!(
        store.store.action(x.id).unwrap().status,
        crate::assessment::ActionStatus::InProgress
    );
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('x')), key(KeyCode::Esc)],
    );
    assert_eq!(
        store.store.action(x.id).unwrap().status,
        crate::assessment::ActionStatus::InProgress,
        "no reason, no drop"
    );
    for cancel in [KeyCode::Esc, KeyCode::Char('j'), KeyCode::Char('d')] {
        press(
            &mut app,
            &mut store,
            &[key(KeyCode::Char('d')), key(cancel)],
        );
        assert_eq!(
            store.store.action(x.id).unwrap().status,
            crate::assessment::ActionStatus::InProgress,
            "d then {cancel:?} changes nothing"
        );
    }
    press(&mut app, &mut store, &[key(KeyCode::Char('x'))]);
    press(&mut app, &mut store, &chars("Erstattet af beboerråd"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert_eq!(
        store.store.action(x.id).unwrap().status,
        crate::assessment::ActionStatus::InProgress,
        "Esc cancels the drop dialog"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('x'))]);
    press(&mut app, &mut store, &chars("Erstattet af beboerråd"));
    press(&mut app, &mut store, &[key(KeyCode::Enter)]);
    let dropped = store.store.action(x.id).unwrap();
    assert_eq!(
        (dropped.status, dropped.drop_reason.as_deref()),
        (
            crate::assessment::ActionStatus::Dropped,
            Some("Erstattet af beboerråd")
        )
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('d'))]);
    assert!(
        matches!(app.overlay, Overlay::Confirm { .. }),
        "d asks first"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('y'))]);
    assert_eq!(
        app.status.as_ref().unwrap().kind,
        StatusKind::Error,
        "a dropped action does not change"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('q'))]);
    assert_eq!(app.screen, Screen::Assessment);
}

#[test]
fn next_year_shows_last_years_actions_and_what_became_of_the_gaps() {
    let mut store = store();
    let a2025 = store
        .store
        .assessment(&crate::store::AssessmentRef::FacilityYear(
            "Bostedet Solhøj".into(),
            2025,
        ))
        .unwrap()
        .id;
    let new = crate::assessment::NewAction {
        text: "Husmøder hver anden uge".into(),
        indicators: vec!["4a".into()],
        ..Default::default()
    };
    store.store.add_action(a2025, &new, &stamp()).unwrap();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, false);
    store
        .store
        .set_score(
            a,
            &ScoreInput {
                indicator_id: "4a".into(),
                value: ScoreValue::Scored(4),
                reasoning: None,
                sources: None,
            },
            &stamp(),
        )
        .unwrap();
    app.show_assessment(super::data::load_assessment(&store, a).unwrap());
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    assert_eq!(app.assessment.selected().unwrap().id, "4a");
    let screen = draw(&app, 120, 40);
    assert!(
        screen.contains("Udviklingspunkt fra 2025: #1 [planlagt] Husmøder hver anden uge"),
        "{screen}"
    );
    press(&mut app, &mut store, &[key(KeyCode::Char('o'))]);
    let screen = draw(&app, 120, 40);
    assert!(
        screen.contains("Huller fra 2025: 4a 2→4 lukket"),
        "{screen}"
    );
    // last year's open action is in Gaps, and can be closed there
    press(&mut app, &mut store, &chars("g"));
    let screen = draw(&app, 120, 40);
    assert!(
        screen.contains("↩ fra 2025: #1 [planlagt] Husmøder hver anden uge"),
        "{screen}"
    );
    press(&mut app, &mut store, &chars("Gdy"));
    assert_eq!(
        store.store.action(1).unwrap().status,
        crate::assessment::ActionStatus::Done
    );
    assert!(!draw(&app, 120, 40).contains("↩ fra 2025"), "closed: gone");
}

#[test]
fn the_gaps_screen_at_80x24_and_120x40() {
    for lang in [Lang::Da, Lang::En] {
        let mut store = store();
        let a2025 = store
            .store
            .assessment(&crate::store::AssessmentRef::FacilityYear(
                "Bostedet Solhøj".into(),
                2025,
            ))
            .unwrap()
            .id;
        let new = crate::assessment::NewAction {
            text: "Husmøder hver anden uge".into(),
            indicators: vec!["4a".into()],
            action_plan: Some("RM-11".into()),
            owner: "Mette".into(),
            due: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
        };
        store.store.add_action(a2025, &new, &stamp()).unwrap();
        let mut app = app(&store, lang);
        press(
            &mut app,
            &mut store,
            &[key(KeyCode::Enter), key(KeyCode::Char('g'))],
        );
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("gaps_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("gaps_{code}_120x40"), draw(&app, 120, 40));
    }
}

/// Two facilities with assessments in 2016 (2014 model) and 2025 (2017 model).
fn region() -> Session {
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
fn the_compare_screen_follows_a_facility_and_moves_between_years() {
    let mut store = region();
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &[key(KeyCode::Char('c'))]);
    assert_eq!(app.screen, Screen::Compare);
    let c = app.compare.view.as_ref().unwrap();
    assert_eq!(c.facility, "Bostedet Solhøj");
    assert_eq!(c.years, vec![2016, 2025]);
    // 2016 on the 2014 model seen in the 2017 frame: 14a/14b are 2017's 11a/11b -> T7 2.5
    assert_eq!(c.means[6], vec![Some(2.5), None]);
    assert_eq!(c.matrix.year, 2025);
    // both 3,75 overall in 2025: ties go by name
    assert_eq!(
        c.matrix
            .rows
            .iter()
            .map(|r| r.facility.as_str())
            .collect::<Vec<_>>(),
        ["Bostedet Solhøj", "Æblehaven"]
    );
    press(&mut app, &mut store, &[key(KeyCode::Left)]);
    assert_eq!(app.compare.view.as_ref().unwrap().matrix.year, 2016);
    press(&mut app, &mut store, &[key(KeyCode::Left)]);
    assert_eq!(
        app.compare.view.as_ref().unwrap().matrix.year,
        2016,
        "no earlier year"
    );
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Char('l')), key(KeyCode::Esc)],
    );
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn the_compare_screen_at_80x24_and_120x40() {
    for lang in [Lang::Da, Lang::En] {
        let mut store = region();
        let mut app = app(&store, lang);
        press(&mut app, &mut store, &[key(KeyCode::Char('c'))]);
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("compare_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("compare_{code}_120x40"), draw(&app, 120, 40));
    }
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
fn a_text_with_a_cpr_number_is_saved_then_masked_on_request() {
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, false);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char('4')),
            key(KeyCode::Char('k')),
            key(KeyCode::Enter),
        ],
    );
    press(&mut app, &mut store, &chars("Borger 010190-1234 deltog"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    // saved at once (nothing typed is lost), then the offer
    assert_eq!(
        score_of(&store, a, "1a").unwrap().reasoning,
        "Borger 010190-1234 deltog"
    );
    assert!(matches!(
        &app.overlay,
        Overlay::PersonalData { refused: false, .. }
    ));
    insta::assert_snapshot!("personal_data_offer_da_80x24", draw(&app, 80, 24));
    press(&mut app, &mut store, &[key(KeyCode::Char('m'))]);
    assert_eq!(
        score_of(&store, a, "1a").unwrap().reasoning,
        "Borger [CPR-nummer fjernet] deltog"
    );
    assert!(matches!(app.overlay, Overlay::None));
    // kept: any other key closes the offer and leaves the text as saved
    press(&mut app, &mut store, &[key(KeyCode::Char('s'))]);
    press(&mut app, &mut store, &chars("ring 23 45 67 89"));
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Esc), key(KeyCode::Char('x'))],
    );
    assert_eq!(
        score_of(&store, a, "1a").unwrap().sources,
        "ring 23 45 67 89"
    );
    assert!(matches!(app.overlay, Overlay::None));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("gemt med personoplysninger")
    );
}

#[test]
fn strict_refuses_the_text_and_goes_back_to_it_unless_masked() {
    let mut store = store();
    store.store.set_strict();
    let mut app = app(&store, Lang::En);
    let a = start_2026(&mut app, &mut store, false);
    press(
        &mut app,
        &mut store,
        &[
            key(KeyCode::Char('3')),
            key(KeyCode::Char('k')),
            key(KeyCode::Enter),
        ],
    );
    press(&mut app, &mut store, &chars("mail mette@solhoj.dk"));
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    assert_eq!(score_of(&store, a, "1a").unwrap().reasoning, "");
    assert!(matches!(
        &app.overlay,
        Overlay::PersonalData { refused: true, .. }
    ));
    // back to the editor with the text as typed
    press(&mut app, &mut store, &[key(KeyCode::Esc)]);
    let Overlay::Editor(e) = &app.overlay else {
        panic!("not back in the editor")
    };
    assert_eq!(e.kind, EditKind::Reasoning);
    assert_eq!(e.area.lines().join("\n"), "mail mette@solhoj.dk");
    // saved again: refused again, then masked and saved
    press(
        &mut app,
        &mut store,
        &[key(KeyCode::Esc), key(KeyCode::Char('m'))],
    );
    assert_eq!(
        score_of(&store, a, "1a").unwrap().reasoning,
        "mail [e-mail fjernet]"
    );
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn after_saves_confirms_and_undos_the_open_view_is_what_a_fresh_load_shows() {
    // a save reads only the assessment's scores again and finds its gaps and follow-up
    // itself: it must come to what opening the assessment anew shows
    let mut store = store();
    let mut app = app(&store, Lang::Da);
    let a = start_2026(&mut app, &mut store, true);
    let fresh = |store: &Session| super::data::load_assessment(store, a).unwrap();
    assert!(fresh(&store).previous.is_some(), "last year is there");
    for keys in ["1", "2", "c", "1", "u", "r", "k", "5", "u"] {
        press(&mut app, &mut store, &chars(keys));
        let shown = app.assessment.view.as_ref().unwrap();
        let loaded = fresh(&store);
        assert_eq!(shown.scores, loaded.scores, "after {keys}");
        assert_eq!(shown.gaps, loaded.gaps, "after {keys}");
        assert_eq!(shown.follow_up, loaded.follow_up, "after {keys}");
        assert_eq!(shown.summary().done, loaded.summary().done, "after {keys}");
    }
    let shown = app.assessment.view.as_ref().unwrap();
    assert!(!shown.gaps.is_empty(), "the low scores are gaps");
    assert!(
        shown
            .scores
            .values()
            .any(|s| s.by == "mette" && !s.carried_over),
        "the keys saved scores"
    );
}
