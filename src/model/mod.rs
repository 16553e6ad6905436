//! A quality model as data: themes → criteria → indicators (or criteria scored
//! directly), the scale, the theme score rule, the level names, the default gap rules, the
//! applicability tags, the provenance of every text, and the mapping between versions.

mod bundled;
mod mapping;
mod shape;
mod validate;

pub use bundled::{
    BUNDLED_MAPPINGS, BUNDLED_MODELS, EARLIER_BUNDLED, bundled_mappings, bundled_models,
    earlier_bundled_models,
};
pub use mapping::{MappedNode, ModelMapping, NoCounterpart, Relation, is_mapping_file};
pub use shape::{DEFAULT_FRAMEWORK, GapDefaults, LevelName, Levels, ThemeScore, reform_notice};

use crate::definition;
use crate::error::Result;
use crate::i18n::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag every model file carries.
pub const MODEL_FORMAT: &str = "tilsynsklar-model/1";

/// How sure we are of a text's official wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Wording {
    /// Seen verbatim in a public copy of the model.
    Confirmed,
    /// The meaning is confirmed, the exact wording is not.
    Gist,
    /// Structure and topic are known; the wording is ours until the official text replaces it.
    Reconstructed,
}

impl Wording {
    /// A one-character mark for trees and tables: blank, `~` or `*`.
    pub fn mark(self) -> &'static str {
        match self {
            Wording::Confirmed => " ",
            Wording::Gist => "~",
            Wording::Reconstructed => "*",
        }
    }

    /// The word for it in the user's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Wording::Confirmed => lang.pick("bekræftet", "confirmed"),
            Wording::Gist => lang.pick("indhold bekræftet", "gist"),
            Wording::Reconstructed => lang.pick("rekonstrueret", "reconstructed"),
        }
    }
}

/// A model text: the Danish wording, an English gloss, and the wording's provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The Danish wording, as official as is known (see `wording`).
    pub da: String,
    /// An English gloss, for readers without Danish; never authoritative.
    pub en: String,
    /// How sure we are that `da` is the official wording.
    pub wording: Wording,
}

impl Text {
    /// The official Danish wording: what every face shows, whatever the user's language.
    pub fn official(&self) -> &str {
        &self.da
    }

    /// The English gloss, shown beside the official text in the English interface.
    pub fn gloss(&self, lang: Lang) -> Option<&str> {
        (lang == Lang::En).then_some(self.en.as_str())
    }
}

/// A label in both languages, with no provenance (our own words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub da: String,
    pub en: String,
}

impl Label {
    /// The label in the user's language.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.da, &self.en)
    }
}

/// The period a model version is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InForce {
    /// The first day the version applies (ISO date).
    pub from: chrono::NaiveDate,
    /// The last day it applies; absent while it is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<chrono::NaiveDate>,
}

/// One step of the model's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleStep {
    /// 0 to 9; each value once (the socialtilsyn models: 1 to 5).
    pub value: u8,
    /// The label, e.g. "I høj grad opfyldt".
    pub label: Text,
}

/// A property of a facility that decides whether some indicators apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicabilityTag {
    /// The tag a facility is given, e.g. "children", "board", "shelter".
    pub id: String,
    /// What it means, for the user.
    pub label: Label,
}

/// A theme (tema) of the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Unique in the model, e.g. "T3".
    pub id: String,
    /// The theme's number in the official text (1–7).
    pub number: u32,
    /// The theme's title.
    pub title: Text,
    /// A note on how the theme is scored (e.g. who is left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    pub criteria: Vec<Criterion>,
}

impl Theme {
    /// The ids of the theme, its criteria and their indicators, in model order.
    pub fn node_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.criteria.iter().flat_map(|c| {
            std::iter::once(c.id.as_str()).chain(c.own_indicators().iter().map(|i| i.id.as_str()))
        }))
    }
}

/// A criterion (kriterium): a goal every facility is expected to meet. A criterion with
/// no indicators in its file is scored directly: `indicators` then holds one item with the
/// criterion's own id and text, so every face scores it like an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(from = "shape::CriterionFile", into = "shape::CriterionFile")]
pub struct Criterion {
    /// Unique in the model, e.g. "K6".
    pub id: String,
    /// The criterion's text.
    pub text: Text,
    /// The scored items: its indicators, or itself when it is scored directly.
    pub indicators: Vec<Indicator>,
    /// Whether the file gave it no indicators (its score rows use the criterion's id).
    pub scored_directly: bool,
}

impl Criterion {
    /// The indicators the model file gives it (none when it is scored directly).
    pub fn own_indicators(&self) -> &[Indicator] {
        if self.scored_directly {
            &[]
        } else {
            &self.indicators
        }
    }
}

/// An indicator (indikator): an observable sign that the criterion is met, scored on the
/// model's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Unique in the model, e.g. "6a".
    pub id: String,
    /// The indicator's text.
    pub text: Text,
    /// The indicator applies only to facilities with at least one of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_only_to: Vec<String>,
    /// The indicator does not apply to facilities with any of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_for: Vec<String>,
}

/// Why an indicator does not apply to a facility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inapplicable {
    /// It applies only to facilities with one of these tags, and the facility has none.
    OnlyFor(Vec<String>),
    /// It does not apply to facilities with this tag, and the facility has it.
    NotFor(String),
}

impl Indicator {
    /// Whether the indicator applies to a facility with these tags, and if not, why.
    pub fn applicability(&self, facility_tags: &[String]) -> Option<Inapplicable> {
        if !self.applies_only_to.is_empty()
            && !self
                .applies_only_to
                .iter()
                .any(|t| facility_tags.contains(t))
        {
            return Some(Inapplicable::OnlyFor(self.applies_only_to.clone()));
        }
        self.not_for
            .iter()
            .find(|t| facility_tags.contains(t))
            .map(|t| Inapplicable::NotFor(t.clone()))
    }
}

/// A version of a framework's model: the socialtilsyn quality model, or another
/// framework of this shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityModel {
    /// Always "tilsynsklar-model/1".
    pub format: String,
    /// The model id, e.g. "socialtilsyn-2017"; a region's official copy keeps the id it replaces.
    pub id: String,
    /// The framework this model is a version of (absent = "socialtilsyn"). Mappings join
    /// versions of one framework only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// The framework's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_name: Option<Label>,
    /// The model's name.
    pub name: Label,
    /// How a theme's score is computed (absent = "criterion_mean", how every number was
    /// computed before the rule was model data). The overall score is the mean of the
    /// theme scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_score: Option<ThemeScore>,
    /// What the levels are called (absent = tema / kriterium / indikator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Levels>,
    /// The model's default gap rules (absent = 2 / 3 / 3.0 / 4.0); within the scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap_defaults: Option<GapDefaults>,
    /// When the version is in force; picks the default model for an assessment year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<InForce>,
    /// Where the text comes from.
    pub source: String,
    /// The scale with its labels: 2 to 10 distinct values in 0 to 9.
    pub scale: Vec<ScaleStep>,
    /// The applicability tags indicators may name.
    #[serde(default)]
    pub tags: Vec<ApplicabilityTag>,
    /// The themes, in official order.
    pub themes: Vec<Theme>,
}

/// Where an indicator sits in its model.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorRef<'m> {
    pub theme: &'m Theme,
    pub criterion: &'m Criterion,
    pub indicator: &'m Indicator,
}

impl QualityModel {
    /// Parses and validates a model file; errors name `file` and the JSON path.
    pub fn parse(file: &str, json: &str) -> Result<QualityModel> {
        let model: QualityModel = definition::parse(file, json)?;
        validate::model(file, &model)?;
        Ok(model)
    }

    /// The content hash that pins this exact text.
    pub fn content_hash(&self) -> String {
        definition::content_hash(self)
    }

    /// The framework this model is a version of.
    pub fn framework(&self) -> &str {
        self.framework.as_deref().unwrap_or(DEFAULT_FRAMEWORK)
    }

    /// How the model computes a theme's score (absent in the file = criterion mean).
    pub fn theme_score(&self) -> ThemeScore {
        self.theme_score.unwrap_or(ThemeScore::CriterionMean)
    }

    /// What the model's levels are called.
    pub fn levels(&self) -> std::borrow::Cow<'_, Levels> {
        match &self.levels {
            Some(l) => std::borrow::Cow::Borrowed(l),
            None => std::borrow::Cow::Owned(Levels::default()),
        }
    }

    /// The model's default gap rules.
    pub fn gap_defaults(&self) -> GapDefaults {
        self.gap_defaults.unwrap_or_default()
    }

    /// The lowest and highest value of the scale.
    pub fn scale_bounds(&self) -> (u8, u8) {
        let min = self.scale.iter().map(|s| s.value).min().unwrap_or(1);
        let max = self.scale.iter().map(|s| s.value).max().unwrap_or(5);
        (min, max)
    }

    /// The scale's values, ascending.
    pub fn scale_values(&self) -> Vec<u8> {
        let mut v: Vec<u8> = self.scale.iter().map(|s| s.value).collect();
        v.sort_unstable();
        v
    }

    /// Every indicator in model order, with its theme and criterion.
    pub fn indicators(&self) -> impl Iterator<Item = IndicatorRef<'_>> {
        self.themes.iter().flat_map(|theme| {
            theme.criteria.iter().flat_map(move |criterion| {
                criterion
                    .indicators
                    .iter()
                    .map(move |indicator| IndicatorRef {
                        theme,
                        criterion,
                        indicator,
                    })
            })
        })
    }

    /// The indicator with this id (case-insensitive), with its theme and criterion.
    pub fn indicator(&self, id: &str) -> Option<IndicatorRef<'_>> {
        self.indicators()
            .find(|r| r.indicator.id.eq_ignore_ascii_case(id))
    }

    /// Every node id (themes, criteria, indicators) in model order.
    pub fn node_ids(&self) -> impl Iterator<Item = &str> {
        self.themes.iter().flat_map(Theme::node_ids)
    }

    /// The text of a node: a theme's title, a criterion's or an indicator's text.
    pub fn node_text(&self, id: &str) -> Option<&Text> {
        self.themes.iter().find_map(|t| {
            if t.id == id {
                return Some(&t.title);
            }
            t.criteria.iter().find_map(|c| {
                if c.id == id {
                    Some(&c.text)
                } else {
                    c.indicators.iter().find(|i| i.id == id).map(|i| &i.text)
                }
            })
        })
    }

    /// Whether a theme, criterion or indicator has this id.
    pub fn has_node(&self, id: &str) -> bool {
        self.node_ids().any(|n| n == id)
    }

    /// The scale label for a value.
    pub fn scale_label(&self, value: u8) -> Option<&Text> {
        self.scale
            .iter()
            .find(|s| s.value == value)
            .map(|s| &s.label)
    }

    /// The label of an applicability tag, or the tag itself where it is unknown.
    pub fn tag_label(&self, tag: &str, lang: Lang) -> String {
        self.tags
            .iter()
            .find(|t| t.id == tag)
            .map_or_else(|| tag.to_string(), |t| t.label.get(lang).to_string())
    }

    /// Whether the model was in force on the first day of `year`.
    pub fn in_force_in(&self, year: i32) -> bool {
        let Some(period) = &self.in_force else {
            return false;
        };
        let Some(day) = chrono::NaiveDate::from_ymd_opt(year, 1, 1) else {
            return false;
        };
        period.from <= day && period.to.is_none_or(|to| day <= to)
    }

    /// How many texts of each provenance the model holds (confirmed, gist, reconstructed).
    pub fn wording_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        let mut add = |w: Wording| counts[w as usize] += 1;
        for t in &self.themes {
            add(t.title.wording);
            for c in &t.criteria {
                add(c.text.wording);
                for i in c.own_indicators() {
                    add(i.text.wording);
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests;

/// A small model of another shape (0–3, directly scored criterion) for other modules' tests.
#[cfg(test)]
pub(crate) use tests::SHAPED as SHAPED_FOR_TESTS;
