//! The suite's part for model versions, strategies, the audit chain and maintenance
//! (ported from SQLite's own store tests): run on SQLite below, on PostgreSQL in
//! `store/pg/tests_models.rs`.

use super::{new_facility, stamp};
use crate::error::Error;
use crate::model::{BUNDLED_MAPPINGS, bundled_models};
use crate::store::NewFacility;
use crate::store::backend::{
    Actions, Assessments, AuditChain, Facilities, Maintenance, ModelVersions, Scores, Strategies,
};
use crate::store::{ActionProblem, Tampering};
use crate::strategy::{Basis, Link};

/// A fresh database holds the bundled models (the current versions active, the earlier
/// ones inactive), the mapping between the quality models and the bundled strategies.
pub(crate) fn bundled_definitions_are_there_from_the_start<
    B: ModelVersions + Strategies + ?Sized,
>(
    b: &mut B,
) {
    let models = b.model_records().unwrap();
    assert_eq!(models.len(), 5);
    assert!(models.iter().all(|m| m.bundled));
    assert_eq!(models.iter().filter(|m| m.active).count(), 3);
    // by id, the active version first
    let ids: Vec<(&str, bool)> = models.iter().map(|m| (m.id.as_str(), m.active)).collect();
    assert_eq!(
        ids,
        [
            ("sikkerhed-2017", true),
            ("socialtilsyn-2014", true),
            ("socialtilsyn-2014", false),
            ("socialtilsyn-2017", true),
            ("socialtilsyn-2017", false),
        ]
    );
    for m in &models {
        assert_eq!(b.model_by_hash(&m.hash).unwrap().content_hash(), m.hash);
        assert_eq!(
            b.framework_of_hash(&m.hash).unwrap(),
            if m.id.starts_with("sikkerhed") {
                "sikkerhed"
            } else {
                "socialtilsyn"
            }
        );
    }
    assert!(matches!(
        b.model_by_hash("nope"),
        Err(Error::UnknownModel(_))
    ));
    assert!(matches!(
        b.active_model("nope"),
        Err(Error::UnknownModel(_))
    ));
    let active: Vec<String> = b
        .active_models()
        .unwrap()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(
        active,
        ["sikkerhed-2017", "socialtilsyn-2014", "socialtilsyn-2017"]
    );
    let mapping = b
        .mapping_between("socialtilsyn-2017", "socialtilsyn-2014")
        .unwrap()
        .expect("the bundled mapping, read backwards");
    assert_eq!(
        (mapping.from.as_str(), mapping.to.as_str()),
        ("socialtilsyn-2014", "socialtilsyn-2017")
    );
    assert!(
        b.mapping_between("socialtilsyn-2014", "sikkerhed-2017")
            .unwrap()
            .is_none()
    );
    let strategies = b.strategy_records().unwrap();
    assert_eq!(strategies.len(), 2);
    assert!(strategies.iter().all(|s| s.bundled && s.links > 0));
}

/// The model of a year: the quality model in force on 1 January by default, the safety
/// framework's when asked for; the models in force some day of a year, that one first;
/// the tags of the active models, each once.
pub(crate) fn the_model_of_a_year_is_the_one_in_force<B: ModelVersions + ?Sized>(b: &mut B) {
    assert_eq!(b.model_for_year(2026).unwrap().id, "socialtilsyn-2017");
    assert_eq!(b.model_for_year(2015).unwrap().id, "socialtilsyn-2014");
    assert_eq!(
        b.framework_model_for_year(2026, "sikkerhed").unwrap().id,
        "sikkerhed-2017"
    );
    assert!(matches!(
        b.framework_model_for_year(2010, "sikkerhed"),
        Err(Error::NoFrameworkModelForYear { year: 2010, .. })
    ));
    assert!(matches!(
        b.model_for_year(1950),
        Err(Error::NoModelForYear(1950))
    ));
    let of_2026: Vec<String> = b
        .models_for_year(2026)
        .unwrap()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(
        of_2026.first().map(String::as_str),
        Some("socialtilsyn-2017")
    );
    assert!(of_2026.iter().any(|m| m == "sikkerhed-2017"));
    assert!(b.models_for_year(i32::MAX).unwrap().is_empty());
    let tags: Vec<String> = b.tag_choices().unwrap().into_iter().map(|t| t.id).collect();
    let mut once = tags.clone();
    once.sort();
    once.dedup();
    assert_eq!(once.len(), tags.len());
    assert!(tags.iter().any(|t| t == "children"));
}

/// A region's official copy replaces a model's text but not its structure; importing
/// it again is no news; a copy with another structure is refused and changes nothing.
pub(crate) fn a_regions_official_copy_replaces_the_text_but_not_the_structure<
    B: ModelVersions + ?Sized,
>(
    b: &mut B,
) {
    let mut official = bundled_models().remove(0);
    official.themes[0].criteria[0].indicators[2].text.da = "Officiel tekst.".into();
    official.themes[0].criteria[0].indicators[2].text.wording = crate::model::Wording::Confirmed;
    assert!(
        b.import_model(&official, "officiel.json", &stamp())
            .unwrap()
    );
    assert!(
        !b.import_model(&official, "officiel.json", &stamp())
            .unwrap()
    );
    let active = b.active_model("socialtilsyn-2014").unwrap();
    assert_eq!(
        active.indicator("1c").unwrap().indicator.text.da,
        "Officiel tekst."
    );
    let records = b.model_records().unwrap();
    assert_eq!(records.len(), 6);
    let own = records
        .iter()
        .find(|r| r.hash == official.content_hash())
        .unwrap();
    assert!(own.active && !own.bundled);
    assert_eq!(own.source_file, "officiel.json");
    let mut changed = official.clone();
    changed.themes[0].criteria[0].indicators.pop();
    let err = b
        .import_model(&changed, "changed.json", &stamp())
        .unwrap_err();
    assert!(err.to_string().contains("1c is missing"), "{err}");
    assert_eq!(b.model_records().unwrap().len(), 6);
    assert_eq!(
        b.active_model("socialtilsyn-2014").unwrap().content_hash(),
        official.content_hash()
    );
}

/// A mapping is checked against the active models, stored (replacing one between the
/// same two) and read both ways; a bad one is refused.
pub(crate) fn a_mapping_is_stored_once_and_read_both_ways<B: ModelVersions + ?Sized>(b: &mut B) {
    let (file, json) = BUNDLED_MAPPINGS[0];
    let stored = b.import_mapping(file, json, &stamp()).unwrap();
    let again = b.import_mapping(file, json, &stamp()).unwrap();
    assert_eq!(
        serde_json::to_string(&stored).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    let read = b
        .mapping_between(&stored.to, &stored.from)
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        serde_json::to_string(&stored).unwrap()
    );
    assert!(b.import_mapping("bad.json", "{", &stamp()).is_err());
}

/// Strategies come back from their rows as they went in; an unknown one is named.
pub(crate) fn strategies_round_trip_through_their_rows<B: Strategies + ?Sized>(b: &mut B) {
    let models = bundled_models();
    for original in crate::strategy::bundled_strategies(&models) {
        assert_eq!(b.strategy(&original.id).unwrap(), original);
    }
    assert!(matches!(b.strategy("nope"), Err(Error::UnknownStrategy(_))));
}

/// A strategy import replaces one of the same id (whether it replaced one says so); a
/// link is added once, checked against the model and the strategy, and removed once.
pub(crate) fn strategy_imports_and_links_keep_their_rules<B: Strategies + ?Sized>(b: &mut B) {
    let models = bundled_models();
    let mut own = crate::strategy::bundled_strategies(&models).remove(0);
    own.name = "Vores egen strategi".into();
    assert!(b.import_strategy(&own, "egen.json", &stamp()).unwrap());
    let mut fresh = own.clone();
    fresh.id = "ny-strategi".into();
    fresh.region = "Region Nord".into();
    assert!(!b.import_strategy(&fresh, "ny.json", &stamp()).unwrap());
    let records = b.strategy_records().unwrap();
    assert_eq!(records.len(), 3);
    let record = records.iter().find(|r| r.id == own.id).unwrap();
    assert!(!record.bundled);
    assert_eq!(record.hash, own.content_hash());
    assert_eq!(b.strategy(&own.id).unwrap(), own);
    let target = own.themes[0].focus_areas[0].action_plans[0].id.clone();
    let node = "1a".to_string();
    let already = own
        .links
        .iter()
        .any(|l| l.node == node && l.target == target);
    let link = Link {
        node: node.clone(),
        target: target.clone(),
        basis: Basis::Local,
        note: Some("egen kobling".into()),
    };
    if already {
        b.remove_link(&own.id, &node, &target, &stamp()).unwrap();
    }
    let before = b.strategy(&own.id).unwrap().links.len();
    b.add_link(&own.id, &link, &stamp()).unwrap();
    let after = b.strategy(&own.id).unwrap();
    assert_eq!(after.links.len(), before + 1);
    assert_eq!(after.links.last(), Some(&link));
    for bad in [
        link.clone(),
        Link {
            node: "99z".into(),
            ..link.clone()
        },
        Link {
            target: "nowhere".into(),
            ..link.clone()
        },
    ] {
        assert!(matches!(
            b.add_link(&own.id, &bad, &stamp()),
            Err(Error::BadLink { .. })
        ));
    }
    assert!(matches!(
        b.add_link("nope", &link, &stamp()),
        Err(Error::UnknownStrategy(_))
    ));
    b.remove_link(&own.id, &node, &target, &stamp()).unwrap();
    assert!(matches!(
        b.remove_link(&own.id, &node, &target, &stamp()),
        Err(Error::BadLink { .. })
    ));
    assert_eq!(b.strategy(&own.id).unwrap().links.len(), before);
}

/// Each framework reads the strategy links written for it: the safety model its own, a
/// quality model those of the quality model through the mapping; a facility of a region
/// gets its region's strategies.
pub(crate) fn each_framework_reads_the_strategy_links_written_for_it<
    B: Facilities + Strategies + ?Sized,
>(
    b: &mut B,
) {
    let f = b
        .add_facility(
            &NewFacility {
                name: "Solhøj".into(),
                organisation: "Region Midtjylland".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let safety = b.strategies_for(&f, "sikkerhed-2017").unwrap();
    assert_eq!(safety.len(), 1);
    let (s, mapping) = &safety[0];
    assert_eq!(
        (s.id.as_str(), s.model.as_str()),
        ("rm-social-strategi", "sikkerhed-2017")
    );
    assert!(mapping.is_none());
    assert_eq!(s.links.len(), 8);
    assert!(s.links.iter().all(|l| l.node.starts_with('O')));
    let quality = b.strategies_for(&f, "socialtilsyn-2017").unwrap();
    assert_eq!(quality.len(), 1);
    let (s, mapping) = &quality[0];
    assert_eq!(s.model, "socialtilsyn-2014");
    assert!(mapping.is_some(), "read through the 2014→2017 mapping");
    assert!(!s.links.iter().any(|l| l.node.starts_with('O')));
    // a facility of no region's strategy sees every strategy
    let g = b
        .add_facility(&new_facility("Nyhuset", &[]), &stamp())
        .unwrap();
    assert!(b.strategies_for(&g, "socialtilsyn-2017").unwrap().len() >= quality.len());
}

/// The writes of models, mappings and strategies leave SQLite's audit rows (action,
/// subject, old and new value), the chain verifies, and a strategy's link is added and
/// removed by its own rows.
pub(crate) fn definition_writes_are_audited_and_the_chain_verifies<
    B: ModelVersions + Strategies + AuditChain + ?Sized,
>(
    b: &mut B,
) {
    let mut official = bundled_models().remove(0);
    official.themes[0].criteria[0].indicators[0].text.da = "Officiel tekst.".into();
    b.import_model(&official, "officiel.json", &stamp())
        .unwrap();
    let (file, json) = BUNDLED_MAPPINGS[0];
    b.import_mapping(file, json, &stamp()).unwrap();
    let models = bundled_models();
    let mut own = crate::strategy::bundled_strategies(&models).remove(0);
    own.id = "egen-strategi".into();
    b.import_strategy(&own, "egen.json", &stamp()).unwrap();
    let target = own.themes[0].focus_areas[0].action_plans[0].id.clone();
    let node = own
        .links
        .iter()
        .find(|l| l.target == target)
        .map(|l| l.node.clone())
        .unwrap_or_else(|| "1a".into());
    if !own
        .links
        .iter()
        .any(|l| l.node == node && l.target == target)
    {
        let link = Link {
            node: node.clone(),
            target: target.clone(),
            basis: Basis::Local,
            note: None,
        };
        b.add_link(&own.id, &link, &stamp()).unwrap();
    }
    b.remove_link(&own.id, &node, &target, &stamp()).unwrap();
    let log = b.audit_log(None).unwrap();
    let rows: Vec<(&str, Option<&str>, Option<&str>)> = log
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.subject.as_deref(),
                e.old_value.as_deref(),
            )
        })
        .collect();
    let arrow = format!("{node} → {target}");
    let mut expected = vec![
        ("model.import", Some("socialtilsyn-2014"), None),
        (
            "mapping.import",
            Some("socialtilsyn-2014 -> socialtilsyn-2017"),
            None,
        ),
        ("strategy.import", Some("egen-strategi"), None),
    ];
    if log.len() == 5 {
        expected.push(("strategy.link.add", Some("egen-strategi"), None));
    }
    expected.push((
        "strategy.link.remove",
        Some("egen-strategi"),
        Some(arrow.as_str()),
    ));
    assert_eq!(rows, expected);
    assert_eq!(
        log[0].new_value.as_deref(),
        Some(official.content_hash().as_str())
    );
    assert_eq!(log[1].new_value.as_deref(), Some(file));
    assert_eq!(
        log[2].new_value.as_deref(),
        Some(own.content_hash().as_str())
    );
    assert!(
        log.iter()
            .all(|e| e.by == "tester" && e.assessment_id.is_none())
    );
    let v = b.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!(v.audit_rows, log.len());
    assert_eq!(v.signoffs, 0);
    assert!(!v.chain_head.is_empty());
    assert!(b.audit_log(Some(1)).unwrap().is_empty());
}

/// A fresh database passes every health check, under the same names in the same order
/// (SQLite's own `integrity` aside).
pub(crate) fn a_fresh_database_passes_the_health_checks<B: Maintenance + ?Sized>(b: &mut B) {
    let checks = b.doctor().unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    let names: Vec<&str> = checks
        .iter()
        .map(|c| c.name)
        .filter(|n| *n != "integrity")
        .collect();
    assert_eq!(
        names,
        [
            "foreign_keys",
            "schema",
            "lock_triggers",
            "model_hashes",
            "audit_chain",
            "signoffs",
            "actions",
            "texts"
        ]
    );
    let detail = |name: &str| {
        checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.detail.clone())
            .unwrap_or_default()
    };
    assert_eq!(detail("lock_triggers"), "6 of 6 present");
    assert_eq!(
        detail("model_hashes"),
        "5 model version(s) match their hashes"
    );
    assert_eq!(detail("audit_chain"), "0 row(s) in an unbroken chain");
    assert_eq!(detail("texts"), "every stored text is valid UTF-8");
}

/// An assessment signed off by the program verifies and passes the doctor; a score
/// changed past the lock (`forge`: the backend's own way round its triggers, given the
/// assessment) is named by `verify` and fails the doctor's sign-off check.
pub(crate) fn a_signed_assessment_verifies_until_a_score_is_forged<
    B: Facilities + ModelVersions + Assessments + Scores + AuditChain + Maintenance + ?Sized,
>(
    b: &mut B,
    forge: impl FnOnce(&mut B, i64),
) {
    let f = b
        .add_facility(&new_facility("Solhøj", &["board"]), &stamp())
        .unwrap();
    let model = b.model_for_year(2026).unwrap();
    let a = b
        .start_assessment(&f, 2026, &model, false, &stamp())
        .unwrap();
    for r in model.indicators() {
        if r.indicator.id != "2d" {
            b.set_score(a.id, &super::input(&r.indicator.id, 3), &stamp())
                .unwrap();
        }
    }
    b.finalise(a.id, "Forstander Mette", &stamp()).unwrap();
    let v = b.verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!((v.signoffs, v.unsigned), (1, 0));
    assert!(b.doctor().unwrap().iter().all(|c| c.ok));
    forge(b, a.id);
    let v = b.verify(None).unwrap();
    assert!(
        v.findings
            .iter()
            .any(|t| matches!(t, Tampering::Signoff { assessment, .. } if *assessment == a.id)),
        "{:?}",
        v.findings
    );
    let checks = b.doctor().unwrap();
    let signoffs = checks.iter().find(|c| c.name == "signoffs").unwrap();
    assert!(!signoffs.ok);
    assert_eq!(
        signoffs.detail,
        format!("changed after sign-off: assessment {}", a.id)
    );
}

/// Improvement actions changed or deleted behind the program's back are named by
/// `verify` (`forge` changes the first action's text and deletes the second, the
/// backend's own way), the rest are not; one assessment asked about names only its own.
pub(crate) fn actions_changed_behind_the_programs_back_are_named<
    B: Facilities + ModelVersions + Assessments + Actions + AuditChain + ?Sized,
>(
    b: &mut B,
    forge: impl FnOnce(&mut B, i64, i64),
) {
    let model = b.model_for_year(2026).unwrap();
    let mut made = Vec::new();
    for name in ["Solhøj", "Nyhuset"] {
        let f = b.add_facility(&new_facility(name, &[]), &stamp()).unwrap();
        let a = b
            .start_assessment(&f, 2026, &model, false, &stamp())
            .unwrap();
        for text in ["Kursus i dokumentation", "Ny mødestruktur"] {
            let new = crate::assessment::NewAction {
                text: text.into(),
                indicators: vec!["1b".into(), "1a".into()],
                action_plan: None,
                owner: "Mette".into(),
                due: None,
            };
            // an action is known by its assessment, its creator and when it was made
            let at = crate::store::Stamp {
                at: chrono::DateTime::UNIX_EPOCH + chrono::TimeDelta::seconds(made.len() as i64),
                ..stamp()
            };
            made.push((a.id, b.add_action(a.id, &new, &at).unwrap().id));
        }
    }
    assert!(b.verify(None).unwrap().findings.is_empty());
    let (a, changed) = made[0];
    let deleted = made[1].1;
    forge(b, changed, deleted);
    let v = b.verify(None).unwrap();
    let named: Vec<(i64, i64, ActionProblem)> = v
        .findings
        .iter()
        .filter_map(|t| match t {
            Tampering::Action {
                id,
                assessment,
                problem,
            } => Some((*id, *assessment, *problem)),
            _ => None,
        })
        .collect();
    assert_eq!(
        named,
        [
            (changed, a, ActionProblem::Changed),
            (deleted, a, ActionProblem::Deleted)
        ]
    );
    assert_eq!(b.verify(Some(a)).unwrap().findings.len(), 2);
    assert!(b.verify(Some(made[2].0)).unwrap().findings.is_empty());
}

/// The suite's part on SQLite.
mod sqlite {
    use crate::store::Store;

    fn fresh() -> Store {
        Store::open_in_memory(&super::stamp()).unwrap()
    }

    macro_rules! on_sqlite {
        ($($name:ident),* $(,)?) => {
            $(#[test] fn $name() { super::$name(&mut fresh()); })*
        };
    }

    on_sqlite!(
        bundled_definitions_are_there_from_the_start,
        the_model_of_a_year_is_the_one_in_force,
        a_regions_official_copy_replaces_the_text_but_not_the_structure,
        a_mapping_is_stored_once_and_read_both_ways,
        strategies_round_trip_through_their_rows,
        strategy_imports_and_links_keep_their_rules,
        each_framework_reads_the_strategy_links_written_for_it,
        definition_writes_are_audited_and_the_chain_verifies,
        a_fresh_database_passes_the_health_checks,
    );

    #[test]
    fn actions_changed_behind_the_programs_back_are_named() {
        super::actions_changed_behind_the_programs_back_are_named(
            &mut fresh(),
            |s, changed, deleted| {
                s.conn
                    .execute_batch(&format!(
                        "UPDATE improvement_actions SET text = 'Noget andet' WHERE id = {changed};
                         DELETE FROM action_indicators WHERE action_id = {deleted};
                         DELETE FROM improvement_actions WHERE id = {deleted};"
                    ))
                    .unwrap();
            },
        );
    }

    #[test]
    fn a_signed_assessment_verifies_until_a_score_is_forged() {
        super::a_signed_assessment_verifies_until_a_score_is_forged(&mut fresh(), |s, a| {
            s.conn
                .execute_batch(&format!(
                    "DROP TRIGGER scores_locked_update;
                     UPDATE scores SET value = 1 WHERE assessment_id = {a} AND indicator_id = '1a';"
                ))
                .unwrap();
        });
    }
}
