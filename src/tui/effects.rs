//! Running an effect through the application layer. `perform` reads what it needs of the
//! state, does the work (every change is committed before it returns) and returns what
//! came of it as a message, `Done`; `update` takes that message in (`outcomes.rs`), so no
//! effect writes into the state itself.

use super::app::{App, Effect, Overlay};
use super::data::{self, AssessmentView, CompareView, HomeRow, HomeSummary, load_assessment};
use crate::app::Session;
use crate::app::home::{ActionChanges, Facility, NewFacility, Rescored};
use crate::assessment::{
    ActionStatus, IdentifierKind, ImprovementAction, Score, ScoreInput, ScoreProblem,
};
use crate::error::{Error, Result};
use crate::model::ApplicabilityTag;
use crate::text::for_terminal;

/// What running an effect came to, with the time it was done ("✓ Gemt 10:31:02").
#[derive(Debug, Clone)]
pub struct Done {
    pub time: String,
    pub outcome: Outcome,
}

/// Where a refused facility form puts its focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedAt {
    Name,
    Tags,
    Where(usize),
}

/// What came of an effect.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Nothing to show (nothing to undo, no assessment open).
    Nothing,
    /// The effect failed; nothing changed. The error, ready for the terminal.
    Failed(String),
    ScoreSaved {
        input: ScoreInput,
        before: Option<Score>,
        saved: Score,
        rescored: Rescored,
    },
    /// The save was refused; `personal`: for the personal identifiers of these kinds.
    ScoreRefused {
        assessment: i64,
        input: ScoreInput,
        why: String,
        personal: Option<Vec<IdentifierKind>>,
    },
    Confirmed {
        indicator: String,
        before: Option<Score>,
        rescored: Rescored,
    },
    /// Undo (or redo) put back `then` where `now` was; `pos` is its place on the stack.
    Restored {
        indicator: String,
        redo: bool,
        pos: usize,
        now: Option<Score>,
        then: Option<Score>,
        rescored: Rescored,
    },
    Finalised {
        signer: String,
        view: Box<AssessmentView>,
    },
    FinaliseRefused {
        signer: String,
        why: String,
    },
    Reopened {
        view: Box<AssessmentView>,
        home: Vec<HomeRow>,
    },
    ReopenRefused {
        reason: String,
        why: String,
    },
    /// More than one model applies to the year: the form asks which.
    /// (id, name, framework) each.
    ChooseModel(Vec<(String, crate::model::Label, String)>),
    Started {
        view: Box<AssessmentView>,
        home: Vec<HomeRow>,
        year: i32,
        model: String,
    },
    StartFailed(String),
    FacilityForm {
        facility: Option<Facility>,
        known: Vec<ApplicabilityTag>,
    },
    FacilitySaved {
        facility: Facility,
        edited: bool,
        home: Vec<HomeRow>,
    },
    FacilityRefused {
        id: Option<i64>,
        values: NewFacility,
        known: Vec<ApplicabilityTag>,
        at: RefusedAt,
        why: String,
    },
    ActionAdded {
        action: ImprovementAction,
        view: Box<AssessmentView>,
    },
    ActionStatusSet {
        id: i64,
        status: ActionStatus,
        view: Option<Box<AssessmentView>>,
    },
    Summaries(Vec<(usize, HomeSummary)>),
    Demo {
        home: Vec<HomeRow>,
        path: String,
    },
    Compare(Box<CompareView>),
    Opened(Box<AssessmentView>),
    /// The home rows, read again.
    Home(Vec<HomeRow>),
}

/// Runs `effect` through the application layer, then lets `update` take in what came of it.
pub fn apply(app: &mut App, s: &mut Session, effect: Effect) {
    let done = run(app, s, effect);
    super::app::update(app, super::app::Msg::Done(Box::new(done)));
}

/// Runs `effect` and says what came of it; an error is a `Failed` message.
pub fn run(app: &App, s: &mut Session, effect: Effect) -> Done {
    let time = s
        .clock
        .now()
        .with_timezone(&chrono::Local)
        .format("%H:%M:%S")
        .to_string();
    let outcome =
        perform(app, s, effect).unwrap_or_else(|e| Outcome::Failed(terminal_text(&e, app.lang)));
    Done { time, outcome }
}

fn terminal_text(e: &Error, lang: crate::i18n::Lang) -> String {
    for_terminal(&e.localized(lang), false).into_owned()
}

fn perform(app: &App, s: &mut Session, effect: Effect) -> Result<Outcome> {
    let lang = app.lang;
    let open = app.assessment.view.as_ref();
    let boxed = |v: AssessmentView| Box::new(v);
    Ok(match effect {
        Effect::SaveScore(input) => {
            let Some(view) = open else {
                return Ok(Outcome::Nothing);
            };
            let assessment = view.record.id;
            let before = view.scores.get(&input.indicator_id).cloned();
            match crate::app::scores::save_line(s, assessment, &input) {
                Ok(saved) => Outcome::ScoreSaved {
                    rescored: data::rescore(s, view)?,
                    input,
                    before,
                    saved,
                },
                Err(e) => Outcome::ScoreRefused {
                    assessment,
                    why: terminal_text(&e, lang),
                    personal: match e {
                        Error::ScoreRefused {
                            problem: ScoreProblem::PersonalData { kinds, .. },
                            ..
                        } => Some(kinds),
                        _ => None,
                    },
                    input,
                },
            }
        }
        Effect::Confirm(indicator) => {
            let Some(view) = open else {
                return Ok(Outcome::Nothing);
            };
            let before = view.scores.get(&indicator).cloned();
            crate::app::scores::confirm_score(s, view.record.id, &indicator)?;
            Outcome::Confirmed {
                indicator,
                before,
                rescored: data::rescore(s, view)?,
            }
        }
        Effect::Undo(indicator) => restore(app, s, indicator, false)?,
        Effect::Redo(indicator) => restore(app, s, indicator, true)?,
        Effect::Finalise(signer) => {
            let Some(view) = open else {
                return Ok(Outcome::Nothing);
            };
            if let Err(e) = crate::app::assessments::finalise(s, view.record.id, &signer) {
                return Ok(Outcome::FinaliseRefused {
                    signer,
                    why: terminal_text(&e, lang),
                });
            }
            Outcome::Finalised {
                signer,
                view: boxed(load_assessment(s, view.record.id)?),
            }
        }
        Effect::Reopen(reason) => {
            let Some(view) = open else {
                return Ok(Outcome::Nothing);
            };
            if let Err(e) = crate::app::assessments::reopen(s, view.record.id, &reason) {
                return Ok(Outcome::ReopenRefused {
                    reason,
                    why: terminal_text(&e, lang),
                });
            }
            Outcome::Reopened {
                view: boxed(load_assessment(s, view.record.id)?),
                home: data::load_home(s)?,
            }
        }
        Effect::StartAssessment {
            facility_id,
            year,
            roll_forward,
            model,
        } => match start(app, s, facility_id, year, roll_forward, model) {
            Ok(outcome) => outcome,
            Err(e) => Outcome::StartFailed(terminal_text(&e, lang)),
        },
        Effect::FacilityForm(id) => Outcome::FacilityForm {
            facility: id
                .map(|id| crate::app::facilities::by_id(s, id))
                .transpose()?,
            known: crate::app::home::tag_choices(s)?,
        },
        Effect::SaveFacility { id, values, focus } => {
            let saved = match id {
                None => crate::app::facilities::add(s, &values),
                Some(id) => {
                    let changes = crate::app::home::FacilityChanges {
                        name: Some(values.name.clone()),
                        organisation: Some(values.organisation.clone()),
                        location: Some(values.location.clone()),
                        facility_type: Some(values.facility_type.clone()),
                        target_group: Some(values.target_group.clone()),
                        tags: Some(values.tags.clone()),
                    };
                    crate::app::facilities::edit(s, &id.to_string(), &changes)
                }
            };
            match saved {
                Ok(facility) => Outcome::FacilitySaved {
                    facility,
                    edited: id.is_some(),
                    home: data::load_home(s)?,
                },
                Err(e) => Outcome::FacilityRefused {
                    id,
                    known: crate::app::home::tag_choices(s)?,
                    at: match &e {
                        Error::DuplicateFacility(_) | Error::Empty(_) => RefusedAt::Name,
                        Error::UnknownTag { .. } => RefusedAt::Tags,
                        _ => RefusedAt::Where(focus),
                    },
                    why: terminal_text(&e, lang),
                    values,
                },
            }
        }
        Effect::AddAction(new) => {
            let Some(view) = open else {
                return Ok(Outcome::Nothing);
            };
            let action = crate::app::actions::add(s, view.record.id, &new)?;
            Outcome::ActionAdded {
                action,
                view: boxed(load_assessment(s, view.record.id)?),
            }
        }
        Effect::SetActionStatus { id, status, reason } => {
            match (status, reason) {
                (ActionStatus::Done, None) => crate::app::actions::done(s, id)?,
                (ActionStatus::Dropped, Some(reason)) => crate::app::actions::drop(s, id, &reason)?,
                (status, drop_reason) => crate::app::actions::edit(
                    s,
                    id,
                    &ActionChanges {
                        status: Some(status),
                        drop_reason,
                        ..Default::default()
                    },
                )?,
            };
            Outcome::ActionStatusSet {
                id,
                status,
                view: open
                    .map(|v| load_assessment(s, v.record.id).map(boxed))
                    .transpose()?,
            }
        }
        Effect::FillHome => {
            Outcome::Summaries(data::summaries_around(s, &app.home.rows, app.home.sel)?)
        }
        Effect::OpenDemo => {
            let path = crate::app::home::switch_to_demo(s)?;
            Outcome::Demo {
                home: data::load_home(s)?,
                path: path.display().to_string(),
            }
        }
        Effect::OpenCompare {
            facility_id,
            year,
            framework,
        } => Outcome::Compare(Box::new(data::load_compare(
            s,
            facility_id,
            year,
            framework,
        )?)),
        Effect::Open(id) => Outcome::Opened(boxed(load_assessment(s, id)?)),
        Effect::LoadHome => {
            let mut rows = data::load_home(s)?;
            let sel = app.home.sel.min(rows.len().saturating_sub(1));
            for (i, summary) in data::summaries_around(s, &rows, sel)? {
                data::set_summary(&mut rows, i, summary);
            }
            Outcome::Home(rows)
        }
    })
}

/// Starts an assessment, or asks for the model where the form may ask and several apply.
fn start(
    app: &App,
    s: &mut Session,
    facility_id: i64,
    year: i32,
    roll_forward: bool,
    model: Option<String>,
) -> Result<Outcome> {
    let facility = crate::app::facilities::by_id(s, facility_id)?;
    if model.is_none() && matches!(app.overlay, Overlay::NewAssessment(_)) {
        let models = crate::app::home::models_for_year(s, year)?;
        if models.len() > 1 {
            return Ok(Outcome::ChooseModel(
                models
                    .iter()
                    .map(|m| (m.id.clone(), m.name.clone(), m.framework().to_string()))
                    .collect(),
            ));
        }
    }
    let started =
        crate::app::assessments::start(s, &facility, year, model.as_deref(), roll_forward)?;
    Ok(Outcome::Started {
        view: Box::new(load_assessment(s, started.record.id)?),
        home: data::load_home(s)?,
        year,
        model: started.model.id.clone(),
    })
}

/// Undo or redo of an indicator: its last change this session, put back.
fn restore(app: &App, s: &mut Session, indicator: String, redo: bool) -> Result<Outcome> {
    let Some(view) = app.assessment.view.as_ref() else {
        return Ok(Outcome::Nothing);
    };
    let from = if redo {
        &app.assessment.redo
    } else {
        &app.assessment.undo
    };
    let Some(pos) = from.iter().rposition(|(i, _)| *i == indicator) else {
        return Ok(Outcome::Nothing);
    };
    let then = from[pos].1.clone();
    let now = view.scores.get(&indicator).cloned();
    crate::app::scores::restore_score(s, view.record.id, &indicator, then.as_ref())?;
    Ok(Outcome::Restored {
        rescored: data::rescore(s, view)?,
        indicator,
        redo,
        pos,
        now,
        then,
    })
}
