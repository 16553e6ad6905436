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

    /// Writes a line of prose we composed (user parts escaped already), wrapped at spaces to
    /// the terminal's width (80 where the output is not a terminal); continuation lines are
    /// indented by two spaces.
    pub fn prose(&mut self, s: impl AsRef<str>) -> Result<()> {
        for line in wrap(s.as_ref(), terminal_width()) {
            self.line(line)?;
        }
        Ok(())
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

/// The terminal's width where the output is one (at least 80), 80 otherwise (a pipe, a file).
pub fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        crossterm::terminal::size()
            .map(|(w, _)| w as usize)
            .unwrap_or(80)
            .max(80)
    } else {
        80
    }
}

/// A text broken at spaces into lines of at most `width` characters (a word longer than
/// the width stands alone on its line); lines after the first are indented by two spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
            len = 2;
        } else if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += n;
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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
    fn prose_wraps_at_spaces_to_the_width() {
        let legend = "Temaer: T1 Uddannelse og beskæftigelse · T2 Selvstændighed og relationer · T3 Målgruppe, metoder og resultater · T4 Sundhed og trivsel";
        let lines = wrap(legend, 40);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        assert!(lines[1].starts_with("  ") && !lines[1].starts_with("   "));
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words, legend.split_whitespace().collect::<Vec<_>>());
        assert_eq!(wrap("kort", 80), vec!["kort".to_string()]);
        assert_eq!(wrap("", 80), vec![String::new()]);
    }

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
