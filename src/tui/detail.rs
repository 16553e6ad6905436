//! The assessment screen's detail pane: the selected indicator in full, its texts and
//! last year.

use super::app::*;
use super::view::{Palette, safe};
use crate::assessment::ScoreValue;
use crate::model::Wording;
use crate::text::one_line;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The selected indicator in full: its text, the scale, its reasoning and sources (all of
/// them, scrollable), and last year's score and actions.
pub(super) fn detail_pane(frame: &mut Frame<'_>, app: &App, detail: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.assessment.view else {
        return;
    };
    let Some(ind) = app.assessment.selected() else {
        return;
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", ind.id), p.bold()),
        Span::raw(safe(&ind.text.da)),
    ])];
    if let Some(gloss) = ind.text.gloss(lang) {
        lines.push(Line::styled(format!("({})", safe(gloss)), p.dim()));
    }
    if ind.text.wording != Wording::Confirmed {
        lines.push(Line::styled(
            tr!(
                lang,
                "{} {}: tjek ordlyden mod bekendtgørelsen",
                "{} {}: check the wording against the official text",
                ind.text.wording.mark(),
                ind.text.wording.label(lang)
            ),
            p.fg(Color::Yellow),
        ));
    }
    lines.push(Line::styled(
        super::wording::scale_line(&v.model, lang),
        p.dim(),
    ));
    if let Some(s) = v.scores.get(&ind.id) {
        if s.carried_over {
            lines.push(Line::styled(
                lang.pick(
                    "↻ Overført fra sidste år, ikke genvurderet: c bekræfter, eller giv en ny score",
                    "↻ Carried over from last year, not re-assessed: c confirms, or give a new score",
                ),
                p.fg(Color::Magenta),
            ));
        }
        if !s.reasoning.trim().is_empty() {
            lines.push(Line::styled(
                format!("{}:", lang.pick("Begrundelse", "Reasoning")),
                p.bold(),
            ));
            lines.extend(s.reasoning.lines().map(|l| Line::raw(safe(l))));
        }
        if !s.sources.trim().is_empty() {
            lines.push(Line::raw(format!(
                "{}: {}",
                lang.pick("Kilder", "Sources"),
                safe(&s.sources.replace('\n', "; "))
            )));
        }
    }
    match &v.previous {
        Some(py) => {
            let prev = &py.record;
            let line = match py.scores.get(&ind.id) {
                Some(s) => {
                    let value = match s.value {
                        ScoreValue::Scored(x) => x.to_string(),
                        ScoreValue::NotRelevant => {
                            lang.pick("ikke relevant", "not relevant").to_string()
                        }
                    };
                    format!(
                        "{} {}: {value}  {}",
                        lang.pick("Sidste år", "Last year"),
                        prev.year,
                        one_line(&s.reasoning, 200)
                    )
                }
                None => tr!(
                    lang,
                    "Sidste år {}: ingen score",
                    "Last year {}: no score",
                    prev.year
                ),
            };
            lines.push(Line::styled(line, p.fg(Color::Cyan)));
            // the improvement actions raised for this indicator last year, and where they stand
            for x in py.actions.iter().filter(|x| x.indicators.contains(&ind.id)) {
                lines.push(Line::styled(
                    tr!(
                        lang,
                        "Udviklingspunkt fra {}: #{} [{}] {}",
                        "Improvement action from {}: #{} [{}] {}",
                        prev.year,
                        x.id,
                        x.status.label(lang),
                        safe(&x.text)
                    ),
                    p.fg(Color::Cyan),
                ));
            }
        }
        None => lines.push(Line::styled(
            lang.pick(
                "Ingen vurdering fra et tidligere år",
                "No assessment from an earlier year",
            ),
            p.dim(),
        )),
    }
    let scroll = if app.assessment.detail_scroll.0 == ind.id {
        app.assessment.detail_scroll.1
    } else {
        0
    };
    let hint = lang.pick(" PgDn/PgUp rul ", " PgDn/PgUp scroll ");
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::bordered().title_bottom(Line::styled(hint, p.dim()))),
        detail,
    );
}
