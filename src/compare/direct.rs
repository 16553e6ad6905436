//! Bringing a criterion's mean into a frame that scores that criterion directly (a model
//! with indicators compared with one whose criteria have none, e.g. across the 2025 reform).

use super::AssessmentScores;
use crate::assessment::{Marked, ScoreValue, summarize_values};
use crate::model::QualityModel;
use std::collections::HashMap;

/// For every criterion of `src` that has indicators and is paired with a criterion the
/// frame scores directly, the frame's value is the criterion's mean in the assessment (all
/// its indicators not relevant: not relevant), and the node is comparable.
pub(super) fn criterion_means<'f>(
    src: &QualityModel,
    frame: &'f QualityModel,
    a: &AssessmentScores,
    translate: &dyn Fn(&str) -> Option<String>,
    values: &mut HashMap<&'f str, Marked>,
    comparable: &mut Vec<String>,
) {
    let own: HashMap<&str, ScoreValue> = a.values.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let summary = summarize_values(src, &own);
    let criteria = src.themes.iter().flat_map(|t| &t.criteria);
    let means = summary.themes.iter().flat_map(|t| &t.criteria);
    for (c, cs) in criteria.zip(means) {
        if c.scored_directly {
            continue;
        }
        let Some(r) = translate(&c.id).and_then(|t| frame.indicator(&t)) else {
            continue;
        };
        if !r.criterion.scored_directly {
            continue;
        }
        comparable.push(r.indicator.id.clone());
        let all_not_relevant = cs.total > 0 && cs.not_relevant == cs.total;
        if cs.mean.is_some() || all_not_relevant {
            values.insert(
                r.indicator.id.as_str(),
                Marked {
                    value: cs.mean,
                    carried_over: false,
                },
            );
        }
    }
}

/// The other way: every criterion `src` scores directly that is paired with a criterion of
/// the frame that has indicators (the reform's model seen in the 2017 frame). The value goes
/// in under the frame criterion's id, and the frame is returned with those criteria scored
/// directly, so that the criterion's mean is that value and its theme counts it once, as
/// the source does; the frame's indicators under it stay not comparable. `None`: no such pair.
pub(super) fn direct_into_criteria<'f>(
    src: &QualityModel,
    frame: &'f QualityModel,
    a: &AssessmentScores,
    translate: &dyn Fn(&str) -> Option<String>,
    values: &mut HashMap<&'f str, Marked>,
) -> Option<QualityModel> {
    let mut paired: Vec<&'f str> = Vec::new();
    for c in src.themes.iter().flat_map(|t| &t.criteria) {
        if !c.scored_directly {
            continue;
        }
        let Some(to) = translate(&c.id) else { continue };
        let Some(fc) = frame
            .themes
            .iter()
            .flat_map(|t| &t.criteria)
            .find(|fc| fc.id == to && !fc.scored_directly)
        else {
            continue;
        };
        paired.push(fc.id.as_str());
        if let Some((_, v)) = a.values.iter().find(|(id, _)| *id == c.id) {
            values.insert(
                fc.id.as_str(),
                Marked {
                    value: v.value().map(f64::from),
                    carried_over: false,
                },
            );
        }
    }
    if paired.is_empty() {
        return None;
    }
    let mut adapted = frame.clone();
    for c in adapted.themes.iter_mut().flat_map(|t| &mut t.criteria) {
        if paired.contains(&c.id.as_str()) {
            c.indicators = vec![crate::model::Indicator {
                id: c.id.clone(),
                text: c.text.clone(),
                applies_only_to: Vec::new(),
                not_for: Vec::new(),
            }];
            c.scored_directly = true;
        }
    }
    Some(adapted)
}
