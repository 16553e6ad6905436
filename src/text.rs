//! Making user text safe for the place it is shown: here, the terminal.

use std::borrow::Cow;

/// Characters that change how the text around them is shown without being seen
/// themselves: bidi embeddings, overrides, isolates and marks (a name that reads
/// backwards), zero-width characters (a word that looks like another) and the line and
/// paragraph separators.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{2060}' | '\u{FEFF}' // word joiner, zero-width no-break space
        | '\u{061C}' // Arabic letter mark
        | '\u{2028}' | '\u{2029}') // line and paragraph separators
}

/// Replaces control characters (ANSI escapes and C1 controls among them) and invisible
/// characters (`is_invisible`) with a visible `\u{..}` form, so that a facility name or
/// reasoning text cannot move the cursor, recolour the terminal or read backwards.
/// Newlines and tabs survive when `multiline` is set.
pub fn for_terminal(s: &str, multiline: bool) -> Cow<'_, str> {
    let keep = |c: char| multiline && (c == '\n' || c == '\t');
    let hide = |c: char| (c.is_control() && !keep(c)) || is_invisible(c);
    if !s.chars().any(hide) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hide(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with C1 controls, bidi, zero-width and separator characters written as
/// `\uXXXX` escapes. They can stand only inside strings (everything else in JSON is
/// ASCII), so the text stays valid JSON and reads back as the same strings; a terminal or
/// a JavaScript reader of the output meets no raw U+009B, U+2028 or U+202E.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let escape = |c: char| ('\u{80}'..='\u{9F}').contains(&c) || is_invisible(c);
    if !json.chars().any(escape) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
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
    fn bidi_zero_width_and_c1_characters_are_made_visible() {
        for (raw, shown) in [
            ("abc\u{202E}fed", "abc\\u{202e}fed"),
            ("a\u{2066}b\u{2069}", "a\\u{2066}b\\u{2069}"),
            ("12\u{200B}34", "12\\u{200b}34"),
            ("x\u{FEFF}\u{2060}\u{200D}", "x\\u{feff}\\u{2060}\\u{200d}"),
            ("\u{9B}31m", "\\u{9b}31m"),
            ("a\u{85}b", "a\\u{85}b"),
        ] {
            assert_eq!(for_terminal(raw, true), shown, "{raw:?}");
        }
        assert!(matches!(
            for_terminal("Bostedet Solhøj", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_output_escapes_them_and_reads_back_the_same() {
        let texts = [
            "\u{9B}31m \u{85} \u{2028}\u{2029} \u{202E}evil \u{2066}\u{200B}",
            "plain æøå \"quoted\" \\ \u{1b}",
        ];
        let json = serde_json::to_string_pretty(&serde_json::json!({ "texts": texts })).unwrap();
        let safe = json_safe(&json);
        for c in [
            '\u{9B}', '\u{85}', '\u{2028}', '\u{2029}', '\u{202E}', '\u{2066}', '\u{200B}',
        ] {
            assert!(!safe.contains(c), "{c:?} in {safe}");
        }
        assert!(
            safe.contains("\\u009b") && safe.contains("\\u202e"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["texts"][0], texts[0]);
        assert_eq!(back["texts"][1], texts[1]);
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
