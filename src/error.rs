//! The errors a user can meet, each rendered as one line in the user's language.

use crate::i18n::Lang;
use crate::tr;
use std::path::PathBuf;

/// Everything that can go wrong, in terms the user can act on.
#[derive(Debug)]
pub enum Error {
    /// A model, mapping or strategy file that does not hold up.
    Definition {
        file: String,
        path: String,
        message: String,
    },
    /// An error in one line of a file of many records (`score apply`).
    InLine {
        file: String,
        line: usize,
        source: Box<Error>,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    NotADatabase {
        path: PathBuf,
    },
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    Database {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// An SQLite error inside a store transaction; the store adds the path before it leaves.
    Sqlite(rusqlite::Error),
    UnknownFacility(String),
    DuplicateFacility(String),
    FacilityArchived(String),
    UnknownAssessment(String),
    AssessmentExists {
        facility: String,
        year: i32,
        id: i64,
    },
    UnknownModel(String),
    NoModelForYear(i32),
    UnknownIndicator {
        indicator: String,
        model: String,
    },
    ScoreOutOfRange(i64),
    ReasonRequired(String),
    ScoreMissing(String),
    Finalised(i64),
    NotFinalised(i64),
    Unscored {
        id: i64,
        indicators: Vec<String>,
    },
    NotReassessed {
        id: i64,
        indicators: Vec<String>,
    },
    NothingToRollForward(String),
    /// An action that is done or dropped; `status` is its status in words.
    ActionClosed {
        id: i64,
        status: Words,
    },
    UnknownAction(i64),
    UnknownActionPlan(String),
    BadDate(String),
    BadRule(String),
    BadLink {
        strategy: String,
        detail: String,
    },
    ImportConflict {
        file: String,
        facility: String,
        year: i32,
    },
    NoMapping {
        from: String,
        to: String,
    },
    NothingToCompare(String),
    Unhealthy(String),
    /// Texts holding personal identifiers under the strict policy; `found` says which, in
    /// words (the core describes them, so this file calls nothing in the core).
    PersonalData {
        indicator: String,
        kinds: Vec<crate::assessment::IdentifierKind>,
        found: Words,
    },
    Tampered(usize),
    UnknownTag {
        tag: String,
        known: String,
    },
    UnknownStrategy(String),
    ModelStructureChanged {
        file: String,
        id: String,
        detail: String,
    },
    /// A required text that is empty: a field's word (`text`, `reason`, `name`,
    /// `indicator`), or the flag (`--text`) where the command line reports it.
    Empty(&'static str),
    Terminal(String),
    /// A score that breaks a rule every write path applies (`assessment::check_write`).
    ScoreRefused {
        indicator: String,
        problem: crate::assessment::ScoreProblem,
    },
    /// No facility has this number; `named` says whether one has it as its name.
    UnknownFacilityNumber {
        id: i64,
        named: bool,
    },
    /// An import would replace a finalised (signed) assessment without being asked to.
    ImportFinalised {
        file: String,
        facility: String,
        year: i32,
        finalised_by: String,
    },
    /// Demo data goes only into an empty database.
    DemoNotEmpty(PathBuf),
    /// No data directory to hold the default database.
    NoHomeDirectory,
    /// An error with what the face that reports it adds (the command line: its flag).
    Hint {
        source: Box<Error>,
        hint: Words,
    },
    StatusNotInChain(i64),
    BadSchemaVersion {
        path: PathBuf,
        found: i64,
    },
    MemoryDatabase,
    NoDatabase(PathBuf),
    OutputExists(PathBuf),
    NotARegularFile(PathBuf),
    OutputIsDatabase(PathBuf),
    DanglingLink(PathBuf),
    ReadOnly(PathBuf),
    /// A free text that breaks the rule every text keeps (`assessment::check_free_text`).
    TextRefused(crate::assessment::TextProblem),
    /// An audit row whose fields no longer give the hash it carries (or that carries
    /// none): a bundle cannot vouch for it.
    AuditRowUnfit(i64),
    /// A stored text that is not UTF-8, met by a read: the first such (and how many more).
    TextNotUtf8 {
        path: PathBuf,
        table: String,
        row: String,
        column: String,
        more: usize,
    },
}

/// A text in both languages, made where the words are known (the core, a face) and
/// picked where the error is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub da: String,
    pub en: String,
}

impl Words {
    /// The text in each language, as `f` words it.
    pub fn of(f: impl Fn(Lang) -> String) -> Words {
        Words {
            da: f(Lang::Da),
            en: f(Lang::En),
        }
    }

    /// The text in `lang`.
    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.da, &self.en)
    }
}

impl std::fmt::Display for Error {
    /// English, for logs: the same words the user reads with `--lang en`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InLine { source, .. } | Error::Hint { source, .. } => Some(source.as_ref()),
            Error::Io { source, .. } => Some(source),
            Error::Database { source, .. } | Error::Sqlite(source) => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

/// What an empty required field is called, by the word the store and the core use.
fn empty_field(word: &str, lang: Lang) -> String {
    match word {
        "text" => lang.pick("teksten må ikke være tom", "the text must not be empty"),
        "reason" => lang.pick(
            "begrundelsen må ikke være tom",
            "the reason must not be empty",
        ),
        "name" => lang.pick("navnet må ikke være tomt", "the name must not be empty"),
        "indicator" => lang.pick(
            "der skal angives mindst én indikator",
            "name at least one indicator",
        ),
        other => {
            return tr!(
                lang,
                "{other} må ikke være tom",
                "{other} must not be empty"
            );
        }
    }
    .to_string()
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
            Definition {
                file,
                path,
                message,
            } => format!("{file}: {path}: {message}"),
            Io { path, source } => format!("{}: {source}", path.display()),
            Database { path, source } => tr!(
                lang,
                "{}: databasefejl: {source}",
                "{}: database error: {source}",
                path.display()
            ),
            Sqlite(e) => tr!(lang, "databasefejl: {e}", "database error: {e}"),
            Terminal(t) => tr!(lang, "terminal: {t}", "terminal: {t}"),
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
            // a name that reads as a number was asked for by name: say so
            UnknownFacility(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => tr!(
                lang,
                "ukendt tilbud: intet tilbud hedder \"{f}\"",
                "unknown facility: no facility is named \"{f}\""
            ),
            UnknownFacility(f) => tr!(lang, "ukendt tilbud: {f}", "unknown facility: {f}"),
            UnknownFacilityNumber { id, named: false } => tr!(
                lang,
                "ukendt tilbud: intet tilbud har nummer {id}",
                "unknown facility: no facility has number {id}"
            ),
            UnknownFacilityNumber { id, named: true } => tr!(
                lang,
                "ukendt tilbud: intet tilbud har nummer {id} (et tilbud hedder \"{id}\": skriv name:{id})",
                "unknown facility: no facility has number {id} (one is named \"{id}\": write name:{id})"
            ),
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
                "ingen kvalitetsmodel var i kraft i {y}",
                "no quality model was in force in {y}"
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
                "indikator {i}: \"ikke relevant\" kræver en begrundelse",
                "indicator {i}: \"not relevant\" needs a reason"
            ),
            ScoreMissing(i) => tr!(
                lang,
                "indikator {i}: angiv en score eller \"ikke relevant\"",
                "indicator {i}: give a score or \"not relevant\""
            ),
            Finalised(id) => tr!(
                lang,
                "vurdering {id} er afsluttet og kan ikke ændres; genåbn den først",
                "assessment {id} is finalised and cannot be changed; reopen it first"
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
            ActionClosed { id, status } => tr!(
                lang,
                "udviklingspunkt {id} er {} og kan ikke ændres mere",
                "improvement action {id} is {} and cannot change any more",
                status.pick(lang)
            ),
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
                "{file}: {facility} {year} findes i databasen med andet indhold",
                "{file}: {facility} {year} is in the database with other content"
            ),
            ImportFinalised {
                file,
                facility,
                year,
                finalised_by,
            } => tr!(
                lang,
                "{file}: {facility} {year} findes i databasen med andet indhold og er afsluttet (underskrevet af {finalised_by:?}); en afsluttet vurdering erstattes kun, når det udtrykkeligt ønskes",
                "{file}: {facility} {year} is in the database with other content and is finalised (signed by {finalised_by:?}); a finalised assessment is replaced only when asked for explicitly"
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
            PersonalData {
                indicator, found, ..
            } => tr!(
                lang,
                "indikator {indicator}: teksten indeholder {}; personoplysninger afvises her",
                "indicator {indicator}: the text holds {}; personal data is refused here",
                found.pick(lang)
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
            ScoreRefused { indicator, problem } => tr!(
                lang,
                "indikator {indicator}: {}",
                "indicator {indicator}: {}",
                problem.message(lang)
            ),
            Empty(what) if what.starts_with("--") => {
                tr!(lang, "{what} må ikke være tom", "{what} must not be empty")
            }
            Empty(what) => empty_field(what, lang),
            DemoNotEmpty(path) => tr!(
                lang,
                "{} har allerede tilbud; demodata skal i en tom database",
                "{} holds facilities already; demo data goes into an empty database",
                path.display()
            ),
            NoHomeDirectory => tr!(
                lang,
                "ingen hjemmemappe til standarddatabasen; angiv databasefilen",
                "no home directory for the default database; name the database file"
            ),
            Hint { source, hint } => format!("{}{}", source.localized(lang), hint.pick(lang)),
            StatusNotInChain(id) => tr!(
                lang,
                "vurdering {id}: revisionssporet viser den som afsluttet; den er genåbnet uden om programmet (kør verify)",
                "assessment {id}: the audit log holds it as finalised; it was un-finalised behind the program's back (run verify)"
            ),
            BadSchemaVersion { path, found } => tr!(
                lang,
                "{}: skemaversion {found} er ikke skrevet af dette program; filen er ændret uden om programmet",
                "{}: schema version {found} was not written by this program; the file was changed behind its back",
                path.display()
            ),
            MemoryDatabase => tr!(
                lang,
                ":memory: er ikke en databasefil (intet ville blive gemt); angiv en sti til en fil",
                ":memory: is not a database file (nothing would be kept); name a file path"
            ),
            NoDatabase(path) => tr!(
                lang,
                "{}: her er ingen database (intet er oprettet); kontrollér stien",
                "{}: there is no database here (nothing was created); check the path",
                path.display()
            ),
            OutputExists(path) => tr!(
                lang,
                "{}: filen findes allerede; vælg et andet navn, eller overskriv med --force",
                "{}: the file exists already; choose another name, or overwrite it with --force",
                path.display()
            ),
            NotARegularFile(path) => tr!(
                lang,
                "{}: ikke en almindelig fil (et link, en mappe eller en enhed); vælg et andet navn",
                "{}: not a regular file (a link, a folder or a device); choose another name",
                path.display()
            ),
            OutputIsDatabase(path) => tr!(
                lang,
                "{}: det er databasen i brug; vælg et andet navn",
                "{}: that is the database in use; choose another name",
                path.display()
            ),
            DanglingLink(path) => tr!(
                lang,
                "{}: et symbolsk link, der peger på intet; fjern linket eller vælg en anden sti",
                "{}: a symbolic link that points at nothing; remove the link or choose another path",
                path.display()
            ),
            ReadOnly(path) => tr!(
                lang,
                "{}: skrivebeskyttet; giv ejeren skriveadgang til filen og dens mappe (chmod u+w), eller brug en kopi",
                "{}: read-only; give the owner write access to the file and its folder (chmod u+w), or work on a copy",
                path.display()
            ),
            TextRefused(problem) => problem.message(lang),
            AuditRowUnfit(id) => tr!(
                lang,
                "revisionsspor-række {id} passer ikke til sin hash (ændret uden om programmet); en pakke kan ikke stå inde for den (kør verify)",
                "audit row {id} does not fit its hash (changed behind the program's back); a bundle cannot vouch for it (run verify)"
            ),
            TextNotUtf8 {
                path,
                table,
                row,
                column,
                more,
            } => tr!(
                lang,
                "{}: en gemt tekst er ikke UTF-8 (ændret uden om programmet): tabel {table}, række {row}, kolonne {column}{}; intet er læst videre (kør verify)",
                "{}: a stored text is not UTF-8 (changed behind the program's back): table {table}, row {row}, column {column}{}; nothing more was read (run verify)",
                path.display(),
                if *more > 0 {
                    format!(" (+{more})")
                } else {
                    String::new()
                }
            ),
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
