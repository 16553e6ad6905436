//! `tilsynsklar facility …`: the facilities (tilbud) that are assessed.

use super::Ctx;
use super::output::safe;
use crate::app::facilities;
use crate::error::Result;
use crate::store::{Facility, FacilityChanges, NewFacility};
use crate::tr;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum FacilityCmd {
    /// Registers a facility
    Add(AddArgs),
    /// The facilities, by name
    List {
        /// Archived facilities too
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// A facility with its assessments
    Show {
        /// The facility's number or name
        facility: String,
        #[arg(long)]
        json: bool,
    },
    /// Changes a facility's details; what is not given stays as it is
    Edit(EditArgs),
    /// Archives a facility: it leaves the lists, its assessments are kept
    Archive { facility: String },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The facility's name, e.g. "Bostedet Solhøj"
    pub name: String,
    /// The organisation or region that runs it
    #[arg(long, default_value = "")]
    pub organisation: String,
    /// Where it is
    #[arg(long, default_value = "")]
    pub location: String,
    /// The facility type, e.g. "Botilbud (SEL § 108)"
    #[arg(long = "type", default_value = "")]
    pub facility_type: String,
    /// The target group (målgruppe)
    #[arg(long, default_value = "")]
    pub target_group: String,
    /// An applicability tag that holds for it (children, board, ambulant, shelter); repeatable
    #[arg(long = "tag")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The facility's number or name
    pub facility: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub organisation: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long = "type")]
    pub facility_type: Option<String>,
    #[arg(long)]
    pub target_group: Option<String>,
    /// Replaces the tags with these; repeatable
    #[arg(long = "tag", conflicts_with = "no_tags")]
    pub tags: Vec<String>,
    /// Removes every tag
    #[arg(long)]
    pub no_tags: bool,
}

pub fn run(cmd: FacilityCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    match cmd {
        FacilityCmd::Add(a) => {
            let new = NewFacility {
                name: a.name,
                organisation: a.organisation,
                location: a.location,
                facility_type: a.facility_type,
                target_group: a.target_group,
                tags: a.tags,
            };
            let f = facilities::add(&mut ctx.app, &new)?;
            ctx.out.line(tr!(
                lang,
                "tilføjet: tilbud {} {}",
                "added: facility {} {}",
                f.id,
                safe(&f.name)
            ))
        }
        FacilityCmd::List { all, json } => {
            let list = facilities::list(&ctx.app, all)?;
            if json {
                return ctx.out.json(&list);
            }
            if list.is_empty() {
                return ctx.out.line(tr!(
                    lang,
                    "Ingen tilbud endnu. Tilføj et: tilsynsklar facility add \"Navn\" --tag board",
                    "No facilities yet. Add one: tilsynsklar facility add \"Name\" --tag board"
                ));
            }
            let mut rows = vec![vec![
                "Nr".to_string(),
                tr!(lang, "Navn", "Name"),
                tr!(lang, "Organisation", "Organisation"),
                tr!(lang, "Sted", "Location"),
                tr!(lang, "Type", "Type"),
                tr!(lang, "Mærker", "Tags"),
            ]];
            for f in &list {
                let archived = if f.archived_at.is_some() {
                    lang.pick(" (arkiveret)", " (archived)")
                } else {
                    ""
                };
                rows.push(vec![
                    f.id.to_string(),
                    format!("{}{archived}", safe(&f.name)),
                    safe(&f.organisation),
                    safe(&f.location),
                    safe(&f.facility_type),
                    f.tags.join(" "),
                ]);
            }
            ctx.out.table(&rows)
        }
        FacilityCmd::Show { facility, json } => {
            let (f, assessments) = facilities::show(&ctx.app, &facility)?;
            if json {
                return ctx
                    .out
                    .json(&serde_json::json!({ "facility": f, "assessments": assessments }));
            }
            show(&f, ctx)?;
            if assessments.is_empty() {
                return ctx.out.line(tr!(
                    lang,
                    "Ingen vurderinger endnu: tilsynsklar assessment start --facility {} --year ÅR",
                    "No assessments yet: tilsynsklar assessment start --facility {} --year YEAR",
                    f.id
                ));
            }
            ctx.out.line("")?;
            super::assessment::table(&assessments, ctx)
        }
        FacilityCmd::Edit(e) => {
            let changes = FacilityChanges {
                name: e.name,
                organisation: e.organisation,
                location: e.location,
                facility_type: e.facility_type,
                target_group: e.target_group,
                tags: if e.no_tags {
                    Some(Vec::new())
                } else if e.tags.is_empty() {
                    None
                } else {
                    Some(e.tags)
                },
            };
            let f = facilities::edit(&mut ctx.app, &e.facility, &changes)?;
            ctx.out.line(tr!(
                lang,
                "ændret: tilbud {} {}",
                "changed: facility {} {}",
                f.id,
                safe(&f.name)
            ))
        }
        FacilityCmd::Archive { facility } => {
            let f = facilities::archive(&mut ctx.app, &facility)?;
            ctx.out.line(tr!(
                lang,
                "arkiveret: tilbud {} {}",
                "archived: facility {} {}",
                f.id,
                safe(&f.name)
            ))
        }
    }
}

fn show(f: &Facility, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let rows: Vec<Vec<String>> = [
        (
            tr!(lang, "Tilbud", "Facility"),
            format!("{} {}", f.id, safe(&f.name)),
        ),
        (
            tr!(lang, "Organisation", "Organisation"),
            safe(&f.organisation),
        ),
        (tr!(lang, "Sted", "Location"), safe(&f.location)),
        (tr!(lang, "Type", "Type"), safe(&f.facility_type)),
        (
            tr!(lang, "Målgruppe", "Target group"),
            safe(&f.target_group),
        ),
        (tr!(lang, "Mærker", "Tags"), f.tags.join(", ")),
    ]
    .into_iter()
    .chain(
        f.archived_at
            .as_ref()
            .map(|a| (tr!(lang, "Arkiveret", "Archived"), a.clone())),
    )
    .map(|(k, v)| vec![format!("{k}:"), v])
    .collect();
    ctx.out.table(&rows)
}
