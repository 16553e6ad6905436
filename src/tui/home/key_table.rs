//! The home screen's key table: its keys, how the hint bar and the help write them, and
//! what they ask for.

use super::super::key_tables::*;

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
