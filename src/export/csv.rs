//! CSV in long format: one row per indicator of each assessment, RFC 4180, UTF-8; for
//! Danish Excel a byte-order mark and `;` between fields. Written assessment by assessment.

use super::spreadsheet_text;
use crate::cli::Ctx;
use crate::cli::exchange_io::{out_err, write_output};
use crate::error::{Error, Result};
use crate::model::QualityModel;
use crate::store::AssessmentRecord;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// The header row, in the user's language.
pub fn header(lang: crate::i18n::Lang) -> [&'static str; 15] {
    match lang {
        crate::i18n::Lang::Da => [
            "tilbud",
            "år",
            "model",
            "status",
            "tema",
            "tema_titel",
            "kriterium",
            "indikator",
            "indikator_tekst",
            "score",
            "ikke_relevant",
            "begrundelse",
            "kilder",
            "af",
            "tidspunkt",
        ],
        crate::i18n::Lang::En => [
            "facility",
            "year",
            "model",
            "status",
            "theme",
            "theme_title",
            "criterion",
            "indicator",
            "indicator_text",
            "score",
            "not_relevant",
            "reasoning",
            "sources",
            "by",
            "at",
        ],
    }
}

/// Writes the rows of these assessments, streamed from one pass over the score rows.
pub fn write(ctx: &Ctx, assessments: &[AssessmentRecord], path: &Path, excel: bool) -> Result<()> {
    let lang = ctx.lang;
    write_output(path, |w| {
        let err = out_err(path);
        if excel {
            w.write_all("\u{feff}".as_bytes()).map_err(&err)?;
        }
        let mut csv = ::csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .buffer_capacity(256 * 1024)
            .from_writer(w);
        let csv_err = |e: ::csv::Error| Error::Io {
            path: path.to_path_buf(),
            source: e.into(),
        };
        csv.write_record(header(lang)).map_err(csv_err)?;
        // per model version: its indicators in order, and where each id sits
        let mut models: Vec<(String, Rc<QualityModel>, HashMap<String, usize>)> = Vec::new();
        let mut slots: Vec<Option<usize>> = Vec::new();
        let mut year = String::new();
        ctx.store
            .for_each_assessment_texts(assessments, |a, scores| {
                if !models.iter().any(|(h, _, _)| *h == a.model_hash) {
                    let m = ctx.store.model_by_hash(&a.model_hash)?;
                    let pos = m
                        .indicators()
                        .enumerate()
                        .map(|(i, r)| (r.indicator.id.clone(), i))
                        .collect();
                    models.push((a.model_hash.clone(), m, pos));
                }
                let (_, model, pos) = models
                    .iter()
                    .find(|(h, _, _)| *h == a.model_hash)
                    .expect("added above");
                slots.clear();
                slots.resize(pos.len(), None);
                for (i, s) in scores.iter().enumerate() {
                    if let Some(p) = pos.get(&s.indicator) {
                        slots[*p] = Some(i);
                    }
                }
                let facility = spreadsheet_text(&a.facility);
                year.clear();
                year.push_str(&a.year.to_string());
                for (i, r) in model.indicators().enumerate() {
                    let s = slots[i].map(|k| &scores[k]);
                    let (score, not_relevant) = match s {
                        Some(s) if s.not_relevant => (Cow::Borrowed(""), "1"),
                        Some(s) => (
                            s.value.map_or(Cow::Borrowed(""), |v| digits(u32::from(v))),
                            "0",
                        ),
                        None => (Cow::Borrowed(""), ""),
                    };
                    csv.write_record([
                        facility.as_ref(),
                        year.as_str(),
                        &a.model_id,
                        a.status.as_str(),
                        digits(r.theme.number).as_ref(),
                        &r.theme.title.da,
                        &r.criterion.id,
                        &r.indicator.id,
                        &r.indicator.text.da,
                        score.as_ref(),
                        not_relevant,
                        spreadsheet_text(s.map_or("", |s| s.reasoning.as_str())).as_ref(),
                        spreadsheet_text(s.map_or("", |s| s.sources.as_str())).as_ref(),
                        spreadsheet_text(s.map_or("", |s| s.by.as_str())).as_ref(),
                        s.map_or("", |s| s.at.as_str()),
                    ])
                    .map_err(csv_err)?;
                }
                Ok(())
            })?;
        csv.flush().map_err(&err)?;
        Ok(())
    })
}

/// Small numbers as text, without an allocation per row.
fn digits(n: u32) -> Cow<'static, str> {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    DIGITS
        .get(n as usize)
        .map_or_else(|| Cow::Owned(n.to_string()), |d| Cow::Borrowed(*d))
}
