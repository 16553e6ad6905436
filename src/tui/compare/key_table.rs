//! The compare screen's key table: its keys, how the hint bar and the help write them, and
//! what they ask for.

use super::super::key_tables::*;

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
