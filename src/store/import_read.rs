//! The reading side of a bundle import: the JSON read field by field on its own thread,
//! each part handed over as soon as it is read (one assessment at a time).

use crate::exchange::{BundleAssessment, BundleAudit, BundleFacility, BundleModel};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::sync::mpsc::SyncSender;

/// A part of a bundle, as the reader hands it over.
pub(super) enum Part<'a> {
    Format(String),
    ExportedAt(String),
    ExportedBy(String),
    Program,
    Models(Vec<BundleModel>),
    Facilities(Vec<BundleFacility>),
    Assessment(BundleAssessment<'a>),
    Audit(Vec<BundleAudit>),
}

/// The bundle's fields, as `Bundle` has them.
const FIELDS: &[&str] = &[
    "format",
    "exported_at",
    "exported_by",
    "program",
    "models",
    "facilities",
    "assessments",
    "audit_log",
];

/// How many parsed assessments may wait for the writer.
pub(super) const QUEUE: usize = 64;

/// Reads a bundle's text and hands over each part; stops when the receiver is gone.
pub(super) fn read_parts<'a>(text: &'a str, out: SyncSender<Part<'a>>) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_str(text);
    de::Deserializer::deserialize_map(&mut de, Parts { out: &out })?;
    de.end()
}

fn hand<'a, E: de::Error>(out: &SyncSender<Part<'a>>, part: Part<'a>) -> Result<(), E> {
    out.send(part).map_err(|_| E::custom("the import stopped"))
}

/// The bundle object, field by field.
struct Parts<'s, 'a> {
    out: &'s SyncSender<Part<'a>>,
}

impl<'de> Visitor<'de> for Parts<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct Bundle")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let Some(name) = FIELDS.iter().copied().find(|f| *f == key) else {
                return Err(de::Error::unknown_field(&key, FIELDS));
            };
            if seen.contains(&name) {
                return Err(de::Error::duplicate_field(name));
            }
            seen.push(name);
            let part = match name {
                "format" => Part::Format(map.next_value()?),
                "exported_at" => Part::ExportedAt(map.next_value()?),
                "exported_by" => Part::ExportedBy(map.next_value()?),
                "program" => {
                    map.next_value::<String>()?;
                    Part::Program
                }
                "models" => Part::Models(map.next_value()?),
                "facilities" => Part::Facilities(map.next_value()?),
                "assessments" => {
                    map.next_value_seed(Assessments { out: self.out })?;
                    continue;
                }
                _ => Part::Audit(map.next_value()?),
            };
            hand(self.out, part)?;
        }
        match FIELDS.iter().find(|f| !seen.contains(f)) {
            Some(missing) => Err(de::Error::missing_field(missing)),
            None => Ok(()),
        }
    }
}

/// The `assessments` array, one element at a time.
struct Assessments<'s, 'a> {
    out: &'s SyncSender<Part<'a>>,
}

impl<'de> DeserializeSeed<'de> for Assessments<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Assessments<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence of assessments")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(a) = seq.next_element::<BundleAssessment<'de>>()? {
            hand(self.out, Part::Assessment(a))?;
        }
        Ok(())
    }
}
