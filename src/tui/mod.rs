//! The terminal program. Until the walk-through lands, a screen that says so and what to
//! use instead, and that restores the terminal on any key.

use crate::cli::Ctx;
use crate::error::{Error, Result};
use crate::tr;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::io::IsTerminal;

/// The lines the placeholder screen shows.
pub fn placeholder_text(ctx: &Ctx) -> Result<Vec<String>> {
    let lang = ctx.lang;
    let facilities = ctx.store.facilities(false)?.len();
    let assessments = ctx.store.assessments(None)?.len();
    Ok(vec![
        tr!(
            lang,
            "tilsynsklar: tilbuddets årlige selvevaluering",
            "tilsynsklar: the facility's annual self-evaluation"
        ),
        String::new(),
        tr!(
            lang,
            "Gennemgangen i terminalen er på vej. Indtil da bruges kommandolinjen:",
            "The terminal walk-through is on its way. Until then, use the command line:"
        ),
        "  tilsynsklar --help".into(),
        "  tilsynsklar facility add \"Bostedet Solhøj\" --tag board".into(),
        "  tilsynsklar assessment start --facility \"Bostedet Solhøj\" --year 2026".into(),
        String::new(),
        tr!(
            lang,
            "Database: {}",
            "Database: {}",
            ctx.store.path().display()
        ),
        tr!(
            lang,
            "{facilities} tilbud, {assessments} vurderinger",
            "{facilities} facilities, {assessments} assessments"
        ),
        String::new(),
        tr!(
            lang,
            "Tryk på en vilkårlig tast for at afslutte.",
            "Press any key to leave."
        ),
    ])
}

/// Starts the terminal program.
pub fn run(ctx: &mut Ctx) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Terminal(
            ctx.lang
                .pick(
                    "terminalprogrammet kræver en terminal; brug en underkommando (tilsynsklar --help)",
                    "the terminal program needs a terminal; use a subcommand (tilsynsklar --help)",
                )
                .into(),
        ));
    }
    let lines = placeholder_text(ctx)?;
    // ratatui::try_init installs a panic hook that restores the terminal before the message
    let mut terminal = ratatui::try_init().map_err(|e| Error::Terminal(e.to_string()))?;
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|frame| {
                let text = Text::from(
                    lines
                        .iter()
                        .map(|l| Line::from(l.as_str()))
                        .collect::<Vec<_>>(),
                );
                let [area] = Layout::horizontal([Constraint::Max(78)])
                    .flex(Flex::Center)
                    .areas(frame.area());
                let [area] = Layout::vertical([Constraint::Length(lines.len() as u16 + 2)])
                    .flex(Flex::Center)
                    .areas(area);
                frame.render_widget(
                    Paragraph::new(text)
                        .wrap(Wrap { trim: false })
                        .block(Block::bordered()),
                    area,
                );
            })?;
            if let Event::Key(k) = event::read()?
                && k.kind == KeyEventKind::Press
            {
                return Ok(());
            }
        }
    })();
    ratatui::try_restore().map_err(|e| Error::Terminal(e.to_string()))?;
    result.map_err(|e| Error::Terminal(e.to_string()))
}
