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
    // K8: 8a=4, 8b=2, 8c not relevant -> 3.0; K9: 9a=5 -> 5.0; theme 4 by its indicators
    // (the bundled models' rule) (4 + 2 + 5) / 3, by its criteria (3 + 5) / 2 = 4.0
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
    assert_eq!(t4.mean, Some(11.0 / 3.0));
    assert_eq!(t4.criterion_mean, Some(4.0));
    assert_eq!((t4.done, t4.total), (4, 6));
    assert_eq!((s.done, s.total), (4, 33));
    assert_eq!(s.overall_mean, Some(11.0 / 3.0));
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
    let warn = PersonalDataPolicy::Warn;
    let input = |id: &str, value, reasoning: Option<&str>| ScoreInput {
        indicator_id: id.into(),
        value,
        reasoning: reasoning.map(String::from),
        sources: None,
    };
    assert!(matches!(
        check_score(
            model,
            &input("99z", ScoreValue::Scored(3), None),
            None,
            warn
        ),
        Err(crate::Error::UnknownIndicator { .. })
    ));
    // the scale is the model's: a value a face let through is still refused
    assert!(matches!(
        check_score(model, &input("1a", ScoreValue::Scored(6), None), None, warn),
        Err(crate::Error::ScoreRefused {
            problem: ScoreProblem::OutOfScale { value: 6, .. },
            ..
        })
    ));
    assert!(matches!(
        check_score(
            model,
            &input("2d", ScoreValue::NotRelevant, Some("  ")),
            None,
            warn
        ),
        Err(crate::Error::ScoreRefused {
            problem: ScoreProblem::ReasonRequired,
            ..
        })
    ));
    // ids match case-insensitively and come back in the model's spelling
    let ok = check_score(
        model,
        &input("14C", ScoreValue::Scored(3), None),
        None,
        warn,
    )
    .unwrap();
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
        warn,
    )
    .unwrap();
    assert_eq!(ok.reasoning, "r");
    assert_eq!(ok.sources, "tilsynsrapport");
    // a saved reason lets an indicator become not relevant without typing it again
    assert!(
        check_score(
            model,
            &input("14c", ScoreValue::NotRelevant, None),
            Some(&prev),
            warn
        )
        .is_ok()
    );
    // under strict, a saved text is not scanned again, a new one is
    let old = Score {
        reasoning: "Borger 010190-1234".into(),
        ..prev.clone()
    };
    let strict = PersonalDataPolicy::Strict;
    let value_only = input("14c", ScoreValue::Scored(4), None);
    assert!(check_score(model, &value_only, Some(&old), strict).is_ok());
    let typed = input("14c", ScoreValue::Scored(4), Some("ring 23 45 67 89"));
    assert!(check_score(model, &typed, Some(&old), strict).is_err());
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

#[test]
fn gap_classification_at_every_boundary() {
    let r = GapRules::default();
    assert_eq!(r.classify_score(1), Some(GapKind::Gap));
    assert_eq!(r.classify_score(2), Some(GapKind::Gap));
    assert_eq!(r.classify_score(3), Some(GapKind::Watch));
    assert_eq!(r.classify_score(4), None);
    assert_eq!(r.classify_mean(2.94, false), Some(GapKind::Gap));
    assert_eq!(
        r.classify_mean(2.958, false),
        None,
        "2.958 is shown as 3,0 and so is not under 3,0"
    );
    assert_eq!(
        r.classify_mean(3.0, false),
        None,
        "a criterion at 3.0 is not a gap"
    );
    assert_eq!(
        r.classify_mean(3.94, false),
        None,
        "the 4 bar is for themes"
    );
    assert_eq!(r.classify_mean(2.94, true), Some(GapKind::Gap));
    assert_eq!(r.classify_mean(3.0, true), Some(GapKind::BelowBar));
    assert_eq!(r.classify_mean(3.94, true), Some(GapKind::BelowBar));
    assert_eq!(r.classify_mean(3.96, true), None, "shown as 4,0");
    assert_eq!(r.classify_mean(4.0, true), None);
}

#[test]
fn gaps_of_an_assessment_leave_out_not_relevant_and_list_unscored_as_incomplete() {
    let model = &bundled_models()[1];
    // K8: 8a=2, 8b=3, 8c not relevant -> mean 2.5 (gap); K9: 9a=4 9b=4 9c=4 -> 4.0; theme 5
    // by its indicators (2 + 3 + 4 + 4 + 4) / 5 = 3.4 (below bar)
    let scores = vec![
        score("8a", ScoreValue::Scored(2)),
        score("8b", ScoreValue::Scored(3)),
        score("8c", ScoreValue::NotRelevant),
        score("9a", ScoreValue::Scored(4)),
        score("9b", ScoreValue::Scored(4)),
        score("9c", ScoreValue::Scored(4)),
        score("10a", ScoreValue::Scored(4)),
        score("10b", ScoreValue::Scored(4)),
    ];
    let report = find_gaps(model, &scores, &GapRules::default());
    let found: Vec<(Level, &str, GapKind)> = report
        .findings
        .iter()
        .map(|f| (f.level, f.node_id.as_str(), f.kind))
        .collect();
    assert_eq!(
        found,
        vec![
            (Level::Theme, "T5", GapKind::BelowBar),
            (Level::Criterion, "K8", GapKind::Gap),
            (Level::Indicator, "8a", GapKind::Gap),
            (Level::Indicator, "8b", GapKind::Watch),
        ]
    );
    assert_eq!(report.findings[0].value, 3.4);
    assert!(
        report.incomplete.contains(&"1a".to_string())
            && !report.incomplete.contains(&"8c".to_string())
    );
    // a stricter database: 3 is a gap too
    let mut strict = GapRules::default();
    strict.set("indicator_watch_max", "4").unwrap();
    strict.set("indicator_gap_max", "3").unwrap();
    let report = find_gaps(model, &scores, &strict);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.node_id == "8b" && f.kind == GapKind::Gap)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.node_id == "10a" && f.kind == GapKind::Watch)
    );
    assert!(
        strict.set("indicator_gap_max", "5").is_err(),
        "watch below gap is refused"
    );
    assert!(strict.set("theme_bar", "seks").is_err());
    assert!(strict.set("nope", "1").is_err());
}

#[test]
fn links_resolve_most_specific_first_and_across_model_versions() {
    let models = bundled_models();
    let mapping = crate::model::bundled_mappings(&models).remove(0);
    let strategies = crate::strategy::bundled_strategies(&models);
    let rm = strategies[0].clone();
    // on the 2014 model: 3b has its own links (RM-08, RM-09); its criterion K3 none; theme T3 none
    let on_2014 = vec![(rm.clone(), None)];
    let plans = linked_plans(&models[0], "3b", &on_2014);
    let targets: Vec<(&str, Level)> = plans
        .iter()
        .map(|p| (p.target_id.as_str(), p.via_level))
        .collect();
    assert_eq!(
        targets,
        vec![("RM-08", Level::Indicator), ("RM-09", Level::Indicator)]
    );
    assert_eq!(plans[1].basis, crate::strategy::Basis::Seed);
    // 6a: no indicator link; K6 links RM-02 and RM-03
    let plans = linked_plans(&models[0], "6a", &on_2014);
    assert_eq!(
        plans
            .iter()
            .map(|p| (p.target_id.as_str(), p.via.as_str()))
            .collect::<Vec<_>>(),
        vec![("RM-02", "K6"), ("RM-03", "K6")]
    );
    // an indicator link comes before its theme's: add one on 2c and see it lead T2's RM-11
    let mut local = rm.clone();
    local.links.push(crate::strategy::Link {
        node: "2c".into(),
        target: "RM-12".into(),
        basis: crate::strategy::Basis::Local,
        note: None,
    });
    let plans = linked_plans(&models[0], "2c", &[(local, None)]);
    assert_eq!(
        plans
            .iter()
            .map(|p| (p.target_id.as_str(), p.via_level))
            .collect::<Vec<_>>(),
        vec![("RM-12", Level::Indicator), ("RM-11", Level::Theme)]
    );
    // a 2017 assessment reads the 2014 strategy through the mapping: 2017's T5 is 2014's T4
    let across = vec![(rm, Some(mapping))];
    let plans = linked_plans(&models[1], "8b", &across);
    assert_eq!(
        plans
            .iter()
            .map(|p| p.target_id.as_str())
            .collect::<Vec<_>>(),
        vec!["RM-01", "RM-10"]
    );
    assert_eq!(plans[0].via, "T5");
    // Fysiske rammer: nothing linked
    assert!(linked_plans(&models[1], "11a", &across).is_empty());
}

#[test]
fn follow_up_classifies_last_years_gaps() {
    let model = &bundled_models()[1];
    let rules = GapRules::default();
    let last: Vec<(&str, ScoreValue)> = vec![
        ("1a", ScoreValue::Scored(2)),
        ("1b", ScoreValue::Scored(2)),
        ("1c", ScoreValue::Scored(2)),
        ("2a", ScoreValue::Scored(1)),
        ("2b", ScoreValue::Scored(2)),
        ("2c", ScoreValue::Scored(4)),
        ("3a", ScoreValue::Scored(1)),
    ];
    let carried = Score {
        carried_over: true,
        ..score("3a", ScoreValue::Scored(1))
    };
    let now = vec![
        score("1a", ScoreValue::Scored(3)),
        score("1b", ScoreValue::Scored(2)),
        score("1c", ScoreValue::Scored(1)),
        score("2a", ScoreValue::Scored(1)),
        score("2b", ScoreValue::NotRelevant),
        score("2c", ScoreValue::Scored(1)),
        carried,
    ];
    let result = follow_up(model, &last, &now, &rules);
    let f: Vec<(&str, Outcome)> = result
        .iter()
        .map(|f| (f.indicator_id.as_str(), f.outcome))
        .collect();
    assert_eq!(
        f,
        vec![
            ("1a", Outcome::Closed),
            ("1b", Outcome::Persists),
            ("1c", Outcome::Worse),
            ("2a", Outcome::Persists),
            ("2b", Outcome::NotComparable),
            ("3a", Outcome::Pending),
        ],
        "2c was no gap last year and is not followed up"
    );
}

#[test]
fn dates_are_read_in_iso_and_danish_order() {
    let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    assert_eq!(parse_date("2026-03-31"), Some(d));
    assert_eq!(parse_date("31-03-2026"), Some(d));
    assert_eq!(parse_date(" 31.03.2026 "), Some(d));
    assert_eq!(parse_date("31/03/2026"), Some(d));
    assert_eq!(parse_date("2026-02-30"), None);
    assert_eq!(parse_date("31-03-26"), None);
    assert_eq!(parse_date("i morgen"), None);
}

#[test]
fn closed_actions_do_not_change_and_dropping_needs_a_reason() {
    use ActionStatus::*;
    assert!(check_transition(1, Planned, InProgress, None).is_ok());
    assert!(check_transition(1, InProgress, Done, None).is_ok());
    assert!(check_transition(1, Planned, Dropped, Some("Ikke længere relevant")).is_ok());
    assert!(matches!(
        check_transition(1, Planned, Dropped, Some(" ")),
        Err(crate::Error::Empty(_))
    ));
    assert!(matches!(
        check_transition(1, Done, InProgress, None),
        Err(crate::Error::ActionClosed { .. })
    ));
    assert!(matches!(
        check_transition(1, Dropped, Dropped, Some("x")),
        Err(crate::Error::ActionClosed { .. })
    ));
}

#[path = "gap_tests.rs"]
mod gap_tests;
