//! The overview screen's key table: its keys, how the hint bar and the help write them, and
//! what they ask for.

use super::super::key_tables::*;

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
