//! The key table: one list per screen that both the bottom hint bar and the `?` overlay
//! are drawn from, and that turns key presses into actions.

use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the user asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    NextTheme,
    PrevTheme,
    /// Score the selected indicator (1–5).
    Score(u8),
    NotRelevant,
    EditReasoning,
    EditSources,
    Search,
    Undo,
    Redo,
    ScrollDown,
    ScrollUp,
    Confirm,
    Overview,
    Finalise,
    Gaps,
    AddAction,
    ActionInProgress,
    ActionDone,
    ActionDrop,
    AddFacility,
    NewAssessment,
    Compare,
    OpenDemo,
    Open,
    Reopen,
    EditFacility,
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy)]
pub enum KeySpec {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
}

impl KeySpec {
    fn matches(self, k: &KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            KeySpec::Char(c) => !ctrl && k.code == KeyCode::Char(c),
            KeySpec::Code(code) => !ctrl && k.code == code,
            KeySpec::Ctrl(c) => ctrl && k.code == KeyCode::Char(c),
        }
    }
}

/// One line of the key table.
#[derive(Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeySpec],
    /// How the keys are written in the hint bar and the help.
    pub label: &'static str,
    pub action: Action,
    pub da: &'static str,
    pub en: &'static str,
    /// Whether the hint bar shows it (the help shows every binding).
    pub hint: bool,
    /// How the hint bar writes it where space is short: (keys, Danish, English).
    pub short: Option<(&'static str, &'static str, &'static str)>,
}

impl Binding {
    /// What the binding does, in the user's language.
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.da, self.en)
    }
}

pub use super::assessment::key_table::ASSESSMENT;
pub use super::compare::key_table::COMPARE;
pub use super::gaps::key_table::GAPS;
pub use super::home::key_table::HOME;
pub use super::overview::key_table::OVERVIEW;
use Action::*;

/// The action a key press asks for on a screen with this table.
pub fn action_for(table: &[Binding], key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    table.iter().find_map(|bind| {
        bind.keys
            .iter()
            .find(|k| k.matches(key))
            .map(|k| match (bind.action, k) {
                (Score(_), KeySpec::Char(c)) => Score(c.to_digit(10).unwrap_or(0) as u8),
                (action, _) => action,
            })
    })
}

/// The hint bar's text: the hinted bindings, "key action" each, as many as fit in
/// `width`; the help key always stays, so the rest can be found.
pub fn hints(table: &[Binding], lang: Lang, width: usize) -> String {
    let help = table
        .iter()
        .find(|b| b.action == Help)
        .map(|b| format!("{} {}", b.label, b.text(lang)));
    let reserve = help.as_ref().map_or(0, |h| h.chars().count() + 2);
    let mut out = String::new();
    // the full texts where every hinted binding fits with them, the short ones otherwise
    let full: usize = table
        .iter()
        .filter(|b| b.hint && b.action != Help)
        .map(|b| b.label.chars().count() + b.text(lang).chars().count() + 3)
        .sum();
    let short = full + reserve > width;
    for b in table.iter().filter(|b| b.hint && b.action != Help) {
        let item = match b.short {
            Some((label, da, en)) if short => format!("{label} {}", lang.pick(da, en)),
            _ => format!("{} {}", b.label, b.text(lang)),
        };
        let extra = if out.is_empty() { 0 } else { 2 } + item.chars().count();
        if out.chars().count() + extra + reserve > width {
            continue; // a shorter one further on may still fit
        }
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(&item);
    }
    if let Some(h) = help {
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(&h);
    }
    out
}

/// The help overlay's lines: every binding with a label, "keys  action".
pub fn help_lines(table: &[Binding], lang: Lang) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = Vec::new();
    for bind in table {
        if bind.label.is_empty() {
            // a second half shown with its pair ("j/k ↑↓": move down / move up)
            if let Some(last) = lines.last_mut() {
                last.1 = format!("{} / {}", last.1, bind.text(lang));
            }
        } else {
            lines.push((bind.label.to_string(), bind.text(lang).to_string()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_actions_per_screen() {
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('4'))),
            Some(Score(4))
        );
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('x'))),
            Some(NotRelevant)
        );
        assert_eq!(action_for(ASSESSMENT, &key(KeyCode::Tab)), Some(NextTheme));
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::BackTab)),
            Some(PrevTheme)
        );
        assert_eq!(action_for(HOME, &key(KeyCode::Char('4'))), None);
        assert_eq!(
            action_for(
                HOME,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Quit)
        );
        assert_eq!(
            action_for(ASSESSMENT, &key(KeyCode::Char('c'))),
            Some(Confirm)
        );
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(HOME, &release), None);
    }

    #[test]
    fn hints_and_help_come_from_the_same_table() {
        let wide = hints(ASSESSMENT, Lang::Da, 1000);
        assert!(
            wide.starts_with("1–5 score (og videre til næste)  0/x ikke relevant"),
            "{wide}"
        );
        for (lang, must) in [
            (
                Lang::Da,
                ["1–5 score", "h/l tema", "/ søg", "g huller", "o oversigt"],
            ),
            (
                Lang::En,
                ["1–5 score", "h/l theme", "/ search", "g gaps", "o overview"],
            ),
        ] {
            let narrow = hints(ASSESSMENT, lang, 80);
            assert!(narrow.chars().count() <= 80, "{narrow}");
            assert!(narrow.ends_with(lang.pick("? hjælp", "? help")), "{narrow}");
            for m in must {
                assert!(narrow.contains(m), "{m:?} missing at 80 columns: {narrow}");
            }
            assert!(narrow.len() < wide.len());
        }
        for table in [HOME, ASSESSMENT, OVERVIEW, GAPS, COMPARE] {
            assert!(hints(table, Lang::Da, 80).chars().count() <= 80);
        }
        let help = help_lines(ASSESSMENT, Lang::En);
        assert!(help.contains(&(
            "h/l ←→ Tab".to_string(),
            "next theme / previous theme".to_string()
        )));
        for bind in ASSESSMENT.iter().filter(|b| b.hint) {
            assert!(help.iter().any(|(k, _)| k == bind.label));
        }
    }
}
