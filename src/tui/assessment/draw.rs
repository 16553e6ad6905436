//! The assessment screen's drawing: the themes with their progress, the current theme's
//! criteria and indicators, and the detail pane below (`detail.rs`).

use super::super::app::App;
use super::super::view::{Palette, safe};
use super::super::wording::title;
use crate::assessment::{ScoreValue, Status};
use crate::text::one_line;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

pub(in super::super) fn assessment(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.assessment.view else {
        return;
    };
    let summary = v.summary();
    let levels = v.model.levels();
    let rules = v.model.gap_defaults();
    let wide = area.width >= 110;
    let detail_height = if area.height >= 34 { 11 } else { 9 };
    let [head, main, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(detail_height),
    ])
    .areas(area);
    let pct = (summary.done * 100).checked_div(summary.total).unwrap_or(0);
    let read_only = if v.record.status == Status::Finalised {
        lang.pick(" · skrivebeskyttet", " · read-only")
    } else {
        ""
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(format!(
                "· {} · {}{read_only} · ",
                v.record.model_id,
                v.record.status.label(lang)
            )),
            Span::raw(tr!(
                lang,
                "{} af {} ({pct} %)",
                "{} of {} ({pct}%)",
                summary.done,
                summary.total
            )),
        ])),
        head,
    );
    let left_width = if wide { 40 } else { 27 };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(main);

    // the themes, with progress
    let themes: Vec<ListItem<'_>> = v
        .model
        .themes
        .iter()
        .zip(&summary.themes)
        .map(|(t, s)| {
            let name_width = left_width as usize - 10;
            let text = format!(
                "{} {:<w$} {}/{}",
                t.number,
                one_line(&t.title.da, name_width),
                s.done,
                s.total,
                w = name_width
            );
            let style = if s.done == s.total {
                p.fg(Color::Green)
            } else {
                Style::default()
            };
            ListItem::new(Line::styled(text, style))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.assessment.theme));
    frame.render_stateful_widget(
        List::new(themes)
            .block(Block::bordered().title(format!(" {} ", title(levels.theme.many(lang)))))
            .highlight_style(p.selected()),
        left,
        &mut state,
    );

    // the current theme's criteria and indicators
    let theme = &v.model.themes[app.assessment.theme.min(v.model.themes.len() - 1)];
    // inside the border: "  6a  [4]  *" takes 12 cells before the text
    let text_width = right.width.saturating_sub(2 + 12) as usize;
    let mut items = Vec::new();
    let mut selected_item = 0;
    let mut n = 0;
    for c in &theme.criteria {
        let mean = summary
            .themes
            .iter()
            .flat_map(|t| &t.criteria)
            .find(|k| k.id == c.id)
            .and_then(|k| k.mean);
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{:<4}{}", c.id, c.text.wording.mark()), p.bold()),
            Span::styled(one_line(&c.text.da, text_width.saturating_sub(1)), p.bold()),
            Span::raw(format!("  {}", lang.mean(mean))),
        ])));
        for i in &c.indicators {
            let score = v.scores.get(&i.id);
            let value = match score.map(|s| s.value) {
                Some(ScoreValue::Scored(x)) => format!("[{x}]"),
                Some(ScoreValue::NotRelevant) => lang.pick("[ir]", "[nr]").to_string(),
                None => "[ ]".to_string(),
            };
            // ↻: carried over from last year and not yet re-assessed
            let carried = if score.is_some_and(|s| s.carried_over) {
                "↻"
            } else {
                " "
            };
            let first = vec![
                Span::raw(format!("  {:<4}", i.id)),
                Span::styled(
                    format!("{value:<4}"),
                    p.score(score.map(|s| s.value), rules),
                ),
                Span::styled(carried, p.fg(Color::Magenta)),
                Span::raw(i.text.wording.mark()),
                Span::raw(one_line(&i.text.da, text_width)),
            ];
            let mut lines = vec![Line::from(first)];
            if let Some(s) = score.filter(|s| !s.reasoning.trim().is_empty()) {
                lines.push(Line::styled(
                    format!("           {}", one_line(&s.reasoning, text_width)),
                    p.dim(),
                ));
            }
            if n == app.assessment.sel {
                selected_item = items.len();
            }
            items.push(ListItem::new(lines));
            n += 1;
        }
    }
    let title = format!(
        " {} {}: {} ",
        title(levels.theme.one(lang)),
        theme.number,
        safe(&theme.title.da)
    );
    let mut state = ListState::default().with_selected(Some(selected_item));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::bordered().title(title))
            .highlight_style(p.selected()),
        right,
        &mut state,
    );

    super::super::detail::detail_pane(frame, app, detail, p);
}
