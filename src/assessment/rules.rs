//! The rules every write of a score keeps, whichever way it comes in (set, apply, the
//! terminal program, import, demo): scale, not relevant, one text limit, personal data,
//! carried over. Cheap: no allocation unless refused or scanned under strict.

use super::ScoreValue;
use super::free_text::{holds_personal_data, too_long};
use super::personal::{IdentifierKind, PersonalDataPolicy, identifier_kinds};
use crate::i18n::Lang;
use crate::model::QualityModel;
use crate::tr;

/// The longest text a score, or any other text a bundle carries, may hold (characters).
pub const MAX_TEXT: usize = 100_000;

/// Whether a text is longer than `limit` characters. A text of at most `limit` bytes has
/// at most `limit` characters, so only the long ones are counted.
pub fn longer_than(text: &str, limit: usize) -> bool {
    text.len() > limit && (text.len() > limit.saturating_mul(4) || text.chars().count() > limit)
}

/// The values a model's scale allows, read from the model (once per assessment, not per
/// score).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// One bit per allowed value 0–255.
    bits: [u64; 4],
    /// The lowest and the highest value, for messages.
    pub min: u8,
    pub max: u8,
}

impl Scale {
    /// The scale of `model`.
    pub fn of(model: &QualityModel) -> Scale {
        let mut scale = Scale {
            bits: [0; 4],
            min: u8::MAX,
            max: 0,
        };
        for step in &model.scale {
            let v = step.value;
            scale.bits[usize::from(v / 64)] |= 1 << (v % 64);
            scale.min = scale.min.min(v);
            scale.max = scale.max.max(v);
        }
        scale.min = scale.min.min(scale.max);
        scale
    }

    /// Whether `value` is a step of the scale.
    pub fn contains(self, value: i64) -> bool {
        u8::try_from(value).is_ok_and(|v| self.bits[usize::from(v / 64)] & (1 << (v % 64)) != 0)
    }
}

/// The two texts of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Reasoning,
    Sources,
}

impl TextField {
    /// The field's key in the bundle and in `score apply` lines.
    pub fn key(self) -> &'static str {
        match self {
            TextField::Reasoning => "reasoning",
            TextField::Sources => "sources",
        }
    }

    /// "is" and "holds" agree with the English name.
    fn verbs_en(self) -> (&'static str, &'static str) {
        match self {
            TextField::Reasoning => ("is", "holds"),
            TextField::Sources => ("are", "hold"),
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            TextField::Reasoning => lang.pick("begrundelsen", "the reasoning"),
            TextField::Sources => lang.pick("kilderne", "the sources"),
        }
    }
}

/// Why a score is refused: what every write path reports, each in the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreProblem {
    /// A value that is not a step of the model's scale.
    OutOfScale { value: i64, min: u8, max: u8 },
    /// Neither a value nor "not relevant".
    NoValue { min: u8, max: u8 },
    /// A value and "not relevant" together.
    ValueAndNotRelevant,
    /// "Not relevant" without a reason.
    ReasonRequired,
    /// A text over `MAX_TEXT` characters.
    TooLong(TextField),
    /// A new text holding personal identifiers, under the strict policy.
    PersonalData {
        field: TextField,
        kinds: Vec<IdentifierKind>,
    },
    /// A score marked "not re-assessed" in a finalised assessment (sign-off needs them all re-assessed).
    CarriedOverFinalised,
}

impl ScoreProblem {
    /// The score's field the problem is in: the last step of a JSON path.
    pub fn field(&self) -> &'static str {
        match self {
            ScoreProblem::OutOfScale { .. }
            | ScoreProblem::NoValue { .. }
            | ScoreProblem::ValueAndNotRelevant => "value",
            ScoreProblem::ReasonRequired => "reasoning",
            ScoreProblem::TooLong(f) | ScoreProblem::PersonalData { field: f, .. } => f.key(),
            ScoreProblem::CarriedOverFinalised => "carried_over",
        }
    }

    /// What is wrong, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ScoreProblem::OutOfScale { value, min, max } => tr!(
                lang,
                "scoren {value} ligger uden for skalaen {min}–{max}",
                "score {value} is outside the scale {min}–{max}"
            ),
            ScoreProblem::NoValue { min, max } => tr!(
                lang,
                "angiv en score {min}–{max}, eller markér indikatoren som ikke relevant",
                "give a score {min}–{max}, or mark the indicator not relevant"
            ),
            ScoreProblem::ValueAndNotRelevant => tr!(
                lang,
                "en score er enten en værdi eller \"ikke relevant\", ikke begge",
                "a score is either a value or \"not relevant\", not both"
            ),
            ScoreProblem::ReasonRequired => tr!(
                lang,
                "\"ikke relevant\" kræver en begrundelse",
                "\"not relevant\" needs a reason"
            ),
            ScoreProblem::TooLong(field) => too_long(field.name(lang), field.verbs_en().0, lang),
            ScoreProblem::PersonalData { field, kinds } => {
                holds_personal_data(field.name(lang), field.verbs_en().1, kinds, lang)
            }
            ScoreProblem::CarriedOverFinalised => tr!(
                lang,
                "en afsluttet vurdering har ingen score, der ikke er genvurderet",
                "a finalised assessment holds no score that is not re-assessed"
            ),
        }
    }
}

/// A score's fields as they are to be written.
#[derive(Debug, Clone, Copy)]
pub struct ScoreWrite<'a> {
    pub value: Option<i64>,
    pub not_relevant: bool,
    /// The texts as they will be saved (a text left out is the one saved before).
    pub reasoning: &'a str,
    pub sources: &'a str,
    /// Which texts the write brings, reasoning and sources: a text kept as it was saved
    /// is not scanned for personal data again.
    pub new_texts: [bool; 2],
    /// Marked "not re-assessed".
    pub carried_over: bool,
    /// The assessment it goes into is finalised.
    pub finalised: bool,
}

/// A score's value from its two fields, against the model's scale.
pub fn score_value(
    scale: Scale,
    value: Option<i64>,
    not_relevant: bool,
) -> Result<ScoreValue, ScoreProblem> {
    match (value, not_relevant) {
        (Some(_), true) => Err(ScoreProblem::ValueAndNotRelevant),
        (None, true) => Ok(ScoreValue::NotRelevant),
        (None, false) => Err(ScoreProblem::NoValue {
            min: scale.min,
            max: scale.max,
        }),
        (Some(v), false) if scale.contains(v) => Ok(ScoreValue::Scored(v as u8)),
        (Some(v), false) => Err(ScoreProblem::OutOfScale {
            value: v,
            min: scale.min,
            max: scale.max,
        }),
    }
}

/// The one check of a score before it is written; returns its value.
pub fn check_write(
    scale: Scale,
    write: &ScoreWrite<'_>,
    policy: PersonalDataPolicy,
) -> Result<ScoreValue, ScoreProblem> {
    let value = score_value(scale, write.value, write.not_relevant)?;
    if value == ScoreValue::NotRelevant && write.reasoning.trim().is_empty() {
        return Err(ScoreProblem::ReasonRequired);
    }
    let texts = [
        (TextField::Reasoning, write.reasoning),
        (TextField::Sources, write.sources),
    ];
    for (field, text) in texts {
        if longer_than(text, MAX_TEXT) {
            return Err(ScoreProblem::TooLong(field));
        }
    }
    if write.carried_over && write.finalised {
        return Err(ScoreProblem::CarriedOverFinalised);
    }
    if policy == PersonalDataPolicy::Strict {
        for ((field, text), new) in texts.into_iter().zip(write.new_texts) {
            let kinds = if new {
                identifier_kinds([text])
            } else {
                Vec::new()
            };
            if !kinds.is_empty() {
                return Err(ScoreProblem::PersonalData { field, kinds });
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bundled_models;

    fn write(value: Option<i64>, not_relevant: bool, reasoning: &str) -> ScoreWrite<'_> {
        ScoreWrite {
            value,
            not_relevant,
            reasoning,
            sources: "",
            new_texts: [true, true],
            carried_over: false,
            finalised: false,
        }
    }

    fn check(scale: Scale, w: &ScoreWrite<'_>) -> Result<ScoreValue, ScoreProblem> {
        check_write(scale, w, PersonalDataPolicy::Warn)
    }

    #[test]
    fn the_scale_is_read_from_the_model_with_its_boundaries() {
        // the quality models' 1–5 (the safety framework's 0–3 is its own)
        for model in bundled_models()
            .into_iter()
            .filter(|m| m.framework() == crate::model::DEFAULT_FRAMEWORK)
        {
            let scale = Scale::of(&model);
            assert_eq!((scale.min, scale.max), (1, 5), "{}", model.id);
            for v in 1..=5 {
                assert_eq!(
                    check(scale, &write(Some(v), false, "")),
                    Ok(ScoreValue::Scored(v as u8))
                );
            }
            for v in [0, 6, -1, 256, 257, i64::MIN, i64::MAX] {
                assert_eq!(
                    check(scale, &write(Some(v), false, "")),
                    Err(ScoreProblem::OutOfScale {
                        value: v,
                        min: 1,
                        max: 5
                    }),
                    "{v}"
                );
            }
        }
    }

    #[test]
    fn a_model_with_another_scale_is_checked_against_its_own() {
        let mut model = bundled_models().remove(0);
        // 0–3, and 200 besides: a gap in the middle and a high value
        model.scale = [0u8, 1, 2, 3, 200]
            .into_iter()
            .map(|value| crate::model::ScaleStep {
                value,
                label: model.scale[0].label.clone(),
            })
            .collect();
        let scale = Scale::of(&model);
        assert_eq!((scale.min, scale.max), (0, 200));
        for v in [0, 3, 200] {
            assert!(check(scale, &write(Some(v), false, "")).is_ok(), "{v}");
        }
        for v in [4, 5, 199, 201, -1] {
            assert!(
                matches!(
                    check(scale, &write(Some(v), false, "")),
                    Err(ScoreProblem::OutOfScale {
                        min: 0,
                        max: 200,
                        ..
                    })
                ),
                "{v}"
            );
        }
        assert_eq!(
            check(scale, &write(None, false, "")),
            Err(ScoreProblem::NoValue { min: 0, max: 200 })
        );
    }

    #[test]
    fn not_relevant_needs_a_reason_and_no_value() {
        let scale = Scale::of(&bundled_models()[1]);
        assert_eq!(
            check(scale, &write(None, true, " \n ")),
            Err(ScoreProblem::ReasonRequired)
        );
        assert_eq!(
            check(scale, &write(Some(3), true, "grund")),
            Err(ScoreProblem::ValueAndNotRelevant)
        );
        assert_eq!(
            check(scale, &write(None, true, "grund")),
            Ok(ScoreValue::NotRelevant)
        );
        assert_eq!(ScoreProblem::ReasonRequired.field(), "reasoning");
    }

    #[test]
    fn texts_are_refused_one_character_past_the_limit_in_either_field() {
        let scale = Scale::of(&bundled_models()[1]);
        // multi-byte characters: the limit counts characters, not bytes
        let at = "æ".repeat(MAX_TEXT);
        let over = "æ".repeat(MAX_TEXT + 1);
        assert!(check(scale, &write(Some(3), false, &at)).is_ok());
        assert_eq!(
            check(scale, &write(Some(3), false, &over)),
            Err(ScoreProblem::TooLong(TextField::Reasoning))
        );
        let w = ScoreWrite {
            sources: &over,
            ..write(Some(3), false, &at)
        };
        let e = check(scale, &w).unwrap_err();
        assert_eq!(e, ScoreProblem::TooLong(TextField::Sources));
        assert_eq!(e.field(), "sources");
        assert!(!longer_than(&"a".repeat(MAX_TEXT), MAX_TEXT));
        assert!(longer_than(&"a".repeat(MAX_TEXT + 1), MAX_TEXT));
    }

    #[test]
    fn strict_refuses_identifiers_in_new_texts_only() {
        let scale = Scale::of(&bundled_models()[1]);
        let cpr = "Borger 010190-1234 flyttede";
        let strict = PersonalDataPolicy::Strict;
        assert!(
            check(scale, &write(Some(3), false, cpr)).is_ok(),
            "warn saves"
        );
        let e = check_write(scale, &write(Some(3), false, cpr), strict).unwrap_err();
        assert_eq!(
            e,
            ScoreProblem::PersonalData {
                field: TextField::Reasoning,
                kinds: vec![IdentifierKind::Cpr]
            }
        );
        assert_eq!(
            e.message(Lang::En),
            "the reasoning holds a CPR number; personal data is refused in this database"
        );
        // a text kept as it was saved is not scanned again
        let kept = ScoreWrite {
            new_texts: [false, true],
            ..write(Some(3), false, cpr)
        };
        assert!(check_write(scale, &kept, strict).is_ok());
        let in_sources = ScoreWrite {
            sources: "ring 23 45 67 89",
            ..write(Some(3), false, "")
        };
        assert_eq!(
            check_write(scale, &in_sources, strict).unwrap_err().field(),
            "sources"
        );
    }

    #[test]
    fn a_finalised_assessment_holds_no_carried_over_score() {
        let scale = Scale::of(&bundled_models()[1]);
        let carried = ScoreWrite {
            carried_over: true,
            ..write(Some(3), false, "")
        };
        assert!(check(scale, &carried).is_ok(), "a draft may");
        let finalised = ScoreWrite {
            finalised: true,
            ..carried
        };
        assert_eq!(
            check(scale, &finalised),
            Err(ScoreProblem::CarriedOverFinalised)
        );
    }

    #[test]
    fn every_message_names_no_cli_flag_in_either_language() {
        let all = [
            ScoreProblem::OutOfScale {
                value: 9,
                min: 1,
                max: 5,
            },
            ScoreProblem::NoValue { min: 1, max: 5 },
            ScoreProblem::ValueAndNotRelevant,
            ScoreProblem::ReasonRequired,
            ScoreProblem::TooLong(TextField::Sources),
            ScoreProblem::PersonalData {
                field: TextField::Reasoning,
                kinds: vec![IdentifierKind::Email],
            },
            ScoreProblem::CarriedOverFinalised,
        ];
        for p in &all {
            for lang in [Lang::Da, Lang::En] {
                let m = p.message(lang);
                assert!(!m.contains("--") && !m.is_empty(), "{m}");
            }
            assert_ne!(p.message(Lang::Da), p.message(Lang::En));
        }
    }
}
