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
    let mut values: Vec<u8> = m.scale.iter().map(|s| s.value).collect();
    values.sort_unstable();
    if values != [1, 2, 3, 4, 5] {
        return err(
            "scale".into(),
            format!("must hold the values 1 to 5 once each, found {values:?}"),
        );
    }
    for (i, s) in m.scale.iter().enumerate() {
        text(file, &format!("scale[{i}].label"), &s.label)?;
    }
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
            if c.indicators.is_empty() {
                return err(
                    format!("{cp}.indicators"),
                    "a criterion needs at least one indicator".into(),
                );
            }
            for (ii, ind) in c.indicators.iter().enumerate() {
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
