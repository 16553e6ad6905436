//! One CSV field into a buffer, exactly as csv_core's RFC 4180 encoder writes it (quoted
//! where it holds the delimiter, a quote or a line break; quotes doubled), with a fast
//! path: one scan finds what the field needs, and a plain field is copied as it is.

use crate::export::spreadsheet_text;

/// What a scan of a field's bytes found.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Found {
    /// a byte that may begin a control character other than the line break
    control: bool,
    /// a quote
    quote: bool,
    /// the delimiter or a line break (`\r` is a control character, so `control` too)
    special: bool,
}

/// Scans 32 bytes at a time without an early exit inside a block, so the compiler
/// compares them side by side.
fn scan(bytes: &[u8], delimiter: u8) -> Found {
    let class = |b: u8| -> u8 {
        let control = ((b < 0x20) & (b != b'\n')) | (b == 0x7F) | (b == 0xC2);
        let special = (b == delimiter) | (b == b'\n') | (b == b'\r');
        u8::from(control) | (u8::from(b == b'"') << 1) | (u8::from(special) << 2)
    };
    let mut blocks = bytes.chunks_exact(32);
    let mut acc = 0u8;
    for block in &mut blocks {
        acc |= block.iter().fold(0, |any, &b| any | class(b));
    }
    acc |= blocks.remainder().iter().fold(0, |any, &b| any | class(b));
    Found {
        control: acc & 1 != 0,
        quote: acc & 2 != 0,
        special: acc & 4 != 0,
    }
}

/// Appends `text` as one field; `clean` first makes it safe for a spreadsheet
/// (`export::spreadsheet_text`: control characters removed, a formula neutralised).
pub(super) fn field(out: &mut Vec<u8>, text: &str, delimiter: u8, clean: bool) {
    let found = scan(text.as_bytes(), delimiter);
    let risky = clean && (found.control || text.starts_with(['=', '+', '-', '@']));
    if risky {
        let cleaned = spreadsheet_text(text);
        // what the cleaning left is plain text: its own scan says how to quote it
        return field(out, &cleaned, delimiter, false);
    }
    if found.quote {
        quoted(out, text.as_bytes());
    } else if found.special {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// A field holding quotes: enclosed, its quotes doubled by csv_core.
fn quoted(out: &mut Vec<u8>, text: &[u8]) {
    let start = out.len();
    // room for the worst case: every byte a quote, and the enclosing pair
    out.resize(start + text.len() * 2 + 2, 0);
    out[start] = b'"';
    let (_, _, n) = csv_core::quote(text, &mut out[start + 1..], b'"', b'\\', true);
    out.truncate(start + 1 + n);
    out.push(b'"');
}

/// Fields joined by the delimiter (no record end).
pub(super) fn fields(out: &mut Vec<u8>, texts: &[&str], delimiter: u8) {
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        field(out, t, delimiter, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The field as csv_core's writer puts it in the middle of a record.
    fn reference(text: &str, delimiter: u8, clean: bool) -> Vec<u8> {
        let text = if clean {
            spreadsheet_text(text)
        } else {
            text.into()
        };
        let mut w = csv_core::WriterBuilder::new().delimiter(delimiter).build();
        let mut out = vec![0; text.len() * 2 + 16];
        let mut n = 0;
        for part in ["a", &text, "b"] {
            if n > 0 {
                n += w.delimiter(&mut out[n..]).1;
            }
            n += w.field(part.as_bytes(), &mut out[n..]).2;
        }
        n += w.finish(&mut out[n..]).1;
        out.truncate(n);
        // the field alone, without the neighbours "a," and ",b"
        out[2..n - 2].to_vec()
    }

    fn ours(text: &str, delimiter: u8, clean: bool) -> Vec<u8> {
        let mut out = b"x".to_vec();
        field(&mut out, text, delimiter, clean);
        out.split_off(1)
    }

    #[test]
    fn every_kind_of_field_is_encoded_as_csv_core_encodes_it() {
        let cases = [
            "",
            "plain",
            "æøå ÆØÅ",
            "a,b",
            "a;b",
            "say \"no\"",
            "\"",
            "line\nbreak",
            "cr\rlf",
            "=SUM(A1)",
            "+45",
            "-",
            "@x",
            "\tx",
            "\u{1}=hidden",
            "\u{85}c1",
            "Â not a control",
            "\u{7f}",
            "\u{1}",
            "'quoted'",
            "a long text, with a comma and \"quotes\" and æøå over more than thirty-two bytes",
        ];
        for delimiter in [b',', b';'] {
            for clean in [false, true] {
                for c in cases {
                    assert_eq!(
                        ours(c, delimiter, clean),
                        reference(c, delimiter, clean),
                        "{c:?} delimiter {} clean {clean}",
                        delimiter as char
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_text_is_encoded_as_csv_core_encodes_it(
            text in "[a-c,;\"\n\r\t=+@ æ\u{1}\u{85}\u{7f}Â-]{0,80}",
            semicolon: bool,
            clean: bool,
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(ours(&text, delimiter, clean), reference(&text, delimiter, clean));
        }
    }
}
