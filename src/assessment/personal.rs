//! Personal identifiers in texts: a reasoning is about the facility, never about a named
//! citizen, so a Danish CPR number (ddmmyy-xxxx or ddmmyyxxxx with a valid date), an
//! e-mail address or a Danish phone number in it is found, warned about, and masked on
//! request. Pure: no terminal, no database.

use crate::i18n::Lang;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What kind of identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Cpr,
    Email,
    Phone,
}

impl IdentifierKind {
    /// The name of the kind, in the user's language, with its article ("et CPR-nummer").
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            IdentifierKind::Cpr => lang.pick("et CPR-nummer", "a CPR number"),
            IdentifierKind::Email => lang.pick("en e-mailadresse", "an e-mail address"),
            IdentifierKind::Phone => lang.pick("et telefonnummer", "a phone number"),
        }
    }

    /// What a masked identifier becomes: Danish, as the texts it stands in are.
    pub fn mask(self) -> &'static str {
        match self {
            IdentifierKind::Cpr => "[CPR-nummer fjernet]",
            IdentifierKind::Email => "[e-mail fjernet]",
            IdentifierKind::Phone => "[telefonnummer fjernet]",
        }
    }
}

/// One identifier found, as a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub start: usize,
    pub end: usize,
}

/// What happens to a text holding identifiers: saved with a warning, or refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataPolicy {
    #[default]
    Warn,
    Strict,
}

impl PersonalDataPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonalDataPolicy::Warn => "warn",
            PersonalDataPolicy::Strict => "strict",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "warn" => Some(PersonalDataPolicy::Warn),
            "strict" => Some(PersonalDataPolicy::Strict),
            _ => None,
        }
    }
}

// ddmmyy, or dd.mm.yy / dd-mm-yy / dd/mm/yy (the same mark twice, checked in code), then
// the serial after an optional dash or space
static CPR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{2})([./-]?)([0-9]{2})([./-]?)([0-9]{2})[-‐– ]?([0-9])[0-9]{3}")
        .expect("valid pattern")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("valid pattern")
});
// eight digits starting 2–9, whole or in pairs or fours (these split by a space only, so
// that "2026-0042" stays a case number), with an optional +45 / 0045
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:\+|00)45[ .-]?)?[2-9][0-9](?:[0-9]{6}|[ .-][0-9]{2}[ .-][0-9]{2}[ .-][0-9]{2}|[0-9]{2} [0-9]{4})",
    )
    .expect("valid pattern")
});

/// Whether day/month/year with the CPR number's seventh digit is a real birth date, by
/// the CPR office's century rule.
fn valid_cpr_date(day: u32, month: u32, yy: i32, seventh: u32) -> bool {
    let century = match seventh {
        0..=3 => 1900,
        4 | 9 => {
            if yy <= 36 {
                2000
            } else {
                1900
            }
        }
        _ => {
            if yy <= 57 {
                2000
            } else {
                1800
            }
        }
    };
    chrono::NaiveDate::from_ymd_opt(century + yy, month, day).is_some()
}

/// Whether the match stands alone: no digit right before or after it.
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
}

/// Every identifier in the text, in order, none overlapping. Full-width and other
/// compatibility forms of digits and letters count as the plain ones, and invisible
/// characters (zero-width, bidi marks, soft hyphens) inside a number are passed over; the
/// ranges are those of the text as given.
pub fn find_identifiers(text: &str) -> Vec<Identifier> {
    match Folded::of(text) {
        None => find_plain(text),
        Some(folded) => find_plain(&folded.text)
            .into_iter()
            .map(|f| Identifier {
                kind: f.kind,
                start: folded.origin[f.start].0,
                end: folded.origin[f.end - 1].1,
            })
            .collect(),
    }
}

/// The identifiers of a text as it is.
fn find_plain(text: &str) -> Vec<Identifier> {
    let mut found: Vec<Identifier> = Vec::new();
    let overlaps =
        |found: &[Identifier], s: usize, e: usize| found.iter().any(|f| s < f.end && f.start < e);
    // a CPR number has ten ASCII digits, a phone number eight, an e-mail address an `@`:
    // a text without them is not searched (nor a pattern compiled: most texts are short)
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let cprs = (digits >= 10).then(|| CPR.captures_iter(text));
    for c in cprs.into_iter().flatten() {
        let m = c.get(0).expect("whole match");
        let n = |i: usize| c[i].parse::<u32>().unwrap_or(0);
        if c[2] == c[4]
            && standalone(text, m.start(), m.end())
            && valid_cpr_date(n(1), n(3), n(5) as i32, n(6))
        {
            found.push(Identifier {
                kind: IdentifierKind::Cpr,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    let emails = text.contains('@').then(|| EMAIL.find_iter(text));
    for m in emails.into_iter().flatten() {
        if !overlaps(&found, m.start(), m.end()) {
            found.push(Identifier {
                kind: IdentifierKind::Email,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    let phones = (digits >= 8).then(|| PHONE.find_iter(text));
    for m in phones.into_iter().flatten() {
        if standalone(text, m.start(), m.end()) && !overlaps(&found, m.start(), m.end()) {
            found.push(Identifier {
                kind: IdentifierKind::Phone,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

/// A text with its compatibility forms folded and its invisible characters left out, and
/// for each of its bytes the byte range of the character of the text it comes from.
struct Folded {
    text: String,
    origin: Vec<(usize, usize)>,
}

impl Folded {
    /// `None` where the text holds nothing to fold (the common case: no copy is made).
    fn of(text: &str) -> Option<Folded> {
        if text.is_ascii() || !text.chars().any(|c| fold(c) != Some(c)) {
            return None;
        }
        let mut folded = Folded {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        for (at, c) in text.char_indices() {
            if let Some(f) = fold(c) {
                folded.text.push(f);
                let range = (at, at + c.len_utf8());
                folded
                    .origin
                    .extend(std::iter::repeat_n(range, f.len_utf8()));
            }
        }
        Some(folded)
    }
}

/// What a character counts as when looking for identifiers: the ASCII character of a
/// full-width form (U+FF01–U+FF5E) or a mathematical digit, a plain space for the
/// no-break and ideographic spaces, `None` for an invisible format character; the
/// character itself otherwise. (NFKC folds these the same way.)
fn fold(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFF01 + 0x21),
        0x1D7CE..=0x1D7FF => char::from_digit((u - 0x1D7CE) % 10, 10),
        0x00A0 | 0x2007 | 0x202F | 0x3000 => Some(' '),
        0x2010 | 0x2011 | 0x2012 | 0x2212 | 0xFE63 => Some('-'),
        0x00AD
        | 0x034F
        | 0x061C
        | 0x180E
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x206F
        | 0xFE00..=0xFE0F
        | 0xFEFF => None,
        _ => Some(c),
    }
}

/// The kinds of identifier in the texts, each once, in a fixed order.
pub fn identifier_kinds<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<IdentifierKind> {
    let mut kinds: Vec<IdentifierKind> = texts
        .into_iter()
        .flat_map(find_identifiers)
        .map(|f| f.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The text with every identifier replaced by its mask.
pub fn mask_identifiers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in find_identifiers(text) {
        out.push_str(&text[at..f.start]);
        out.push_str(f.kind.mask());
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// "et CPR-nummer og en e-mailadresse", in the user's language.
pub fn describe(kinds: &[IdentifierKind], lang: Lang) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label(lang)).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), lang.pick("og", "and")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(text: &str) -> Vec<IdentifierKind> {
        find_identifiers(text).iter().map(|f| f.kind).collect()
    }

    #[test]
    fn cpr_numbers_with_a_valid_date_are_found_with_and_without_the_dash() {
        use IdentifierKind::*;
        assert_eq!(kinds("Borger 010190-1234 flyttede"), [Cpr]);
        assert_eq!(kinds("cpr 0101901234."), [Cpr]);
        assert_eq!(kinds("290200-4321"), [Cpr]); // 29 Feb 2000 (7th digit 4, yy 00 → 2000)
        // 29 Feb 1900 never was: 7th digit 1 puts yy 00 in 1900
        assert_eq!(kinds("290200-1234"), Vec::<IdentifierKind>::new());
        assert_eq!(kinds("320190-1234"), Vec::<IdentifierKind>::new());
        assert_eq!(kinds("011390-1234"), Vec::<IdentifierKind>::new());
        // part of a longer number is not a CPR number
        assert_eq!(kinds("sag 12010190-12345"), Vec::<IdentifierKind>::new());
    }

    #[test]
    fn e_mail_addresses_and_danish_phone_numbers_are_found() {
        use IdentifierKind::*;
        assert_eq!(kinds("skriv til mette.hansen@solhoj.dk i dag"), [Email]);
        assert_eq!(kinds("ring 23 45 67 89"), [Phone]);
        assert_eq!(kinds("ring +45 23456789 eller 2345 6789"), [Phone, Phone]);
        assert_eq!(kinds("tlf. 0045 87-65-43-21"), [Phone]);
        // years, dates, money and ids are not phone numbers
        for text in [
            "i 2026 og 2025",
            "mødet 31.03.2026",
            "budget 1.250.000 kr.",
            "12345678",
            "sag 234567890",
            "2026-03-31",
        ] {
            assert_eq!(kinds(text), Vec::<IdentifierKind>::new(), "{text}");
        }
    }

    #[test]
    fn cpr_numbers_are_found_in_their_common_spellings() {
        use IdentifierKind::*;
        for text in [
            "Borger 010190 1234 flyttede",
            "født 01.01.90-1234",
            "født 01.01.90 1234",
            "01-01-90-1234",
            "01/01/90-1234",
            "０１０１９０-１２３４",
            "０１０１９０－１２３４",
            "01\u{200B}0190-1234",
            "0101\u{2060}90\u{00AD}-12\u{FEFF}34",
            "0101\u{202E}90-1234",
            "010190\u{00A0}1234",
            "𝟎𝟏𝟎𝟏𝟗𝟎-𝟏𝟐𝟑𝟒",
        ] {
            assert_eq!(kinds(text), [Cpr], "{text:?}");
        }
        // mixed marks in the date, an invalid date, or a number within a longer one
        for text in [
            "01.01-90-1234",
            "32.01.90-1234",
            "01.13.90 1234",
            "9\u{200B}010190-1234",
            "010190-1234\u{200B}5",
            "０１０１９０-１２３",
        ] {
            assert!(!kinds(text).contains(&Cpr), "{text:?}");
        }
    }

    #[test]
    fn folded_spellings_of_e_mails_and_phones_are_found_and_masked_in_place() {
        use IdentifierKind::*;
        assert_eq!(kinds("ｍｅｔｔｅ＠ｓｏｌｈｏｊ．ｄｋ"), [Email]);
        assert_eq!(kinds("ring ２３ ４５ ６７ ８９"), [Phone]);
        assert_eq!(kinds("ring 23\u{200B}45\u{200B}67\u{200B}89"), [Phone]);
        assert_eq!(kinds("ring 23\u{00A0}45\u{00A0}67\u{00A0}89"), [Phone]);
        // the range is that of the text as given: the invisible characters go with it
        let text = "før æ 01\u{200B}0190-1234 efter ø";
        let found = find_identifiers(text);
        assert_eq!(&text[found[0].start..found[0].end], "01\u{200B}0190-1234");
        assert_eq!(
            mask_identifiers("Borger ０１０１９０-１２３４ – æøå"),
            "Borger [CPR-nummer fjernet] – æøå"
        );
    }

    #[test]
    fn ordinary_numbers_raise_no_alarm_in_any_spelling() {
        for text in [
            "i 2026 og 2025",
            "mødet 31.03.2026 kl. 10",
            "fra 01.01.2025 til 31.12.2025",
            "budget 1.250.000 kr. og 2.500 kr.",
            "sag RM-02, RM-2026-0042",
            "２０２６ og ２０２５",
            "2026-03-31 og 2026\u{200B}-04-01",
            "version 1.2.3, 12 personer, 45 %",
            "konto 1234 5678",
            "２０２６-０３-３１",
        ] {
            assert_eq!(kinds(text), Vec::<IdentifierKind>::new(), "{text:?}");
        }
    }

    #[test]
    fn masking_replaces_each_identifier_and_keeps_the_rest() {
        assert_eq!(
            mask_identifiers("Borger 010190-1234 (tlf. 23 45 67 89, a@b.dk) – æøå"),
            "Borger [CPR-nummer fjernet] (tlf. [telefonnummer fjernet], [e-mail fjernet]) – æøå"
        );
        assert_eq!(mask_identifiers("intet her"), "intet her");
    }

    #[test]
    fn kinds_are_described_in_the_users_language() {
        use IdentifierKind::*;
        assert_eq!(
            describe(&[Cpr, Email, Phone], Lang::Da),
            "et CPR-nummer, en e-mailadresse og et telefonnummer"
        );
        assert_eq!(describe(&[Email], Lang::En), "an e-mail address");
    }

    proptest! {
        #[test]
        fn a_masked_text_holds_no_identifier(text in "\\PC{0,80}") {
            let masked = mask_identifiers(&text);
            prop_assert!(find_identifiers(&masked).is_empty(), "{masked}");
        }

        #[test]
        fn a_masked_text_of_folded_and_invisible_characters_holds_no_identifier(text in "[0-9０-９\u{200B}\u{00AD}\u{00A0} .@a-z-]{0,60}") {
            let masked = mask_identifiers(&text);
            prop_assert!(find_identifiers(&masked).is_empty(), "{masked:?}");
        }

        #[test]
        fn a_cpr_number_with_an_invisible_character_anywhere_or_in_full_width_is_found(day in 1u32..=28, month in 1u32..=12, yy in 0u32..=99, serial in 0u32..=3999, at in 1usize..=10, hidden in prop::sample::select(vec!['\u{200B}', '\u{200C}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{202E}']), wide: bool) {
            let cpr = format!("{day:02}{month:02}{yy:02}-{serial:04}");
            let mut chars: Vec<char> = cpr.chars().collect();
            if wide {
                chars = chars.into_iter().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0xFF10 + d).unwrap())).collect();
            }
            chars.insert(at, hidden);
            let text = format!("borger {} flyttede", chars.iter().collect::<String>());
            prop_assert_eq!(kinds(&text), vec![IdentifierKind::Cpr], "{:?}", text);
            // masked in place: no digit of it is left
            prop_assert!(!mask_identifiers(&text).chars().any(char::is_numeric));
        }

        #[test]
        fn any_valid_cpr_number_in_a_text_is_found(day in 1u32..=28, month in 1u32..=12, yy in 0u32..=99, serial in 0u32..=3999, before in "[a-zæøå ]{0,10}") {
            let text = format!("{before} {day:02}{month:02}{yy:02}-{serial:04} ");
            prop_assert_eq!(kinds(&text), vec![IdentifierKind::Cpr]);
        }
    }
}
