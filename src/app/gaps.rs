//! The gap rules of the database, and what became of last year's gaps.

use super::Session;
use crate::assessment::{FollowUp, GapRules, Score};
use crate::error::Result;
use crate::model::QualityModel;
use crate::store::{AssessmentRecord, PreviousYear};

/// The gap rules in force.
pub fn rules(s: &Session) -> Result<GapRules> {
    s.store.gap_rules()
}

/// Changes the rules: back to the defaults first where asked, then each `(name, value)`
/// in turn, all under one stamp; the rules now in force.
pub fn change_rules(s: &mut Session, reset: bool, set: &[(&str, &str)]) -> Result<GapRules> {
    let stamp = s.stamp();
    if reset {
        s.store.reset_gap_rules(&stamp)?;
    }
    for (name, value) in set {
        s.store.set_gap_rule(name, value, &stamp)?;
    }
    rules(s)
}

/// The facility's previous assessment and what became of its indicator gaps.
pub fn last_years_gaps(
    s: &Session,
    a: &AssessmentRecord,
    model: &QualityModel,
    scores: &[Score],
) -> Result<(Option<PreviousYear>, Vec<FollowUp>)> {
    let previous = super::view::previous_year(&*s.store, a, model)?;
    let follow = PreviousYear::follow_up(previous.as_ref(), model, scores, &rules(s)?);
    Ok((previous, follow))
}
