//! The one check of every free text that is not a score's (facility fields, improvement
//! actions, reopen reasons, signers, the user name): the same length limit as a score's
//! texts, and under the strict policy no personal identifiers. The messages are written
//! once here, for these texts and for a score's.

use super::personal::{IdentifierKind, PersonalDataPolicy, describe, identifier_kinds};
use super::rules::{MAX_TEXT, longer_than};
use crate::i18n::Lang;
use crate::tr;

/// A free text the program stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeField {
    FacilityName,
    Organisation,
    Location,
    FacilityType,
    TargetGroup,
    ActionText,
    ActionOwner,
    DropReason,
    ReopenReason,
    Signer,
    UserName,
}

impl FreeField {
    /// The field's key in the bundle (the last step of a JSON path) and in the scan.
    pub fn key(self) -> &'static str {
        match self {
            FreeField::FacilityName => "name",
            FreeField::Organisation => "organisation",
            FreeField::Location => "location",
            FreeField::FacilityType => "facility_type",
            FreeField::TargetGroup => "target_group",
            FreeField::ActionText => "text",
            FreeField::ActionOwner => "owner",
            FreeField::DropReason => "drop_reason",
            FreeField::ReopenReason => "reason",
            FreeField::Signer => "finalised_by",
            FreeField::UserName => "by",
        }
    }

    /// The field's name in a sentence, in the user's language.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            FreeField::FacilityName => lang.pick("tilbuddets navn", "the facility name"),
            FreeField::Organisation => lang.pick("organisationen", "the organisation"),
            FreeField::Location => lang.pick("stedet", "the location"),
            FreeField::FacilityType => lang.pick("tilbudstypen", "the facility type"),
            FreeField::TargetGroup => lang.pick("målgruppen", "the target group"),
            FreeField::ActionText => lang.pick("udviklingspunktets tekst", "the action text"),
            FreeField::ActionOwner => lang.pick("den ansvarlige", "the owner"),
            FreeField::DropReason => lang.pick(
                "begrundelsen for at opgive udviklingspunktet",
                "the reason for dropping the action",
            ),
            FreeField::ReopenReason => {
                lang.pick("begrundelsen for at genåbne", "the reason for reopening")
            }
            FreeField::Signer => lang.pick("underskriverens navn", "the signer's name"),
            FreeField::UserName => lang.pick("brugernavnet", "the user name"),
        }
    }
}

/// Why a free text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// Over `MAX_TEXT` characters.
    TooLong(FreeField),
    /// Holding personal identifiers, under the strict policy.
    PersonalData {
        field: FreeField,
        kinds: Vec<IdentifierKind>,
    },
}

impl TextProblem {
    /// The field the problem is in.
    pub fn field(&self) -> FreeField {
        match self {
            TextProblem::TooLong(f) | TextProblem::PersonalData { field: f, .. } => *f,
        }
    }

    /// What is wrong, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TextProblem::TooLong(f) => too_long(f.name(lang), "is", lang),
            TextProblem::PersonalData { field, kinds } => {
                holds_personal_data(field.name(lang), "holds", kinds, lang)
            }
        }
    }
}

/// The one check of a free text before it is written.
pub fn check_free_text(
    field: FreeField,
    text: &str,
    policy: PersonalDataPolicy,
) -> Result<(), TextProblem> {
    if longer_than(text, MAX_TEXT) {
        return Err(TextProblem::TooLong(field));
    }
    if policy == PersonalDataPolicy::Strict {
        let kinds = identifier_kinds([text]);
        if !kinds.is_empty() {
            return Err(TextProblem::PersonalData { field, kinds });
        }
    }
    Ok(())
}

/// Each text in turn; the first problem.
pub fn check_free_texts<'a>(
    texts: impl IntoIterator<Item = (FreeField, &'a str)>,
    policy: PersonalDataPolicy,
) -> Result<(), TextProblem> {
    texts
        .into_iter()
        .try_for_each(|(field, text)| check_free_text(field, text, policy))
}

/// "begrundelsen er længere end 100000 tegn" (`verb_en` agrees with the English name).
pub(super) fn too_long(name: &str, verb_en: &str, lang: Lang) -> String {
    tr!(
        lang,
        "{name} er længere end {MAX_TEXT} tegn",
        "{name} {verb_en} longer than {MAX_TEXT} characters"
    )
}

/// "begrundelsen indeholder et CPR-nummer; personoplysninger afvises i denne database".
pub(super) fn holds_personal_data(
    name: &str,
    verb_en: &str,
    kinds: &[IdentifierKind],
    lang: Lang,
) -> String {
    tr!(
        lang,
        "{name} indeholder {}; personoplysninger afvises i denne database",
        "{name} {verb_en} {}; personal data is refused in this database",
        describe(kinds, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [FreeField; 11] = [
        FreeField::FacilityName,
        FreeField::Organisation,
        FreeField::Location,
        FreeField::FacilityType,
        FreeField::TargetGroup,
        FreeField::ActionText,
        FreeField::ActionOwner,
        FreeField::DropReason,
        FreeField::ReopenReason,
        FreeField::Signer,
        FreeField::UserName,
    ];

    #[test]
    fn every_field_is_refused_one_character_past_the_limit_under_either_policy() {
        let at = "ø".repeat(MAX_TEXT);
        let over = "ø".repeat(MAX_TEXT + 1);
        for field in ALL {
            for policy in [PersonalDataPolicy::Warn, PersonalDataPolicy::Strict] {
                assert_eq!(check_free_text(field, &at, policy), Ok(()));
                assert_eq!(
                    check_free_text(field, &over, policy),
                    Err(TextProblem::TooLong(field))
                );
            }
        }
    }

    #[test]
    fn strict_refuses_personal_data_in_every_field_and_warn_lets_it_pass() {
        for field in ALL {
            let text = "Mette 010190 1234";
            assert_eq!(
                check_free_text(field, text, PersonalDataPolicy::Warn),
                Ok(())
            );
            let e = check_free_text(field, text, PersonalDataPolicy::Strict).unwrap_err();
            assert_eq!(e.field(), field);
            assert_eq!(
                e,
                TextProblem::PersonalData {
                    field,
                    kinds: vec![IdentifierKind::Cpr]
                }
            );
            assert_eq!(
                check_free_text(field, "Solhøj, RM-02, 2026", PersonalDataPolicy::Strict),
                Ok(())
            );
        }
    }

    #[test]
    fn the_first_problem_of_several_texts_is_reported() {
        let strict = PersonalDataPolicy::Strict;
        let texts = [
            (FreeField::ActionText, "Ny plan"),
            (FreeField::ActionOwner, "mette@solhoj.dk"),
            (FreeField::DropReason, "ring 23 45 67 89"),
        ];
        assert_eq!(
            check_free_texts(texts, strict).unwrap_err().field(),
            FreeField::ActionOwner
        );
        assert_eq!(check_free_texts(texts, PersonalDataPolicy::Warn), Ok(()));
    }

    #[test]
    fn messages_name_the_field_in_both_languages_and_no_cli_flag() {
        for field in ALL {
            for p in [
                TextProblem::TooLong(field),
                TextProblem::PersonalData {
                    field,
                    kinds: vec![IdentifierKind::Phone],
                },
            ] {
                for lang in [Lang::Da, Lang::En] {
                    let m = p.message(lang);
                    assert!(m.starts_with(field.name(lang)), "{m}");
                    assert!(!m.contains("--"), "{m}");
                }
                assert_ne!(p.message(Lang::Da), p.message(Lang::En));
            }
        }
        assert_eq!(
            TextProblem::PersonalData {
                field: FreeField::FacilityName,
                kinds: vec![IdentifierKind::Email]
            }
            .message(Lang::En),
            "the facility name holds an e-mail address; personal data is refused in this database"
        );
        assert_eq!(
            TextProblem::TooLong(FreeField::ReopenReason).message(Lang::Da),
            format!("begrundelsen for at genåbne er længere end {MAX_TEXT} tegn")
        );
    }
}
