//! `tilsynsklar model …`: the quality models the database holds.

use super::output::safe;
use super::{Ctx, read_file};
use crate::app::definitions;
use crate::error::Result;
use crate::model::{QualityModel, Text, Wording};
use crate::tr;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelCmd {
    /// The model versions in the database; the active one of each id is used for new assessments
    List {
        #[arg(long)]
        json: bool,
    },
    /// A model as a tree with ids and provenance marks [default: the model in force this year]
    Show {
        id: Option<String>,
        /// The whole model file as JSON
        #[arg(long)]
        json: bool,
    },
    /// Checks a model file without loading it
    Validate { file: PathBuf },
    /// Loads a model file (it becomes the active version) or a mapping between two versions
    Import { file: PathBuf },
}

pub fn run(cmd: ModelCmd, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    match cmd {
        ModelCmd::List { json } => {
            let records = definitions::models(&ctx.app)?;
            if json {
                return ctx.out.json(&records);
            }
            let mut rows = vec![vec![
                "ID".to_string(),
                tr!(lang, "Navn", "Name"),
                tr!(lang, "Indikatorer", "Indicators"),
                tr!(
                    lang,
                    "Tekster (bekr./indhold/rekonstr.)",
                    "Texts (conf./gist/reconstr.)"
                ),
                tr!(lang, "Kilde", "Source"),
                "Hash".to_string(),
            ]];
            for r in &records {
                let active = if r.active {
                    ""
                } else {
                    lang.pick(" (tidligere udgave)", " (earlier version)")
                };
                let source = if r.bundled {
                    lang.pick("medfølger", "bundled").to_string()
                } else {
                    safe(&r.source_file)
                };
                rows.push(vec![
                    format!("{}{active}", r.id),
                    safe(&r.name),
                    r.indicators.to_string(),
                    format!("{}/{}/{}", r.wording[0], r.wording[1], r.wording[2]),
                    source,
                    r.hash[..12].to_string(),
                ]);
            }
            ctx.out.table(&rows)?;
            ctx.out.line("")?;
            if records.iter().any(|r| !r.active) {
                ctx.out.prose(lang.pick(
                    "En tidligere udgave bruges ikke til nye vurderinger; den gemmes, så vurderinger og bundter lavet efter den beholder deres tal.",
                    "An earlier version is not used for new assessments; it is kept so that assessments and bundles made on it keep their numbers.",
                ))?;
                ctx.out.line("")?;
            }
            ctx.out.prose(crate::model::reform_notice(lang))
        }
        ModelCmd::Show { id, json } => {
            let model = definitions::model(&ctx.app, id.as_deref())?;
            if json {
                return ctx.out.json(&*model);
            }
            show_tree(&model, ctx)?;
            ctx.out.line("")?;
            ctx.out.prose(crate::model::reform_notice(lang))
        }
        ModelCmd::Validate { file } => {
            let name = file.display().to_string();
            let model = definitions::validate_model(&name, &read_file(&file)?)?;
            let [c, g, r] = model.wording_counts();
            ctx.out.line(tr!(
                lang,
                "ok: {}: model {}, {} temaer, {} indikatorer; tekster: {c} bekræftet, {g} indhold bekræftet, {r} rekonstrueret",
                "ok: {}: model {}, {} themes, {} indicators; texts: {c} confirmed, {g} gist, {r} reconstructed",
                safe(&name),
                model.id,
                model.themes.len(),
                model.indicators().count()
            ))
        }
        ModelCmd::Import { file } => {
            let name = file.display().to_string();
            let text = read_file(&file)?;
            if crate::model::is_mapping_file(&text) {
                let m = definitions::import_mapping(&mut ctx.app, &name, &text)?;
                return ctx.out.line(tr!(
                    lang,
                    "indlæst: mapping {} → {}",
                    "imported: mapping {} → {}",
                    m.from,
                    m.to
                ));
            }
            let model = definitions::validate_model(&name, &text)?;
            let new = definitions::import_model(&mut ctx.app, &model, &name)?;
            let hash = &model.content_hash()[..12];
            ctx.out.line(if new {
                tr!(
                    lang,
                    "indlæst: {} ({hash}) er nu den aktive version",
                    "imported: {} ({hash}) is now the active version",
                    model.id
                )
            } else {
                tr!(
                    lang,
                    "uændret: {} ({hash}) fandtes allerede; den er nu den aktive version",
                    "unchanged: {} ({hash}) was there already; it is now the active version",
                    model.id
                )
            })
        }
    }
}

fn show_tree(model: &QualityModel, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let levels = model.levels();
    let out = &mut ctx.out;
    out.line(format!("{} · {}", model.id, safe(model.name.get(lang))))?;
    if let Some(p) = &model.in_force {
        let to = p.to.map(|d| lang.date(d)).unwrap_or_default();
        out.line(tr!(
            lang,
            "I kraft: {} – {to}",
            "In force: {} – {to}",
            lang.date(p.from)
        ))?;
    }
    out.line(format!("Hash: {}", model.content_hash()))?;
    // the official Danish text always; in English, the gloss under it
    let node = |out: &mut super::Out, head: String, t: &Text, tail: String| -> Result<()> {
        let indent = head.chars().count() + 1;
        out.line(format!(
            "{head}{}{}{tail}",
            t.wording.mark(),
            safe(t.official())
        ))?;
        match t.gloss(lang) {
            Some(g) => out.line(format!("{}({})", " ".repeat(indent), safe(g))),
            None => Ok(()),
        }
    };
    for theme in &model.themes {
        out.line("")?;
        node(
            out,
            format!("{} {} ", levels.theme.title(lang), theme.number),
            &theme.title,
            String::new(),
        )?;
        if let Some(note) = &theme.note {
            node(out, " ".repeat(8), note, String::new())?;
        }
        for c in &theme.criteria {
            node(out, format!("  {:<5} ", c.id), &c.text, String::new())?;
            for i in &c.indicators {
                let mut tail = String::new();
                if !i.applies_only_to.is_empty() {
                    let tags: Vec<String> = i
                        .applies_only_to
                        .iter()
                        .map(|t| model.tag_label(t, lang))
                        .collect();
                    tail.push_str(&tr!(lang, "  [kun: {}]", "  [only: {}]", tags.join(", ")));
                }
                if !i.not_for.is_empty() {
                    let tags: Vec<String> =
                        i.not_for.iter().map(|t| model.tag_label(t, lang)).collect();
                    tail.push_str(&tr!(lang, "  [ikke: {}]", "  [not: {}]", tags.join(", ")));
                }
                node(out, format!("    {:<4} ", i.id), &i.text, tail)?;
            }
        }
    }
    out.line("")?;
    out.line(tr!(lang, "Skala:", "Scale:"))?;
    for s in &model.scale {
        node(out, format!("  {} ", s.value), &s.label, String::new())?;
    }
    out.line(tr!(
        lang,
        "Tegn: (blank) {} · ~ {} · * {}: tjek mod den officielle bekendtgørelse",
        "Marks: (blank) {} · ~ {} · * {}: check against the official text",
        Wording::Confirmed.label(lang),
        Wording::Gist.label(lang),
        Wording::Reconstructed.label(lang)
    ))
}
