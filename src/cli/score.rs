//! `tilsynsklar score set …`: scoring one indicator, committed at once with its audit row.

use super::Ctx;
use super::assessment::Which;
use super::output::safe;
use crate::assessment::{Score, ScoreInput, ScoreValue, mask_input};
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
    /// The score, 1–5
    #[arg(
        long,
        short = 'v',
        allow_negative_numbers = true,
        conflicts_with = "not_relevant"
    )]
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
            let stamp = ctx.app.stamp();
            let changed = ctx
                .app
                .store
                .confirm_score(a.id, indicator.trim(), &stamp)?;
            return ctx.out.line(if changed {
                tr!(
                    lang,
                    "bekræftet: {} {} indikator {} er genvurderet",
                    "confirmed: {} {} indicator {} is re-assessed",
                    safe(&a.facility),
                    a.year,
                    indicator.trim()
                )
            } else {
                tr!(
                    lang,
                    "uændret: indikator {} var ikke markeret som overført",
                    "unchanged: indicator {} was not marked as carried over",
                    indicator.trim()
                )
            });
        }
    };
    let value = ScoreValue::from_input(args.value, args.not_relevant, &args.indicator)?;
    let a = args.which.resolve(ctx)?;
    let mut input = ScoreInput {
        indicator_id: args.indicator.trim().to_string(),
        value,
        reasoning: args.reason,
        sources: (!args.sources.is_empty()).then(|| args.sources.join("\n")),
    };
    if args.mask {
        input = mask_input(&input);
    }
    let (saved, shown) = save(ctx, a.id, &input)?;
    ctx.out.line(tr!(
        lang,
        "gemt: {} {} indikator {} = {shown}",
        "saved: {} {} indicator {} = {shown}",
        safe(&a.facility),
        a.year,
        saved.indicator_id
    ))
}

/// Saves one score (committed with its audit row), warns about personal data in its new
/// texts, and returns it with its value as shown to the user.
fn save(ctx: &mut Ctx, assessment: i64, input: &ScoreInput) -> Result<(Score, String)> {
    let stamp = ctx.app.stamp();
    let saved = ctx.app.store.set_score(assessment, input, &stamp)?;
    super::privacy::warn_identifiers(ctx, &saved.indicator_id, input);
    let shown = match saved.value {
        ScoreValue::Scored(v) => v.to_string(),
        ScoreValue::NotRelevant => ctx
            .app
            .lang
            .pick("ikke relevant", "not relevant")
            .to_string(),
    };
    Ok((saved, shown))
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

/// One line of a `score apply` file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreLine {
    indicator: String,
    value: Option<i64>,
    #[serde(default)]
    not_relevant: bool,
    reasoning: Option<String>,
    sources: Option<String>,
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
    if a.status == crate::assessment::Status::Finalised {
        return Err(crate::Error::Finalised(a.id));
    }
    let model = ctx.app.store.model_by_hash(&a.model_hash)?;
    let saved = ctx.app.store.scores(a.id)?;
    let strict = ctx.app.store.strict()
        || ctx.app.store.personal_data_policy()? == crate::assessment::PersonalDataPolicy::Strict;
    let in_line = |line: usize, e: crate::Error| crate::Error::InLine {
        file: name.clone(),
        line,
        source: Box::new(e),
    };
    let mut inputs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line: ScoreLine = serde_json::from_str(raw)
            .map_err(|e| in_line(i + 1, crate::Error::definition(&name, "$", e.to_string())))?;
        let value = ScoreValue::from_input(line.value, line.not_relevant, &line.indicator)
            .map_err(|e| in_line(i + 1, e))?;
        let mut input = ScoreInput {
            indicator_id: line.indicator.trim().to_string(),
            value,
            reasoning: line.reasoning,
            sources: line.sources,
        };
        if args.mask {
            input = mask_input(&input);
        }
        // the same rules the store applies, against the scores as saved now
        let previous = saved
            .iter()
            .find(|s| s.indicator_id.eq_ignore_ascii_case(&input.indicator_id));
        crate::assessment::check_score(&model, &input, previous).map_err(|e| in_line(i + 1, e))?;
        if strict {
            crate::assessment::refuse_identifiers(&input).map_err(|e| in_line(i + 1, e))?;
        }
        inputs.push((i + 1, input));
    }
    for (line, input) in inputs {
        let (saved, shown) = save(ctx, a.id, &input).map_err(|e| in_line(line, e))?;
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
