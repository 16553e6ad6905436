//! Improvement actions (udviklingspunkter): raise, list (open, overdue by the session's
//! day), change, close.

use super::Session;
use crate::assessment::{ActionStatus, ImprovementAction, NewAction};
use crate::error::Result;
use crate::store::{ActionChanges, ActionFilter};

/// Raises an improvement action in an assessment's year.
pub fn add(s: &mut Session, assessment: i64, new: &NewAction) -> Result<ImprovementAction> {
    let stamp = s.stamp();
    s.store.add_action(assessment, new, &stamp)
}

/// Whose actions a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every facility's (the region view).
    All,
    /// One assessment's.
    Assessment(i64),
    /// One facility's, every year.
    Facility(String),
    /// The assessment of a facility and year, by the one rule (`app::view::the_one`).
    FacilityYear(String, i32),
}

/// Which actions of the scope a list keeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Only {
    /// Planned or in progress.
    pub open: bool,
    /// Open past their due date, on the session's day.
    pub overdue: bool,
}

/// The actions of a scope, filtered; "overdue" is judged on the session's day.
pub fn list(s: &Session, scope: &Scope, only: Only) -> Result<Vec<ImprovementAction>> {
    let filter = match scope {
        Scope::All => ActionFilter::default(),
        Scope::Assessment(id) => ActionFilter {
            assessment: Some(super::assessments::by_id(s, *id)?.id),
            facility: None,
        },
        Scope::FacilityYear(key, year) => ActionFilter {
            assessment: Some(super::assessments::of_facility(s, key, Some(*year))?.id),
            facility: None,
        },
        Scope::Facility(key) => ActionFilter {
            assessment: None,
            facility: Some(s.store.find_facility(key)?.id),
        },
    };
    let today = super::view::today(s);
    Ok(s.store
        .actions(&filter)?
        .into_iter()
        .filter(|x| !only.open || x.status.is_open())
        .filter(|x| !only.overdue || x.overdue(today))
        .collect())
}

/// Whether an action is open past its due date on the session's day.
pub fn overdue(s: &Session, x: &ImprovementAction) -> bool {
    x.overdue(super::view::today(s))
}

/// Changes an open action; what is `None` stays as it is.
pub fn edit(s: &mut Session, id: i64, changes: &ActionChanges) -> Result<ImprovementAction> {
    let stamp = s.stamp();
    s.store.edit_action(id, changes, &stamp)
}

/// Marks an action done.
pub fn done(s: &mut Session, id: i64) -> Result<ImprovementAction> {
    edit(
        s,
        id,
        &ActionChanges {
            status: Some(ActionStatus::Done),
            ..Default::default()
        },
    )
}

/// Drops an action, with the reason.
pub fn drop(s: &mut Session, id: i64, reason: &str) -> Result<ImprovementAction> {
    edit(
        s,
        id,
        &ActionChanges {
            status: Some(ActionStatus::Dropped),
            drop_reason: Some(reason.to_string()),
            ..Default::default()
        },
    )
}
