//! What the command line adds to an error it reports: the flag or command that helps.
//! The store and the core word their errors without flags, since the terminal program
//! shows the same errors; this is the one place that knows which flag answers which.

use crate::error::{Error, Words};
use crate::tr;

/// Which kind of command failed, where a hint depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// `assessment …`: the model can be chosen with `--model`.
    Assessment,
    /// `score set` or `score apply` without `--mask`, which would have masked the texts.
    Maskable,
    /// Anything else.
    Other,
}

/// The error with the command line's hint added, where it has one.
pub fn with_hint(e: Error, asked: Asked) -> Error {
    let hint = match (&e, asked) {
        (Error::ImportConflict { .. }, _) => Words::of(|l| {
            tr!(
                l,
                "; importér med --replace eller --keep-both",
                "; import with --replace or --keep-both"
            )
        }),
        (Error::ImportFinalised { .. }, _) => Words::of(|l| {
            tr!(
                l,
                "; importér med --replace-finalised for at erstatte den, eller --keep-both",
                "; import with --replace-finalised to replace it, or --keep-both"
            )
        }),
        (Error::Finalised(_), _) => Words::of(|_| " (assessment reopen --reason …)".to_string()),
        // a score's texts refused for personal identifiers: --mask replaces them
        (Error::ScoreRefused { problem, .. }, Asked::Maskable) if masking_helps(problem) => {
            mask_hint()
        }
        (Error::InLine { source, .. }, Asked::Maskable) if matches!(source.as_ref(), Error::ScoreRefused { problem, .. } if masking_helps(problem)) => {
            mask_hint()
        }
        (Error::NoModelForYear(_), Asked::Assessment) => {
            Words::of(|l| tr!(l, "; vælg en med --model", "; choose one with --model"))
        }
        (Error::DemoNotEmpty(_), _) | (Error::NoHomeDirectory, _) => {
            Words::of(|l| tr!(l, " (--db STI)", " (--db PATH)"))
        }
        // the store's word for an empty field becomes the flag that gives it
        (Error::Empty(word), _) => {
            return match *word {
                "text" => Error::Empty("--text"),
                "reason" => Error::Empty("--reason"),
                "indicator" => Error::Empty("--indicator"),
                "by" => Error::Empty("--by"),
                _ => e,
            };
        }
        _ => return e,
    };
    Error::Hint {
        source: Box::new(e),
        hint,
    }
}

/// Whether `--mask` would have let the score through (its texts held personal identifiers).
fn masking_helps(problem: &crate::assessment::ScoreProblem) -> bool {
    matches!(
        problem,
        crate::assessment::ScoreProblem::PersonalData { .. }
    )
}

fn mask_hint() -> Words {
    Words::of(|l| {
        tr!(
            l,
            "; gem med --mask for at erstatte dem",
            "; save with --mask to replace them"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_command_line_adds_its_flag_to_the_stores_words() {
        let e = with_hint(Error::Finalised(3), Asked::Other);
        assert_eq!(
            e.localized(Lang::Da),
            "vurdering 3 er afsluttet og kan ikke ændres; genåbn den først (assessment reopen --reason …)"
        );
        assert_eq!(
            with_hint(Error::Empty("text"), Asked::Other).localized(Lang::En),
            "--text must not be empty"
        );
        // the model flag belongs to `assessment`, not to every command
        assert_eq!(
            with_hint(Error::NoModelForYear(2010), Asked::Other).localized(Lang::En),
            "no quality model was in force in 2010"
        );
        assert!(
            with_hint(Error::NoModelForYear(2010), Asked::Assessment)
                .localized(Lang::En)
                .ends_with("; choose one with --model")
        );
        // a score refused for personal data: --mask helps score set and apply without it
        let refused = || Error::ScoreRefused {
            indicator: "3d".into(),
            problem: crate::assessment::ScoreProblem::PersonalData {
                field: crate::assessment::TextField::Reasoning,
                kinds: vec![crate::assessment::IdentifierKind::Cpr],
            },
        };
        let hinted = with_hint(refused(), Asked::Maskable).localized(Lang::Da);
        assert!(
            hinted.ends_with("; gem med --mask for at erstatte dem"),
            "{hinted}"
        );
        let in_line = Error::InLine {
            file: "s.jsonl".into(),
            line: 2,
            source: Box::new(refused()),
        };
        let hinted = with_hint(in_line, Asked::Maskable).localized(Lang::En);
        assert!(
            hinted.ends_with("; save with --mask to replace them"),
            "{hinted}"
        );
        assert!(
            !with_hint(refused(), Asked::Other)
                .localized(Lang::Da)
                .contains("--mask")
        );
        // a score refused for another reason gets no mask hint
        let other = Error::ScoreRefused {
            indicator: "3d".into(),
            problem: crate::assessment::ScoreProblem::TooLong(
                crate::assessment::TextField::Reasoning,
            ),
        };
        assert!(
            !with_hint(other, Asked::Maskable)
                .localized(Lang::Da)
                .contains("--mask")
        );
        // an error without a hint is left as it is
        assert!(matches!(
            with_hint(Error::UnknownAction(4), Asked::Assessment),
            Error::UnknownAction(4)
        ));
    }
}
