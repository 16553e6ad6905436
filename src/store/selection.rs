//! Choosing what an export takes: a selection, and the facilities and assessments it names.

use super::{AssessmentRecord, AssessmentRef, Facility, Store};
use crate::error::{Error, Result};

/// What an export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every facility (archived ones too) and every assessment.
    All,
    /// One facility's assessments, of one year where given.
    Facility(String, Option<i32>),
    /// Every facility's assessment of a year.
    Year(i32),
    /// One assessment.
    Assessment(i64),
    /// These assessments (a selection narrowed to one framework: `app::exchange::on_framework`).
    Assessments(Vec<i64>),
}

impl Store {
    /// The facilities and assessments a selection takes, in a stable order.
    pub fn select(&self, sel: &Selection) -> Result<(Vec<Facility>, Vec<AssessmentRecord>)> {
        // exports need no progress counts; counting a nation's scores would cost more than the export
        let all = self.assessments_brief()?;
        let (facilities, assessments) = match sel {
            Selection::All => (self.facilities(true)?, all),
            Selection::Facility(key, year) => {
                let f = self.find_facility(key)?;
                let list: Vec<_> = all
                    .into_iter()
                    .filter(|a| a.facility_id == f.id && year.is_none_or(|y| a.year == y))
                    .collect();
                if let (Some(y), true) = (year, list.is_empty()) {
                    return Err(Error::UnknownAssessment(format!("{} {y}", f.name)));
                }
                (vec![f], list)
            }
            Selection::Year(y) => {
                let list: Vec<_> = all.into_iter().filter(|a| a.year == *y).collect();
                if list.is_empty() {
                    return Err(Error::UnknownAssessment(y.to_string()));
                }
                let ids: Vec<i64> = list.iter().map(|a| a.facility_id).collect();
                (
                    self.facilities(true)?
                        .into_iter()
                        .filter(|f| ids.contains(&f.id))
                        .collect(),
                    list,
                )
            }
            Selection::Assessments(ids) => {
                let list: Vec<_> = all.into_iter().filter(|a| ids.contains(&a.id)).collect();
                if list.is_empty() {
                    return Err(Error::UnknownAssessment(format!("{ids:?}")));
                }
                let of: Vec<i64> = list.iter().map(|a| a.facility_id).collect();
                (
                    self.facilities(true)?
                        .into_iter()
                        .filter(|f| of.contains(&f.id))
                        .collect(),
                    list,
                )
            }
            Selection::Assessment(id) => {
                let a = self.assessment(&AssessmentRef::Id(*id))?;
                (
                    vec![self.facility_by_id(super::FacilityId(a.facility_id))?],
                    vec![a],
                )
            }
        };
        // oldest year first within a facility, as a report reads
        let mut assessments = assessments;
        assessments.sort_by(|a, b| {
            a.facility
                .cmp(&b.facility)
                .then(a.year.cmp(&b.year))
                .then(a.id.cmp(&b.id))
        });
        Ok((facilities, assessments))
    }
}
