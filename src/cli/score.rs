//! `tilsynsklar score set …`: scoring one indicator, committed at once with its audit row.

use super::Ctx;
use super::assessment::Which;
use super::output::safe;
use crate::app::scores::{self, ScoreRequest};
use crate::assessment::{Score, ScoreValue};
use crate::error::Result;
use crate::tr;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum ScoreCmd {
    /// Scores an indicator 1–5, or marks it not relevant with a reason
    Set(SetArgs),
    /// Saves many scores from a file of JSON lines, each committed as it is saved
    Apply(ApplyArgs),
    /// Confirms a score carried over from last year as re-assessed, unchanged
    Confirm {
        #[command(flatten)]
        which: Which,
        /// The indicator id, e.g. 6a
        #[arg(long, short = 'i')]
        indicator: String,
    },
}

#[derive(Debug, Args)]
pub struct SetArgs {
    #[command(flatten)]
    pub which: Which,
    /// The indicator id, e.g. 6a
    #[arg(long, short = 'i')]
    pub indicator: String,
    /// The score, a step of the model's scale (1–5)
    #[arg(long, short = 'v', allow_negative_numbers = true)]
    pub value: Option<i64>,
    /// The indicator is not relevant for this facility (needs --reason)
    #[arg(long)]
    pub not_relevant: bool,
    /// The reasoning (begrundelse); kept as it is when left out
    #[arg(long, short = 'r')]
    pub reason: Option<String>,
    /// A data source or piece of evidence; repeatable; replaces the saved ones when given
    #[arg(long = "source", short = 's')]
    pub sources: Vec<String>,
    /// Replace CPR numbers, e-mail addresses and phone numbers in the texts before saving
    #[arg(long)]
    pub mask: bool,
}

pub fn run(cmd: ScoreCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let args = match cmd {
        ScoreCmd::Set(args) => args,
        ScoreCmd::Apply(args) => return apply(args, ctx),
        ScoreCmd::Confirm { which, indicator } => {
            let a = which.resolve(ctx)?;
            let changed = scores::confirm_score(&mut ctx.app, a.id, &indicator)?;
            return ctx.out.line(if changed {
                tr!(
                    lang,
                    "bekræftet: {} {} indikator {} er genvurderet",
                    "confirmed: {} {} indicator {} is re-assessed",
                    safe(&a.facility),
                    a.year,
                    safe(indicator.trim())
                )
            } else {
                tr!(
                    lang,
                    "uændret: indikator {} var ikke markeret som overført",
                    "unchanged: indicator {} was not marked as carried over",
                    safe(indicator.trim())
                )
            });
        }
    };
    let a = args.which.resolve(ctx)?;
    let request = ScoreRequest {
        indicator: args.indicator,
        value: args.value,
        not_relevant: args.not_relevant,
        reasoning: args.reason,
        sources: (!args.sources.is_empty()).then(|| args.sources.join("\n")),
    };
    let (input, saved) = scores::save_score(&mut ctx.app, &a, request, args.mask)?;
    super::privacy::warn_identifiers(ctx, &saved.indicator_id, &input);
    let shown = shown(ctx, &saved);
    ctx.out.line(tr!(
        lang,
        "gemt: {} {} indikator {} = {shown}",
        "saved: {} {} indicator {} = {shown}",
        safe(&a.facility),
        a.year,
        saved.indicator_id
    ))
}

/// A saved score's value as shown to the user.
fn shown(ctx: &Ctx, saved: &Score) -> String {
    match saved.value {
        ScoreValue::Scored(v) => v.to_string(),
        ScoreValue::NotRelevant => ctx
            .app
            .lang
            .pick("ikke relevant", "not relevant")
            .to_string(),
    }
}

/// `tilsynsklar score apply`: many scores from a file of JSON lines.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub which: Which,
    /// JSON lines, one score each: {"indicator":"1a","value":4,"reasoning":"…","sources":"…"}
    /// or {"indicator":"2d","not_relevant":true,"reasoning":"…"}; - reads standard input
    pub file: std::path::PathBuf,
    /// Replace CPR numbers, e-mail addresses and phone numbers in the texts before saving
    #[arg(long)]
    pub mask: bool,
}

/// Checks every line first (nothing is saved if one is wrong), then saves them one by
/// one, each committed with its audit row before its line is acknowledged on stdout.
pub fn apply(args: ApplyArgs, ctx: &mut Ctx) -> Result<()> {
    use std::io::Read;
    let lang = ctx.app.lang;
    let name = args.file.display().to_string();
    let text = if name == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| crate::Error::Io {
                path: "stdin".into(),
                source,
            })?;
        s
    } else {
        super::read_file(&args.file)?
    };
    let a = args.which.resolve(ctx)?;
    let lines = scores::check_batch(&ctx.app, &a, &name, &text, args.mask)?;
    for (line, input) in lines {
        let saved =
            scores::save_line(&mut ctx.app, a.id, &input).map_err(|e| crate::Error::InLine {
                file: name.clone(),
                line,
                source: Box::new(e),
            })?;
        super::privacy::warn_identifiers(ctx, &saved.indicator_id, &input);
        let shown = shown(ctx, &saved);
        ctx.out.line(tr!(
            lang,
            "gemt linje {line}: {} = {shown}",
            "saved line {line}: {} = {shown}",
            saved.indicator_id
        ))?;
        // acknowledged only once committed, and at once
        ctx.out.flush()?;
    }
    Ok(())
}
