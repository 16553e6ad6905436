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

static CPR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{2})([0-9]{2})([0-9]{2})[-‐–]?([0-9])[0-9]{3}").expect("valid pattern")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("valid pattern")
});
// eight digits starting 2–9, whole or in pairs or fours, with an optional +45 / 0045
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:\+|00)45[ .-]?)?[2-9][0-9](?:[0-9]{6}|[ .-][0-9]{2}[ .-][0-9]{2}[ .-][0-9]{2}|[0-9]{2}[ .-][0-9]{4})",
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

/// Every identifier in the text, in order, none overlapping.
pub fn find_identifiers(text: &str) -> Vec<Identifier> {
    let mut found: Vec<Identifier> = Vec::new();
    let overlaps =
        |found: &[Identifier], s: usize, e: usize| found.iter().any(|f| s < f.end && f.start < e);
    for c in CPR.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let n = |i: usize| c[i].parse::<u32>().unwrap_or(0);
        if standalone(text, m.start(), m.end()) && valid_cpr_date(n(1), n(2), n(3) as i32, n(4)) {
            found.push(Identifier {
                kind: IdentifierKind::Cpr,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    for m in EMAIL.find_iter(text) {
        if !overlaps(&found, m.start(), m.end()) {
            found.push(Identifier {
                kind: IdentifierKind::Email,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    for m in PHONE.find_iter(text) {
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
        fn any_valid_cpr_number_in_a_text_is_found(day in 1u32..=28, month in 1u32..=12, yy in 0u32..=99, serial in 0u32..=3999, before in "[a-zæøå ]{0,10}") {
            let text = format!("{before} {day:02}{month:02}{yy:02}-{serial:04} ");
            prop_assert_eq!(kinds(&text), vec![IdentifierKind::Cpr]);
        }
    }
}
