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
        // an error without a hint is left as it is
        assert!(matches!(
            with_hint(Error::UnknownAction(4), Asked::Assessment),
            Error::UnknownAction(4)
        ));
    }
}
