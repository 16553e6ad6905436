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
