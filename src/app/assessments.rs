//! Assessments: find one (by number, or a facility and year by the one rule), start,
//! list with progress, finalise, reopen, the audit log.

use super::Session;
use super::view::Chosen;
use crate::assessment::{Score, Summary, summarize};
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::{AssessmentRecord, AssessmentRef, AuditEntry, Facility};
use std::rc::Rc;

/// The assessment with this number.
pub fn by_id(s: &Session, id: i64) -> Result<AssessmentRecord> {
    s.store.assessment(&AssessmentRef::Id(id))
}

/// "The assessment of a facility and year" (the newest year where none is given), by the
/// one rule of `app::view::the_one`: the finalised one, else the newest; on the quality
/// model, unless the facility has only assessments on another framework.
pub fn of_facility(s: &Session, key: &str, year: Option<i32>) -> Result<AssessmentRecord> {
    of_facility_on(s, key, year, None)
}

/// `of_facility` on a framework (where none is given: the quality model, unless the
/// facility has only assessments on another).
pub fn of_facility_on(
    s: &Session,
    key: &str,
    year: Option<i32>,
    framework: Option<&str>,
) -> Result<AssessmentRecord> {
    let facility = s.store.find_facility(key)?;
    match super::view::assessment_of(&*s.store, facility.id, year, framework)? {
        Some(id) => by_id(s, id),
        None => {
            // the name goes into a message: control characters made visible
            let name = crate::text::for_terminal(&facility.name, false);
            let what = match year {
                Some(y) => format!("{name} {y}"),
                None => name.into_owned(),
            };
            Err(Error::UnknownAssessment(match framework {
                Some(f) => format!("{what} ({})", crate::text::for_terminal(f, false)),
                None => what,
            }))
        }
    }
}

/// What starting an assessment did.
#[derive(Debug)]
pub struct Started {
    pub record: AssessmentRecord,
    pub model: Rc<QualityModel>,
    /// The model's indicators.
    pub total: usize,
    /// Scores copied from last year, marked not re-assessed.
    pub carried: usize,
    /// Indicators saved "not relevant" because they do not apply to the facility's tags.
    pub not_applicable: usize,
}

/// What an assessment is to be started on: a model version, or a framework's model in
/// force that year (the quality model where neither is given).
#[derive(Debug, Clone, Copy, Default)]
pub struct StartOn<'a> {
    pub model: Option<&'a str>,
    pub framework: Option<&'a str>,
}

/// Starts a facility's assessment of a year, on the given model or the quality model in
/// force that year, from last year's scores where asked.
pub fn start(
    s: &mut Session,
    facility: &Facility,
    year: i32,
    model: Option<&str>,
    from_last_year: bool,
) -> Result<Started> {
    let on = StartOn {
        model,
        framework: None,
    };
    start_on(s, facility, year, on, from_last_year)
}

/// Starts a facility's assessment of a year, on the given model or the one of the given
/// framework (default: the quality model) in force that year, from last year's scores
/// (of the same framework) where asked. A year holds one assessment per framework.
pub fn start_on(
    s: &mut Session,
    facility: &Facility,
    year: i32,
    on: StartOn<'_>,
    from_last_year: bool,
) -> Result<Started> {
    let model = match on.model {
        Some(id) => s.store.active_model(id)?,
        None => s.store.framework_model_for_year(
            year,
            on.framework.unwrap_or(crate::model::DEFAULT_FRAMEWORK),
        )?,
    };
    if let Some(f) = on.framework
        && f != model.framework()
    {
        return Err(Error::WrongFramework {
            model: model.id.clone(),
            framework: model.framework().to_string(),
            asked: f.to_string(),
        });
    }
    let stamp = s.stamp();
    let record = s
        .store
        .start_assessment(facility, year, &model, from_last_year, &stamp)?;
    let carried = s
        .store
        .scores(record.id)?
        .iter()
        .filter(|x| x.carried_over)
        .count();
    Ok(Started {
        total: model.indicators().count(),
        not_applicable: record.done - carried,
        carried,
        record,
        model,
    })
}

/// The assessments, of one facility where given, newest year first; `done` as the store
/// counts it (every saved score).
pub fn list(s: &Session, facility: Option<&str>) -> Result<Vec<AssessmentRecord>> {
    let f = facility.map(|f| s.store.find_facility(f)).transpose()?;
    s.store.assessments(f.as_ref())
}

/// The assessments of `list` on a framework (all of them where none is given).
pub fn on_framework(
    s: &Session,
    list: Vec<AssessmentRecord>,
    framework: Option<&str>,
) -> Result<Vec<AssessmentRecord>> {
    let Some(framework) = framework else {
        return Ok(list);
    };
    let mut out = Vec::new();
    for a in list {
        if s.store.framework_of_hash(&a.model_hash)? == framework {
            out.push(a);
        }
    }
    Ok(out)
}

/// Every assessment without its progress count (`done` is 0): a home screen's list, which
/// must not read the score rows.
pub fn brief(s: &Session) -> Result<Vec<AssessmentRecord>> {
    s.store.assessments_brief()
}

/// The assessments with `done` as the read model counts it (a carried-over score is not
/// done until re-assessed).
pub fn list_with_progress(s: &Session, facility: Option<&str>) -> Result<Vec<AssessmentRecord>> {
    let mut list = list(s, facility)?;
    for a in &mut list {
        let model = s.store.model_by_hash(&a.model_hash)?;
        a.done = summarize(&model, &s.store.scores(a.id)?).done;
    }
    Ok(list)
}

/// One row of a list of assessments.
pub struct Listed {
    pub summary: Summary,
    /// The facility has another assessment that year.
    pub double: bool,
    /// This is the one comparisons and `--facility/--year` use.
    pub chosen: bool,
}

/// Progress, means and the which-one marks of each of these assessments.
pub fn listed(s: &Session, list: &[AssessmentRecord]) -> Result<Vec<Listed>> {
    let chosen = chosen(s)?;
    list.iter()
        .map(|a| {
            let model = s.store.model_by_hash(&a.model_hash)?;
            Ok(Listed {
                summary: summarize(&model, &s.store.scores(a.id)?),
                double: chosen.doubles.iter().any(|d| {
                    d.facility_id == a.facility_id
                        && d.year == a.year
                        && d.framework == model.framework()
                }),
                chosen: chosen.contains(a.id),
            })
        })
        .collect()
}

/// The chosen assessment of every facility and year (`app::view::chosen`).
pub fn chosen(s: &Session) -> Result<Chosen> {
    super::view::chosen(&*s.store)
}

/// A signed-off assessment with its model and scores (for the checks' warnings).
#[derive(Debug)]
pub struct Finalised {
    pub record: AssessmentRecord,
    pub model: Rc<QualityModel>,
    pub scores: Vec<Score>,
    /// Who signed it off, trimmed.
    pub by: String,
}

/// Signs an assessment off; refused while any indicator is unscored or the signer is empty.
pub fn finalise(s: &mut Session, assessment: i64, signer: &str) -> Result<Finalised> {
    let by = signer.trim().to_string();
    if by.is_empty() {
        return Err(Error::Empty("by"));
    }
    let stamp = s.stamp();
    let record = s.store.finalise(assessment, &by, &stamp)?;
    let model = s.store.model_by_hash(&record.model_hash)?;
    let scores = s.store.scores(record.id)?;
    Ok(Finalised {
        record,
        model,
        scores,
        by,
    })
}

/// Opens a finalised assessment for changes again; the reason is logged.
pub fn reopen(s: &mut Session, assessment: i64, reason: &str) -> Result<AssessmentRecord> {
    let stamp = s.stamp();
    s.store.reopen(assessment, reason, &stamp)
}

/// The audit log of an assessment.
pub fn log(s: &Session, assessment: i64) -> Result<Vec<AuditEntry>> {
    s.store.audit_log(Some(assessment))
}

/// Recomputes a draft under another theme score rule: the draft moves to a version of its
/// model that says `rule` (its own version, where it already does, is left alone). A
/// finalised assessment is refused; its numbers and its sign-off never change. Returns the
/// assessment as it is now and whether it moved.
pub fn set_rule(
    s: &mut Session,
    assessment: i64,
    rule: crate::model::ThemeScore,
) -> Result<(AssessmentRecord, bool)> {
    let a = by_id(s, assessment)?;
    if a.status != crate::assessment::Status::Draft {
        return Err(Error::Finalised(a.id));
    }
    let model = s.store.model_by_hash(&a.model_hash)?;
    if model.theme_score() == rule {
        return Ok((a, false));
    }
    let mut next = (*model).clone();
    next.theme_score = Some(rule);
    let stamp = s.stamp();
    let file = format!("assessment rule {}", rule.name());
    s.store.move_draft_to_version(a.id, &next, &file, &stamp)?;
    Ok((by_id(s, assessment)?, true))
}
