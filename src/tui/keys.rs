//! The key table: one list per screen that both the bottom hint bar and the `?` overlay
//! are drawn from, and that turns key presses into actions.

use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the user asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    NextTheme,
    PrevTheme,
    /// Score the selected indicator (1–5).
    Score(u8),
    NotRelevant,
    EditReasoning,
    EditSources,
    Search,
    Undo,
    Redo,
    ScrollDown,
    ScrollUp,
    Confirm,
    Overview,
    Finalise,
    Gaps,
    AddAction,
    ActionInProgress,
    ActionDone,
    ActionDrop,
    AddFacility,
    NewAssessment,
    Compare,
    OpenDemo,
    Open,
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy)]
pub enum KeySpec {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
}

impl KeySpec {
    fn matches(self, k: &KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            KeySpec::Char(c) => !ctrl && k.code == KeyCode::Char(c),
            KeySpec::Code(code) => !ctrl && k.code == code,
            KeySpec::Ctrl(c) => ctrl && k.code == KeyCode::Char(c),
        }
    }
}

/// One line of the key table.
#[derive(Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeySpec],
    /// How the keys are written in the hint bar and the help.
    pub label: &'static str,
    pub action: Action,
    pub da: &'static str,
    pub en: &'static str,
    /// Whether the hint bar shows it (the help shows every binding).
    pub hint: bool,
    /// How the hint bar writes it where space is short: (keys, Danish, English).
    pub short: Option<(&'static str, &'static str, &'static str)>,
}

impl Binding {
    /// What the binding does, in the user's language.
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.da, self.en)
    }
}

use Action::*;
use KeySpec::{Char as C, Code, Ctrl};

const fn b(
    keys: &'static [KeySpec],
    label: &'static str,
    action: Action,
    da: &'static str,
    en: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        da,
        en,
        hint,
        short: None,
    }
}

/// A binding the hint bar shows in few words.
const fn short(bind: Binding, label: &'static str, da: &'static str, en: &'static str) -> Binding {
    Binding {
        short: Some((label, da, en)),
        ..bind
    }
}

const NAV: [Binding; 4] = [
    b(
        &[C('j'), Code(KeyCode::Down)],
        "j/k ↑↓",
        Down,
        "flyt ned",
        "move down",
        true,
    ),
    b(
        &[C('k'), Code(KeyCode::Up)],
        "",
        Up,
        "flyt op",
        "move up",
        false,
    ),
    b(
        &[C('g'), Code(KeyCode::Home)],
        "g/G",
        Top,
        "første",
        "first",
        false,
    ),
    b(
        &[C('G'), Code(KeyCode::End)],
        "",
        Bottom,
        "sidste",
        "last",
        false,
    ),
];

/// First and last without `g`, for screens where `g` opens the gaps.
const ENDS: [Binding; 2] = [
    b(
        &[Code(KeyCode::Home)],
        "Home/End",
        Top,
        "første",
        "first",
        false,
    ),
    b(
        &[Code(KeyCode::End), C('G')],
        "",
        Bottom,
        "sidste",
        "last",
        false,
    ),
];

const COMMON: [Binding; 3] = [
    b(&[C('?')], "?", Help, "hjælp", "help", true),
    b(
        &[C('q'), Code(KeyCode::Esc)],
        "q/Esc",
        Back,
        "tilbage",
        "back",
        true,
    ),
    b(
        &[Ctrl('c')],
        "Ctrl-C",
        Quit,
        "afslut programmet",
        "quit the program",
        false,
    ),
];

/// The home screen: facilities and their assessments.
pub const HOME: &[Binding] = &[
    b(
        &[Code(KeyCode::Enter)],
        "Enter",
        Open,
        "åbn vurdering",
        "open assessment",
        true,
    ),
    b(
        &[C('n')],
        "n",
        NewAssessment,
        "ny vurdering",
        "new assessment",
        true,
    ),
    b(
        &[C('a')],
        "a",
        AddFacility,
        "tilføj tilbud",
        "add facility",
        true,
    ),
    b(
        &[C('c')],
        "c",
        Compare,
        "sammenlign over år og tilbud",
        "compare years and facilities",
        true,
    ),
    b(
        &[C('d')],
        "d",
        OpenDemo,
        "åbn en demodatabase (adskilt fra din egen)",
        "open a demo database (apart from yours)",
        false,
    ),
    NAV[0],
    NAV[1],
    NAV[2],
    NAV[3],
    COMMON[0],
    COMMON[1],
    COMMON[2],
];

/// The assessment screen: scoring the indicators theme by theme. The hinted bindings come
/// first, in the order the hint bar drops them from the end.
pub const ASSESSMENT: &[Binding] = &[
    short(
        b(
            &[C('1'), C('2'), C('3'), C('4'), C('5')],
            "1–5",
            Score(0),
            "score (og videre til næste)",
            "score (and on to the next)",
            true,
        ),
        "1–5",
        "score",
        "score",
    ),
    short(
        b(
            &[C('0'), C('x')],
            "0/x",
            NotRelevant,
            "ikke relevant (med begrundelse)",
            "not relevant (with a reason)",
            true,
        ),
        "x",
        "ikke rel.",
        "not rel.",
    ),
    short(
        b(
            &[C('e'), Code(KeyCode::Enter)],
            "e/Enter",
            EditReasoning,
            "begrundelse",
            "reasoning",
            true,
        ),
        "e",
        "tekst",
        "text",
    ),
    short(
        b(
            &[C('l'), Code(KeyCode::Right), Code(KeyCode::Tab)],
            "h/l ←→ Tab",
            NextTheme,
            "næste tema",
            "next theme",
            true,
        ),
        "h/l",
        "tema",
        "theme",
    ),
    b(
        &[C('h'), Code(KeyCode::Left), Code(KeyCode::BackTab)],
        "",
        PrevTheme,
        "forrige tema",
        "previous theme",
        false,
    ),
    short(
        b(
            &[C('/')],
            "/",
            Search,
            "søg (også i begrundelser)",
            "search (reasonings too)",
            true,
        ),
        "/",
        "søg",
        "search",
    ),
    short(
        b(
            &[C('g')],
            "g",
            Gaps,
            "huller og udviklingspunkter",
            "gaps and actions",
            true,
        ),
        "g",
        "huller",
        "gaps",
    ),
    b(&[C('o')], "o", Overview, "oversigt", "overview", true),
    b(&[C('s')], "s", EditSources, "kilder", "sources", true),
    b(
        &[C('c')],
        "c",
        Confirm,
        "bekræft overført score (og videre)",
        "confirm carried-over score (and on)",
        true,
    ),
    b(
        &[C('u')],
        "u",
        Undo,
        "fortryd (den valgte indikator)",
        "undo (the selected indicator)",
        true,
    ),
    b(
        &[C('r'), Ctrl('r')],
        "r",
        Redo,
        "gentag det fortrudte",
        "redo what was undone",
        false,
    ),
    b(
        &[Code(KeyCode::PageDown), C('J')],
        "PgDn/Up J/K",
        ScrollDown,
        "rul detaljerne (hele begrundelsen)",
        "scroll the details (the whole reasoning)",
        false,
    ),
    b(
        &[Code(KeyCode::PageUp), C('K')],
        "",
        ScrollUp,
        "op",
        "up",
        false,
    ),
    NAV[0],
    NAV[1],
    ENDS[0],
    ENDS[1],
    COMMON[0],
    COMMON[1],
    COMMON[2],
];

/// The Gaps screen: gaps → action plans → improvement actions.
pub const GAPS: &[Binding] = &[
    b(
        &[C('a')],
        "a",
        AddAction,
        "nyt udviklingspunkt",
        "new improvement action",
        true,
    ),
    b(
        &[C('p')],
        "p",
        ActionInProgress,
        "i gang",
        "in progress",
        true,
    ),
    b(&[C('d')], "d", ActionDone, "gennemført", "done", true),
    b(
        &[C('x')],
        "x",
        ActionDrop,
        "opgiv (med begrundelse)",
        "drop (with a reason)",
        true,
    ),
    NAV[0],
    NAV[1],
    NAV[2],
    NAV[3],
    COMMON[0],
    COMMON[1],
    COMMON[2],
];

/// The Compare screen: a facility over the years and the region's heat map.
pub const COMPARE: &[Binding] = &[
    b(
        &[C('l'), Code(KeyCode::Right)],
        "h/l ←→",
        NextTheme,
        "næste år",
        "next year",
        true,
    ),
    b(
        &[C('h'), Code(KeyCode::Left)],
        "",
        PrevTheme,
        "forrige år",
        "previous year",
        false,
    ),
    b(
        &[C('j'), Code(KeyCode::Down)],
        "j/k ↑↓",
        Down,
        "rul ned",
        "scroll down",
        true,
    ),
    b(
        &[C('k'), Code(KeyCode::Up)],
        "",
        Up,
        "rul op",
        "scroll up",
        false,
    ),
    COMMON[0],
    COMMON[1],
    COMMON[2],
];

/// The overview: means, charts, checks, sign-off.
pub const OVERVIEW: &[Binding] = &[
    b(
        &[C('f')],
        "f",
        Finalise,
        "afslut vurderingen",
        "finalise",
        true,
    ),
    b(
        &[C('g')],
        "g",
        Gaps,
        "huller og udviklingspunkter",
        "gaps and actions",
        true,
    ),
    b(
        &[C('j'), Code(KeyCode::Down)],
        "j/k ↑↓",
        Down,
        "rul",
        "scroll",
        true,
    ),
    b(
        &[C('k'), Code(KeyCode::Up)],
        "",
        Up,
        "rul op",
        "scroll up",
        false,
    ),
    COMMON[0],
    COMMON[1],
    COMMON[2],
];

/// The action a key press asks for on a screen with this table.
pub fn action_for(table: &[Binding], key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    table.iter().find_map(|bind| {
        bind.keys
            .iter()
            .find(|k| k.matches(key))
            .map(|k| match (bind.action, k) {
                (Score(_), KeySpec::Char(c)) => Score(c.to_digit(10).unwrap_or(0) as u8),
                (action, _) => action,
            })
    })
}

/// The hint bar's text: the hinted bindings, "key action" each, as many as fit in
/// `width`; the help key always stays, so the rest can be found.
pub fn hints(table: &[Binding], lang: Lang, width: usize) -> String {
    let help = table
        .iter()
        .find(|b| b.action == Help)
        .map(|b| format!("{} {}", b.label, b.text(lang)));
    let reserve = help.as_ref().map_or(0, |h| h.chars().count() + 2);
    let mut out = String::new();
    // the full texts where every hinted binding fits with them, the short ones otherwise
    let full: usize = table
        .iter()
        .filter(|b| b.hint && b.action != Help)
        .map(|b| b.label.chars().count() + b.text(lang).chars().count() + 3)
        .sum();
    let short = full + reserve > width;
    for b in table.iter().filter(|b| b.hint && b.action != Help) {
        let item = match b.short {
            Some((label, da, en)) if short => format!("{label} {}", lang.pick(da, en)),
            _ => format!("{} {}", b.label, b.text(lang)),
        };
        let extra = if out.is_empty() { 0 } else { 2 } + item.chars().count();
        if out.chars().count() + extra + reserve > width {
            continue; // a shorter one further on may still fit
        }
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(&item);
    }
    if let Some(h) = help {
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(&h);
    }
    out
}

/// The help overlay's lines: every binding with a label, "keys  action".
pub fn help_lines(table: &[Binding], lang: Lang) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    for bind in table {
        if bind.label.is_empty() {
            // a second half shown with its pair ("j/k ↑↓": move down / move up)
            if let Some(last) = lines.last_mut() {
                last.1 = format!("{} / {}", last.1, bind.text(lang));
            }
        } else {
            lines.push((bind.label.to_string(), bind.text(lang).to_string()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_actions_per_screen() {
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('4'))),
            Some(Score(4))
        );
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('x'))),
            Some(NotRelevant)
        );
        assert_eq!(action_for(ASSESSMENT, &key(KeyCode::Tab)), Some(NextTheme));
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::BackTab)),
            Some(PrevTheme)
        );
        assert_eq!(action_for(HOME, &key(KeyCode::Char('4'))), None);
        assert_eq!(
            action_for(
                HOME,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Quit)
        );
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('c'))),
            Some(Confirm)
        );
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(HOME, &release), None);
    }

    #[test]
    fn hints_and_help_come_from_the_same_table() {
        let wide = hints(ASSESSMENT, Lang::Da, 1000);
        assert!(
            wide.starts_with("1–5 score (og videre til næste)  0/x ikke relevant"),
            "{wide}"
        );
        for (lang, must) in [
            (
                Lang::Da,
                ["1–5 score", "h/l tema", "/ søg", "g huller", "o oversigt"],
            ),
            (
                Lang::En,
                ["1–5 score", "h/l theme", "/ search", "g gaps", "o overview"],
            ),
        ] {
            let narrow = hints(ASSESSMENT, lang, 80);
            assert!(narrow.chars().count() <= 80, "{narrow}");
            assert!(narrow.ends_with(lang.pick("? hjælp", "? help")), "{narrow}");
            for m in must {
                assert!(narrow.contains(m), "{m:?} missing at 80 columns: {narrow}");
            }
            assert!(narrow.len() < wide.len());
        }
        for table in [HOME, ASSESSMENT, OVERVIEW, GAPS, COMPARE] {
            assert!(hints(table, Lang::Da, 80).chars().count() <= 80);
        }
        let help = help_lines(ASSESSMENT, Lang::En);
        assert!(help.contains(&(
            "h/l ←→ Tab".to_string(),
            "next theme / previous theme".to_string()
        )));
        for bind in ASSESSMENT.iter().filter(|b| b.hint) {
            assert!(help.iter().any(|(k, _)| k == bind.label));
        }
    }
}
