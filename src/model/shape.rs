//! What a model says about its own shape beyond the tree: its framework, how a theme's
//! score is computed, what its levels are called and its default gap rules. Every field
//! is optional in the file, so older model files keep their meaning (and their hash).

use super::{Criterion, Indicator, Text};
use crate::i18n::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The framework of a model file that names none: the socialtilsyn quality model.
pub const DEFAULT_FRAMEWORK: &str = "socialtilsyn";

/// How a theme's score is computed from its scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThemeScore {
    /// The unweighted mean of all the theme's scored, relevant indicators (the handbook's
    /// rule, "Scoring af indikatorerne").
    IndicatorMean,
    /// The unweighted mean of the theme's criterion means (how every number was computed
    /// before the rule became model data; a model that names no rule keeps it).
    CriterionMean,
}

impl ThemeScore {
    /// Every rule with its name in model files and on the command line.
    pub const ALL: [(ThemeScore, &'static str); 2] = [
        (ThemeScore::IndicatorMean, "indicator_mean"),
        (ThemeScore::CriterionMean, "criterion_mean"),
    ];

    /// The rule's name in model files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ThemeScore::IndicatorMean => "indicator_mean",
            ThemeScore::CriterionMean => "criterion_mean",
        }
    }

    /// The rule named `name`, if any.
    pub fn from_name(name: &str) -> Option<ThemeScore> {
        Self::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(r, _)| *r)
    }

    /// The rule in words, for summaries and reports.
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            ThemeScore::IndicatorMean => lang.pick(
                "temaets score = gennemsnit af dets scorede indikatorer",
                "theme score = mean of its scored indicators",
            ),
            ThemeScore::CriterionMean => lang.pick(
                "temaets score = gennemsnit af dets kriteriers gennemsnit",
                "theme score = mean of its criteria's means",
            ),
        }
    }
}

/// The name of one level of the model in both languages, singular and plural.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelName {
    pub da: String,
    pub en: String,
    pub da_plural: String,
    pub en_plural: String,
}

impl LevelName {
    fn of(da: &str, en: &str, da_plural: &str, en_plural: &str) -> LevelName {
        LevelName {
            da: da.into(),
            en: en.into(),
            da_plural: da_plural.into(),
            en_plural: en_plural.into(),
        }
    }

    /// The singular in the user's language.
    pub fn one(&self, lang: Lang) -> &str {
        lang.pick(&self.da, &self.en)
    }

    /// The plural in the user's language.
    pub fn many(&self, lang: Lang) -> &str {
        lang.pick(&self.da_plural, &self.en_plural)
    }

    /// The singular with a capital, for headings and column titles ("Område").
    pub fn title(&self, lang: Lang) -> String {
        capital(self.one(lang))
    }

    /// The plural with a capital ("Spørgsmål", "Indikatorer").
    pub fn titles(&self, lang: Lang) -> String {
        capital(self.many(lang))
    }
}

/// The word with its first letter in upper case (Unicode-aware: "æble" → "Æble").
fn capital(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the three levels of the model are called (default tema / kriterium / indikator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub theme: LevelName,
    pub criterion: LevelName,
    pub indicator: LevelName,
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            theme: LevelName::of("tema", "theme", "temaer", "themes"),
            criterion: LevelName::of("kriterium", "criterion", "kriterier", "criteria"),
            indicator: LevelName::of("indikator", "indicator", "indikatorer", "indicators"),
        }
    }
}

/// The model's default gap rules (the database's `gaps --set` overrides them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GapDefaults {
    /// A score at or below this is a gap.
    pub indicator_gap_max: u8,
    /// A score above the gap limit and at most this is "watch".
    pub indicator_watch_max: u8,
    /// A criterion or theme mean below this is a gap at that level.
    pub mean_gap_below: f64,
    /// A theme mean below this falls short of the model's bar.
    pub theme_bar: f64,
}

impl Default for GapDefaults {
    fn default() -> Self {
        GapDefaults {
            indicator_gap_max: 2,
            indicator_watch_max: 3,
            mean_gap_below: 3.0,
            theme_bar: 4.0,
        }
    }
}

/// A criterion as it is written in a model file: `indicators` may be empty or absent,
/// and then the criterion is scored directly.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename = "Criterion")]
pub(super) struct CriterionFile {
    /// Unique in the model, e.g. "K6".
    id: String,
    /// The criterion's text (`title` is accepted as another name for it).
    #[serde(alias = "title")]
    text: Text,
    /// Its indicators; none (empty or absent) = the criterion is scored directly, its
    /// score rows use the criterion's id where an indicator id would be.
    #[serde(default)]
    indicators: Vec<Indicator>,
}

impl From<CriterionFile> for Criterion {
    fn from(f: CriterionFile) -> Criterion {
        let scored_directly = f.indicators.is_empty();
        // a directly scored criterion is its own one scored item, so that every face that
        // walks the indicators shows and scores it without knowing the difference
        let indicators = if scored_directly {
            vec![Indicator {
                id: f.id.clone(),
                text: f.text.clone(),
                applies_only_to: Vec::new(),
                not_for: Vec::new(),
            }]
        } else {
            f.indicators
        };
        Criterion {
            id: f.id,
            text: f.text,
            indicators,
            scored_directly,
        }
    }
}

impl From<Criterion> for CriterionFile {
    fn from(c: Criterion) -> CriterionFile {
        CriterionFile {
            id: c.id,
            text: c.text,
            indicators: if c.scored_directly {
                Vec::new()
            } else {
                c.indicators
            },
        }
    }
}

impl super::QualityModel {
    /// What to check a text whose wording is not confirmed against, in one sentence: the
    /// executive order for the socialtilsyn quality model, the model file's own `source` for
    /// any other framework, whose texts are not law. The one wording every face uses.
    pub fn wording_check(&self, lang: Lang) -> String {
        if self.framework() == DEFAULT_FRAMEWORK {
            return lang
                .pick(
                    "tjek ordlyden mod bekendtgørelsen om socialtilsyn, bilag 1",
                    "check the wording against the executive order on social supervision (bekendtgørelse om socialtilsyn), annex 1",
                )
                .to_string();
        }
        let name = self
            .framework_name
            .as_ref()
            .map_or(self.name.get(lang), |n| n.get(lang));
        crate::tr!(
            lang,
            "{name} er ikke lovtekst; tjek ordlyden mod modellens kilde (på engelsk i modelfilen): {}",
            "{name} is not law; check the wording against the model's source: {}",
            self.source.trim().trim_end_matches('.')
        )
    }
}

impl super::QualityModel {
    /// The short form of [`wording_check`](Self::wording_check) for a line on screen: what
    /// the text is checked against, without the source itself (`model show` prints it).
    pub fn wording_check_short(&self, lang: Lang) -> String {
        if self.framework() == DEFAULT_FRAMEWORK {
            return lang
                .pick(
                    "tjek ordlyden mod bekendtgørelsen",
                    "check the wording against the official text",
                )
                .to_string();
        }
        lang.pick(
            "ikke lovtekst: tjek ordlyden mod modellens kilde (model show)",
            "not law: check the wording against the model's source (model show)",
        )
        .to_string()
    }
}

/// What the program says wherever a model is chosen: the law changed the themes, and the
/// new model is loaded as data once it is published (no text of it ships with the program).
pub fn reform_notice(lang: Lang) -> &'static str {
    lang.pick(
        "Lovændringen L 200 (Folketingsåret 2024-25) ændrede temaerne i § 6 i lov om socialtilsyn; når den nye kvalitetsmodel er offentliggjort, indlæser regionen den med: tilsynsklar model import FIL",
        "The 2025 amendment (L 200, Folketingsåret 2024-25) changed the themes of § 6 of the act on social supervision; once the new quality model is published, the region loads it with: tilsynsklar model import FILE",
    )
}
