//! The JSON Schemas in docs/schema are generated from the definition types; this test
//! fails when they drift apart. `UPDATE_SCHEMAS=1 cargo test --test schemas` rewrites them.

use tilsynsklar::exchange::Bundle;
use tilsynsklar::model::{ModelMapping, QualityModel};
use tilsynsklar::strategy::Strategy;

fn check(name: &str, schema: serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(name);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is out of date: run UPDATE_SCHEMAS=1 cargo test --test schemas",
        path.display()
    );
}

#[test]
fn the_documented_schemas_match_the_code() {
    check(
        "model.schema.json",
        serde_json::to_value(schemars::schema_for!(QualityModel)).unwrap(),
    );
    check(
        "mapping.schema.json",
        serde_json::to_value(schemars::schema_for!(ModelMapping)).unwrap(),
    );
    check(
        "bundle.schema.json",
        serde_json::to_value(schemars::schema_for!(Bundle<'static>)).unwrap(),
    );
    check(
        "strategy.schema.json",
        serde_json::to_value(schemars::schema_for!(Strategy)).unwrap(),
    );
}
