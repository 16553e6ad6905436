//! The gap rules' setter, their resolution per model, and the link lookup across model
//! versions, pinned down (`cargo mutants --file src/assessment/gaps.rs`).

use super::*;
use crate::model::{QualityModel, bundled_mappings, bundled_models};
use crate::strategy::{Basis, Link, Strategy, bundled_strategies};

fn fields(r: &GapRules) -> (u8, u8, f64, f64) {
    (
        r.indicator_gap_max,
        r.indicator_watch_max,
        r.mean_gap_below,
        r.theme_bar,
    )
}

#[test]
fn each_rule_is_set_by_its_own_name_within_the_scale() {
    let mut r = GapRules::default();
    r.set("indicator_watch_max", "4").unwrap();
    assert_eq!(fields(&r), (2, 4, 3.0, 4.0));
    r.set("indicator_gap_max", "4").unwrap();
    assert_eq!(fields(&r), (4, 4, 3.0, 4.0), "watch may equal gap");
    r.set("mean_gap_below", " 2,5 ").unwrap();
    assert_eq!(fields(&r), (4, 4, 2.5, 4.0));
    r.set("theme_bar", "3.5").unwrap();
    assert_eq!(fields(&r), (4, 4, 2.5, 3.5));
    let before = r;
    // the bounds are the scale's: 1 and 5 are in, 0 and 6 are out
    for (name, bad) in [
        ("indicator_gap_max", "0"),
        ("indicator_watch_max", "6"),
        ("mean_gap_below", "0.99"),
        ("theme_bar", "5.01"),
        ("theme_bar", "x"),
        ("indicator_gap_max", "2.5"),
    ] {
        let err = r.set(name, bad).unwrap_err();
        assert!(err.starts_with(name) && err.contains("1 to 5"), "{err}");
    }
    for (name, good) in [("mean_gap_below", "1"), ("theme_bar", "5")] {
        let mut t = r;
        t.set(name, good).unwrap();
    }
    let mut t = r;
    t.set("indicator_watch_max", "5").unwrap();
    t.set("indicator_gap_max", "5").unwrap();
    let mut t = GapRules::default();
    t.set("indicator_gap_max", "1").unwrap();
    assert_eq!(t.indicator_gap_max, 1);
    // watch below gap is refused and changes nothing
    let err = r.set("indicator_watch_max", "3").unwrap_err();
    assert!(err.contains("must not be below"), "{err}");
    assert!(r.set("colour", "red").unwrap_err().contains("unknown rule"));
    assert_eq!(r, before);
}

/// The 0–3 model of `model::tests` (framework "sikkerhed", defaults 0 / 1 / 1.5 / 2.5).
fn shaped() -> QualityModel {
    QualityModel::parse("shaped.json", crate::model::SHAPED_FOR_TESTS).unwrap()
}

#[test]
fn the_rules_for_a_model_are_its_own_and_the_databases_where_they_fit() {
    let socialtilsyn = &bundled_models()[1];
    // nothing set: the model's defaults
    assert_eq!(
        GapRules::default().for_model(socialtilsyn),
        GapRules::default()
    );
    let s = shaped();
    let own = GapRules::default().for_model(&s);
    assert_eq!(fields(&own), (0, 1, 1.5, 2.5));
    // on its scale 0 is a score and 3 the highest
    let mut on_scale = own;
    on_scale.set("indicator_gap_max", "0").unwrap();
    assert!(on_scale.set("indicator_watch_max", "4").is_err());
    on_scale.set("mean_gap_below", "0").unwrap();
    // what a database set applies to the socialtilsyn models, one rule at a time
    let mut db = GapRules::default();
    db.set("theme_bar", "3.5").unwrap();
    let mut copy = socialtilsyn.clone();
    copy.gap_defaults = Some(crate::model::GapDefaults {
        indicator_gap_max: 1,
        indicator_watch_max: 2,
        mean_gap_below: 2.0,
        theme_bar: 3.0,
    });
    assert_eq!(fields(&db.for_model(&copy)), (1, 2, 2.0, 3.5));
    // both limits raised above the model's watch: the order keeps them coherent
    let mut high = GapRules::default();
    high.set("indicator_watch_max", "5").unwrap();
    high.set("indicator_gap_max", "4").unwrap();
    assert_eq!(fields(&high.for_model(socialtilsyn)), (4, 5, 3.0, 4.0));
    assert_eq!(fields(&high.for_model(&copy)), (4, 5, 2.0, 3.0));
    let mut low = GapRules::default();
    low.set("indicator_gap_max", "1").unwrap();
    low.set("indicator_watch_max", "1").unwrap();
    assert_eq!(fields(&low.for_model(&copy)), (1, 1, 2.0, 3.0));
    // a model of another framework keeps its own rules whatever the database set
    assert_eq!(fields(&high.for_model(&s)), (0, 1, 1.5, 2.5));
    // and a rule set off this model's scale keeps the model's default
    let mut third = s.clone();
    third.framework = None;
    assert_eq!(fields(&high.for_model(&third)), (0, 1, 1.5, 2.5));
    let mut fits = GapRules::default();
    fits.set("indicator_watch_max", "3").unwrap();
    fits.set("mean_gap_below", "2").unwrap();
    assert_eq!(fields(&fits.for_model(&third)), (0, 3, 2.0, 2.5));
    // resolving twice is resolving once
    assert_eq!(
        fits.for_model(&third).for_model(&third),
        fits.for_model(&third)
    );
}

#[test]
fn findings_follow_the_models_rules_and_actions_attach_to_scored_items() {
    let s = shaped();
    let score = |id: &str, v: u8| Score {
        indicator_id: id.into(),
        value: ScoreValue::Scored(v),
        reasoning: String::new(),
        sources: String::new(),
        by: String::new(),
        at: chrono::DateTime::UNIX_EPOCH,
        carried_over: false,
    };
    // 1.1 is scored directly: 0 a gap; 1.2a: 1 watch
    let report = find_gaps(
        &s,
        &[score("1.1", 0), score("1.2a", 1)],
        &GapRules::default(),
    );
    let found: Vec<(Level, &str, GapKind)> = report
        .findings
        .iter()
        .map(|f| (f.level, f.node_id.as_str(), f.kind))
        .collect();
    assert_eq!(
        found,
        vec![
            (Level::Theme, "O1", GapKind::Gap),
            (Level::Criterion, "1.1", GapKind::Gap),
            (Level::Indicator, "1.1", GapKind::Gap),
            (Level::Criterion, "1.2", GapKind::Gap),
            (Level::Indicator, "1.2a", GapKind::Watch),
        ]
    );
    assert_eq!(report.rules.indicator_gap_max, 0);
    assert_eq!(report.findings[2].value_text(crate::i18n::Lang::Da), "0");
    assert_eq!(report.findings[0].value_text(crate::i18n::Lang::Da), "0,5");
    // an action naming the directly scored criterion belongs to its score's finding only
    let action = ImprovementAction {
        id: 1,
        assessment_id: 1,
        facility: "F".into(),
        year: 2026,
        text: "t".into(),
        indicators: vec!["1.1".into()],
        strategy_id: None,
        action_plan: None,
        owner: String::new(),
        due: None,
        status: ActionStatus::Planned,
        drop_reason: None,
        created_by: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
    };
    let entries = gap_entries(&s, &report, &[], &[action]);
    let with: Vec<(Level, &str)> = entries
        .iter()
        .filter(|e| !e.actions.is_empty())
        .map(|e| (e.finding.level, e.finding.node_id.as_str()))
        .collect();
    assert_eq!(with, vec![(Level::Indicator, "1.1")]);
}

#[test]
fn the_rules_are_explained_with_the_watch_line_only_where_there_is_room() {
    let lines = GapRules::default().explain(crate::i18n::Lang::En);
    assert!(lines[1].contains("scored 3 to 3"), "{}", lines[1]);
    let mut r = GapRules::default();
    r.set("indicator_watch_max", "2").unwrap();
    let fewer = r.explain(crate::i18n::Lang::En);
    assert_eq!(fewer.len() + 1, lines.len());
    assert!(!fewer.iter().any(|l| l.contains("\"watch\"")));
}

fn link(node: &str, target: &str) -> Link {
    Link {
        node: node.into(),
        target: target.into(),
        basis: Basis::Local,
        note: None,
    }
}

fn with_links(base: &Strategy, id: &str, model: &str, links: Vec<Link>) -> Strategy {
    let mut s = base.clone();
    s.id = id.into();
    s.model = model.into();
    s.links = links;
    s
}

fn listed(plans: &[LinkedPlan]) -> Vec<(String, String, String)> {
    plans
        .iter()
        .map(|p| (p.strategy_id.clone(), p.target_id.clone(), p.via.clone()))
        .collect()
}

fn row(s: &str, t: &str, via: &str) -> (String, String, String) {
    (s.into(), t.into(), via.into())
}

#[test]
fn links_are_read_through_the_mapping_in_the_direction_it_joins() {
    let models = bundled_models();
    let mapping = bundled_mappings(&models).remove(0);
    let base = bundled_strategies(&models).remove(0);
    // a strategy on 2017 read from a 2014 assessment: 2014's 14a is 2017's 11a
    let on_2017 = with_links(
        &base,
        "s17",
        "socialtilsyn-2017",
        vec![link("11a", "RM-08")],
    );
    let plans = linked_plans(
        &models[0],
        "14a",
        &[(on_2017.clone(), Some(mapping.clone()))],
    );
    assert_eq!(listed(&plans), vec![row("s17", "RM-08", "14a")]);
    // the same strategy read from a 2017 assessment needs no mapping
    let plans = linked_plans(&models[1], "11a", &[(on_2017, None)]);
    assert_eq!(listed(&plans), vec![row("s17", "RM-08", "11a")]);
    // a strategy on a third model: the mapping joins neither way, so nothing is linked
    let other = with_links(
        &base,
        "egen",
        "egen-model",
        vec![link("14a", "RM-08"), link("11a", "RM-09")],
    );
    for (m, node) in [(&models[0], "14a"), (&models[1], "11a")] {
        let plans = linked_plans(m, node, &[(other.clone(), Some(mapping.clone()))]);
        assert!(plans.is_empty(), "{node}: {:?}", listed(&plans));
    }
    // a 2017 strategy seen from 2017 with the mapping: its own ids, not translated ones
    let on_2014 = with_links(
        &base,
        "s14",
        "socialtilsyn-2014",
        vec![link("11a", "RM-08")],
    );
    let plans = linked_plans(&models[1], "11a", &[(on_2014, Some(mapping.clone()))]);
    assert!(plans.is_empty(), "2014's 11a is not 2017's 11a");
    // the other way: a strategy on 2014 read from a 2017 assessment, back through the
    // mapping 2014 → 2017: 2017's 11a is 2014's 14a
    let back = with_links(
        &base,
        "s14",
        "socialtilsyn-2014",
        vec![link("14a", "RM-08")],
    );
    let plans = linked_plans(&models[1], "11a", &[(back, Some(mapping))]);
    assert_eq!(listed(&plans), vec![row("s14", "RM-08", "11a")]);
}

#[test]
fn a_plan_is_listed_once_per_strategy_at_its_most_specific_link() {
    let models = bundled_models();
    let base = bundled_strategies(&models).remove(0);
    let links = vec![
        link("14a", "RM-08"),
        link("K14", "RM-08"),
        link("K14", "RM-09"),
    ];
    let one = with_links(&base, "a", "socialtilsyn-2014", links.clone());
    let two = with_links(&base, "b", "socialtilsyn-2014", links);
    let plans = linked_plans(&models[0], "14a", &[(one.clone(), None), (two, None)]);
    assert_eq!(
        listed(&plans),
        vec![
            row("a", "RM-08", "14a"),
            row("b", "RM-08", "14a"),
            row("a", "RM-09", "K14"),
            row("b", "RM-09", "K14"),
        ]
    );
    assert_eq!(plans[0].via_level, Level::Indicator);
    assert_eq!(plans[2].via_level, Level::Criterion);
    // from the criterion, the indicator's own link is not inherited
    let plans = linked_plans(&models[0], "K14", &[(one, None)]);
    assert_eq!(
        listed(&plans),
        vec![row("a", "RM-08", "K14"), row("a", "RM-09", "K14")]
    );
}

#[test]
fn gap_kinds_have_their_words_in_both_languages() {
    use crate::i18n::Lang::{Da, En};
    let words: Vec<(&str, &str)> = [GapKind::Gap, GapKind::Watch, GapKind::BelowBar]
        .iter()
        .map(|k| (k.label(Da), k.label(En)))
        .collect();
    assert_eq!(
        words,
        vec![
            ("hul", "gap"),
            ("hold øje", "watch"),
            ("under temagrænsen", "below the theme bar")
        ]
    );
}
