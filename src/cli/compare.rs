//! `tilsynsklar compare`: a facility across years, the facilities of a year, the trend.

use super::Ctx;
use super::output::safe;
use crate::app::compare;
use crate::app::files::write_output;
use crate::compare::{Cell, History, Trend, YearMatrix};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::QualityModel;
use crate::store::CompareFilter;
use crate::text::one_line;
use crate::tr;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// One facility across years (its number or name)
    #[arg(long, short = 'f', conflicts_with_all = ["year", "trend"])]
    pub facility: Option<String>,
    /// The facilities of one year
    #[arg(long, short = 'y', conflicts_with = "trend")]
    pub year: Option<i32>,
    /// The theme means across the selection, year by year
    #[arg(long)]
    pub trend: bool,
    /// A range of years, e.g. 2022..2026 (or one year)
    #[arg(long)]
    pub years: Option<String>,
    /// With --year or --trend: all, or a comma-separated list of facilities
    #[arg(long)]
    pub facilities: Option<String>,
    /// With --year or --trend: the facilities of one organisation or region
    #[arg(long)]
    pub organisation: Option<String>,
    /// The model version whose themes frame the view [default: the newest]
    #[arg(long)]
    pub model: Option<String>,
    /// The framework compared within, e.g. sikkerhed [default: socialtilsyn, or the
    /// framework of --model]
    #[arg(long)]
    pub framework: Option<String>,
    #[arg(long, conflicts_with_all = ["csv", "format"])]
    pub json: bool,
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,
    /// With --csv: for Danish Excel (a byte-order mark, `;` between fields, decimal comma)
    #[arg(long, requires = "csv")]
    pub excel: bool,
    /// html: a heat map and trend lines as one self-contained file
    #[arg(long, value_parser = ["html"])]
    pub format: Option<String>,
    /// The file for --csv or --format html (default: standard output)
    #[arg(long, short = 'o', default_value = "-")]
    pub output: PathBuf,
}

fn parse_years(text: &str) -> Result<(i32, i32)> {
    let bad =
        || Error::NothingToCompare(format!("{text:?} is not a year or a range like 2022..2026"));
    let (a, b) = text.split_once("..").unwrap_or((text, text));
    let (a, b) = (
        a.trim().parse::<i32>().map_err(|_| bad())?,
        b.trim().parse::<i32>().map_err(|_| bad())?,
    );
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

pub fn run(args: CompareArgs, ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.app.lang;
    let years = args.years.as_deref().map(parse_years).transpose()?;
    // a comparison never mixes frameworks: the quality model's, or the one asked for
    let framework = crate::app::definitions::framework_asked(
        &ctx.app,
        args.framework.as_deref(),
        args.model.as_deref(),
    )?;
    let mut filter = CompareFilter {
        years,
        framework,
        ..Default::default()
    };
    if let Some(list) = args.facilities.as_deref().filter(|l| l.trim() != "all") {
        filter.facilities = Some(compare::facility_ids(
            &ctx.app,
            list.split(',').map(str::trim),
        )?);
    }
    filter.organisation = args.organisation.clone();
    if let Some(f) = &args.facility {
        let facility = crate::app::facilities::find(&ctx.app, f)?;
        filter.facilities = Some(vec![facility.id]);
        // one assessment per year, by the rule (the finalised one, else the newest)
        let Some((h, m)) = compare::history(&ctx.app, &facility, &filter, args.model.as_deref())?
        else {
            let range = years.map(|(a, b)| format!(" {a}–{b}")).unwrap_or_default();
            return Err(Error::NothingToCompare(tr!(
                lang,
                "{} har ingen vurderinger{range}",
                "{} has no assessments{range}",
                facility.name
            )));
        };
        let notes = doubles_notes(ctx, &filter)?;
        return output(ctx, &args, View::History(&h, &m.frame), &notes);
    }
    if let Some(y) = args.year {
        filter.years = Some((y, y));
        let Some((matrix, m)) = compare::year(&ctx.app, &filter, y, args.model.as_deref())? else {
            return Err(Error::NothingToCompare(tr!(
                lang,
                "ingen vurderinger i {y}",
                "no assessments in {y}"
            )));
        };
        let notes = doubles_notes(ctx, &filter)?;
        return output(ctx, &args, View::Year(&matrix, &m.frame), &notes);
    }
    if args.trend {
        let Some((trend, m)) = compare::trend(&ctx.app, &filter, args.model.as_deref())? else {
            return Err(Error::NothingToCompare(
                lang.pick(
                    "ingen vurderinger i udvalget",
                    "no assessments in the selection",
                )
                .into(),
            ));
        };
        let notes = doubles_notes(ctx, &filter)?;
        return output(ctx, &args, View::Trend(&trend, &m.frame), &notes);
    }
    Err(Error::NothingToCompare(
        lang.pick(
            "vælg --facility F, --year Å eller --trend",
            "choose --facility F, --year Y or --trend",
        )
        .into(),
    ))
}

pub(super) enum View<'a> {
    History(&'a History, &'a QualityModel),
    Year(&'a YearMatrix, &'a QualityModel),
    Trend(&'a Trend, &'a QualityModel),
}

fn cell(c: Cell, lang: Lang) -> String {
    match c {
        Cell::Value(v) => lang.decimal(v),
        Cell::NotRelevant => lang.pick("i.r.", "n/r").into(),
        Cell::NotScored => "·".into(),
        Cell::NotComparable => lang.pick("i.s.", "n/c").into(),
        Cell::Missing => "".into(),
    }
}

/// A line for each facility and year of the selection that has two assessments, naming
/// the one the comparison counts.
fn doubles_notes(ctx: &Ctx, filter: &CompareFilter) -> Result<Vec<String>> {
    let lang = ctx.app.lang;
    let mut notes = Vec::new();
    for (d, f) in compare::doubles(&ctx.app, filter)? {
        let others: Vec<String> = d.others.iter().map(|i| i.to_string()).collect();
        notes.push(tr!(
            lang,
            "{} har flere vurderinger i {}: talt med er vurdering {} ({}), ikke {}.",
            "{} has several assessments in {}: counted is assessment {} ({}), not {}.",
            safe(&f.name),
            d.year,
            d.chosen,
            d.status.label(lang),
            others.join(", ")
        ));
    }
    Ok(notes)
}

fn output(ctx: &mut Ctx, args: &CompareArgs, view: View<'_>, notes: &[String]) -> Result<()> {
    let lang = ctx.app.lang;
    if args.json {
        return match view {
            View::History(h, _) => ctx.out.json(h),
            View::Year(m, _) => ctx.out.json(m),
            View::Trend(t, _) => ctx.out.json(t),
        };
    }
    if args.csv {
        return super::compare_csv::write(args, &view);
    }
    if args.format.is_some() {
        let html = crate::export::compare_html::render(&view_html(&view), lang);
        return write_output(&args.output, |w| {
            w.write_all(html.as_bytes())
                .map_err(crate::app::files::out_err(&args.output))
        });
    }
    let width = super::output::terminal_width();
    text(ctx, view, width)?;
    for n in notes {
        ctx.out.prose(n)?;
    }
    Ok(())
}

fn text(ctx: &mut Ctx, view: View<'_>, width: usize) -> Result<()> {
    let lang = ctx.app.lang;
    match view {
        View::History(h, model) => {
            ctx.out.line(tr!(
                lang,
                "{} · {} (temaer efter {})",
                "{} · {} (themes as in {})",
                safe(&h.facility),
                years_label(&h.years),
                h.model
            ))?;
            let title_width = width
                .saturating_sub(12 + h.years.len() * 6 + 8)
                .clamp(10, 60);
            let mut rows = vec![{
                let mut head = vec![String::new(), String::new()];
                head.extend(h.years.iter().map(|y| y.to_string()));
                head.push(lang.pick("Ændring", "Change").into());
                head
            }];
            for r in &h.rows {
                let indent = match r.level {
                    crate::assessment::Level::Theme => "",
                    crate::assessment::Level::Criterion => " ",
                    crate::assessment::Level::Indicator => "  ",
                };
                let title = model
                    .node_text(&r.node_id)
                    .map(|t| one_line(t.official(), title_width))
                    .unwrap_or_default();
                let mut row = vec![format!("{indent}{}", r.node_id), title];
                row.extend(r.cells.iter().map(|c| cell(*c, lang)));
                row.push(match (r.change, r.direction) {
                    (Some(c), Some(d)) => format!(
                        "{} {}{}",
                        d.arrow(),
                        if c > 0.0 { "+" } else { "" },
                        lang.decimal(c)
                    ),
                    _ => String::new(),
                });
                rows.push(row);
            }
            ctx.out.table(&rows)?;
            let list = |v: &[(i32, String)]| {
                v.iter()
                    .map(|(y, i)| format!("{i} ({y})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            ctx.out.line("")?;
            ctx.out.prose(tr!(
                lang,
                "Nye huller: {}",
                "Gaps opened: {}",
                or_none(&list(&h.gaps_opened), lang)
            ))?;
            ctx.out.prose(tr!(
                lang,
                "Lukkede huller: {}",
                "Gaps closed: {}",
                or_none(&list(&h.gaps_closed), lang)
            ))?;
            ctx.out.prose(lang.pick("i.s. = ikke sammenlignelig (ingen modpart i den anden modelversion); · = ikke scoret", "n/c = not comparable (no counterpart in the other model version); · = not scored"))
        }
        View::Year(m, model) => {
            ctx.out.line(tr!(
                lang,
                "{} · {} tilbud · temaer efter {}",
                "{} · {} facilities · themes as in {}",
                m.year,
                m.rows.len(),
                m.model
            ))?;
            let name_width = width
                .saturating_sub(6 + m.themes.len() * 5 + 6)
                .clamp(12, 40);
            let mut rows = vec![{
                let mut head = vec!["#".to_string(), lang.pick("Tilbud", "Facility").into()];
                head.extend(model.themes.iter().map(|t| format!("T{}", t.number)));
                head.push(lang.pick("Samlet", "All").into());
                head
            }];
            for (i, r) in m.rows.iter().enumerate() {
                let mut row = vec![(i + 1).to_string(), one_line(&r.facility, name_width)];
                row.extend(
                    r.theme_means
                        .iter()
                        .chain([&r.overall])
                        .map(|v| lang.mean(*v)),
                );
                rows.push(row);
            }
            let stat = |label: &str, pick: &dyn Fn(&crate::compare::ThemeStats) -> Option<f64>| {
                let mut row = vec![String::new(), label.to_string()];
                row.extend(m.stats.iter().map(|s| lang.mean(pick(s))));
                row
            };
            rows.push(stat(lang.pick("Gennemsnit", "Mean"), &|s| s.mean));
            rows.push(stat(lang.pick("Median", "Median"), &|s| s.median));
            rows.push(stat(lang.pick("Laveste", "Lowest"), &|s| s.min));
            rows.push(stat(lang.pick("Højeste", "Highest"), &|s| s.max));
            ctx.out.table(&rows)?;
            ctx.out.line("")?;
            for (s, t) in m.stats.iter().zip(&model.themes) {
                if !s.below.is_empty() {
                    let names: Vec<String> = s.below.iter().map(|n| safe(n)).collect();
                    ctx.out.prose(tr!(
                        lang,
                        "Under {} i {} {} {}: {}",
                        "Below {} in {} {} {}: {}",
                        lang.decimal(m.below_limit),
                        model.levels().theme.one(lang),
                        t.number,
                        t.title.da,
                        names.join(", ")
                    ))?;
                }
            }
            ctx.out.prose(format!(
                "{}: {}",
                model.levels().theme.titles(lang),
                model
                    .themes
                    .iter()
                    .map(|t| format!("T{} {}", t.number, t.title.da))
                    .collect::<Vec<_>>()
                    .join(" · ")
            ))
        }
        View::Trend(t, model) => {
            ctx.out.line(tr!(
                lang,
                "Udvikling · {} efter {}",
                "Trend · {} as in {}",
                model.levels().theme.many(lang),
                t.model
            ))?;
            let mut rows = vec![{
                let mut head = vec![model.levels().theme.title(lang)];
                head.extend(t.years.iter().map(|y| y.to_string()));
                head
            }];
            for (theme, row) in model.themes.iter().zip(&t.means) {
                let mut r = vec![format!(
                    "{} {}",
                    theme.number,
                    one_line(&theme.title.da, 24)
                )];
                r.extend(row.iter().map(|v| lang.mean(*v)));
                rows.push(r);
            }
            let mut counts = vec![lang.pick("Vurderinger", "Assessments").to_string()];
            counts.extend(t.counts.iter().map(|c| c.to_string()));
            rows.push(counts);
            ctx.out.table(&rows)
        }
    }
}

fn or_none(s: &str, lang: Lang) -> String {
    if s.is_empty() {
        lang.pick("ingen", "none").into()
    } else {
        s.to_string()
    }
}

fn years_label(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn view_html<'a>(view: &'a View<'a>) -> crate::export::compare_html::Input<'a> {
    use crate::export::compare_html::Input;
    match view {
        View::History(h, m) => Input::History(h, m),
        View::Year(y, m) => Input::Year(y, m),
        View::Trend(t, m) => Input::Trend(t, m),
    }
}
