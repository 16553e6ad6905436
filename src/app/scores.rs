//! Saving scores: the one write path every face takes (`score set`, `score apply`, the
//! terminal program). The rules are the core's (`assessment::check_write`, through
//! `check_score`), applied by the store inside the write transaction; this layer turns
//! what a face collected into a score input against the model's own scale, and checks a
//! batch before any of it is saved.

use super::Session;
use crate::assessment::{self, Scale, Score, ScoreInput, Status, mask_input};
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::backend::Backend;
use crate::store::{AssessmentRecord, Stamp};
use std::collections::HashMap;

/// A score as a face collects it: the value's two fields as typed, and the texts (`None`
/// keeps what is saved). Also one line of a `score apply` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    pub indicator: String,
    #[serde(default)]
    pub value: Option<i64>,
    #[serde(default)]
    pub not_relevant: bool,
    #[serde(default)]
    pub reasoning: Option<String>,
    #[serde(default)]
    pub sources: Option<String>,
}

impl ScoreRequest {
    /// The input for the store: the indicator in the model's spelling, the value checked
    /// against the model's scale, the texts masked where asked.
    pub fn input(self, model: &QualityModel, mask: bool) -> Result<ScoreInput> {
        let typed = self.indicator.trim();
        let Some(found) = model.indicator(typed) else {
            return Err(Error::UnknownIndicator {
                indicator: typed.to_string(),
                model: model.id.clone(),
            });
        };
        let indicator_id = found.indicator.id.clone();
        let value = match assessment::score_value(Scale::of(model), self.value, self.not_relevant) {
            Ok(v) => v,
            Err(problem) => {
                return Err(Error::ScoreRefused {
                    indicator: indicator_id,
                    problem,
                });
            }
        };
        let input = ScoreInput {
            indicator_id,
            value,
            reasoning: self.reasoning,
            sources: self.sources,
        };
        Ok(if mask { mask_input(&input) } else { input })
    }
}

/// Saves one score, committed with its audit row; returns the input as saved (masked
/// where asked) and the score.
pub fn save_score(
    s: &mut Session,
    a: &AssessmentRecord,
    request: ScoreRequest,
    mask: bool,
) -> Result<(ScoreInput, Score)> {
    let model = s.store.model_by_hash(&a.model_hash)?;
    let input = request.input(&model, mask)?;
    let saved = save_line(s, a.id, &input)?;
    Ok((input, saved))
}

/// Saves a score input now, committed with its audit row (a line of a checked batch).
pub fn save_line(s: &mut Session, assessment: i64, input: &ScoreInput) -> Result<Score> {
    let stamp = s.stamp();
    save_input(&mut *s.store, assessment, input, &stamp)
}

/// Saves a score input through the store's one write (the terminal program's save): the
/// rules are checked inside its transaction, against the score saved before.
pub fn save_input(
    store: &mut dyn Backend,
    assessment: i64,
    input: &ScoreInput,
    stamp: &Stamp,
) -> Result<Score> {
    store.set_score(assessment, input, stamp)
}

/// Reads a file of JSON lines (`score apply`) and checks every line, each against the
/// scores as the lines before it leave them; saves nothing. Returns each line's number
/// with its input, to be saved one by one (`save_line`).
pub fn check_batch(
    s: &Session,
    a: &AssessmentRecord,
    file: &str,
    text: &str,
    mask: bool,
) -> Result<Vec<(usize, ScoreInput)>> {
    if a.status == Status::Finalised {
        return Err(Error::Finalised(a.id));
    }
    let model = s.store.model_by_hash(&a.model_hash)?;
    let policy = s.store.write_policy()?;
    let mut current: HashMap<String, Score> = s
        .store
        .scores(a.id)?
        .into_iter()
        .map(|x| (x.indicator_id.clone(), x))
        .collect();
    let in_line = |line: usize, e: Error| Error::InLine {
        file: file.to_string(),
        line,
        source: Box::new(e),
    };
    let mut inputs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = i + 1;
        let checked = serde_json::from_str::<ScoreRequest>(raw)
            .map_err(|e| Error::definition(file, "$", e.to_string()))
            .and_then(|request| request.input(&model, mask))
            .and_then(|input| {
                let previous = current.get(&input.indicator_id);
                assessment::check_score(&model, &input, previous, policy).map(|c| (input, c))
            });
        let (input, checked) = checked.map_err(|e| in_line(line, e))?;
        // a later line of the same indicator sees the texts this one leaves
        current.insert(
            checked.indicator_id.clone(),
            Score {
                indicator_id: checked.indicator_id,
                value: checked.value,
                reasoning: checked.reasoning,
                sources: checked.sources,
                by: String::new(),
                at: chrono::DateTime::UNIX_EPOCH,
                carried_over: false,
            },
        );
        inputs.push((line, input));
    }
    Ok(inputs)
}

/// Confirms a score carried over from last year as re-assessed, unchanged; returns
/// whether there was anything to confirm.
pub fn confirm_score(s: &mut Session, assessment: i64, indicator: &str) -> Result<bool> {
    let stamp = s.stamp();
    s.store.confirm_score(assessment, indicator.trim(), &stamp)
}

/// Puts an indicator's score back as it was before a change (`None`: unscored), for undo
/// and redo; audited. The score put back passes the same checks as a save (the model's
/// scale, the not-relevant reason, the text limit, the personal-data policy).
pub fn restore_score(
    s: &mut Session,
    assessment: i64,
    indicator: &str,
    then: Option<&Score>,
) -> Result<()> {
    let a = s
        .store
        .assessment(&crate::store::AssessmentRef::Id(assessment))?;
    if a.status == Status::Finalised {
        return Err(Error::Finalised(a.id));
    }
    let model = s.store.model_by_hash(&a.model_hash)?;
    let policy = s.store.write_policy()?;
    match then {
        Some(t) => {
            let input = ScoreInput {
                indicator_id: indicator.to_string(),
                value: t.value,
                reasoning: Some(t.reasoning.clone()),
                sources: Some(t.sources.clone()),
            };
            assessment::check_score(&model, &input, None, policy)?;
        }
        // an unscored indicator has nothing to check but that the model has it
        None if model.indicator(indicator).is_none() => {
            return Err(Error::UnknownIndicator {
                indicator: indicator.to_string(),
                model: model.id.clone(),
            });
        }
        None => {}
    }
    let stamp = s.stamp();
    s.store.restore_score(assessment, indicator, then, &stamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{PersonalDataPolicy, ScoreProblem, ScoreValue};
    use crate::i18n::Lang;
    use crate::store::{AssessmentRef, NewFacility, Store};

    fn session() -> (Session, AssessmentRecord) {
        let stamp = Stamp {
            by: "t".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        let mut store = Store::open_in_memory(&stamp).unwrap();
        let f = store
            .add_facility(
                &NewFacility {
                    name: "Solhøj".into(),
                    ..Default::default()
                },
                &stamp,
            )
            .unwrap();
        let model = store.model_for_year(2026).unwrap();
        let a = store
            .start_assessment(&f, 2026, &model, false, &stamp)
            .unwrap();
        (Session::new(store, Lang::Da, "t".into()), a)
    }

    fn request(indicator: &str, value: Option<i64>, not_relevant: bool) -> ScoreRequest {
        ScoreRequest {
            indicator: indicator.into(),
            value,
            not_relevant,
            ..Default::default()
        }
    }

    fn problem(e: Error) -> ScoreProblem {
        match e {
            Error::ScoreRefused { problem, .. } => problem,
            Error::InLine { source, .. } => problem(*source),
            other => panic!("not a score rule: {other}"),
        }
    }

    /// Everything the store holds of the assessment: what "changes nothing" compares.
    fn state(s: &Session, a: i64) -> (Vec<Score>, usize) {
        let mut scores = s.store.scores(a).unwrap();
        scores.sort_by(|x, y| x.indicator_id.cmp(&y.indicator_id));
        (scores, s.store.audit_log(Some(a)).unwrap().len())
    }

    #[test]
    fn a_request_is_checked_against_the_models_scale_and_the_not_relevant_rules() {
        let (mut s, a) = session();
        let before = state(&s, a.id);
        for (req, expected) in [
            (
                request("1a", Some(0), false),
                ScoreProblem::OutOfScale {
                    value: 0,
                    min: 1,
                    max: 5,
                },
            ),
            (
                request("1a", Some(6), false),
                ScoreProblem::OutOfScale {
                    value: 6,
                    min: 1,
                    max: 5,
                },
            ),
            (
                request("1a", None, false),
                ScoreProblem::NoValue { min: 1, max: 5 },
            ),
            (request("1a", None, true), ScoreProblem::ReasonRequired),
            (
                ScoreRequest {
                    reasoning: Some("grund".into()),
                    ..request("1a", Some(3), true)
                },
                ScoreProblem::ValueAndNotRelevant,
            ),
        ] {
            let e = save_score(&mut s, &a, req.clone(), false).unwrap_err();
            assert_eq!(problem(e), expected, "{req:?}");
        }
        assert_eq!(state(&s, a.id), before);
        let (_, saved) = save_score(&mut s, &a, request("1A", Some(5), false), false).unwrap();
        assert_eq!(
            (saved.indicator_id.as_str(), saved.value),
            ("1a", ScoreValue::Scored(5))
        );
    }

    #[test]
    fn the_terminal_programs_save_refuses_the_same_inputs_and_changes_nothing() {
        let (mut s, a) = session();
        s.store.set_strict();
        let before = state(&s, a.id);
        let stamp = s.stamp();
        let input = |value, reasoning: &str, sources: Option<String>| ScoreInput {
            indicator_id: "1a".into(),
            value,
            reasoning: Some(reasoning.into()),
            sources,
        };
        let cases = [
            (input(ScoreValue::Scored(0), "r", None), "value"),
            (input(ScoreValue::Scored(6), "r", None), "value"),
            (input(ScoreValue::NotRelevant, " ", None), "reasoning"),
            (
                input(
                    ScoreValue::Scored(3),
                    &"a".repeat(assessment::MAX_TEXT + 1),
                    None,
                ),
                "reasoning",
            ),
            (
                input(
                    ScoreValue::Scored(3),
                    "r",
                    Some("æ".repeat(assessment::MAX_TEXT + 1)),
                ),
                "sources",
            ),
            (
                input(ScoreValue::Scored(3), "Borger 010190-1234", None),
                "reasoning",
            ),
        ];
        for (input, field) in cases {
            let e = save_input(&mut *s.store, a.id, &input, &stamp).unwrap_err();
            let line = e.localized(Lang::Da);
            assert!(
                line.starts_with("indikator 1a: ") && !line.contains('\n'),
                "{line}"
            );
            assert_eq!(problem(e).field(), field);
        }
        assert_eq!(state(&s, a.id), before);
        // at the limit is saved
        let at = input(
            ScoreValue::Scored(3),
            &"æ".repeat(assessment::MAX_TEXT),
            None,
        );
        save_input(&mut *s.store, a.id, &at, &stamp).unwrap();
        assert_eq!(s.store.write_policy().unwrap(), PersonalDataPolicy::Strict);
    }

    #[test]
    fn a_batch_is_checked_whole_and_each_line_sees_the_lines_before() {
        let (mut s, a) = session();
        // the reason given on line 1 lets line 2 mark the indicator not relevant
        let good = "{\"indicator\":\"2a\",\"value\":3,\"reasoning\":\"grund\"}\n\n{\"indicator\":\"2a\",\"not_relevant\":true}\n";
        let lines = check_batch(&s, &a, "in.jsonl", good, false).unwrap();
        assert_eq!(lines.iter().map(|l| l.0).collect::<Vec<_>>(), [1, 3]);
        // an empty reason on line 1 leaves line 2 without one
        let bad = "{\"indicator\":\"2a\",\"value\":3,\"reasoning\":\"\"}\n{\"indicator\":\"2a\",\"not_relevant\":true}\n";
        let e = check_batch(&s, &a, "in.jsonl", bad, false).unwrap_err();
        assert_eq!(
            e.localized(Lang::En),
            "in.jsonl:2: indicator 2a: \"not relevant\" needs a reason"
        );
        for (line, input) in &lines {
            save_line(&mut s, a.id, input).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
        let saved = s.store.scores(a.id).unwrap();
        let x = saved.iter().find(|x| x.indicator_id == "2a").unwrap();
        assert_eq!(
            (x.value, x.reasoning.as_str()),
            (ScoreValue::NotRelevant, "grund")
        );
        let finalised = AssessmentRecord {
            status: Status::Finalised,
            ..s.store.assessment(&AssessmentRef::Id(a.id)).unwrap()
        };
        assert!(matches!(
            check_batch(&s, &finalised, "in.jsonl", good, false),
            Err(Error::Finalised(_))
        ));
    }
}
