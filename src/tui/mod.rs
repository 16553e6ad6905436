//! The terminal program (ratatui + crossterm), in the Elm shape: `App` state, `update`
//! turns a key into a state change and maybe an `Effect`, `view` draws the state, and the
//! loop here runs effects through the store. Every effect commits before the screen says
//! "saved"; SIGTERM and SIGHUP end the loop cleanly, a panic restores the terminal first.

pub mod app;
pub mod data;
pub mod drafts;
pub mod editor;
pub mod effects;
pub mod keys;
pub mod view;

use crate::app::Session;
use crate::error::{Error, Result};
use app::{App, Screen};
use crossterm::event::{self, Event};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Builds the program state for the store's data.
pub fn new_app(ctx: &Session, this_year: i32, colors: bool) -> Result<App> {
    Ok(App::new(
        ctx.lang,
        ctx.user.clone(),
        this_year,
        colors,
        data::load_home(&ctx.store)?,
    ))
}

/// Whether colours are wanted: not where NO_COLOR is set (https://no-color.org).
pub fn colors_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Where a crash report goes: beside the database.
fn crash_log(ctx: &Session) -> PathBuf {
    ctx.store
        .path()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(std::env::temp_dir, |d| d.to_path_buf())
        .join("tilsynsklar-crash.log")
}

/// Writes the details of a panic to `log` and tells the user where they are. Runs after
/// ratatui's hook has restored the terminal.
fn install_panic_report(log: PathBuf, lang: crate::i18n::Lang) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let details = format!(
            "{}\n{info}\n{}\n",
            chrono::Utc::now().to_rfc3339(),
            std::backtrace::Backtrace::force_capture()
        );
        let written = std::fs::write(&log, details).is_ok();
        let _ = previous;
        let where_ = if written {
            log.display().to_string()
        } else {
            "stderr".to_string()
        };
        eprintln!(
            "{}",
            lang.pick(
                "tilsynsklar stoppede uventet; alt, der blev vist som gemt, er gemt. Detaljer: ",
                "tilsynsklar stopped unexpectedly; everything shown as saved is saved. Details: "
            )
            .to_string()
                + &where_
        );
        if !written {
            eprintln!("{info}");
        }
    }));
}

/// Sets a flag on SIGTERM and SIGHUP, so the loop can end and restore the terminal.
fn termination_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register(signal, flag.clone());
    }
    flag
}

/// Starts the terminal program.
pub fn run(ctx: &mut Session) -> Result<()> {
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
    let this_year = chrono::Datelike::year(&chrono::Local::now());
    let mut app = new_app(ctx, this_year, colors_wanted())?;
    let stop = termination_flag();
    install_panic_report(crash_log(ctx), ctx.lang);
    // try_init installs its own panic hook in front of ours: it restores the terminal first
    let mut terminal = ratatui::try_init().map_err(|e| Error::Terminal(e.to_string()))?;
    let result = event_loop(&mut terminal, &mut app, ctx, &stop);
    let restored = ratatui::try_restore().map_err(|e| Error::Terminal(e.to_string()));
    result.and(restored)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    ctx: &mut Session,
    stop: &AtomicBool,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Terminal(e.to_string());
    while !app.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|frame| view::view(frame, app)).map_err(io)?;
        // wake up now and then to notice a termination signal
        if !event::poll(Duration::from_millis(250)).map_err(io)? {
            continue;
        }
        let Event::Key(key) = event::read().map_err(io)? else {
            continue; // a resize redraws on the next turn
        };
        let before = app.screen;
        if let Some(effect) = app::update(app, key) {
            let stamp = ctx.stamp();
            effects::apply(app, &mut ctx.store, effect, &stamp);
        }
        if app.screen == Screen::Home && before != Screen::Home {
            app.set_home(data::load_home(&ctx.store)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod model_tests;
