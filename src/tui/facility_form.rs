//! The facility form: add or edit a facility; text fields, then the applicability tags as
//! a checkbox list in the user's language. On a refusal it stays open with the input.

use super::app::*;
use super::view::{Palette, popup, safe};
use crate::app::home::{Facility, NewFacility};
use crate::model::ApplicabilityTag;
use crate::tr;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

/// The facility form's text fields: (Danish, English) labels.
pub const FACILITY_TEXT_FIELDS: [(&str, &str); 5] = [
    ("Navn", "Name"),
    ("Organisation / region", "Organisation / region"),
    ("Sted", "Location"),
    ("Tilbudstype", "Facility type"),
    ("Målgruppe", "Target group"),
];

/// One tag of the checkbox list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChoice {
    pub tag: ApplicabilityTag,
    pub checked: bool,
}

/// The facility form's state.
#[derive(Clone)]
pub struct FacilityForm {
    /// The facility being edited; `None` adds one.
    pub editing: Option<i64>,
    pub fields: Vec<TextArea<'static>>,
    pub tags: Vec<TagChoice>,
    /// The text fields first, then one row per tag.
    pub focus: usize,
    /// Why the last save was refused, shown in the form.
    pub error: Option<String>,
}

impl FacilityForm {
    /// A form holding `values`, the tags known to the models checked where `values` has them.
    pub fn new(editing: Option<i64>, values: &NewFacility, known: &[ApplicabilityTag]) -> Self {
        let texts = [
            &values.name,
            &values.organisation,
            &values.location,
            &values.facility_type,
            &values.target_group,
        ];
        let fields = texts
            .iter()
            .map(|t| {
                let mut area = text_area(t);
                area.set_wrap_mode(WrapMode::None);
                area
            })
            .collect();
        let mut tags: Vec<TagChoice> = known
            .iter()
            .map(|t| TagChoice {
                tag: t.clone(),
                checked: values.tags.contains(&t.id),
            })
            .collect();
        // a tag the models no longer define stays visible, so an edit does not drop it silently
        for t in values
            .tags
            .iter()
            .filter(|t| !known.iter().any(|k| &k.id == *t))
        {
            tags.push(TagChoice {
                tag: ApplicabilityTag {
                    id: t.clone(),
                    label: crate::model::Label {
                        da: t.clone(),
                        en: t.clone(),
                    },
                },
                checked: true,
            });
        }
        FacilityForm {
            editing,
            fields,
            tags,
            focus: 0,
            error: None,
        }
    }

    /// A form to edit `f`.
    pub fn edit(f: &Facility, known: &[ApplicabilityTag]) -> Self {
        let values = NewFacility {
            name: f.name.clone(),
            organisation: f.organisation.clone(),
            location: f.location.clone(),
            facility_type: f.facility_type.clone(),
            target_group: f.target_group.clone(),
            tags: f.tags.clone(),
        };
        FacilityForm::new(Some(f.id), &values, known)
    }

    pub(super) fn rows(&self) -> usize {
        self.fields.len() + self.tags.len()
    }

    fn value(&self, i: usize) -> String {
        self.fields[i].lines().join(" ").trim().to_string()
    }

    /// What the form holds, as a facility to save.
    pub fn values(&self) -> NewFacility {
        NewFacility {
            name: self.value(0),
            organisation: self.value(1),
            location: self.value(2),
            facility_type: self.value(3),
            target_group: self.value(4),
            tags: self
                .tags
                .iter()
                .filter(|t| t.checked)
                .map(|t| t.tag.id.clone())
                .collect(),
        }
    }
}

pub(super) fn facility_key(app: &mut App, mut form: FacilityForm, key: KeyEvent) -> Option<Effect> {
    let last = form.rows() - 1;
    let on_tag = form.focus >= form.fields.len();
    let ctrl_s = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('s');
    match key.code {
        KeyCode::Esc => {
            app.say(
                StatusKind::Info,
                tr!(app.lang, "Intet ændret", "Nothing changed"),
            );
            return None;
        }
        _ if ctrl_s || (key.code == KeyCode::Enter && (on_tag || form.focus == last)) => {
            if form.value(0).is_empty() {
                form.error = Some(tr!(
                    app.lang,
                    "Skriv tilbuddets navn",
                    "Write the facility's name"
                ));
                form.focus = 0;
            } else {
                return Some(Effect::SaveFacility {
                    id: form.editing,
                    values: form.values(),
                    focus: form.focus,
                });
            }
        }
        KeyCode::Enter | KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1).min(last),
        KeyCode::BackTab | KeyCode::Up => form.focus = form.focus.saturating_sub(1),
        KeyCode::Char(' ') if on_tag => {
            let t = &mut form.tags[form.focus - form.fields.len()];
            t.checked = !t.checked;
        }
        _ if on_tag => {}
        _ => {
            form.fields[form.focus].input(key);
            form.error = None;
        }
    }
    app.overlay = Overlay::Facility(form);
    None
}

pub(super) fn draw(frame: &mut Frame<'_>, app: &App, form: &FacilityForm, area: Rect, p: &Palette) {
    let lang = app.lang;
    let n = form.fields.len() as u16;
    let tags = form.tags.len() as u16;
    let error = if form.error.is_some() { 2 } else { 0 };
    // the fields are two rows each where the terminal is short (80×24), else three
    let tall = area.height >= n * 3 + tags + error + 5;
    let per = if tall { 3 } else { 2 };
    let r = popup(area, 70, n * per + tags + error + 3);
    frame.render_widget(Clear, r);
    let title = if form.editing.is_some() {
        lang.pick(" Ret tilbud ", " Edit facility ")
    } else {
        lang.pick(" Nyt tilbud ", " New facility ")
    };
    let block = Block::bordered().title(title).title_bottom(Line::styled(
        lang.pick(
            " Tab felt · Mellemrum kryds · Enter/Ctrl-S gemmer · Esc fortryd ",
            " Tab field · Space ticks · Enter/Ctrl-S saves · Esc cancels ",
        ),
        p.dim(),
    ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut rows: Vec<Constraint> = (0..n).map(|_| Constraint::Length(per)).collect();
    rows.push(Constraint::Length(1));
    rows.extend((0..tags).map(|_| Constraint::Length(1)));
    rows.push(Constraint::Length(error));
    let areas = Layout::vertical(rows).split(inner);
    for (i, (field, label)) in form.fields.iter().zip(FACILITY_TEXT_FIELDS).enumerate() {
        let focused = i == form.focus;
        let style = if focused { p.bold() } else { p.dim() };
        let label = lang.pick(label.0, label.1);
        if per == 3 {
            let mut w = field.clone();
            w.set_block(Block::bordered().title(Line::styled(label, style)));
            w.set_cursor_line_style(Style::default());
            if !focused {
                w.set_cursor_style(Style::default());
            }
            frame.render_widget(&w, areas[i]);
        } else {
            let [l, f] =
                Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(areas[i]);
            frame.render_widget(Paragraph::new(Line::styled(label, style)), l);
            let mut w = field.clone();
            w.set_cursor_line_style(if focused {
                p.selected()
            } else {
                Style::default()
            });
            if !focused {
                w.set_cursor_style(Style::default());
            }
            frame.render_widget(&w, f);
        }
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            lang.pick(
                "Mærker (hvilke indikatorer gælder):",
                "Tags (which indicators apply):",
            ),
            p.dim(),
        )),
        areas[n as usize],
    );
    for (j, t) in form.tags.iter().enumerate() {
        let focused = form.focus == form.fields.len() + j;
        let style = if focused {
            p.selected()
        } else {
            Style::default()
        };
        let line = Line::from(vec![
            Span::styled(
                format!(
                    "[{}] {}",
                    if t.checked { "x" } else { " " },
                    safe(t.tag.label.get(lang))
                ),
                style,
            ),
            Span::styled(format!("  ({})", safe(&t.tag.id)), p.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), areas[n as usize + 1 + j]);
    }
    if let Some(e) = &form.error {
        frame.render_widget(
            Paragraph::new(Line::styled(safe(e), p.fg(Color::Red))).wrap(Wrap { trim: false }),
            areas[areas.len() - 1],
        );
    }
}
