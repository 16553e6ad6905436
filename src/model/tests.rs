use super::*;

/// One change to a definition's JSON, making it bad in one way.
type Change = Box<dyn FnOnce(&mut serde_json::Value)>;

fn bundled_2014() -> QualityModel {
    QualityModel::parse(BUNDLED_MODELS[0].0, BUNDLED_MODELS[0].1).unwrap()
}

/// The bundled 2014 model with one change made to its JSON.
fn altered(change: impl FnOnce(&mut serde_json::Value)) -> crate::Result<QualityModel> {
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_MODELS[0].1).unwrap();
    change(&mut v);
    QualityModel::parse("bad.json", &v.to_string())
}

#[test]
fn bundled_models_hold_the_reference_structure() {
    let models = bundled_models();
    let m2014 = &models[0];
    assert_eq!(m2014.id, "socialtilsyn-2014");
    assert_eq!(m2014.themes.len(), 7);
    let criteria: Vec<&str> = m2014
        .themes
        .iter()
        .flat_map(|t| &t.criteria)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(criteria.len(), 14);
    assert_eq!(criteria.first(), Some(&"K1"));
    assert_eq!(criteria.last(), Some(&"K14"));
    assert_eq!(m2014.indicators().count(), 33);
    assert_eq!(m2014.themes[5].title.da, "Økonomi");
    let m2017 = &models[1];
    assert_eq!(m2017.themes[3].title.da, "Sundhed og trivsel");
    assert!(!m2017.themes.iter().any(|t| t.title.da == "Økonomi"));
    assert_eq!(m2017.indicators().count(), 30);
    assert!(m2014.in_force_in(2016) && !m2014.in_force_in(2017));
    assert!(m2017.in_force_in(2017) && m2017.in_force_in(2026));
    // provenance is carried for every text; reconstructed ones exist and are marked
    let [confirmed, gist, reconstructed] = m2014.wording_counts();
    assert!(confirmed > 0 && gist > 0 && reconstructed > 0);
    assert_eq!(
        m2014.indicator("14C").unwrap().indicator.text.wording,
        Wording::Confirmed
    );
    assert_eq!(
        m2014.indicator("1c").unwrap().indicator.text.wording,
        Wording::Reconstructed
    );
}

#[test]
fn bundled_mapping_pairs_every_node_or_says_why_not() {
    let models = bundled_models();
    let maps = bundled_mappings(&models);
    let m = &maps[0];
    assert_eq!(m.forward("14a").unwrap().to, "11a");
    assert_eq!(m.forward("T4").unwrap().to, "T5");
    assert_eq!(m.forward("5b").unwrap().to, "5b");
    assert!(m.forward("11a").is_none());
    assert!(m.no_counterpart.from.contains(&"T6".to_string()));
    assert_eq!(m.backward("K11").unwrap().from, "K14");
}

#[test]
fn applicability_follows_the_tags() {
    let m = bundled_2014();
    let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let children = m.indicator("2d").unwrap().indicator;
    assert!(children.applicability(&tags(&["children"])).is_none());
    assert!(matches!(
        children.applicability(&tags(&[])),
        Some(Inapplicable::OnlyFor(_))
    ));
    let home = m.indicator("14c").unwrap().indicator;
    assert!(home.applicability(&tags(&["board"])).is_none());
    assert_eq!(
        home.applicability(&tags(&["shelter"])),
        Some(Inapplicable::NotFor("shelter".into()))
    );
    assert!(
        m.indicator("8c")
            .unwrap()
            .indicator
            .applicability(&tags(&[]))
            .is_some()
    );
}

#[test]
fn a_duplicate_id_is_named_with_both_paths() {
    let err = altered(|v| v["themes"][2]["criteria"][3]["indicators"][1]["id"] = "6a".into())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad.json: themes[2].criteria[3].indicators[1].id: duplicate \"6a\" (first at themes[2].criteria[3].indicators[0].id)"
    );
}

#[test]
fn each_kind_of_bad_model_is_refused_at_its_path() {
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|v| v["format"] = "x".into()),
            "bad.json: format: expected",
        ),
        (
            Box::new(|v| v["scale"][0]["value"] = 10.into()),
            "bad.json: scale[0].value: 10 is not a value from 0 to 9",
        ),
        (
            Box::new(|v| v["scale"][1]["value"] = 5.into()),
            "bad.json: scale[1].value: duplicate value 5",
        ),
        (
            Box::new(|v| v["scale"] = serde_json::json!([v["scale"][0].clone()])),
            "bad.json: scale: needs 2 to 10 steps, found 1",
        ),
        (
            Box::new(|v| v["theme_score"] = "median".into()),
            "bad.json: theme_score: unknown variant",
        ),
        (
            Box::new(|v| v["framework"] = "two words".into()),
            "bad.json: framework: \"two words\" is not a plain id",
        ),
        (
            Box::new(|v| {
                v["gap_defaults"] = serde_json::json!({"indicator_gap_max": 0,
                    "indicator_watch_max": 3, "mean_gap_below": 3.0, "theme_bar": 4.0})
            }),
            "bad.json: gap_defaults.indicator_gap_max: 0 is not a value of the scale",
        ),
        (
            Box::new(|v| {
                v["gap_defaults"] = serde_json::json!({"indicator_gap_max": 3,
                    "indicator_watch_max": 2, "mean_gap_below": 3.0, "theme_bar": 4.0})
            }),
            "bad.json: gap_defaults.indicator_watch_max: must not be below",
        ),
        (
            Box::new(|v| {
                v["gap_defaults"] = serde_json::json!({"indicator_gap_max": 2,
                    "indicator_watch_max": 3, "mean_gap_below": 3.0, "theme_bar": 5.5})
            }),
            "bad.json: gap_defaults.theme_bar: 5.5 is not within the scale 1 to 5",
        ),
        (
            Box::new(|v| {
                v["levels"] = serde_json::json!({
                    "theme": {"da": "område", "en": "area", "da_plural": "områder", "en_plural": "areas"},
                    "criterion": {"da": "retningslinje", "en": "guideline", "da_plural": " ", "en_plural": "guidelines"},
                    "indicator": {"da": "spørgsmål", "en": "question", "da_plural": "spørgsmål", "en_plural": "questions"}})
            }),
            "bad.json: levels.criterion.da_plural: empty",
        ),
        (
            Box::new(|v| {
                v["themes"][0]["criteria"][0]["indicators"][0]["applies_only_to"] =
                    serde_json::json!(["kids"])
            }),
            "bad.json: themes[0].criteria[0].indicators[0].applies_only_to[0]: tag \"kids\" is not defined",
        ),
        (
            Box::new(|v| v["themes"][1]["criteria"][0]["text"]["da"] = " ".into()),
            "bad.json: themes[1].criteria[0].text.da: empty text",
        ),
        (
            Box::new(|v| v["themes"][1]["criteria"][0]["text"]["wording"] = "maybe".into()),
            "bad.json: themes[1].criteria[0].text.wording: unknown variant",
        ),
        (
            Box::new(|v| v["themes"][1]["number"] = 1.into()),
            "bad.json: themes[1].number: duplicate theme number 1",
        ),
        (
            Box::new(|v| v["themes"][0]["colour"] = "red".into()),
            "bad.json: themes[0].colour: unknown field `colour`",
        ),
        (
            Box::new(|v| v["themes"][6]["criteria"][0]["id"] = "k1".into()),
            "bad.json: themes[6].criteria[0].id: duplicate \"k1\"",
        ),
    ];
    for (change, expected) in cases {
        let msg = altered(change).unwrap_err().to_string();
        assert!(
            msg.starts_with(expected),
            "expected {expected:?}, got {msg:?}"
        );
    }
    let msg = QualityModel::parse("bad.json", "{\"format\": ")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("bad.json: "), "{msg}");
}

#[test]
fn a_mapping_with_a_dangling_id_is_refused() {
    let models = bundled_models();
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_MAPPINGS[0].1).unwrap();
    v["pairs"][2]["to"] = "99z".into();
    let err = ModelMapping::parse("map.json", &v.to_string(), &models).unwrap_err();
    assert_eq!(
        err.to_string(),
        "map.json: pairs[2].to: \"99z\" is not in socialtilsyn-2017"
    );
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_MAPPINGS[0].1).unwrap();
    v["no_counterpart"]["from"] = serde_json::json!([]);
    let err = ModelMapping::parse("map.json", &v.to_string(), &models).unwrap_err();
    assert!(
        err.to_string().contains("neither paired nor listed"),
        "{err}"
    );
}

#[test]
fn content_hash_changes_with_the_text_only() {
    let a = bundled_2014();
    let pretty = serde_json::to_string_pretty(&a).unwrap();
    let b = QualityModel::parse("x", &pretty).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    let mut c = a.clone();
    c.themes[0].criteria[0].indicators[0].text.da.push('!');
    assert_ne!(a.content_hash(), c.content_hash());
}

#[test]
fn a_model_file_without_the_new_fields_keeps_its_meaning_and_its_bytes() {
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_MODELS[0].1).unwrap();
    let obj = v.as_object_mut().unwrap();
    for field in [
        "framework",
        "framework_name",
        "theme_score",
        "levels",
        "gap_defaults",
    ] {
        obj.remove(field);
    }
    let m = QualityModel::parse("old.json", &v.to_string()).unwrap();
    assert_eq!(m.framework(), "socialtilsyn");
    assert_eq!(m.theme_score(), ThemeScore::CriterionMean);
    assert_eq!(m.levels().theme.da, "tema");
    assert_eq!(m.gap_defaults(), GapDefaults::default());
    // it serializes back to what was read, so the hash of a model stored before the new
    // fields existed is unchanged
    assert_eq!(serde_json::to_value(&m).unwrap(), v);
}

/// A small model of another shape: område/retningslinje/spørgsmål, a 0–3 scale, one
/// criterion scored directly and one with indicators.
pub(crate) const SHAPED: &str = r#"{
  "format": "tilsynsklar-model/1", "id": "shaped", "framework": "sikkerhed",
  "framework_name": {"da": "Sikkerhed", "en": "Safety"},
  "name": {"da": "Form", "en": "Shape"}, "source": "test",
  "theme_score": "indicator_mean",
  "levels": {
    "theme": {"da": "område", "en": "area", "da_plural": "områder", "en_plural": "areas"},
    "criterion": {"da": "retningslinje", "en": "guideline", "da_plural": "retningslinjer", "en_plural": "guidelines"},
    "indicator": {"da": "spørgsmål", "en": "question", "da_plural": "spørgsmål", "en_plural": "questions"}},
  "scale": [
    {"value": 0, "label": {"da": "Ikke på plads", "en": "Not in place", "wording": "reconstructed"}},
    {"value": 1, "label": {"da": "Delvist", "en": "Partly", "wording": "reconstructed"}},
    {"value": 2, "label": {"da": "Overvejende", "en": "Mostly", "wording": "reconstructed"}},
    {"value": 3, "label": {"da": "På plads", "en": "In place", "wording": "reconstructed"}}],
  "gap_defaults": {"indicator_gap_max": 0, "indicator_watch_max": 1, "mean_gap_below": 1.5, "theme_bar": 2.5},
  "themes": [{"id": "O1", "number": 1, "title": {"da": "Ledelse", "en": "Management", "wording": "reconstructed"},
    "criteria": [
      {"id": "1.1", "title": {"da": "Direkte", "en": "Direct", "wording": "reconstructed"}},
      {"id": "1.2", "text": {"da": "Med spørgsmål", "en": "With questions", "wording": "reconstructed"},
       "indicators": [{"id": "1.2a", "text": {"da": "a", "en": "a", "wording": "reconstructed"}}]}]}]
}"#;

#[test]
fn a_model_of_another_shape_loads_with_its_directly_scored_criterion() {
    let m = QualityModel::parse("shaped.json", SHAPED).unwrap();
    assert_eq!(m.framework(), "sikkerhed");
    assert_eq!(m.theme_score(), ThemeScore::IndicatorMean);
    assert_eq!(
        m.levels().criterion.many(crate::i18n::Lang::Da),
        "retningslinjer"
    );
    assert_eq!(m.scale_values(), vec![0, 1, 2, 3]);
    assert_eq!(m.scale_bounds(), (0, 3));
    assert_eq!(m.gap_defaults().indicator_gap_max, 0);
    let c = &m.themes[0].criteria[0];
    assert!(c.scored_directly && c.own_indicators().is_empty());
    // the criterion is its own scored item, found by its id
    let r = m.indicator("1.1").unwrap();
    assert_eq!(
        (r.criterion.id.as_str(), r.indicator.text.da.as_str()),
        ("1.1", "Direkte")
    );
    let ids: Vec<&str> = m.indicators().map(|r| r.indicator.id.as_str()).collect();
    assert_eq!(ids, ["1.1", "1.2a"]);
    // node ids name the criterion once
    let nodes: Vec<&str> = m.node_ids().collect();
    assert_eq!(nodes, ["O1", "1.1", "1.2", "1.2a"]);
    // it serializes back as written: no indicators for the direct criterion, and parses
    // again to the same model with the same hash
    let back = serde_json::to_value(&m).unwrap();
    assert_eq!(
        back["themes"][0]["criteria"][0]["indicators"],
        serde_json::json!([])
    );
    let again = QualityModel::parse("x", &back.to_string()).unwrap();
    assert_eq!(again, m);
    assert_eq!(again.content_hash(), m.content_hash());
}

#[test]
fn a_mapping_joins_versions_of_one_framework_only() {
    let mut models = bundled_models();
    models.push(QualityModel::parse("shaped.json", SHAPED).unwrap());
    let json = r#"{"format": "tilsynsklar-mapping/1", "from": "socialtilsyn-2017", "to": "shaped",
        "pairs": [], "no_counterpart": {"from": [], "to": []}}"#;
    let err = ModelMapping::parse("map.json", json, &models).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("map.json: to: shaped is a model of \"sikkerhed\""),
        "{err}"
    );
}

#[test]
fn the_earlier_bundled_versions_have_the_hashes_they_were_shipped_with() {
    let earlier = earlier_bundled_models();
    assert_eq!(earlier.len(), EARLIER_BUNDLED.len());
    for (m, hash) in &earlier {
        assert_eq!(m.content_hash(), *hash, "{}", m.id);
        assert_eq!(m.theme_score(), ThemeScore::CriterionMean);
    }
    // and the versions shipped now say the handbook's rule (the quality models; the
    // safety self-evaluation names its own source)
    for m in bundled_models()
        .into_iter()
        .filter(|m| m.framework() == crate::model::DEFAULT_FRAMEWORK)
    {
        assert_eq!(m.theme_score(), ThemeScore::IndicatorMean);
        assert!(
            m.source.contains("Scoring af indikatorerne"),
            "{}",
            m.source
        );
    }
}

#[test]
fn the_wording_check_names_the_law_only_for_the_quality_model() {
    let models = bundled_models();
    let quality = models
        .iter()
        .find(|m| m.framework() == "socialtilsyn")
        .unwrap();
    let safety = models
        .iter()
        .find(|m| m.framework() == "sikkerhed")
        .unwrap();
    for lang in [crate::i18n::Lang::Da, crate::i18n::Lang::En] {
        assert!(quality.wording_check(lang).contains("bekendtgørelse"));
        assert!(!safety.wording_check(lang).contains("bekendtgørelse"));
        assert!(
            safety
                .wording_check(lang)
                .contains(safety.source.trim().trim_end_matches('.'))
        );
    }
    let da = crate::i18n::Lang::Da;
    assert_eq!(
        quality.wording_check_short(da),
        "tjek ordlyden mod bekendtgørelsen"
    );
    assert!(safety.wording_check_short(da).starts_with("ikke lovtekst"));
    assert!(!safety.wording_check_short(da).contains("bekendtgørelse"));
}
