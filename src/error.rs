//! The errors a user can meet, each rendered as one line in the user's language.

use crate::i18n::Lang;
use crate::tr;
use std::path::PathBuf;

/// Everything that can go wrong, in terms the user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model, mapping or strategy file that does not hold up.
    #[error("{file}: {path}: {message}")]
    Definition {
        file: String,
        path: String,
        message: String,
    },
    /// An error in one line of a file of many records (`score apply`).
    #[error("{file}:{line}: {source}")]
    InLine {
        file: String,
        line: usize,
        source: Box<Error>,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a tilsynsklar database (not an SQLite file, or damaged)")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path}: the database has schema version {found}; this program knows up to {supported}"
    )]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: database error: {source}")]
    Database {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// An SQLite error inside a store transaction; the store adds the path before it leaves.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("unknown facility: {0}")]
    UnknownFacility(String),
    #[error("a facility named {0:?} exists already")]
    DuplicateFacility(String),
    #[error("facility {0:?} is archived")]
    FacilityArchived(String),
    #[error("unknown assessment: {0}")]
    UnknownAssessment(String),
    #[error("{facility} already has an assessment for {year} (assessment {id})")]
    AssessmentExists {
        facility: String,
        year: i32,
        id: i64,
    },
    #[error("unknown quality model: {0}")]
    UnknownModel(String),
    #[error("no quality model was in force in {0}; choose one with --model")]
    NoModelForYear(i32),
    #[error("indicator {indicator:?} is not in model {model}")]
    UnknownIndicator { indicator: String, model: String },
    #[error("score {0} is outside the scale 1–5")]
    ScoreOutOfRange(i64),
    #[error("indicator {0}: \"not relevant\" needs a reason (--reason)")]
    ReasonRequired(String),
    #[error("indicator {0}: give a score (--value 1–5) or --not-relevant")]
    ScoreMissing(String),
    #[error(
        "assessment {0} is finalised and cannot be changed; reopen it first (assessment reopen --reason …)"
    )]
    Finalised(i64),
    #[error("assessment {0} is not finalised")]
    NotFinalised(i64),
    #[error("assessment {id} cannot be finalised: {} indicator(s) unscored: {}", .indicators.len(), .indicators.join(", "))]
    Unscored { id: i64, indicators: Vec<String> },
    #[error("assessment {id} cannot be finalised: {} indicator(s) carried over from last year are not re-assessed: {}", .indicators.len(), .indicators.join(", "))]
    NotReassessed { id: i64, indicators: Vec<String> },
    #[error("{0} has no earlier assessment to start from")]
    NothingToRollForward(String),
    #[error("improvement action {id} is {status} and cannot change any more")]
    ActionClosed { id: i64, status: String },
    #[error("unknown improvement action: {0}")]
    UnknownAction(i64),
    #[error("unknown action plan: {0}")]
    UnknownActionPlan(String),
    #[error("{0:?} is not a date (write 2026-03-31 or 31-03-2026)")]
    BadDate(String),
    #[error("gap rule: {0}")]
    BadRule(String),
    #[error("strategy {strategy}: {detail}")]
    BadLink { strategy: String, detail: String },
    #[error(
        "{file}: {facility} {year} is in the database with other content; import with --replace or --keep-both"
    )]
    ImportConflict {
        file: String,
        facility: String,
        year: i32,
    },
    #[error("no mapping between {from} and {to}: their assessments cannot be compared")]
    NoMapping { from: String, to: String },
    #[error("nothing to compare: {0}")]
    NothingToCompare(String),
    #[error("the database failed these checks: {0}")]
    Unhealthy(String),
    #[error("indicator {indicator}: the text holds {}; personal data is refused here (mask it with --mask)", crate::assessment::describe_identifiers(.kinds, crate::i18n::Lang::En))]
    PersonalData {
        indicator: String,
        kinds: Vec<crate::assessment::IdentifierKind>,
    },
    #[error("verify found {0} change(s) made behind the program's back")]
    Tampered(usize),
    #[error("unknown applicability tag {tag:?} (known: {known})")]
    UnknownTag { tag: String, known: String },
    #[error("unknown strategy: {0}")]
    UnknownStrategy(String),
    #[error("{file}: model {id} exists with other ids ({detail}); give the changed model a new id")]
    ModelStructureChanged {
        file: String,
        id: String,
        detail: String,
    },
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("terminal: {0}")]
    Terminal(String),
    /// A score that breaks a rule every write path applies (`assessment::check_write`).
    #[error("indicator {indicator}: {}", .problem.message(Lang::En))]
    ScoreRefused {
        indicator: String,
        problem: crate::assessment::ScoreProblem,
    },
    /// A free text that breaks the rule every text keeps (`assessment::check_free_text`).
    #[error("{}", .0.message(Lang::En))]
    TextRefused(crate::assessment::TextProblem),
}

impl From<crate::assessment::TextProblem> for Error {
    fn from(problem: crate::assessment::TextProblem) -> Self {
        Error::TextRefused(problem)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The one line shown to the user, in the user's language.
    pub fn localized(&self, lang: Lang) -> String {
        use Error::*;
        match self {
            Definition { .. } | Io { .. } | Database { .. } | Sqlite(_) | Terminal(_) => {
                self.to_string()
            }
            InLine { file, line, source } => {
                format!("{file}:{line}: {}", source.localized(lang))
            }
            NotADatabase { path } => tr!(
                lang,
                "{}: ikke en tilsynsklar-database (ikke en SQLite-fil, eller beskadiget)",
                "{}: not a tilsynsklar database (not an SQLite file, or damaged)",
                path.display()
            ),
            DatabaseTooNew {
                path,
                found,
                supported,
            } => tr!(
                lang,
                "{}: databasen har skemaversion {found}, dette program kender op til {supported}; opdatér programmet",
                "{}: the database has schema version {found}; this program knows up to {supported}; update the program",
                path.display()
            ),
            UnknownFacility(f) => tr!(lang, "ukendt tilbud: {f}", "unknown facility: {f}"),
            DuplicateFacility(f) => tr!(
                lang,
                "der findes allerede et tilbud med navnet {f:?}",
                "a facility named {f:?} exists already"
            ),
            FacilityArchived(f) => tr!(
                lang,
                "tilbuddet {f:?} er arkiveret",
                "facility {f:?} is archived"
            ),
            UnknownAssessment(a) => tr!(lang, "ukendt vurdering: {a}", "unknown assessment: {a}"),
            AssessmentExists { facility, year, id } => tr!(
                lang,
                "{facility} har allerede en vurdering for {year} (vurdering {id})",
                "{facility} already has an assessment for {year} (assessment {id})"
            ),
            UnknownModel(m) => tr!(
                lang,
                "ukendt kvalitetsmodel: {m}",
                "unknown quality model: {m}"
            ),
            NoModelForYear(y) => tr!(
                lang,
                "ingen kvalitetsmodel var i kraft i {y}; vælg en med --model",
                "no quality model was in force in {y}; choose one with --model"
            ),
            UnknownIndicator { indicator, model } => tr!(
                lang,
                "indikator {indicator:?} findes ikke i model {model}",
                "indicator {indicator:?} is not in model {model}"
            ),
            ScoreOutOfRange(v) => tr!(
                lang,
                "scoren {v} ligger uden for skalaen 1–5",
                "score {v} is outside the scale 1–5"
            ),
            ReasonRequired(i) => tr!(
                lang,
                "indikator {i}: \"ikke relevant\" kræver en begrundelse (--reason)",
                "indicator {i}: \"not relevant\" needs a reason (--reason)"
            ),
            ScoreMissing(i) => tr!(
                lang,
                "indikator {i}: angiv en score (--value 1–5) eller --not-relevant",
                "indicator {i}: give a score (--value 1–5) or --not-relevant"
            ),
            Finalised(id) => tr!(
                lang,
                "vurdering {id} er afsluttet og kan ikke ændres; genåbn den først (assessment reopen --reason …)",
                "assessment {id} is finalised and cannot be changed; reopen it first (assessment reopen --reason …)"
            ),
            NotFinalised(id) => tr!(
                lang,
                "vurdering {id} er ikke afsluttet",
                "assessment {id} is not finalised"
            ),
            Unscored { id, indicators } => tr!(
                lang,
                "vurdering {id} kan ikke afsluttes: {} indikator(er) mangler score: {}",
                "assessment {id} cannot be finalised: {} indicator(s) unscored: {}",
                indicators.len(),
                indicators.join(", ")
            ),
            NotReassessed { id, indicators } => tr!(
                lang,
                "vurdering {id} kan ikke afsluttes: {} indikator(er) overført fra sidste år er ikke genvurderet: {}",
                "assessment {id} cannot be finalised: {} indicator(s) carried over from last year are not re-assessed: {}",
                indicators.len(),
                indicators.join(", ")
            ),
            NothingToRollForward(f) => tr!(
                lang,
                "{f} har ingen tidligere vurdering at starte fra",
                "{f} has no earlier assessment to start from"
            ),
            ActionClosed { id, status } => {
                let status = crate::assessment::ActionStatus::parse(status)
                    .map_or(status.as_str(), |s| s.label(lang));
                tr!(
                    lang,
                    "udviklingspunkt {id} er {status} og kan ikke ændres mere",
                    "improvement action {id} is {status} and cannot change any more"
                )
            }
            UnknownAction(id) => tr!(
                lang,
                "ukendt udviklingspunkt: {id}",
                "unknown improvement action: {id}"
            ),
            UnknownActionPlan(p) => tr!(lang, "ukendt handleplan: {p}", "unknown action plan: {p}"),
            BadDate(d) => tr!(
                lang,
                "{d:?} er ikke en dato (skriv 31-03-2026 eller 2026-03-31)",
                "{d:?} is not a date (write 2026-03-31 or 31-03-2026)"
            ),
            BadRule(r) => tr!(lang, "regel for huller: {r}", "gap rule: {r}"),
            BadLink { strategy, detail } => tr!(
                lang,
                "strategi {strategy}: {detail}",
                "strategy {strategy}: {detail}"
            ),
            ImportConflict {
                file,
                facility,
                year,
            } => tr!(
                lang,
                "{file}: {facility} {year} findes i databasen med andet indhold; importér med --replace eller --keep-both",
                "{file}: {facility} {year} is in the database with other content; import with --replace or --keep-both"
            ),
            NoMapping { from, to } => tr!(
                lang,
                "ingen mapping mellem {from} og {to}: deres vurderinger kan ikke sammenlignes",
                "no mapping between {from} and {to}: their assessments cannot be compared"
            ),
            NothingToCompare(what) => tr!(
                lang,
                "intet at sammenligne: {what}",
                "nothing to compare: {what}"
            ),
            PersonalData { indicator, kinds } => tr!(
                lang,
                "indikator {indicator}: teksten indeholder {}; personoplysninger afvises her (maskér dem med --mask)",
                "indicator {indicator}: the text holds {}; personal data is refused here (mask it with --mask)",
                crate::assessment::describe_identifiers(kinds, lang)
            ),
            Tampered(n) => tr!(
                lang,
                "verify fandt {n} ændring(er) foretaget uden om programmet",
                "verify found {n} change(s) made behind the program's back"
            ),
            Unhealthy(names) => tr!(
                lang,
                "databasen fejlede disse tjek: {names}",
                "the database failed these checks: {names}"
            ),
            UnknownTag { tag, known } => tr!(
                lang,
                "ukendt tilbudsmærke {tag:?} (kendte: {known})",
                "unknown applicability tag {tag:?} (known: {known})"
            ),
            UnknownStrategy(s) => tr!(lang, "ukendt strategi: {s}", "unknown strategy: {s}"),
            ModelStructureChanged { file, id, detail } => tr!(
                lang,
                "{file}: model {id} findes med andre id'er ({detail}); giv den ændrede model et nyt id",
                "{file}: model {id} exists with other ids ({detail}); give the changed model a new id"
            ),
            Empty(what) => tr!(lang, "{what} må ikke være tom", "{what} must not be empty"),
            ScoreRefused { indicator, problem } => tr!(
                lang,
                "indikator {indicator}: {}",
                "indicator {indicator}: {}",
                problem.message(lang)
            ),
            TextRefused(problem) => problem.message(lang),
        }
    }

    /// A definition error at a JSON path in a file.
    pub fn definition(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Definition {
            file: file.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}
