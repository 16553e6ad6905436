//! The errors a user can meet, each rendered as one line in the user's language.

use crate::i18n::Lang;
use std::path::PathBuf;

mod messages;

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
    /// A theme score rule the program does not know.
    UnknownThemeScore(String),
    /// No active model of a framework other than the quality model was in force that year.
    NoFrameworkModelForYear {
        framework: String,
        year: i32,
    },
    /// `--model` and `--framework` name two frameworks.
    WrongFramework {
        model: String,
        framework: String,
        asked: String,
    },
    /// A database server refused or failed (PostgreSQL): the server's address without
    /// its password, and what the server said.
    Server {
        server: String,
        message: String,
    },
    /// `migrate` into the database it reads.
    MigrateSame(String),
    /// `migrate` into a database that holds facilities or assessments, with no
    /// `--on-conflict` saying how to merge.
    MigrateNotEmpty(String),
    /// `backup` of a database on a server: the server's own tool (`pg_dump`) copies it.
    BackupOnServer {
        server: String,
    },
    /// The server refused a change its roles do not allow (SQLSTATE 42501: a privilege,
    /// a row-level security policy, the region's triggers); nothing was changed.
    ServerRefused {
        server: String,
        refusal: Refusal,
    },
    /// `region …` given a database that is not a PostgreSQL server's.
    RegionNeedsServer(String),
    /// `region grant/revoke/show` before `region init`.
    RegionNotInitialised(String),
    /// A role name `region grant` does not take.
    BadRoleName(String),
    /// A connection that TLS cannot secure as `sslmode` asks (a certificate refused, no
    /// root certificate).
    ServerTls {
        server: String,
        problem: Words,
    },
}

/// What the server refused (`Error::ServerRefused`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A row of a facility the connected role is not registered as leading (its name).
    NotLeader { facility: String },
    /// What the role's privileges do not cover: the table, where the server named it.
    Table { table: Option<String> },
    /// An audit row naming someone other than the role that connected.
    AuditBy { named: String },
    /// An audit row that does not follow the chain's last row.
    AuditChain,
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

impl From<crate::assessment::TextProblem> for Error {
    fn from(problem: crate::assessment::TextProblem) -> Self {
        Error::TextRefused(problem)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A definition error at a JSON path in a file.
    pub fn definition(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Definition {
            file: file.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}
