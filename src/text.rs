//! Making user text safe for the place it is shown: here, the terminal.

use std::borrow::Cow;

/// Replaces control characters (ANSI escapes among them) with a visible `\u{..}` form,
/// so that a facility name or reasoning text cannot move the cursor or recolour the
/// terminal. Newlines and tabs survive when `multiline` is set.
pub fn for_terminal(s: &str, multiline: bool) -> Cow<'_, str> {
    let keep = |c: char| multiline && (c == '\n' || c == '\t');
    if !s.chars().any(|c| c.is_control() && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && !keep(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of a possibly long text, cut to `width` characters with an ellipsis.
pub fn one_line(s: &str, width: usize) -> String {
    let first = s.lines().next().unwrap_or("");
    let more = s.lines().nth(1).is_some();
    let safe = for_terminal(first, false);
    let count = safe.chars().count();
    if count > width || (more && count + 1 > width) {
        let cut: String = safe.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else if more {
        format!("{safe}…")
    } else {
        safe.into_owned()
    }
}

/// A horizontal bar for a mean on the 1–5 scale, `width` cells wide, in eighths.
pub fn bar(mean: Option<f64>, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let Some(m) = mean else {
        return " ".repeat(width);
    };
    let eighths = ((m.clamp(0.0, 5.0) / 5.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    let len = s.chars().count();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    s
}

/// One character per mean on the 1–5 scale (▁ … █), `·` where there is none: a theme
/// profile in a few cells.
pub fn spark(means: &[Option<f64>]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    means
        .iter()
        .map(|m| match m {
            Some(v) => LEVELS[(((v.clamp(1.0, 5.0) - 1.0) / 4.0) * 7.0).round() as usize],
            None => '·',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_made_visible() {
        assert_eq!(for_terminal("a\u{1b}[31mb", false), "a\\u{1b}[31mb");
        assert_eq!(for_terminal("æøå\nx", true), "æøå\nx");
        assert_eq!(for_terminal("æøå\nx", false), "æøå\\u{a}x");
    }

    #[test]
    fn bars_scale_to_five() {
        assert_eq!(bar(Some(5.0), 4), "████");
        assert_eq!(bar(Some(2.5), 4), "██  ");
        assert_eq!(bar(Some(3.0), 10), "██████    ");
        assert_eq!(bar(None, 3), "   ");
        assert_eq!(bar(Some(1.0), 5).chars().count(), 5);
        assert_eq!(spark(&[Some(1.0), Some(5.0), None, Some(3.0)]), "▁█·▅");
    }

    #[test]
    fn one_line_cuts_with_ellipsis() {
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("ab\ncd", 10), "ab…");
        assert_eq!(one_line("ab", 10), "ab");
    }
}
