//! Writing to stdout: plain lines escaped for the terminal, aligned tables, bars, JSON.

use crate::error::{Error, Result};
use crate::text::for_terminal;
use std::io::Write;

/// Writes a warning line to standard error, escaped for the terminal; a closed stderr is
/// ignored, since the work it warns about is done.
pub fn warn(line: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "tilsynsklar: {}",
        for_terminal(line, false)
    );
}

/// Where a command writes its output; an error here (a closed pipe) ends the command.
pub struct Out {
    w: Box<dyn Write>,
}

impl Out {
    /// Standard output, buffered (written out by `flush`, and when dropped).
    pub fn stdout() -> Out {
        Out {
            w: Box::new(std::io::BufWriter::with_capacity(
                64 * 1024,
                std::io::stdout().lock(),
            )),
        }
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) -> Result<()> {
        self.w.flush().map_err(io)
    }

    /// Any writer, for tests.
    pub fn to(w: Box<dyn Write>) -> Out {
        Out { w }
    }

    /// Writes a line of text we composed; user parts must be escaped already (see `safe`).
    pub fn line(&mut self, s: impl AsRef<str>) -> Result<()> {
        writeln!(self.w, "{}", s.as_ref()).map_err(io)
    }

    /// Writes a value as pretty JSON.
    pub fn json<T: serde::Serialize>(&mut self, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(|e| io(e.into()))?;
        let text = crate::text::json_safe(&text);
        writeln!(self.w, "{text}").map_err(io)
    }

    /// Writes rows as columns aligned on their character count; the last column is not padded.
    pub fn table(&mut self, rows: &[Vec<String>]) -> Result<()> {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(
                        ' ',
                        widths[c] - cell.chars().count() + 2,
                    ));
                }
            }
            self.line(line.trim_end())?;
        }
        Ok(())
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "stdout".into(),
        source: e,
    }
}

/// A user text made safe for one line of terminal output.
pub fn safe(s: &str) -> String {
    for_terminal(s, false).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_on_characters_not_bytes() {
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct W(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for W {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = Out::to(Box::new(W(buf.clone())));
        out.table(&[
            vec!["Æblehaven".into(), "x".into()],
            vec!["Bo".into(), "y".into()],
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(buf.lock().unwrap().clone()).unwrap(),
            "Æblehaven  x\nBo         y\n"
        );
    }
}
