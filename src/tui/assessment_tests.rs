//! The assessment screen: scoring, moving, undo and redo, roll-forward.

use super::tests::*;

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

#[test]
fn the_assessment_screen_at_80x24_and_120x40_in_danish_and_english() {
    for lang in [Lang::Da, Lang::En] {
        let (app, _store) = at_the_fourth_theme(lang);
        let code = if lang == Lang::Da { "da" } else { "en" };
        insta::assert_snapshot!(format!("assessment_{code}_80x24"), draw(&app, 80, 24));
        insta::assert_snapshot!(format!("assessment_{code}_120x40"), draw(&app, 120, 40));
    }
}
