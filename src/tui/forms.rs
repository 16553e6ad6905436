//! The forms: a new facility, a new improvement action, a new assessment; their fields
//! and their keys.

use super::app::*;
use crate::assessment::{self, NewAction};
use crate::store::{Facility, NewFacility};
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

/// What a form makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Facility,
    /// An improvement action answering these indicators.
    Action {
        indicators: Vec<String>,
    },
}

/// A form of one-line fields.
#[derive(Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<TextArea<'static>>,
    pub focus: usize,
}

impl Form {
    pub(super) fn new(kind: FormKind, values: &[&str]) -> Form {
        let labels = match kind {
            FormKind::Facility => FACILITY_FIELDS.len(),
            FormKind::Action { .. } => ACTION_FIELDS.len(),
        };
        let fields = (0..labels)
            .map(|i| {
                let mut area = text_area(values.get(i).copied().unwrap_or(""));
                area.set_wrap_mode(WrapMode::None);
                area
            })
            .collect();
        Form {
            kind,
            fields,
            focus: 0,
        }
    }

    /// The fields' labels: (Danish, English).
    pub fn labels(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            FormKind::Facility => &FACILITY_FIELDS,
            FormKind::Action { .. } => &ACTION_FIELDS,
        }
    }

    pub(super) fn value(&self, i: usize) -> String {
        self.fields[i].lines().join(" ").trim().to_string()
    }
}

/// The questions before a new assessment: the year, and whether to start from last year's.
#[derive(Clone)]
pub struct NewAssessmentForm {
    pub facility: Facility,
    pub year: TextArea<'static>,
    /// The year of the latest earlier assessment, where there is one.
    pub previous_year: Option<i32>,
    pub roll_forward: bool,
}

/// The improvement-action form's fields: (Danish, English) labels.
pub const ACTION_FIELDS: [(&str, &str); 4] = [
    (
        "Udviklingspunkt: hvad gøres der?",
        "Improvement action: what will be done?",
    ),
    ("Ansvarlig", "Owner"),
    ("Frist (31-03-2026)", "Due (2026-03-31)"),
    (
        "Handleplan (tom: lokalt udviklingspunkt)",
        "Action plan (empty: a local action)",
    ),
];

/// The facility form's fields: (Danish, English) labels.
pub const FACILITY_FIELDS: [(&str, &str); 6] = [
    ("Navn", "Name"),
    ("Organisation / region", "Organisation / region"),
    ("Sted", "Location"),
    ("Tilbudstype", "Facility type"),
    ("Målgruppe", "Target group"),
    (
        "Mærker (children board ambulant shelter)",
        "Tags (children board ambulant shelter)",
    ),
];

pub fn form_key(app: &mut App, mut form: Form, key: KeyEvent) -> Option<Effect> {
    let lang = app.lang;
    let last = form.fields.len() - 1;
    let ctrl_s = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('s');
    match key.code {
        KeyCode::Esc => {
            app.say(
                StatusKind::Info,
                tr!(lang, "Intet tilføjet", "Nothing added"),
            );
            return None;
        }
        _ if ctrl_s || (key.code == KeyCode::Enter && form.focus == last) => match &form.kind {
            FormKind::Facility => {
                return Some(Effect::AddFacility(NewFacility {
                    name: form.value(0),
                    organisation: form.value(1),
                    location: form.value(2),
                    facility_type: form.value(3),
                    target_group: form.value(4),
                    tags: form
                        .value(5)
                        .split([' ', ','])
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect(),
                }));
            }
            FormKind::Action { indicators } => {
                let due_text = form.value(2);
                let due = if due_text.is_empty() {
                    None
                } else {
                    assessment::parse_date(&due_text)
                };
                if !due_text.is_empty() && due.is_none() {
                    app.say(
                        StatusKind::Error,
                        crate::Error::BadDate(due_text).localized(lang),
                    );
                    form.focus = 2;
                } else if form.value(0).is_empty() {
                    app.say(
                        StatusKind::Error,
                        tr!(
                            lang,
                            "Skriv, hvad der skal gøres",
                            "Write what will be done"
                        ),
                    );
                    form.focus = 0;
                } else {
                    let plan = form.value(3);
                    return Some(Effect::AddAction(NewAction {
                        text: form.value(0),
                        indicators: indicators.clone(),
                        action_plan: (!plan.is_empty()).then_some(plan),
                        owner: form.value(1),
                        due,
                    }));
                }
            }
        },
        KeyCode::Enter | KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1).min(last),
        KeyCode::BackTab | KeyCode::Up => form.focus = form.focus.saturating_sub(1),
        _ => {
            form.fields[form.focus].input(key);
        }
    }
    app.overlay = Overlay::Form(form);
    None
}

pub fn new_assessment_key(
    app: &mut App,
    mut form: NewAssessmentForm,
    key: KeyEvent,
) -> Option<Effect> {
    let lang = app.lang;
    match key.code {
        KeyCode::Esc => return None,
        KeyCode::Char(' ') => {
            form.roll_forward = form.previous_year.is_some() && !form.roll_forward
        }
        KeyCode::Enter => {
            let text = form.year.lines().join("");
            let Ok(year) = text.trim().parse::<i32>() else {
                app.say(
                    StatusKind::Error,
                    tr!(
                        lang,
                        "\"{}\" er ikke et årstal",
                        "\"{}\" is not a year",
                        text.trim()
                    ),
                );
                app.overlay = Overlay::NewAssessment(form);
                return None;
            };
            return Some(Effect::StartAssessment {
                facility_id: form.facility.id,
                year,
                roll_forward: form.roll_forward,
            });
        }
        KeyCode::Char(c) if c.is_ascii_digit() => {
            form.year.input(key);
        }
        KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right => {
            form.year.input(key);
        }
        _ => {}
    }
    app.overlay = Overlay::NewAssessment(form);
    None
}
