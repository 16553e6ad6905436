//! CSV in long format: one row per indicator of each assessment, RFC 4180, UTF-8; for
//! Danish Excel a byte-order mark and `;` between fields. Written assessment by assessment.

use super::spreadsheet_text;
use crate::assessment::ScoreValue;
use crate::cli::Ctx;
use crate::cli::exchange_io::{out_err, write_output};
use crate::error::{Error, Result};
use crate::store::AssessmentRecord;
use std::path::Path;

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

/// Writes the rows of these assessments.
pub fn write(ctx: &Ctx, assessments: &[AssessmentRecord], path: &Path, excel: bool) -> Result<()> {
    let lang = ctx.lang;
    write_output(path, |w| {
        let err = out_err(path);
        if excel {
            w.write_all("\u{feff}".as_bytes()).map_err(&err)?;
        }
        let mut csv = ::csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_writer(w);
        let csv_err = |e: ::csv::Error| Error::Io {
            path: path.to_path_buf(),
            source: e.into(),
        };
        csv.write_record(header(lang)).map_err(csv_err)?;
        // small numbers as text, without an allocation per row
        const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        let digits = |n: u32| {
            DIGITS.get(n as usize).map_or_else(
                || std::borrow::Cow::Owned(n.to_string()),
                |d| std::borrow::Cow::Borrowed(*d),
            )
        };
        for a in assessments {
            let model = ctx.store.model_by_hash(&a.model_hash)?;
            let scores = ctx.store.scores(a.id)?;
            // what is the same on every row of the assessment, once
            let facility = spreadsheet_text(&a.facility);
            let year = a.year.to_string();
            for r in model.indicators() {
                let s = scores.iter().find(|s| s.indicator_id == r.indicator.id);
                let (score, not_relevant) = match s.map(|s| s.value) {
                    Some(ScoreValue::Scored(v)) => (digits(u32::from(v)), "0"),
                    Some(ScoreValue::NotRelevant) => (std::borrow::Cow::Borrowed(""), "1"),
                    None => (std::borrow::Cow::Borrowed(""), ""),
                };
                let at = s
                    .map(|s| s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default();
                csv.write_record([
                    facility.as_ref(),
                    &year,
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
                    &at,
                ])
                .map_err(csv_err)?;
            }
        }
        csv.flush().map_err(&err)?;
        Ok(())
    })
}
