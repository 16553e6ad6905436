//! `tilsynsklar action …`: improvement actions (udviklingspunkter) raised for gaps.

use super::Ctx;
use super::assessment::Which;
use super::gaps::action_line;
use super::output::safe;
use crate::app::actions::{self, Only, Scope};
use crate::assessment::{ActionStatus, NewAction, parse_date};
use crate::error::{Error, Result};
use crate::store::ActionChanges;
use crate::tr;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum ActionCmd {
    /// Raises an improvement action in an assessment's year
    Add(AddArgs),
    /// The actions, of one assessment or facility, or of every facility
    List(ListArgs),
    /// Changes an open action; what is not given stays as it is
    Edit(EditArgs),
    /// Marks an action done
    Done { id: i64 },
    /// Drops an action, with the reason
    Drop {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub which: Which,
    /// An indicator the action answers (repeatable)
    #[arg(long = "indicator", short = 'i', required = true)]
    pub indicators: Vec<String>,
    /// What will be done
    #[arg(long)]
    pub text: String,
    /// The action plan it belongs to, e.g. RM-02 (leave out for a local action)
    #[arg(long)]
    pub plan: Option<String>,
    #[arg(long, default_value = "")]
    pub owner: String,
    /// The due date: 2026-03-31 or 31-03-2026
    #[arg(long)]
    pub due: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The assessment's number
    #[arg(long, short = 'a', conflicts_with_all = ["facility", "all"])]
    pub assessment: Option<i64>,
    /// The facility's number or name
    #[arg(long, short = 'f', conflicts_with = "all")]
    pub facility: Option<String>,
    /// With --facility: only that year's
    #[arg(long, short = 'y', requires = "facility")]
    pub year: Option<i32>,
    /// Every facility's (the region view)
    #[arg(long)]
    pub all: bool,
    /// Only open actions past their due date
    #[arg(long)]
    pub overdue: bool,
    /// Only open actions (planned or in progress)
    #[arg(long)]
    pub open: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long, conflicts_with = "no_due")]
    pub due: Option<String>,
    /// Removes the due date
    #[arg(long)]
    pub no_due: bool,
    #[arg(long, conflicts_with = "local")]
    pub plan: Option<String>,
    /// Makes it a local action, without an action plan
    #[arg(long)]
    pub local: bool,
    /// planned or in-progress (use `action done` and `action drop` to close it)
    #[arg(long, value_parser = ["planned", "in-progress"])]
    pub status: Option<String>,
}

fn date(text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|t| parse_date(t).ok_or_else(|| Error::BadDate(t.to_string())))
        .transpose()
}

pub fn run(cmd: ActionCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    match cmd {
        ActionCmd::Add(a) => {
            let due = date(a.due.as_deref())?;
            let assessment = a.which.resolve(ctx)?;
            let new = NewAction {
                text: a.text,
                indicators: a.indicators,
                action_plan: a.plan,
                owner: a.owner,
                due,
            };
            let x = actions::add(&mut ctx.app, assessment.id, &new)?;
            ctx.out.line(tr!(
                lang,
                "tilføjet: udviklingspunkt #{} for {} {} ({})",
                "added: improvement action #{} for {} {} ({})",
                x.id,
                safe(&x.facility),
                x.year,
                x.indicators.join(", ")
            ))
        }
        ActionCmd::List(l) => {
            let scope = match (l.all, l.assessment, &l.facility, l.year) {
                (true, ..) => Scope::All,
                (false, Some(id), ..) => Scope::Assessment(id),
                (false, None, Some(f), Some(y)) => Scope::FacilityYear(f.clone(), y),
                (false, None, Some(f), None) => Scope::Facility(f.clone()),
                (false, None, None, _) => Scope::All,
            };
            let only = Only {
                open: l.open,
                overdue: l.overdue,
            };
            let list = actions::list(&ctx.app, &scope, only)?;
            if l.json {
                return ctx.out.json(&list);
            }
            if list.is_empty() {
                return ctx
                    .out
                    .line(lang.pick("Ingen udviklingspunkter.", "No improvement actions."));
            }
            let mut rows = vec![vec![
                "#".to_string(),
                tr!(lang, "Tilbud", "Facility"),
                tr!(lang, "År", "Year"),
                tr!(lang, "Indikatorer", "Indicators"),
                tr!(lang, "Status", "Status"),
                tr!(lang, "Frist", "Due"),
                tr!(lang, "Ansvarlig", "Owner"),
                tr!(lang, "Udviklingspunkt", "Action"),
            ]];
            for x in &list {
                let due = x.due.map(|d| lang.date(d)).unwrap_or_default();
                let late = if actions::overdue(&ctx.app, x) {
                    lang.pick(" (overskredet)", " (overdue)")
                } else {
                    ""
                };
                let mut text = safe(&x.text);
                if let Some(p) = &x.action_plan {
                    text.push_str(&format!(" → {}", safe(p)));
                }
                rows.push(vec![
                    x.id.to_string(),
                    safe(&x.facility),
                    x.year.to_string(),
                    x.indicators.join(" "),
                    x.status.label(lang).to_string(),
                    format!("{due}{late}"),
                    safe(&x.owner),
                    text,
                ]);
            }
            ctx.out.table(&rows)
        }
        ActionCmd::Edit(e) => {
            let changes = ActionChanges {
                text: e.text,
                owner: e.owner,
                due: if e.no_due {
                    Some(None)
                } else {
                    date(e.due.as_deref())?.map(Some)
                },
                action_plan: if e.local {
                    Some(None)
                } else {
                    e.plan.map(Some)
                },
                status: e.status.as_deref().and_then(ActionStatus::parse),
                drop_reason: None,
            };
            let x = actions::edit(&mut ctx.app, e.id, &changes)?;
            ctx.out
                .line(tr!(lang, "ændret: {}", "changed: {}", action_line(&x, ctx)))
        }
        ActionCmd::Done { id } => {
            let x = actions::done(&mut ctx.app, id)?;
            ctx.out.line(tr!(
                lang,
                "gennemført: {}",
                "done: {}",
                action_line(&x, ctx)
            ))
        }
        ActionCmd::Drop { id, reason } => {
            let x = actions::drop(&mut ctx.app, id, &reason)?;
            ctx.out.line(tr!(
                lang,
                "opgivet: {}",
                "dropped: {}",
                action_line(&x, ctx)
            ))
        }
    }
}
