//! The key tables, one per screen: the keys, how the hint bar and the help write them, and
//! what they ask for.

use super::keys::{Action, Binding, KeySpec};
use Action::*;
use KeySpec::{Char as C, Code, Ctrl};
use crossterm::event::KeyCode;

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
        &[C('e')],
        "e",
        EditFacility,
        "ret tilbud",
        "edit facility",
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
            &[
                C('0'),
                C('1'),
                C('2'),
                C('3'),
                C('4'),
                C('5'),
                C('6'),
                C('7'),
                C('8'),
                C('9'),
            ],
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
    b(
        &[C('R')],
        "R",
        Reopen,
        "genåbn (med begrundelse)",
        "reopen (with a reason)",
        true,
    ),
    COMMON[0],
    COMMON[1],
    COMMON[2],
];
