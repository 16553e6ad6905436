//! Comparisons: a facility across years, the facilities of a year, the trend, each
//! counting one assessment per facility and year (`app::view::the_one`), in the frame of
//! one model version with the others mapped into it.

use super::Session;
use super::view::Double;
use crate::compare::{History, Models, Trend, TrendBuilder, YearMatrix, YearMatrixBuilder};
use crate::error::Result;
use crate::store::{CompareFilter, Facility};

/// The numbers of the facilities these texts name, in order.
pub fn facility_ids<'k>(s: &Session, keys: impl IntoIterator<Item = &'k str>) -> Result<Vec<i64>> {
    keys.into_iter()
        .map(|k| s.store.find_facility(k).map(|f| f.id))
        .collect()
}

/// The models of the selection, framed by `model` (default: the newest).
pub fn frame(s: &Session, filter: &CompareFilter, model: Option<&str>) -> Result<Models> {
    s.store.compare_frame(filter, model)
}

/// A facility across the years of the filter (which names it as its one facility);
/// `None` where it has no assessment there.
pub fn history(
    s: &Session,
    facility: &Facility,
    filter: &CompareFilter,
    model: Option<&str>,
) -> Result<Option<(History, Models)>> {
    let m = frame(s, filter, model)?;
    let list = super::view::chosen_scores(&*s.store, filter)?;
    let mut years: Vec<i32> = list.iter().map(|a| a.year).collect();
    years.dedup();
    if years.is_empty() {
        return Ok(None);
    }
    let gap_max = super::gaps::rules(s)?.for_model(&m.frame).indicator_gap_max;
    let h = crate::compare::history(&m.frame(), &facility.name, &years, &list, gap_max);
    Ok(Some((h, m)))
}

/// The facilities of one year; `None` where the year has no assessment in the filter.
pub fn year(
    s: &Session,
    filter: &CompareFilter,
    year: i32,
    model: Option<&str>,
) -> Result<Option<(YearMatrix, Models)>> {
    let filter = CompareFilter {
        years: Some((year, year)),
        ..filter.clone()
    };
    // every model the year may use, checked as its assessments come: the assessment rows
    // are read once, by the stream
    let m = s.store.compare_frame_any(model, filter.framework())?;
    let below = super::gaps::rules(s)?.for_model(&m.frame).mean_gap_below;
    let matrix = {
        let frame = m.frame();
        let mut builder = YearMatrixBuilder::new(&frame, year, below);
        let chosen = super::view::chosen_where(&*s.store, &filter)?;
        s.store.for_each_assessment_scores(&filter, &mut |a| {
            comparable(&m, &a.model_id)?;
            if chosen.contains(a.assessment_id) {
                builder.add(a);
            }
            Ok(())
        })?;
        if builder.is_empty() {
            return Ok(None);
        }
        builder.finish()
    };
    Ok(Some((matrix, m)))
}

/// An assessment on `model_id` can be seen in the frame: it is the frame's own model, or
/// a version with a mapping to it (as `Store::compare_frame` requires of every version used).
fn comparable(m: &Models, model_id: &str) -> Result<()> {
    match m.others.iter().find(|(o, _)| o.id == model_id) {
        Some((o, None)) if model_id != m.frame.id => Err(crate::error::Error::NoMapping {
            from: o.id.clone(),
            to: m.frame.id.clone(),
        }),
        _ => Ok(()),
    }
}

/// The theme means across the selection, year by year; `None` where it holds nothing.
pub fn trend(
    s: &Session,
    filter: &CompareFilter,
    model: Option<&str>,
) -> Result<Option<(Trend, Models)>> {
    let m = frame(s, filter, model)?;
    let trend = {
        let frame = m.frame();
        let mut builder = TrendBuilder::new(&frame);
        let chosen = super::view::chosen_where(&*s.store, filter)?;
        s.store.for_each_assessment_scores(filter, &mut |a| {
            if chosen.contains(a.assessment_id) {
                builder.add(a);
            }
            Ok(())
        })?;
        builder.finish()
    };
    if trend.years.is_empty() {
        return Ok(None);
    }
    Ok(Some((trend, m)))
}

/// Each facility and year of the filter that holds two assessments, with its facility.
pub fn doubles(s: &Session, filter: &CompareFilter) -> Result<Vec<(Double, Facility)>> {
    let chosen = super::view::chosen_where(&*s.store, filter)?;
    let mut out = Vec::new();
    for d in chosen.doubles {
        if d.framework != filter.framework()
            || filter.years.is_some_and(|(a, b)| d.year < a || d.year > b)
            || filter
                .facilities
                .as_ref()
                .is_some_and(|f| !f.contains(&d.facility_id))
        {
            continue;
        }
        let f = super::facilities::by_id(s, d.facility_id)?;
        if filter
            .organisation
            .as_ref()
            .is_some_and(|o| o.trim().to_lowercase() != f.organisation.to_lowercase())
        {
            continue;
        }
        out.push((d, f));
    }
    Ok(out)
}
