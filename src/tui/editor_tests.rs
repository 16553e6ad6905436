//! The editors over the assessment screen: reasoning, sources, "not relevant", personal data.

use super::tests::*;

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
