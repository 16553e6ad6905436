//! The terminal program's state and `update`: a key press changes the state and may ask
//! for an effect (saving a score), which the loop runs through the store. No I/O here.

use super::data::{AssessmentView, HomeRow};
use super::keys::{self, Action};
use crate::assessment::{
    self, ActionStatus, IdentifierKind, Level, NewAction, Score, ScoreInput, ScoreValue, Status,
};
use crate::i18n::Lang;
use crate::model::Indicator;
use crate::store::{Facility, NewFacility};
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

/// The screen in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Home,
    Assessment,
    Overview,
    Gaps,
    Compare,
}

/// What an editor is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Reasoning,
    Sources,
    NotRelevantReason,
    Search,
    /// Why an improvement action is dropped.
    DropReason(i64),
}

/// A text editor over the screen.
#[derive(Clone)]
pub struct Editor {
    pub kind: EditKind,
    pub indicator: String,
    pub area: TextArea<'static>,
    /// The text it opened with: closing it unchanged saves nothing.
    pub initial: String,
}

impl Editor {
    /// An editor for `indicator` holding `text`.
    pub fn new(kind: EditKind, indicator: impl Into<String>, text: &str) -> Editor {
        Editor {
            kind,
            indicator: indicator.into(),
            area: text_area(text),
            initial: text.to_string(),
        }
    }

    /// The text as typed, without trailing blank space.
    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim_end().to_string()
    }
}

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
    fn new(kind: FormKind, values: &[&str]) -> Form {
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

    fn value(&self, i: usize) -> String {
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

/// What lies over the screen, taking the keys.
#[derive(Clone)]
pub enum Overlay {
    None,
    Help,
    Editor(Editor),
    Form(Form),
    NewAssessment(NewAssessmentForm),
    ConfirmFinalise,
    /// A question before an effect: y/Enter runs it, Esc or any other key cancels.
    Confirm {
        question: String,
        effect: Effect,
    },
    /// A text just saved (or, when strict, refused) holds personal identifiers: offer to
    /// mask them.
    PersonalData {
        input: ScoreInput,
        kinds: Vec<IdentifierKind>,
        refused: bool,
    },
    /// Lines to read; any key closes it.
    Message(Vec<String>),
}

/// How the status line speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Saved,
    Info,
    Error,
}

/// The status line: the last thing that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub kind: StatusKind,
    pub text: String,
    /// The screen it was said on: another screen does not show it.
    pub screen: Screen,
}

/// What the loop must do through the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveScore(ScoreInput),
    Confirm(String),
    /// Put back the indicator's score before its last change this session.
    Undo(String),
    /// Put back what the last undo of the indicator took away.
    Redo(String),
    Finalise,
    StartAssessment {
        facility_id: i64,
        year: i32,
        roll_forward: bool,
    },
    AddFacility(NewFacility),
    Open(i64),
    /// Switch to the demo database beside the real one.
    OpenDemo,
    /// Compute the home rows' summaries around the selection.
    FillHome,
    /// The Compare screen for a facility, its heat map for a year (the newest by default).
    OpenCompare {
        facility_id: i64,
        year: Option<i32>,
    },
    AddAction(NewAction),
    SetActionStatus {
        id: i64,
        status: ActionStatus,
        reason: Option<String>,
    },
}

/// The whole state of the terminal program.
#[derive(Clone)]
pub struct App {
    pub lang: Lang,
    pub user: String,
    pub this_year: i32,
    pub colors: bool,
    pub screen: Screen,
    pub overlay: Overlay,
    pub home: Vec<HomeRow>,
    pub home_sel: usize,
    pub view: Option<AssessmentView>,
    pub theme: usize,
    /// The selected indicator within the current theme.
    pub sel: usize,
    pub overview_scroll: u16,
    /// How far the detail pane of an indicator is scrolled: (indicator, lines).
    pub detail_scroll: (String, u16),
    /// The selected row of the Gaps screen.
    pub gap_sel: usize,
    /// The screen the Gaps screen goes back to.
    pub gaps_from: Screen,
    pub status: Option<StatusLine>,
    /// The Compare screen's data, and how far its heat map is scrolled.
    pub compare: Option<super::data::CompareView>,
    pub compare_scroll: usize,
    /// This session's changes to the open assessment: (indicator, its score before).
    pub undo: Vec<(String, Option<Score>)>,
    /// What undo took away: (indicator, its score before the undo).
    pub redo: Vec<(String, Option<Score>)>,
    pub last_search: String,
    pub quit: bool,
    /// The terminal's size as last reported (unknown: assumed large enough).
    pub size: Option<(u16, u16)>,
    /// Texts typed but not saved, offered again when their editor opens.
    pub drafts: super::drafts::Drafts,
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

fn text_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.lines().map(String::from).collect());
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

impl App {
    /// A new program state on the home screen.
    pub fn new(lang: Lang, user: String, this_year: i32, colors: bool, home: Vec<HomeRow>) -> App {
        App {
            lang,
            user,
            this_year,
            colors,
            screen: Screen::Home,
            overlay: Overlay::None,
            home_sel: first_assessment_row(&home),
            home,
            view: None,
            theme: 0,
            sel: 0,
            overview_scroll: 0,
            detail_scroll: (String::new(), 0),
            gap_sel: 0,
            gaps_from: Screen::Assessment,
            status: None,
            compare: None,
            compare_scroll: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            last_search: String::new(),
            quit: false,
            size: None,
            drafts: Default::default(),
        }
    }

    /// Says something on the status line.
    pub fn say(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(StatusLine {
            kind,
            text: text.into(),
            screen: self.screen,
        });
    }

    /// The key table of the screen in front.
    pub fn key_table(&self) -> &'static [keys::Binding] {
        match self.screen {
            Screen::Home => keys::HOME,
            Screen::Assessment => keys::ASSESSMENT,
            Screen::Overview => keys::OVERVIEW,
            Screen::Gaps => keys::GAPS,
            Screen::Compare => keys::COMPARE,
        }
    }

    /// The indicators of the current theme, in order.
    pub fn theme_indicators(&self) -> Vec<&Indicator> {
        self.view
            .as_ref()
            .and_then(|v| v.model.themes.get(self.theme))
            .map(|t| t.criteria.iter().flat_map(|c| &c.indicators).collect())
            .unwrap_or_default()
    }

    /// The selected indicator.
    pub fn selected(&self) -> Option<&Indicator> {
        self.theme_indicators().get(self.sel).copied()
    }

    fn read_only(&self) -> bool {
        self.view
            .as_ref()
            .is_some_and(|v| v.record.status == Status::Finalised)
    }

    /// Shows an opened assessment from its first theme (or keeps the place when reloaded).
    pub fn show_assessment(&mut self, view: AssessmentView) {
        let same = self
            .view
            .as_ref()
            .is_some_and(|v| v.record.id == view.record.id);
        if !same {
            self.theme = 0;
            self.sel = 0;
            self.undo.clear();
            self.redo.clear();
            self.overview_scroll = 0;
            self.gap_sel = 0;
        }
        self.view = Some(view);
        if self.screen == Screen::Home {
            self.screen = Screen::Assessment;
        }
    }

    /// The facility of the selected home row: the row itself or the nearest above it.
    pub fn facility_above(&self) -> Option<&Facility> {
        let end = (self.home_sel + 1).min(self.home.len());
        self.home[..end].iter().rev().find_map(|r| match r {
            HomeRow::Facility(f) => Some(f),
            _ => None,
        })
    }

    /// Replaces the home rows, keeping the selection in range.
    pub fn set_home(&mut self, rows: Vec<HomeRow>) {
        self.home = rows;
        self.home_sel = self.home_sel.min(self.home.len().saturating_sub(1));
    }
}

fn first_assessment_row(rows: &[HomeRow]) -> usize {
    rows.iter()
        .position(|r| matches!(r, HomeRow::Assessment { .. }))
        .unwrap_or(0)
}

/// What reaches `update`: a key press, a paste, a new terminal size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
}

impl From<KeyEvent> for Msg {
    fn from(key: KeyEvent) -> Msg {
        Msg::Key(key)
    }
}

impl App {
    /// Whether the screen is too small to be drawn (keys then do nothing).
    pub fn too_small(&self) -> bool {
        let (w, h) = super::view::MIN_SIZE;
        self.size.is_some_and(|(x, y)| x < w || y < h)
    }
}

/// Handles one message; returns the effect to run, if any.
pub fn update(app: &mut App, msg: impl Into<Msg>) -> Option<Effect> {
    match msg.into() {
        Msg::Resize(w, h) => {
            app.size = Some((w, h));
            None
        }
        Msg::Paste(text) => paste(app, &text),
        Msg::Key(key) => key_press(app, key),
    }
}

/// A paste goes into the open editor or form field only; elsewhere it is refused, never
/// run as keys.
fn paste(app: &mut App, text: &str) -> Option<Effect> {
    if app.too_small() {
        return None;
    }
    match &mut app.overlay {
        Overlay::Editor(editor) => super::editor::paste(editor, text),
        Overlay::Form(form) => {
            let line = text.replace(['\r', '\n'], " ");
            form.fields[form.focus].insert_str(line);
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

fn key_press(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        app.quit = true;
        return super::editor::exit_effect(app);
    }
    if app.too_small() {
        return None;
    }
    match std::mem::replace(&mut app.overlay, Overlay::None) {
        Overlay::None => {}
        Overlay::Help | Overlay::Message(_) => return None,
        Overlay::ConfirmFinalise => {
            return match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(Effect::Finalise),
                _ => {
                    app.say(
                        StatusKind::Info,
                        tr!(
                            app.lang,
                            "Ikke afsluttet; intet ændret",
                            "Not finalised; nothing changed"
                        ),
                    );
                    None
                }
            };
        }
        Overlay::Confirm { effect, .. } => {
            if matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter) {
                return Some(effect);
            }
            app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Fortrudt; intet ændret",
                    "Cancelled; nothing changed"
                ),
            );
            return None;
        }
        Overlay::PersonalData { input, refused, .. } => {
            return personal_data_key(app, input, refused, key);
        }
        Overlay::Editor(editor) => return super::editor::editor_key(app, editor, key),
        Overlay::Form(form) => return form_key(app, form, key),
        Overlay::NewAssessment(form) => return new_assessment_key(app, form, key),
    }
    let action = keys::action_for(app.key_table(), &key)?;
    match (app.screen, action) {
        (_, Action::Quit) => app.quit = true,
        (_, Action::Help) => app.overlay = Overlay::Help,
        (Screen::Home, a) => return home_action(app, a),
        (Screen::Assessment, a) => return assessment_action(app, a),
        (Screen::Overview, a) => return overview_action(app, a),
        (Screen::Gaps, a) => return gaps_action(app, a),
        (Screen::Compare, a) => return compare_action(app, a),
    }
    None
}

fn home_action(app: &mut App, action: Action) -> Option<Effect> {
    let last = app.home.len().saturating_sub(1);
    let moved = |app: &App| {
        super::data::needs_summaries(&app.home, app.home_sel).then_some(Effect::FillHome)
    };
    match action {
        Action::Back => app.quit = true,
        Action::Down => {
            app.home_sel = (app.home_sel + 1).min(last);
            return moved(app);
        }
        Action::Up => {
            app.home_sel = app.home_sel.saturating_sub(1);
            return moved(app);
        }
        Action::Top => {
            app.home_sel = 0;
            return moved(app);
        }
        Action::Bottom => {
            app.home_sel = last;
            return moved(app);
        }
        Action::AddFacility => {
            app.overlay = Overlay::Form(Form::new(FormKind::Facility, &[]));
        }
        Action::Open => match app.home.get(app.home_sel) {
            Some(HomeRow::Assessment { record, .. }) => return Some(Effect::Open(record.id)),
            Some(HomeRow::Facility(_)) => match app.home.get(app.home_sel + 1) {
                Some(HomeRow::Assessment { record, .. }) => return Some(Effect::Open(record.id)),
                _ => return home_action(app, Action::NewAssessment),
            },
            None => app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Tilføj først et tilbud med a",
                    "First add a facility with a"
                ),
            ),
        },
        Action::OpenDemo => return Some(Effect::OpenDemo),
        Action::Compare => match app.facility_above().map(|f| f.id) {
            Some(id) => {
                return Some(Effect::OpenCompare {
                    facility_id: id,
                    year: None,
                });
            }
            None => app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Tilføj først et tilbud med a",
                    "First add a facility with a"
                ),
            ),
        },
        Action::NewAssessment => {
            let Some(facility) = app.facility_above().cloned() else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        app.lang,
                        "Tilføj først et tilbud med a",
                        "First add a facility with a"
                    ),
                );
                return None;
            };
            let years: Vec<i32> = app
                .home
                .iter()
                .filter_map(|r| match r {
                    HomeRow::Assessment { record, .. } if record.facility_id == facility.id => {
                        Some(record.year)
                    }
                    _ => None,
                })
                .collect();
            let year = if years.contains(&app.this_year) {
                years.iter().max().map_or(app.this_year, |y| y + 1)
            } else {
                app.this_year
            };
            let previous_year = years.iter().copied().filter(|y| *y < year).max();
            app.overlay = Overlay::NewAssessment(NewAssessmentForm {
                facility,
                year: text_area(&year.to_string()),
                previous_year,
                roll_forward: previous_year.is_some(),
            });
        }
        _ => {}
    }
    None
}

fn assessment_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    let count = app.theme_indicators().len();
    let themes = app.view.as_ref().map_or(0, |v| v.model.themes.len());
    let editing = matches!(
        action,
        Action::Score(_)
            | Action::NotRelevant
            | Action::EditReasoning
            | Action::EditSources
            | Action::Undo
            | Action::Redo
            | Action::Confirm
    );
    if editing && app.read_only() {
        app.say(
            StatusKind::Info,
            tr!(
                lang,
                "Vurderingen er afsluttet og kan kun læses: hele begrundelsen står nederst (PgDn ruller); genåbn den med assessment reopen",
                "The assessment is finalised and read-only: the whole reasoning is below (PgDn scrolls); reopen it with assessment reopen"
            ),
        );
        return None;
    }
    let selected = app.selected().map(|i| i.id.clone());
    let current = selected
        .as_ref()
        .and_then(|id| app.view.as_ref().and_then(|v| v.scores.get(id)).cloned());
    match action {
        Action::Back => {
            app.screen = Screen::Home;
            return None;
        }
        Action::Down => {
            app.step_down();
        }
        Action::Up => {
            app.step_up();
        }
        Action::Top => app.sel = 0,
        Action::Bottom => app.sel = count.saturating_sub(1),
        Action::ScrollDown | Action::ScrollUp => {
            let id = selected?;
            let at = if app.detail_scroll.0 == id {
                app.detail_scroll.1
            } else {
                0
            };
            let at = if action == Action::ScrollDown {
                at.saturating_add(3).min(200)
            } else {
                at.saturating_sub(3)
            };
            app.detail_scroll = (id, at);
        }
        Action::NextTheme if themes > 0 => {
            app.theme = (app.theme + 1) % themes;
            app.sel = 0;
        }
        Action::PrevTheme if themes > 0 => {
            app.theme = (app.theme + themes - 1) % themes;
            app.sel = 0;
        }
        Action::Overview => {
            app.screen = Screen::Overview;
            app.overview_scroll = 0;
        }
        Action::Gaps => {
            app.gaps_from = Screen::Assessment;
            app.screen = Screen::Gaps;
        }
        Action::Score(v) => {
            let id = selected?;
            return Some(Effect::SaveScore(ScoreInput {
                indicator_id: id,
                value: ScoreValue::Scored(v),
                reasoning: None,
                sources: None,
            }));
        }
        Action::NotRelevant => {
            let id = selected?;
            let text = current.map(|s| s.reasoning).unwrap_or_default();
            app.open_editor(EditKind::NotRelevantReason, id, &text);
        }
        Action::EditReasoning | Action::EditSources => {
            let id = selected?;
            let Some(score) = current else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Giv først en score (1–5) eller x for ikke relevant",
                        "First give a score (1–5), or x for not relevant"
                    ),
                );
                return None;
            };
            let (kind, text) = if action == Action::EditReasoning {
                (EditKind::Reasoning, score.reasoning)
            } else {
                (EditKind::Sources, score.sources)
            };
            app.open_editor(kind, id, &text);
        }
        Action::Confirm => {
            let id = selected?;
            if current.is_some_and(|s| s.carried_over) {
                return Some(Effect::Confirm(id));
            }
            app.say(
                StatusKind::Info,
                tr!(
                    lang,
                    "{id} er ikke overført fra sidste år",
                    "{id} is not carried over from last year"
                ),
            );
        }
        Action::Undo | Action::Redo => {
            let id = selected?;
            let stack = if action == Action::Undo {
                &app.undo
            } else {
                &app.redo
            };
            if !stack.iter().any(|(i, _)| *i == id) {
                app.say(
                    StatusKind::Info,
                    if action == Action::Undo {
                        tr!(
                            lang,
                            "Intet at fortryde for {id}",
                            "Nothing to undo for {id}"
                        )
                    } else {
                        tr!(
                            lang,
                            "Intet at gentage for {id}",
                            "Nothing to redo for {id}"
                        )
                    },
                );
                return None;
            }
            return Some(if action == Action::Undo {
                Effect::Undo(id)
            } else {
                Effect::Redo(id)
            });
        }
        Action::Search => {
            let mut editor = Editor::new(EditKind::Search, "", "");
            if !app.last_search.is_empty() {
                editor.area.set_placeholder_text(tr!(
                    lang,
                    "Enter: næste \"{}\"",
                    "Enter: next \"{}\"",
                    app.last_search
                ));
            }
            app.overlay = Overlay::Editor(editor);
        }
        _ => {}
    }
    None
}

fn overview_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    match action {
        Action::Back => app.screen = Screen::Assessment,
        Action::Gaps => {
            app.gaps_from = Screen::Overview;
            app.screen = Screen::Gaps;
        }
        Action::Down => app.overview_scroll = app.overview_scroll.saturating_add(1),
        Action::Up => app.overview_scroll = app.overview_scroll.saturating_sub(1),
        Action::Finalise => {
            let view = app.view.as_ref()?;
            if view.record.status == Status::Finalised {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vurderingen er allerede afsluttet",
                        "The assessment is finalised already"
                    ),
                );
                return None;
            }
            let blocking = assessment::blocking(&view.model, &view.score_list());
            if blocking.is_empty() {
                app.overlay = Overlay::ConfirmFinalise;
            } else {
                let mut lines = vec![tr!(
                    lang,
                    "Vurderingen kan ikke afsluttes endnu. {} indikator(er) mangler:",
                    "The assessment cannot be finalised yet. {} indicator(s) missing:",
                    blocking.len()
                )];
                lines.extend(
                    blocking
                        .iter()
                        .map(|i| format!("  {:<4} {}", i.indicator_id, i.kind.label(lang))),
                );
                app.overlay = Overlay::Message(lines);
            }
        }
        _ => {}
    }
    None
}

/// `m` saves the text masked; any other key keeps it as saved, or, where it was refused,
/// goes back to the editor with the text as typed (nothing typed is lost).
fn personal_data_key(
    app: &mut App,
    input: ScoreInput,
    refused: bool,
    key: KeyEvent,
) -> Option<Effect> {
    let lang = app.lang;
    if matches!(key.code, KeyCode::Char('m' | 'M')) {
        return Some(Effect::SaveScore(crate::assessment::mask_input(&input)));
    }
    if refused {
        let (kind, text) = match (&input.reasoning, &input.sources) {
            (Some(r), _) if input.value == ScoreValue::NotRelevant => {
                (EditKind::NotRelevantReason, r.clone())
            }
            (Some(r), _) => (EditKind::Reasoning, r.clone()),
            (None, s) => (EditKind::Sources, s.clone().unwrap_or_default()),
        };
        // the text as typed, not a draft: this is the text just refused
        app.overlay = Overlay::Editor(Editor {
            initial: String::new(),
            ..Editor::new(kind, input.indicator_id, &text)
        });
    } else {
        app.say(
            StatusKind::Info,
            tr!(
                lang,
                "{}: teksten er gemt med personoplysninger; kvalitetstjekket viser det",
                "{}: the text is saved with personal data; the quality checks show it",
                input.indicator_id
            ),
        );
    }
    None
}

fn form_key(app: &mut App, mut form: Form, key: KeyEvent) -> Option<Effect> {
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

fn new_assessment_key(app: &mut App, mut form: NewAssessmentForm, key: KeyEvent) -> Option<Effect> {
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

/// A row of the Gaps screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapRow {
    /// A finding (index into the view's gap entries).
    Finding(usize),
    /// An action raised for a finding: (entry, action within it).
    Action(usize, usize),
    /// An action of this assessment for an indicator that is no gap (index into its actions).
    Other(usize),
    /// An open action of last year's assessment (index into its actions).
    LastYear(usize),
}

/// The Gaps screen's rows: each finding followed by its actions, then the other actions.
pub fn gap_rows(view: &AssessmentView) -> Vec<GapRow> {
    let mut rows = Vec::new();
    for (i, e) in view.gaps.iter().enumerate() {
        rows.push(GapRow::Finding(i));
        rows.extend((0..e.actions.len()).map(|k| GapRow::Action(i, k)));
    }
    for (k, a) in view.actions.iter().enumerate() {
        if !view
            .gaps
            .iter()
            .any(|e| e.actions.iter().any(|x| x.id == a.id))
        {
            rows.push(GapRow::Other(k));
        }
    }
    if let Some(py) = &view.previous {
        rows.extend(
            py.actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.status.is_open())
                .map(|(k, _)| GapRow::LastYear(k)),
        );
    }
    rows
}

fn gaps_action(app: &mut App, action: Action) -> Option<Effect> {
    let lang = app.lang;
    let view = app.view.as_ref()?;
    let rows = gap_rows(view);
    let row = rows.get(app.gap_sel).copied();
    let selected_action = match row {
        Some(GapRow::Action(e, k)) => view.gaps.get(e).and_then(|e| e.actions.get(k)).cloned(),
        Some(GapRow::Other(k)) => view.actions.get(k).cloned(),
        Some(GapRow::LastYear(k)) => view
            .previous
            .as_ref()
            .and_then(|py| py.actions.get(k))
            .cloned(),
        _ => None,
    };
    match action {
        Action::Back => app.screen = app.gaps_from,
        Action::Down => app.gap_sel = (app.gap_sel + 1).min(rows.len().saturating_sub(1)),
        Action::Up => app.gap_sel = app.gap_sel.saturating_sub(1),
        Action::Top => app.gap_sel = 0,
        Action::Bottom => app.gap_sel = rows.len().saturating_sub(1),
        Action::AddAction => {
            let entry = match row {
                Some(GapRow::Finding(e) | GapRow::Action(e, _)) => view.gaps.get(e),
                _ => None,
            };
            let Some(entry) = entry else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vælg et hul at tilføje et udviklingspunkt til",
                        "Select a gap to add an improvement action to"
                    ),
                );
                return None;
            };
            let indicators = action_indicators(view, &entry.finding.node_id, entry.finding.level);
            let plan = entry
                .plans
                .iter()
                .find(|p| p.target_kind == crate::strategy::NodeKind::ActionPlan)
                .map(|p| p.target_id.clone())
                .unwrap_or_default();
            app.overlay = Overlay::Form(Form::new(
                FormKind::Action { indicators },
                &["", "", "", &plan],
            ));
        }
        Action::ActionInProgress | Action::ActionDone | Action::ActionDrop => {
            let Some(x) = selected_action else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        lang,
                        "Vælg et udviklingspunkt",
                        "Select an improvement action"
                    ),
                );
                return None;
            };
            match action {
                Action::ActionDrop => {
                    app.overlay = Overlay::Editor(Editor::new(
                        EditKind::DropReason(x.id),
                        x.id.to_string(),
                        "",
                    ));
                }
                Action::ActionDone => {
                    app.overlay = Overlay::Confirm {
                        question: tr!(
                            lang,
                            "Markér #{} som gennemført? ({})",
                            "Mark #{} as done? ({})",
                            x.id,
                            x.text
                        ),
                        effect: Effect::SetActionStatus {
                            id: x.id,
                            status: ActionStatus::Done,
                            reason: None,
                        },
                    };
                }
                _ => {
                    return Some(Effect::SetActionStatus {
                        id: x.id,
                        status: ActionStatus::InProgress,
                        reason: None,
                    });
                }
            }
        }
        _ => {}
    }
    None
}

/// The indicators an action raised for a finding answers: the indicator itself, or the
/// criterion's or theme's indicators that are findings too (all of them where none is).
fn action_indicators(view: &AssessmentView, node: &str, level: Level) -> Vec<String> {
    if level == Level::Indicator {
        return vec![node.to_string()];
    }
    let under: Vec<String> = view
        .model
        .themes
        .iter()
        .flat_map(|t| t.criteria.iter().map(move |c| (t, c)))
        .filter(|(t, c)| t.id == node || c.id == node)
        .flat_map(|(_, c)| c.indicators.iter().map(|i| i.id.clone()))
        .collect();
    let flagged: Vec<String> = under
        .iter()
        .filter(|i| {
            view.gaps
                .iter()
                .any(|e| e.finding.level == Level::Indicator && &e.finding.node_id == *i)
        })
        .cloned()
        .collect();
    if flagged.is_empty() { under } else { flagged }
}

fn compare_action(app: &mut App, action: Action) -> Option<Effect> {
    let view = app.compare.as_ref()?;
    let facility_id = view.facility_id;
    match action {
        Action::Back => app.screen = Screen::Home,
        Action::NextTheme if view.year + 1 < view.years.len() => {
            return Some(Effect::OpenCompare {
                facility_id,
                year: Some(view.years[view.year + 1]),
            });
        }
        Action::PrevTheme if view.year > 0 => {
            return Some(Effect::OpenCompare {
                facility_id,
                year: Some(view.years[view.year - 1]),
            });
        }
        Action::Down => {
            app.compare_scroll =
                (app.compare_scroll + 1).min(view.matrix.rows.len().saturating_sub(1))
        }
        Action::Up => app.compare_scroll = app.compare_scroll.saturating_sub(1),
        _ => {}
    }
    None
}
