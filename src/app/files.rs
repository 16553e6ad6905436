//! Writing a file the user named (or standard output), for every export. A file is written
//! beside its target under a temporary name and renamed when complete, so a failed export
//! leaves no half file; the temporary file is removed when the program is interrupted
//! (SIGINT, SIGTERM, SIGHUP); and only a regular file is ever replaced.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Writes to the file (via a temporary file beside it, renamed when complete, so a failed
/// export leaves no half file) or to standard output. Anything but a regular file at the
/// path (a link, a FIFO, a device, a folder) is refused, before and after writing.
pub fn write_output(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<()>,
) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout());
        write(&mut out)?;
        return out.flush().map_err(|e| Error::Io {
            path: "stdout".into(),
            source: e,
        });
    }
    refuse_irregular(path)?;
    let io = out_err(path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (mut tmp, _guard) = TempGuard::create_in(dir).map_err(&io)?;
    {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        write(&mut w)?;
        w.flush().map_err(&io)?;
    }
    // the check again, right before the rename: what appeared meanwhile is not replaced
    refuse_irregular(path)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// An I/O error while writing an export.
pub fn out_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Refuses to write an export over what must not be replaced: the database in use (or
/// its `-wal`, `-shm` or `-journal` file, whether there now or not), anything but a
/// regular file, and an existing file unless `force`.
pub fn check_output(path: &Path, database: &Path, force: bool) -> Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    let target = resolved(path);
    let db = resolved(database);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if target == side || same_file(path, &side) {
            return Err(Error::OutputIsDatabase(path.to_path_buf()));
        }
    }
    refuse_irregular(path)?;
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(Error::OutputExists(path.to_path_buf()));
    }
    Ok(())
}

/// Refuses a path that holds anything but a regular file (nothing there is fine).
fn refuse_irregular(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(Error::NotARegularFile(path.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(out_err(path)(e)),
    }
}

/// The path with its folder resolved (links and `..` in it), the name as given.
fn resolved(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// Whether two paths name the same file (a hard link, or a link to it).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
    }
}

/// The temporary files being written now, removed if the program is interrupted.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Registers a temporary file for removal on SIGINT, SIGTERM and SIGHUP while it lives.
struct TempGuard(PathBuf);

impl TempGuard {
    /// Creates a temporary file in `dir`, registered before a signal can be handled (the
    /// handler waits for the lock held meanwhile).
    fn create_in(dir: &Path) -> std::io::Result<(tempfile::NamedTempFile, TempGuard)> {
        watch_signals();
        let mut writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        writing.push(tmp.path().to_path_buf());
        let guard = TempGuard(tmp.path().to_path_buf());
        Ok((tmp, guard))
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        WRITING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|p| p != &self.0);
    }
}

/// Starts, once, a thread that waits for SIGINT, SIGTERM and SIGHUP. While a file is being
/// written it removes the temporary files and ends the program as the signal would have;
/// otherwise SIGINT ends it as before, and SIGTERM and SIGHUP are left to whoever else
/// listens (the terminal program restores the screen on them; a command is ending anyway).
fn watch_signals() {
    #[cfg(unix)]
    {
        static STARTED: std::sync::Once = std::sync::Once::new();
        STARTED.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("export-signals".into())
                .spawn(move || {
                    for signal in signals.forever() {
                        let files: Vec<PathBuf> =
                            std::mem::take(&mut *WRITING.lock().unwrap_or_else(|e| e.into_inner()));
                        for f in &files {
                            let _ = std::fs::remove_file(f);
                        }
                        if !files.is_empty() || signal == SIGINT {
                            let _ = signal_hook::low_level::emulate_default_handler(signal);
                        }
                    }
                });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_refuses_the_database_its_side_files_and_existing_files() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        std::fs::write(&db, "x").unwrap();
        for name in ["s.db", "s.db-wal", "s.db-shm"] {
            let err = check_output(&dir.path().join(name), &db, true).unwrap_err();
            assert!(matches!(err, Error::OutputIsDatabase(_)), "{name}: {err}");
        }
        // through another spelling of the folder too
        let other = dir.path().join(".").join("s.db");
        assert!(matches!(
            check_output(&other, &db, true),
            Err(Error::OutputIsDatabase(_))
        ));
        let out = dir.path().join("out.csv");
        check_output(&out, &db, false).unwrap();
        std::fs::write(&out, "old").unwrap();
        assert!(matches!(
            check_output(&out, &db, false),
            Err(Error::OutputExists(_))
        ));
        check_output(&out, &db, true).unwrap();
        assert!(matches!(
            check_output(dir.path(), &db, true),
            Err(Error::NotARegularFile(_))
        ));
    }

    #[test]
    fn a_written_file_replaces_a_regular_file_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        write_output(&out, |w| w.write_all(b"one").map_err(out_err(&out))).unwrap();
        write_output(&out, |w| w.write_all(b"two").map_err(out_err(&out))).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            let err = write_output(&link, |w| w.write_all(b"three").map_err(out_err(&link)));
            assert!(matches!(err, Err(Error::NotARegularFile(_))));
            assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
        // and no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), if cfg!(unix) { 2 } else { 1 });
    }
}
