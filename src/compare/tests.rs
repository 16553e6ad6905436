use super::*;
use crate::model::{bundled_mappings, bundled_models};

fn a(
    id: i64,
    facility: &str,
    year: i32,
    model: &str,
    values: &[(&str, Option<u8>)],
) -> AssessmentScores {
    AssessmentScores {
        assessment_id: id,
        facility_id: id,
        facility: facility.into(),
        organisation: "Region Syddanmark".into(),
        year,
        model_id: model.into(),
        values: values
            .iter()
            .map(|(i, v)| {
                (
                    i.to_string(),
                    v.map_or(ScoreValue::NotRelevant, ScoreValue::Scored),
                )
            })
            .collect(),
    }
}

#[test]
fn a_facility_across_the_model_change_is_compared_through_the_mapping() {
    let models = bundled_models();
    let mapping = bundled_mappings(&models).remove(0);
    let frame = Frame {
        model: &models[1],
        others: vec![(&models[0], Some(&mapping))],
    };
    let list = vec![
        // 2015 on the 2014 model: 14a=2 14b=4 (→ 2017's 11a 11b), 11a=5 is Økonomi (no counterpart), 4a=2
        a(
            1,
            "Kystly",
            2015,
            "socialtilsyn-2014",
            &[
                ("14a", Some(2)),
                ("14b", Some(4)),
                ("11a", Some(5)),
                ("4a", Some(2)),
                ("4b", None),
            ],
        ),
        // 2017 on the 2017 model; 2016 is missing
        a(
            2,
            "Kystly",
            2017,
            "socialtilsyn-2017",
            &[("11a", Some(4)), ("11b", Some(4)), ("4a", Some(3))],
        ),
    ];
    let h = history(&frame, "Kystly", &[2015, 2016, 2017], &list, 2);
    let row = |id: &str| h.rows.iter().find(|r| r.node_id == id).unwrap();
    // Fysiske rammer: K11 = (2+4)/2 = 3.0 in 2015, (4+4)/2 = 4.0 in 2017; 2016 has no assessment
    assert_eq!(
        row("T7").cells,
        vec![Cell::Value(3.0), Cell::Missing, Cell::Value(4.0)]
    );
    assert_eq!(
        (row("T7").change, row("T7").direction),
        (Some(1.0), Some(Direction::Up))
    );
    assert_eq!(
        row("11a").cells[0],
        Cell::Value(2.0),
        "2014's 14a is 2017's 11a"
    );
    // 4b was not relevant in 2015: left out of K4's mean (2.0), never a fall
    assert_eq!(row("4b").cells[0], Cell::NotRelevant);
    assert_eq!(
        row("K4").cells,
        vec![Cell::Value(2.0), Cell::Missing, Cell::Value(3.0)]
    );
    assert_eq!(row("4b").direction, None);
    // 2017's 1a exists in 2014 as 1a: comparable, but not scored (and so its criterion)
    assert_eq!(row("1a").cells[0], Cell::NotScored);
    assert_eq!(row("K1").cells[0], Cell::NotScored);
    assert_eq!(
        h.gaps_closed,
        vec![(2017, "4a".to_string()), (2017, "11a".to_string())]
    );
    assert!(h.gaps_opened.is_empty());

    // the other way round: in the 2014 frame, Økonomi has no counterpart in 2017
    let back = bundled_mappings(&models).remove(0);
    let frame14 = Frame {
        model: &models[0],
        others: vec![(&models[1], Some(&back))],
    };
    let h = history(&frame14, "Kystly", &[2015, 2017], &list, 2);
    let row = |id: &str| h.rows.iter().find(|r| r.node_id == id).unwrap();
    assert_eq!(
        row("11a").cells,
        vec![Cell::Value(5.0), Cell::NotComparable]
    );
    assert_eq!(
        row("11a").direction,
        None,
        "not comparable is never a rise or a fall"
    );
    // a theme and a criterion none of whose items has a counterpart: not comparable,
    // not "not scored"
    assert_eq!(row("T6").cells, vec![Cell::Value(5.0), Cell::NotComparable]);
    assert_eq!(
        row("K11").cells,
        vec![Cell::Value(5.0), Cell::NotComparable]
    );
    assert_eq!(row("14a").cells, vec![Cell::Value(2.0), Cell::Value(4.0)]);
}

#[test]
fn a_years_matrix_ranks_and_summarises_the_facilities() {
    let models = bundled_models();
    let frame = Frame {
        model: &models[1],
        others: vec![],
    };
    let list = vec![
        a(
            1,
            "Alfa",
            2026,
            "socialtilsyn-2017",
            &[("1a", Some(2)), ("1b", Some(3)), ("11a", Some(5))],
        ),
        a(
            2,
            "Beta",
            2026,
            "socialtilsyn-2017",
            &[("1a", Some(4)), ("11a", Some(4)), ("11b", None)],
        ),
        a(
            3,
            "Gamma",
            2026,
            "socialtilsyn-2017",
            &[("1a", Some(5)), ("11a", Some(1))],
        ),
        a(4, "Delta", 2026, "socialtilsyn-2017", &[]),
    ];
    let m = year_matrix(&frame, 2026, list, 3.0);
    // overall: Alfa (2.5 + 5)/2 = 3.75; Beta (4+4)/2 = 4.0; Gamma (5+1)/2 = 3.0; Delta none (last)
    let order: Vec<&str> = m.rows.iter().map(|r| r.facility.as_str()).collect();
    assert_eq!(order, ["Beta", "Alfa", "Gamma", "Delta"]);
    assert_eq!(m.rows[1].theme_means[0], Some(2.5));
    let t1 = &m.stats[0];
    // theme 1 across the facilities: 4.0, 2.5, 5.0
    assert_eq!(
        (t1.mean, t1.median, t1.min, t1.max),
        (Some(11.5 / 3.0), Some(4.0), Some(2.5), Some(5.0))
    );
    assert_eq!(t1.below, vec!["Alfa".to_string()]);
    let t7 = &m.stats[6];
    assert_eq!(t7.median, Some(4.0));
    assert_eq!(t7.below, vec!["Gamma".to_string()]);
    assert_eq!(m.stats[1].mean, None, "no facility has a mean in theme 2");
}

#[test]
fn a_trend_averages_the_theme_means_per_year() {
    let models = bundled_models();
    let mapping = bundled_mappings(&models).remove(0);
    let frame = Frame {
        model: &models[1],
        others: vec![(&models[0], Some(&mapping))],
    };
    let mut b = TrendBuilder::new(&frame);
    b.add(&a(
        1,
        "A",
        2016,
        "socialtilsyn-2014",
        &[("14a", Some(2)), ("11a", Some(5))],
    ));
    b.add(&a(2, "B", 2016, "socialtilsyn-2014", &[("14a", Some(4))]));
    b.add(&a(3, "A", 2017, "socialtilsyn-2017", &[("11a", Some(5))]));
    let t = b.finish();
    assert_eq!(t.years, vec![2016, 2017]);
    assert_eq!(t.counts, vec![2, 1]);
    assert_eq!(t.means[6], vec![Some(3.0), Some(5.0)]);
    assert_eq!(t.means[0], vec![None, None]);
}

#[test]
fn a_mean_shown_as_3_0_is_not_under_3_0() {
    let mut models = bundled_models();
    // the criterion-mean rule gives the theme a mean just under 3 (by indicators it is 3.0)
    models[0].theme_score = Some(crate::model::ThemeScore::CriterionMean);
    let frame = Frame {
        model: &models[0],
        others: vec![],
    };
    // 2014's theme 3: K3 = (4+3+3+3)/4 = 3.25, K5 = (3+3+2)/3 = 2.667: the theme 2.958
    let values = [
        ("3a", Some(4)),
        ("3b", Some(3)),
        ("3c", Some(3)),
        ("3d", Some(3)),
        ("5a", Some(3)),
        ("5b", Some(3)),
        ("5c", Some(2)),
    ];
    let m = year_matrix(
        &frame,
        2016,
        vec![a(1, "Alfa", 2016, "socialtilsyn-2014", &values)],
        3.0,
    );
    let mean = m.rows[0].theme_means[2].unwrap();
    assert!((mean - 2.958).abs() < 0.001, "{mean}");
    assert_eq!(crate::i18n::Lang::Da.mean(Some(mean)), "3,0");
    assert!(m.stats[2].below.is_empty(), "shown 3,0, so not under 3,0");
    // and the gap rules agree: no gap at the theme, only "below the 4 bar"
    let scores: Vec<crate::assessment::Score> = values
        .iter()
        .map(|(i, v)| crate::assessment::Score {
            indicator_id: i.to_string(),
            value: ScoreValue::Scored(v.unwrap()),
            reasoning: String::new(),
            sources: String::new(),
            by: String::new(),
            at: chrono::DateTime::UNIX_EPOCH,
            carried_over: false,
        })
        .collect();
    let gaps = crate::assessment::find_gaps(&models[0], &scores, &Default::default());
    let t3 = gaps.findings.iter().find(|f| f.node_id == "T3").unwrap();
    assert_eq!(t3.kind, crate::assessment::GapKind::BelowBar);
}
