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
