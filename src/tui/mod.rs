//! The terminal program (ratatui + crossterm), in the Elm shape: `App` state, `update`
//! turns a key into a state change and maybe an `Effect`, `view` draws the state, and the
//! loop here runs effects through the application layer. Every effect commits before the screen says
//! "saved"; SIGTERM and SIGHUP end the loop cleanly, a panic restores the terminal first.

pub mod app;
pub mod assessment;
pub mod compare;
pub mod cursor;
pub mod data;
pub mod detail;
pub mod dialogs;
pub mod drafts;
pub mod editor;
pub mod effects;
pub mod event_loop;
pub mod facility_form;
pub mod forms;
pub mod gaps;
pub mod history;
pub mod home;
pub mod key_tables;
pub mod keys;
pub mod outcomes;
pub mod overview;
pub mod signoff;
pub mod view;
pub mod wording;

use crate::app::Session;
use crate::error::{Error, Result};
use crate::tr;
use app::{App, Overlay};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds the program state for the store's data.
pub fn new_app(ctx: &Session, this_year: i32, colors: bool) -> Result<App> {
    let mut app = App::new(
        ctx.lang,
        ctx.user.clone(),
        this_year,
        colors,
        data::load_home(ctx)?,
    );
    app.demo = crate::app::home::is_demo(ctx)?;
    Ok(app)
}

/// Whether colours are wanted: not where NO_COLOR is set (https://no-color.org).
pub fn colors_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Where a crash report goes: beside the database.
fn crash_log(ctx: &Session) -> PathBuf {
    crate::app::maintenance::database_path(ctx)
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
    let drafts_file = drafts::path_for(crate::app::maintenance::database_path(ctx));
    let keep_drafts = offer_drafts(&mut app, &drafts_file);
    let stop = termination_flag();
    let shared = Arc::new(event_loop::Shared {
        rescue: std::sync::Mutex::new((
            keep_drafts.then(|| drafts_file.clone()),
            app.drafts.clone(),
        )),
        ..Default::default()
    });
    event_loop::watchdog(stop.clone(), shared.clone());
    install_panic_report(crash_log(ctx), ctx.lang);
    // try_init installs its own panic hook in front of ours: it restores the terminal first
    let mut terminal = ratatui::try_init().map_err(|e| Error::Terminal(e.to_string()))?;
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = event_loop::run(&mut terminal, &mut app, ctx, &stop, &shared);
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    let restored = ratatui::try_restore().map_err(|e| Error::Terminal(e.to_string()));
    let kept = if keep_drafts {
        drafts::store(&drafts_file, &app.drafts).map_err(|e| Error::Terminal(e.to_string()))
    } else {
        Ok(())
    };
    shared.done.store(true, Ordering::SeqCst);
    if !app.drafts.is_empty() && kept.is_ok() {
        eprintln!(
            "{}",
            tr!(
                ctx.lang,
                "tilsynsklar: {} ikke-gemt(e) tekst(er) er gemt som kladde i {}; de tilbydes ved næste start",
                "tilsynsklar: {} unsaved text(s) kept as drafts in {}; they are offered at the next start",
                app.drafts.0.len(),
                drafts_file.display()
            )
        );
    }
    result.and(restored).and(kept)
}

/// Loads the drafts an earlier run kept and says so; says whether drafts may be written
/// (not where the file could not be read: it stays as it is, for the user to look at).
fn offer_drafts(app: &mut App, file: &std::path::Path) -> bool {
    let lang = app.lang;
    match drafts::load(file) {
        Ok(d) if d.is_empty() => true,
        Ok(d) => {
            let mut lines = vec![tr!(
                lang,
                "Ikke-gemte tekster fra sidst er gendannet som kladder:",
                "Unsaved texts from last time are restored as drafts:"
            )];
            for k in d.0.keys() {
                let field = match k.field {
                    drafts::Field::Reasoning => lang.pick("begrundelse", "reasoning"),
                    drafts::Field::Sources => lang.pick("kilder", "sources"),
                };
                lines.push(tr!(
                    lang,
                    "  vurdering #{} · {} {field}",
                    "  assessment #{} · {} {field}",
                    k.assessment,
                    k.indicator
                ));
            }
            lines.push(tr!(
                lang,
                "De åbnes, når du redigerer teksten (e eller s), og gemmes med Esc.",
                "They open when you edit the text (e or s), and Esc saves them."
            ));
            app.drafts = d;
            app.overlay = Overlay::Message(lines);
            true
        }
        Err(e) => {
            app.overlay = Overlay::Message(vec![tr!(
                lang,
                "Kladdefilen {} kan ikke læses ({e}); den er urørt, og nye kladder gemmes ikke.",
                "The drafts file {} cannot be read ({e}); it is left as it is, and new drafts are not kept.",
                file.display()
            )]);
            false
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod assessment_tests;
#[cfg(test)]
mod compare_tests;
#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod gaps_tests;
#[cfg(test)]
mod home_tests;
#[cfg(test)]
mod job_tests;
#[cfg(test)]
mod model_states;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod overview_tests;
#[cfg(test)]
mod safety_screen_tests;
#[cfg(test)]
mod safety_tests;
