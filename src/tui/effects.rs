//! Running an effect through the store, and showing the outcome: every change is
//! committed before the screen says it is saved.

use super::app::{App, Effect, Overlay, Screen, StatusKind};
use super::data::{load_assessment, load_home};
use super::drafts::{DraftKey, Field};
use crate::assessment::{ScoreInput, ScoreValue};
use crate::error::Result;
use crate::store::{ActionChanges, Stamp, Store};
use crate::text::for_terminal;
use crate::tr;

/// Runs `effect` through the store, then refreshes what the screens show.
pub fn apply(app: &mut App, store: &mut Store, effect: Effect, stamp: &Stamp) {
    let lang = app.lang;
    if let Err(e) = run(app, store, effect, stamp) {
        app.say(
            StatusKind::Error,
            for_terminal(&e.localized(lang), false).into_owned(),
        );
    }
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

pub(super) fn reload(app: &mut App, store: &Store) -> Result<()> {
    if let Some(id) = app.view.as_ref().map(|v| v.record.id) {
        let view = load_assessment(store, id)?;
        app.show_assessment(view);
    }
    Ok(())
}

fn run(app: &mut App, store: &mut Store, effect: Effect, stamp: &Stamp) -> Result<()> {
    let lang = app.lang;
    let time = stamp.at.with_timezone(&chrono::Local).format("%H:%M:%S");
    match effect {
        Effect::SaveScore(input) => {
            let Some(view) = &app.view else { return Ok(()) };
            let id = view.record.id;
            let before = view.scores.get(&input.indicator_id).cloned();
            let kinds = input.identifier_kinds();
            let saved = match crate::app::scores::save_input(store, id, &input, stamp) {
                Err(crate::Error::ScoreRefused {
                    problem: crate::assessment::ScoreProblem::PersonalData { kinds, .. },
                    ..
                }) => {
                    keep_drafts(app, id, &input);
                    app.overlay = Overlay::PersonalData {
                        input,
                        kinds,
                        refused: true,
                    };
                    return Ok(());
                }
                Err(e) => {
                    if keep_drafts(app, id, &input) {
                        let why = for_terminal(&e.localized(lang), false).into_owned();
                        app.say(
                            StatusKind::Error,
                            tr!(
                                lang,
                                "{why} (teksten er gemt som kladde og tilbydes igen, når du åbner {})",
                                "{why} (the text is kept as a draft, offered again when you open {})",
                                input.indicator_id
                            ),
                        );
                        return Ok(());
                    }
                    return Err(e);
                }
                Ok(saved) => saved,
            };
            for field in [Field::Reasoning, Field::Sources] {
                app.drafts.forget(&DraftKey {
                    assessment: id,
                    indicator: input.indicator_id.clone(),
                    field,
                });
            }
            let became_not_relevant = saved.value == ScoreValue::NotRelevant
                && before.as_ref().map(|b| b.value) != Some(ScoreValue::NotRelevant);
            app.undo.push((saved.indicator_id.clone(), before));
            app.redo.retain(|(i, _)| *i != saved.indicator_id);
            reload(app, store)?;
            // a score from a key, or "not relevant" with its reason: on to the next one
            let from_key = input.reasoning.is_none() && input.sources.is_none();
            if (from_key || became_not_relevant) && kinds.is_empty() {
                app.advance_from(&saved.indicator_id);
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
        Effect::Confirm(indicator) => {
            let Some(view) = &app.view else { return Ok(()) };
            let id = view.record.id;
            let before = view.scores.get(&indicator).cloned();
            store.confirm_score(id, &indicator, stamp)?;
            app.undo.push((indicator.clone(), before));
            app.redo.retain(|(i, _)| *i != indicator);
            reload(app, store)?;
            app.advance_from(&indicator);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: {indicator} genvurderet",
                    "✓ Saved {time}: {indicator} re-assessed"
                ),
            );
        }
        Effect::Undo(indicator) => {
            super::history::undo_redo(app, store, &indicator, false, stamp)?;
        }
        Effect::Redo(indicator) => {
            super::history::undo_redo(app, store, &indicator, true, stamp)?;
        }
        Effect::Finalise(signer) => {
            let Some(view) = &app.view else { return Ok(()) };
            let id = view.record.id;
            if let Err(e) = store.finalise(id, &signer, stamp) {
                // the dialog stays, with the name as typed and the reason it was refused
                let mut d = super::signoff::FinaliseDialog::new(&signer);
                d.error = Some(for_terminal(&e.localized(lang), false).into_owned());
                app.overlay = Overlay::Finalise(d);
                return Ok(());
            }
            reload(app, store)?;
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
        Effect::Reopen(reason) => {
            let Some(view) = &app.view else { return Ok(()) };
            let id = view.record.id;
            if let Err(e) = store.reopen(id, &reason, stamp) {
                let mut d = super::signoff::ReopenDialog::new();
                d.reason.insert_str(&reason);
                d.error = Some(for_terminal(&e.localized(lang), false).into_owned());
                app.overlay = Overlay::Reopen(d);
                return Ok(());
            }
            reload(app, store)?;
            app.set_home(load_home(store)?);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Genåbnet {time}; vurderingen kan ændres igen",
                    "✓ Reopened {time}; the assessment can change again"
                ),
            );
        }
        Effect::StartAssessment {
            facility_id,
            year,
            roll_forward,
            model,
        } => {
            let form = match std::mem::replace(&mut app.overlay, Overlay::None) {
                Overlay::NewAssessment(f) => Some(f),
                other => {
                    app.overlay = other;
                    None
                }
            };
            let facility = store.facility_by_id(crate::store::FacilityId(facility_id))?;
            let model = match model {
                Some(id) => store.active_model(&id)?,
                None => {
                    let models = store.models_for_year(year)?;
                    if let (Some(mut form), true) = (form, models.len() > 1) {
                        form.models = models
                            .iter()
                            .map(|m| (m.id.clone(), m.name.clone()))
                            .collect();
                        form.model = 0;
                        app.overlay = Overlay::NewAssessment(form);
                        return Ok(());
                    }
                    store.model_for_year(year)?
                }
            };
            let record = store.start_assessment(&facility, year, &model, roll_forward, stamp)?;
            app.set_home(load_home(store)?);
            app.screen = Screen::Home;
            app.show_assessment(load_assessment(store, record.id)?);
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Vurdering {year} startet på {}",
                    "✓ Assessment {year} started on {}",
                    model.id
                ),
            );
        }
        Effect::FacilityForm(id) => {
            let known = store.tag_choices()?;
            let form = match id {
                Some(id) => super::facility_form::FacilityForm::edit(
                    &store.facility_by_id(crate::store::FacilityId(id))?,
                    &known,
                ),
                None => super::facility_form::FacilityForm::new(None, &Default::default(), &known),
            };
            app.overlay = Overlay::Facility(form);
        }
        Effect::SaveFacility { id, values, focus } => {
            super::facility_form::save(app, store, id, values, focus, stamp)?;
        }
        Effect::AddAction(new) => {
            let Some(view) = &app.view else { return Ok(()) };
            let x = store.add_action(view.record.id, &new, stamp)?;
            reload(app, store)?;
            app.say(
                StatusKind::Saved,
                tr!(
                    lang,
                    "✓ Gemt {time}: udviklingspunkt #{} ({})",
                    "✓ Saved {time}: improvement action #{} ({})",
                    x.id,
                    x.indicators.join(", ")
                ),
            );
        }
        Effect::SetActionStatus { id, status, reason } => {
            let changes = ActionChanges {
                status: Some(status),
                drop_reason: reason,
                ..Default::default()
            };
            store.edit_action(id, &changes, stamp)?;
            reload(app, store)?;
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
        Effect::FillHome => {
            let sel = app.home_sel;
            super::data::fill_summaries(store, &mut app.home, sel)?;
        }
        Effect::OpenDemo => {
            let mut demo = crate::demo::open_demo(store.path(), stamp)?;
            if store.strict() {
                demo.set_strict();
            }
            *store = demo;
            app.demo = true;
            app.set_home(load_home(store)?);
            app.home_sel = app
                .home
                .iter()
                .position(|r| matches!(r, super::data::HomeRow::Assessment { .. }))
                .unwrap_or(0);
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "Demodatabase: {} (din egen er urørt)",
                    "Demo database: {} (yours is untouched)",
                    store.path().display()
                ),
            );
        }
        Effect::OpenCompare { facility_id, year } => {
            let view = super::data::load_compare(store, facility_id, year)?;
            if app
                .compare
                .as_ref()
                .is_none_or(|c| c.facility_id != view.facility_id)
            {
                app.compare_scroll = 0;
            }
            app.compare = Some(view);
            app.screen = Screen::Compare;
        }
        Effect::Open(id) => {
            app.screen = Screen::Home;
            app.show_assessment(load_assessment(store, id)?);
            app.status = None;
        }
    }
    Ok(())
}
