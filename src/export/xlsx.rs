//! The workbook (rust_xlsxwriter): a summary sheet of theme means per facility and year
//! with a colour scale, a sheet per theme with every indicator row, and a sheet of gaps
//! and actions. Frozen headers, filters, numbers as numbers, headers in the user's language.

use super::spreadsheet_text;
use crate::app::Session;
use crate::app::files::{out_err, write_output};
use crate::assessment::{self, ScoreValue};
use crate::error::{Error, Result};
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

fn header(
    sheet: &mut Worksheet,
    titles: &[String],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    for (c, t) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, t, bold)?;
        sheet.set_column_width(c as u16, (t.chars().count() as f64 + 2.0).max(10.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn finish(sheet: &mut Worksheet, rows: u32, cols: usize) -> std::result::Result<(), XlsxError> {
    sheet.autofilter(0, 0, rows.max(1), cols.saturating_sub(1) as u16)?;
    Ok(())
}

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

    // the summary
    let summary_name = lang.pick("Oversigt", "Summary");
    let max_themes = 7usize;
    let mut titles: Vec<String> = [
        tr!(lang, "Tilbud", "Facility"),
        tr!(lang, "Organisation", "Organisation"),
        tr!(lang, "År", "Year"),
        tr!(lang, "Model", "Model"),
        tr!(lang, "Status", "Status"),
        tr!(lang, "Scoret", "Scored"),
        tr!(lang, "Indikatorer", "Indicators"),
    ]
    .into();
    titles.extend((1..=max_themes).map(|n| tr!(lang, "Tema {n}", "Theme {n}")));
    titles.push(tr!(lang, "Samlet", "Overall"));
    {
        let sheet = book.add_worksheet();
        sheet.set_name(summary_name).map_err(x)?;
        header(sheet, &titles, &bold).map_err(x)?;
    }
    // theme sheets in order of first appearance, keyed by number and title
    let mut theme_sheets: Vec<(String, u32)> = Vec::new();
    let mut gap_rows: Vec<Vec<String>> = Vec::new();
    let mut row = 0u32;
    for a in assessments {
        row += 1;
        let model = ctx.store.model_by_hash(&a.model_hash)?;
        let scores = ctx.store.scores(a.id)?;
        let s = assessment::summarize(&model, &scores);
        let facility = ctx
            .store
            .facility_by_id(crate::store::FacilityId(a.facility_id))?;
        {
            let sheet = book.worksheet_from_name(summary_name).map_err(x)?;
            sheet
                .write_string(row, 0, spreadsheet_text(&a.facility))
                .map_err(x)?;
            sheet
                .write_string(row, 1, spreadsheet_text(&facility.organisation))
                .map_err(x)?;
            sheet.write_number(row, 2, a.year).map_err(x)?;
            sheet.write_string(row, 3, &a.model_id).map_err(x)?;
            sheet
                .write_string(row, 4, a.status.label(lang))
                .map_err(x)?;
            sheet.write_number(row, 5, s.done as f64).map_err(x)?;
            sheet.write_number(row, 6, s.total as f64).map_err(x)?;
            for t in &s.themes {
                if let Some(m) = t.mean {
                    sheet
                        .write_number(row, 6 + t.number as u16, (m * 100.0).round() / 100.0)
                        .map_err(x)?;
                }
            }
            if let Some(m) = s.overall_mean {
                sheet
                    .write_number(row, 7 + max_themes as u16, (m * 100.0).round() / 100.0)
                    .map_err(x)?;
            }
        }
        for theme in &model.themes {
            let name = sheet_name(&format!("{} {}", theme.number, theme.title.da));
            if !theme_sheets.iter().any(|(n, _)| *n == name) {
                let sheet = book.add_worksheet();
                sheet.set_name(&name).map_err(x)?;
                let t: Vec<String> = [
                    tr!(lang, "Tilbud", "Facility"),
                    tr!(lang, "År", "Year"),
                    tr!(lang, "Model", "Model"),
                    tr!(lang, "Kriterium", "Criterion"),
                    tr!(lang, "Indikator", "Indicator"),
                    tr!(lang, "Indikatortekst", "Indicator text"),
                    tr!(lang, "Score", "Score"),
                    tr!(lang, "Ikke relevant", "Not relevant"),
                    tr!(lang, "Begrundelse", "Reasoning"),
                    tr!(lang, "Kilder", "Sources"),
                    tr!(lang, "Af", "By"),
                    tr!(lang, "Tidspunkt", "At"),
                ]
                .into();
                header(sheet, &t, &bold).map_err(x)?;
                sheet.set_column_width(5, 50).map_err(x)?;
                sheet.set_column_width(8, 60).map_err(x)?;
                sheet.set_column_width(9, 30).map_err(x)?;
                theme_sheets.push((name.clone(), 0));
            }
            let entry = theme_sheets
                .iter_mut()
                .find(|(n, _)| *n == name)
                .expect("added above");
            let sheet = book.worksheet_from_name(&name).map_err(x)?;
            for c in &theme.criteria {
                for i in &c.indicators {
                    entry.1 += 1;
                    let r = entry.1;
                    let sc = scores.iter().find(|s| s.indicator_id == i.id);
                    sheet
                        .write_string(r, 0, spreadsheet_text(&a.facility))
                        .map_err(x)?;
                    sheet.write_number(r, 1, a.year).map_err(x)?;
                    sheet.write_string(r, 2, &a.model_id).map_err(x)?;
                    sheet.write_string(r, 3, &c.id).map_err(x)?;
                    sheet.write_string(r, 4, &i.id).map_err(x)?;
                    sheet
                        .write_string_with_format(r, 5, &i.text.da, &wrap)
                        .map_err(x)?;
                    match sc.map(|s| s.value) {
                        Some(ScoreValue::Scored(v)) => {
                            sheet.write_number(r, 6, v).map_err(x)?;
                        }
                        Some(ScoreValue::NotRelevant) => {
                            sheet
                                .write_string(r, 7, lang.pick("ja", "yes"))
                                .map_err(x)?;
                        }
                        None => {}
                    }
                    if let Some(sc) = sc {
                        sheet
                            .write_string_with_format(r, 8, spreadsheet_text(&sc.reasoning), &wrap)
                            .map_err(x)?;
                        sheet
                            .write_string_with_format(r, 9, spreadsheet_text(&sc.sources), &wrap)
                            .map_err(x)?;
                        sheet
                            .write_string(r, 10, spreadsheet_text(&sc.by))
                            .map_err(x)?;
                        sheet
                            .write_string(
                                r,
                                11,
                                sc.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            )
                            .map_err(x)?;
                    }
                }
            }
        }
        // the gaps with their plans and actions
        let rules = ctx.store.gap_rules()?;
        let strategies = ctx.store.strategies_for(&facility, &model.id)?;
        let actions = ctx.store.actions(&crate::store::ActionFilter {
            assessment: Some(a.id),
            facility: None,
        })?;
        for e in assessment::gap_entries(
            &model,
            &assessment::find_gaps(&model, &scores, &rules),
            &strategies,
            &actions,
        ) {
            let f = &e.finding;
            gap_rows.push(vec![
                a.facility.clone(),
                a.year.to_string(),
                format!("{:?}", f.level).to_lowercase(),
                f.node_id.clone(),
                f.kind.label(lang).to_string(),
                format!("{}", f.value),
                e.plans
                    .iter()
                    .map(|p| format!("{} ({}): {}", p.target_id, p.basis.label(lang), p.text))
                    .collect::<Vec<_>>()
                    .join("\n"),
                e.actions
                    .iter()
                    .map(|x| format!("#{} [{}] {}", x.id, x.status.label(lang), x.text))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]);
        }
    }
    {
        let sheet = book.worksheet_from_name(summary_name).map_err(x)?;
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color("#F8696B")
            .set_midpoint_color("#FFEB84")
            .set_maximum_color("#63BE7B");
        sheet
            .add_conditional_format(1, 7, row.max(1), 7 + max_themes as u16, &scale)
            .map_err(x)?;
        finish(sheet, row, titles.len()).map_err(x)?;
    }
    for (name, rows) in &theme_sheets {
        let sheet = book.worksheet_from_name(name).map_err(x)?;
        finish(sheet, *rows, 12).map_err(x)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet
            .set_name(lang.pick("Huller og udviklingspunkter", "Gaps and actions"))
            .map_err(x)?;
        let t: Vec<String> = [
            tr!(lang, "Tilbud", "Facility"),
            tr!(lang, "År", "Year"),
            tr!(lang, "Niveau", "Level"),
            tr!(lang, "Id", "Id"),
            tr!(lang, "Type", "Kind"),
            tr!(lang, "Værdi", "Value"),
            tr!(lang, "Handleplaner", "Action plans"),
            tr!(lang, "Udviklingspunkter", "Improvement actions"),
        ]
        .into();
        header(sheet, &t, &bold).map_err(x)?;
        sheet.set_column_width(6, 60).map_err(x)?;
        sheet.set_column_width(7, 50).map_err(x)?;
        for (i, r) in gap_rows.iter().enumerate() {
            let row = i as u32 + 1;
            sheet
                .write_string(row, 0, spreadsheet_text(&r[0]))
                .map_err(x)?;
            sheet
                .write_number(row, 1, r[1].parse::<f64>().unwrap_or(0.0))
                .map_err(x)?;
            for c in 2..5 {
                sheet.write_string(row, c, &r[c as usize]).map_err(x)?;
            }
            sheet
                .write_number(row, 5, r[5].parse::<f64>().unwrap_or(0.0))
                .map_err(x)?;
            sheet
                .write_string_with_format(row, 6, spreadsheet_text(&r[6]), &wrap)
                .map_err(x)?;
            sheet
                .write_string_with_format(row, 7, spreadsheet_text(&r[7]), &wrap)
                .map_err(x)?;
        }
        finish(sheet, gap_rows.len() as u32, t.len()).map_err(x)?;
    }
    let bytes = book.save_to_buffer().map_err(x)?;
    write_output(path, |w| w.write_all(&bytes).map_err(out_err(path)))
}
