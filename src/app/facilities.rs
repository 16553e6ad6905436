//! Facilities (tilbud): register, list, look up, change, archive.

use super::Session;
use crate::error::Result;
use crate::store::{AssessmentRecord, Facility, FacilityChanges, FacilityId, NewFacility};

/// Registers a facility.
pub fn add(s: &mut Session, new: &NewFacility) -> Result<Facility> {
    let stamp = s.stamp();
    s.store.add_facility(new, &stamp)
}

/// The facilities by name; archived ones too where asked.
pub fn list(s: &Session, include_archived: bool) -> Result<Vec<Facility>> {
    s.store.facilities(include_archived)
}

/// Whether the database holds no facility at all, archived ones included.
pub fn none(s: &Session) -> Result<bool> {
    Ok(s.store.facilities(true)?.is_empty())
}

/// The facility a user's text names (digits a number, `name:…` or anything else a name).
pub fn find(s: &Session, key: &str) -> Result<Facility> {
    s.store.find_facility(key)
}

/// The facility with this number.
pub fn by_id(s: &Session, id: i64) -> Result<Facility> {
    s.store.facility_by_id(FacilityId(id))
}

/// A facility with its assessments, newest year first.
pub fn show(s: &Session, key: &str) -> Result<(Facility, Vec<AssessmentRecord>)> {
    let f = find(s, key)?;
    let assessments = s.store.assessments(Some(&f))?;
    Ok((f, assessments))
}

/// Changes a facility's details; what is `None` stays as it is.
pub fn edit(s: &mut Session, key: &str, changes: &FacilityChanges) -> Result<Facility> {
    let stamp = s.stamp();
    s.store.edit_facility(key, changes, &stamp)
}

/// Archives a facility: it leaves the lists, its assessments are kept.
pub fn archive(s: &mut Session, key: &str) -> Result<Facility> {
    let stamp = s.stamp();
    s.store.archive_facility(key, &stamp)
}
