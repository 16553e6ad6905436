//! `tilsynsklar strategy …`: regional strategies, their action plans and their links.

use super::output::safe;
use super::{Ctx, read_file};
use crate::app::definitions;
use crate::error::Result;
use crate::strategy::{NodeKind, Strategy};
use crate::tr;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum StrategyCmd {
    /// The strategies in the database
    List {
        #[arg(long)]
        json: bool,
    },
    /// A strategy: its themes, focus areas, action plans, and the links from the quality model
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Checks a strategy file against the models in the database, without loading it
    Validate { file: PathBuf },
    /// Loads a region's strategy file; it replaces a strategy with the same id
    Import { file: PathBuf },
    /// Adds or removes a link from a quality-model node to an action plan
    #[command(subcommand)]
    Link(LinkCmd),
}

#[derive(Debug, Subcommand)]
pub enum LinkCmd {
    /// Links a theme, criterion or indicator to an action plan (or strategy node)
    Add {
        /// The strategy's id
        strategy: String,
        /// A theme, criterion or indicator id of the strategy's model, e.g. 14a
        #[arg(long)]
        node: String,
        /// An action plan id of the strategy, e.g. RM-03
        #[arg(long)]
        target: String,
        #[arg(long, value_enum, default_value = "local")]
        basis: BasisArg,
        #[arg(long)]
        note: Option<String>,
    },
    /// Removes a link
    Remove {
        strategy: String,
        #[arg(long)]
        node: String,
        #[arg(long)]
        target: String,
    },
}

/// The basis of a link, as typed.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BasisArg {
    Seed,
    Proposed,
    Local,
}

fn parse(file: &std::path::Path, ctx: &Ctx) -> Result<Strategy> {
    definitions::validate_strategy(&ctx.app, &file.display().to_string(), &read_file(file)?)
}

pub fn run(cmd: StrategyCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    match cmd {
        StrategyCmd::List { json } => {
            let records = definitions::strategies(&ctx.app)?;
            if json {
                return ctx.out.json(&records);
            }
            let mut rows = vec![vec![
                "ID".to_string(),
                tr!(lang, "Region", "Region"),
                tr!(lang, "Strategi", "Strategy"),
                tr!(lang, "Model", "Model"),
                tr!(lang, "Handleplaner", "Action plans"),
                tr!(lang, "Koblinger", "Links"),
            ]];
            for r in &records {
                rows.push(vec![
                    safe(&r.id),
                    safe(&r.region),
                    safe(&r.name),
                    safe(&r.model),
                    r.action_plans.to_string(),
                    r.links.to_string(),
                ]);
            }
            ctx.out.table(&rows)
        }
        StrategyCmd::Show { id, json } => {
            let s = definitions::strategy(&ctx.app, &id)?;
            if json {
                return ctx.out.json(&s);
            }
            show(&s, ctx)
        }
        StrategyCmd::Validate { file } => {
            let s = parse(&file, ctx)?;
            ctx.out.line(tr!(
                lang,
                "ok: {}: strategi {}, {} handleplaner, {} koblinger til {}",
                "ok: {}: strategy {}, {} action plans, {} links to {}",
                safe(&file.display().to_string()),
                safe(&s.id),
                s.action_plan_count(),
                s.links.len(),
                safe(&s.model)
            ))
        }
        StrategyCmd::Link(LinkCmd::Add {
            strategy,
            node,
            target,
            basis,
            note,
        }) => {
            let basis = match basis {
                BasisArg::Seed => crate::strategy::Basis::Seed,
                BasisArg::Proposed => crate::strategy::Basis::Proposed,
                BasisArg::Local => crate::strategy::Basis::Local,
            };
            let link = crate::strategy::Link {
                node: node.trim().to_string(),
                target: target.trim().to_string(),
                basis,
                note,
            };
            definitions::add_link(&mut ctx.app, &strategy, &link)?;
            ctx.out.line(tr!(
                lang,
                "koblet: {} → {} ({})",
                "linked: {} → {} ({})",
                safe(&link.node),
                safe(&link.target),
                basis.label(lang)
            ))
        }
        StrategyCmd::Link(LinkCmd::Remove {
            strategy,
            node,
            target,
        }) => {
            definitions::remove_link(&mut ctx.app, &strategy, node.trim(), target.trim())?;
            ctx.out.line(tr!(
                lang,
                "fjernet: {} → {}",
                "removed: {} → {}",
                safe(&node),
                safe(&target)
            ))
        }
        StrategyCmd::Import { file } => {
            let s = parse(&file, ctx)?;
            let replaced =
                definitions::import_strategy(&mut ctx.app, &s, &file.display().to_string())?;
            ctx.out.line(if replaced {
                tr!(lang, "erstattet: {}", "replaced: {}", safe(&s.id))
            } else {
                tr!(lang, "indlæst: {}", "imported: {}", safe(&s.id))
            })
        }
    }
}

fn show(s: &Strategy, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let model = definitions::model(&ctx.app, Some(&s.model)).ok();
    let out = &mut ctx.out;
    let mut head = format!("{} · {}", safe(&s.region), safe(&s.name));
    if let Some(d) = s.adopted {
        head.push_str(&tr!(lang, " · vedtaget {}", " · adopted {}", lang.date(d)));
    }
    if let Some(p) = &s.period {
        head.push_str(&format!(" · {}", safe(p)));
    }
    out.line(head)?;
    if let Some(v) = &s.vision {
        out.line(format!("{}: {}", lang.pick("Vision", "Vision"), safe(v)))?;
    }
    if let Some(m) = &s.mission {
        out.line(format!("{}: {}", lang.pick("Mission", "Mission"), safe(m)))?;
    }
    out.line(tr!(
        lang,
        "Kvalitetsmodel: {}",
        "Quality model: {}",
        safe(&s.model)
    ))?;
    out.line("")?;
    for n in s.nodes() {
        match n.kind {
            NodeKind::Theme => out.line(safe(n.text))?,
            NodeKind::FocusArea => out.line(format!("  {}", safe(n.text)))?,
            NodeKind::ActionPlan => out.line(format!("    {:<6} {}", safe(n.id), safe(n.text)))?,
        }
    }
    out.line("")?;
    out.line(tr!(
        lang,
        "Koblinger fra kvalitetsmodellen:",
        "Links from the quality model:"
    ))?;
    links(out, lang, model.as_deref(), &s.links)?;
    // links from the nodes of other models (the safety self-evaluation's areas, …)
    for g in &s.model_links {
        let other = definitions::model(&ctx.app, Some(&g.model)).ok();
        ctx.out.line("")?;
        ctx.out.line(tr!(
            lang,
            "Koblinger fra {}:",
            "Links from {}:",
            safe(&g.model)
        ))?;
        links(&mut ctx.out, lang, other.as_deref(), &g.links)?;
    }
    Ok(())
}

/// The links from one model's nodes, in model order, and the model's themes without any.
fn links(
    out: &mut super::output::Out,
    lang: crate::i18n::Lang,
    model: Option<&crate::model::QualityModel>,
    links: &[crate::strategy::Link],
) -> Result<()> {
    let mut nodes: Vec<&str> = Vec::new();
    for l in links {
        if !nodes.contains(&l.node.as_str()) {
            nodes.push(&l.node);
        }
    }
    // in model order, so a reader walks the model from theme 1
    if let Some(m) = model {
        let order: Vec<&str> = m.node_ids().collect();
        nodes.sort_by_key(|n| order.iter().position(|o| o == n));
    }
    for node in nodes {
        let title = model
            .and_then(|m| m.node_text(node))
            .map(|t| crate::text::one_line(t.official(), 50))
            .unwrap_or_default();
        let targets: Vec<String> = links
            .iter()
            .filter(|l| l.node == node)
            .map(|l| format!("{} ({})", safe(&l.target), l.basis.label(lang)))
            .collect();
        out.line(format!(
            "  {node:<4} {}  →  {}",
            safe(&title),
            targets.join(", ")
        ))?;
    }
    if let Some(m) = model {
        let unlinked: Vec<String> = m
            .themes
            .iter()
            .filter(|t| !t.node_ids().any(|id| links.iter().any(|l| l.node == id)))
            .map(|t| format!("{} {}", t.id, t.title.official()))
            .collect();
        if !unlinked.is_empty() {
            out.line(tr!(
                lang,
                "Uden handleplan i strategien (tilføj en lokal): {}",
                "No action plan in the strategy (add a local one): {}",
                unlinked.join(", ")
            ))?;
        }
    }
    Ok(())
}
