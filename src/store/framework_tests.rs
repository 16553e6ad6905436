//! Frameworks in the store: an older database upgraded (the strategy links of other
//! models, scale values from 0), and the strategies each framework's gaps read.

use super::*;

fn stamp() -> Stamp {
    Stamp {
        by: "tester".into(),
        at: chrono::DateTime::UNIX_EPOCH,
    }
}

#[test]
fn a_database_of_schema_8_gets_the_safety_links_and_keeps_local_links_and_own_strategies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    {
        // the bundled Region Midtjylland strategy as an older program stored it, with a
        // link the region added, and a region's own strategy beside it
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations::migrate(&mut conn, &migrations::MIGRATIONS[..8]).unwrap();
        conn.execute_batch(
            "INSERT INTO strategies VALUES ('rm-social-strategi', 'old', 'Region Midtjylland', 'Social Strategi', NULL, NULL, NULL, NULL, 'socialtilsyn-2014', '', 1, 'x', 'a', '2020-01-01T00:00:00.000Z');
             INSERT INTO strategy_nodes VALUES ('rm-social-strategi', 'bedre-liv', NULL, 'theme', 'Bedre liv', NULL, '', 1);
             INSERT INTO strategy_nodes VALUES ('rm-social-strategi', 'hoej-sikkerhed', 'bedre-liv', 'focus_area', 'Høj sikkerhed', NULL, '', 2);
             INSERT INTO strategy_nodes VALUES ('rm-social-strategi', 'RM-03', 'hoej-sikkerhed', 'action_plan', 'Selvevaluering', NULL, '', 3);
             INSERT INTO strategy_links VALUES ('rm-social-strategi', 'K6', 'RM-03', 'proposed', NULL, 1);
             INSERT INTO strategy_links VALUES ('rm-social-strategi', 'T7', 'RM-03', 'local', 'vores egen', 2);
             INSERT INTO strategies VALUES ('egen', 'mine', 'Egen region', 'Egen', NULL, NULL, NULL, NULL, 'socialtilsyn-2017', '', 0, 'y', 'a', '2020-01-01T00:00:00.000Z');
             INSERT INTO strategy_nodes VALUES ('egen', 'E', NULL, 'theme', 'Tema', NULL, '', 1);
             INSERT INTO strategy_nodes VALUES ('egen', 'E-F', 'E', 'focus_area', 'Fokus', NULL, '', 2);
             INSERT INTO strategy_nodes VALUES ('egen', 'E-1', 'E-F', 'action_plan', 'Plan', NULL, '', 3);
             INSERT INTO strategy_links VALUES ('egen', 'T1', 'E-1', 'local', NULL, 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path, &stamp()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::SCHEMA_VERSION);
    let rm = store.strategy("rm-social-strategi").unwrap();
    assert_eq!(rm.model_links.len(), 1);
    assert_eq!(rm.model_links[0].model, "sikkerhed-2017");
    assert_eq!(rm.model_links[0].links.len(), 8);
    assert!(
        rm.node("RM-02").is_some(),
        "the bundled text replaced the old copy"
    );
    let local: Vec<_> = rm
        .links
        .iter()
        .filter(|l| l.basis == crate::strategy::Basis::Local)
        .collect();
    assert_eq!(local.len(), 1, "the region's own link is kept");
    assert_eq!(
        (
            local[0].node.as_str(),
            local[0].target.as_str(),
            local[0].note.as_deref()
        ),
        ("T7", "RM-03", Some("vores egen"))
    );
    let own = store.strategy("egen").unwrap();
    assert_eq!(own.links.len(), 1);
    assert_eq!(own.links[0].target, "E-1");
    assert!(own.model_links.is_empty());
    // the score rows take the values of a 0–3 scale, and the lock triggers are back
    let triggers = store
        .strings("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'scores'")
        .unwrap();
    assert_eq!(triggers.len(), 3, "{triggers:?}");
    store
        .conn
        .execute_batch(
            "INSERT INTO facilities (id, name, name_key, created_at) VALUES (1, 'A', 'a', 'x');
             INSERT INTO assessments (id, facility_id, year, model_id, model_hash, created_by, created_at)
               SELECT 1, 1, 2026, id, hash, 'a', 'x' FROM models WHERE id = 'sikkerhed-2017';
             INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES (1, 'S1a', 0, 'a', 'x');",
        )
        .unwrap();
    let err = store
        .conn
        .execute(
            "INSERT INTO scores (assessment_id, indicator_id, value, by, at) VALUES (1, 'S1b', 10, 'a', 'x')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[test]
fn each_framework_reads_the_strategy_links_written_for_it() {
    let mut store = Store::open_in_memory(&stamp()).unwrap();
    let f = store
        .add_facility(
            &NewFacility {
                name: "Solhøj".into(),
                organisation: "Region Midtjylland".into(),
                ..Default::default()
            },
            &stamp(),
        )
        .unwrap();
    let safety = store.strategies_for(&f, "sikkerhed-2017").unwrap();
    assert_eq!(safety.len(), 1);
    let (s, mapping) = &safety[0];
    assert_eq!(
        (s.id.as_str(), s.model.as_str()),
        ("rm-social-strategi", "sikkerhed-2017")
    );
    assert!(mapping.is_none());
    assert_eq!(s.links.len(), 8);
    assert!(s.links.iter().all(|l| l.node.starts_with('O')));
    let quality = store.strategies_for(&f, "socialtilsyn-2017").unwrap();
    assert_eq!(quality.len(), 1);
    let (s, mapping) = &quality[0];
    assert_eq!(s.model, "socialtilsyn-2014");
    assert!(mapping.is_some(), "read through the 2014→2017 mapping");
    assert!(!s.links.iter().any(|l| l.node.starts_with('O')));
    assert_eq!(
        store
            .framework_of_model("sikkerhed-2017")
            .unwrap()
            .as_deref(),
        Some("sikkerhed")
    );
    assert_eq!(store.framework_of_model("nope").unwrap(), None);
    // the quality model stays the default of a year; the safety one is asked for by name
    assert_eq!(store.model_for_year(2026).unwrap().id, "socialtilsyn-2017");
    assert_eq!(
        store
            .framework_model_for_year(2026, "sikkerhed")
            .unwrap()
            .id,
        "sikkerhed-2017"
    );
    assert!(matches!(
        store.framework_model_for_year(2010, "sikkerhed"),
        Err(Error::NoFrameworkModelForYear { year: 2010, .. })
    ));
}
