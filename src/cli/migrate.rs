//! `tilsynsklar migrate`: everything one database holds into another (a SQLite file or a
//! PostgreSQL server, either way), by the exchange bundle streamed between them.

use super::Out;
use super::output::safe;
use crate::app::{Clock, migrate};
use crate::error::Result;
use crate::exchange::OnConflict;
use crate::i18n::Lang;
use crate::tr;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// How to merge into a destination that holds data already (`import`'s choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Conflict {
    /// Merge; a facility and year with other content refuses the whole migration
    Refuse,
    /// Take the source's version, unless the destination's is finalised
    Replace,
    /// Take the source's version, a finalised one too
    ReplaceFinalised,
    /// Keep both, as two assessments of the same year
    KeepBoth,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The database to read: a SQLite file or a postgres:// URL
    #[arg(long, value_name = "DB")]
    pub from: PathBuf,
    /// The database to write: a SQLite file (created where missing) or a postgres:// URL
    #[arg(long, value_name = "DB")]
    pub to: PathBuf,
    /// Merge into a destination that holds facilities or assessments already, as `import`
    /// does [default: such a destination is refused]
    #[arg(long, value_enum)]
    pub on_conflict: Option<Conflict>,
    #[arg(long)]
    pub json: bool,
}

/// Runs `migrate` (it opens its own two databases, not `--db`).
pub fn run(args: &MigrateArgs, lang: Lang, user: &str) -> Result<()> {
    let on_conflict = args.on_conflict.map(|c| match c {
        Conflict::Refuse => OnConflict::Refuse,
        Conflict::Replace => OnConflict::Replace,
        Conflict::ReplaceFinalised => OnConflict::ReplaceFinalised,
        Conflict::KeepBoth => OnConflict::KeepBoth,
    });
    let m = migrate::migrate(&args.from, &args.to, on_conflict, user, Clock::System)?;
    let mut out = Out::stdout();
    if args.json {
        out.json(&m)?;
    } else {
        let r = &m.bundle;
        out.line(tr!(
            lang,
            "flyttet: {} → {}: {} tilbud, {} vurderinger tilføjet, {} erstattet, {} uændrede; {} scorer, {} udviklingspunkter, {} logrækker; {} modeller, {} mappings, {} strategier, {} indstillinger",
            "migrated: {} → {}: {} facilities, {} assessments added, {} replaced, {} unchanged; {} scores, {} improvement actions, {} log rows; {} models, {} mappings, {} strategies, {} settings",
            safe(&crate::app::shown(&args.from)),
            safe(&crate::app::shown(&args.to)),
            r.facilities_added,
            r.assessments_added,
            r.assessments_replaced,
            r.assessments_unchanged,
            r.scores_added,
            r.actions_added,
            r.audit_rows_added,
            r.models_added + m.models,
            m.mappings,
            m.strategies,
            m.settings
        ))?;
    }
    out.flush()
}
