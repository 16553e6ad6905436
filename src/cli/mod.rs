//! The command line (clap derive): one file per subcommand, each a `run(args, &mut Ctx)`.
//! With no subcommand the terminal program starts.

mod action;
mod assessment;
mod assessment_show;
mod compare;
mod compare_csv;
mod exchange;
mod facility;
mod gaps;
mod help;
mod help_da;
mod hints;
mod maintenance;
mod migrate;
mod model;
mod output;
mod privacy;
mod region;
mod score;
mod strategy;

pub use help::{command, parse, parse_from};
pub use output::Out;

use crate::app::Session;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::tr;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// tilsynsklar: the annual quality self-assessment of a social-care facility against the
/// socialtilsyn quality model, kept in SQLite, with its gaps linked to the region's action plans.
#[derive(Debug, Parser)]
#[command(name = "tilsynsklar", version, about, long_about = None)]
pub struct Cli {
    /// The database: a SQLite file, or a region's PostgreSQL server as a postgres:// URL
    /// [default: tilsynsklar.db in the user's data directory]
    #[arg(long, global = true, env = "TILSYNSKLAR_DB", value_name = "DB")]
    pub db: Option<PathBuf>,
    /// The language of the user interface
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "da",
        env = "TILSYNSKLAR_LANG"
    )]
    pub lang: Lang,
    /// The name recorded in the audit log [default: the operating-system user]
    #[arg(long, global = true, env = "TILSYNSKLAR_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Refuse to save texts holding a CPR number, an e-mail address or a phone number
    /// (whatever the database's policy; see `privacy`)
    #[arg(
        long,
        global = true,
        env = "TILSYNSKLAR_STRICT",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub strict: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Quality models: list, show, validate and import a region's official copy
    #[command(subcommand)]
    Model(model::ModelCmd),
    /// Regional strategies and their action plans
    #[command(subcommand)]
    Strategy(strategy::StrategyCmd),
    /// Facilities (tilbud)
    #[command(subcommand)]
    Facility(facility::FacilityCmd),
    /// Self-assessments: start, list, show, summary, finalise, reopen, log
    #[command(subcommand)]
    Assessment(assessment::AssessmentCmd),
    /// Scores of indicators
    #[command(subcommand)]
    Score(score::ScoreCmd),
    /// Gaps of an assessment, with the action plans that answer them; the gap rules
    Gaps(gaps::GapsArgs),
    /// Improvement actions (udviklingspunkter) raised for gaps
    #[command(subcommand)]
    Action(action::ActionCmd),
    /// Exports assessments: the JSON exchange bundle, CSV, XLSX, an HTML or Markdown report
    Export(exchange::ExportArgs),
    /// Merges exchange bundles into this database, all or nothing per file
    Import(exchange::ImportArgs),
    /// Compares a facility across years, the facilities of a year, or the trend
    Compare(compare::CompareArgs),
    /// Generates realistic demo data into an empty database [default: tilsynsklar-demo.db beside the real one]
    Demo(DemoArgs),
    /// Copies the database with SQLite's online backup (safe while others write)
    Backup {
        /// The new file (it must not exist)
        file: PathBuf,
    },
    /// Checks the database: integrity, foreign keys, schema version, lock triggers, model hashes, audit chain, sign-offs
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// The personal-data policy, and a scan of the texts for CPR numbers, e-mail addresses and phone numbers
    Privacy(privacy::PrivacyArgs),
    /// Recomputes the audit log's hash chain and the sign-off hashes, and names anything changed behind the program's back
    Verify(maintenance::VerifyArgs),
    /// Moves everything one database holds into another: a SQLite file or a PostgreSQL server, either way
    Migrate(migrate::MigrateArgs),
    /// The roles a region's PostgreSQL server enforces (--db postgres://…): set up, grant, revoke, show
    #[command(subcommand)]
    Region(region::RegionCmd),
}

/// `tilsynsklar demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 30)]
    pub facilities: usize,
    #[arg(long, default_value_t = 5)]
    pub years: usize,
    /// The first year [default: this year minus the years]
    #[arg(long)]
    pub from_year: Option<i32>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// What every subcommand works with: the session (store, user, language, clock) and stdout.
pub struct Ctx {
    pub app: Session,
    pub out: Out,
}

/// Runs a parsed command line; an error comes back with the command line's hint added.
pub fn run(cli: Cli) -> Result<()> {
    let asked = match &cli.command {
        Some(Command::Assessment(_)) => hints::Asked::Assessment,
        Some(Command::Score(score::ScoreCmd::Set(a))) if !a.mask => hints::Asked::Maskable,
        Some(Command::Score(score::ScoreCmd::Apply(a))) if !a.mask => hints::Asked::Maskable,
        _ => hints::Asked::Other,
    };
    run_plain(cli).map_err(|e| hints::with_hint(e, asked))
}

fn run_plain(cli: Cli) -> Result<()> {
    let user = crate::app::user_name(cli.user.as_deref());
    // demo data never goes into the real database unless --db names it
    let db = match (&cli.command, &cli.db) {
        (Some(Command::Demo(_)), None) => {
            Some(crate::demo::demo_path(&crate::store::default_path()?))
        }
        _ => cli.db.clone(),
    };
    if cli.strict {
        crate::app::privacy::check_user_name(&user, crate::assessment::PersonalDataPolicy::Strict)?;
    }
    // migrate opens its own two databases, never --db's
    if let Some(Command::Migrate(m)) = &cli.command {
        return migrate::run(m, cli.lang, &user);
    }
    // the region's roles live on its server: no session of the ordinary commands
    if let Some(Command::Region(c)) = &cli.command {
        return region::run(c, db.as_deref(), cli.lang, &user);
    }
    maintenance::refuse_missing(db.as_deref(), &cli.command)?;
    let mut app = Session::open(db.as_deref(), cli.lang, user)?;
    if cli.strict {
        crate::app::maintenance::set_strict(&mut app);
    }
    crate::app::privacy::check_user(&app)?;
    let mut ctx = Ctx {
        app,
        out: Out::stdout(),
    };
    let result = dispatch(cli.command, &mut ctx);
    // what was written is written out even when the command failed half-way
    let flushed = ctx.out.flush();
    result.and(flushed)
}

fn dispatch(command: Option<Command>, ctx: &mut Ctx) -> Result<()> {
    match command {
        None => crate::tui::run(&mut ctx.app),
        Some(Command::Model(c)) => model::run(c, ctx),
        Some(Command::Strategy(c)) => strategy::run(c, ctx),
        Some(Command::Facility(c)) => facility::run(c, ctx),
        Some(Command::Assessment(c)) => assessment::run(c, ctx),
        Some(Command::Score(c)) => score::run(c, ctx),
        Some(Command::Gaps(c)) => gaps::run(c, ctx),
        Some(Command::Action(c)) => action::run(c, ctx),
        Some(Command::Export(c)) => exchange::export(c, ctx),
        Some(Command::Import(c)) => exchange::import(c, ctx),
        Some(Command::Compare(c)) => compare::run(c, ctx),
        Some(Command::Demo(d)) => demo(d, ctx),
        Some(Command::Backup { file }) => maintenance::backup(&file, ctx),
        Some(Command::Doctor { json }) => maintenance::doctor(json, ctx),
        Some(Command::Verify(v)) => maintenance::verify(v, ctx),
        Some(Command::Privacy(p)) => privacy::run(p, ctx),
        Some(Command::Migrate(m)) => migrate::run(&m, ctx.app.lang, &ctx.app.user),
        Some(Command::Region(c)) => region::run(&c, None, ctx.app.lang, &ctx.app.user),
    }
}

fn demo(d: DemoArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let started = std::time::Instant::now();
    let r =
        crate::app::maintenance::demo(&mut ctx.app, d.facilities, d.years, d.from_year, d.seed)?;
    let secs = started.elapsed().as_secs_f64();
    ctx.out.line(tr!(
        lang,
        "demodata i {}: {} tilbud, {} vurderinger, {} scorer, {} udviklingspunkter ({secs:.1} s)",
        "demo data in {}: {} facilities, {} assessments, {} scores, {} improvement actions ({secs:.1} s)",
        crate::app::maintenance::database_path(&ctx.app).display(),
        r.facilities,
        r.assessments,
        r.scores,
        r.actions
    ))
}

/// Reads a definition file the user names.
pub(crate) fn read_file(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Error::definition(
            &path.display().to_string(),
            "$",
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
