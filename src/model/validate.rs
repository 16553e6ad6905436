//! The rules a model file must keep beyond its JSON shape; each error names the JSON path.

use super::{MODEL_FORMAT, QualityModel, Text};
use crate::definition::is_plain_id;
use crate::error::{Error, Result};
use std::collections::HashMap;

pub(super) fn model(file: &str, m: &QualityModel) -> Result<()> {
    let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
    if m.format != MODEL_FORMAT {
        return err(
            "format".into(),
            format!("expected {MODEL_FORMAT:?}, found {:?}", m.format),
        );
    }
    if !is_plain_id(&m.id) {
        return err(
            "id".into(),
            format!("{:?} is not a plain id (letters, digits, dashes)", m.id),
        );
    }
    if let Some(p) = &m.in_force
        && p.to.is_some_and(|to| to < p.from)
    {
        return err("in_force.to".into(), "ends before it begins".into());
    }
    if let Some(f) = &m.framework
        && !is_plain_id(f)
    {
        return err(
            "framework".into(),
            format!("{f:?} is not a plain id (letters, digits, dashes)"),
        );
    }
    if let Some(n) = &m.framework_name {
        label(file, "framework_name", &[("da", &n.da), ("en", &n.en)])?;
    }
    if let Some(l) = &m.levels {
        for (level, name) in [
            ("theme", &l.theme),
            ("criterion", &l.criterion),
            ("indicator", &l.indicator),
        ] {
            label(
                file,
                &format!("levels.{level}"),
                &[
                    ("da", &name.da),
                    ("en", &name.en),
                    ("da_plural", &name.da_plural),
                    ("en_plural", &name.en_plural),
                ],
            )?;
        }
    }
    scale(file, m)?;
    let mut tags: HashMap<&str, usize> = HashMap::new();
    for (i, t) in m.tags.iter().enumerate() {
        if !is_plain_id(&t.id) {
            return err(
                format!("tags[{i}].id"),
                format!("{:?} is not a plain id", t.id),
            );
        }
        if tags.insert(&t.id, i).is_some() {
            return err(format!("tags[{i}].id"), format!("duplicate {:?}", t.id));
        }
    }
    if m.themes.is_empty() {
        return err("themes".into(), "a model needs at least one theme".into());
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut unique = |id: &'_ str, path: String| -> Result<()> {
        if !is_plain_id(id) {
            return Err(Error::definition(
                file,
                path,
                format!("{id:?} is not a plain id"),
            ));
        }
        // ids are matched case-insensitively on the command line, so they must differ in more than case
        let key = id.to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            return Err(Error::definition(
                file,
                path,
                format!("duplicate {id:?} (first at {first})"),
            ));
        }
        seen.insert(key, path);
        Ok(())
    };
    let mut numbers = HashMap::new();
    for (ti, t) in m.themes.iter().enumerate() {
        let tp = format!("themes[{ti}]");
        unique(&t.id, format!("{tp}.id"))?;
        if numbers.insert(t.number, ti).is_some() {
            return err(
                format!("{tp}.number"),
                format!("duplicate theme number {}", t.number),
            );
        }
        text(file, &format!("{tp}.title"), &t.title)?;
        if let Some(n) = &t.note {
            text(file, &format!("{tp}.note"), n)?;
        }
        if t.criteria.is_empty() {
            return err(
                format!("{tp}.criteria"),
                "a theme needs at least one criterion".into(),
            );
        }
        for (ci, c) in t.criteria.iter().enumerate() {
            let cp = format!("{tp}.criteria[{ci}]");
            unique(&c.id, format!("{cp}.id"))?;
            text(file, &format!("{cp}.text"), &c.text)?;
            // a criterion without indicators is scored directly (see `Criterion`)
            for (ii, ind) in c.own_indicators().iter().enumerate() {
                let ip = format!("{cp}.indicators[{ii}]");
                unique(&ind.id, format!("{ip}.id"))?;
                text(file, &format!("{ip}.text"), &ind.text)?;
                for (field, list) in [
                    ("applies_only_to", &ind.applies_only_to),
                    ("not_for", &ind.not_for),
                ] {
                    for (k, tag) in list.iter().enumerate() {
                        if !tags.contains_key(tag.as_str()) {
                            return err(
                                format!("{ip}.{field}[{k}]"),
                                format!("tag {tag:?} is not defined in tags"),
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The scale: 2 to 10 distinct values in 0..=9, each labelled (listed in either order:
/// the socialtilsyn files list 5 down to 1); and the
/// model's default gap rules within it.
fn scale(file: &str, m: &QualityModel) -> Result<()> {
    let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
    let values: Vec<u8> = m.scale.iter().map(|s| s.value).collect();
    if !(2..=10).contains(&values.len()) {
        return err(
            "scale".into(),
            format!("needs 2 to 10 steps, found {}", values.len()),
        );
    }
    for (i, s) in m.scale.iter().enumerate() {
        if s.value > 9 {
            return err(
                format!("scale[{i}].value"),
                format!("{} is not a value from 0 to 9", s.value),
            );
        }
        if values[..i].contains(&s.value) {
            return err(
                format!("scale[{i}].value"),
                format!("duplicate value {} in {values:?}", s.value),
            );
        }
        text(file, &format!("scale[{i}].label"), &s.label)?;
    }
    let Some(g) = &m.gap_defaults else {
        return Ok(());
    };
    let (min, max) = m.scale_bounds();
    for (name, v) in [
        ("indicator_gap_max", g.indicator_gap_max),
        ("indicator_watch_max", g.indicator_watch_max),
    ] {
        if !values.contains(&v) {
            return err(
                format!("gap_defaults.{name}"),
                format!("{v} is not a value of the scale {values:?}"),
            );
        }
    }
    if g.indicator_watch_max < g.indicator_gap_max {
        return err(
            "gap_defaults.indicator_watch_max".into(),
            "must not be below indicator_gap_max".into(),
        );
    }
    for (name, v) in [
        ("mean_gap_below", g.mean_gap_below),
        ("theme_bar", g.theme_bar),
    ] {
        if !(f64::from(min)..=f64::from(max)).contains(&v) {
            return err(
                format!("gap_defaults.{name}"),
                format!("{v} is not within the scale {min} to {max}"),
            );
        }
    }
    Ok(())
}

fn label(file: &str, path: &str, fields: &[(&str, &String)]) -> Result<()> {
    for (field, s) in fields {
        if s.trim().is_empty() || s.chars().any(|c| c.is_control()) {
            return Err(Error::definition(
                file,
                format!("{path}.{field}"),
                "empty or with control characters",
            ));
        }
    }
    Ok(())
}

fn text(file: &str, path: &str, t: &Text) -> Result<()> {
    for (lang, s) in [("da", &t.da), ("en", &t.en)] {
        if s.trim().is_empty() {
            return Err(Error::definition(
                file,
                format!("{path}.{lang}"),
                "empty text",
            ));
        }
        if s.chars().any(|c| c.is_control()) {
            return Err(Error::definition(
                file,
                format!("{path}.{lang}"),
                "control characters are not allowed in model texts",
            ));
        }
    }
    Ok(())
}
