//! The PostgreSQL backend's model versions, strategies, audit chain and maintenance: the
//! shared suite's part (`store/backend_suite/models.rs`) and the server's own cases
//! (the bundled definitions on connect, forgers with the triggers set aside).

use super::PgStore;
use super::cluster::cluster;
use crate::model::{self, QualityModel};
use crate::store::backend::ModelVersions;
use crate::store::backend_suite::{self as suite, stamp};

/// A store on a fresh database of the test cluster; `None` (skipped) without a server.
fn fresh() -> Option<PgStore> {
    let c = cluster()?;
    Some(PgStore::connect(&c.fresh_database(), &stamp()).expect("connects"))
}

macro_rules! on_pg {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() {
            let Some(mut s) = fresh() else { return };
            suite::$name(&mut s);
        })*
    };
}

on_pg!(
    bundled_definitions_are_there_from_the_start,
    the_model_of_a_year_is_the_one_in_force,
    a_regions_official_copy_replaces_the_text_but_not_the_structure,
    a_mapping_is_stored_once_and_read_both_ways,
    strategies_round_trip_through_their_rows,
    strategy_imports_and_links_keep_their_rules,
    each_framework_reads_the_strategy_links_written_for_it,
);

fn execute(s: &PgStore, sql: &str) {
    s.client.borrow_mut().batch_execute(sql).unwrap();
}

/// SQLite's `load_bundled` rules on connect: a database that lacks a bundled version gets
/// it, active unless a region's own copy of that model is; the earlier bundled versions
/// stay inactive; nothing is loaded twice.
#[test]
fn a_reconnect_loads_missing_bundled_versions_and_keeps_a_regions_own_copy_active() {
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let models = model::bundled_models();
    let by_id = |id: &str| -> QualityModel { models.iter().find(|m| m.id == id).unwrap().clone() };
    // a region's own copy of the 2014 model, active
    let mut own = by_id("socialtilsyn-2014");
    own.themes[0].criteria[0].indicators[0].text.da = "Egen tekst.".into();
    assert!(s.import_model(&own, "egen.json", &stamp()).unwrap());
    // as an older program left the database: neither current bundled quality version
    // stored, the earlier 2017 version active
    let current: Vec<String> = ["socialtilsyn-2014", "socialtilsyn-2017"]
        .iter()
        .map(|id| by_id(id).content_hash())
        .collect();
    let earlier_2017 = model::earlier_bundled_models()
        .into_iter()
        .find(|(m, _)| m.id == "socialtilsyn-2017")
        .unwrap()
        .1;
    execute(
        &s,
        &format!(
            "DELETE FROM models WHERE hash IN ('{}', '{}');
             UPDATE models SET active = true WHERE hash = '{earlier_2017}'",
            current[0], current[1]
        ),
    );
    drop(s);
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(
        s.active_model("socialtilsyn-2014").unwrap().content_hash(),
        own.content_hash(),
        "the region's own copy stays active"
    );
    assert_eq!(
        s.active_model("socialtilsyn-2017").unwrap().content_hash(),
        current[1],
        "the new bundled version takes over from the earlier one"
    );
    let records = s.model_records().unwrap();
    assert_eq!(records.len(), 6);
    assert!(
        records
            .iter()
            .any(|r| r.hash == current[0] && r.bundled && !r.active)
    );
    assert!(records.iter().any(|r| r.hash == earlier_2017 && !r.active));
    drop(s);
    // a third connection finds everything and changes nothing
    let s = PgStore::connect(&url, &stamp()).unwrap();
    assert_eq!(s.model_records().unwrap().len(), 6);
}

/// A bundled strategy stored from an older text is refreshed on connect, keeping the
/// local links whose target the new text still has; a region's own strategy is kept.
#[test]
fn a_stale_bundled_strategy_is_refreshed_and_keeps_its_local_links() {
    use crate::store::backend::Strategies;
    let Some(c) = cluster() else { return };
    let url = c.fresh_database();
    let mut s = PgStore::connect(&url, &stamp()).unwrap();
    let records = s.strategy_records().unwrap();
    let id = records[0].id.clone();
    let original = s.strategy(&id).unwrap();
    let target = original.themes[0].focus_areas[0].action_plans[0].id.clone();
    let link = crate::strategy::Link {
        node: "2b".into(),
        target: target.clone(),
        basis: crate::strategy::Basis::Local,
        note: None,
    };
    if !original
        .links
        .iter()
        .any(|l| l.node == "2b" && l.target == target)
    {
        s.add_link(&id, &link, &stamp()).unwrap();
    }
    execute(
        &s,
        &format!("UPDATE strategies SET hash = 'old', name = 'Gammel tekst' WHERE id = '{id}'"),
    );
    drop(s);
    let s = PgStore::connect(&url, &stamp()).unwrap();
    let now = s.strategy(&id).unwrap();
    assert_eq!(now.name, original.name);
    assert!(
        now.links
            .iter()
            .any(|l| l.node == "2b" && l.target == target)
    );
    let record = s.strategy_records().unwrap();
    let record = record.iter().find(|r| r.id == id).unwrap();
    assert_eq!(record.hash, original.content_hash());
}
