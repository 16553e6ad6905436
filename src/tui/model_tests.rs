//! The model-based test: random short sequences of keys, pastes and resizes, from many
//! starting states (every screen and dialog over an empty, a small, a strict, a
//! carried-over and a demo database), through `update`, the effects and `view`. No
//! sequence may panic, and the invariants hold after every step: keys do nothing behind
//! the "too small" screen, a paste outside a text field changes nothing, nothing typed
//! into an editor vanishes unsaved and unkept, nothing is saved that was not shown.
//! `TILSYNSKLAR_TUI_CASES` sets how many sequences run (100,000 by default).

use super::app::{App, EditKind, Effect, Msg, Overlay, Screen, update};
use super::data::load_home;
use super::drafts::{DraftKey, Field};
use super::effects::apply;
use super::model_states::{World, ctrl, key, keys, press, small_store};
use crate::assessment::ScoreValue;
use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A random message: mostly keys that mean something somewhere, some text, pastes, resizes.
fn message(rng: &mut ChaCha8Rng) -> Msg {
    const CHARS: &[char] = &[
        'j', 'k', 'g', 'G', 'h', 'l', '1', '2', '3', '4', '5', '0', 'x', 'e', 's', 'c', 'u', 'r',
        '/', 'o', 'f', 'a', 'p', 'd', 'n', 'y', 'q', '?', 'm', ' ', 'æ', 'Ø', '\u{1b}', '9',
    ];
    const CODES: &[KeyCode] = &[
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::PageDown,
        KeyCode::F(5),
    ];
    match rng.random_range(0..100) {
        0..55 => Msg::Key(key(KeyCode::Char(CHARS[rng.random_range(0..CHARS.len())]))),
        55..80 => Msg::Key(key(CODES[rng.random_range(0..CODES.len())])),
        80..84 => Msg::Key(ctrl(['s', 'u', 'z', 'r'][rng.random_range(0..4)])),
        84..85 => Msg::Key(ctrl('c')),
        85..87 => {
            let mut k = key(KeyCode::Char('3'));
            k.kind = KeyEventKind::Release;
            Msg::Key(k)
        }
        87..93 => Msg::Paste(
            [
                "2b 1\ne\nkilde\n\u{1b}",
                "Fremmødet er stabilt",
                "",
                "1\n1\n1\nq\nq",
                "\u{1b}[31mrød\u{7}\r\nlinje",
            ][rng.random_range(0..5)]
            .to_string(),
        ),
        _ => {
            let (w, h) = if rng.random_bool(0.5) {
                (rng.random_range(10..80), rng.random_range(5..24))
            } else {
                (rng.random_range(80..140), rng.random_range(24..45))
            };
            Msg::Resize(w, h)
        }
    }
}

/// What the user sees of the state, to tell that a key changed nothing.
fn fingerprint(app: &App) -> String {
    let overlay = match &app.overlay {
        Overlay::None => "none".to_string(),
        Overlay::Help => "help".to_string(),
        Overlay::Editor(e) => format!("editor {:?} {} {:?}", e.kind, e.indicator, e.area.lines()),
        Overlay::Form(f) => format!(
            "form {} {:?}",
            f.focus,
            f.fields
                .iter()
                .map(|x| x.lines().to_vec())
                .collect::<Vec<_>>()
        ),
        Overlay::Facility(f) => format!(
            "facility {} {:?} {:?}",
            f.focus,
            f.fields
                .iter()
                .map(|x| x.lines().to_vec())
                .collect::<Vec<_>>(),
            f.tags.iter().map(|t| t.checked).collect::<Vec<_>>()
        ),
        Overlay::NewAssessment(f) => format!("new {:?} {}", f.year.lines(), f.roll_forward),
        Overlay::Finalise(d) => format!("finalise {:?} {}", d.signer.lines(), d.editing),
        Overlay::Reopen(d) => format!("reopen {:?}", d.reason.lines()),
        Overlay::Confirm { question, .. } => format!("confirm {question}"),
        Overlay::PersonalData { input, .. } => format!("personal {input:?}"),
        Overlay::Message(m) => format!("message {m:?}"),
    };
    format!(
        "{:?} {overlay} {} {} {} {} {} {}",
        app.screen,
        app.home.sel,
        app.assessment.theme,
        app.assessment.sel,
        app.gaps.sel,
        app.overview.scroll,
        app.quit
    )
}

/// Whether `text`, closed from an editor, went somewhere: into the effect, a draft, or the
/// saved score it came from.
fn accounted(
    app: &App,
    kind: EditKind,
    indicator: &str,
    text: &str,
    effect: Option<&Effect>,
) -> bool {
    let field = match kind {
        EditKind::Sources => Field::Sources,
        _ => Field::Reasoning,
    };
    let in_effect = match effect {
        Some(Effect::SaveScore(i)) => {
            i.indicator_id == indicator
                && match field {
                    Field::Reasoning => i.reasoning.as_deref() == Some(text),
                    Field::Sources => i.sources.as_deref() == Some(text),
                }
        }
        Some(Effect::SetActionStatus { reason, .. }) => reason.as_deref() == Some(text),
        _ => false,
    };
    let drafted = app
        .assessment
        .view
        .as_ref()
        .and_then(|v| {
            app.drafts.get(&DraftKey {
                assessment: v.record.id,
                indicator: indicator.to_string(),
                field,
            })
        })
        .is_some_and(|d| d == text);
    let saved = app
        .assessment
        .view
        .as_ref()
        .and_then(|v| v.scores.get(indicator))
        .is_some_and(|s| match field {
            Field::Reasoning => s.reasoning.trim_end() == text,
            Field::Sources => s.sources.trim_end() == text,
        });
    in_effect || drafted || saved
}

/// One step's invariants; `Err` says which failed.
fn step(app: &mut App, msg: &Msg) -> Result<Option<Effect>, String> {
    let before = fingerprint(app);
    let small = app.too_small();
    let selected = app.assessment.selected().map(|i| i.id.clone());
    let editor = match &app.overlay {
        Overlay::Editor(e) => Some((e.kind, e.indicator.clone(), e.text(), e.initial.clone())),
        _ => None,
    };
    let personal = match &app.overlay {
        Overlay::PersonalData { input, .. } => Some(input.indicator_id.clone()),
        _ => None,
    };
    let was_finalise = matches!(app.overlay, Overlay::Finalise(_));
    let was_reopen = matches!(app.overlay, Overlay::Reopen(_));
    let was_confirm = matches!(app.overlay, Overlay::Confirm { .. });
    let in_field = matches!(
        app.overlay,
        Overlay::Editor(_)
            | Overlay::Form(_)
            | Overlay::Facility(_)
            | Overlay::Reopen(_)
            | Overlay::Finalise(_)
    );
    let is_ctrl_c = matches!(msg, Msg::Key(k) if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL));
    let effect = update(app, msg.clone());
    let after = fingerprint(app);
    if small
        && !is_ctrl_c
        && !matches!(msg, Msg::Resize(..))
        && (effect.is_some() || after != before)
    {
        return Err(format!(
            "acted behind the too-small screen: {before} → {after}, {effect:?}"
        ));
    }
    if matches!(msg, Msg::Paste(_)) && !in_field && (effect.is_some() || after != before) {
        return Err(format!(
            "a paste outside a text field acted: {before} → {after}"
        ));
    }
    if let Some((kind, indicator, text, initial)) = &editor {
        let still_open = matches!(&app.overlay, Overlay::Editor(e) if e.kind == *kind && e.indicator == *indicator);
        let explicit_cancel = matches!(kind, EditKind::Search | EditKind::DropReason(_));
        if !still_open
            && !explicit_cancel
            && text.trim() != initial.trim()
            && !text.trim().is_empty()
            && !accounted(app, *kind, indicator, text, effect.as_ref())
        {
            return Err(format!("typed text lost: {kind:?} {indicator} {text:?}"));
        }
    }
    match &effect {
        Some(Effect::SaveScore(input)) => {
            let shown = [
                editor.as_ref().map(|e| e.1.clone()),
                selected.clone(),
                personal.clone(),
            ];
            if !shown
                .iter()
                .any(|s| s.as_deref() == Some(input.indicator_id.as_str()))
            {
                return Err(format!(
                    "saved {} while {selected:?} was shown",
                    input.indicator_id
                ));
            }
            if let (Msg::Key(k), ScoreValue::Scored(v)) = (msg, input.value)
                && editor.is_none()
                && personal.is_none()
                && k.code != KeyCode::Char(char::from(b'0' + v))
            {
                return Err(format!("{k:?} saved the score {v}"));
            }
        }
        Some(Effect::Finalise(name)) if name.trim().is_empty() => {
            return Err(format!("finalised with no name by {msg:?}"));
        }
        Some(Effect::Reopen(reason)) if !was_reopen || reason.trim().is_empty() => {
            return Err(format!(
                "reopened by {msg:?} with {reason:?}, dialog open: {was_reopen}"
            ));
        }
        Some(Effect::Finalise(_))
            if !was_finalise
                || !matches!(msg, Msg::Key(k) if matches!(k.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter)) =>
        {
            return Err(format!("finalised by {msg:?}, dialog open: {was_finalise}"));
        }
        Some(Effect::SetActionStatus {
            status: crate::assessment::ActionStatus::Done,
            ..
        }) if !was_confirm => return Err("marked done without asking".into()),
        _ => {}
    }
    Ok(effect)
}

fn draw(term: &mut Terminal<TestBackend>, app: &App, size: (u16, u16)) {
    term.backend_mut().resize(size.0, size.1);
    term.draw(|f| super::view::view(f, app)).unwrap();
}

#[test]
fn random_keys_pastes_and_resizes_never_crash_and_keep_the_invariants() {
    let cases: usize = std::env::var("TILSYNSKLAR_TUI_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let seed: u64 = std::env::var("TILSYNSKLAR_TUI_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(13);
    let mut world = World::build();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let started = std::time::Instant::now();
    let mut effects_run = 0;
    for case in 0..cases {
        let pick = rng.random_range(0..world.starts.len());
        let (name, store_ix, start) = &world.starts[pick];
        let mut app = start.clone();
        let len = rng.random_range(1..=10);
        let msgs: Vec<Msg> = (0..len).map(|_| message(&mut rng)).collect();
        // drawing a frame costs a millisecond in a debug build: one sequence in 32 runs
        // its effects through the store and is drawn at the end, one in 128 after every step
        let full = case % 32 == 0;
        let every_step = case % 128 == 0;
        let store = &mut world.stores[*store_ix];
        let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            let mut size = (80, 24);
            for m in &msgs {
                if let Msg::Resize(w, h) = m {
                    size = (*w, *h);
                }
                let effect = step(&mut app, m)?;
                if let Some(effect) = effect.filter(|_| full) {
                    if effect == Effect::OpenDemo {
                        continue; // it would write a demo database beside the test's
                    }
                    effects_run += 1;
                    apply(&mut app, store, effect);
                }
                if every_step {
                    draw(&mut term, &app, size);
                }
                if app.quit {
                    break;
                }
            }
            if full {
                draw(&mut term, &app, size);
            }
            Ok(())
        }));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(why)) => panic!("case {case} from {name}: {why}\nmessages: {msgs:?}"),
            Err(_) => panic!("case {case} from {name} panicked\nmessages: {msgs:?}"),
        }
    }
    eprintln!(
        "{cases} sequences from {} starting states, {effects_run} effects, in {:?}",
        world.starts.len(),
        started.elapsed()
    );
    assert!(
        cases < 10_000 || effects_run > cases / 1000,
        "the effects ran too: {effects_run}"
    );
}

#[test]
fn keys_behind_the_too_small_screen_do_nothing() {
    let mut store = small_store(false);
    let mut app = App::new(
        Lang::Da,
        "mette".into(),
        2026,
        false,
        load_home(&store).unwrap(),
    );
    press(&mut app, &mut store, &[Msg::Key(key(KeyCode::Enter))]);
    let a = app.assessment.view.as_ref().unwrap().record.id;
    press(&mut app, &mut store, &[Msg::Resize(50, 12)]);
    press(&mut app, &mut store, &keys("1j1"));
    assert!(
        store
            .store
            .scores(a)
            .unwrap()
            .iter()
            .all(|s| s.indicator_id != "1b")
    );
    assert_eq!(app.assessment.sel, 0);
    press(&mut app, &mut store, &[Msg::Resize(80, 24)]);
    press(&mut app, &mut store, &keys("j3"));
    let b = store.store.scores(a).unwrap();
    assert!(
        b.iter()
            .any(|s| s.indicator_id == "1b" && s.value == ScoreValue::Scored(3))
    );
}

#[test]
fn a_paste_outside_an_editor_is_refused_and_inside_goes_into_the_text() {
    let mut store = small_store(false);
    let mut app = App::new(
        Lang::Da,
        "mette".into(),
        2026,
        false,
        load_home(&store).unwrap(),
    );
    press(&mut app, &mut store, &[Msg::Key(key(KeyCode::Enter))]);
    let a = app.assessment.view.as_ref().unwrap().record.id;
    let before = store.store.scores(a).unwrap();
    press(
        &mut app,
        &mut store,
        &[Msg::Paste("2\nj\n1\ns\nkilde\n\u{1b}".into())],
    );
    assert_eq!(
        store.store.scores(a).unwrap(),
        before,
        "nothing ran as keys"
    );
    assert_eq!(app.screen, Screen::Assessment);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(app.status.as_ref().unwrap().text.contains("intet ændret"));
    press(&mut app, &mut store, &keys("e"));
    press(
        &mut app,
        &mut store,
        &[Msg::Paste("Linje et\nLinje to".into())],
    );
    press(&mut app, &mut store, &[Msg::Key(key(KeyCode::Esc))]);
    let s = store.store.scores(a).unwrap();
    let one_a = s.iter().find(|s| s.indicator_id == "1a").unwrap();
    assert_eq!(one_a.reasoning, "Begrundelse for 1aLinje et\nLinje to");
}
