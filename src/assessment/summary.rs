//! Means and progress. A criterion's mean is the unweighted mean of its scored
//! indicators (the program's own aid); a theme's score follows the model's rule
//! (`theme_score`: the mean of all its scored indicators, or the mean of its criteria's
//! means); the overall score is the unweighted mean of the theme scores. "Not relevant" is
//! left out, and a node with nothing to average has no mean (never 0). A score carried
//! over from last year counts in the means but is not done until it is re-assessed.

use super::{Score, ScoreValue};
use crate::model::{QualityModel, ThemeScore};
use serde::Serialize;
use std::collections::HashMap;

/// A criterion's mean and progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionSummary {
    pub id: String,
    pub mean: Option<f64>,
    /// Indicators with a score or marked not relevant, and not merely carried over.
    pub done: usize,
    pub not_relevant: usize,
    /// Indicators whose score is carried over from last year and not re-assessed.
    pub carried_over: usize,
    pub total: usize,
}

/// A theme's score and progress, with its criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeSummary {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// The theme's score by the model's rule (`Summary::rule`).
    pub mean: Option<f64>,
    /// The mean of its criteria's means, whatever the rule (the program's own aid).
    pub criterion_mean: Option<f64>,
    pub done: usize,
    pub carried_over: usize,
    pub total: usize,
    pub criteria: Vec<CriterionSummary>,
}

/// The means and progress of a whole assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub themes: Vec<ThemeSummary>,
    /// The rule that produced the theme scores: the model's.
    pub rule: ThemeScore,
    /// The unweighted mean of the theme scores.
    pub overall_mean: Option<f64>,
    /// Indicators scored or marked not relevant and re-assessed where carried over.
    pub done: usize,
    pub total: usize,
    pub unscored: Vec<String>,
    /// Indicators carried over from last year and not yet re-assessed, in model order.
    pub not_reassessed: Vec<String>,
}

impl Summary {
    /// Progress in whole per cent (rounded down, so 29 of 30 is never 100 %).
    pub fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// Which rule produced the theme scores, in one line for summaries and reports.
pub fn rule_line(rule: ThemeScore, lang: crate::i18n::Lang) -> String {
    let aid = match rule {
        ThemeScore::IndicatorMean => lang.pick(
            "; kriteriernes gennemsnit er programmets eget hjælpetal",
            "; the criterion means are the program's own aid",
        ),
        ThemeScore::CriterionMean => "",
    };
    crate::tr!(
        lang,
        "Regel: {} (modellens theme_score {}){aid}",
        "Rule: {} (the model's theme_score {}){aid}",
        rule.describe(lang),
        rule.name()
    )
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// A scored item's value as the means see it: a number (`None` = not relevant), and
/// whether it is carried over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marked {
    pub value: Option<f64>,
    pub carried_over: bool,
}

impl Marked {
    fn of(v: ScoreValue, carried_over: bool) -> Marked {
        Marked {
            value: v.value().map(f64::from),
            carried_over,
        }
    }
}

/// Computes the means and progress of an assessment's scores on its model.
pub fn summarize(model: &QualityModel, scores: &[Score]) -> Summary {
    let by_id: HashMap<&str, Marked> = scores
        .iter()
        .map(|s| (s.indicator_id.as_str(), Marked::of(s.value, s.carried_over)))
        .collect();
    summarize_numbers(model, &by_id)
}

/// The same, from the values by indicator id (no score texts needed; none carried over).
pub fn summarize_values(model: &QualityModel, by_id: &HashMap<&str, ScoreValue>) -> Summary {
    let marked: HashMap<&str, Marked> = by_id
        .iter()
        .map(|(k, v)| (*k, Marked::of(*v, false)))
        .collect();
    summarize_numbers(model, &marked)
}

/// The same, from the values by indicator id, each marked whether it is carried over.
pub fn summarize_marked(
    model: &QualityModel,
    by_id: &HashMap<&str, (ScoreValue, bool)>,
) -> Summary {
    let marked: HashMap<&str, Marked> = by_id
        .iter()
        .map(|(k, (v, c))| (*k, Marked::of(*v, *c)))
        .collect();
    summarize_numbers(model, &marked)
}

/// The same, from numbers by indicator id: a comparison across model versions brings in
/// a criterion's mean where the frame scores that criterion directly.
pub fn summarize_numbers(model: &QualityModel, by_id: &HashMap<&str, Marked>) -> Summary {
    let rule = model.theme_score();
    let mut unscored = Vec::new();
    let mut not_reassessed = Vec::new();
    let themes: Vec<ThemeSummary> = model
        .themes
        .iter()
        .map(|theme| {
            // the theme's scored, relevant values, for the indicator-mean rule
            let mut numbers: Vec<f64> = Vec::new();
            let criteria: Vec<CriterionSummary> = theme
                .criteria
                .iter()
                .map(|c| {
                    let marked: Vec<Option<Marked>> = c
                        .indicators
                        .iter()
                        .map(|i| by_id.get(i.id.as_str()).copied())
                        .collect();
                    for (i, v) in c.indicators.iter().zip(&marked) {
                        match v {
                            None => unscored.push(i.id.clone()),
                            Some(m) if m.carried_over => not_reassessed.push(i.id.clone()),
                            Some(_) => {}
                        }
                    }
                    let carried_over = marked.iter().flatten().filter(|m| m.carried_over).count();
                    let present = marked.iter().flatten().count();
                    let values: Vec<f64> =
                        marked.iter().flatten().filter_map(|m| m.value).collect();
                    numbers.extend(&values);
                    CriterionSummary {
                        id: c.id.clone(),
                        mean: mean(values.iter().copied()),
                        done: present - carried_over,
                        carried_over,
                        not_relevant: present - values.len(),
                        total: marked.len(),
                    }
                })
                .collect();
            let criterion_mean = mean(criteria.iter().filter_map(|c| c.mean));
            ThemeSummary {
                id: theme.id.clone(),
                number: theme.number,
                title: theme.title.da.clone(),
                mean: match rule {
                    ThemeScore::IndicatorMean => mean(numbers.into_iter()),
                    ThemeScore::CriterionMean => criterion_mean,
                },
                criterion_mean,
                done: criteria.iter().map(|c| c.done).sum(),
                carried_over: criteria.iter().map(|c| c.carried_over).sum(),
                total: criteria.iter().map(|c| c.total).sum(),
                criteria,
            }
        })
        .collect();
    Summary {
        rule,
        overall_mean: mean(themes.iter().filter_map(|t| t.mean)),
        done: themes.iter().map(|t| t.done).sum(),
        total: themes.iter().map(|t| t.total).sum(),
        themes,
        unscored,
        not_reassessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bundled_models;

    fn score(id: &str, v: u8, carried_over: bool) -> Score {
        Score {
            indicator_id: id.into(),
            value: ScoreValue::Scored(v),
            reasoning: "r".into(),
            sources: String::new(),
            by: "t".into(),
            at: chrono::DateTime::UNIX_EPOCH,
            carried_over,
        }
    }

    /// Theme R1: criterion A with 1 indicator, B with 2, C with 3; theme R2: D scored
    /// directly, E with 2 indicators (one not relevant).
    fn rules_model(rule: &str) -> QualityModel {
        let t = |s: &str| format!(r#"{{"da": "{s}", "en": "{s}", "wording": "reconstructed"}}"#);
        let ind = |id: &str| format!(r#"{{"id": "{id}", "text": {}}}"#, t(id));
        let crit = |id: &str, inds: &[&str]| {
            let list: Vec<String> = inds.iter().map(|i| ind(i)).collect();
            format!(
                r#"{{"id": "{id}", "text": {}, "indicators": [{}]}}"#,
                t(id),
                list.join(",")
            )
        };
        let scale: Vec<String> = (1..=5)
            .map(|v| format!(r#"{{"value": {v}, "label": {}}}"#, t(&v.to_string())))
            .collect();
        let rule = if rule.is_empty() {
            String::new()
        } else {
            format!(r#""theme_score": "{rule}","#)
        };
        let json = format!(
            r#"{{"format": "tilsynsklar-model/1", "id": "rules", "name": {{"da": "r", "en": "r"}},
            "source": "test", {rule} "scale": [{}], "themes": [
            {{"id": "R1", "number": 1, "title": {}, "criteria": [{}, {}, {}]}},
            {{"id": "R2", "number": 2, "title": {}, "criteria": [{}, {}]}}]}}"#,
            scale.join(","),
            t("R1"),
            crit("A", &["a1"]),
            crit("B", &["b1", "b2"]),
            crit("C", &["c1", "c2", "c3"]),
            t("R2"),
            crit("D", &[]),
            crit("E", &["e1", "e2"]),
        );
        QualityModel::parse("rules.json", &json).unwrap()
    }

    fn rules_scores() -> Vec<Score> {
        let mut list: Vec<Score> = [
            ("a1", 4),
            ("b1", 2),
            ("b2", 3),
            ("c1", 5),
            ("c2", 5),
            ("c3", 5),
            ("D", 3),
            ("e2", 1),
        ]
        .iter()
        .map(|(id, v)| score(id, *v, false))
        .collect();
        list.push(Score {
            value: ScoreValue::NotRelevant,
            ..score("e1", 1, false)
        });
        list
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn the_indicator_mean_rule_averages_every_scored_indicator_of_a_theme() {
        let s = summarize(&rules_model("indicator_mean"), &rules_scores());
        assert_eq!(s.rule, ThemeScore::IndicatorMean);
        // R1: (4 + 2 + 3 + 5 + 5 + 5) / 6 = 24 / 6
        assert!(close(s.themes[0].mean, 4.0), "{:?}", s.themes[0].mean);
        // the criteria's means stay shown: A 4, B 2.5, C 5, and their mean 11.5 / 3
        let c: Vec<Option<f64>> = s.themes[0].criteria.iter().map(|c| c.mean).collect();
        assert_eq!(c, [Some(4.0), Some(2.5), Some(5.0)]);
        assert!(close(s.themes[0].criterion_mean, 11.5 / 3.0));
        // R2: D (scored directly) 3 and e2 1, e1 not relevant: (3 + 1) / 2
        assert!(close(s.themes[1].mean, 2.0));
        assert_eq!(s.themes[1].criteria[1].not_relevant, 1);
        // overall = mean of the theme scores: (4 + 2) / 2
        assert!(close(s.overall_mean, 3.0));
        assert_eq!((s.done, s.total), (9, 9));
    }

    #[test]
    fn the_criterion_mean_rule_averages_the_criteria_and_is_the_default() {
        for rule in ["criterion_mean", ""] {
            let s = summarize(&rules_model(rule), &rules_scores());
            assert_eq!(s.rule, ThemeScore::CriterionMean);
            // R1: (4 + 2.5 + 5) / 3
            assert!(
                close(s.themes[0].mean, 11.5 / 3.0),
                "{:?}",
                s.themes[0].mean
            );
            assert_eq!(s.themes[0].mean, s.themes[0].criterion_mean);
            // R2: (3 + 1) / 2
            assert!(close(s.themes[1].mean, 2.0));
            // overall: (11.5 / 3 + 2) / 2
            assert!(close(s.overall_mean, (11.5 / 3.0 + 2.0) / 2.0));
        }
    }

    #[test]
    fn a_theme_with_nothing_scored_has_no_score_under_either_rule() {
        for rule in ["criterion_mean", "indicator_mean"] {
            let s = summarize(&rules_model(rule), &[score("a1", 2, false)]);
            assert!(close(s.themes[0].mean, 2.0));
            assert_eq!(s.themes[1].mean, None);
            assert!(close(s.overall_mean, 2.0));
        }
    }

    #[test]
    fn a_carried_over_score_counts_in_the_mean_but_is_not_done() {
        let model = &bundled_models()[1];
        let s = summarize(model, &[score("6a", 4, true), score("6b", 2, false)]);
        assert_eq!(s.done, 1);
        assert_eq!(s.not_reassessed, vec!["6a".to_string()]);
        assert!(!s.unscored.contains(&"6a".to_string()));
        let k6 = s
            .themes
            .iter()
            .flat_map(|t| &t.criteria)
            .find(|c| c.id == "K6")
            .unwrap();
        assert_eq!((k6.done, k6.carried_over, k6.mean), (1, 1, Some(3.0)));
        assert_eq!(s.percent(), 100 / s.total);
    }
}
