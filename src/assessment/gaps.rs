//! Gaps: where an assessment falls short, by configurable rules, and which action plans
//! of the region's strategies answer each gap (most specific link first).

use super::{Score, ScoreValue, Summary, summarize};
use crate::i18n::Lang;
use crate::model::{DEFAULT_FRAMEWORK, GapDefaults, ModelMapping, QualityModel};
use crate::strategy::{Basis, NodeKind, Strategy};
use crate::tr;
use serde::{Deserialize, Serialize};

/// The rules that turn scores and means into gaps. A model brings its own defaults
/// (`gap_defaults`), within its scale; a database can set its own for the socialtilsyn
/// framework (`gaps --set`), which a model of another framework and scale leaves alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GapRules {
    /// An indicator scored this or lower is a gap.
    pub indicator_gap_max: u8,
    /// An indicator scored above the gap limit and at most this is "watch".
    pub indicator_watch_max: u8,
    /// A criterion or theme mean below this is a gap at that level.
    pub mean_gap_below: f64,
    /// A theme mean below this falls short of the published "4 or more" bar.
    pub theme_bar: f64,
    /// The scale the rules are set on: its lowest and highest value.
    #[serde(skip, default = "default_bounds")]
    bounds: (u8, u8),
    /// Which rules were set (`set`), one bit per name in `NAMES` order.
    #[serde(skip)]
    set_here: u8,
}

fn default_bounds() -> (u8, u8) {
    (1, 5)
}

impl Default for GapRules {
    fn default() -> Self {
        GapRules::of(GapDefaults::default(), default_bounds())
    }
}

impl GapRules {
    /// The names the rules are set by (`gaps --set NAME=VALUE`).
    pub const NAMES: [&'static str; 4] = [
        "indicator_gap_max",
        "indicator_watch_max",
        "mean_gap_below",
        "theme_bar",
    ];

    fn of(d: GapDefaults, bounds: (u8, u8)) -> GapRules {
        GapRules {
            indicator_gap_max: d.indicator_gap_max,
            indicator_watch_max: d.indicator_watch_max,
            mean_gap_below: d.mean_gap_below,
            theme_bar: d.theme_bar,
            bounds,
            set_here: 0,
        }
    }

    /// The rules for an assessment on `model`: the model's defaults on its scale, and, for a
    /// model of the socialtilsyn framework, every rule this database set (`self`) that fits
    /// the model's scale and keeps the rules coherent.
    pub fn for_model(&self, model: &QualityModel) -> GapRules {
        let mut rules = GapRules::of(model.gap_defaults(), model.scale_bounds());
        if model.framework() != DEFAULT_FRAMEWORK {
            return rules;
        }
        let values = [
            self.indicator_gap_max.to_string(),
            self.indicator_watch_max.to_string(),
            self.mean_gap_below.to_string(),
            self.theme_bar.to_string(),
        ];
        // twice: a limit refused only because the other one has not moved yet (watch ≥ gap)
        // goes in on the second pass; a rule off this model's scale keeps the model's default
        for _ in 0..2 {
            for (i, value) in values.iter().enumerate() {
                if self.set_here & (1 << i) != 0 {
                    let _ = rules.set(Self::NAMES[i], value);
                }
            }
        }
        rules
    }

    /// Sets one rule from its name and a text value on the rules' scale, checking that the
    /// rules stay coherent.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let mut next = *self;
        let (min, max) = self.bounds;
        let int = || {
            value
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|v| (min..=max).contains(v))
                .ok_or(format!(
                    "{name}: {value:?} is not a score from {min} to {max}"
                ))
        };
        let real = || {
            value
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| (f64::from(min)..=f64::from(max)).contains(v))
                .ok_or(format!(
                    "{name}: {value:?} is not a number from {min} to {max}"
                ))
        };
        let index = match name {
            "indicator_gap_max" => {
                next.indicator_gap_max = int()?;
                0
            }
            "indicator_watch_max" => {
                next.indicator_watch_max = int()?;
                1
            }
            "mean_gap_below" => {
                next.mean_gap_below = real()?;
                2
            }
            "theme_bar" => {
                next.theme_bar = real()?;
                3
            }
            _ => {
                return Err(format!(
                    "unknown rule {name:?} (known: {})",
                    Self::NAMES.join(", ")
                ));
            }
        };
        if next.indicator_watch_max < next.indicator_gap_max {
            return Err("indicator_watch_max must not be below indicator_gap_max".into());
        }
        next.set_here |= 1 << index;
        *self = next;
        Ok(())
    }

    /// How an indicator score is classified.
    pub fn classify_score(&self, score: u8) -> Option<GapKind> {
        if score <= self.indicator_gap_max {
            Some(GapKind::Gap)
        } else if score <= self.indicator_watch_max {
            Some(GapKind::Watch)
        } else {
            None
        }
    }

    /// How a criterion's (`theme == false`) or theme's mean is classified: by the mean as
    /// shown (`round1`), so a mean printed 3,0 is never under 3,0.
    pub fn classify_mean(&self, mean: f64, theme: bool) -> Option<GapKind> {
        let mean = crate::i18n::round1(mean);
        if mean < self.mean_gap_below {
            Some(GapKind::Gap)
        } else if theme && mean < self.theme_bar {
            Some(GapKind::BelowBar)
        } else {
            None
        }
    }

    /// The rules in words, for `gaps --explain`.
    pub fn explain(&self, lang: Lang) -> Vec<String> {
        let g = self.indicator_gap_max;
        let w = self.indicator_watch_max;
        let m = lang.decimal(self.mean_gap_below);
        let b = lang.decimal(self.theme_bar);
        let mut lines = vec![tr!(
            lang,
            "En indikator med score {g} eller lavere er et hul (gap).",
            "An indicator scored {g} or lower is a gap."
        )];
        if w > g {
            lines.push(tr!(
                lang,
                "En indikator med score {} til {w} er \"hold øje\".",
                "An indicator scored {} to {w} is \"watch\".",
                g + 1
            ));
        }
        lines.extend([
            tr!(lang, "Et kriterium eller tema med gennemsnit under {m} er et hul på det niveau.", "A criterion or theme whose mean is below {m} is a gap at that level."),
            tr!(lang, "Et tema med gennemsnit under {b} når ikke den offentliggjorte grænse \"4 eller mere\".", "A theme whose mean is below {b} falls short of the published \"4 or more\" bar."),
            tr!(lang, "\"Ikke relevant\" indgår ikke; indikatorer uden score er ufærdige, aldrig huller.", "\"Not relevant\" is left out; unscored indicators are incomplete, never gaps."),
            tr!(lang, "Gennemsnit: kriterium = gennemsnit af dets indikatorer; temaets score efter modellens regel (socialtilsynets modeller: gennemsnit af temaets indikatorer).", "Means: criterion = mean of its indicators; the theme's score by the model's rule (the socialtilsyn models: the mean of the theme's indicators)."),
            tr!(lang, "Reglerne gælder socialtilsynets modeller; en model af en anden ramme og skala bruger sine egne (gap_defaults).", "These rules apply to the socialtilsyn models; a model of another framework and scale uses its own (gap_defaults)."),
            tr!(lang, "Ændr med: tilsynsklar gaps --set NAVN=VÆRDI ({})", "Change with: tilsynsklar gaps --set NAME=VALUE ({})", Self::NAMES.join(", ")),
        ]);
        lines
    }
}

/// The level of the model a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Theme,
    Criterion,
    Indicator,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// Below the gap limit.
    Gap,
    /// An indicator just above the gap limit.
    Watch,
    /// A theme above the gap limit but below the published bar.
    BelowBar,
}

impl GapKind {
    /// The word in the user's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            GapKind::Gap => lang.pick("hul", "gap"),
            GapKind::Watch => lang.pick("hold øje", "watch"),
            GapKind::BelowBar => lang.pick("under temagrænsen", "below the theme bar"),
        }
    }
}

/// One place where the assessment falls short.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub level: Level,
    pub node_id: String,
    pub kind: GapKind,
    /// The indicator's score, or the criterion's or theme's mean.
    pub value: f64,
}

impl Finding {
    /// The value as shown: an indicator's score as a whole number, a mean with one decimal.
    pub fn value_text(&self, lang: Lang) -> String {
        if self.level == Level::Indicator {
            format!("{}", self.value as u8)
        } else {
            lang.decimal(self.value)
        }
    }
}

/// Every finding of an assessment, in model order, and what is still unscored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    pub rules: GapRules,
    pub findings: Vec<Finding>,
    pub incomplete: Vec<String>,
}

/// Classifies an assessment's scores and means by the rules.
/// `rules` are the database's; the model's own defaults and scale apply (`for_model`).
pub fn find_gaps(model: &QualityModel, scores: &[Score], rules: &GapRules) -> GapReport {
    let rules = &rules.for_model(model);
    let summary: Summary = summarize(model, scores);
    let mut findings = Vec::new();
    for (theme, ts) in model.themes.iter().zip(&summary.themes) {
        if let Some((m, kind)) = ts
            .mean
            .and_then(|m| rules.classify_mean(m, true).map(|k| (m, k)))
        {
            findings.push(Finding {
                level: Level::Theme,
                node_id: theme.id.clone(),
                kind,
                value: m,
            });
        }
        for (c, cs) in theme.criteria.iter().zip(&ts.criteria) {
            if let Some((m, kind)) = cs
                .mean
                .and_then(|m| rules.classify_mean(m, false).map(|k| (m, k)))
            {
                findings.push(Finding {
                    level: Level::Criterion,
                    node_id: c.id.clone(),
                    kind,
                    value: m,
                });
            }
            for i in &c.indicators {
                let Some(ScoreValue::Scored(v)) = scores
                    .iter()
                    .find(|s| s.indicator_id == i.id)
                    .map(|s| s.value)
                else {
                    continue;
                };
                if let Some(kind) = rules.classify_score(v) {
                    findings.push(Finding {
                        level: Level::Indicator,
                        node_id: i.id.clone(),
                        kind,
                        value: f64::from(v),
                    });
                }
            }
        }
    }
    GapReport {
        rules: *rules,
        findings,
        incomplete: summary.unscored,
    }
}

/// An action plan (or strategy node) linked to a gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedPlan {
    pub strategy_id: String,
    pub region: String,
    /// The strategy node the link points at.
    pub target_id: String,
    pub target_kind: NodeKind,
    pub text: String,
    /// Where in the strategy it sits.
    pub place: String,
    pub basis: Basis,
    /// The model node (in the assessment's model) whose link this is, and its level.
    pub via: String,
    pub via_level: Level,
}

/// The nodes a finding inherits links from, most specific first: itself, then its
/// criterion, then its theme.
fn ancestry(model: &QualityModel, node: &str) -> Vec<(String, Level)> {
    for t in &model.themes {
        if t.id == node {
            return vec![(t.id.clone(), Level::Theme)];
        }
        for c in &t.criteria {
            if c.id == node {
                return vec![
                    (c.id.clone(), Level::Criterion),
                    (t.id.clone(), Level::Theme),
                ];
            }
            if c.indicators.iter().any(|i| i.id == node) {
                return vec![
                    (node.to_string(), Level::Indicator),
                    (c.id.clone(), Level::Criterion),
                    (t.id.clone(), Level::Theme),
                ];
            }
        }
    }
    Vec::new()
}

/// The action plans linked to a node of `model` in the given strategies, most specific
/// link first. A strategy on another model version is read through its mapping.
pub fn linked_plans(
    model: &QualityModel,
    node: &str,
    strategies: &[(Strategy, Option<ModelMapping>)],
) -> Vec<LinkedPlan> {
    let mut out: Vec<LinkedPlan> = Vec::new();
    for (id, level) in ancestry(model, node) {
        for (s, mapping) in strategies {
            // the strategy's name for this node
            let local = if s.model == model.id {
                Some(id.clone())
            } else {
                let to_strategy = |m: &ModelMapping| {
                    if m.to == model.id && m.from == s.model {
                        m.backward(&id).map(|p| p.from.clone())
                    } else if m.from == model.id && m.to == s.model {
                        m.forward(&id).map(|p| p.to.clone())
                    } else {
                        None
                    }
                };
                mapping.as_ref().and_then(to_strategy)
            };
            let Some(local) = local else { continue };
            for l in s.links.iter().filter(|l| l.node == local) {
                if out
                    .iter()
                    .any(|p| p.strategy_id == s.id && p.target_id == l.target)
                {
                    continue;
                }
                if let Some(n) = s.node(&l.target) {
                    out.push(LinkedPlan {
                        strategy_id: s.id.clone(),
                        region: s.region.clone(),
                        target_id: n.id.to_string(),
                        target_kind: n.kind,
                        text: n.text.to_string(),
                        place: n.place.clone(),
                        basis: l.basis,
                        via: id.clone(),
                        via_level: level,
                    });
                }
            }
        }
    }
    out
}

/// A finding with the action plans that answer it and the actions raised for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapEntry {
    pub finding: Finding,
    pub plans: Vec<LinkedPlan>,
    /// Improvement actions naming this indicator (indicator findings only).
    pub actions: Vec<super::ImprovementAction>,
}

/// Every finding of a report with its linked plans and actions.
pub fn gap_entries(
    model: &QualityModel,
    report: &GapReport,
    strategies: &[(Strategy, Option<ModelMapping>)],
    actions: &[super::ImprovementAction],
) -> Vec<GapEntry> {
    report
        .findings
        .iter()
        .map(|f| GapEntry {
            finding: f.clone(),
            plans: linked_plans(model, &f.node_id, strategies),
            actions: if f.level == Level::Indicator {
                actions
                    .iter()
                    .filter(|a| a.indicators.contains(&f.node_id))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}
