//! `tilsynsklar privacy`: the database's personal-data policy, and a scan of the stored
//! texts for CPR numbers, e-mail addresses and phone numbers.

use super::Ctx;
use super::exchange::SelectionArgs;
use super::output::{safe, warn};
use crate::assessment::{
    IdentifierKind, PersonalDataPolicy, ScoreInput, describe_identifiers, identifier_kinds,
};
use crate::error::Result;
use crate::tr;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct PrivacyArgs {
    /// Sets the database's policy: warn (save, and warn) or strict (refuse to save)
    #[arg(long, value_parser = ["warn", "strict"])]
    pub set: Option<String>,
    #[command(flatten)]
    pub which: SelectionArgs,
    #[arg(long)]
    pub json: bool,
}

/// One score whose texts hold identifiers.
#[derive(Debug, Serialize)]
struct Hit {
    assessment: i64,
    facility: String,
    year: i32,
    status: crate::assessment::Status,
    indicator: String,
    kinds: Vec<IdentifierKind>,
}

pub fn run(args: PrivacyArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    if let Some(set) = &args.set {
        let policy = PersonalDataPolicy::parse(set).unwrap_or_default();
        let stamp = ctx.app.stamp();
        ctx.app.store.set_personal_data_policy(policy, &stamp)?;
    }
    let policy = ctx.app.store.personal_data_policy()?;
    let mut hits = Vec::new();
    let mut scanned = 0;
    ctx.app
        .store
        .for_each_selected_texts(&args.which.or_all(), |a, scores| {
            scanned += 1;
            for s in scores {
                let kinds = identifier_kinds([s.reasoning.as_str(), s.sources.as_str()]);
                if !kinds.is_empty() {
                    hits.push(Hit {
                        assessment: a.id,
                        facility: a.facility.clone(),
                        year: a.year,
                        status: a.status,
                        indicator: s.indicator.clone(),
                        kinds,
                    });
                }
            }
            Ok(())
        })?;
    if args.json {
        return ctx.out.json(&serde_json::json!({
            "policy": policy,
            "assessments_scanned": scanned,
            "found": hits,
        }));
    }
    ctx.out.line(match policy {
        PersonalDataPolicy::Warn => lang.pick(
            "politik: advar (tekster med personoplysninger gemmes med en advarsel)",
            "policy: warn (texts holding personal data are saved with a warning)",
        ),
        PersonalDataPolicy::Strict => lang.pick(
            "politik: streng (tekster med personoplysninger afvises)",
            "policy: strict (texts holding personal data are refused)",
        ),
    })?;
    for h in &hits {
        ctx.out.line(tr!(
            lang,
            "{} {} (vurdering {}, {}) indikator {}: {}",
            "{} {} (assessment {}, {}) indicator {}: {}",
            safe(&h.facility),
            h.year,
            h.assessment,
            h.status.label(lang),
            safe(&h.indicator),
            describe_identifiers(&h.kinds, lang)
        ))?;
    }
    ctx.out.line(tr!(
        lang,
        "{} scorer med personoplysninger i {} gennemsøgte vurderinger",
        "{} scores holding personal data in {} assessments scanned",
        hits.len(),
        scanned
    ))
}

/// Warns on stderr about identifiers in the new texts of a score just saved.
pub fn warn_identifiers(ctx: &Ctx, indicator: &str, input: &ScoreInput) {
    let kinds = input.identifier_kinds();
    if !kinds.is_empty() {
        let lang = ctx.app.lang;
        warn(&tr!(
            lang,
            "advarsel: indikator {indicator}: teksten indeholder {}; gem den igen med --mask for at skjule det",
            "warning: indicator {indicator}: the text holds {}; save it again with --mask to hide it",
            describe_identifiers(&kinds, lang)
        ));
    }
}
