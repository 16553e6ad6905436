use super::*;
use crate::model::bundled_models;
use proptest::prelude::*;

fn score(id: &str, value: ScoreValue) -> Score {
    Score {
        indicator_id: id.into(),
        value,
        reasoning: "r".into(),
        sources: String::new(),
        by: "t".into(),
        at: chrono::DateTime::UNIX_EPOCH,
        carried_over: false,
    }
}

#[test]
fn criterion_and_theme_means_are_unweighted_and_skip_not_relevant() {
    let model = &bundled_models()[0];
    // K8: 8a=4, 8b=2, 8c not relevant -> 3.0; K9: 9a=5 -> 5.0; theme 4 -> 4.0
    let scores = vec![
        score("8a", ScoreValue::Scored(4)),
        score("8b", ScoreValue::Scored(2)),
        score("8c", ScoreValue::NotRelevant),
        score("9a", ScoreValue::Scored(5)),
    ];
    let s = summarize(model, &scores);
    let t4 = &s.themes[3];
    assert_eq!(t4.criteria[0].mean, Some(3.0));
    assert_eq!(t4.criteria[0].done, 3);
    assert_eq!(t4.criteria[0].not_relevant, 1);
    assert_eq!(t4.criteria[1].mean, Some(5.0));
    assert_eq!(t4.mean, Some(4.0));
    assert_eq!((t4.done, t4.total), (4, 6));
    assert_eq!((s.done, s.total), (4, 33));
    assert_eq!(s.overall_mean, Some(4.0));
    assert!(s.unscored.contains(&"9b".to_string()) && !s.unscored.contains(&"8c".to_string()));
    assert_eq!(s.themes[0].mean, None);
}

#[test]
fn a_criterion_with_only_not_relevant_indicators_has_no_mean() {
    let model = &bundled_models()[0];
    let s = summarize(
        model,
        &[
            score("7a", ScoreValue::NotRelevant),
            score("6a", ScoreValue::Scored(1)),
        ],
    );
    let t3 = &s.themes[2];
    let k7 = t3.criteria.iter().find(|c| c.id == "K7").unwrap();
    assert_eq!(k7.mean, None);
    assert_eq!(k7.done, 1);
    // theme 3 mean is K6's alone: the empty K7 does not pull it to 0
    assert_eq!(t3.mean, Some(1.0));
}

#[test]
fn scores_are_checked_against_model_and_scale() {
    let model = &bundled_models()[0];
    assert!(matches!(
        ScoreValue::from_input(Some(6), false, "1a"),
        Err(crate::Error::ScoreOutOfRange(6))
    ));
    assert!(matches!(
        ScoreValue::from_input(Some(0), false, "1a"),
        Err(crate::Error::ScoreOutOfRange(0))
    ));
    assert!(matches!(
        ScoreValue::from_input(None, false, "1a"),
        Err(crate::Error::ScoreMissing(_))
    ));
    assert_eq!(
        ScoreValue::from_input(None, true, "1a").unwrap(),
        ScoreValue::NotRelevant
    );
    let input = |id: &str, value, reasoning: Option<&str>| ScoreInput {
        indicator_id: id.into(),
        value,
        reasoning: reasoning.map(String::from),
        sources: None,
    };
    assert!(matches!(
        check_score(model, &input("99z", ScoreValue::Scored(3), None), None),
        Err(crate::Error::UnknownIndicator { .. })
    ));
    assert!(matches!(
        check_score(
            model,
            &input("2d", ScoreValue::NotRelevant, Some("  ")),
            None
        ),
        Err(crate::Error::ReasonRequired(_))
    ));
    // ids match case-insensitively and come back in the model's spelling
    let ok = check_score(model, &input("14C", ScoreValue::Scored(3), None), None).unwrap();
    assert_eq!(ok.indicator_id, "14c");
    // omitted texts keep what was saved
    let prev = Score {
        sources: "tilsynsrapport".into(),
        ..score("14c", ScoreValue::Scored(2))
    };
    let ok = check_score(
        model,
        &input("14c", ScoreValue::Scored(4), None),
        Some(&prev),
    )
    .unwrap();
    assert_eq!(ok.reasoning.as_deref(), Some("r"));
    assert_eq!(ok.sources.as_deref(), Some("tilsynsrapport"));
    // a saved reason lets an indicator become not relevant without typing it again
    assert!(
        check_score(
            model,
            &input("14c", ScoreValue::NotRelevant, None),
            Some(&prev)
        )
        .is_ok()
    );
}

fn arb_scores() -> impl Strategy<Value = Vec<Option<ScoreValue>>> {
    let one = prop_oneof![
        Just(None),
        Just(Some(ScoreValue::NotRelevant)),
        (1u8..=5).prop_map(|v| Some(ScoreValue::Scored(v))),
    ];
    proptest::collection::vec(one, 33)
}

proptest! {
    #[test]
    fn means_stay_on_the_scale_and_progress_adds_up(values in arb_scores(), which in 0usize..2) {
        let model = &bundled_models()[which];
        let scores: Vec<Score> = model
            .indicators()
            .zip(values.iter())
            .filter_map(|(r, v)| v.map(|v| score(&r.indicator.id, v)))
            .collect();
        let s = summarize(model, &scores);
        prop_assert_eq!(s.done, scores.len());
        prop_assert_eq!(s.done + s.unscored.len(), s.total);
        for t in &s.themes {
            for m in t.criteria.iter().map(|c| c.mean).chain([t.mean, s.overall_mean]).flatten() {
                prop_assert!((1.0..=5.0).contains(&m), "mean {} off the scale", m);
            }
            for c in &t.criteria {
                // a criterion has a mean exactly when one of its indicators has a number
                let crit = model.themes.iter().flat_map(|t| &t.criteria).find(|k| k.id == c.id).unwrap();
                let numeric = crit.indicators.iter().any(|i| scores.iter().any(|s| s.indicator_id == i.id && s.value.value().is_some()));
                prop_assert_eq!(c.mean.is_some(), numeric);
            }
            prop_assert_eq!(t.mean.is_some(), t.criteria.iter().any(|c| c.mean.is_some()));
        }
    }
}

#[test]
fn quality_checks_find_each_kind_and_blocking_ones_stop_sign_off() {
    let model = &bundled_models()[1];
    let mut scores: Vec<Score> = model
        .indicators()
        .map(|r| Score {
            sources: "kilde".into(),
            ..score(&r.indicator.id, ScoreValue::Scored(3))
        })
        .collect();
    scores.retain(|s| s.indicator_id != "1a");
    scores
        .iter_mut()
        .find(|s| s.indicator_id == "1b")
        .unwrap()
        .reasoning
        .clear();
    let s = scores.iter_mut().find(|s| s.indicator_id == "1c").unwrap();
    s.value = ScoreValue::Scored(5);
    s.sources.clear();
    scores
        .iter_mut()
        .find(|s| s.indicator_id == "2a")
        .unwrap()
        .carried_over = true;
    let s = scores.iter_mut().find(|s| s.indicator_id == "2b").unwrap();
    s.value = ScoreValue::NotRelevant;
    s.reasoning.clear();
    // a 4 with a source and reasoning is fine
    let s = scores.iter_mut().find(|s| s.indicator_id == "2c").unwrap();
    s.value = ScoreValue::Scored(4);
    let found: Vec<(String, QualityIssueKind)> = quality_checks(model, &scores)
        .into_iter()
        .map(|i| (i.indicator_id, i.kind))
        .collect();
    use QualityIssueKind::*;
    assert_eq!(
        found,
        vec![
            ("1a".into(), Unscored),
            ("1b".into(), NoReasoning),
            ("1c".into(), HighScoreWithoutSource),
            ("2a".into(), NotReassessed),
            ("2b".into(), NotRelevantWithoutReason),
        ]
    );
    let blocking: Vec<String> = blocking(model, &scores)
        .into_iter()
        .map(|i| i.indicator_id)
        .collect();
    assert_eq!(blocking, ["1a", "2a"]);
}

#[test]
fn scores_map_across_model_versions_through_the_mapping() {
    let models = bundled_models();
    let mapping = &crate::model::bundled_mappings(&models)[0];
    let old = vec![
        score("14a", ScoreValue::Scored(2)),
        score("11a", ScoreValue::Scored(5)),
        score("6b", ScoreValue::Scored(4)),
    ];
    let mapped = map_scores(&models[0], &old, &models[1], Some(mapping));
    assert_eq!(mapped.len(), 2);
    assert_eq!(
        mapped["11a"].value,
        ScoreValue::Scored(2),
        "2014's 14a is 2017's 11a"
    );
    assert_eq!(mapped["6b"].value, ScoreValue::Scored(4));
    // 2014's 11a (Økonomi) has no counterpart, and nothing maps without a mapping
    assert!(map_scores(&models[0], &old, &models[1], None).is_empty());
    // backwards, too
    let new = vec![score("11c", ScoreValue::Scored(3))];
    let back = map_scores(&models[1], &new, &models[0], Some(mapping));
    assert_eq!(back["14c"].value, ScoreValue::Scored(3));
    // within one model, ids carry as they are
    assert_eq!(
        map_scores(&models[1], &new, &models[1], None)["11c"].value,
        ScoreValue::Scored(3)
    );
}
