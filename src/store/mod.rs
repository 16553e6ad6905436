//! The SQLite store: every SQL statement of the program lives in this module. Its public
//! API speaks in domain terms (save a score, load an assessment), so that another backend
//! could come later without touching the core or the faces.

mod action_evidence;
mod actions;
mod assessments;
mod audit;
pub mod backend;
mod backend_sqlite;
#[cfg(test)]
pub(crate) mod backend_suite;
mod bad_texts;
mod bulk;
mod bundle_proof;
mod bundled_seen;
mod compare_rows;
mod damage;
mod evidence;
mod exchange;
mod facilities;
mod findings;
mod import;
mod import_read;
mod maintenance;
pub mod migrations;
mod models;
pub mod pg;
mod previous_year;
mod privacy;
mod row_text;
mod score_rows;
mod scores;
mod selection;
mod strategies;
mod texts;
mod tui_reads;
mod verify;
mod versions;
mod views;
mod xlsx_reads;

pub use actions::{ActionChanges, ActionFilter};
pub use assessments::{AssessmentRecord, AssessmentRef, AuditEntry};
pub use bulk::BulkLoader;
pub use compare_rows::CompareFilter;
pub use facilities::{Facility, FacilityChanges, FacilityId, FacilityKey, NewFacility};
pub use findings::{ActionProblem, StatusProblem, Tampering, Verification};
pub use maintenance::{Check, create_private, is_dangling_link};
pub use models::ModelRecord;
pub use previous_year::PreviousYear;
pub use privacy::{StoredText, TextScope};
pub use selection::Selection;
pub use strategies::StrategyRecord;
pub use texts::ScoreText;
pub use tui_reads::AssessmentBrief;
pub use views::AssessmentKey;

use crate::error::{Error, Result};
use crate::model::QualityModel;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

/// Who makes a change, and when: every write carries one into the audit log.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Stamp {
    /// The stored form of the time: RFC 3339 in UTC with milliseconds, sortable as text.
    fn at(&self) -> String {
        self.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

/// An open tilsynsklar database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    models: RefCell<HashMap<String, Rc<QualityModel>>>,
    /// Refuse texts with personal identifiers whatever the database's policy (`--strict`).
    strict: bool,
}

/// The page size of a new database. Score rows carry their texts, so pages twice SQLite's
/// default hold more of them: a national import is ~8 % faster, scans a little faster,
/// and one score's commit writes a few more bytes to the WAL.
const PAGE_SIZE: i64 = 8192;

/// How long a writer waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) the database at `path`, migrates it, and loads the
    /// bundled models and strategies on first use. A database newer than this program,
    /// or a file that is not a database, is refused without being changed.
    pub fn open(path: &Path, stamp: &Stamp) -> Result<Store> {
        if path.as_os_str() == ":memory:" || path.to_string_lossy().starts_with("file:") {
            return Err(Error::MemoryDatabase);
        }
        if maintenance::is_dangling_link(path) {
            return Err(Error::DanglingLink(path.to_path_buf()));
        }
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source: std::io::Error| {
                if source.kind() == std::io::ErrorKind::PermissionDenied {
                    Error::ReadOnly(p.clone())
                } else {
                    Error::Io {
                        path: p.clone(),
                        source,
                    }
                }
            }
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        // a new database is readable by its owner only (SQLite gives its -wal and -shm files the same mode)
        maintenance::create_private(path).map_err(io(path))?;
        maintenance::unblock_side_files(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(path, e))?;
        Self::setup(conn, path.to_path_buf(), stamp, migrations::MIGRATIONS)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory(stamp: &Stamp) -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| db_error(Path::new(":memory:"), e))?;
        Self::setup(
            conn,
            PathBuf::from(":memory:"),
            stamp,
            migrations::MIGRATIONS,
        )
    }

    fn setup(mut conn: Connection, path: PathBuf, stamp: &Stamp, steps: &[&str]) -> Result<Store> {
        let err = |e| db_error(&path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        // reading the version is the first read of the file: a non-database fails here,
        // and a too-new one is refused before anything (the WAL switch included) writes
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        if version < 0 {
            return Err(Error::BadSchemaVersion {
                path,
                found: version,
            });
        }
        if version > migrations::SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew {
                path,
                found: version,
                supported: migrations::SCHEMA_VERSION,
            });
        }
        if version == 0 {
            // a new file: 8 KiB pages (set before anything is written; a no-op otherwise)
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(err)?;
        }
        if path.as_os_str() != ":memory:" {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(err)?;
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(err)?;
        }
        migrations::migrate(&mut conn, steps).map_err(err)?;
        let store = Store {
            conn,
            path,
            models: RefCell::new(HashMap::new()),
            strict: false,
        };
        store.load_bundled(stamp)?;
        Ok(store)
    }

    /// Refuses texts holding personal identifiers from now on, whatever the database's
    /// policy says (`--strict`).
    pub fn set_strict(&mut self) {
        self.strict = true;
    }

    /// Whether `--strict` was given (the database's policy aside).
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The file this store keeps its data in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        damage::read_error(&self.conn, &self.path, e)
    }

    /// The first column of every row a query returns, as text.
    pub(super) fn strings(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        stmt.query_map([], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Runs `f` in one immediate (write-locking) transaction: all of it is committed, or none.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(&path, e))?;
        let out = f(&tx).map_err(|e| match e {
            Error::Sqlite(e) => db_error(&path, e),
            other => other,
        })?;
        tx.commit().map_err(|e| db_error(&path, e))?;
        Ok(out)
    }
}

/// Turns an SQLite error into a user-facing one, recognising a file that is not a database
/// and one that cannot be written.
fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied)
            if path.as_os_str() != ":memory:" =>
        {
            Error::ReadOnly(path.to_path_buf())
        }
        _ => Error::Database {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

/// The default database: `tilsynsklar.db` in the user's data directory.
pub fn default_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("dk", "tilsynsklar", "tilsynsklar")
        .map(|d| d.data_dir().join("tilsynsklar.db"))
        .ok_or(Error::NoHomeDirectory)
}

#[cfg(test)]
mod framework_tests;
#[cfg(test)]
mod tests;
