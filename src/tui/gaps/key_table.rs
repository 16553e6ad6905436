//! The gaps screen's key table: its keys, how the hint bar and the help write them, and
//! what they ask for.

use super::super::key_tables::*;

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
