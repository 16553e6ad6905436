//! The Gaps screen: gaps → action plans → improvement actions, and last year's.

use super::tests::*;

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
