//! Undo and redo per indicator: each indicator's changes this session, put back one at a
//! time, and the status line says what changed.

use super::app::{App, StatusKind};
use crate::assessment::{Score, ScoreValue};
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::{Stamp, Store};
use crate::tr;

/// A score in a few words: "4", "ikke relevant", "ingen score".
pub fn describe(score: Option<&Score>, lang: Lang) -> String {
    match score.map(|s| s.value) {
        Some(ScoreValue::Scored(v)) => v.to_string(),
        Some(ScoreValue::NotRelevant) => lang.pick("ikke relevant", "not relevant").into(),
        None => lang.pick("ingen score", "no score").into(),
    }
}

/// Puts back the indicator's score before its last change (`redo`: before its last undo).
pub fn undo_redo(
    app: &mut App,
    store: &mut Store,
    indicator: &str,
    redo: bool,
    stamp: &Stamp,
) -> Result<()> {
    let lang = app.lang;
    let Some(view) = &app.view else {
        return Ok(());
    };
    let id = view.record.id;
    let now = view.scores.get(indicator).cloned();
    let (from, to) = if redo {
        (&mut app.redo, &mut app.undo)
    } else {
        (&mut app.undo, &mut app.redo)
    };
    let Some(pos) = from.iter().rposition(|(i, _)| i == indicator) else {
        return Ok(());
    };
    let (_, then) = from.remove(pos);
    if let Err(e) = store.restore_score(id, indicator, then.as_ref(), stamp) {
        from.insert(pos, (indicator.to_string(), then));
        return Err(e);
    }
    to.push((indicator.to_string(), now.clone()));
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
    super::effects::reload(app, store)?;
    let time = stamp.at.with_timezone(&chrono::Local).format("%H:%M:%S");
    app.say(
        StatusKind::Saved,
        if redo {
            tr!(
                lang,
                "✓ Gentaget {time}: {change}",
                "✓ Redone {time}: {change}"
            )
        } else {
            tr!(
                lang,
                "✓ Fortrudt {time}: {change}",
                "✓ Undone {time}: {change}"
            )
        },
    );
    Ok(())
}
