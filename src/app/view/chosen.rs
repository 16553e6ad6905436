//! "The assessment of a facility and year" where a year holds more than one: one per
//! framework (the quality model's and the safety self-evaluation's), and within a framework
//! the one rule (`the_one`) where an import kept two.

use crate::assessment::Status;
use crate::compare::AssessmentScores;
use crate::error::Result;
use crate::store::backend::Backend;
use crate::store::{AssessmentKey, CompareFilter};
use std::collections::{HashMap, HashSet};

/// Which assessment is "the assessment of a facility and year" on one framework where there
/// are two (after `import --keep-both`): the finalised one, else the newest (the highest
/// number). The candidates are of one framework: a year holds one assessment on the quality
/// model and one on the safety framework, and neither stands in for the other. Every
/// comparison, trend and region statistic counts only these, so no facility counts twice.
pub fn the_one<'k>(
    candidates: impl IntoIterator<Item = &'k AssessmentKey>,
) -> Option<&'k AssessmentKey> {
    candidates
        .into_iter()
        .max_by_key(|k| (k.status == Status::Finalised, k.id))
}

/// The chosen assessments of every facility, year and framework, kept as the ones passed
/// over (few: only a year that holds two on one framework has one), so that the rule needs
/// only the keys of the doubles.
#[derive(Debug, Clone, Default)]
pub struct Chosen {
    passed_over: HashSet<i64>,
    /// Per facility, year and framework with more than one assessment: the chosen one and
    /// the others.
    pub doubles: Vec<Double>,
}

/// A facility and year with more than one assessment on one framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Double {
    pub facility_id: i64,
    pub year: i32,
    pub framework: String,
    pub chosen: i64,
    pub status: Status,
    pub others: Vec<i64>,
}

impl Chosen {
    /// The rule applied to these keys.
    pub fn from_keys(keys: &[AssessmentKey]) -> Chosen {
        let mut groups: HashMap<(i64, i32, &str), Vec<&AssessmentKey>> = HashMap::new();
        for k in keys {
            groups
                .entry((k.facility_id, k.year, k.framework.as_str()))
                .or_default()
                .push(k);
        }
        let mut chosen = Chosen::default();
        for ((facility_id, year, framework), group) in groups {
            let Some(one) = the_one(group.iter().copied()) else {
                continue;
            };
            chosen
                .passed_over
                .extend(group.iter().map(|k| k.id).filter(|id| *id != one.id));
            if group.len() > 1 {
                let mut others: Vec<i64> = group
                    .iter()
                    .map(|k| k.id)
                    .filter(|id| *id != one.id)
                    .collect();
                others.sort();
                chosen.doubles.push(Double {
                    facility_id,
                    year,
                    framework: framework.to_string(),
                    chosen: one.id,
                    status: one.status,
                    others,
                });
            }
        }
        chosen.doubles.sort_by(|a, b| {
            (a.year, a.facility_id, &a.framework).cmp(&(b.year, b.facility_id, &b.framework))
        });
        chosen
    }

    /// Whether the assessment with this number (one of the keys', or alone on its
    /// framework in its facility and year) is the chosen one of its facility, year and
    /// framework.
    pub fn contains(&self, id: i64) -> bool {
        !self.passed_over.contains(&id)
    }
}

/// The chosen assessments of the store.
pub fn chosen(store: &dyn Backend) -> Result<Chosen> {
    Ok(Chosen::from_keys(&store.assessment_keys()?))
}

/// The chosen assessments among the filtered ones (of the filter's framework): the rule
/// needs only the keys of the facilities and years of the filter that hold more than one.
pub fn chosen_where(store: &dyn Backend, filter: &CompareFilter) -> Result<Chosen> {
    Ok(Chosen::from_keys(&store.double_keys_where(filter)?))
}

/// The filtered assessments with their scores, one per facility and year (`chosen`), of
/// one framework: the filter's, else the quality model's (a comparison never mixes them).
pub fn chosen_scores(store: &dyn Backend, filter: &CompareFilter) -> Result<Vec<AssessmentScores>> {
    let chosen = chosen_where(store, filter)?;
    let mut list = Vec::new();
    store.for_each_assessment_scores(filter, &mut |a| {
        if chosen.contains(a.assessment_id) {
            list.push(a.clone());
        }
        Ok(())
    })?;
    Ok(list)
}

/// The assessment of a facility and year by the rule (the newest year where none is
/// given), on `framework`, or where none is given on the framework `-f F -y Y` means
/// (`implied_framework`).
pub fn assessment_of(
    store: &dyn Backend,
    facility_id: i64,
    year: Option<i32>,
    framework: Option<&str>,
) -> Result<Option<i64>> {
    let keys = store.assessment_keys_of(facility_id)?;
    let mine: Vec<&AssessmentKey> = keys
        .iter()
        .filter(|k| year.is_none_or(|y| k.year == y))
        .collect();
    let framework = framework.unwrap_or_else(|| implied_framework(&mine));
    let mine: Vec<&AssessmentKey> = mine
        .into_iter()
        .filter(|k| k.framework == framework)
        .collect();
    let Some(newest_year) = mine.iter().map(|k| k.year).max() else {
        return Ok(None);
    };
    Ok(the_one(mine.into_iter().filter(|k| k.year == newest_year)).map(|k| k.id))
}

/// The framework a facility's assessment means when the user names no framework: the
/// quality model wherever the facility has an assessment on it among `keys`, else the
/// framework of its newest one (a facility that holds only safety self-evaluations).
pub fn implied_framework<'k>(keys: &[&'k AssessmentKey]) -> &'k str {
    if keys
        .iter()
        .any(|k| k.framework == crate::model::DEFAULT_FRAMEWORK)
    {
        return crate::model::DEFAULT_FRAMEWORK;
    }
    keys.iter()
        .max_by_key(|k| (k.year, k.id))
        .map_or(crate::model::DEFAULT_FRAMEWORK, |k| k.framework.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, year: i32, status: Status) -> AssessmentKey {
        AssessmentKey {
            id,
            facility_id: 1,
            year,
            status,
            framework: crate::model::DEFAULT_FRAMEWORK.to_string(),
        }
    }

    #[test]
    fn the_finalised_one_wins_else_the_newest() {
        let keys = [
            key(3, 2025, Status::Finalised),
            key(7, 2025, Status::Draft),
            key(4, 2026, Status::Draft),
            key(9, 2026, Status::Draft),
        ];
        let c = Chosen::from_keys(&keys);
        assert!(c.contains(3) && !c.contains(7));
        assert!(c.contains(9) && !c.contains(4));
        assert_eq!(c.doubles.len(), 2);
        assert_eq!(c.doubles[0].others, vec![7]);
        assert_eq!(the_one(&keys[..2]).map(|k| k.id), Some(3));
        assert_eq!(the_one(&[] as &[AssessmentKey]), None);
    }

    fn on(framework: &str, id: i64, year: i32, status: Status) -> AssessmentKey {
        AssessmentKey {
            framework: framework.to_string(),
            ..key(id, year, status)
        }
    }

    #[test]
    fn a_year_holds_one_chosen_assessment_per_framework() {
        // a quality assessment and a safety one of the same year: both are chosen, and
        // neither is the other's double
        let keys = [
            on("socialtilsyn", 1, 2026, Status::Draft),
            on("sikkerhed", 2, 2026, Status::Draft),
        ];
        let c = Chosen::from_keys(&keys);
        assert!(c.contains(1) && c.contains(2));
        assert!(c.doubles.is_empty());
        // two safety ones of a year: the finalised one is chosen, the quality one stays
        let keys = [
            on("sikkerhed", 5, 2026, Status::Finalised),
            on("socialtilsyn", 6, 2026, Status::Draft),
            on("sikkerhed", 7, 2026, Status::Draft),
        ];
        let c = Chosen::from_keys(&keys);
        assert!(c.contains(5) && c.contains(6) && !c.contains(7));
        assert_eq!(c.doubles.len(), 1);
        assert_eq!(c.doubles[0].framework, "sikkerhed");
        assert_eq!(
            (c.doubles[0].chosen, c.doubles[0].others.clone()),
            (5, vec![7])
        );
    }

    #[test]
    fn no_framework_named_means_the_quality_model_where_there_is_one() {
        let both = [
            on("sikkerhed", 9, 2026, Status::Draft),
            on("socialtilsyn", 3, 2025, Status::Draft),
        ];
        let refs: Vec<&AssessmentKey> = both.iter().collect();
        assert_eq!(implied_framework(&refs), "socialtilsyn");
        let safety_only = [
            on("sikkerhed", 4, 2025, Status::Draft),
            on("dkm", 8, 2026, Status::Draft),
        ];
        let refs: Vec<&AssessmentKey> = safety_only.iter().collect();
        assert_eq!(implied_framework(&refs), "dkm");
        assert_eq!(implied_framework(&refs[..1]), "sikkerhed");
        assert_eq!(implied_framework(&[]), "socialtilsyn");
    }
}
