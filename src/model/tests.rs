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
            Box::new(|v| v["scale"][0]["value"] = 6.into()),
            "bad.json: scale: must hold the values 1 to 5",
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
            Box::new(|v| v["themes"][1]["criteria"][0]["indicators"] = serde_json::json!([])),
            "bad.json: themes[1].criteria[0].indicators: a criterion needs",
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
