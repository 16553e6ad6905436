//! The entry points of the fuzz targets under `fuzz/` (cargo-fuzz), here so that the
//! inputs the fuzzers found interesting run as ordinary regression tests too
//! (`tests/fuzz_regressions.rs`). Each takes any bytes and must return, never panic:
//! bad input is an error value, which is all these functions look at.

use crate::exchange::OnConflict;
use crate::model::{ModelMapping, QualityModel, bundled_models};
use crate::store::{Stamp, Store};
use crate::strategy::Strategy;

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Imports the bytes as an exchange bundle into a fresh in-memory database, then reads
/// everything back out as a bundle. Returns whether the import was accepted.
pub fn import_bundle(data: &[u8]) -> bool {
    let Some(text) = text(data) else {
        return false;
    };
    let stamp = Stamp {
        by: "fuzz".into(),
        at: chrono::DateTime::UNIX_EPOCH,
    };
    let Ok(mut store) = Store::open_in_memory(&stamp) else {
        return false;
    };
    let accepted = store
        .import_bundle_text("fuzz.json", text, OnConflict::Refuse, &stamp)
        .is_ok();
    if accepted {
        // what was accepted must read back, verify and import again unchanged
        let mut out = Vec::new();
        let session = crate::app::Session::new(store, crate::i18n::Lang::Da, "fuzz".into());
        let exported = crate::app::exchange::select(&session, &crate::store::Selection::All)
            .and_then(|(facilities, assessments)| {
                crate::export::bundle::write(
                    &session,
                    &facilities,
                    &assessments,
                    "2026-01-01T00:00:00.000Z",
                    "fuzz",
                    std::path::Path::new("again.json"),
                    &mut out,
                )
            });
        assert!(
            exported.is_ok(),
            "an accepted bundle does not export: {exported:?}"
        );
        let mut store = session.store;
        let again = store.import_bundle_text(
            "again.json",
            std::str::from_utf8(&out).expect("exports are UTF-8"),
            OnConflict::Refuse,
            &stamp,
        );
        assert!(
            again.is_ok(),
            "an exported bundle does not import: {again:?}"
        );
        let v = store.verify(None).expect("verify runs");
        assert!(
            v.findings.is_empty(),
            "an import broke the audit chain: {:?}",
            v.findings
        );
    }
    accepted
}

/// Loads the bytes as a quality model, and as a mapping between the bundled models.
/// Returns whether either accepted them.
pub fn load_model(data: &[u8]) -> bool {
    let Some(text) = text(data) else {
        return false;
    };
    let mapping = ModelMapping::parse("fuzz.json", text, &bundled_models()).is_ok();
    let model = QualityModel::parse("fuzz.json", text)
        .map(|m| m.content_hash())
        .is_ok();
    mapping || model
}

/// Loads the bytes as a regional strategy against the bundled models. Returns whether it
/// was accepted.
pub fn load_strategy(data: &[u8]) -> bool {
    let Some(text) = text(data) else {
        return false;
    };
    Strategy::parse("fuzz.json", text, &bundled_models()).is_ok()
}
