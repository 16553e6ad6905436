//! A region's strategy as data: themes → focus areas → action plans (handleplaner), and
//! the links from quality-model nodes to the strategy nodes that answer them.

mod bundled;

pub use bundled::{BUNDLED_STRATEGIES, bundled_strategies};

use crate::definition::{self, is_plain_id};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::QualityModel;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The format tag every strategy file carries.
pub const STRATEGY_FORMAT: &str = "tilsynsklar-strategy/1";

/// An action plan (handleplan): concrete work the region has committed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
    /// Unique in the strategy, e.g. "RM-06".
    pub id: String,
    /// The plan in the source document's own Danish wording.
    pub text: String,
    /// Where in the source document it stands.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A focus area (indsatsområde) of a strategy theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    /// Unique in the strategy.
    pub id: String,
    /// The focus area's title.
    pub title: String,
    /// Its action plans.
    #[serde(default)]
    pub action_plans: Vec<ActionPlan>,
}

/// A theme of the strategy (not to be confused with a quality-model theme).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyTheme {
    /// Unique in the strategy.
    pub id: String,
    /// The theme's title.
    pub title: String,
    /// A remark, e.g. that it is the year's priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub focus_areas: Vec<FocusArea>,
}

/// Where a link comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The source document says it.
    Seed,
    /// Our reading, to be checked by the region.
    Proposed,
    /// Added by the region or facility.
    Local,
}

impl Basis {
    /// The word for it in the user's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Basis::Seed => lang.pick("kilde", "seed"),
            Basis::Proposed => lang.pick("forslag", "proposed"),
            Basis::Local => lang.pick("lokal", "local"),
        }
    }
}

/// A link from a quality-model node (theme, criterion or indicator) to a strategy node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The id of a theme, criterion or indicator of the strategy's model.
    pub node: String,
    /// The id of an action plan (or, where the strategy has none, a theme or focus area).
    pub target: String,
    /// Whether the source says it, or it is our reading.
    pub basis: Basis,
    /// Why the link holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A region's strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Always "tilsynsklar-strategy/1".
    pub format: String,
    /// The strategy id; importing a file with the same id replaces the strategy.
    pub id: String,
    /// The region (or organisation) whose strategy it is.
    pub region: String,
    /// The strategy's name.
    pub name: String,
    /// When it was adopted (ISO date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    /// The quality model whose node ids the links name.
    pub model: String,
    /// The source document, and what of it is included.
    #[serde(default)]
    pub source: String,
    /// The strategy's themes, with focus areas and action plans.
    pub themes: Vec<StrategyTheme>,
    /// Links from quality-model nodes to strategy nodes.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Links from the nodes of other models, e.g. of another framework (the yearly safety
    /// self-evaluation beside the quality model), one group per model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub model_links: Vec<ModelLinks>,
}

/// The links a strategy makes from the nodes of one model other than its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelLinks {
    /// The model whose node ids these links name (any framework).
    pub model: String,
    /// Links from that model's nodes to strategy nodes.
    pub links: Vec<Link>,
}

/// What a strategy node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Theme,
    FocusArea,
    ActionPlan,
}

/// A node of the strategy tree, flattened: what a link can point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategyNode<'s> {
    pub id: &'s str,
    pub kind: NodeKind,
    pub text: &'s str,
    /// The theme and focus area the node sits under ("Bedre liv › Høj sikkerhed").
    pub place: String,
}

impl Strategy {
    /// Parses a strategy file and checks it; `models` are the quality models it may link to.
    pub fn parse(file: &str, json: &str, models: &[QualityModel]) -> Result<Strategy> {
        let s: Strategy = definition::parse(file, json)?;
        s.validate(file, models)?;
        Ok(s)
    }

    /// Checks ids, texts and links; errors name the file and the JSON path.
    pub fn validate(&self, file: &str, models: &[QualityModel]) -> Result<()> {
        let err = |path: String, msg: String| Err(Error::definition(file, path, msg));
        if self.format != STRATEGY_FORMAT {
            return err(
                "format".into(),
                format!("expected {STRATEGY_FORMAT:?}, found {:?}", self.format),
            );
        }
        if !is_plain_id(&self.id) {
            return err(
                "id".into(),
                format!("{:?} is not a plain id (letters, digits, dashes)", self.id),
            );
        }
        for (field, v) in [("region", &self.region), ("name", &self.name)] {
            if v.trim().is_empty() {
                return err(field.into(), "empty text".into());
            }
        }
        if !models.iter().any(|m| m.id == self.model) {
            return err(
                "model".into(),
                format!("unknown quality model {:?}", self.model),
            );
        }
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut unique = |id: &'_ str, path: String, text: &str| -> Result<()> {
            if !is_plain_id(id) {
                return Err(Error::definition(
                    file,
                    path,
                    format!("{id:?} is not a plain id"),
                ));
            }
            if text.trim().is_empty() {
                return Err(Error::definition(
                    file,
                    path.replace(".id", ".text"),
                    "empty text",
                ));
            }
            if let Some(first) = ids.get(id) {
                return Err(Error::definition(
                    file,
                    path,
                    format!("duplicate {id:?} (first at {first})"),
                ));
            }
            ids.insert(id.to_string(), path);
            Ok(())
        };
        for (ti, t) in self.themes.iter().enumerate() {
            let tp = format!("themes[{ti}]");
            unique(&t.id, format!("{tp}.id"), &t.title)?;
            for (fi, f) in t.focus_areas.iter().enumerate() {
                let fp = format!("{tp}.focus_areas[{fi}]");
                unique(&f.id, format!("{fp}.id"), &f.title)?;
                for (pi, p) in f.action_plans.iter().enumerate() {
                    unique(&p.id, format!("{fp}.action_plans[{pi}].id"), &p.text)?;
                }
            }
        }
        let mut groups = std::collections::HashSet::from([self.model.as_str()]);
        for (gi, g) in self.model_links.iter().enumerate() {
            if !groups.insert(&g.model) {
                return err(
                    format!("model_links[{gi}].model"),
                    format!(
                        "{:?} has its links already (the strategy's model or an earlier group)",
                        g.model
                    ),
                );
            }
        }
        for (prefix, model_id, links) in self.link_groups() {
            let Some(model) = models.iter().find(|m| m.id == model_id) else {
                return err(
                    format!("{prefix}model"),
                    format!("unknown quality model {model_id:?}"),
                );
            };
            let mut pairs = std::collections::HashSet::new();
            for (li, l) in links.iter().enumerate() {
                if !model.has_node(&l.node) {
                    return err(
                        format!("{prefix}links[{li}].node"),
                        format!(
                            "{:?} is not a theme, criterion or indicator of {}",
                            l.node, model.id
                        ),
                    );
                }
                if self.node(&l.target).is_none() {
                    return err(
                        format!("{prefix}links[{li}].target"),
                        format!("{:?} is not in this strategy", l.target),
                    );
                }
                if !pairs.insert((&l.node, &l.target)) {
                    return err(
                        format!("{prefix}links[{li}]"),
                        format!("{} → {} is linked twice", l.node, l.target),
                    );
                }
            }
        }
        Ok(())
    }

    /// Every group of links with the JSON path before its `links` and the model it names:
    /// the strategy's own first, then `model_links` in file order.
    fn link_groups(&self) -> Vec<(String, &str, &[Link])> {
        std::iter::once((String::new(), self.model.as_str(), self.links.as_slice()))
            .chain(self.model_links.iter().enumerate().map(|(i, g)| {
                (
                    format!("model_links[{i}]."),
                    g.model.as_str(),
                    g.links.as_slice(),
                )
            }))
            .collect()
    }

    /// The ids of the models the strategy's links name: its own model first.
    pub fn linked_models(&self) -> Vec<&str> {
        std::iter::once(self.model.as_str())
            .chain(self.model_links.iter().map(|g| g.model.as_str()))
            .collect()
    }

    /// The strategy as one model's nodes see it: that model as the strategy's model, and
    /// only the links that name its nodes (none where the strategy names it nowhere). The
    /// gap lookup reads a strategy this way, so an assessment on another framework finds
    /// the links written for it.
    pub fn for_model(&self, model_id: &str) -> Strategy {
        let links = if self.model == model_id {
            self.links.clone()
        } else {
            self.model_links
                .iter()
                .find(|g| g.model == model_id)
                .map(|g| g.links.clone())
                .unwrap_or_default()
        };
        Strategy {
            model: model_id.to_string(),
            links,
            model_links: Vec::new(),
            ..self.clone()
        }
    }

    /// The content hash that pins this exact text.
    pub fn content_hash(&self) -> String {
        definition::content_hash(self)
    }

    /// Every node of the tree in order: themes, their focus areas, their action plans.
    pub fn nodes(&self) -> Vec<StrategyNode<'_>> {
        let mut out = Vec::new();
        for t in &self.themes {
            out.push(StrategyNode {
                id: &t.id,
                kind: NodeKind::Theme,
                text: &t.title,
                place: String::new(),
            });
            for f in &t.focus_areas {
                out.push(StrategyNode {
                    id: &f.id,
                    kind: NodeKind::FocusArea,
                    text: &f.title,
                    place: t.title.clone(),
                });
                for p in &f.action_plans {
                    out.push(StrategyNode {
                        id: &p.id,
                        kind: NodeKind::ActionPlan,
                        text: &p.text,
                        place: format!("{} › {}", t.title, f.title),
                    });
                }
            }
        }
        out
    }

    /// The node with this id (the first in `nodes`' order), without building the others.
    pub fn node(&self, id: &str) -> Option<StrategyNode<'_>> {
        for t in &self.themes {
            if t.id == id {
                return Some(StrategyNode {
                    id: &t.id,
                    kind: NodeKind::Theme,
                    text: &t.title,
                    place: String::new(),
                });
            }
            for f in &t.focus_areas {
                if f.id == id {
                    return Some(StrategyNode {
                        id: &f.id,
                        kind: NodeKind::FocusArea,
                        text: &f.title,
                        place: t.title.clone(),
                    });
                }
                if let Some(p) = f.action_plans.iter().find(|p| p.id == id) {
                    return Some(StrategyNode {
                        id: &p.id,
                        kind: NodeKind::ActionPlan,
                        text: &p.text,
                        place: format!("{} › {}", t.title, f.title),
                    });
                }
            }
        }
        None
    }

    /// How many action plans the strategy holds.
    pub fn action_plan_count(&self) -> usize {
        self.themes
            .iter()
            .flat_map(|t| &t.focus_areas)
            .map(|f| f.action_plans.len())
            .sum()
    }
}

#[cfg(test)]
mod tests;
