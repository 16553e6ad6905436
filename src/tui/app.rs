//! The terminal program's state and `update`: a key press changes the state and may ask
//! for an effect (saving a score), which the loop runs through the application layer and
//! whose outcome comes back here as a message. No I/O here.

use super::assessment::assessment_action;
use super::compare::compare_action;
use super::data::{AssessmentView, HomeRow};
use super::dialogs::personal_data_key;
pub use super::forms::{ACTION_FIELDS, Form, FormKind, NewAssessmentForm};
use super::forms::{form_key, new_assessment_key};
use super::gaps::gaps_action;
pub use super::gaps::{GapRow, gap_rows};
use super::home::home_action;
use super::keys::{self, Action};
use super::overview::overview_action;
use crate::app::home::NewFacility;
use crate::assessment::{ActionStatus, IdentifierKind, NewAction, ScoreInput};
use crate::i18n::Lang;
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

/// What lies over the screen, taking the keys.
#[derive(Clone)]
pub enum Overlay {
    None,
    Help,
    Editor(Editor),
    Form(Form),
    /// Add or edit a facility.
    Facility(super::facility_form::FacilityForm),
    NewAssessment(Box<NewAssessmentForm>),
    /// Sign off: who signs.
    Finalise(super::signoff::FinaliseDialog),
    /// Reopen a finalised assessment: why.
    Reopen(super::signoff::ReopenDialog),
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

/// What the loop must do through the application layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveScore(ScoreInput),
    Confirm(String),
    /// Put back the indicator's score before its last change this session.
    Undo(String),
    /// Put back what the last undo of the indicator took away.
    Redo(String),
    /// Sign off as this person.
    Finalise(String),
    /// Reopen the open assessment for this reason.
    Reopen(String),
    StartAssessment {
        facility_id: i64,
        year: i32,
        roll_forward: bool,
        /// The model chosen in the form; `None`: the one in force, or ask where several are.
        model: Option<String>,
    },
    /// Open the facility form: empty, or holding this facility to edit.
    FacilityForm(Option<i64>),
    /// Add (`id` none) or change a facility; on a refusal the form comes back with the
    /// focus where it was.
    SaveFacility {
        id: Option<i64>,
        values: NewFacility,
        focus: usize,
    },
    Open(i64),
    /// Switch to the demo database beside the real one.
    OpenDemo,
    /// Compute the home rows' summaries around the selection.
    FillHome,
    /// The Compare screen for a facility, its heat map for a year (the newest by default).
    OpenCompare {
        facility_id: i64,
        year: Option<i32>,
        /// The framework compared within (`None`: the quality model).
        framework: Option<String>,
    },
    AddAction(NewAction),
    SetActionStatus {
        id: i64,
        status: ActionStatus,
        reason: Option<String>,
    },
    /// Read the home rows again (back on the home screen), with the summaries around the
    /// selection.
    LoadHome,
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
    /// The home screen's own state (`home.rs`).
    pub home: super::home::HomeScreen,
    /// The assessment screen's own state, with the open assessment (`assessment.rs`).
    pub assessment: super::assessment::AssessmentScreen,
    /// The overview's own state (`overview.rs`).
    pub overview: super::overview::OverviewScreen,
    /// The Gaps screen's own state (`gaps.rs`).
    pub gaps: super::gaps::GapsScreen,
    pub status: Option<StatusLine>,
    /// The Compare screen's own state (`compare.rs`).
    pub compare: super::compare::CompareScreen,
    pub quit: bool,
    /// The terminal's size as last reported (unknown: assumed large enough).
    pub size: Option<(u16, u16)>,
    /// Texts typed but not saved, offered again when their editor opens.
    pub drafts: super::drafts::Drafts,
    /// Whether the database holds demo data: the header says so on every screen.
    pub demo: bool,
}

pub(super) fn text_area(text: &str) -> TextArea<'static> {
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
            home: super::home::HomeScreen::new(home),
            assessment: Default::default(),
            overview: Default::default(),
            gaps: Default::default(),
            status: None,
            compare: Default::default(),
            quit: false,
            size: None,
            drafts: Default::default(),
            demo: false,
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

    /// Shows an opened assessment from its first theme (or keeps the place when reloaded).
    pub fn show_assessment(&mut self, view: AssessmentView) {
        if self.assessment.show(view) {
            self.overview.scroll = 0;
            self.gaps.sel = 0;
        }
        if self.screen == Screen::Home {
            self.screen = Screen::Assessment;
        }
    }
}

/// What reaches `update`: a key press, a paste, a new terminal size, or what came of an
/// effect.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Done(Box<super::effects::Done>),
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
        Msg::Paste(text) => super::editor::paste_anywhere(app, &text),
        Msg::Key(key) => key_press(app, key),
        Msg::Done(done) => {
            super::outcomes::landed(app, *done);
            None
        }
    }
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
        Overlay::Finalise(d) => return super::signoff::finalise_key(app, d, key),
        Overlay::Reopen(d) => return super::signoff::reopen_key(app, d, key),
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
        Overlay::Facility(form) => return super::facility_form::facility_key(app, form, key),
        Overlay::NewAssessment(form) => return new_assessment_key(app, *form, key),
    }
    let action = keys::action_for(app.key_table(), &key)?;
    match (app.screen, action) {
        (_, Action::Quit) => app.quit = true,
        (_, Action::Help) => app.overlay = Overlay::Help,
        // Esc goes back and cancels; at the top it has nowhere to go, and never ends the
        // program (a new user presses it to dismiss a message): q does
        (Screen::Home, Action::Back) if key.code == KeyCode::Esc => app.say(
            StatusKind::Info,
            tr!(app.lang, "q afslutter programmet", "q quits the program"),
        ),
        (Screen::Home, a) => return home_action(app, a),
        (Screen::Assessment, a) => return assessment_action(app, a),
        (Screen::Overview, a) => return overview_action(app, a),
        (Screen::Gaps, a) => return gaps_action(app, a),
        (Screen::Compare, a) => return compare_action(app, a),
    }
    None
}
