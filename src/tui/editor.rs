//! The text editors' keys: what closes an editor, what it saves, and that nothing typed is
//! lost (a text that cannot be saved is kept as a draft); the search over the indicators.

use super::app::{App, EditKind, Editor, Effect, Overlay, StatusKind};
use super::drafts::{DraftKey, Field};
use crate::assessment::{ActionStatus, ScoreInput, ScoreValue};
use crate::model::Indicator;
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::CursorMove;

impl App {
    /// The draft key of an editor's text on the open assessment, where it has one.
    pub fn draft_key(&self, kind: EditKind, indicator: &str) -> Option<DraftKey> {
        let field = match kind {
            EditKind::Reasoning | EditKind::NotRelevantReason => Field::Reasoning,
            EditKind::Sources => Field::Sources,
            EditKind::Search | EditKind::DropReason(_) => return None,
        };
        Some(DraftKey {
            assessment: self.assessment.view.as_ref()?.record.id,
            indicator: indicator.to_string(),
            field,
        })
    }

    /// Opens an editor on `saved`, or on the draft kept for it (and says so).
    pub fn open_editor(&mut self, kind: EditKind, indicator: String, saved: &str) {
        let draft = self
            .draft_key(kind, &indicator)
            .and_then(|k| self.drafts.get(&k).map(String::from))
            .filter(|d| d != saved);
        let mut editor = Editor::new(kind, indicator, saved);
        if let Some(d) = draft {
            editor = Editor {
                initial: saved.to_string(),
                ..Editor::new(kind, editor.indicator, &d)
            };
            self.say(
                StatusKind::Info,
                tr!(
                    self.lang,
                    "Kladde gendannet (ikke gemt endnu): Esc eller Ctrl-S gemmer",
                    "Draft restored (not saved yet): Esc or Ctrl-S saves"
                ),
            );
        }
        self.overlay = Overlay::Editor(editor);
    }

    /// Keeps an editor's changed text as a draft; says whether it kept one.
    pub fn keep_draft(&mut self, editor: &Editor) -> bool {
        let text = editor.text();
        match self.draft_key(editor.kind, &editor.indicator) {
            Some(k) if text != editor.initial.trim_end() && !text.trim().is_empty() => {
                self.drafts.keep(k, &text);
                true
            }
            _ => false,
        }
    }
}

/// What ending the program does with an open editor: its text is saved where it may be
/// (a reasoning or sources of a scored indicator), otherwise kept as a draft.
pub fn exit_effect(app: &mut App) -> Option<Effect> {
    let Overlay::Editor(editor) = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return None;
    };
    match editor.kind {
        EditKind::Reasoning | EditKind::Sources => save(app, editor),
        EditKind::NotRelevantReason => {
            // "not relevant" is a decision the user has not confirmed: keep the text only
            app.keep_draft(&editor);
            None
        }
        EditKind::Search | EditKind::DropReason(_) => None,
    }
}

/// Handles a key in an open editor.
pub fn editor_key(app: &mut App, mut editor: Editor, key: KeyEvent) -> Option<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let ctrl_s = ctrl && matches!(key.code, KeyCode::Char('s' | 'S'));
    let esc = key.code == KeyCode::Esc;
    let enter = key.code == KeyCode::Enter && !key.modifiers.contains(KeyModifiers::ALT);
    match editor.kind {
        // a text being written: Esc and Ctrl-S save it, Enter starts a new line
        EditKind::Reasoning | EditKind::Sources if esc || ctrl_s => save(app, editor),
        // a dialog: Enter (or Ctrl-S) confirms, Esc cancels
        EditKind::NotRelevantReason | EditKind::DropReason(_) | EditKind::Search
            if enter || ctrl_s =>
        {
            confirm(app, editor)
        }
        EditKind::NotRelevantReason | EditKind::DropReason(_) | EditKind::Search if esc => {
            if app.keep_draft(&editor) {
                app.say(
                    StatusKind::Info,
                    tr!(
                        app.lang,
                        "Fortrudt; teksten er gemt som kladde til {}",
                        "Cancelled; the text is kept as a draft for {}",
                        editor.indicator
                    ),
                );
            } else if editor.kind != EditKind::Search {
                app.say(
                    StatusKind::Info,
                    tr!(
                        app.lang,
                        "Fortrudt; intet ændret",
                        "Cancelled; nothing changed"
                    ),
                );
            }
            None
        }
        _ if ctrl && matches!(key.code, KeyCode::Char('u' | 'U')) => {
            // clear the line (the widget's own Ctrl-U is undo)
            editor.area.move_cursor(CursorMove::Head);
            editor.area.delete_line_by_end();
            app.overlay = Overlay::Editor(editor);
            None
        }
        _ => {
            editor.area.input(key);
            app.overlay = Overlay::Editor(editor);
            None
        }
    }
}

/// Puts pasted text into the open editor.
pub fn paste(editor: &mut Editor, text: &str) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if matches!(
        editor.kind,
        EditKind::Search | EditKind::DropReason(_) | EditKind::NotRelevantReason
    ) {
        editor.area.insert_str(text.replace('\n', " "));
    } else {
        editor.area.insert_str(text);
    }
}

fn confirm(app: &mut App, editor: Editor) -> Option<Effect> {
    let lang = app.lang;
    let text = editor.text();
    match editor.kind {
        EditKind::Search => {
            search(app, &text);
            None
        }
        EditKind::DropReason(_) | EditKind::NotRelevantReason if text.trim().is_empty() => {
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "Det kræver en begrundelse; skriv den, eller Esc fortryder",
                    "This needs a reason; write it, or Esc cancels"
                ),
            );
            app.overlay = Overlay::Editor(editor);
            None
        }
        EditKind::DropReason(id) => Some(Effect::SetActionStatus {
            id,
            status: ActionStatus::Dropped,
            reason: Some(text),
        }),
        EditKind::NotRelevantReason => Some(Effect::SaveScore(ScoreInput {
            indicator_id: editor.indicator,
            value: ScoreValue::NotRelevant,
            reasoning: Some(text),
            sources: None,
        })),
        EditKind::Reasoning | EditKind::Sources => save(app, editor),
    }
}

/// Saves a reasoning or the sources; where there is nothing to save them on, keeps them.
fn save(app: &mut App, editor: Editor) -> Option<Effect> {
    let lang = app.lang;
    let text = editor.text();
    let old = app
        .assessment
        .view
        .as_ref()
        .and_then(|v| v.scores.get(&editor.indicator));
    let saved = old.map(|s| {
        if editor.kind == EditKind::Reasoning {
            s.reasoning.trim_end()
        } else {
            s.sources.trim_end()
        }
    });
    if saved == Some(text.as_str()) {
        if let Some(k) = app.draft_key(editor.kind, &editor.indicator) {
            app.drafts.forget(&k);
        }
        return None;
    }
    let Some(value) = old.map(|s| s.value) else {
        if app.keep_draft(&editor) {
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "{} har ingen score endnu; teksten er gemt som kladde og gemmes sammen med scoren",
                    "{} has no score yet; the text is kept as a draft and saved with the score",
                    editor.indicator
                ),
            );
        }
        return None;
    };
    if value == ScoreValue::NotRelevant
        && editor.kind == EditKind::Reasoning
        && text.trim().is_empty()
    {
        app.say(
            StatusKind::Error,
            tr!(
                lang,
                "\"Ikke relevant\" kræver en begrundelse; intet ændret",
                "\"Not relevant\" needs a reason; nothing changed"
            ),
        );
        app.overlay = Overlay::Editor(editor);
        return None;
    }
    let (reasoning, sources) = if editor.kind == EditKind::Reasoning {
        (Some(text), None)
    } else {
        (None, Some(text))
    };
    Some(Effect::SaveScore(ScoreInput {
        indicator_id: editor.indicator,
        value,
        reasoning,
        sources,
    }))
}

/// Jumps to the next indicator after the selected one whose id, text or saved texts hold
/// `query`.
pub fn search(app: &mut App, query: &str) {
    let lang = app.lang;
    let mut query = query.trim().to_lowercase();
    if query.is_empty() {
        // Enter on an empty search finds the last query's next hit
        query = app.assessment.last_search.clone();
    }
    if query.is_empty() {
        return;
    }
    app.assessment.last_search = query.clone();
    let Some(view) = &app.assessment.view else {
        return;
    };
    // every indicator as (theme index, index within theme), in model order
    let all: Vec<(usize, usize, &Indicator)> = view
        .model
        .themes
        .iter()
        .enumerate()
        .flat_map(|(t, theme)| {
            theme
                .criteria
                .iter()
                .flat_map(|c| &c.indicators)
                .enumerate()
                .map(move |(i, ind)| (t, i, ind))
        })
        .collect();
    if all.is_empty() {
        return;
    }
    let here = all
        .iter()
        .position(|(t, i, _)| *t == app.assessment.theme && *i == app.assessment.sel)
        .unwrap_or(0);
    let hit = (1..=all.len())
        .map(|k| &all[(here + k) % all.len()])
        .find(|(_, _, ind)| {
            let score = view.scores.get(&ind.id);
            ind.id.to_lowercase() == query
                || ind.text.da.to_lowercase().contains(&query)
                || ind.text.en.to_lowercase().contains(&query)
                || score.is_some_and(|s| {
                    s.reasoning.to_lowercase().contains(&query)
                        || s.sources.to_lowercase().contains(&query)
                })
        });
    match hit {
        Some((t, i, ind)) => {
            let id = ind.id.clone();
            app.assessment.theme = *t;
            app.assessment.sel = *i;
            app.say(StatusKind::Info, tr!(lang, "Fundet: {id}", "Found: {id}"));
        }
        None => {
            // "indikator", "spørgsmål": the model's own name
            let one = super::view::safe(view.model.levels().indicator.one(lang));
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "Ingen {one} indeholder \"{query}\"",
                    "No {one} holds \"{query}\""
                ),
            )
        }
    }
}

/// A paste goes into the open editor or form field only; elsewhere it is refused, never
/// run as keys.
pub(super) fn paste_anywhere(app: &mut App, text: &str) -> Option<Effect> {
    if app.too_small() {
        return None;
    }
    match &mut app.overlay {
        Overlay::Editor(editor) => paste(editor, text),
        Overlay::Form(form) => {
            let line = text.replace(['\r', '\n'], " ");
            form.fields[form.focus].insert_str(line);
        }
        Overlay::Facility(form) if form.focus < form.fields.len() => {
            form.fields[form.focus].insert_str(text.replace(['\r', '\n'], " "));
        }
        Overlay::Reopen(d) => {
            d.reason.insert_str(text.replace(['\r', '\n'], " "));
        }
        Overlay::Finalise(d) if d.editing => {
            d.signer.insert_str(text.replace(['\r', '\n'], " "));
        }
        _ => app.say(
            StatusKind::Error,
            tr!(
                app.lang,
                "Indsat tekst hører hjemme i et tekstfelt (e begrundelse, s kilder); intet ændret",
                "Pasted text belongs in a text field (e reasoning, s sources); nothing changed"
            ),
        ),
    }
    None
}
