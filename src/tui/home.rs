//! The home screen: the facilities and their assessments; its keys and its drawing.

pub mod key_table;

use super::app::*;
use super::data::HomeRow;
use super::keys::{Action, Binding, HOME};
use super::view::{Palette, safe};
use crate::app::home::Facility;
use crate::assessment::Status;
use crate::text::spark;
use crate::tr;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

/// The home screen's hint bar while the database holds no facility: nothing can be
/// opened or assessed yet, so it offers adding a facility and the demo database.
pub const HOME_EMPTY: &[Binding] = &[
    HOME[2],
    Binding {
        hint: true,
        ..HOME[5]
    },
    HOME[10],
    HOME[11],
    HOME[12],
];

/// The home screen's own state: the facilities and their assessments as rows, and the
/// selected row.
#[derive(Clone, Default)]
pub struct HomeScreen {
    pub rows: Vec<HomeRow>,
    pub sel: usize,
}

impl HomeScreen {
    /// The rows, with the first assessment selected.
    pub fn new(rows: Vec<HomeRow>) -> HomeScreen {
        let sel = rows
            .iter()
            .position(|r| matches!(r, HomeRow::Assessment { .. }))
            .unwrap_or(0);
        HomeScreen { rows, sel }
    }

    /// The facility of the selected row: the row itself or the nearest above it.
    pub fn facility_above(&self) -> Option<&Facility> {
        let end = (self.sel + 1).min(self.rows.len());
        self.rows[..end].iter().rev().find_map(|r| match r {
            HomeRow::Facility(f) => Some(f),
            _ => None,
        })
    }

    /// The framework of the selected assessment row (`None` on a facility row: the
    /// quality model's): the Compare screen compares within it.
    pub fn selected_framework(&self) -> Option<String> {
        match self.rows.get(self.sel)? {
            HomeRow::Assessment { framework, .. } => Some(framework.to_string()),
            _ => None,
        }
    }

    /// Replaces the rows, keeping the selection in range.
    pub fn set_rows(&mut self, rows: Vec<HomeRow>) {
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
    }
}

impl App {
    /// The bindings the hint bar offers on the screen in front.
    pub fn hint_table(&self) -> &'static [Binding] {
        let no_facility = !self
            .home
            .rows
            .iter()
            .any(|r| matches!(r, HomeRow::Facility(_)));
        if self.screen == Screen::Home && no_facility {
            HOME_EMPTY
        } else {
            self.key_table()
        }
    }
}

pub(super) fn home_action(app: &mut App, action: Action) -> Option<Effect> {
    let last = app.home.rows.len().saturating_sub(1);
    let moved = |app: &App| {
        super::data::needs_summaries(&app.home.rows, app.home.sel).then_some(Effect::FillHome)
    };
    match action {
        Action::Back => app.quit = true,
        Action::Down => {
            app.home.sel = (app.home.sel + 1).min(last);
            return moved(app);
        }
        Action::Up => {
            app.home.sel = app.home.sel.saturating_sub(1);
            return moved(app);
        }
        Action::Top => {
            app.home.sel = 0;
            return moved(app);
        }
        Action::Bottom => {
            app.home.sel = last;
            return moved(app);
        }
        Action::AddFacility => {
            return Some(Effect::FacilityForm(None));
        }
        Action::EditFacility => match app.home.facility_above().map(|f| f.id) {
            Some(id) => return Some(Effect::FacilityForm(Some(id))),
            None => app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Tilføj først et tilbud med a",
                    "First add a facility with a"
                ),
            ),
        },
        Action::Open => match app.home.rows.get(app.home.sel) {
            Some(HomeRow::Assessment { record, .. }) => return Some(Effect::Open(record.id)),
            Some(HomeRow::Facility(_)) => match app.home.rows.get(app.home.sel + 1) {
                Some(HomeRow::Assessment { record, .. }) => return Some(Effect::Open(record.id)),
                _ => return home_action(app, Action::NewAssessment),
            },
            None => app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Tilføj først et tilbud med a",
                    "First add a facility with a"
                ),
            ),
        },
        Action::OpenDemo => return Some(Effect::OpenDemo),
        Action::Compare => match app.home.facility_above().map(|f| f.id) {
            Some(id) => {
                return Some(Effect::OpenCompare {
                    facility_id: id,
                    year: None,
                    framework: app.home.selected_framework(),
                });
            }
            None => app.say(
                StatusKind::Info,
                tr!(
                    app.lang,
                    "Tilføj først et tilbud med a",
                    "First add a facility with a"
                ),
            ),
        },
        Action::NewAssessment => {
            let Some(facility) = app.home.facility_above().cloned() else {
                app.say(
                    StatusKind::Info,
                    tr!(
                        app.lang,
                        "Tilføj først et tilbud med a",
                        "First add a facility with a"
                    ),
                );
                return None;
            };
            let earlier: Vec<(String, i32)> = app
                .home
                .rows
                .iter()
                .filter_map(|r| match r {
                    HomeRow::Assessment {
                        record, framework, ..
                    } if record.facility_id == facility.id => {
                        Some((framework.to_string(), record.year))
                    }
                    _ => None,
                })
                .collect();
            let years: Vec<i32> = earlier.iter().map(|(_, y)| *y).collect();
            let year = if years.contains(&app.this_year) {
                years.iter().max().map_or(app.this_year, |y| y + 1)
            } else {
                app.this_year
            };
            let mut form = NewAssessmentForm {
                facility,
                year: text_area(&year.to_string()),
                previous_year: None,
                roll_forward: false,
                models: Vec::new(),
                model_frameworks: Vec::new(),
                model: 0,
                earlier,
            };
            form.refresh();
            app.overlay = Overlay::NewAssessment(Box::new(form));
        }
        _ => {}
    }
    None
}

pub(super) fn home(frame: &mut Frame<'_>, app: &App, area: Rect, p: &Palette) {
    let lang = app.lang;
    let title = tr!(
        lang,
        " tilsynsklar · tilbud og vurderinger ",
        " tilsynsklar · facilities and assessments "
    );
    let block = Block::bordered().title(Line::styled(title, p.bold()));
    if app.home.rows.is_empty() {
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
        .home
        .sel
        .saturating_sub(visible / 2)
        .min(app.home.rows.len().saturating_sub(visible));
    let items: Vec<ListItem<'_>> = app
        .home
        .rows
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
            HomeRow::Assessment {
                record,
                summary,
                scale: (lo, hi),
                ..
            } => {
                let status = record.status.label(lang);
                let (pct, profile, overall) = match summary {
                    Some(s) => (
                        format!("{:>3} %", (s.done * 100).checked_div(s.total).unwrap_or(0)),
                        // `spark` draws 1–5: the model's own scale is stretched onto it
                        spark(&stretched(&s.theme_means, *lo, *hi)),
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
                    Span::styled(record.model_id.to_string(), p.dim()),
                ]))
            }
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.home.sel - offset));
    frame.render_stateful_widget(
        List::new(items).block(block).highlight_style(p.selected()),
        area,
        &mut state,
    );
}

/// Means on a `lo`–`hi` scale moved onto 1–5 (unchanged where the scale is 1–5).
fn stretched(means: &[Option<f64>], lo: u8, hi: u8) -> Vec<Option<f64>> {
    let (lo, span) = (f64::from(lo), f64::from(hi.saturating_sub(lo).max(1)));
    means
        .iter()
        .map(|m| m.map(|m| 1.0 + (m - lo) / span * 4.0))
        .collect()
}

#[cfg(test)]
mod hint_tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn an_empty_database_offers_a_facility_not_an_assessment() {
        let actions: Vec<Action> = HOME_EMPTY.iter().map(|b| b.action).collect();
        assert_eq!(
            actions,
            [
                Action::AddFacility,
                Action::OpenDemo,
                Action::Help,
                Action::Back,
                Action::Quit
            ]
        );
        let app = App::new(Lang::Da, "mette".into(), 2026, false, Vec::new());
        let bar = super::super::keys::hints(app.hint_table(), Lang::Da, 80);
        assert!(bar.contains("a tilføj tilbud"), "{bar}");
        assert!(bar.contains("d "), "{bar}");
        assert!(!bar.contains("n ny vurdering"), "{bar}");
        assert!(!bar.contains("Enter"), "{bar}");
    }

    #[test]
    fn a_profile_spans_the_models_own_scale() {
        let means = [Some(0.0), Some(3.0), None, Some(1.5)];
        assert_eq!(spark(&stretched(&means, 0, 3)), "▁█·▅");
        let quality = [Some(1.0), Some(5.0), Some(3.0)];
        assert_eq!(stretched(&quality, 1, 5), quality);
    }
}
