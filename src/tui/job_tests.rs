//! The whole job in the terminal program: the facility form (add, edit, kept on a
//! refusal), sign-off as a named person, reopening with a reason, the choice of model,
//! the demo banner, and Compare over a keep-both database.

use super::app::{App, Msg, Overlay};
use super::data::load_home;
use super::model_states::{ctrl, key, keys, press, session, small_store, stamp};
use crate::app::Session;
use crate::assessment::{ScoreInput, ScoreValue, Status};
use crate::i18n::Lang;
use crate::store::{AssessmentRef, NewFacility, Store};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app(store: &Session, lang: Lang) -> App {
    let mut app = App::new(lang, "mette".into(), 2026, false, load_home(store).unwrap());
    app.demo = store.store.is_demo().unwrap();
    app
}

fn k(code: KeyCode) -> Msg {
    Msg::Key(key(code))
}

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::view::view(f, app)).unwrap();
    terminal.backend().to_string()
}

fn home_row_of(app: &App, name: &str) -> usize {
    app.home
        .rows
        .iter()
        .position(|r| matches!(r, super::data::HomeRow::Facility(f) if f.name == name))
        .unwrap()
}

#[test]
fn the_facility_form_keeps_its_input_on_a_refusal_and_edits_with_tag_checkboxes() {
    let mut store = small_store(false);
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &keys("a"));
    let Overlay::Facility(form) = &app.overlay else {
        panic!("no facility form")
    };
    let ids: Vec<&str> = form.tags.iter().map(|t| t.tag.id.as_str()).collect();
    assert_eq!(ids, ["children", "board", "ambulant", "shelter"]);
    // a duplicate name: the form stays, with what was typed and why
    press(&mut app, &mut store, &keys("bostedet solhøj"));
    press(&mut app, &mut store, &[k(KeyCode::Tab)]);
    press(&mut app, &mut store, &keys("Vejle Kommune"));
    press(&mut app, &mut store, &[Msg::Key(ctrl('s'))]);
    let Overlay::Facility(form) = &app.overlay else {
        panic!("the form closed on a refusal")
    };
    assert_eq!(form.fields[0].lines().join(""), "bostedet solhøj");
    assert_eq!(form.fields[1].lines().join(""), "Vejle Kommune");
    assert!(
        form.error.as_deref().unwrap().contains("findes"),
        "{:?}",
        form.error
    );
    assert_eq!(form.focus, 0, "the focus goes to the name");
    let screen = draw(&app, 80, 24);
    insta::assert_snapshot!("facility_form_refused_da_80x24", screen);
    assert!(screen.contains("Tilbud til børn og unge"), "{screen}");
    assert_eq!(
        store.store.facilities(false).unwrap().len(),
        1,
        "nothing added"
    );
    // Esc cancels; e edits the selected facility, its tag ticked
    press(&mut app, &mut store, &[k(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Overlay::None));
    app.home.sel = home_row_of(&app, "Bostedet Solhøj");
    press(&mut app, &mut store, &keys("e"));
    let Overlay::Facility(form) = &app.overlay else {
        panic!("no edit form")
    };
    assert_eq!(form.fields[0].lines().join(""), "Bostedet Solhøj");
    let ticked: Vec<bool> = form.tags.iter().map(|t| t.checked).collect();
    assert_eq!(ticked, [false, true, false, false]);
    // to the tags: tick children, untick board, Enter saves
    press(&mut app, &mut store, &vec![k(KeyCode::Tab); 5]);
    press(
        &mut app,
        &mut store,
        &[
            k(KeyCode::Char(' ')),
            k(KeyCode::Down),
            k(KeyCode::Char(' ')),
            k(KeyCode::Enter),
        ],
    );
    assert!(matches!(app.overlay, Overlay::None));
    let f = store.store.find_facility("Bostedet Solhøj").unwrap();
    assert_eq!(f.tags, ["children"]);
    assert_eq!(f.organisation, "Region Syddanmark", "the rest kept");
}

#[test]
fn the_edit_form_in_english_names_the_tags_in_english() {
    let mut store = small_store(false);
    let mut app = app(&store, Lang::En);
    app.home.sel = home_row_of(&app, "Bostedet Solhøj");
    press(&mut app, &mut store, &keys("e"));
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("The offer has a board"), "{screen}");
    assert!(screen.contains("[x]"), "{screen}");
    insta::assert_snapshot!("facility_form_edit_en_80x24", screen);
}

#[test]
fn a_refused_text_under_the_strict_policy_keeps_the_facility_form() {
    let mut store = small_store(true);
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &keys("a"));
    press(&mut app, &mut store, &keys("Nyt sted"));
    press(&mut app, &mut store, &vec![k(KeyCode::Tab); 4]);
    press(&mut app, &mut store, &keys("Borger 010190-1234"));
    press(&mut app, &mut store, &[Msg::Key(ctrl('s'))]);
    let Overlay::Facility(form) = &app.overlay else {
        panic!("the form closed on a refusal")
    };
    assert!(form.error.is_some());
    assert_eq!(form.fields[4].lines().join(""), "Borger 010190-1234");
    assert!(
        store.store.find_facility("Nyt sted").is_err(),
        "nothing added"
    );
}

/// A store with one facility whose 2026 assessment is fully scored, and an app on it.
fn scored() -> (Session, App, i64) {
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
    let f = store
        .store
        .add_facility(
            &NewFacility {
                name: "Kystly".into(),
                tags: vec!["board".into()],
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let model = store.store.model_for_year(2026).unwrap();
    let a = store
        .store
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    let have: Vec<String> = store
        .store
        .scores(a.id)
        .unwrap()
        .into_iter()
        .map(|s| s.indicator_id)
        .collect();
    for r in model.indicators() {
        if have.contains(&r.indicator.id) {
            continue;
        }
        let input = ScoreInput {
            indicator_id: r.indicator.id.clone(),
            value: ScoreValue::Scored(4),
            reasoning: Some("Set i praksis".into()),
            sources: Some("Referater".into()),
        };
        store.store.set_score(a.id, &input, &stamp()).unwrap();
    }
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    assert_eq!(app.assessment.view.as_ref().unwrap().record.id, a.id);
    (store, app, a.id)
}

fn status(store: &Session, id: i64) -> (Status, Option<String>) {
    let r = store.store.assessment(&AssessmentRef::Id(id)).unwrap();
    (r.status, r.finalised_by)
}

#[test]
fn the_finalise_dialog_signs_as_the_named_person() {
    let (mut store, mut app, id) = scored();
    press(&mut app, &mut store, &keys("of"));
    let Overlay::Finalise(d) = &app.overlay else {
        panic!("no finalise dialog")
    };
    assert_eq!(d.name(), "mette", "the --user name by default");
    insta::assert_snapshot!("finalise_da_80x24", draw(&app, 80, 24));
    // j cancels (the scroll key), never signs
    press(&mut app, &mut store, &keys("j"));
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(status(&store, id).0, Status::Draft);
    // Tab edits the name; there `y` and `j` are letters; an empty name is refused
    press(&mut app, &mut store, &keys("f"));
    press(&mut app, &mut store, &[k(KeyCode::Tab)]);
    press(&mut app, &mut store, &vec![k(KeyCode::Backspace); 5]);
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::Finalise(d) = &app.overlay else {
        panic!("an empty name closed the dialog")
    };
    assert!(d.error.is_some());
    assert_eq!(status(&store, id).0, Status::Draft);
    press(&mut app, &mut store, &keys("Jytte Fyn"));
    let Overlay::Finalise(d) = &app.overlay else {
        panic!("y closed the dialog while editing the name")
    };
    assert_eq!(d.name(), "Jytte Fyn");
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    assert_eq!(
        status(&store, id),
        (Status::Finalised, Some("Jytte Fyn".into()))
    );
    assert!(app.status.as_ref().unwrap().text.contains("Jytte Fyn"));
}

#[test]
fn reopen_asks_for_a_reason_enter_confirms_esc_cancels() {
    let (mut store, mut app, id) = scored();
    press(&mut app, &mut store, &keys("ofy"));
    assert_eq!(status(&store, id).0, Status::Finalised);
    press(&mut app, &mut store, &keys("R"));
    assert!(matches!(app.overlay, Overlay::Reopen(_)));
    // the reason is required
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::Reopen(d) = &app.overlay else {
        panic!("an empty reason closed the dialog")
    };
    assert!(d.error.is_some());
    insta::assert_snapshot!("reopen_required_da_80x24", draw(&app, 80, 24));
    press(&mut app, &mut store, &keys("Tal rettet"));
    press(&mut app, &mut store, &[k(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(status(&store, id).0, Status::Finalised, "Esc cancels");
    press(&mut app, &mut store, &keys("R"));
    press(&mut app, &mut store, &keys("Forkert score i 3b"));
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    assert_eq!(status(&store, id), (Status::Draft, None));
    assert!(!app.assessment.read_only());
    let log = store.store.audit_log(Some(id)).unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.reason.as_deref()),
        ("assessment.reopen", Some("Forkert score i 3b"))
    );
    // a draft has nothing to reopen
    press(&mut app, &mut store, &keys("R"));
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn the_new_assessment_asks_which_model_only_where_two_apply() {
    let mut store = small_store(false);
    let mut copy = (*store.store.model_for_year(2026).unwrap()).clone();
    copy.id = "region-syd-2017".into();
    copy.name.da = "Region Syddanmarks udgave".into();
    store
        .store
        .import_model(&copy, "region.json", &stamp())
        .unwrap();
    // the national model, the region's copy, and the safety self-evaluation
    assert_eq!(store.store.models_for_year(2026).unwrap().len(), 3);
    assert_eq!(store.store.models_for_year(2016).unwrap().len(), 1);
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &keys("n"));
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no question of model")
    };
    assert_eq!(form.models.len(), 3);
    assert_eq!(
        form.models[2].0, "sikkerhed-2017",
        "the safety framework is offered"
    );
    let second = form.models[1].0.clone();
    insta::assert_snapshot!("new_assessment_models_da_80x24", draw(&app, 80, 24));
    press(&mut app, &mut store, &[k(KeyCode::Down), k(KeyCode::Enter)]);
    let view = app.assessment.view.as_ref().expect("started");
    assert_eq!(
        (view.record.year, view.record.model_id.clone()),
        (2026, second)
    );
}

#[test]
fn the_demo_database_says_so_on_screen() {
    let mut demo = session(Store::open_in_memory(&stamp()).unwrap());
    crate::demo::generate(
        &mut *demo.store,
        &crate::demo::DemoSpec {
            facilities: 2,
            years: 2,
            from_year: 2025,
            seed: 3,
        },
        "demo",
    )
    .unwrap();
    assert!(demo.store.is_demo().unwrap());
    let mut app = app(&demo, Lang::Da);
    assert!(draw(&app, 80, 24).contains("DEMODATA"));
    press(&mut app, &mut demo, &[k(KeyCode::Enter)]);
    assert!(draw(&app, 80, 24).contains("DEMODATA"), "on every screen");
    let real = small_store(false);
    assert!(!real.store.is_demo().unwrap());
    assert!(!draw(&super::job_tests::app(&real, Lang::Da), 80, 24).contains("DEMODATA"));
}

#[test]
fn compare_counts_a_facility_once_in_a_keep_both_database() {
    let mut store = small_store(false);
    // another database's Bostedet Solhøj 2025, brought in beside ours
    let mut other = session(Store::open_in_memory(&stamp()).unwrap());
    let f = other
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
    let model = other.store.model_for_year(2025).unwrap();
    let a = other
        .store
        .start_assessment(&f, 2025, &model, false, &stamp())
        .unwrap();
    let input = ScoreInput {
        indicator_id: "1a".into(),
        value: ScoreValue::Scored(1),
        reasoning: None,
        sources: None,
    };
    other.store.set_score(a.id, &input, &stamp()).unwrap();
    let recs = other.store.assessments(None).unwrap();
    let mut w = crate::exchange::BundleWriter::start(
        Vec::new(),
        "2026-11-25T09:30:00Z",
        "test",
        &other.store.bundle_models(&recs).unwrap(),
        &other
            .store
            .bundle_facilities(&other.store.facilities(true).unwrap()),
    )
    .unwrap();
    for r in &recs {
        w.assessment(&other.store.bundle_assessment(r).unwrap())
            .unwrap();
    }
    let bytes = w.finish().unwrap();
    store
        .store
        .import_bundle_from(
            "b.json",
            &|| Ok(Box::new(std::io::Cursor::new(bytes.clone()))),
            crate::exchange::OnConflict::KeepBoth,
            &stamp(),
        )
        .unwrap();
    assert_eq!(
        store.store.assessments(None).unwrap().len(),
        2,
        "two of 2025"
    );
    let id = store.store.find_facility("Bostedet Solhøj").unwrap().id;
    let view = super::data::load_compare(&store, id, Some(2025), None).unwrap();
    assert_eq!(view.years, [2025]);
    assert_eq!(view.matrix.rows.len(), 1, "the facility once, not twice");
    // the newest counts (neither is finalised): the imported one, 1a = 1
    assert_eq!(view.means[0], [Some(1.0)]);
    let mut app = app(&store, Lang::Da);
    press(&mut app, &mut store, &keys("c"));
    assert!(app.compare.view.is_some());
}
