//! The PostgreSQL backend (a region's shared server), growing one trait of the seam
//! (`store::backend`) at a time: `PgStore` connects from a `postgres://` URL, creates the
//! schema (`schema.rs`) and implements `Facilities` (`facilities.rs`), `Settings` (`settings.rs`),
//! `ModelVersions` (`models.rs`), `Strategies` (`strategies.rs`), `AuditChain` (`verify.rs`)
//! and `Maintenance` (`maintenance.rs`). Not reachable from
//! the command line yet: a backend that can run only some commands would be a stub the
//! user can reach (`docs/postgres.md` has the plan).

mod actions;
mod assessments;
mod audit;
mod bulk;
mod bulk_flush;
#[cfg(test)]
pub(crate) mod cluster;
mod exchange;
mod export_streams;
mod facilities;
mod free_texts;
mod import;
mod import_finish;
mod import_merge;
mod import_rows;
mod listings;
mod maintenance;
mod models;
mod password;
mod previous;
mod read_rows;
mod roles;
mod roles_sql;
#[cfg(test)]
mod roles_tests;
mod rows;
mod schema;
mod scores;
mod settings;
mod signoff;
mod strategies;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_import;
#[cfg(test)]
mod tests_models;
#[cfg(test)]
mod tests_reads;
#[cfg(test)]
mod tests_scores;
mod tls;
mod verify;
mod verify_status;

use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::Stamp;
use postgres::Client;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub use password::redacted;
pub use roles::{RegionGroup, RegionMember};

/// An open connection to a tilsynsklar database on a PostgreSQL server.
pub struct PgStore {
    client: RefCell<Client>,
    /// The server's address as the user gave it, without the password (for messages).
    server: String,
    path: std::path::PathBuf,
    /// Refuse texts with personal identifiers whatever the database's policy (`--strict`).
    strict: bool,
    /// The model versions read so far, by content hash (a stored version never changes).
    models: RefCell<HashMap<String, Rc<QualityModel>>>,
}

impl PgStore {
    /// Connects to the database a `postgres://` URL names, creating the schema (and
    /// loading the bundled models) in an empty database. The password comes from the URL,
    /// `PGPASSWORD` or `~/.pgpass` (`PGPASSFILE`), and never into a message.
    pub fn connect(url: &str, stamp: &Stamp) -> Result<PgStore> {
        let server = redacted(url);
        let tls_failed = |problem| Error::ServerTls {
            server: server.clone(),
            problem,
        };
        let (url, tls) = tls::split(url).map_err(tls_failed)?;
        let mut config = password::config(&url).map_err(|message| Error::Server {
            server: server.clone(),
            message,
        })?;
        config.ssl_mode(tls.ssl_mode());
        let client = config
            .connect(tls.connector().map_err(tls_failed)?)
            .map_err(|e| match tls::certificate_problem(&e) {
                Some(problem) => tls_failed(problem),
                None => server_error(&server, &e),
            })?;
        let store = PgStore {
            client: RefCell::new(client),
            path: std::path::PathBuf::from(&server),
            server,
            strict: false,
            models: RefCell::new(HashMap::new()),
        };
        store.migrate(stamp)?;
        Ok(store)
    }

    fn err(&self, e: postgres::Error) -> Error {
        server_error(&self.server, &e)
    }

    /// Creates the schema in an empty database; refuses one newer than this program.
    fn migrate(&self, stamp: &Stamp) -> Result<()> {
        // the usual case, a database at this version holding every bundled model: nothing
        // to create or load, so no queueing behind every other process's connect
        if self.is_current()? {
            return Ok(());
        }
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        // one connection creates the schema at a time; the others then find it
        tx.batch_execute("SELECT pg_advisory_xact_lock(7017)")
            .map_err(|e| self.err(e))?;
        let exists: bool = tx
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        if exists {
            let found: i64 = tx
                .query_one("SELECT max(version) FROM schema_version", &[])
                .map_err(|e| self.err(e))?
                .get::<_, Option<i64>>(0)
                .unwrap_or(0);
            if found > schema::SCHEMA_VERSION {
                return Err(Error::DatabaseTooNew {
                    path: self.path.clone(),
                    found,
                    supported: schema::SCHEMA_VERSION,
                });
            }
        } else {
            tx.batch_execute(schema::TABLES).map_err(|e| self.err(e))?;
            tx.batch_execute(schema::TRIGGERS)
                .map_err(|e| self.err(e))?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&schema::SCHEMA_VERSION],
            )
            .map_err(|e| self.err(e))?;
        }
        // the bundled models, mappings and strategies a database does not hold yet
        models::load_bundled(&mut tx, stamp).map_err(|e| self.load_error(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Whether the database is at this program's schema version and holds every bundled
    /// model and strategy (read in one snapshot, without the schema lock: what it sees
    /// was committed whole).
    fn is_current(&self) -> Result<bool> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        // (a query naming a missing table fails as it is planned: two queries)
        let exists: bool = tx
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        if !exists {
            return Ok(false);
        }
        let version: Option<i64> = tx
            .query_one("SELECT max(version) FROM schema_version", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        if version != Some(schema::SCHEMA_VERSION) {
            return Ok(false);
        }
        let current = models::bundled_current(&mut tx).map_err(|e| self.load_error(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(current)
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<i64> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT max(version) FROM schema_version", &[])
            .map_err(|e| self.err(e))?;
        Ok(row.get::<_, Option<i64>>(0).unwrap_or(0))
    }
}

/// A server's error for the user: what the server said (its message, not the
/// connection string), under the address without its password; a refusal of the
/// server's roles (SQLSTATE 42501: a privilege, a row-level security policy, the
/// region's triggers) as what was refused and why.
fn server_error(server: &str, e: &postgres::Error) -> Error {
    if let Some(db) = e
        .as_db_error()
        .filter(|db| *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    {
        return Error::ServerRefused {
            server: server.to_string(),
            refusal: roles::refusal(db),
        };
    }
    let message = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    Error::Server {
        server: server.to_string(),
        message,
    }
}
