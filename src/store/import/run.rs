//! `Store::import_bundle_from`: the reading thread and the writing transaction of an
//! import, and the error of a file that does not read as a bundle.

use super::Importer;
use super::early_check::{EarlyCheck, Spent, sendable};
use crate::assessment::PersonalDataPolicy;
use crate::error::{Error, Result};
use crate::exchange::{ImportReport, ModelsByHash, OnConflict};
use crate::store::bulk::BulkJournal;
use crate::store::import_read::{NotUtf8, Part, QUEUE, locate_error, read_parts};
use crate::store::{Stamp, Store};
use std::io::Read;
use std::sync::mpsc::{channel, sync_channel};

/// The page cache of an import, in KiB (negative: SQLite's unit for a size).
const IMPORT_CACHE_KIB: i64 = -16384;

impl Store {
    /// Imports a bundle from its text (see `import_bundle_from`).
    pub fn import_bundle_text(
        &mut self,
        file: &str,
        text: &str,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        self.import_bundle_from(file, || Ok(text.as_bytes()), on_conflict, stamp)
    }

    /// Imports a bundle from what `open` reads (the file named `file`), read on one thread
    /// through a buffer while this one checks and merges each part, in one transaction
    /// (under a rollback journal where the database holds no assessments yet: see
    /// `BulkJournal`). All of it, or (on any error, which names the place in the file)
    /// nothing. Where the JSON does not hold up, `open` is called again to read it once
    /// more, tracking the path, to say where.
    pub fn import_bundle_from<R: Read + Send>(
        &mut self,
        file: &str,
        open: impl Fn() -> std::io::Result<R>,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        let unopened = |source| Error::Io {
            path: file.into(),
            source,
        };
        let input = open().map_err(unopened)?;
        let known = self.stored_models()?;
        let strict = self.strict;
        let path = self.path.clone();
        // a larger page cache for the load, so the B-trees and their indexes are spilled
        // less often; bounded, since the import's peak memory is (issue 16: ≤ 64 MB)
        self.conn
            .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)
            .map_err(|e| crate::store::db_error(&path, e))?;
        let switched = BulkJournal::enter(&self.conn, &path);
        let mut unreadable = false;
        let stored = sendable(&known);
        let merged = std::thread::scope(|scope| {
            let (out, parts) = sync_channel::<Part>(QUEUE);
            let (policy_out, policy_in) = sync_channel::<PersonalDataPolicy>(1);
            let (give_back, spent) = channel::<Spent>();
            let reader = scope.spawn(move || {
                // the reading thread checks what it can (see `early_check`)
                let early =
                    std::cell::RefCell::new(EarlyCheck::new(file, stored, policy_in, spent));
                read_parts(input, &|mut p| {
                    early.borrow_mut().see(&mut p);
                    out.send(p).is_ok()
                })
            });
            self.write(|tx| {
                // the receiver lives in here: an error below drops it, which stops the reader
                let parts = parts;
                crate::store::migrations::set_aside_lock_triggers(tx)?;
                let policy = if strict {
                    PersonalDataPolicy::Strict
                } else {
                    crate::store::actions::read_policy(tx)?
                };
                // the reader waits for it before its first check
                let _ = policy_out.send(policy);
                drop(policy_out);
                let mut importer = Importer::new(tx, file, on_conflict, &known, policy);
                importer.parts.give_back_to(give_back);
                for part in parts.iter() {
                    super::parts::take(&mut importer, part)?;
                }
                // the reader's verdict on the whole file, before anything is committed
                match reader.join() {
                    Ok(Ok(())) => importer.finish(stamp),
                    Ok(Err(e)) if e.is_io() => Err(match NotUtf8::in_error(e) {
                        Ok(byte) => {
                            Error::definition(file, "$", format!("not UTF-8 text (byte {byte})"))
                        }
                        Err(source) => unopened(source),
                    }),
                    Ok(Err(e)) => {
                        unreadable = true;
                        Err(Error::definition(file, "$", e.to_string()))
                    }
                    Err(_) => Err(Error::definition(file, "$", "the file could not be read")),
                }
            })
        });
        drop(BulkJournal {
            conn: &self.conn,
            switched,
        });
        match merged {
            // where the JSON does not hold up: read it again, tracking the path, to say where
            Err(e) if unreadable => Err(open()
                .ok()
                .and_then(locate_error)
                .map(|(path, e)| unreadable_at(file, path, e))
                .unwrap_or(e)),
            merged => merged,
        }
    }

    /// Every model version the database holds, by content hash.
    fn stored_models(&self) -> Result<ModelsByHash> {
        let mut stmt = self
            .conn
            .prepare("SELECT hash FROM models")
            .map_err(|e| self.err(e))?;
        let hashes = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        hashes
            .into_iter()
            .map(|h| self.model_by_hash(&h).map(|m| (h, m)))
            .collect()
    }
}

/// The error of a bundle that does not read as one, at its JSON path (as
/// `definition::parse` words it).
pub(in crate::store) fn unreadable_at(file: &str, path: String, e: serde_json::Error) -> Error {
    let message = if e.is_eof() {
        format!("the file ends too early (line {})", e.line())
    } else if e.is_syntax() {
        format!("not valid JSON: {e}")
    } else {
        // serde's message ends with " at line L column C"; keep it: it helps
        e.to_string()
    };
    Error::definition(file, if path == "." { "$".into() } else { path }, message)
}
