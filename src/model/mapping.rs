//! The mapping between two versions of the model, so that a facility can be compared
//! across the 2017 revision: which node became which, and which have no counterpart.

use super::QualityModel;
use crate::definition;
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The format tag every mapping file carries.
pub const MAPPING_FORMAT: &str = "tilsynsklar-mapping/1";

/// Whether a definition file says it is a mapping (its `format` tag), not a model.
pub fn is_mapping_file(json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| {
            v.get("format")
                .and_then(|f| f.as_str())
                .map(|f| f == MAPPING_FORMAT)
        })
        .unwrap_or(false)
}

/// How a node relates to its counterpart in the other version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Same content and wording.
    Same,
    /// Same content, new wording.
    Reworded,
    /// Part of the content moved elsewhere.
    Partial,
}

/// One node and its counterpart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappedNode {
    /// A node id of the `from` model.
    pub from: String,
    /// Its counterpart in the `to` model.
    pub to: String,
    /// How the two relate.
    pub relation: Relation,
    /// What changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The nodes of each side that have no counterpart in the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoCounterpart {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// A mapping from one model version to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelMapping {
    /// Always "tilsynsklar-mapping/1".
    pub format: String,
    /// The older model's id.
    pub from: String,
    /// The newer model's id.
    pub to: String,
    /// What the mapping is based on.
    #[serde(default)]
    pub note: String,
    /// Every node with a counterpart.
    pub pairs: Vec<MappedNode>,
    /// Every node without one: shown as "not comparable", never as a rise or a fall.
    pub no_counterpart: NoCounterpart,
}

impl ModelMapping {
    /// Parses a mapping and checks it against the models it joins: every id it names
    /// exists, and every node of both models is either paired or said to have no counterpart.
    pub fn parse(file: &str, json: &str, models: &[QualityModel]) -> Result<ModelMapping> {
        let m: ModelMapping = definition::parse(file, json)?;
        let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
        if m.format != MAPPING_FORMAT {
            return err(
                "format".into(),
                format!("expected {MAPPING_FORMAT:?}, found {:?}", m.format),
            );
        }
        let find = |id: &str, path: &str| {
            models
                .iter()
                .find(|q| q.id == id)
                .ok_or_else(|| Error::definition(file, path, format!("unknown model {id:?}")))
        };
        let from = find(&m.from, "from")?;
        let to = find(&m.to, "to")?;
        if from.framework() != to.framework() {
            return err(
                "to".into(),
                format!(
                    "{} is a model of {:?}, {} of {:?}: a mapping joins versions of one framework",
                    to.id,
                    to.framework(),
                    from.id,
                    from.framework()
                ),
            );
        }
        let mut from_seen = HashSet::new();
        let mut to_seen = HashSet::new();
        for (i, p) in m.pairs.iter().enumerate() {
            if !from.has_node(&p.from) {
                return err(
                    format!("pairs[{i}].from"),
                    format!("{:?} is not in {}", p.from, from.id),
                );
            }
            if !to.has_node(&p.to) {
                return err(
                    format!("pairs[{i}].to"),
                    format!("{:?} is not in {}", p.to, to.id),
                );
            }
            if !from_seen.insert(p.from.as_str()) {
                return err(
                    format!("pairs[{i}].from"),
                    format!("{:?} is mapped twice", p.from),
                );
            }
            if !to_seen.insert(p.to.as_str()) {
                return err(
                    format!("pairs[{i}].to"),
                    format!("{:?} is mapped twice", p.to),
                );
            }
        }
        for (side, model, list, seen) in [
            ("from", from, &m.no_counterpart.from, &from_seen),
            ("to", to, &m.no_counterpart.to, &to_seen),
        ] {
            for (i, id) in list.iter().enumerate() {
                if !model.has_node(id) {
                    return err(
                        format!("no_counterpart.{side}[{i}]"),
                        format!("{id:?} is not in {}", model.id),
                    );
                }
                if seen.contains(id.as_str()) {
                    return err(
                        format!("no_counterpart.{side}[{i}]"),
                        format!("{id:?} is also paired"),
                    );
                }
            }
            if let Some(missing) = model
                .node_ids()
                .find(|n| !seen.contains(n) && !list.iter().any(|x| x == n))
            {
                return err(
                    format!("no_counterpart.{side}"),
                    format!(
                        "{missing:?} of {} is neither paired nor listed here",
                        model.id
                    ),
                );
            }
        }
        Ok(m)
    }

    /// The counterpart of a node of the `from` model, if it has one.
    pub fn forward(&self, from_id: &str) -> Option<&MappedNode> {
        self.pairs.iter().find(|p| p.from == from_id)
    }

    /// The counterpart of a node of the `to` model, if it has one.
    pub fn backward(&self, to_id: &str) -> Option<&MappedNode> {
        self.pairs.iter().find(|p| p.to == to_id)
    }
}
