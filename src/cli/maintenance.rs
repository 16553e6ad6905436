//! `tilsynsklar backup`, `doctor` and `verify`: looking after the database file and
//! showing whether anything was changed behind the program's back.

use super::Ctx;
use super::assessment::Which;
use super::output::safe;
use crate::app::maintenance;
use crate::error::{Error, Result};
use crate::integrity::ChainBreak;
use crate::store::{ActionProblem, StatusProblem, Tampering};
use crate::tr;
use std::path::Path;

/// Whether a command only reads: on a path where there is no database it is refused, and
/// nothing is created (a typo in `--db` must not make an empty database that "verifies").
pub fn reads_only(command: &Option<super::Command>) -> bool {
    use super::Command as C;
    // models and strategies are not here: the bundled ones are there for a new database
    // too, and `model list` is how the README starts one
    use super::{action::ActionCmd, assessment::AssessmentCmd, facility::FacilityCmd};
    match command {
        Some(C::Verify(_) | C::Doctor { .. } | C::Export(_) | C::Compare(_) | C::Backup { .. }) => {
            true
        }
        Some(C::Privacy(p)) => p.set.is_none(),
        Some(C::Gaps(g)) => g.set.is_empty() && !g.reset,
        Some(C::Assessment(
            AssessmentCmd::List { .. }
            | AssessmentCmd::Show { .. }
            | AssessmentCmd::Summary { .. }
            | AssessmentCmd::Rule { set: None, .. }
            | AssessmentCmd::Log { .. },
        )) => true,
        Some(C::Facility(FacilityCmd::List { .. } | FacilityCmd::Show { .. })) => true,
        Some(C::Action(ActionCmd::List(_))) => true,
        _ => false,
    }
}

/// Refuses a command that only reads where the database the user named does not exist
/// (a typo in `--db` creates nothing). The default database in the data directory is
/// created on first use by any command, as a new user expects.
pub fn refuse_missing(db: Option<&Path>, command: &Option<super::Command>) -> Result<()> {
    let Some(path) = db.map(Path::to_path_buf) else {
        return Ok(());
    };
    if path.as_os_str() == ":memory:" {
        return Err(Error::MemoryDatabase);
    }
    // a server's database is there or the connection says why not
    if crate::app::is_server(&path) {
        return Ok(());
    }
    if !reads_only(command) {
        return Ok(());
    }
    match std::fs::metadata(&path) {
        Ok(_) => Ok(()),
        Err(_) if crate::store::is_dangling_link(&path) => Err(Error::DanglingLink(path)),
        Err(_) => Err(Error::NoDatabase(path)),
    }
}

/// `tilsynsklar verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(long)]
    pub json: bool,
}

pub fn backup(file: &Path, ctx: &mut Ctx) -> Result<()> {
    maintenance::backup(&ctx.app, file)?;
    let lang = ctx.app.lang;
    ctx.out.line(tr!(
        lang,
        "sikkerhedskopi: {}",
        "backup: {}",
        file.display()
    ))
}

pub fn doctor(json: bool, ctx: &mut Ctx) -> Result<()> {
    let checks = maintenance::doctor(&ctx.app)?;
    if json {
        ctx.out.json(&checks)?;
    } else {
        for c in &checks {
            let mark = if c.ok {
                "ok  "
            } else {
                ctx.app.lang.pick("FEJL", "FAIL")
            };
            ctx.out
                .line(format!("{mark} {:<14} {}", c.name, safe(&c.detail)))?;
        }
    }
    match checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name)
        .collect::<Vec<_>>()
    {
        failed if failed.is_empty() => Ok(()),
        failed => Err(Error::Unhealthy(failed.join(", "))),
    }
}

pub fn verify(args: VerifyArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let one = match (&args.which.assessment, &args.which.facility) {
        (None, None) => None,
        _ => Some(args.which.resolve(ctx)?.id),
    };
    let v = maintenance::verify(&ctx.app, one)?;
    if args.json {
        ctx.out.json(&v)?;
    } else {
        let head = &v.chain_head[..v.chain_head.len().min(16)];
        ctx.out.line(tr!(
            lang,
            "revisionsspor: {} rækker gennemgået, kædens hoved {head}",
            "audit log: {} rows walked, chain head {head}",
            v.audit_rows
        ))?;
        ctx.out.line(tr!(
            lang,
            "underskrifter: {} afsluttede vurderinger genberegnet",
            "sign-offs: {} finalised assessments re-hashed",
            v.signoffs
        ))?;
        if v.unsigned > 0 {
            ctx.out.line(tr!(
                lang,
                "  {} afsluttet før underskrifts-hash blev gemt (intet at sammenligne med)",
                "  {} finalised before sign-off hashes were recorded (nothing to compare with)",
                v.unsigned
            ))?;
        }
        for f in &v.findings {
            let line = match f {
                Tampering::AuditRow {
                    id,
                    action,
                    at,
                    assessment,
                    problem,
                } => {
                    let what = match problem {
                        ChainBreak::Altered => lang.pick(
                            "indholdet er ændret efter rækken blev skrevet",
                            "changed after it was written",
                        ),
                        ChainBreak::Unsealed => lang.pick(
                            "ikke skrevet af programmet (ingen hash)",
                            "not written by the program (no hash)",
                        ),
                        ChainBreak::Unlinked => lang.pick(
                            "en række før den er slettet eller ændret",
                            "a row before it was deleted or rewritten",
                        ),
                    };
                    let of = assessment
                        .map(|a| tr!(lang, ", vurdering {a}", ", assessment {a}"))
                        .unwrap_or_default();
                    tr!(
                        lang,
                        "ÆNDRET revisionsspor række {id} ({}{of}, {}): {what}",
                        "CHANGED audit row {id} ({}{of}, {}): {what}",
                        safe(action),
                        safe(at)
                    )
                }
                Tampering::Signoff {
                    assessment,
                    facility,
                    year,
                } => tr!(
                    lang,
                    "ÆNDRET vurdering {assessment} ({} {year}): scorer eller tekster ændret efter underskriften",
                    "CHANGED assessment {assessment} ({} {year}): scores or texts changed after sign-off",
                    safe(facility)
                ),
                Tampering::Status {
                    assessment,
                    facility,
                    year,
                    problem,
                } => {
                    let what = match problem {
                        StatusProblem::Unfinalised => lang.pick(
                            "er kladde, men revisionssporet viser den afsluttet (genåbnet uden om programmet)",
                            "is a draft, but the audit log holds it as finalised (un-finalised behind the program's back)",
                        ),
                        StatusProblem::FinalisedOutsideChain => lang.pick(
                            "er afsluttet, men revisionssporet viser ingen afslutning",
                            "is finalised, but the audit log holds no sign-off",
                        ),
                        StatusProblem::Signer => lang.pick(
                            "underskriveren er ikke den, revisionssporet nævner",
                            "the signer is not the one the audit log names",
                        ),
                        StatusProblem::Time => lang.pick(
                            "tidspunktet for underskriften er ikke revisionssporets",
                            "the time of sign-off is not the audit log's",
                        ),
                        StatusProblem::Facility => lang.pick(
                            "hører nu til et andet tilbud end det, den blev underskrevet for",
                            "now belongs to another facility than the one it was signed for",
                        ),
                        StatusProblem::Hash => lang.pick(
                            "underskrifts-hashen er ikke den, revisionssporet nævner",
                            "the sign-off hash is not the one the audit log names",
                        ),
                    };
                    tr!(
                        lang,
                        "ÆNDRET vurdering {assessment} ({} {year}): {what}",
                        "CHANGED assessment {assessment} ({} {year}): {what}",
                        safe(facility)
                    )
                }
                Tampering::Action {
                    id,
                    assessment,
                    problem,
                } => match problem {
                    ActionProblem::Changed => tr!(
                        lang,
                        "ÆNDRET forbedringstiltag {id} (vurdering {assessment}): ændret uden om programmet",
                        "CHANGED improvement action {id} (assessment {assessment}): changed behind the program's back"
                    ),
                    ActionProblem::Deleted => tr!(
                        lang,
                        "SLETTET forbedringstiltag {id} (vurdering {assessment}): slettet uden om programmet",
                        "DELETED improvement action {id} (assessment {assessment}): deleted behind the program's back"
                    ),
                },
                Tampering::Text { table, row, column } => tr!(
                    lang,
                    "BESKADIGET tekst i {} række {} kolonne {}: ikke gyldig UTF-8",
                    "DAMAGED text in {} row {} column {}: not valid UTF-8",
                    safe(table),
                    safe(row),
                    safe(column)
                ),
            };
            ctx.out.line(line)?;
        }
        if v.findings.is_empty() {
            ctx.out.line(lang.pick(
                "ok: intet er ændret uden om programmet",
                "ok: nothing was changed behind the program's back",
            ))?;
        }
    }
    if v.findings.is_empty() {
        Ok(())
    } else {
        Err(Error::Tampered(v.findings.len()))
    }
}
