//! The memo of the last full check of the bundled definitions: a start whose database
//! was found holding this program's models and strategies, still there, needs no parsing
//! of them (most of a one-score command's own time was that parsing).

use super::Store;
use crate::model;
use crate::strategy::{self, Strategy};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// The settings key of the memo of the last full check of the bundled definitions: the
/// program's own note (not a user's setting, so not in the audit log).
pub(in crate::store) const KEY: &str = "cache.bundled";

/// What a full check of the bundled definitions found: for the program's bundled texts
/// (`fingerprint`), the model versions' hashes and each strategy's id and hash.
#[derive(Serialize, Deserialize)]
pub(in crate::store) struct BundledSeen {
    fingerprint: String,
    /// The model versions' hashes.
    pub(in crate::store) models: Vec<String>,
    /// Each strategy's id and hash.
    pub(in crate::store) strategies: Vec<(String, String)>,
}

/// A hash of every bundled text (models, earlier versions, mappings, strategies) with its
/// file name: another program version with other texts has another one. Worked out when
/// the program is built (FNV-1a over each text and its length), so a start pays nothing
/// for it; not a proof of anything (the memo only spares a check: a mismatch means one
/// full check), so 64 bits of a simple hash are enough.
const FINGERPRINT: u64 = {
    let h = files(FNV_OFFSET, model::BUNDLED_MODELS);
    let h = files(h, model::BUNDLED_MAPPINGS);
    let mut h = files(h, strategy::BUNDLED_STRATEGIES);
    let mut i = 0;
    while i < model::EARLIER_BUNDLED.len() {
        let (id, hash, source) = model::EARLIER_BUNDLED[i];
        h = field(field(field(h, id), hash), source);
        i += 1;
    }
    h
};

/// `field` over each file's name and text.
const fn files(mut h: u64, list: &[(&str, &str)]) -> u64 {
    let mut i = 0;
    while i < list.len() {
        h = field(field(h, list[i].0), list[i].1);
        i += 1;
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over one text's length, then its bytes (so no two lists of texts run together).
const fn field(mut h: u64, text: &str) -> u64 {
    let bytes = text.as_bytes();
    let len = (bytes.len() as u64).to_le_bytes();
    let mut i = 0;
    while i < len.len() {
        h = (h ^ len[i] as u64).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h
}

fn bundled_fingerprint() -> String {
    format!("{FINGERPRINT:016x}")
}

impl BundledSeen {
    /// The memo as stored, where it is one of this program's bundled texts and names as
    /// many model versions and strategies as the program bundles (`None` otherwise: a full
    /// check is due).
    pub(in crate::store) fn from_memo(memo: &str) -> Option<BundledSeen> {
        let seen = serde_json::from_str::<BundledSeen>(memo).ok()?;
        let whole = seen.fingerprint == bundled_fingerprint()
            && seen.models.len() == model::BUNDLED_MODELS.len() + model::EARLIER_BUNDLED.len()
            && seen.strategies.len() == strategy::BUNDLED_STRATEGIES.len();
        whole.then_some(seen)
    }

    /// The memo to store.
    pub(in crate::store) fn to_memo(&self) -> String {
        serde_json::to_string(self).expect("serializes")
    }

    /// What a full check found: these model versions' hashes and these strategies.
    pub(in crate::store) fn of(hashes: &[String], strategies: &[Strategy]) -> BundledSeen {
        BundledSeen {
            fingerprint: bundled_fingerprint(),
            models: hashes.to_vec(),
            strategies: strategies
                .iter()
                .map(|s| (s.id.clone(), s.content_hash()))
                .collect(),
        }
    }
}

impl Store {
    /// Whether the memo of the last full check names this program's bundled definitions,
    /// and every model version and strategy it names is still as it was found.
    pub(super) fn bundled_seen(&self) -> rusqlite::Result<bool> {
        let memo: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(seen) = memo.as_deref().and_then(BundledSeen::from_memo) else {
            return Ok(false);
        };
        let models = serde_json::to_string(&seen.models).expect("serializes");
        let strategies = serde_json::to_string(&seen.strategies).expect("serializes");
        self.conn.query_row(
            "SELECT (SELECT count(DISTINCT hash) FROM models
                      WHERE hash IN (SELECT value FROM json_each(?1))) = json_array_length(?1)
                AND (SELECT count(*) FROM json_each(?2) j
                       JOIN strategies s ON s.id = json_extract(j.value, '$[0]')
                      WHERE NOT s.bundled OR s.hash = json_extract(j.value, '$[1]')) = json_array_length(?2)",
            params![models, strategies],
            |r| r.get(0),
        )
    }

    /// Keeps what a full check found. A memo only: where it cannot be written (another
    /// writer holds the lock past the timeout), the next start checks in full again.
    pub(super) fn remember_bundled(&self, seen: &BundledSeen) {
        let _ = self.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![KEY, seen.to_memo()],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Stamp;

    fn open(path: &std::path::Path) -> Store {
        let stamp = Stamp {
            by: "tester".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        Store::open(path, &stamp).unwrap()
    }

    fn memo(store: &Store) -> serde_json::Value {
        let v: String = store
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .unwrap();
        serde_json::from_str(&v).unwrap()
    }

    #[test]
    fn the_fingerprint_tells_texts_and_their_bounds_apart() {
        let of = |texts: &[&str]| texts.iter().fold(FNV_OFFSET, |h, t| field(h, t));
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_ne!(of(&["model"]), of(&["modem"]));
        assert_ne!(of(&["", "x"]), of(&["x", ""]));
        assert_eq!(bundled_fingerprint().len(), 16);
        assert_ne!(FINGERPRINT, FNV_OFFSET);
    }

    #[test]
    fn a_start_takes_the_memo_only_while_everything_it_names_is_as_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = open(&path);
        assert!(
            store.bundled_seen().unwrap(),
            "the first start leaves the memo"
        );
        assert_eq!(memo(&store)["fingerprint"], bundled_fingerprint().as_str());
        assert_eq!(memo(&store)["models"].as_array().unwrap().len(), 5);
        let earlier = model::EARLIER_BUNDLED[0].1;

        // a model version gone: the memo does not hold, and the next start puts it back
        store
            .conn
            .execute("DELETE FROM models WHERE hash = ?1", [earlier])
            .unwrap();
        assert!(!store.bundled_seen().unwrap());
        drop(store);
        let store = open(&path);
        assert_eq!(store.model_records().unwrap().len(), 5);
        assert!(store.bundled_seen().unwrap());

        // a bundled strategy changed outside the program: refreshed by the full check
        let (id, hash): (String, String) = store
            .conn
            .query_row(
                "SELECT id, hash FROM strategies WHERE bundled = 1 ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        store
            .conn
            .execute("UPDATE strategies SET hash = 'x' WHERE id = ?1", [&id])
            .unwrap();
        assert!(!store.bundled_seen().unwrap());
        drop(store);
        let store = open(&path);
        let now: String = store
            .conn
            .query_row("SELECT hash FROM strategies WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(now, hash);

        // a region's own copy in place of a bundled strategy still counts as found
        store
            .conn
            .execute(
                "UPDATE strategies SET bundled = 0, hash = 'own' WHERE id = ?1",
                [&id],
            )
            .unwrap();
        assert!(store.bundled_seen().unwrap());

        drop(store);
        // the memo of another program version's texts, one naming too little or one
        // version twice, or one that does not parse: a full check, which writes it anew
        for forged in [
            "json_set(value, '$.fingerprint', 'other')",
            "json_remove(value, '$.models[0]')",
            "json_remove(value, '$.strategies[0]')",
            "json_set(value, '$.models[0]', json_extract(value, '$.models[1]'))",
            "'not json'",
        ] {
            let store = open(&path);
            store
                .conn
                .execute(
                    &format!("UPDATE settings SET value = {forged} WHERE key = ?1"),
                    [KEY],
                )
                .unwrap();
            assert!(!store.bundled_seen().unwrap(), "{forged}");
            drop(store);
            let store = open(&path);
            assert!(store.bundled_seen().unwrap(), "{forged}");
            assert_eq!(memo(&store)["fingerprint"], bundled_fingerprint().as_str());
        }
    }
}
