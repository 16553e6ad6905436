//! The rules a bundle must keep, part by part (the import checks each part as it arrives,
//! inside its transaction, so nothing of a refused bundle stays); each error names the
//! file and the JSON path.

use super::{BUNDLE_FORMAT, BundleAssessment, BundleAudit, BundleFacility, BundleModel};
use crate::assessment::{
    ActionStatus, MAX_TEXT, PersonalDataPolicy, Scale, ScoreWrite, check_write, longer_than,
};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::QualityModel;
use std::collections::HashMap;
use std::rc::Rc;

/// The models a bundle's assessments may use, by content hash.
pub type ModelsByHash = HashMap<String, Rc<QualityModel>>;

/// The format tag.
pub fn check_format(file: &str, format: &str) -> Result<()> {
    if format != BUNDLE_FORMAT {
        return Err(Error::definition(
            file,
            "format",
            format!("unknown bundle format {format:?}; this program reads {BUNDLE_FORMAT:?}"),
        ));
    }
    Ok(())
}

/// The bundle's models (a text it carries must have the hash it claims and be a valid
/// model); returns every model the assessments may use: those, and those `known_model`
/// finds in the database.
pub fn check_models(
    file: &str,
    models: &[BundleModel],
    known_model: &dyn Fn(&str) -> Option<Rc<QualityModel>>,
) -> Result<ModelsByHash> {
    let mut found = ModelsByHash::new();
    for (i, m) in models.iter().enumerate() {
        if let Some(model) = &m.model {
            let hash = model.content_hash();
            if hash != m.hash {
                return Err(Error::definition(
                    file,
                    format!("models[{i}].hash"),
                    format!("the model's content hash is {hash}, not {}", m.hash),
                ));
            }
            crate::model::QualityModel::parse(
                file,
                &serde_json::to_string(model).expect("serializes"),
            )
            .map_err(|e| Error::definition(file, format!("models[{i}].model"), e.to_string()))?;
            found.insert(m.hash.clone(), Rc::new(model.clone()));
        } else if let Some(model) = known_model(&m.hash) {
            found.insert(m.hash.clone(), model);
        } else {
            return Err(Error::definition(
                file,
                format!("models[{i}].hash"),
                format!(
                    "model {} {} is neither in this database nor in the bundle",
                    m.id,
                    &m.hash[..m.hash.len().min(12)]
                ),
            ));
        }
    }
    Ok(found)
}

/// The facilities; returns their names as assessments match them (trimmed, lower case).
pub fn check_facilities(file: &str, facilities: &[BundleFacility]) -> Result<Vec<String>> {
    for (i, f) in facilities.iter().enumerate() {
        if f.name.trim().is_empty() {
            return Err(Error::definition(
                file,
                format!("facilities[{i}].name"),
                "empty name",
            ));
        }
        long(file, &|| format!("facilities[{i}].name"), &f.name)?;
    }
    let mut names: Vec<String> = facilities
        .iter()
        .map(|f| f.name.trim().to_lowercase())
        .collect();
    // sorted, so that each assessment's facility is found by a binary search
    names.sort_unstable();
    Ok(names)
}

/// The `i`th assessment, against the bundle's facilities (their names as
/// `check_facilities` gives them: trimmed, lower-case, sorted) and the models it may use (the
/// bundle's, then those `known_model` finds in the database); its scores by the rules
/// every write keeps, under the database's personal-data policy.
pub fn check_assessment(
    file: &str,
    i: usize,
    a: &BundleAssessment<'_>,
    facilities: &[String],
    models: &ModelsByHash,
    known_model: &dyn Fn(&str) -> Option<Rc<QualityModel>>,
    policy: PersonalDataPolicy,
) -> Result<()> {
    let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
    let p = format!("assessments[{i}]");
    if facilities
        .binary_search(&a.facility.trim().to_lowercase())
        .is_err()
    {
        return err(
            format!("{p}.facility"),
            format!("{:?} is not among the bundle's facilities", a.facility),
        );
    }
    if !(1900..=2200).contains(&a.year) {
        return err(
            format!("{p}.year"),
            format!("{} is not a plausible year", a.year),
        );
    }
    let Some(model) = models
        .get(a.model_hash.as_str())
        .cloned()
        .or_else(|| known_model(&a.model_hash))
    else {
        return err(
            format!("{p}.model_hash"),
            format!(
                "model {} {} is neither in this database nor in the bundle",
                a.model_id,
                &a.model_hash[..a.model_hash.len().min(12)]
            ),
        );
    };
    let scale = Scale::of(&model);
    let finalised = a.status == crate::assessment::Status::Finalised;
    // the model's indicator ids, each with whether this assessment scored it already
    // (a list, not a map: a model has a few dozen indicators, and a bundle lists an
    // assessment's scores mostly in their order, so most are found at their own place)
    let mut ids: Vec<(&str, bool)> = model
        .indicators()
        .map(|r| (r.indicator.id.as_str(), false))
        .collect();
    // where the last score was found: the next is looked for after it first
    let mut next = 0;
    for (k, s) in a.scores.iter().enumerate() {
        // the path is only formatted where there is an error to report
        let sp = || format!("{p}.scores[{k}]");
        let from = next.min(ids.len());
        let (before, after) = ids.split_at(from);
        let at = match after.iter().position(|(id, _)| *id == s.indicator) {
            Some(i) => Some(from + i),
            None => before.iter().position(|(id, _)| *id == s.indicator),
        };
        next = at.map_or(next, |i| i + 1);
        match at.map(|i| &mut ids[i].1) {
            None => {
                return err(
                    format!("{}.indicator", sp()),
                    format!("indicator {:?} is not in model {}", s.indicator, model.id),
                );
            }
            Some(true) => {
                return err(
                    format!("{}.indicator", sp()),
                    format!("indicator {:?} is scored twice", s.indicator),
                );
            }
            Some(seen) => *seen = true,
        }
        // the rules every write of a score keeps, against the model's own scale
        let write = ScoreWrite {
            value: s.value,
            not_relevant: s.not_relevant,
            reasoning: &s.reasoning,
            sources: &s.sources,
            new_texts: [true, true],
            carried_over: s.carried_over,
            finalised,
        };
        if let Err(problem) = check_write(scale, &write, policy) {
            return err(
                format!("{}.{}", sp(), problem.field()),
                problem.message(Lang::En),
            );
        }
        time(file, &|| format!("{}.at", sp()), &s.at)?;
    }
    if finalised {
        // what `finalise` refuses: an indicator of the model without a score (a carried-over
        // score not re-assessed is refused by `check_write` above)
        let missing: Vec<&str> = model
            .indicators()
            .zip(&ids)
            .filter(|(_, (_, seen))| !seen)
            .map(|(r, _)| r.indicator.id.as_str())
            .collect();
        if !missing.is_empty() {
            return err(
                format!("{p}.status"),
                format!(
                    "finalised with {} of {} indicators unscored ({}), which sign-off refuses",
                    missing.len(),
                    ids.len(),
                    missing.join(", ")
                ),
            );
        }
        super::check_signoff(file, i, a)?;
    }
    if a.status == crate::assessment::Status::Finalised && a.finalised_at.is_none() {
        return err(
            format!("{p}.finalised_at"),
            "a finalised assessment needs the time of its sign-off".into(),
        );
    }
    time(file, &|| format!("{p}.created_at"), &a.created_at)?;
    for (k, x) in a.actions.iter().enumerate() {
        let xp = format!("{p}.actions[{k}]");
        if x.text.trim().is_empty() {
            return err(format!("{xp}.text"), "empty text".into());
        }
        long(file, &|| format!("{xp}.text"), &x.text)?;
        let Some(status) = ActionStatus::parse(&x.status) else {
            return err(
                format!("{xp}.status"),
                format!("unknown status {:?}", x.status),
            );
        };
        if status == ActionStatus::Dropped
            && x.drop_reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return err(
                format!("{xp}.drop_reason"),
                "a dropped action needs a reason".into(),
            );
        }
        for (n, ind) in x.indicators.iter().enumerate() {
            if model.indicator(ind).is_none() {
                return err(
                    format!("{xp}.indicators[{n}]"),
                    format!("indicator {ind:?} is not in model {}", model.id),
                );
            }
        }
        if let Some(d) = &x.due
            && d.parse::<chrono::NaiveDate>().is_err()
        {
            return err(format!("{xp}.due"), format!("{d:?} is not an ISO date"));
        }
    }
    super::check_assessment_texts(file, &p, a, policy)?;
    Ok(())
}

/// The audit rows' texts. A score's snapshot (its old or new value) holds both its texts,
/// JSON-escaped (a character at most six), so a score written at the limit fits. The
/// rows are the log's from its `first`.
pub fn check_audit(file: &str, first: usize, rows: &[BundleAudit]) -> Result<()> {
    const SNAPSHOT: usize = 2 * 6 * MAX_TEXT + 1024;
    for (i, r) in (first..).zip(rows) {
        for (field, v, limit) in [
            ("old_value", &r.old_value, SNAPSHOT),
            ("new_value", &r.new_value, SNAPSHOT),
            ("reason", &r.reason, MAX_TEXT),
        ] {
            if let Some(v) = v {
                within(file, &|| format!("audit_log[{i}].{field}"), v, limit)?;
            }
        }
    }
    Ok(())
}

fn long(file: &str, path: &dyn Fn() -> String, text: &str) -> Result<()> {
    within(file, path, text, MAX_TEXT)
}

fn within(file: &str, path: &dyn Fn() -> String, text: &str, limit: usize) -> Result<()> {
    if longer_than(text, limit) {
        return Err(Error::definition(
            file,
            path(),
            format!("the text is longer than {limit} characters"),
        ));
    }
    Ok(())
}

fn time(file: &str, path: &dyn Fn() -> String, t: &str) -> Result<()> {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|_| ())
        .map_err(|_| Error::definition(file, path(), format!("{t:?} is not an RFC 3339 time")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Status;
    use crate::exchange::BundleScore;
    use std::borrow::Cow;

    fn facility(name: &str) -> BundleFacility {
        BundleFacility {
            name: name.into(),
            organisation: "Region".into(),
            location: "Vejle".into(),
            facility_type: "Botilbud".into(),
            target_group: "Voksne".into(),
            tags: Vec::new(),
            created_at: "2016-01-10T09:00:00.000Z".into(),
            archived_at: None,
        }
    }

    fn score(indicator: &str) -> BundleScore<'static> {
        BundleScore {
            indicator: Cow::Owned(indicator.into()),
            value: Some(3),
            not_relevant: false,
            reasoning: Cow::Borrowed("r"),
            sources: Cow::Borrowed("s"),
            by: Cow::Borrowed("demo"),
            at: Cow::Borrowed("2016-03-01T10:00:00.000Z"),
            carried_over: false,
        }
    }

    /// The message of the check's error, or "ok".
    fn verdict(a: &BundleAssessment<'_>, names: &[String], models: &ModelsByHash) -> String {
        match check_assessment(
            "f",
            0,
            a,
            names,
            models,
            &|_| None,
            PersonalDataPolicy::Warn,
        ) {
            Ok(()) => "ok".into(),
            Err(Error::Definition { path, message, .. }) => format!("{path}: {message}"),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn scores_in_any_order_are_found_once_each_and_the_facility_by_its_name() {
        let model = Rc::new(crate::model::bundled_models().remove(1));
        let ids: Vec<String> = model.indicators().map(|r| r.indicator.id.clone()).collect();
        let models: ModelsByHash = [(model.content_hash(), model.clone())].into();
        let names = check_facilities(
            "f",
            &[
                facility("Zeta"),
                facility(" Bostedet Solhøj "),
                facility("Alfa"),
            ],
        )
        .unwrap();
        let mut a = BundleAssessment {
            facility: "BOSTEDET SOLHØJ".into(),
            year: 2017,
            model_id: model.id.clone(),
            model_hash: model.content_hash(),
            status: Status::Draft,
            created_by: "demo".into(),
            created_at: "2017-03-01T10:00:00.000Z".into(),
            finalised_by: None,
            finalised_at: None,
            // the text order of the ids ("10a" before "1a"), not the model's
            scores: {
                let mut sorted = ids.clone();
                sorted.sort();
                sorted.iter().map(|i| score(i)).collect()
            },
            actions: Vec::new(),
            signoff_hash: None,
            signoff_version: None,
        };
        assert_eq!(verdict(&a, &names, &models), "ok");
        a.scores.reverse();
        assert_eq!(verdict(&a, &names, &models), "ok");
        // a repeat is refused wherever it stands, and so is an id the model does not hold
        for at in [0, 7, a.scores.len()] {
            let mut twice = a.clone();
            twice.scores.insert(at, score(&ids[3]));
            let v = verdict(&twice, &names, &models);
            assert!(v.ends_with(&format!("{:?} is scored twice", ids[3])), "{v}");
        }
        let mut unknown = a.clone();
        unknown.scores.push(score("99z"));
        let v = verdict(&unknown, &names, &models);
        assert!(v.contains("\"99z\" is not in model"), "{v}");
        // finalised with two left out: named in the model's order
        let mut missing = a.clone();
        missing.status = Status::Finalised;
        missing.finalised_at = Some("2017-11-15T14:00:00.000Z".into());
        missing
            .scores
            .retain(|s| s.indicator != ids[1] && s.indicator != ids[0]);
        let v = verdict(&missing, &names, &models);
        assert!(
            v.ends_with(&format!(
                "unscored ({}, {}), which sign-off refuses",
                ids[0], ids[1]
            )),
            "{v}"
        );
        a.facility = "Bostedet Solhøj 2".into();
        let v = verdict(&a, &names, &models);
        assert!(v.ends_with("is not among the bundle's facilities"), "{v}");
    }
}
