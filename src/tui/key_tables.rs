//! What the screens' key tables are built from: the binding constructors and the bindings
//! every screen shares (moving, the ends, help/back/quit). Each screen's own table is in its
//! module (`home/key_table.rs`, …).

pub(super) use super::keys::{Action, Binding, KeySpec};
pub(super) use Action::*;
pub(super) use KeySpec::{Char as C, Code, Ctrl};
pub(super) use crossterm::event::KeyCode;

pub(super) const fn b(
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
pub(super) const fn short(
    bind: Binding,
    label: &'static str,
    da: &'static str,
    en: &'static str,
) -> Binding {
    Binding {
        short: Some((label, da, en)),
        ..bind
    }
}

pub(super) const NAV: [Binding; 4] = [
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
pub(super) const ENDS: [Binding; 2] = [
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

pub(super) const COMMON: [Binding; 3] = [
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
