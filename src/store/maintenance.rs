//! Looking after the database file: an online backup, the health checks of `doctor`, and
//! creating files readable by their owner only.

use super::Store;
use crate::error::{Error, Result};
use crate::model::QualityModel;
use serde::Serialize;
use std::path::Path;

/// One health check and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// Creates an empty file readable and writable by its owner only (on Unix; elsewhere the
/// system's defaults for the user's own folders apply). An existing file is left alone.
/// Create-new semantics: a symbolic link is never followed, and one that points at
/// nothing is refused (SQLite would create the database at its target).
pub fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if is_dangling_link(path) {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "a symbolic link that points at nothing; remove the link or choose another path",
                ))
            } else {
                Ok(())
            }
        }
        Err(e) => Err(e),
    }
}

/// Whether `path` is a symbolic link whose target does not exist.
pub fn is_dangling_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
}

/// A read-only session on a read-only file leaves `-wal` and `-shm` files of the same
/// read-only mode behind; once the file is writable again they would refuse every write.
/// Gives them the database file's mode back (best effort: SQLite reports what remains).
pub(super) fn unblock_side_files(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(db) = std::fs::metadata(path) else {
            return;
        };
        if db.permissions().readonly() {
            return;
        }
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = std::path::PathBuf::from(side);
            if let Ok(m) = std::fs::symlink_metadata(&side)
                && m.file_type().is_file()
                && m.permissions().readonly()
            {
                let mode = db.permissions().mode() & 0o777;
                let _ = std::fs::set_permissions(&side, std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

impl Store {
    /// Copies the database to `dest` with SQLite's online backup, consistent even while
    /// others write. Refuses to overwrite an existing file.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Io {
            path: dest.to_path_buf(),
            source: e,
        };
        // a link counts as there, dangling or not: the copy is never written through one
        if std::fs::symlink_metadata(dest).is_ok() {
            if is_dangling_link(dest) {
                return Err(Error::DanglingLink(dest.to_path_buf()));
            }
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the file exists already; choose another name",
            )));
        }
        // create-new: a file or link that appeared since is not overwritten
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(dest).map_err(io)?;
        self.conn
            .backup(
                rusqlite::MAIN_DB,
                dest,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| {
                let _ = std::fs::remove_file(dest);
                super::db_error(dest, e)
            })
    }

    /// The health checks: SQLite's integrity and foreign keys, the schema version, the
    /// lock triggers, and that every stored model still has the content hash it is kept under.
    pub fn doctor(&self) -> Result<Vec<Check>> {
        // SQLite's own checks read the whole file, and so does `verify`: the first run on
        // a second connection of their own while this one verifies (where the file can be
        // opened again; in turn otherwise)
        let (sqlite_checks, v) = std::thread::scope(|scope| {
            let path = self.path.as_path();
            let side = self.second_reader().map(|conn| {
                scope.spawn(move || sqlite_checks(&conn).map_err(|e| super::db_error(path, e)))
            });
            let v = self.verify(None);
            let checks = match side.map(|h| h.join()) {
                Some(Ok(Ok(checks))) => Ok(checks),
                _ => sqlite_checks(&self.conn).map_err(|e| self.err(e)),
            };
            (checks, v)
        });
        let ((integrity, fk), v) = (sqlite_checks?, v?);
        let mut checks = Vec::new();
        checks.push(Check {
            name: "integrity",
            ok: integrity == ["ok"],
            detail: integrity.join("; "),
        });
        checks.push(Check {
            name: "foreign_keys",
            ok: fk == 0,
            detail: format!("{fk} row(s) point at nothing"),
        });
        let version = self.schema_version()?;
        checks.push(Check {
            name: "schema",
            ok: version == super::migrations::SCHEMA_VERSION,
            detail: format!("version {version} of {}", super::migrations::SCHEMA_VERSION),
        });
        let present = self.strings("SELECT name FROM sqlite_master WHERE type = 'trigger'")?;
        let missing: Vec<&str> = super::migrations::LOCK_TRIGGERS
            .iter()
            .copied()
            .filter(|t| !present.iter().any(|p| p == t))
            .collect();
        let all = super::migrations::LOCK_TRIGGERS.len();
        checks.push(Check {
            name: "lock_triggers",
            ok: missing.is_empty(),
            detail: if missing.is_empty() {
                format!("{all} of {all} present")
            } else {
                format!(
                    "{} of {all} present; missing: {}",
                    all - missing.len(),
                    missing.join(", ")
                )
            },
        });
        let mut stmt = self
            .conn
            .prepare("SELECT hash, id, json FROM models ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        let bad: Vec<String> = rows
            .iter()
            .filter(|(hash, _, json)| {
                QualityModel::parse("models", json)
                    .map(|m| m.content_hash())
                    .ok()
                    .as_ref()
                    != Some(hash)
            })
            .map(|(hash, id, _)| format!("{id} {}", &hash[..hash.len().min(12)]))
            .collect();
        checks.push(Check {
            name: "model_hashes",
            ok: bad.is_empty(),
            detail: if bad.is_empty() {
                format!("{} model version(s) match their hashes", rows.len())
            } else {
                format!("changed: {}", bad.join(", "))
            },
        });
        // the audit chain and every finalised assessment still hold what was written and signed
        let ((broken, changed), actions, texts) = v.named_all();
        checks.push(Check {
            name: "audit_chain",
            ok: broken.is_empty(),
            detail: if broken.is_empty() {
                format!("{} row(s) in an unbroken chain", v.audit_rows)
            } else {
                format!("rows not as written: {}", broken.join(", "))
            },
        });
        let mut detail = if changed.is_empty() {
            format!(
                "{} finalised assessment(s) match what was signed",
                v.signoffs
            )
        } else {
            format!("changed after sign-off: assessment {}", changed.join(", "))
        };
        if v.unsigned > 0 {
            detail.push_str(&format!(
                "; {} finalised before sign-off hashes were recorded",
                v.unsigned
            ));
        }
        checks.push(Check {
            name: "signoffs",
            ok: changed.is_empty(),
            detail,
        });
        checks.push(Check {
            name: "actions",
            ok: actions.is_empty(),
            detail: if actions.is_empty() {
                "every logged improvement action is as logged".to_string()
            } else {
                format!(
                    "changed or deleted behind the program's back: action {}",
                    actions.join(", ")
                )
            },
        });
        checks.push(Check {
            name: "texts",
            ok: texts.is_empty(),
            detail: if texts.is_empty() {
                "every stored text is valid UTF-8".to_string()
            } else {
                format!("not valid UTF-8: {}", texts.join("; "))
            },
        });
        Ok(checks)
    }
}

/// SQLite's integrity check (its lines) and the number of rows whose foreign key points at nothing.
fn sqlite_checks(conn: &rusqlite::Connection) -> rusqlite::Result<(Vec<String>, i64)> {
    let integrity = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let fk = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    Ok((integrity, fk))
}

impl Store {
    /// Another read-only connection to the same file, for a check that runs beside this
    /// one (`None` for a database in memory, or where it cannot be opened).
    fn second_reader(&self) -> Option<rusqlite::Connection> {
        if self.path.as_os_str() == ":memory:" {
            return None;
        }
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(&self.path, flags).ok()?;
        conn.busy_timeout(super::BUSY_TIMEOUT).ok()?;
        Some(conn)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn read_only_side_files_get_the_database_files_mode_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        let (wal, shm) = (dir.path().join("s.db-wal"), dir.path().join("s.db-shm"));
        for p in [&db, &wal, &shm] {
            std::fs::write(p, "").unwrap();
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o400)).unwrap();
        }
        // while the database file itself is read-only, nothing changes
        unblock_side_files(&db);
        assert_eq!((mode(&wal), mode(&shm)), (0o400, 0o400));
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
        unblock_side_files(&db);
        assert_eq!((mode(&wal), mode(&shm)), (0o600, 0o600));
    }

    #[test]
    fn a_dangling_link_is_refused_and_a_new_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(dir.path().join("nowhere.db"), &link).unwrap();
        assert!(is_dangling_link(&link));
        assert!(create_private(&link).is_err());
        assert!(!dir.path().join("nowhere.db").exists());
        let new = dir.path().join("new.db");
        create_private(&new).unwrap();
        assert_eq!(mode(&new), 0o600);
        assert!(!is_dangling_link(&new));
    }
}
