//! The rules a bundle must keep before anything of it touches the database; each error
//! names the file and the JSON path.

use super::{BUNDLE_FORMAT, Bundle, MAX_TEXT};
use crate::assessment::ActionStatus;
use crate::error::{Error, Result};
use crate::model::QualityModel;
use std::collections::HashMap;

/// Checks a parsed bundle. `known_model` finds a model version by hash in the database.
pub fn check_bundle(
    file: &str,
    b: &Bundle,
    known_model: &dyn Fn(&str) -> Option<std::rc::Rc<QualityModel>>,
) -> Result<()> {
    let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
    if b.format != BUNDLE_FORMAT {
        return err(
            "format".into(),
            format!(
                "unknown bundle format {:?}; this program reads {BUNDLE_FORMAT:?}",
                b.format
            ),
        );
    }
    let mut models: HashMap<&str, std::rc::Rc<QualityModel>> = HashMap::new();
    for (i, m) in b.models.iter().enumerate() {
        if let Some(model) = &m.model {
            let hash = model.content_hash();
            if hash != m.hash {
                return err(
                    format!("models[{i}].hash"),
                    format!("the model's content hash is {hash}, not {}", m.hash),
                );
            }
            crate::model::QualityModel::parse(
                file,
                &serde_json::to_string(model).expect("serializes"),
            )
            .map_err(|e| Error::definition(file, format!("models[{i}].model"), e.to_string()))?;
            models.insert(&m.hash, std::rc::Rc::new(model.clone()));
        } else if let Some(model) = known_model(&m.hash) {
            models.insert(&m.hash, model);
        }
    }
    let facilities: Vec<String> = b
        .facilities
        .iter()
        .map(|f| f.name.trim().to_lowercase())
        .collect();
    for (i, f) in b.facilities.iter().enumerate() {
        if f.name.trim().is_empty() {
            return err(format!("facilities[{i}].name"), "empty name".into());
        }
        long(file, &|| format!("facilities[{i}].name"), &f.name)?;
    }
    for (i, a) in b.assessments.iter().enumerate() {
        let p = format!("assessments[{i}]");
        if !facilities.contains(&a.facility.trim().to_lowercase()) {
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
        // the model's indicator ids, each with whether this assessment scored it already
        let mut ids: HashMap<&str, bool> = model
            .indicators()
            .map(|r| (r.indicator.id.as_str(), false))
            .collect();
        for (k, s) in a.scores.iter().enumerate() {
            // the path is only formatted where there is an error to report
            let sp = || format!("{p}.scores[{k}]");
            match ids.get_mut(s.indicator.as_ref()) {
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
            match (s.not_relevant, s.value) {
                (false, Some(v)) if (1..=5).contains(&v) => {}
                (false, Some(v)) => {
                    return err(
                        format!("{}.value", sp()),
                        format!("score {v} is outside the scale 1–5"),
                    );
                }
                (false, None) => {
                    return err(
                        format!("{}.value", sp()),
                        "a score needs a value 1–5 or not_relevant".into(),
                    );
                }
                (true, Some(_)) => {
                    return err(
                        format!("{}.value", sp()),
                        "a not-relevant indicator has no value".into(),
                    );
                }
                (true, None) if s.reasoning.trim().is_empty() => {
                    return err(
                        format!("{}.reasoning", sp()),
                        "\"not relevant\" needs a reason".into(),
                    );
                }
                (true, None) => {}
            }
            long(file, &|| format!("{}.reasoning", sp()), &s.reasoning)?;
            long(file, &|| format!("{}.sources", sp()), &s.sources)?;
            time(file, &|| format!("{}.at", sp()), &s.at)?;
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
    }
    for (i, r) in b.audit_log.iter().enumerate() {
        for (field, v) in [
            ("old_value", &r.old_value),
            ("new_value", &r.new_value),
            ("reason", &r.reason),
        ] {
            if let Some(v) = v {
                long(file, &|| format!("audit_log[{i}].{field}"), v)?;
            }
        }
    }
    Ok(())
}

fn long(file: &str, path: &dyn Fn() -> String, text: &str) -> Result<()> {
    // a text of at most MAX_TEXT bytes has at most MAX_TEXT characters: count only the long ones
    if text.len() > MAX_TEXT && (text.len() > MAX_TEXT * 4 || text.chars().count() > MAX_TEXT) {
        return Err(Error::definition(
            file,
            path(),
            format!("the text is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(())
}

fn time(file: &str, path: &dyn Fn() -> String, t: &str) -> Result<()> {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|_| ())
        .map_err(|_| Error::definition(file, path(), format!("{t:?} is not an RFC 3339 time")))
}
