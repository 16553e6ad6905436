//! `tilsynsklar privacy`: the database's personal-data policy, and a scan of the stored
//! texts for CPR numbers, e-mail addresses and phone numbers.

use super::Ctx;
use super::exchange::SelectionArgs;
use super::output::{safe, warn};
use crate::assessment::{PersonalDataPolicy, ScoreInput, describe_identifiers};
use crate::error::Result;
use crate::tr;

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

pub fn run(args: PrivacyArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    if let Some(set) = &args.set {
        let policy = PersonalDataPolicy::parse(set).unwrap_or_default();
        crate::app::privacy::set_policy(&mut ctx.app, policy)?;
    }
    let policy = crate::app::privacy::policy(&ctx.app)?;
    let scan = crate::app::privacy::scan(&ctx.app, &args.which.or_all())?;
    if args.json {
        return ctx.out.json(&serde_json::json!({
            "policy": policy,
            "assessments_scanned": scan.assessments_scanned,
            "found": scan.scores,
            "texts_found": scan.texts,
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
    for h in &scan.scores {
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
    for h in &scan.texts {
        ctx.out.line(tr!(
            lang,
            "{} {}, felt {}: {}",
            "{} {}, field {}: {}",
            table_label(h.table, lang),
            h.row,
            h.field,
            describe_identifiers(&h.kinds, lang)
        ))?;
    }
    ctx.out.line(tr!(
        lang,
        "{} scorer med personoplysninger i {} gennemsøgte vurderinger",
        "{} scores holding personal data in {} assessments scanned",
        scan.scores.len(),
        scan.assessments_scanned
    ))?;
    ctx.out.line(tr!(
        lang,
        "{} andre tekster med personoplysninger (tilbud, udviklingspunkter, begrundelser, underskrivere, brugernavne)",
        "{} other texts holding personal data (facilities, actions, reasons, signers, user names)",
        scan.texts.len()
    ))
}

/// A table of the scan, in the user's language.
fn table_label(table: &str, lang: crate::i18n::Lang) -> &str {
    match table {
        "facilities" => lang.pick("tilbud", "facility"),
        "improvement_actions" => lang.pick("udviklingspunkt", "improvement action"),
        "assessments" => lang.pick("vurdering", "assessment"),
        "audit_log" => lang.pick("auditlog-række", "audit log row"),
        other => other,
    }
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
