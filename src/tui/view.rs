//! Drawing the state: a side-effect-free function of `App`. Every user text is made
//! safe for the terminal before it is drawn; colours only where NO_COLOR is not set.

use super::app::{App, EditKind, GapRow, Overlay, Screen, StatusKind, gap_rows};
use super::data::HomeRow;
use super::keys;
use crate::assessment::{self, ScoreValue, Status};
use crate::model::Wording;
use crate::text::{bar, for_terminal, one_line, spark};
use crate::tr;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

/// The smallest terminal the screens are laid out for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

struct Palette {
    colors: bool,
}

impl Palette {
    fn fg(&self, c: Color) -> Style {
        if self.colors {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    fn dim(&self) -> Style {
        if self.colors {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    fn score(&self, v: Option<ScoreValue>) -> Style {
        match v {
            Some(ScoreValue::Scored(1 | 2)) => self.fg(Color::Red),
            Some(ScoreValue::Scored(3)) => self.fg(Color::Yellow),
            Some(ScoreValue::Scored(_)) => self.fg(Color::Green),
            _ => self.dim(),
        }
    }
}

fn safe(s: &str) -> String {
    for_terminal(s, false).into_owned()
}

/// Draws the whole screen.
pub fn view(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let p = Palette { colors: app.colors };
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = tr!(
            app.lang,
            "Forstør terminalen: mindst {}×{} tegn (nu {}×{})",
            "Enlarge the terminal: at least {}×{} characters (now {}×{})",
            MIN_SIZE.0,
            MIN_SIZE.1,
            area.width,
            area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [body, status, hints] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    match app.screen {
        Screen::Home => home(frame, app, body, &p),
        Screen::Assessment => assessment(frame, app, body, &p),
        Screen::Overview => overview(frame, app, body, &p),
        Screen::Gaps => gaps(frame, app, body, &p),
        Screen::Compare => compare(frame, app, body, &p),
    }
    if let Some(s) = app.status.as_ref().filter(|s| s.screen == app.screen) {
        let style = match s.kind {
            StatusKind::Saved => p.fg(Color::Green),
            StatusKind::Info => Style::default(),
            StatusKind::Error => p.fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        frame.render_widget(Paragraph::new(Line::styled(safe(&s.text), style)), status);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            keys::hints(app.key_table(), app.lang, hints.width as usize),
            p.dim(),
        )),
        hints,
    );
    overlay(frame, app, area, &p);
}

fn home(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let title = tr!(
        lang,
        " tilsynsklar · tilbud og vurderinger ",
        " tilsynsklar · facilities and assessments "
    );
    let block = Block::bordered().title(Line::styled(title, p.bold()));
    if app.home.is_empty() {
        let lines = vec![
            Line::from(""),
            Line::styled(
                tr!(
                    lang,
                    "Databasen har endnu ingen tilbud.",
                    "The database holds no facilities yet."
                ),
                p.bold(),
            ),
            Line::from(""),
            Line::from(tr!(
                lang,
                "Tryk a for at tilføje dit tilbud; derefter n for årets selvevaluering.",
                "Press a to add your facility; then n for this year's self-evaluation."
            )),
            Line::from(tr!(
                lang,
                "Vil du først se programmet med eksempeldata? Tryk d for en demodatabase (din egen røres ikke).",
                "Want to see the program with example data first? Press d for a demo database (yours is not touched)."
            )),
            Line::from(tr!(
                lang,
                "Tryk ? for alle taster.",
                "Press ? for every key."
            )),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    // only the rows that fit are built: a nation's home list has tens of thousands
    let visible = area.height.saturating_sub(2) as usize;
    let offset = app
        .home_sel
        .saturating_sub(visible / 2)
        .min(app.home.len().saturating_sub(visible));
    let items: Vec<ListItem<'_>> = app
        .home
        .iter()
        .skip(offset)
        .take(visible)
        .map(|row| match row {
            HomeRow::Facility(f) => {
                let details: Vec<String> = [&f.organisation, &f.location, &f.facility_type]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| safe(s))
                    .collect();
                ListItem::new(Line::from(vec![
                    Span::styled(safe(&f.name), p.bold()),
                    Span::styled(
                        if details.is_empty() {
                            String::new()
                        } else {
                            format!("  {}", details.join(" · "))
                        },
                        p.dim(),
                    ),
                ]))
            }
            HomeRow::Assessment { record, summary } => {
                let status = record.status.label(lang);
                let (pct, profile, overall) = match summary {
                    Some(s) => (
                        format!("{:>3} %", (s.done * 100).checked_div(s.total).unwrap_or(0)),
                        spark(&s.theme_means),
                        lang.mean(s.overall),
                    ),
                    None => ("  … ".to_string(), "…".to_string(), "…".to_string()),
                };
                ListItem::new(Line::from(vec![
                    Span::raw(format!("   {}  ", record.year)),
                    Span::styled(
                        format!("{status:<10}"),
                        if record.status == Status::Finalised {
                            p.fg(Color::Green)
                        } else {
                            Style::default()
                        },
                    ),
                    Span::raw(format!("{pct}  ")),
                    Span::styled(format!("{profile:<7}"), p.fg(Color::Cyan)),
                    Span::raw(format!("  {overall:<3}  ")),
                    Span::styled(record.model_id.clone(), p.dim()),
                ]))
            }
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.home_sel - offset));
    frame.render_stateful_widget(
        List::new(items).block(block).highlight_style(p.selected()),
        area,
        &mut state,
    );
}

fn assessment(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.view else { return };
    let summary = v.summary();
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
    let mut state = ListState::default().with_selected(Some(app.theme));
    frame.render_stateful_widget(
        List::new(themes)
            .block(Block::bordered().title(lang.pick(" Temaer ", " Themes ")))
            .highlight_style(p.selected()),
        left,
        &mut state,
    );

    // the current theme's criteria and indicators
    let theme = &v.model.themes[app.theme.min(v.model.themes.len() - 1)];
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
                Span::styled(format!("{value:<4}"), p.score(score.map(|s| s.value))),
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
            if n == app.sel {
                selected_item = items.len();
            }
            items.push(ListItem::new(lines));
            n += 1;
        }
    }
    let title = format!(
        " {} {}: {} ",
        lang.pick("Tema", "Theme"),
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

    // the selected indicator in full, the scale, and last year
    let Some(ind) = app.selected() else { return };
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
    // "I meget høj grad opfyldt" → "meget høj", "Met to a very high degree" → "very
    // high": the rest is the same on every step
    let scale: Vec<String> = v
        .model
        .scale
        .iter()
        .rev()
        .map(|s| {
            let label = match lang {
                crate::i18n::Lang::En if !s.label.en.is_empty() => s
                    .label
                    .en
                    .trim_start_matches("Met ")
                    .trim_start_matches("to ")
                    .trim_start_matches("a ")
                    .trim_end_matches(" degree"),
                _ => s
                    .label
                    .da
                    .trim_start_matches("I ")
                    .trim_end_matches(" opfyldt")
                    .trim_end_matches(" grad"),
            };
            format!("{} {}", s.value, safe(label))
        })
        .collect();
    lines.push(Line::styled(
        format!(
            "{}: {} {}",
            lang.pick("Skala", "Scale"),
            scale.join(" · "),
            lang.pick("(grad opfyldt)", "(degree met)")
        ),
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
    let scroll = if app.detail_scroll.0 == ind.id {
        app.detail_scroll.1
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

fn overview(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.view else { return };
    let s = v.summary();
    let [head, charts, checks] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 34 { 18 } else { 12 }),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(tr!(
                lang,
                "· oversigt · {} af {} scoret · samlet gennemsnit {}",
                "· overview · {} of {} scored · overall mean {}",
                s.done,
                s.total,
                lang.mean(s.overall_mean)
            )),
        ])),
        head,
    );
    let [bars_area, radar_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(charts);
    let bar_width = (bars_area.width as usize).saturating_sub(34).clamp(5, 30);
    let mut lines = Vec::new();
    for (t, theme) in s.themes.iter().zip(&v.model.themes) {
        let style = match t.mean {
            Some(m) if m < 3.0 => p.fg(Color::Red),
            Some(m) if m < 4.0 => p.fg(Color::Yellow),
            Some(_) => p.fg(Color::Green),
            None => p.dim(),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{} {:<22} ",
                t.number,
                one_line(&theme.title.da, 22)
            )),
            Span::styled(bar(t.mean, bar_width), style),
            Span::raw(format!(" {}", lang.mean(t.mean))),
        ]));
    }
    lines.push(Line::from(""));
    let crits: Vec<String> = s
        .themes
        .iter()
        .flat_map(|t| &t.criteria)
        .map(|c| format!("{} {}", c.id, lang.mean(c.mean)))
        .collect();
    lines.push(Line::styled(
        format!(
            "{}: {}",
            lang.pick("Kriterier", "Criteria"),
            crits.join(" · ")
        ),
        p.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered().title(lang.pick(" Temagennemsnit (0–5) ", " Theme means (0–5) ")),
        ),
        bars_area,
    );
    radar(
        frame,
        radar_area,
        &s.themes
            .iter()
            .map(|t| (t.number, t.mean))
            .collect::<Vec<_>>(),
        lang,
        p,
    );

    // what still stands between the assessment and its sign-off, and the warnings
    let issues = assessment::quality_checks(&v.model, &v.score_list());
    let mut lines = Vec::new();
    let blocking: Vec<_> = issues
        .iter()
        .filter(|i| i.kind.blocks_finalising())
        .collect();
    if v.record.status == Status::Finalised {
        let by = v
            .record
            .finalised_by
            .as_deref()
            .map(safe)
            .unwrap_or_default();
        lines.push(Line::styled(
            tr!(
                lang,
                "Afsluttet af {by}. Vurderingen kan kun læses.",
                "Finalised by {by}. The assessment is read-only."
            ),
            p.fg(Color::Green),
        ));
    } else if blocking.is_empty() {
        lines.push(Line::styled(
            lang.pick(
                "Alle indikatorer er vurderet: tryk f for at afslutte.",
                "Every indicator is assessed: press f to finalise.",
            ),
            p.fg(Color::Green),
        ));
    } else {
        lines.push(Line::styled(
            tr!(
                lang,
                "{} indikator(er) mangler før afslutning:",
                "{} indicator(s) missing before sign-off:",
                blocking.len()
            ),
            p.fg(Color::Red),
        ));
    }
    if let (Some(py), false) = (&v.previous, v.follow_up.is_empty()) {
        lines.insert(
            0,
            Line::styled(
                tr!(
                    lang,
                    "Huller fra {}: {}",
                    "Gaps from {}: {}",
                    py.record.year,
                    assessment::follow_up_line(&v.follow_up, lang)
                ),
                p.fg(Color::Cyan),
            ),
        );
    }
    for i in &issues {
        let style = if i.kind.blocks_finalising() {
            Style::default()
        } else {
            p.fg(Color::Yellow)
        };
        lines.push(Line::styled(
            format!("  {:<4} {}", i.indicator_id, i.kind.label(lang)),
            style,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((app.overview_scroll, 0))
            .block(Block::bordered().title(lang.pick(" Kvalitetstjek ", " Quality checks "))),
        checks,
    );
}

/// A background colour for a mean on the heat map, from red (low) to green (high).
fn heat(p: &Palette, v: Option<f64>) -> Style {
    if !p.colors {
        return Style::default();
    }
    let bg = match v {
        None => return Style::default(),
        Some(m) if m < 2.0 => Color::Rgb(248, 105, 107),
        Some(m) if m < 3.0 => Color::Rgb(251, 170, 119),
        Some(m) if m < 3.5 => Color::Rgb(255, 235, 132),
        Some(m) if m < 4.0 => Color::Rgb(205, 221, 130),
        Some(m) if m < 4.5 => Color::Rgb(152, 206, 127),
        Some(_) => Color::Rgb(99, 190, 123),
    };
    Style::default().bg(bg).fg(Color::Black)
}

fn compare(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(c) = &app.compare else { return };
    let year = c.years[c.year];
    let [head, top, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(c.themes.len() as u16 + 3),
        Constraint::Min(4),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{} ", safe(&c.facility)), p.bold()),
            Span::raw(tr!(
                lang,
                "· {}–{} · temaer efter {}",
                "· {}–{} · themes as in {}",
                c.years[0],
                c.years[c.years.len() - 1],
                c.model_id
            )),
        ])),
        head,
    );
    // bars for the chosen year, a sparkline over the years
    let bar_width = (top.width as usize).saturating_sub(48).clamp(8, 40);
    let lines: Vec<Line<'_>> = c
        .themes
        .iter()
        .zip(&c.means)
        .map(|((n, title), means)| {
            let now = means[c.year];
            Line::from(vec![
                Span::raw(format!("{n} {:<24} ", one_line(title, 24))),
                Span::styled(bar(now, bar_width), p.fg(Color::Cyan)),
                Span::raw(format!(" {:>4}  ", lang.mean(now))),
                Span::styled(spark(means), p.fg(Color::Magenta)),
            ])
        })
        .collect();
    let title = tr!(
        lang,
        " {year} (←→ skifter år) · udvikling {}–{} ",
        " {year} (←→ changes year) · trend {}–{} ",
        c.years[0],
        c.years[c.years.len() - 1]
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        top,
    );
    // the region's heat map for that year
    let m = &c.matrix;
    let mut header = vec![Span::raw(format!(
        "{:<4}{:<26}",
        "#",
        lang.pick("Tilbud", "Facility")
    ))];
    header.extend(c.themes.iter().map(|(n, _)| Span::raw(format!(" T{n:<3}"))));
    header.push(Span::raw(format!(" {}", lang.pick("Samlet", "All"))));
    let mut rows: Vec<Line<'_>> = vec![Line::from(header).style(p.bold())];
    for (i, r) in m.rows.iter().enumerate().skip(app.compare_scroll) {
        let mut spans = vec![Span::styled(
            format!("{:<4}{:<26}", i + 1, one_line(&r.facility, 25)),
            if r.facility == c.facility {
                p.bold().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            },
        )];
        spans.extend(
            r.theme_means
                .iter()
                .map(|v| Span::styled(format!(" {:>4}", lang.mean(*v)), heat(p, *v))),
        );
        spans.push(Span::raw(format!(" {:>5}", lang.mean(r.overall))));
        rows.push(Line::from(spans));
    }
    let mut stat = vec![Span::styled(
        format!("{:<30}", lang.pick("    Gennemsnit", "    Mean")),
        p.dim(),
    )];
    stat.extend(
        m.stats
            .iter()
            .map(|s| Span::styled(format!(" {:>4}", lang.mean(s.mean)), p.dim())),
    );
    rows.insert(1, Line::from(stat));
    let title = tr!(
        lang,
        " Alle tilbud {year}: {} · rangeret efter samlet gennemsnit ",
        " Every facility {year}: {} · ranked by overall mean ",
        m.rows.len()
    );
    frame.render_widget(
        Paragraph::new(rows).block(Block::bordered().title(title)),
        bottom,
    );
}

fn gaps(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let Some(v) = &app.view else { return };
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{} · {} ", safe(&v.record.facility), v.record.year),
                p.bold(),
            ),
            Span::raw(tr!(
                lang,
                "· huller → handleplaner → udviklingspunkter",
                "· gaps → action plans → improvement actions"
            )),
        ])),
        head,
    );
    let width = list.width.saturating_sub(4) as usize;
    let rows = gap_rows(v);
    let mut shown: Vec<(String, String)> = Vec::new();
    let action_item = |x: &crate::assessment::ImprovementAction| {
        let mut meta = Vec::new();
        if !x.owner.is_empty() {
            meta.push(safe(&x.owner));
        }
        if let Some(d) = x.due {
            meta.push(lang.date(d));
        }
        let plan = x
            .action_plan
            .as_deref()
            .map(|p| format!(" → {}", safe(p)))
            .unwrap_or_default();
        let text = format!(
            "    #{} [{}] {}{plan} {}",
            x.id,
            x.status.label(lang),
            safe(&x.text),
            if meta.is_empty() {
                String::new()
            } else {
                format!("({})", meta.join(", "))
            }
        );
        ListItem::new(Line::styled(
            one_line(&text, width),
            if x.status.is_open() {
                Style::default()
            } else {
                p.dim()
            },
        ))
    };
    let items: Vec<ListItem<'_>> = rows
        .iter()
        .map(|row| match *row {
            GapRow::Finding(i) => {
                let e = &v.gaps[i];
                let f = &e.finding;
                if f.level == assessment::Level::Theme {
                    shown.clear();
                }
                let indent = match f.level {
                    assessment::Level::Theme => "",
                    assessment::Level::Criterion => " ",
                    assessment::Level::Indicator => "  ",
                };
                let value = f.value_text(lang);
                let title = v.model.node_text(&f.node_id).map(|t| t.official().to_string()).unwrap_or_default();
                let style = match f.kind {
                    assessment::GapKind::Gap => p.fg(Color::Red),
                    _ => p.fg(Color::Yellow),
                };
                let mut lines = vec![Line::from(vec![
                    Span::styled(format!("{indent}{} [{value} {}] ", f.node_id, f.kind.label(lang)), style),
                    Span::raw(one_line(&title, width.saturating_sub(24))),
                ])];
                if f.kind != assessment::GapKind::Watch {
                    let new: Vec<_> = e.plans.iter().filter(|pl| !shown.contains(&(pl.via.clone(), pl.target_id.clone()))).collect();
                    if e.plans.is_empty() && f.level == assessment::Level::Indicator {
                        lines.push(Line::styled(
                            format!("{indent}  {}", lang.pick("Ingen handleplan i strategien: a tilføjer et lokalt udviklingspunkt", "No action plan in the strategy: a adds a local action")),
                            p.dim(),
                        ));
                    }
                    for pl in new {
                        shown.push((pl.via.clone(), pl.target_id.clone()));
                        let text = format!("{indent}  → {} ({}, via {}) {}", safe(&pl.target_id), pl.basis.label(lang), pl.via, safe(&pl.text));
                        lines.push(Line::styled(one_line(&text, width), p.fg(Color::Cyan)));
                    }
                }
                ListItem::new(lines)
            }
            GapRow::Action(i, k) => action_item(&v.gaps[i].actions[k]),
            GapRow::Other(k) => action_item(&v.actions[k]),
            GapRow::LastYear(k) => match &v.previous {
                Some(py) => {
                    let x = &py.actions[k];
                    let text = tr!(
                        lang,
                        "  ↩ fra {}: #{} [{}] {}",
                        "  ↩ from {}: #{} [{}] {}",
                        py.record.year,
                        x.id,
                        x.status.label(lang),
                        safe(&x.text)
                    );
                    ListItem::new(Line::styled(one_line(&text, width), p.fg(Color::Cyan)))
                }
                None => ListItem::new(""),
            },
        })
        .collect();
    let title = if items.is_empty() {
        lang.pick(" Ingen huller efter reglerne ", " No gaps by the rules ")
    } else {
        lang.pick(" Huller ", " Gaps ")
    };
    let mut state = ListState::default()
        .with_selected((!rows.is_empty()).then(|| app.gap_sel.min(rows.len() - 1)));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::bordered().title(title))
            .highlight_style(p.selected()),
        list,
        &mut state,
    );
}

/// The supervision authority's "spindelvæv": one spoke per theme, rings at 1–5, and the
/// polygon of the theme means (a theme without a mean sits at the centre).
fn radar(
    frame: &mut Frame<'_>,
    area: Rect,
    means: &[(u32, Option<f64>)],
    lang: crate::i18n::Lang,
    p: &Palette,
) {
    let n = means.len().max(3);
    let point = |i: usize, r: f64| {
        let angle = std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * i as f64 / n as f64;
        (r * angle.cos(), r * angle.sin())
    };
    let ring_color = if p.colors {
        Color::DarkGray
    } else {
        Color::Reset
    };
    let data_color = if p.colors { Color::Cyan } else { Color::Reset };
    let canvas = Canvas::default()
        .block(Block::bordered().title(lang.pick(" Spindelvæv ", " Radar ")))
        .marker(Marker::Braille)
        .x_bounds([-1.35, 1.35])
        .y_bounds([-1.2, 1.2])
        .paint(move |ctx| {
            for ring in [1.0, 3.0, 5.0] {
                for i in 0..n {
                    let (x1, y1) = point(i, ring / 5.0);
                    let (x2, y2) = point((i + 1) % n, ring / 5.0);
                    ctx.draw(&CanvasLine {
                        x1,
                        y1,
                        x2,
                        y2,
                        color: ring_color,
                    });
                }
            }
            for i in 0..n {
                let (x, y) = point(i, 1.0);
                ctx.draw(&CanvasLine {
                    x1: 0.0,
                    y1: 0.0,
                    x2: x,
                    y2: y,
                    color: ring_color,
                });
            }
            ctx.layer();
            let r = |i: usize| means.get(i).and_then(|m| m.1).unwrap_or(0.0) / 5.0;
            for i in 0..means.len() {
                let (x1, y1) = point(i, r(i));
                let (x2, y2) = point((i + 1) % means.len(), r((i + 1) % means.len()));
                ctx.draw(&CanvasLine {
                    x1,
                    y1,
                    x2,
                    y2,
                    color: data_color,
                });
            }
            for (i, (number, _)) in means.iter().enumerate() {
                let (x, y) = point(i, 1.15);
                ctx.print(x - 0.05, y - 0.05, number.to_string());
            }
        });
    frame.render_widget(canvas, area);
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(r);
    r
}

fn overlay(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => {
            let rows = keys::help_lines(app.key_table(), lang);
            let mut lines: Vec<Line<'_>> = rows
                .iter()
                .map(|(k, t)| {
                    Line::from(vec![
                        Span::styled(format!("{k:<12}"), p.bold()),
                        Span::raw(t.clone()),
                    ])
                })
                .collect();
            lines.push(Line::styled(
                lang.pick(
                    "Alt gemmes, så snart det er indtastet. Tryk en tast for at lukke.",
                    "Everything is saved the moment it is entered. Press a key to close.",
                ),
                p.dim(),
            ));
            let r = popup(area, 72, lines.len() as u16 + 2);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(lang.pick(" Taster ", " Keys "))),
                r,
            );
        }
        Overlay::Message(lines) => {
            let text: Vec<Line<'_>> = lines.iter().map(|l| Line::raw(safe(l))).collect();
            let r = popup(area, 70, (text.len() as u16 + 3).min(area.height - 2));
            frame.render_widget(Clear, r);
            let footer = Line::styled(lang.pick(" Tryk en tast ", " Press a key "), p.dim());
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title_bottom(footer)),
                r,
            );
        }
        Overlay::PersonalData {
            input,
            kinds,
            refused,
        } => {
            // room for the message to wrap: the key line must stay visible
            let r = popup(area, 72, 9);
            frame.render_widget(Clear, r);
            let found = crate::assessment::describe_identifiers(kinds, lang);
            let text = vec![
                Line::raw(tr!(
                    lang,
                    "Teksten til {} indeholder {found}.",
                    "The text of {} holds {found}.",
                    safe(&input.indicator_id)
                )),
                Line::styled(
                    if *refused {
                        lang.pick(
                            "Personoplysninger afvises i denne database; teksten er ikke gemt.",
                            "Personal data is refused in this database; the text is not saved.",
                        )
                    } else {
                        lang.pick(
                            "Teksten er gemt. Personoplysninger hører ikke hjemme i en selvevaluering.",
                            "The text is saved. Personal data does not belong in a self-assessment.",
                        )
                    },
                    p.dim(),
                ),
                Line::raw(""),
                Line::styled(
                    if *refused {
                        lang.pick(
                            "m maskér og gem · anden tast tilbage til teksten",
                            "m mask and save · any other key back to the text",
                        )
                    } else {
                        lang.pick(
                            "m maskér · anden tast behold",
                            "m mask · any other key keeps it",
                        )
                    },
                    p.bold(),
                ),
            ];
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: false }).block(
                    Block::bordered().title(lang.pick(" Personoplysninger ", " Personal data ")),
                ),
                r,
            );
        }
        Overlay::Confirm { question, .. } => {
            let r = popup(area, 64, 6);
            frame.render_widget(Clear, r);
            let text = vec![
                Line::raw(safe(question)),
                Line::raw(""),
                Line::styled(
                    lang.pick(
                        "y/Enter ja · Esc eller anden tast fortryder",
                        "y/Enter yes · Esc or any other key cancels",
                    ),
                    p.bold(),
                ),
            ];
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(lang.pick(" Bekræft ", " Confirm "))),
                r,
            );
        }
        Overlay::ConfirmFinalise => {
            let r = popup(area, 64, 5);
            frame.render_widget(Clear, r);
            let text = vec![
                Line::raw(tr!(
                    lang,
                    "Afslut vurderingen som {}?",
                    "Finalise the assessment as {}?",
                    safe(&app.user)
                )),
                Line::styled(
                    lang.pick(
                        "Derefter kan den kun ændres ved at genåbne den.",
                        "After that it can only change by reopening it.",
                    ),
                    p.dim(),
                ),
                Line::styled(
                    lang.pick(
                        "y/Enter afslut · Esc eller anden tast fortryder",
                        "y/Enter finalise · Esc or any other key cancels",
                    ),
                    p.bold(),
                ),
            ];
            frame.render_widget(
                Paragraph::new(text)
                    .block(Block::bordered().title(lang.pick(" Afslut ", " Finalise "))),
                r,
            );
        }
        Overlay::Editor(editor) => {
            let (title, height) = match editor.kind {
                EditKind::Reasoning => (
                    tr!(
                        lang,
                        " Begrundelse for {} ",
                        " Reasoning for {} ",
                        editor.indicator
                    ),
                    12,
                ),
                EditKind::Sources => (
                    tr!(
                        lang,
                        " Datakilder for {} (én pr. linje) ",
                        " Data sources for {} (one per line) ",
                        editor.indicator
                    ),
                    10,
                ),
                EditKind::NotRelevantReason => (
                    tr!(
                        lang,
                        " Hvorfor er {} ikke relevant? ",
                        " Why is {} not relevant? ",
                        editor.indicator
                    ),
                    8,
                ),
                EditKind::Search => (
                    lang.pick(" Søg i indikatorer ", " Search indicators ")
                        .to_string(),
                    3,
                ),
                EditKind::DropReason(id) => (
                    tr!(lang, " Hvorfor opgives #{id}? ", " Why is #{id} dropped? "),
                    6,
                ),
            };
            let footer = match editor.kind {
                EditKind::Search => {
                    lang.pick(" Enter søg · Esc luk ", " Enter search · Esc close ")
                }
                EditKind::Reasoning | EditKind::Sources => lang.pick(
                    " Esc eller Ctrl-S gemmer · Ctrl-←→ ord · Ctrl-U slet linje ",
                    " Esc or Ctrl-S saves · Ctrl-←→ word · Ctrl-U clear line ",
                ),
                EditKind::NotRelevantReason | EditKind::DropReason(_) => lang.pick(
                    " Enter gemmer · Esc fortryder ",
                    " Enter saves · Esc cancels ",
                ),
            };
            let r = popup(area, 72, height);
            frame.render_widget(Clear, r);
            let mut area_widget = editor.area.clone();
            area_widget.set_block(
                Block::bordered()
                    .title(title)
                    .title_bottom(Line::styled(footer, p.dim())),
            );
            area_widget.set_cursor_line_style(Style::default());
            frame.render_widget(&area_widget, r);
        }
        Overlay::Form(form) => {
            let labels = form.labels();
            let r = popup(area, 66, labels.len() as u16 * 3 + 3);
            frame.render_widget(Clear, r);
            let block = Block::bordered()
                .title(match &form.kind {
                    super::app::FormKind::Facility => {
                        lang.pick(" Nyt tilbud ", " New facility ").to_string()
                    }
                    super::app::FormKind::Action { indicators } => {
                        tr!(
                            lang,
                            " Nyt udviklingspunkt for {} ",
                            " New improvement action for {} ",
                            indicators.join(", ")
                        )
                    }
                })
                .title_bottom(Line::styled(
                    lang.pick(
                        " Tab næste · Enter på sidste felt eller Ctrl-S gemmer · Esc fortryd ",
                        " Tab next · Enter on the last field or Ctrl-S saves · Esc cancels ",
                    ),
                    p.dim(),
                ));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let rows = Layout::vertical(labels.iter().map(|_| Constraint::Length(3))).split(inner);
            for (i, (field, label)) in form.fields.iter().zip(labels).enumerate() {
                let mut w = field.clone();
                let style = if i == form.focus { p.bold() } else { p.dim() };
                w.set_block(
                    Block::bordered().title(Line::styled(lang.pick(label.0, label.1), style)),
                );
                w.set_cursor_line_style(Style::default());
                if i != form.focus {
                    w.set_cursor_style(Style::default());
                }
                frame.render_widget(&w, rows[i]);
            }
        }
        Overlay::NewAssessment(form) => {
            let r = popup(area, 64, 9);
            frame.render_widget(Clear, r);
            let block = Block::bordered().title(tr!(
                lang,
                " Ny vurdering: {} ",
                " New assessment: {} ",
                safe(&form.facility.name)
            ));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let [year, roll, help] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(2),
                Constraint::Length(2),
            ])
            .areas(inner);
            let mut w = form.year.clone();
            w.set_block(Block::bordered().title(lang.pick("År", "Year")));
            frame.render_widget(&w, year);
            let roll_text = match form.previous_year {
                Some(y) => tr!(
                    lang,
                    "[{}] Start fra {y}-vurderingen (Mellemrum skifter); overførte scorer markeres \"ikke genvurderet\"",
                    "[{}] Start from the {y} assessment (Space toggles); carried scores are marked \"not re-assessed\"",
                    if form.roll_forward { "x" } else { " " }
                ),
                None => lang
                    .pick(
                        "Ingen tidligere vurdering: der startes forfra.",
                        "No earlier assessment: starting afresh.",
                    )
                    .to_string(),
            };
            frame.render_widget(Paragraph::new(roll_text).wrap(Wrap { trim: false }), roll);
            frame.render_widget(
                Paragraph::new(Line::styled(
                    lang.pick("Enter start · Esc fortryd", "Enter start · Esc cancel"),
                    p.dim(),
                )),
                help,
            );
        }
    }
    let _ = Text::raw("");
}
