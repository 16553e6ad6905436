//! The yearly safety self-evaluation in the terminal program: started beside the year's
//! quality assessment through the model choice, scored with the scale's keys, its gaps
//! leading to Region Midtjylland's safety plans, and the home list naming each model.

use super::app::{App, Msg, Overlay, Screen};
use super::data::{HomeRow, load_home};
use super::model_states::{key, keys, press, session, stamp};
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

#[test]
fn a_safety_self_evaluation_is_started_beside_the_quality_one_scored_and_its_gaps_lead_to_the_plan()
{
    let mut store = session(Store::open_in_memory(&stamp()).unwrap());
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
    let quality = store.store.model_for_year(2026).unwrap();
    store
        .store
        .start_assessment(&f, 2026, &quality, false, &stamp())
        .unwrap();
    let mut app = App::new(
        Lang::Da,
        "mette".into(),
        2026,
        false,
        load_home(&store).unwrap(),
    );
    app.home.sel = app
        .home
        .rows
        .iter()
        .position(|r| matches!(r, HomeRow::Facility(x) if x.id == f.id))
        .unwrap();
    // n offers 2027 (the facility has 2026); the year 2026 instead, without roll-forward
    // (there is no earlier safety self-evaluation), and Enter: the year offers the quality model and the safety framework
    press(&mut app, &mut store, &keys("n"));
    press(&mut app, &mut store, &vec![k(KeyCode::Backspace); 4]);
    press(&mut app, &mut store, &keys("2026"));
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(form.year.lines().join(""), "2026");
    if form.roll_forward {
        press(&mut app, &mut store, &keys(" "));
    }
    press(&mut app, &mut store, &[k(KeyCode::Enter)]);
    let Overlay::NewAssessment(form) = &app.overlay else {
        panic!("no choice of model")
    };
    let ids: Vec<&str> = form.models.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["socialtilsyn-2017", "sikkerhed-2017"]);
    press(&mut app, &mut store, &[k(KeyCode::Down), k(KeyCode::Enter)]);
    assert_eq!(
        app.screen,
        Screen::Assessment,
        "{:?}",
        app.status.as_ref().map(|s| &s.text)
    );
    let view = app.assessment.view.as_ref().unwrap();
    assert_eq!(view.record.model_id, "sikkerhed-2017");
    let safety = view.record.id;
    // the hint bar names the model's own scale
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("0–3 score"), "{screen}");
    assert!(!screen.contains("1–5"), "{screen}");
    // scale keys: 3 on the first question, 1 on the next; 4 is beyond the 0–3 scale
    press(&mut app, &mut store, &keys("31"));
    press(&mut app, &mut store, &keys("4"));
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("ikke på modellens skala (0–3)")),
        "{:?}",
        app.status.as_ref().map(|s| &s.text)
    );
    assert!(matches!(app.overlay, Overlay::None), "4 opens nothing");
    let scores = store.store.scores(safety).unwrap();
    let value = |id: &str| {
        scores
            .iter()
            .find(|s| s.indicator_id == id)
            .map(|s| s.value)
    };
    assert_eq!(value("S1a"), Some(ScoreValue::Scored(3)));
    assert_eq!(value("S1b"), Some(ScoreValue::Scored(1)));
    assert_eq!(value("S1c"), None, "a value beyond the scale is not saved");
    // 0 is a value of this scale ("ikke påbegyndt"), not "not relevant"
    press(&mut app, &mut store, &keys("0"));
    assert!(
        matches!(app.overlay, Overlay::None),
        "0 scores, it asks no reason"
    );
    let scores = store.store.scores(safety).unwrap();
    assert_eq!(
        scores
            .iter()
            .find(|s| s.indicator_id == "S1c")
            .map(|s| s.value),
        Some(ScoreValue::Scored(0))
    );
    // the gaps: S1b leads to the plan on the Model for sikkerhed
    press(&mut app, &mut store, &keys("g"));
    let gaps = draw(&app, 120, 40);
    assert!(gaps.contains("S1b"), "{gaps}");
    assert!(gaps.contains("RM-02"), "{gaps}");
    // back home: the facility's two assessments of 2026, each named by its model
    press(&mut app, &mut store, &[k(KeyCode::Esc), k(KeyCode::Esc)]);
    assert_eq!(app.screen, Screen::Home);
    app.home.set_rows(load_home(&store).unwrap());
    let home = draw(&app, 120, 40);
    assert!(home.contains("sikkerhed-2017"), "{home}");
    assert!(home.contains("socialtilsyn-2017"), "{home}");
    assert_eq!(store.store.assessment_keys().unwrap().len(), 2);
}
