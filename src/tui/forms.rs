//! The forms: a new facility, a new improvement action, a new assessment; their fields
//! and their keys.

use super::app::*;
use crate::app::home::Facility;
use crate::assessment::{self, NewAction};
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

/// What a form makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// An improvement action answering these indicators.
    Action { indicators: Vec<String> },
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
    /// The year of the latest earlier assessment on the framework of the model in view
    /// (the chosen one, else the quality model's), where there is one.
    pub previous_year: Option<i32>,
    pub roll_forward: bool,
    /// The models that apply to the year, where more than one does: (id, name), to choose
    /// from; empty until the year is known to need the choice.
    pub models: Vec<(String, crate::model::Label)>,
    /// The framework of each of `models`.
    pub model_frameworks: Vec<String>,
    /// The chosen one of `models`.
    pub model: usize,
    /// The facility's assessments: (framework, year).
    pub earlier: Vec<(String, i32)>,
}

impl NewAssessmentForm {
    /// The framework the assessment is to be on: the chosen model's, else the quality
    /// model's (what starting without a choice takes).
    pub fn framework(&self) -> &str {
        self.model_frameworks
            .get(self.model)
            .map_or(crate::model::DEFAULT_FRAMEWORK, String::as_str)
    }

    /// Finds last year's assessment again for the year typed and the framework chosen:
    /// roll-forward is offered (and ticked) only where there is one of the same framework.
    pub fn refresh(&mut self) {
        let year = self.year.lines().join("").trim().parse::<i32>().ok();
        let framework = self.framework().to_string();
        let previous = year.and_then(|year| {
            self.earlier
                .iter()
                .filter(|(f, y)| *f == framework && *y < year)
                .map(|(_, y)| *y)
                .max()
        });
        if previous != self.previous_year || previous.is_none() {
            self.roll_forward = previous.is_some();
        }
        self.previous_year = previous;
    }
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
        KeyCode::Up if !form.models.is_empty() => {
            form.model = form.model.saturating_sub(1);
            form.refresh();
        }
        KeyCode::Down if !form.models.is_empty() => {
            form.model = (form.model + 1).min(form.models.len() - 1);
            form.refresh();
        }
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
                app.overlay = Overlay::NewAssessment(Box::new(form));
                return None;
            };
            let effect = Effect::StartAssessment {
                facility_id: form.facility.id,
                year,
                roll_forward: form.roll_forward && form.previous_year.is_some(),
                model: form.models.get(form.model).map(|(id, _)| id.clone()),
            };
            // the form stays behind the effect: where the year needs a choice of model, it asks
            app.overlay = Overlay::NewAssessment(Box::new(form));
            return Some(effect);
        }
        KeyCode::Char(c) if c.is_ascii_digit() => {
            form.year.input(key);
            form.models.clear();
            form.model_frameworks.clear();
            form.refresh();
        }
        KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right => {
            form.year.input(key);
            form.models.clear();
            form.model_frameworks.clear();
            form.refresh();
        }
        _ => {}
    }
    app.overlay = Overlay::NewAssessment(Box::new(form));
    None
}

pub(super) fn draw_new_assessment(
    frame: &mut Frame<'_>,
    app: &App,
    form: &NewAssessmentForm,
    area: Rect,
    p: &super::view::Palette,
) {
    use super::view::{popup, safe};
    let lang = app.lang;
    let choice = form.models.len() as u16;
    let extra = if choice > 0 { choice + 1 } else { 0 };
    let r = popup(area, 64, 13 + extra);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(tr!(
        lang,
        " Ny vurdering: {} ",
        " New assessment: {} ",
        safe(&form.facility.name)
    ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [year, roll, models, help, reform] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(2),
        Constraint::Length(extra),
        Constraint::Length(2),
        Constraint::Length(4),
    ])
    .areas(inner);
    let mut w = form.year.clone();
    w.set_block(Block::bordered().title(lang.pick("År", "Year")));
    frame.render_widget(&w, year);
    let roll_text = match form.previous_year {
        Some(y) => tr!(
            lang,
            "[{}] Start fra {y}-vurderingen (Mellemrum skifter); overførte scorer markeres \"ikke genvurderet\"",
            "[{}] Start from the {y} assessment (Space toggles); carried scores are marked \"not re-assessed\"",
            if form.roll_forward { "x" } else { " " }
        ),
        None if form.earlier.iter().any(|(f, _)| f != form.framework()) => lang
            .pick(
                "Ingen tidligere vurdering på modellens ramme (en på en anden ramme overføres ikke): der startes forfra.",
                "No earlier assessment on the model's framework (one on another is not carried over): starting afresh.",
            )
            .to_string(),
        None => lang
            .pick(
                "Ingen tidligere vurdering: der startes forfra.",
                "No earlier assessment: starting afresh.",
            )
            .to_string(),
    };
    frame.render_widget(Paragraph::new(roll_text).wrap(Wrap { trim: false }), roll);
    if choice > 0 {
        let mut lines = vec![Line::styled(
            lang.pick(
                "Flere modeller gælder for året; vælg med ↑↓:",
                "More than one model applies to the year; choose with ↑↓:",
            ),
            p.bold(),
        )];
        for (i, (id, name)) in form.models.iter().enumerate() {
            let mark = if i == form.model { "(•)" } else { "( )" };
            let style = if i == form.model {
                p.selected()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::styled(
                format!("{mark} {} · {}", safe(id), safe(name.get(lang))),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), models);
    }
    let keys = if choice > 0 {
        lang.pick(
            "↑↓ model · Enter start · Esc fortryd",
            "↑↓ model · Enter start · Esc cancel",
        )
    } else {
        lang.pick("Enter start · Esc fortryd", "Enter start · Esc cancel")
    };
    frame.render_widget(Paragraph::new(Line::styled(keys, p.dim())), help);
    let notice = crate::model::reform_notice(lang);
    frame.render_widget(
        Paragraph::new(Line::styled(notice, p.dim())).wrap(Wrap { trim: true }),
        reform,
    );
}
