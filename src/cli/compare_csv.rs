//! `compare --csv`: the comparison's numbers for a spreadsheet, with `--excel` for Danish
//! Excel (a byte-order mark, `;` between fields, a decimal comma).

use super::compare::{CompareArgs, View};
use crate::app::files::write_output;
use crate::compare::Cell;
use crate::error::{Error, Result};

/// Writes the view as CSV to the file the user chose (standard output by default).
pub(super) fn write(args: &CompareArgs, view: &View<'_>) -> Result<()> {
    let excel = args.excel;
    // a number as the machine formats write it: three decimals, a comma for Danish Excel
    let num = |v: f64| {
        let s = format!("{v:.3}");
        if excel { s.replace('.', ",") } else { s }
    };
    write_output(&args.output, |w| {
        if excel {
            w.write_all("\u{feff}".as_bytes())
                .map_err(crate::app::files::out_err(&args.output))?;
        }
        let mut csv = ::csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_writer(w);
        let e = |e: ::csv::Error| Error::Io {
            path: args.output.clone(),
            source: e.into(),
        };
        match &view {
            View::History(h, _) => {
                let mut head = vec!["node".to_string(), "level".into()];
                head.extend(h.years.iter().map(|y| y.to_string()));
                head.push("change".into());
                csv.write_record(&head).map_err(e)?;
                for r in &h.rows {
                    let mut rec = vec![r.node_id.clone(), format!("{:?}", r.level).to_lowercase()];
                    rec.extend(r.cells.iter().map(|c| match c {
                        Cell::Value(v) => num(*v),
                        Cell::NotComparable => "not comparable".into(),
                        Cell::NotRelevant => "not relevant".into(),
                        _ => String::new(),
                    }));
                    rec.push(r.change.map(num).unwrap_or_default());
                    csv.write_record(&rec).map_err(e)?;
                }
            }
            View::Year(m, _) => {
                let mut head = vec![
                    "assessment".to_string(),
                    "facility".into(),
                    "organisation".into(),
                ];
                head.extend(m.themes.iter().cloned());
                head.push("overall".into());
                csv.write_record(&head).map_err(e)?;
                for r in &m.rows {
                    let mut rec = vec![
                        r.assessment_id.to_string(),
                        crate::export::spreadsheet_text(&r.facility).into_owned(),
                        crate::export::spreadsheet_text(&r.organisation).into_owned(),
                    ];
                    rec.extend(
                        r.theme_means
                            .iter()
                            .chain([&r.overall])
                            .map(|v| v.map(num).unwrap_or_default()),
                    );
                    csv.write_record(&rec).map_err(e)?;
                }
            }
            View::Trend(t, _) => {
                let mut head = vec!["theme".to_string()];
                head.extend(t.years.iter().map(|y| y.to_string()));
                csv.write_record(&head).map_err(e)?;
                for (theme, row) in t.themes.iter().zip(&t.means) {
                    let mut rec = vec![theme.clone()];
                    rec.extend(row.iter().map(|v| v.map(num).unwrap_or_default()));
                    csv.write_record(&rec).map_err(e)?;
                }
            }
        }
        csv.flush().map_err(|e| Error::Io {
            path: args.output.clone(),
            source: e,
        })
    })
}
