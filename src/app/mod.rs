//! The application layer: one function per use case, called by every face (the CLI, the
//! terminal program, the exporters). It owns the session (store, user, language, clock)
//! and asks the pure core for the rules and the store for the rows.

pub mod actions;
pub mod assessments;
pub mod compare;
pub mod definitions;
pub mod exchange;
pub mod facilities;
pub mod files;
pub mod gaps;
pub mod home;
pub mod maintenance;
pub mod migrate;
pub mod privacy;
pub mod region;
pub mod scores;
pub mod view;
mod view_cache;
mod view_json;

#[cfg(test)]
mod use_case_tests;

use crate::error::Result;
use crate::i18n::Lang;
use crate::store::backend::Backend;
use crate::store::{Stamp, Store};
use std::path::Path;

/// Where the time comes from: the system clock, or a fixed instant (tests, replays).
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always this instant.
    Fixed(chrono::DateTime<chrono::Utc>),
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        match self {
            Clock::System => chrono::Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }
}

/// What every use case works with: the store, who is acting, their language, the clock.
pub struct Session {
    /// The store is the application layer's: faces reach it only through `app`'s use
    /// cases (the crate's own tests aside). It sits behind the backend seam
    /// (`store::backend`): SQLite's `Store` today, another backend beside it later.
    pub(crate) store: Box<dyn Backend>,
    pub lang: Lang,
    pub user: String,
    pub clock: Clock,
}

impl Session {
    /// A session on an open store, with the system clock.
    pub fn new(store: impl Backend + 'static, lang: Lang, user: String) -> Session {
        Session {
            store: Box::new(store),
            lang,
            user,
            clock: Clock::System,
        }
    }

    /// Opens the store the user chose (`None`: the default in the data directory).
    pub fn open(db: Option<&Path>, lang: Lang, user: String) -> Result<Session> {
        let path = match db {
            Some(p) => p.to_path_buf(),
            None => crate::store::default_path()?,
        };
        let clock = Clock::System;
        let store = open_backend(
            &path,
            &Stamp {
                by: user.clone(),
                at: clock.now(),
            },
        )?;
        Ok(Session {
            store,
            lang,
            user,
            clock,
        })
    }

    /// A stamp for a change made now by the session's user.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            by: self.user.clone(),
            at: self.clock.now(),
        }
    }

    /// This year, in the local calendar.
    pub fn this_year(&self) -> i32 {
        chrono::Datelike::year(&self.clock.now().with_timezone(&chrono::Local))
    }
}

/// Whether a `--db` value names a PostgreSQL server (a `postgres://` or `postgresql://`
/// URL) rather than a SQLite file.
pub fn is_server(db: &Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// A database's place as a message may show it: a file's path, a server's address
/// without its password.
pub fn shown(db: &Path) -> String {
    match db.to_str() {
        Some(url) if is_server(db) => crate::store::pg::redacted(url),
        _ => db.display().to_string(),
    }
}

/// Opens the store at `db`: a PostgreSQL server for a URL, else a SQLite file.
pub(crate) fn open_backend(db: &Path, stamp: &Stamp) -> Result<Box<dyn Backend>> {
    if is_server(db) {
        // never a SQLite file named like a URL
        return Err(crate::error::Error::Server {
            server: shown(db),
            message: "this build does not reach PostgreSQL servers yet".into(),
        });
    }
    Ok(Box::new(Store::open(db, stamp)?))
}

/// The user name for the audit log: the one given, or the operating-system user.
pub fn user_name(given: Option<&str>) -> String {
    given
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(String::from)
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_comes_from_the_flag_or_the_system() {
        assert_eq!(user_name(Some(" Mette ")), "Mette");
        assert!(!user_name(Some("  ")).is_empty());
        assert!(!user_name(None).is_empty());
    }

    #[test]
    fn a_fixed_clock_gives_its_instant() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(Clock::Fixed(at).now(), at);
        assert!(Clock::System.now() > at);
    }
}
