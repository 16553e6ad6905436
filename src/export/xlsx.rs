//! The workbook (rust_xlsxwriter): a summary sheet of theme means per model version (one
//! sheet each, with that version's own themes as its columns, so a column never holds two
//! themes), a sheet per theme with every indicator row, a sheet of gaps and one of the
//! improvement actions. Every row carries the assessment's number. Frozen headers, filters,
//! numbers as numbers (means rounded as every face shows them), headers in the user's language.

use super::spreadsheet_text;
use crate::app::Session;
use crate::app::files::{out_err, write_output};
use crate::app::view::{AssessmentView, Viewer};
use crate::assessment::ScoreValue;
use crate::error::{Error, Result};
use crate::i18n::{Lang, round1};
use crate::store::AssessmentRecord;
use crate::tr;
use rust_xlsxwriter::{ConditionalFormat3ColorScale, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// A sheet name as Excel allows it: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The summary sheet of a model version: "Oversigt" where the workbook holds one version,
/// "Oversigt socialtilsyn-2014" and so on where it holds several.
pub fn summary_sheet_name(lang: Lang, model_id: &str, versions: usize) -> String {
    let base = lang.pick("Oversigt", "Summary");
    if versions > 1 {
        sheet_name(&format!("{base} {model_id}"))
    } else {
        base.to_string()
    }
}

type X = std::result::Result<(), XlsxError>;

fn header(sheet: &mut Worksheet, titles: &[String], bold: &Format) -> X {
    for (c, t) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, t, bold)?;
        sheet.set_column_width(c as u16, (t.chars().count() as f64 + 2.0).clamp(10.0, 40.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn finish(sheet: &mut Worksheet, rows: u32, cols: usize) -> X {
    sheet.autofilter(0, 0, rows.max(1), cols.saturating_sub(1) as u16)?;
    Ok(())
}

/// Column titles, Danish and English side by side.
fn titles(lang: Lang, da: &[&str], en: &[&str]) -> Vec<String> {
    da.iter()
        .zip(en)
        .map(|(d, e)| lang.pick(d, e).to_string())
        .collect()
}

/// The number of fixed columns before a summary sheet's themes.
const SUMMARY_FIXED: u16 = 9;

/// Writes the workbook of these assessments.
pub fn write(ctx: &Session, assessments: &[AssessmentRecord], path: &Path) -> Result<()> {
    let lang = ctx.lang;
    let x = |e: XlsxError| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#E8E8E8");
    let wrap = Format::new().set_text_wrap();
    let one_decimal = Format::new().set_num_format("0.0");

    let viewer = Viewer::of(ctx)?;
    let views: Vec<AssessmentView> = assessments
        .iter()
        .map(|a| viewer.view(a))
        .collect::<Result<_>>()?;
    // the model versions, in order of first appearance: one summary sheet each
    let mut versions: Vec<&str> = Vec::new();
    for v in &views {
        if !versions.contains(&v.model.id.as_str()) {
            versions.push(&v.model.id);
        }
    }
    for model_id in &versions {
        let mine: Vec<&AssessmentView> = views.iter().filter(|v| v.model.id == *model_id).collect();
        let model = &mine[0].model;
        let sheet = book.add_worksheet();
        sheet
            .set_name(summary_sheet_name(lang, model_id, versions.len()))
            .map_err(x)?;
        let mut t = titles(
            lang,
            &[
                "Vurdering",
                "Tilbud",
                "Organisation",
                "År",
                "Model",
                "Status",
                "Færdige",
                "Indikatorer",
                "Overført, ikke genvurderet",
            ],
            &[
                "Assessment",
                "Facility",
                "Organisation",
                "Year",
                "Model",
                "Status",
                "Done",
                "Indicators",
                "Carried over, not re-assessed",
            ],
        );
        // this version's own themes: "Tema 4" is a different theme in 2014 and 2017
        t.extend(
            model
                .themes
                .iter()
                .map(|th| format!("{} {}", th.number, th.title.da)),
        );
        t.push(tr!(lang, "Samlet", "Overall"));
        header(sheet, &t, &bold).map_err(x)?;
        for (i, v) in mine.iter().enumerate() {
            let r = i as u32 + 1;
            let a = &v.record;
            let s = &v.summary;
            sheet.write_number(r, 0, a.id as f64).map_err(x)?;
            sheet
                .write_string(r, 1, spreadsheet_text(&a.facility))
                .map_err(x)?;
            sheet
                .write_string(r, 2, spreadsheet_text(&v.facility.organisation))
                .map_err(x)?;
            sheet.write_number(r, 3, a.year).map_err(x)?;
            sheet.write_string(r, 4, &a.model_id).map_err(x)?;
            sheet.write_string(r, 5, a.status.label(lang)).map_err(x)?;
            sheet.write_number(r, 6, s.done as f64).map_err(x)?;
            sheet.write_number(r, 7, s.total as f64).map_err(x)?;
            sheet
                .write_number(r, 8, s.not_reassessed.len() as f64)
                .map_err(x)?;
            let means = s.themes.iter().map(|t| t.mean).chain([s.overall_mean]);
            for (c, m) in means.enumerate() {
                if let Some(m) = m {
                    sheet
                        .write_number_with_format(
                            r,
                            SUMMARY_FIXED + c as u16,
                            round1(m),
                            &one_decimal,
                        )
                        .map_err(x)?;
                }
            }
        }
        let rows = mine.len() as u32;
        let last = SUMMARY_FIXED + model.themes.len() as u16;
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color("#F8696B")
            .set_midpoint_color("#FFEB84")
            .set_maximum_color("#63BE7B");
        sheet
            .add_conditional_format(1, SUMMARY_FIXED, rows.max(1), last, &scale)
            .map_err(x)?;
        finish(sheet, rows, t.len()).map_err(x)?;
    }
    theme_sheets(&mut book, &views, lang, &bold, &wrap).map_err(x)?;
    gap_sheet(&mut book, &views, lang, &bold, &wrap).map_err(x)?;
    action_sheet(&mut book, &views, lang, &bold, &wrap).map_err(x)?;
    let bytes = book.save_to_buffer().map_err(x)?;
    write_output(path, |w| w.write_all(&bytes).map_err(out_err(path)))
}

/// A sheet per theme (by number and title, so each version's themes have their own), with
/// every indicator row of every assessment on it.
fn theme_sheets(
    book: &mut Workbook,
    views: &[AssessmentView],
    lang: Lang,
    bold: &Format,
    wrap: &Format,
) -> X {
    let mut sheets: Vec<(String, u32)> = Vec::new();
    let t = titles(
        lang,
        &[
            "Vurdering",
            "Tilbud",
            "År",
            "Model",
            "Kriterium",
            "Indikator",
            "Indikatortekst",
            "Score",
            "Ikke relevant",
            "Overført",
            "Begrundelse",
            "Kilder",
            "Af",
            "Tidspunkt",
        ],
        &[
            "Assessment",
            "Facility",
            "Year",
            "Model",
            "Criterion",
            "Indicator",
            "Indicator text",
            "Score",
            "Not relevant",
            "Carried over",
            "Reasoning",
            "Sources",
            "By",
            "At",
        ],
    );
    for v in views {
        let a = &v.record;
        for theme in &v.model.themes {
            let name = sheet_name(&format!("{} {}", theme.number, theme.title.da));
            if !sheets.iter().any(|(n, _)| *n == name) {
                let sheet = book.add_worksheet();
                sheet.set_name(&name)?;
                header(sheet, &t, bold)?;
                sheet.set_column_width(6, 50)?;
                sheet.set_column_width(10, 60)?;
                sheet.set_column_width(11, 30)?;
                sheets.push((name.clone(), 0));
            }
            let entry = sheets
                .iter_mut()
                .find(|(n, _)| *n == name)
                .expect("added above");
            let sheet = book.worksheet_from_name(&name)?;
            for c in &theme.criteria {
                for i in &c.indicators {
                    entry.1 += 1;
                    let r = entry.1;
                    let sc = v.score(&i.id);
                    sheet.write_number(r, 0, a.id as f64)?;
                    sheet.write_string(r, 1, spreadsheet_text(&a.facility))?;
                    sheet.write_number(r, 2, a.year)?;
                    sheet.write_string(r, 3, &a.model_id)?;
                    sheet.write_string(r, 4, &c.id)?;
                    sheet.write_string(r, 5, &i.id)?;
                    sheet.write_string_with_format(r, 6, &i.text.da, wrap)?;
                    match sc.map(|s| s.value) {
                        Some(ScoreValue::Scored(n)) => {
                            sheet.write_number(r, 7, n)?;
                        }
                        Some(ScoreValue::NotRelevant) => {
                            sheet.write_string(r, 8, lang.pick("ja", "yes"))?;
                        }
                        None => {}
                    }
                    let Some(sc) = sc else { continue };
                    if sc.carried_over {
                        sheet.write_string(r, 9, lang.pick("ja", "yes"))?;
                    }
                    sheet.write_string_with_format(r, 10, spreadsheet_text(&sc.reasoning), wrap)?;
                    sheet.write_string_with_format(r, 11, spreadsheet_text(&sc.sources), wrap)?;
                    sheet.write_string(r, 12, spreadsheet_text(&sc.by))?;
                    sheet.write_string(
                        r,
                        13,
                        sc.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    )?;
                }
            }
        }
    }
    for (name, rows) in &sheets {
        finish(book.worksheet_from_name(name)?, *rows, t.len())?;
    }
    Ok(())
}

/// The gaps with their action plans and actions (owner, due date, overdue).
fn gap_sheet(
    book: &mut Workbook,
    views: &[AssessmentView],
    lang: Lang,
    bold: &Format,
    wrap: &Format,
) -> X {
    let sheet = book.add_worksheet();
    sheet.set_name(lang.pick("Huller og udviklingspunkter", "Gaps and actions"))?;
    let t = titles(
        lang,
        &[
            "Vurdering",
            "Tilbud",
            "År",
            "Niveau",
            "Id",
            "Type",
            "Værdi",
            "Handleplaner",
            "Udviklingspunkter",
        ],
        &[
            "Assessment",
            "Facility",
            "Year",
            "Level",
            "Id",
            "Kind",
            "Value",
            "Action plans",
            "Improvement actions",
        ],
    );
    header(sheet, &t, bold)?;
    sheet.set_column_width(7, 60)?;
    sheet.set_column_width(8, 50)?;
    let one_decimal = Format::new().set_num_format("0.0");
    let mut r = 0u32;
    for v in views {
        for e in &v.entries {
            r += 1;
            let f = &e.finding;
            sheet.write_number(r, 0, v.record.id as f64)?;
            sheet.write_string(r, 1, spreadsheet_text(&v.record.facility))?;
            sheet.write_number(r, 2, v.record.year)?;
            sheet.write_string(r, 3, format!("{:?}", f.level).to_lowercase())?;
            sheet.write_string(r, 4, &f.node_id)?;
            sheet.write_string(r, 5, f.kind.label(lang))?;
            sheet.write_number_with_format(r, 6, round1(f.value), &one_decimal)?;
            let plans: Vec<String> = e
                .plans
                .iter()
                .map(|p| format!("{} ({}): {}", p.target_id, p.basis.label(lang), p.text))
                .collect();
            let actions: Vec<String> = e
                .actions
                .iter()
                .map(|a| {
                    format!(
                        "#{} [{}] {}{}",
                        a.id,
                        a.status.label(lang),
                        a.text,
                        super::report::action_meta(a, v.overdue(a), lang)
                    )
                })
                .collect();
            sheet.write_string_with_format(r, 7, spreadsheet_text(&plans.join("\n")), wrap)?;
            sheet.write_string_with_format(r, 8, spreadsheet_text(&actions.join("\n")), wrap)?;
        }
    }
    finish(sheet, r, t.len())
}

/// Every improvement action of the assessments, with owner, due date (ISO) and overdue.
fn action_sheet(
    book: &mut Workbook,
    views: &[AssessmentView],
    lang: Lang,
    bold: &Format,
    wrap: &Format,
) -> X {
    let sheet = book.add_worksheet();
    sheet.set_name(lang.pick("Udviklingspunkter", "Improvement actions"))?;
    let t = titles(
        lang,
        &[
            "Vurdering",
            "Tilbud",
            "År",
            "Nr",
            "Status",
            "Tekst",
            "Indikatorer",
            "Handleplan",
            "Ansvarlig",
            "Frist",
            "Overskredet",
        ],
        &[
            "Assessment",
            "Facility",
            "Year",
            "No",
            "Status",
            "Text",
            "Indicators",
            "Action plan",
            "Owner",
            "Due",
            "Overdue",
        ],
    );
    header(sheet, &t, bold)?;
    sheet.set_column_width(5, 50)?;
    let mut r = 0u32;
    for v in views {
        for a in &v.actions {
            r += 1;
            sheet.write_number(r, 0, v.record.id as f64)?;
            sheet.write_string(r, 1, spreadsheet_text(&v.record.facility))?;
            sheet.write_number(r, 2, v.record.year)?;
            sheet.write_number(r, 3, a.id as f64)?;
            sheet.write_string(r, 4, a.status.label(lang))?;
            sheet.write_string_with_format(r, 5, spreadsheet_text(&a.text), wrap)?;
            sheet.write_string(r, 6, a.indicators.join(", "))?;
            sheet.write_string(
                r,
                7,
                spreadsheet_text(a.action_plan.as_deref().unwrap_or("")),
            )?;
            sheet.write_string(r, 8, spreadsheet_text(&a.owner))?;
            if let Some(d) = a.due {
                sheet.write_string(r, 9, d.to_string())?;
            }
            let overdue = v.overdue(a);
            sheet.write_string(
                r,
                10,
                if overdue {
                    lang.pick("ja", "yes")
                } else {
                    lang.pick("nej", "no")
                },
            )?;
        }
    }
    finish(sheet, r, t.len())
}
