//! `tilsynsklar region …`: the roles a region's PostgreSQL server enforces. Runs on the
//! server `--db postgres://…` (or `TILSYNSKLAR_DB`) names, without a session of the
//! ordinary commands; a file path is refused with one line.

use super::output::{Out, safe};
use crate::app::region::{self, RegionGroup, RegionMember};
use crate::error::Result;
use crate::i18n::Lang;
use crate::tr;
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum RegionCmd {
    /// Sets up the roles the server enforces: the groups, who leads which facility, the grants, row-level security (as the database's owner; running it again changes nothing)
    Init,
    /// Gives a role on the server its place: a facility's leader, a quality consultant or management (a missing login role is created without a password)
    Grant(GrantArgs),
    /// Takes a place away: a leader's facility (or all of them), or the membership of a group; the login role stays
    Revoke(RevokeArgs),
    /// Who may do what on the server
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("who").required(true).multiple(false)))]
pub struct GrantArgs {
    /// The login role that becomes the leader of --facility
    #[arg(long, value_name = "NAME", group = "who", requires = "facility")]
    pub leader: Option<String>,
    /// The login role that becomes a quality consultant
    #[arg(long, value_name = "NAME", group = "who")]
    pub consultant: Option<String>,
    /// The login role that becomes one of management (reads only)
    #[arg(long, value_name = "NAME", group = "who")]
    pub management: Option<String>,
    /// The facility's number or name (name:12 is the facility named "12")
    #[arg(long, value_name = "FACILITY", requires = "leader")]
    pub facility: Option<String>,
}

#[derive(Debug, clap::Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("who").required(true).multiple(false)))]
pub struct RevokeArgs {
    /// The leader whose facility (or, without --facility, all of them) is taken away
    #[arg(long, value_name = "NAME", group = "who")]
    pub leader: Option<String>,
    /// The quality consultant who leaves the group
    #[arg(long, value_name = "NAME", group = "who")]
    pub consultant: Option<String>,
    /// The member of management who leaves the group
    #[arg(long, value_name = "NAME", group = "who")]
    pub management: Option<String>,
    /// Only this facility (its number or name)
    #[arg(long, value_name = "FACILITY", requires = "leader")]
    pub facility: Option<String>,
}

/// The group and the role a `grant`/`revoke` names (clap asks for exactly one).
fn who(
    leader: &Option<String>,
    consultant: &Option<String>,
    management: &Option<String>,
) -> (RegionGroup, String) {
    match (leader, consultant, management) {
        (Some(n), _, _) => (RegionGroup::Leader, n.clone()),
        (_, Some(n), _) => (RegionGroup::Consultant, n.clone()),
        (_, _, Some(n)) => (RegionGroup::Management, n.clone()),
        _ => (RegionGroup::Management, String::new()),
    }
}

fn group_word(group: RegionGroup, lang: Lang) -> &'static str {
    match group {
        RegionGroup::Leader => lang.pick("leder", "leader"),
        RegionGroup::Consultant => lang.pick("kvalitetskonsulent", "quality consultant"),
        RegionGroup::Management => lang.pick("ledelse", "management"),
    }
}

pub fn run(cmd: &RegionCmd, db: Option<&Path>, lang: Lang, user: &str) -> Result<()> {
    let region = region::open(db, user)?;
    let server = safe(region.server());
    let mut out = Out::stdout();
    match cmd {
        RegionCmd::Init => {
            region.init()?;
            out.prose(tr!(
                lang,
                "{server}: regionens roller er sat op (tilsynsklar_leader, tilsynsklar_consultant, tilsynsklar_management); giv folk deres plads med region grant",
                "{server}: the region's roles are set up (tilsynsklar_leader, tilsynsklar_consultant, tilsynsklar_management); give people their place with region grant"
            ))?;
        }
        RegionCmd::Grant(a) => {
            let (group, name) = who(&a.leader, &a.consultant, &a.management);
            let created = region.grant(group, &name, a.facility.as_deref())?;
            let shown = safe(name.trim());
            let word = group_word(group, lang);
            let line = match &a.facility {
                Some(f) => {
                    let f = safe(f);
                    tr!(
                        lang,
                        "{shown} er nu {word} af tilbuddet {f}",
                        "{shown} is now {word} of the facility {f}"
                    )
                }
                None => tr!(lang, "{shown} er nu {word}", "{shown} is now {word}"),
            };
            out.line(line)?;
            if created {
                out.prose(tr!(
                    lang,
                    "rollen {shown} er oprettet uden adgangskode: databasens administrator sætter den med psql's \\password {shown} (eller lader serveren godkende rollen på anden vis); skriv aldrig en adgangskode på kommandolinjen",
                    "the role {shown} was created without a password: the database's administrator sets it with psql's \\password {shown} (or lets the server authenticate the role otherwise); never type a password on the command line"
                ))?;
            }
        }
        RegionCmd::Revoke(a) => {
            let (group, name) = who(&a.leader, &a.consultant, &a.management);
            region.revoke(group, &name, a.facility.as_deref())?;
            let shown = safe(name.trim());
            let word = group_word(group, lang);
            out.line(match &a.facility {
                Some(f) => {
                    let f = safe(f);
                    tr!(
                        lang,
                        "{shown} er ikke længere {word} af tilbuddet {f}",
                        "{shown} is no longer {word} of the facility {f}"
                    )
                }
                None => tr!(
                    lang,
                    "{shown} er ikke længere {word}",
                    "{shown} is no longer {word}"
                ),
            })?;
        }
        RegionCmd::Show { json } => {
            let members = region.members()?;
            if *json {
                out.json(&members)?;
            } else {
                show(&members, lang, &mut out)?;
            }
        }
    }
    out.flush()
}

/// The members as a table: role, group, what they may do.
fn show(members: &[RegionMember], lang: Lang, out: &mut Out) -> Result<()> {
    if members.is_empty() {
        return out.line(lang.pick(
            "ingen har en plads i regionens roller endnu (region grant)",
            "nobody has a place in the region's roles yet (region grant)",
        ));
    }
    let mut rows = vec![vec![
        lang.pick("rolle", "role").to_string(),
        lang.pick("gruppe", "group").to_string(),
        lang.pick("må", "may").to_string(),
    ]];
    for m in members {
        let may = match m.group {
            RegionGroup::Leader if m.facilities.is_empty() => {
                lang.pick("læse alt (leder af intet tilbud)", "read everything (leads no facility)").to_string()
            }
            RegionGroup::Leader => {
                let led: Vec<String> = m
                    .facilities
                    .iter()
                    .map(|(id, name)| format!("{id} {}", safe(name)))
                    .collect();
                tr!(
                    lang,
                    "læse alt; skrive vurderinger, scorer og udviklingspunkter for {}",
                    "read everything; write assessments, scores and improvement actions of {}",
                    led.join(", ")
                )
            }
            RegionGroup::Consultant => lang
                .pick(
                    "læse alt; skrive tilbud, modeller, strategier, indstillinger og hvem der leder hvad",
                    "read everything; write facilities, models, strategies, settings and who leads what",
                )
                .to_string(),
            RegionGroup::Management => lang.pick("læse alt", "read everything").to_string(),
        };
        let name = if m.can_login {
            safe(&m.name)
        } else {
            tr!(
                lang,
                "{} (kan ikke logge ind)",
                "{} (cannot log in)",
                safe(&m.name)
            )
        };
        rows.push(vec![name, group_word(m.group, lang).to_string(), may]);
    }
    out.table(&rows)
}
