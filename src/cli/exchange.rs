//! `tilsynsklar export` and `tilsynsklar import`: every field can leave the program, and
//! the JSON bundle comes back in.

use super::Ctx;
use super::output::safe;
use crate::app::exchange;
use crate::error::{Error, Result};
use crate::exchange::OnConflict;
use crate::export::report::Kind;
use crate::store::Selection;
use crate::tr;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The exchange bundle (the one format that can be imported again)
    Json,
    /// One row per indicator of each assessment (RFC 4180, UTF-8)
    Csv,
    /// A workbook: summary, a sheet per theme, gaps and actions
    Xlsx,
    /// A self-contained printable report
    Html,
    /// The report in Markdown
    Md,
}

/// Which assessments: one facility's (of a year), a year's, one, or all.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// One facility's assessments (with --year: that year's)
    #[arg(long, short = 'f', conflicts_with_all = ["assessment", "all"])]
    pub facility: Option<String>,
    /// One year's assessments of every facility (with --facility: that facility's)
    #[arg(long, short = 'y', conflicts_with_all = ["assessment", "all"])]
    pub year: Option<i32>,
    /// One assessment
    #[arg(long, short = 'a', conflicts_with = "all")]
    pub assessment: Option<i64>,
    /// Every facility and assessment
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    #[command(flatten)]
    pub which: SelectionArgs,
    /// The file to write; - for standard output (not for xlsx)
    #[arg(long, short = 'o', default_value = "-")]
    pub output: PathBuf,
    /// Make the file readable by every user of the machine (0644); by default only you
    /// can read it (0600; on Windows your profile's folders decide)
    #[arg(long)]
    pub shared: bool,
    /// CSV for Danish Excel: a byte-order mark and ; between fields
    #[arg(long)]
    pub excel: bool,
    /// Only the selection's assessments on this framework, e.g. sikkerhed [default: every
    /// framework]
    #[arg(long)]
    pub framework: Option<String>,
    /// Overwrite the file if it exists (a regular file only; never the database)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle files (from `export --format json`)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Where the database has the same facility and year with other content: take the
    /// bundle's, unless the database's is finalised (then the file is refused)
    #[arg(long, conflicts_with = "keep_both")]
    pub replace: bool,
    /// As --replace, and a finalised (signed) assessment is replaced too
    #[arg(long, conflicts_with = "keep_both")]
    pub replace_finalised: bool,
    /// Where the database has the same facility and year with other content: keep both
    #[arg(long)]
    pub keep_both: bool,
    #[arg(long)]
    pub json: bool,
}

impl SelectionArgs {
    /// The selection given, if any.
    fn given(&self) -> Option<Selection> {
        match (&self.facility, self.year, self.assessment, self.all) {
            (_, _, _, true) => Some(Selection::All),
            (_, _, Some(a), _) => Some(Selection::Assessment(a)),
            (Some(f), y, _, _) => Some(Selection::Facility(f.clone(), y)),
            (None, Some(y), _, _) => Some(Selection::Year(y)),
            (None, None, None, false) => None,
        }
    }

    /// The selection given; every assessment where none is.
    pub fn or_all(&self) -> Selection {
        self.given().unwrap_or(Selection::All)
    }

    /// The selection given; one must be.
    pub fn selection(&self, lang: crate::i18n::Lang) -> Result<Selection> {
        self.given().ok_or_else(|| {
            Error::UnknownAssessment(
                lang.pick(
                    "vælg --all, --facility F, --year Å eller --assessment N",
                    "choose --all, --facility F, --year Y or --assessment N",
                )
                .into(),
            )
        })
    }
}

pub fn export(args: ExportArgs, ctx: &mut Ctx) -> Result<()> {
    let (shared, path) = (args.shared, args.output.clone());
    exchange::check_output(&ctx.app, &path, args.force)?;
    write_export(args, ctx)?;
    if shared && path.as_os_str() != "-" {
        share(&path)?;
    }
    Ok(())
}

/// Makes a written file readable by everyone (Unix: 0644; elsewhere nothing to do).
fn share(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(
            |source| Error::Io {
                path: path.to_path_buf(),
                source,
            },
        )?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn write_export(args: ExportArgs, ctx: &mut Ctx) -> Result<()> {
    let mut sel = args.which.selection(ctx.app.lang)?;
    if let Some(f) = &args.framework {
        sel = exchange::on_framework(&ctx.app, &sel, f)?;
    }
    let path = args.output.clone();
    let s = &ctx.app;
    match args.format {
        // streamed from the tables: nothing is listed first
        Format::Csv => crate::export::write_csv(s, &sel, &path, args.excel),
        Format::Html => crate::export::write_report(s, &sel, &path, Kind::Html),
        Format::Md => crate::export::write_report(s, &sel, &path, Kind::Markdown),
        Format::Xlsx => crate::export::write_xlsx(s, &sel, &path),
        Format::Json => crate::export::write_bundle(s, &sel, &path),
    }
}

/// Checks a parsed bundle against the database's models.
pub fn import(args: ImportArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let on_conflict = if args.replace_finalised {
        OnConflict::ReplaceFinalised
    } else if args.replace {
        OnConflict::Replace
    } else if args.keep_both {
        OnConflict::KeepBoth
    } else {
        OnConflict::Refuse
    };
    let mut reports = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        // read as a stream through a buffer: memory does not grow with the file
        let r = exchange::import(&mut ctx.app, path, on_conflict)?;
        if !args.json {
            ctx.out.line(tr!(
                lang,
                "importeret: {}: {} tilbud, {} vurderinger tilføjet, {} erstattet, {} uændrede; {} scorer, {} udviklingspunkter, {} logrækker, {} modeller",
                "imported: {}: {} facilities, {} assessments added, {} replaced, {} unchanged; {} scores, {} improvement actions, {} log rows, {} models",
                safe(&name),
                r.facilities_added,
                r.assessments_added,
                r.assessments_replaced,
                r.assessments_unchanged,
                r.scores_added,
                r.actions_added,
                r.audit_rows_added,
                r.models_added
            ))?;
            for x in &r.replaced {
                ctx.out.line(tr!(
                    lang,
                    "  erstattet: {} {} (vurdering {}): {} → {}",
                    "  replaced: {} {} (assessment {}): {} → {}",
                    safe(&x.facility),
                    x.year,
                    x.assessment,
                    x.old_status.label(lang),
                    x.new_status.label(lang)
                ))?;
            }
        }
        reports.push(serde_json::json!({ "file": name, "report": r }));
    }
    if args.json {
        ctx.out.json(&reports)?;
    }
    Ok(())
}
