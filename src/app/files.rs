//! Writing a file the user named (or standard output), for every export.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes to the file (via a temporary file beside it, renamed when complete, so a failed
/// export leaves no half file) or to standard output.
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
    let io = out_err(path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(&io)?;
    {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        write(&mut w)?;
        w.flush().map_err(&io)?;
    }
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
