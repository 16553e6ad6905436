use super::*;

/// One change to a definition's JSON, making it bad in one way.
type Change = Box<dyn FnOnce(&mut serde_json::Value)>;
use crate::model::bundled_models;

fn altered(i: usize, change: impl FnOnce(&mut serde_json::Value)) -> crate::Result<Strategy> {
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_STRATEGIES[i].1).unwrap();
    change(&mut v);
    Strategy::parse("s.json", &v.to_string(), &bundled_models())
}

#[test]
fn bundled_strategies_hold_the_seed_action_plans() {
    let s = bundled_strategies(&bundled_models());
    let rm = &s[0];
    assert_eq!(rm.region, "Region Midtjylland");
    assert_eq!(rm.themes.len(), 4);
    assert_eq!(rm.action_plan_count(), 12);
    let plan = rm.node("RM-11").unwrap();
    assert_eq!(plan.kind, NodeKind::ActionPlan);
    assert_eq!(plan.place, "Bedre liv › Individuel indsats og livskvalitet");
    assert!(plan.text.contains("inklusion og mestring"));
    // Fysiske rammer has no action plan in the seed
    assert!(
        !rm.links
            .iter()
            .any(|l| l.node == "T7" || l.node.starts_with("14") || l.node == "K14")
    );
    assert!(rm.links.iter().any(|l| l.basis == Basis::Seed));
    let sd = &s[1];
    assert_eq!(sd.themes.len(), 5);
    assert_eq!(sd.action_plan_count(), 0);
    assert!(sd.links.iter().all(|l| l.basis == Basis::Proposed));
}

#[test]
fn each_kind_of_bad_strategy_is_refused_at_its_path() {
    let cases: Vec<(usize, Change, &str)> = vec![
        (
            0,
            Box::new(|v| v["links"][0]["node"] = "99x".into()),
            "s.json: links[0].node: \"99x\" is not a theme, criterion or indicator of socialtilsyn-2014",
        ),
        (
            0,
            Box::new(|v| v["links"][0]["target"] = "RM-99".into()),
            "s.json: links[0].target: \"RM-99\" is not in this strategy",
        ),
        (
            0,
            Box::new(|v| {
                v["themes"][1]["focus_areas"][0]["action_plans"][0]["id"] = "RM-06".into()
            }),
            "s.json: themes[1].focus_areas[0].action_plans[0].id: duplicate \"RM-06\" (first at themes[0].focus_areas[0].action_plans[0].id)",
        ),
        (
            0,
            Box::new(|v| v["model"] = "socialtilsyn-1999".into()),
            "s.json: model: unknown quality model",
        ),
        (
            1,
            Box::new(|v| v["links"][0]["basis"] = "rumour".into()),
            "s.json: links[0].basis: unknown variant `rumour`",
        ),
        (
            1,
            Box::new(|v| {
                let l = v["links"][0].clone();
                v["links"].as_array_mut().unwrap().push(l);
            }),
            "s.json: links[8]: K10 → SD-1 is linked twice",
        ),
        (
            1,
            Box::new(|v| v["themes"][0]["title"] = "".into()),
            "s.json: themes[0].text: empty text",
        ),
    ];
    for (i, change, expected) in cases {
        let msg = altered(i, change).unwrap_err().to_string();
        assert!(
            msg.starts_with(expected),
            "expected {expected:?}, got {msg:?}"
        );
    }
}

#[test]
fn links_from_another_frameworks_model_are_checked_against_that_model() {
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|v| v["model_links"][0]["model"] = "sikkerhed-1999".into()),
            "s.json: model_links[0].model: unknown quality model \"sikkerhed-1999\"",
        ),
        (
            // a quality-model id is no node of the safety framework
            Box::new(|v| v["model_links"][0]["links"][0]["node"] = "T5".into()),
            "s.json: model_links[0].links[0].node: \"T5\" is not a theme, criterion or indicator of sikkerhed-2017",
        ),
        (
            Box::new(|v| v["model_links"][0]["links"][1]["target"] = "RM-99".into()),
            "s.json: model_links[0].links[1].target: \"RM-99\" is not in this strategy",
        ),
        (
            Box::new(|v| {
                let l = v["model_links"][0]["links"][0].clone();
                v["model_links"][0]["links"].as_array_mut().unwrap().push(l);
            }),
            "s.json: model_links[0].links[8]: O1 → RM-02 is linked twice",
        ),
        (
            Box::new(|v| {
                let g = v["model_links"][0].clone();
                v["model_links"].as_array_mut().unwrap().push(g);
            }),
            "s.json: model_links[1].model: \"sikkerhed-2017\" has its links already",
        ),
        (
            Box::new(|v| v["model_links"][0]["model"] = "socialtilsyn-2014".into()),
            "s.json: model_links[0].model: \"socialtilsyn-2014\" has its links already",
        ),
    ];
    for (change, expected) in cases {
        let msg = altered(0, change).unwrap_err().to_string();
        assert!(
            msg.starts_with(expected),
            "expected {expected:?}, got {msg:?}"
        );
    }
    // the same node id linked from two models is two links
    let both = altered(0, |v| {
        v["model_links"][0]["links"][0]["node"] = "O1".into();
        v["links"][0]["node"] = "T4".into();
    });
    assert!(both.is_ok(), "{both:?}");
}

#[test]
fn a_strategy_seen_from_one_model_holds_that_models_links_only() {
    let rm = bundled_strategies(&bundled_models()).remove(0);
    assert_eq!(rm.linked_models(), ["socialtilsyn-2014", "sikkerhed-2017"]);
    let safety = rm.for_model("sikkerhed-2017");
    assert_eq!(safety.model, "sikkerhed-2017");
    assert_eq!(safety.links.len(), 8);
    let nodes: Vec<&str> = safety.links.iter().map(|l| l.node.as_str()).collect();
    assert_eq!(nodes, ["O1", "O1", "O2", "O2", "O3", "O3", "O4", "O4"]);
    assert!(
        safety
            .links
            .iter()
            .all(|l| (l.target == "RM-02" || l.target == "RM-03") && l.basis == Basis::Seed)
    );
    assert!(safety.model_links.is_empty());
    assert_eq!(safety.themes, rm.themes);
    let quality = rm.for_model("socialtilsyn-2014");
    assert_eq!(quality.links, rm.links);
    assert!(rm.for_model("dkm-2024").links.is_empty());
}

#[test]
fn a_node_found_by_id_is_the_one_the_list_of_nodes_holds() {
    for s in bundled_strategies(&bundled_models()) {
        let nodes = s.nodes();
        assert!(!nodes.is_empty(), "{}: no nodes", s.id);
        for n in &nodes {
            let found = s.node(n.id).unwrap();
            let first = nodes.iter().find(|m| m.id == n.id).unwrap();
            assert_eq!(
                (found.id, found.kind, found.text, &found.place),
                (first.id, first.kind, first.text, &first.place)
            );
        }
        assert!(s.node("no such node").is_none());
    }
}
