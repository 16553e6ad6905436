//! Importing an exchange bundle into the server: SQLite's import (`store/import.rs`, the
//! specification) in PostgreSQL's words. The same reading thread (`import_read`) hands
//! over each part as it is read, with the same early checks (`import::early_check`);
//! this thread checks each part and merges it at once, in one transaction, with the same
//! decisions, errors, rows and audit rows as SQLite's writer. What must wait is kept, as
//! there: assessments before the head is complete, those that differ from the server's
//! (decided last), and the audit rows while any of those wait.
//!
//! The lock triggers: a bundle's finalised assessment is added as a draft, filled and
//! then signed, which the insert and score triggers let through; signing (and reopening a
//! replaced one) is recorded in the chain from the bundle's own rows and, where those do
//! not explain it, by rows appended before commit (`import_finish`), so the two triggers
//! on `assessments` that ask for the chain's row first are disabled for the transaction
//! (`ALTER TABLE` is transactional: a rollback restores them; it needs the table's owner
//! and holds the table's lock to the end, as SQLite's import holds the database's).

use super::{PgStore, server_error};
use crate::assessment::PersonalDataPolicy;
use crate::error::{Error, Result};
use crate::exchange::{
    BundleFacility, ImportReport, ModelsByHash, OnConflict, check_facilities, check_models,
};
use crate::model::QualityModel;
use crate::store::Stamp;
use crate::store::import::early_check::{EarlyCheck, Spent, sendable};
use crate::store::import::parts::{self, Head, Parts};
use crate::store::import::rows::framework_of;
use crate::store::import::run::unreadable_at;
use crate::store::import_read::{NotUtf8, Part, QUEUE, locate_error, read_parts};
use postgres::Transaction;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::rc::Rc;
use std::sync::mpsc::{channel, sync_channel};

/// The two triggers the import sets aside for its transaction (see the module's text).
const DISABLE: &str = "ALTER TABLE assessments DISABLE TRIGGER assessments_signoff_by_chain, DISABLE TRIGGER assessments_signed_locked";
pub(super) const ENABLE: &str = "ALTER TABLE assessments ENABLE TRIGGER assessments_signoff_by_chain, ENABLE TRIGGER assessments_signed_locked";

/// A server error as the user sees it (the server's words, the address without password).
pub(super) fn pg(server: &str) -> impl Fn(postgres::Error) -> Error + '_ {
    move |e| server_error(server, &e)
}

/// The writing side on the server (as `store::import::Importer`).
pub(super) struct PgImporter<'t, 'c> {
    pub(super) tx: &'t mut Transaction<'c>,
    pub(super) server: &'t str,
    pub(super) file: &'t str,
    pub(super) on_conflict: OnConflict,
    pub(super) known: &'t ModelsByHash,
    pub(super) report: ImportReport,
    /// The models the assessments may use and the facilities' names, once the head is in.
    pub(super) head: Option<Rc<(ModelsByHash, Vec<String>)>>,
    pub(super) facility_ids: HashMap<String, i64>,
    /// (facility, year, framework) triples that hold an assessment here.
    pub(super) taken: HashSet<(i64, i32, String)>,
    pub(super) written: HashMap<(String, i32), i64>,
    pub(super) written_created: HashMap<(String, i32, String), i64>,
    pub(super) replaced: Vec<i64>,
    pub(super) policy: PersonalDataPolicy,
    pub(super) touched: HashSet<i64>,
    pub(super) shared: HashSet<(String, i32)>,
    /// The parts taken so far, and what they leave to do.
    pub(super) parts: Parts<'t>,
    /// The end of the chain, once rows are appended.
    pub(super) chain: Option<super::import_finish::PgChain>,
    /// The statements run per assessment or row, prepared once.
    statements: HashMap<&'static str, postgres::Statement>,
    /// The rows kept to be sent in chunks.
    pub(super) rows: super::import_rows::Rows,
}

impl<'t, 'c> PgImporter<'t, 'c> {
    fn new(
        tx: &'t mut Transaction<'c>,
        server: &'t str,
        file: &'t str,
        on_conflict: OnConflict,
        known: &'t ModelsByHash,
        policy: PersonalDataPolicy,
    ) -> Self {
        PgImporter {
            tx,
            server,
            file,
            on_conflict,
            known,
            report: ImportReport::default(),
            head: None,
            facility_ids: HashMap::new(),
            taken: HashSet::new(),
            written: HashMap::new(),
            written_created: HashMap::new(),
            replaced: Vec::new(),
            policy,
            touched: HashSet::new(),
            shared: HashSet::new(),
            parts: Parts::new(file, policy),
            chain: None,
            statements: HashMap::new(),
            rows: Default::default(),
        }
    }

    /// The statement of `sql`, prepared on first use.
    pub(super) fn statement(&mut self, sql: &'static str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(pg(self.server))?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }

    /// The models the bundle carries and its facilities.
    pub(super) fn add_head(&mut self, head: Head) -> Result<()> {
        let (file, known, e) = (self.file, self.known, pg(self.server));
        let Head {
            models,
            facilities,
            exported_by: by,
            exported_at: at,
        } = head;
        let usable = check_models(file, &models, &|h| known.get(h).cloned())?;
        let names = check_facilities(file, &facilities)?;
        crate::exchange::check_facility_texts(file, &facilities, self.policy)?;
        for m in &models {
            let Some(model) = &m.model else { continue };
            let present = self
                .tx
                .query_opt("SELECT 1 FROM models WHERE hash = $1", &[&m.hash])
                .map_err(&e)?
                .is_some();
            if !present {
                let active = self
                    .tx
                    .query_opt("SELECT 1 FROM models WHERE id = $1 AND active", &[&m.id])
                    .map_err(&e)?
                    .is_some();
                let json = serde_json::to_string(model).map_err(|err| Error::Server {
                    server: self.server.to_string(),
                    message: err.to_string(),
                })?;
                self.tx
                    .execute(
                        "INSERT INTO models (hash, id, json, bundled, active, source_file, loaded_by, loaded_at) VALUES ($1, $2, $3, false, $4, $5, $6, $7)",
                        &[&m.hash, &m.id, &json, &!active, &file, &by, &at],
                    )
                    .map_err(&e)?;
                self.report.models_added += 1;
            }
        }
        for f in &facilities {
            let key = f.name.trim().to_lowercase();
            let found = self
                .tx
                .query_opt("SELECT id FROM facilities WHERE name_key = $1", &[&key])
                .map_err(&e)?;
            let id = match found {
                Some(r) => r.get(0),
                None => {
                    self.report.facilities_added += 1;
                    insert_facility(self.tx, f).map_err(&e)?
                }
            };
            self.facility_ids.insert(key, id);
        }
        let pairs = self
            .tx
            .query(
                "SELECT DISTINCT facility_id, year, model_hash FROM assessments",
                &[],
            )
            .map_err(&e)?;
        self.taken = pairs
            .iter()
            .map(|r| {
                let hash: &str = r.get(2);
                (r.get(0), r.get(1), framework_of(known, hash))
            })
            .collect();
        self.head = Some(Rc::new((usable, names)));
        Ok(())
    }
}

/// Adds a bundle's facility with its tags; its number.
pub(super) fn insert_facility(
    tx: &mut Transaction<'_>,
    f: &BundleFacility,
) -> std::result::Result<i64, postgres::Error> {
    let name = f.name.trim();
    let id: i64 = tx
        .query_one(
            "INSERT INTO facilities (name, name_key, organisation, location, facility_type, target_group, created_at, archived_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[&name, &name.to_lowercase(), &f.organisation, &f.location, &f.facility_type, &f.target_group, &f.created_at, &f.archived_at],
        )?
        .get(0);
    tx.execute(
        "INSERT INTO facility_tags (facility_id, tag) SELECT $1, t FROM unnest($2::text[]) t ON CONFLICT DO NOTHING",
        &[&id, &f.tags],
    )?;
    Ok(id)
}

impl PgStore {
    /// Every model version the server holds, by content hash.
    fn stored_models(&self) -> Result<ModelsByHash> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT hash, json FROM models", &[])
            .map_err(|e| self.err(e))?;
        rows.iter()
            .map(|r| {
                let model: QualityModel =
                    serde_json::from_str(r.get(1)).map_err(|e| Error::Server {
                        server: self.server.clone(),
                        message: format!("a stored model does not read back: {e}"),
                    })?;
                Ok((r.get::<_, String>(0), Rc::new(model)))
            })
            .collect()
    }

    /// The import (as `Store::import_bundle_from`): read on one thread, checked and merged
    /// on this one, in one transaction; all of it or (on any error, which names the place
    /// in the file) nothing.
    pub(super) fn import_from<R: Read + Send>(
        &mut self,
        file: &str,
        open: &dyn Fn() -> std::io::Result<R>,
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
        let server = self.server.clone();
        let e = pg(&server);
        let mut unreadable = false;
        let stored = sendable(&known);
        let mut client = self.client.borrow_mut();
        let merged = std::thread::scope(|scope| {
            let (out, parts) = sync_channel::<Part>(QUEUE);
            let (policy_out, policy_in) = sync_channel::<PersonalDataPolicy>(1);
            let (give_back, spent) = channel::<Spent>();
            let reader = scope.spawn(move || {
                let early =
                    std::cell::RefCell::new(EarlyCheck::new(file, stored, policy_in, spent));
                read_parts(input, &|mut p| {
                    early.borrow_mut().see(&mut p);
                    out.send(p).is_ok()
                })
            });
            // the receiver lives in here: an error below drops it, which stops the reader
            let parts = parts;
            let mut tx = client.transaction().map_err(&e)?;
            tx.batch_execute(DISABLE).map_err(&e)?;
            super::import_finish::note_unexplained(&mut tx).map_err(&e)?;
            let policy = if strict {
                PersonalDataPolicy::Strict
            } else {
                tx.query_opt(
                    "SELECT value FROM settings WHERE key = 'personal_data'",
                    &[],
                )
                .map_err(&e)?
                .and_then(|r| PersonalDataPolicy::parse(r.get(0)))
                .unwrap_or_default()
            };
            let _ = policy_out.send(policy);
            drop(policy_out);
            let mut importer = PgImporter::new(&mut tx, &server, file, on_conflict, &known, policy);
            importer.parts.give_back_to(give_back);
            for part in parts.iter() {
                parts::take(&mut importer, part)?;
            }
            let report = match reader.join() {
                Ok(Ok(())) => importer.finish(stamp),
                Ok(Err(err)) if err.is_io() => Err(match NotUtf8::in_error(err) {
                    Ok(byte) => {
                        Error::definition(file, "$", format!("not UTF-8 text (byte {byte})"))
                    }
                    Err(source) => unopened(source),
                }),
                Ok(Err(err)) => {
                    unreadable = true;
                    Err(Error::definition(file, "$", err.to_string()))
                }
                Err(_) => Err(Error::definition(file, "$", "the file could not be read")),
            }?;
            tx.commit().map_err(&e)?;
            Ok(report)
        });
        match merged {
            // where the JSON does not hold up: read it again, tracking the path, to say where
            Err(err) if unreadable => Err(open()
                .ok()
                .and_then(locate_error)
                .map(|(path, e)| unreadable_at(file, path, e))
                .unwrap_or(err)),
            merged => merged,
        }
    }
}

impl crate::store::backend::BundleImport for PgStore {
    fn import_bundle_from(
        &mut self,
        file: &str,
        open: &dyn Fn() -> std::io::Result<Box<dyn Read + Send>>,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        self.import_from(file, open, on_conflict, stamp)
    }

    fn import_bundle_text(
        &mut self,
        file: &str,
        text: &str,
        on_conflict: OnConflict,
        stamp: &Stamp,
    ) -> Result<ImportReport> {
        self.import_from(file, &|| Ok(text.as_bytes()), on_conflict, stamp)
    }
}
