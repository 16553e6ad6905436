//! `update`'s side of an effect: what came of it (`effects::Done`) changes the state, the
//! screen that asked for it moves on, and the status line says what happened. No I/O here.

use super::app::{App, Overlay, Screen, StatusKind};
use super::data::{AssessmentView, HomeRow};
use super::drafts::{DraftKey, Field};
use super::effects::{Done, Outcome, RefusedAt};
use crate::assessment::{ScoreInput, ScoreValue};
use crate::text::for_terminal;
use crate::tr;

/// Takes in what came of an effect.
pub fn landed(app: &mut App, done: Done) {
    let lang = app.lang;
    let time = done.time;
    match done.outcome {
        Outcome::Nothing => {}
        Outcome::Failed(why) => app.say(StatusKind::Error, why),
        Outcome::ScoreSaved {
            input,
            before,
            saved,
            rescored,
        } => {
            let Some(view) = app.assessment.view.as_mut() else {
                return;
            };
            let id = view.record.id;
            view.rescored(rescored);
            for field in [Field::Reasoning, Field::Sources] {
                app.drafts.forget(&DraftKey {
                    assessment: id,
                    indicator: input.indicator_id.clone(),
                    field,
                });
            }
            let kinds = input.identifier_kinds();
            let became_not_relevant = saved.value == ScoreValue::NotRelevant
                && before.as_ref().map(|b| b.value) != Some(ScoreValue::NotRelevant);
            app.assessment
                .undo
                .push((saved.indicator_id.clone(), before));
            app.assessment
                .redo
                .retain(|(i, _)| *i != saved.indicator_id);
            // a score from a key, or "not relevant" with its reason: on to the next one
            let from_key = input.reasoning.is_none() && input.sources.is_none();
            if (from_key || became_not_relevant) && kinds.is_empty() {
                app.assessment.advance_from(&saved.indicator_id);
            }
            let what = match (saved.value, &input.reasoning, &input.sources) {
                (ScoreValue::NotRelevant, _, _) => {
                    lang.pick("ikke relevant", "not relevant").to_string()
                }
                (_, Some(_), _) => lang.pick("begrundelse", "reasoning").to_string(),
                (_, _, Some(_)) => lang.pick("kilder", "sources").to_string(),
                (ScoreValue::Scored(v), None, None) => format!("= {v}"),
            };
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: {} {what}",
                    "✓ Saved {time}: {} {what}",
                    saved.indicator_id
                ),
            );
            if !kinds.is_empty() {
                app.overlay = Overlay::PersonalData {
                    input,
                    kinds,
                    refused: false,
                };
            }
        }
        Outcome::ScoreRefused {
            assessment,
            input,
            why,
            personal,
        } => {
            let kept = keep_drafts(app, assessment, &input);
            if let Some(kinds) = personal {
                app.overlay = Overlay::PersonalData {
                    input,
                    kinds,
                    refused: true,
                };
            } else if kept {
                app.say(
                    StatusKind::Error,
                    tr!(
                        lang,
                        "{why} (teksten er gemt som kladde og tilbydes igen, når du åbner {})",
                        "{why} (the text is kept as a draft, offered again when you open {})",
                        input.indicator_id
                    ),
                );
            } else {
                app.say(StatusKind::Error, why);
            }
        }
        Outcome::Confirmed {
            indicator,
            before,
            rescored,
        } => {
            if let Some(view) = app.assessment.view.as_mut() {
                view.rescored(rescored);
            }
            app.assessment.undo.push((indicator.clone(), before));
            app.assessment.redo.retain(|(i, _)| *i != indicator);
            app.assessment.advance_from(&indicator);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: {indicator} genvurderet",
                    "✓ Saved {time}: {indicator} re-assessed"
                ),
            );
        }
        Outcome::Restored {
            indicator,
            redo,
            pos,
            now,
            then,
            rescored,
        } => super::history::restored(app, &time, (indicator, redo, pos), now, then, rescored),
        Outcome::Finalised { signer, view } => {
            app.show_assessment(*view);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Afsluttet {time} af {}",
                    "✓ Finalised {time} by {}",
                    for_terminal(&signer, false)
                ),
            );
        }
        Outcome::FinaliseRefused { signer, why } => {
            // the dialog stays, with the name as typed and the reason it was refused
            let mut d = super::signoff::FinaliseDialog::new(&signer);
            d.error = Some(why);
            app.overlay = Overlay::Finalise(d);
        }
        Outcome::Reopened { view, home } => {
            app.show_assessment(*view);
            app.home.set_rows(home);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Genåbnet {time}; vurderingen kan ændres igen",
                    "✓ Reopened {time}; the assessment can change again"
                ),
            );
        }
        Outcome::ReopenRefused { reason, why } => {
            let mut d = super::signoff::ReopenDialog::new();
            d.reason.insert_str(&reason);
            d.error = Some(why);
            app.overlay = Overlay::Reopen(d);
        }
        Outcome::ChooseModel(models) => {
            if let Overlay::NewAssessment(form) = &mut app.overlay {
                (form.models, form.model_frameworks) = models
                    .into_iter()
                    .map(|(id, name, framework)| ((id, name), framework))
                    .unzip();
                form.model = 0;
                form.refresh();
            }
        }
        Outcome::Started {
            view,
            home,
            year,
            model,
        } => {
            close_new_assessment(app);
            app.home.set_rows(home);
            app.screen = Screen::Home;
            app.show_assessment(*view);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Vurdering {year} startet på {model}",
                    "✓ Assessment {year} started on {model}"
                ),
            );
        }
        Outcome::StartFailed(why) => {
            close_new_assessment(app);
            app.say(StatusKind::Error, why);
        }
        Outcome::FacilityForm { facility, known } => {
            app.overlay = Overlay::Facility(match facility {
                Some(f) => super::facility_form::FacilityForm::edit(&f, &known),
                None => super::facility_form::FacilityForm::new(None, &Default::default(), &known),
            });
        }
        Outcome::FacilitySaved {
            facility,
            edited,
            home,
        } => facility_saved(app, facility, edited, home),
        Outcome::FacilityRefused {
            id,
            values,
            known,
            at,
            why,
        } => {
            let mut form = super::facility_form::FacilityForm::new(id, &values, &known);
            form.focus = match at {
                RefusedAt::Name => 0,
                RefusedAt::Tags => form.fields.len().min(form.rows() - 1),
                RefusedAt::Where(focus) => focus.min(form.rows() - 1),
            };
            form.error = Some(why);
            app.overlay = Overlay::Facility(form);
        }
        Outcome::ActionAdded { action, view } => {
            app.show_assessment(*view);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: udviklingspunkt #{} ({})",
                    "✓ Saved {time}: improvement action #{} ({})",
                    action.id,
                    action.indicators.join(", ")
                ),
            );
        }
        Outcome::ActionStatusSet { id, status, view } => {
            if let Some(view) = view {
                app.show_assessment(*view);
            }
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: #{id} {}",
                    "✓ Saved {time}: #{id} {}",
                    status.label(lang)
                ),
            );
        }
        Outcome::Summaries(list) => {
            for (i, summary) in list {
                super::data::set_summary(&mut app.home.rows, i, summary);
            }
        }
        Outcome::Demo { home, path } => {
            app.demo = true;
            app.home.set_rows(home);
            app.home.sel = app
                .home
                .rows
                .iter()
                .position(|r| matches!(r, HomeRow::Assessment { .. }))
                .unwrap_or(0);
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "Demodatabase: {path} (din egen er urørt)",
                    "Demo database: {path} (yours is untouched)"
                ),
            );
        }
        Outcome::Compare(view) => {
            app.compare.loaded(*view);
            app.screen = Screen::Compare;
        }
        Outcome::Opened(view) => open(app, *view),
        Outcome::Home(rows) => app.home.set_rows(rows),
    }
}

fn open(app: &mut App, view: AssessmentView) {
    app.screen = Screen::Home;
    app.show_assessment(view);
    app.status = None;
}

fn close_new_assessment(app: &mut App) {
    if matches!(app.overlay, Overlay::NewAssessment(_)) {
        app.overlay = Overlay::None;
    }
}

fn facility_saved(
    app: &mut App,
    facility: crate::app::home::Facility,
    edited: bool,
    home: Vec<HomeRow>,
) {
    let lang = app.lang;
    app.home.set_rows(home);
    if let Some(i) = app
        .home
        .rows
        .iter()
        .position(|r| matches!(r, HomeRow::Facility(f) if f.id == facility.id))
    {
        app.home.sel = i;
    }
    let name = for_terminal(&facility.name, false).into_owned();
    let text = if edited {
        tr!(lang, "✓ Gemt: {name}", "✓ Saved: {name}")
    } else {
        tr!(
            lang,
            "✓ Tilføjet: {name}. Tryk n for en ny vurdering",
            "✓ Added: {name}. Press n for a new assessment"
        )
    };
    app.say(StatusKind::Saved, text);
}

/// Keeps the texts of a refused save as drafts; says whether there were any.
fn keep_drafts(app: &mut App, assessment: i64, input: &ScoreInput) -> bool {
    let mut kept = false;
    for (field, text) in [
        (Field::Reasoning, &input.reasoning),
        (Field::Sources, &input.sources),
    ] {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            app.drafts.keep(
                DraftKey {
                    assessment,
                    indicator: input.indicator_id.clone(),
                    field,
                },
                text,
            );
            kept = true;
        }
    }
    kept
}
