//! The rows of one assessment on every sheet it appears on: its summary row, its indicator
//! rows on the theme sheets, its gaps and its improvement actions. Each sheet is made the
//! first time a row goes to it.

use super::sheets::{Done, Layout, Shape, Split, Styles, X};
use super::themes::{Job, Scores, ThemeRows, ThemeThread};
use super::{summary_sheet_name, titles};
use crate::app::exchange::{AssessmentRecord, Facility};
use crate::app::view::StreamedView;
use crate::assessment::{ImprovementAction, Score};
use crate::export::spreadsheet_text;
use crate::i18n::{Lang, round1};
use crate::model::{Levels, QualityModel};
use crate::tr;
use rust_xlsxwriter::Workbook;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

/// The number of fixed columns before a summary sheet's themes.
const SUMMARY_FIXED: u16 = 9;

/// One assessment: its row, its facility and model, its scores and actions, its read model.
pub(super) struct Assessment<'a> {
    pub record: &'a AssessmentRecord,
    pub facility: &'a Facility,
    pub model: &'a QualityModel,
    pub scores: &'a [Score],
    pub actions: &'a [ImprovementAction],
    pub view: &'a StreamedView,
    pub today: chrono::NaiveDate,
}

/// The workbook being written: its sheets by kind, in the order they appear (the theme
/// sheets on their own thread, see `themes`).
pub(super) struct Writer {
    book: Workbook,
    lang: Lang,
    layout: Layout,
    st: Styles,
    /// By model version, in the order of first appearance.
    summaries: Vec<(String, Split)>,
    themes: ThemeThread,
    /// Each model version's theme rows, by model hash.
    theme_rows: HashMap<String, Arc<ThemeRows>>,
    gaps: Split,
    actions: Split,
    /// A gap row's plans and actions, kept from row to row.
    plans: String,
    actions_text: String,
}

impl Writer {
    /// A writer into `book`, the streamed rows waiting in `tmp`.
    pub fn new(mut book: Workbook, lang: Lang, layout: Layout, tmp: PathBuf) -> X<Writer> {
        book.set_tempdir(&tmp)?;
        let st = Styles::new(&mut book, tmp)?;
        let gaps = Split::new(layout, gap_shape(lang), &st)?;
        let actions = Split::new(layout, action_shape(lang), &st)?;
        // the theme sheets' thread deflates its own
        let themes = ThemeThread::start(
            lang,
            layout,
            Styles {
                behind: false,
                ..st.clone()
            },
        )?;
        Ok(Writer {
            book,
            lang,
            layout,
            st,
            summaries: Vec::new(),
            themes,
            theme_rows: HashMap::new(),
            gaps,
            actions,
            plans: String::new(),
            actions_text: String::new(),
        })
    }

    /// Every row of one assessment.
    pub fn assessment(&mut self, a: &Assessment<'_>) -> X {
        self.summary_row(a)?;
        self.theme_rows(a)?;
        self.gap_rows(a)?;
        self.action_rows(a)
    }

    /// The sheets in their order (the note first where a sheet was continued), and the
    /// workbook to save them in.
    pub fn finish(mut self) -> X<(Workbook, Vec<Done>)> {
        let themes = self.themes.finish()?;
        let mut sheets = Vec::new();
        let mut continued = Vec::new();
        // "Oversigt" where the workbook holds one model version: known only at the end
        let versions = self.summaries.len();
        let mut summaries = self.summaries;
        for (id, split) in &mut summaries {
            split.rename(summary_sheet_name(self.lang, id, versions));
        }
        let splits = summaries.into_iter().chain(themes).map(|(_, s)| s);
        for split in splits.chain([self.gaps, self.actions]) {
            let (mut parts, more) = split.finish(&mut self.book, &self.st)?;
            if !more.is_empty() {
                continued.push((parts[0].sheet.name().to_string(), more));
            }
            sheets.append(&mut parts);
        }
        if !continued.is_empty() {
            let note = super::sheets::note(self.lang, self.layout, &continued, &self.st)?;
            sheets.insert(
                0,
                Done {
                    sheet: note,
                    rows: None,
                },
            );
        }
        Ok((self.book, sheets))
    }

    fn summary_row(&mut self, a: &Assessment<'_>) -> X {
        let (lang, model) = (self.lang, a.model);
        let k = match self.summaries.iter().position(|(id, _)| *id == model.id) {
            Some(k) => k,
            None => {
                let name = summary_sheet_name(lang, &model.id, 1);
                let split = Split::new(self.layout, summary_shape(lang, name, model), &self.st)?;
                self.summaries.push((model.id.clone(), split));
                self.summaries.len() - 1
            }
        };
        let mut row = self.summaries[k].1.row(&self.st)?;
        let (rec, s) = (a.record, &a.view.summary);
        row.number(0, rec.id as f64)?;
        row.string(1, spreadsheet_text(&rec.facility))?;
        row.string(2, spreadsheet_text(&a.facility.organisation))?;
        row.number(3, rec.year)?;
        row.string(4, &rec.model_id)?;
        row.string(5, rec.status.label(lang))?;
        row.number(6, s.done as f64)?;
        row.number(7, s.total as f64)?;
        row.number(8, s.not_reassessed.len() as f64)?;
        let means = s.themes.iter().map(|t| t.mean).chain([s.overall_mean]);
        for (c, m) in means.enumerate() {
            if let Some(m) = m {
                let c = SUMMARY_FIXED + c as u16;
                row.decimal(c, round1(m))?;
            }
        }
        Ok(())
    }

    /// The assessment's rows on the theme sheets, handed to their thread.
    fn theme_rows(&mut self, a: &Assessment<'_>) -> X {
        let rec = a.record;
        let rows = Arc::clone(
            self.theme_rows
                .entry(rec.model_hash.clone())
                .or_insert_with(|| Arc::new(ThemeRows::of(a.model, self.lang))),
        );
        self.themes.send(Job {
            id: rec.id,
            facility: spreadsheet_text(&rec.facility).into_owned(),
            year: rec.year,
            model_id: rec.model_id.clone(),
            rows,
            scores: Scores::of(a.scores),
        })
    }

    fn gap_rows(&mut self, a: &Assessment<'_>) -> X {
        let (lang, rec) = (self.lang, a.record);
        let levels = a.model.levels();
        for e in &a.view.entries {
            let mut row = self.gaps.row(&self.st)?;
            let f = &e.finding;
            row.number(0, rec.id as f64)?;
            row.string(1, spreadsheet_text(&rec.facility))?;
            row.number(2, rec.year)?;
            row.string(3, f.level.name(&levels).one(lang))?;
            row.string(4, &f.node_id)?;
            row.string(5, f.kind.label(lang))?;
            row.decimal(6, round1(f.value))?;
            // the plans and actions, one a line, into texts kept from row to row
            let (plans, actions) = (&mut self.plans, &mut self.actions_text);
            plans.clear();
            for (i, p) in e.plans.iter().enumerate() {
                let nl = if i > 0 { "\n" } else { "" };
                let _ = write!(
                    plans,
                    "{nl}{} ({}): {}",
                    p.target_id,
                    p.basis.label(lang),
                    p.text
                );
            }
            actions.clear();
            for (i, x) in e.actions.iter().enumerate() {
                let meta = crate::export::report::action_meta(x, x.overdue(a.today), lang);
                let nl = if i > 0 { "\n" } else { "" };
                let status = x.status.label(lang);
                let _ = write!(actions, "{nl}#{} [{status}] {}{meta}", x.id, x.text);
            }
            row.string(7, spreadsheet_text(plans))?;
            row.string(8, spreadsheet_text(actions))?;
        }
        Ok(())
    }

    fn action_rows(&mut self, a: &Assessment<'_>) -> X {
        let (lang, rec) = (self.lang, a.record);
        for x in a.actions {
            let mut row = self.actions.row(&self.st)?;
            row.number(0, rec.id as f64)?;
            row.string(1, spreadsheet_text(&rec.facility))?;
            row.number(2, rec.year)?;
            row.number(3, x.id as f64)?;
            row.string(4, x.status.label(lang))?;
            row.string(5, spreadsheet_text(&x.text))?;
            row.string(6, x.indicators.join(", "))?;
            let plan = x.action_plan.as_deref().unwrap_or("");
            row.string(7, spreadsheet_text(plan))?;
            row.string(8, spreadsheet_text(&x.owner))?;
            if let Some(d) = x.due {
                row.string(9, d.to_string())?;
            }
            let overdue = if x.overdue(a.today) {
                lang.pick("ja", "yes")
            } else {
                lang.pick("nej", "no")
            };
            row.string(10, overdue)?;
        }
        Ok(())
    }
}

/// A summary sheet: the assessment's columns, then this version's own themes ("Tema 4" is
/// a different theme in 2014 and 2017), then the overall mean.
fn summary_shape(lang: Lang, name: String, model: &QualityModel) -> Shape {
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
    t[7] = model.levels().indicator.titles(lang);
    t.extend(
        model
            .themes
            .iter()
            .map(|th| format!("{} {}", th.number, th.title.da)),
    );
    t.push(tr!(lang, "Samlet", "Overall"));
    Shape {
        name,
        titles: t,
        widths: &[],
        wrapped: &[],
        scale_from: Some(SUMMARY_FIXED),
    }
}

/// A theme sheet's column titles, with the levels named as the sheet's model names them
/// (Retningslinje / Spørgsmål on the safety self-evaluation).
pub(super) fn theme_titles(lang: Lang, levels: &Levels) -> Vec<String> {
    let mut t = titles(
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
    t[4] = levels.criterion.title(lang);
    t[5] = levels.indicator.title(lang);
    if levels.indicator != Levels::default().indicator {
        // "Indikatortekst" where the model keeps the usual names
        t[6] = format!("{} – {}", t[5], lang.pick("tekst", "text"));
    }
    t
}

/// The gaps with their action plans and actions (owner, due date, overdue).
fn gap_shape(lang: Lang) -> Shape {
    Shape {
        name: lang
            .pick("Huller og udviklingspunkter", "Gaps and actions")
            .into(),
        titles: titles(
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
        ),
        widths: &[(7, 60), (8, 50)],
        wrapped: &[7, 8],
        scale_from: None,
    }
}

/// Every improvement action, with owner, due date (ISO) and overdue.
fn action_shape(lang: Lang) -> Shape {
    Shape {
        name: lang.pick("Udviklingspunkter", "Improvement actions").into(),
        titles: titles(
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
        ),
        widths: &[(5, 50)],
        wrapped: &[5],
        scale_from: None,
    }
}
