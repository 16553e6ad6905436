//! Undo and redo per indicator: each indicator's changes this session, put back one at a
//! time, and the status line says what changed.

use crate::assessment::{Score, ScoreValue};
use crate::i18n::Lang;

/// A score in a few words: "4", "ikke relevant", "ingen score".
pub fn describe(score: Option<&Score>, lang: Lang) -> String {
    match score.map(|s| s.value) {
        Some(ScoreValue::Scored(v)) => v.to_string(),
        Some(ScoreValue::NotRelevant) => lang.pick("ikke relevant", "not relevant").into(),
        None => lang.pick("ingen score", "no score").into(),
    }
}

/// Takes in an undo (or redo) done: the entry moves to the other stack, the scores are
/// the ones saved now, and the status line says what changed.
pub(super) fn restored(
    app: &mut super::app::App,
    time: &str,
    (indicator, redo, pos): (String, bool, usize),
    now: Option<Score>,
    then: Option<Score>,
    rescored: crate::app::home::Rescored,
) {
    let lang = app.lang;
    let (from, to) = if redo {
        (&mut app.assessment.redo, &mut app.assessment.undo)
    } else {
        (&mut app.assessment.undo, &mut app.assessment.redo)
    };
    if pos < from.len() {
        from.remove(pos);
    }
    to.push((indicator.clone(), now.clone()));
    if let Some(view) = app.assessment.view.as_mut() {
        view.rescored(rescored);
    }
    let texts = match (&now, &then) {
        (Some(a), Some(b)) if a.reasoning != b.reasoning || a.sources != b.sources => {
            lang.pick(" (og teksterne)", " (and the texts)")
        }
        _ => "",
    };
    let change = format!(
        "{indicator} {} → {}{texts}",
        describe(now.as_ref(), lang),
        describe(then.as_ref(), lang)
    );
    app.say(
        super::app::StatusKind::Saved,
        if redo {
            crate::tr!(
                lang,
                "✓ Gentaget {time}: {change}",
                "✓ Redone {time}: {change}"
            )
        } else {
            crate::tr!(
                lang,
                "✓ Fortrudt {time}: {change}",
                "✓ Undone {time}: {change}"
            )
        },
    );
}
