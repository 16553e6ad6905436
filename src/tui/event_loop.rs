//! The loop between the terminal and `update`: it waits for input itself (a terminal that
//! goes away ends the program instead of spinning on end-of-file), notices SIGTERM and
//! SIGHUP, runs effects through the application layer, and keeps what is typed but unsaved.

use super::app::{self, App, Msg, Screen};
use super::{drafts, effects};
use crate::app::Session;
use crate::error::{Error, Result};
use crossterm::event::{self, Event};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Whether the terminal on stdin hung up (closed window, SSH drop, killed tmux session).
#[cfg(unix)]
pub fn hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, and its count; a zero timeout does not block
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(not(unix))]
pub fn hung_up() -> bool {
    false
}

/// What the loop and its watchdog share.
#[derive(Default)]
pub struct Shared {
    /// The terminal went away.
    pub gone: AtomicBool,
    /// The loop is inside the terminal library, waiting for or reading input.
    pub in_input: AtomicBool,
    /// The loop has ended and the program is on its way out.
    pub done: AtomicBool,
    /// The drafts file (none where it may not be written) and the drafts as they stand.
    pub rescue: Mutex<(Option<PathBuf>, drafts::Drafts)>,
}

/// The drafts, and the open editor's text as one, as they would be kept now.
fn rescue_copy(app: &App) -> drafts::Drafts {
    let mut copy = app.drafts.clone();
    if let app::Overlay::Editor(e) = &app.overlay
        && let Some(key) = app.draft_key(e.kind, &e.indicator)
        && e.text() != e.initial.trim_end()
    {
        copy.keep(key, &e.text());
    }
    copy
}

/// Watches for a terminal that goes away. crossterm reads a hung-up terminal in a loop that
/// never returns, so when the loop is caught inside it the watchdog keeps the drafts and
/// ends the process (every saved score is committed already). After a signal the loop
/// gets a second to end by itself.
pub fn watchdog(stop: Arc<AtomicBool>, shared: Arc<Shared>) {
    std::thread::spawn(move || {
        let (mut stuck, mut stopping) = (0, 0);
        loop {
            std::thread::sleep(Duration::from_millis(40));
            if shared.done.load(Ordering::SeqCst) {
                return;
            }
            if hung_up() {
                shared.gone.store(true, Ordering::SeqCst);
            }
            let gone = shared.gone.load(Ordering::SeqCst);
            stuck = if gone && shared.in_input.load(Ordering::SeqCst) {
                stuck + 1
            } else {
                0
            };
            if stop.load(Ordering::SeqCst) || gone {
                stopping += 1;
            }
            if stuck >= 2 || stopping >= 25 {
                if let Ok(r) = shared.rescue.lock()
                    && let Some(file) = &r.0
                {
                    let _ = drafts::store(file, &r.1);
                }
                if !gone {
                    let _ = ratatui::try_restore();
                }
                std::process::exit(0);
            }
        }
    });
}

/// Runs until the user quits, a signal arrives or the terminal goes away.
pub fn run(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    ctx: &mut Session,
    stop: &AtomicBool,
    shared: &Shared,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Terminal(e.to_string());
    let mut dirty = true;
    let size = crossterm::terminal::size().map_err(io)?;
    app::update(app, Msg::Resize(size.0, size.1));
    let ended =
        |app: &App| app.quit || stop.load(Ordering::SeqCst) || shared.gone.load(Ordering::SeqCst);
    while !ended(app) {
        if dirty {
            terminal
                .draw(|frame| super::view::view(frame, app))
                .map_err(io)?;
            dirty = false;
        }
        if hung_up() {
            shared.gone.store(true, Ordering::SeqCst);
            break;
        }
        // wake up now and then to notice a signal
        shared.in_input.store(true, Ordering::SeqCst);
        let ready = event::poll(Duration::from_millis(250));
        let event = match ready {
            Ok(true) => event::read(),
            Ok(false) => {
                shared.in_input.store(false, Ordering::SeqCst);
                continue;
            }
            Err(e) => Err(e),
        };
        shared.in_input.store(false, Ordering::SeqCst);
        let msg = match event.map_err(io)? {
            Event::Key(key) => Msg::Key(key),
            Event::Paste(text) => Msg::Paste(text),
            Event::Resize(w, h) => Msg::Resize(w, h),
            _ => continue,
        };
        // a key typed just after a resize meets the new size, whichever event came first
        if let Ok((w, h)) = crossterm::terminal::size()
            && app.size != Some((w, h))
        {
            app::update(app, Msg::Resize(w, h));
        }
        dirty = true;
        handle(app, ctx, msg)?;
        if let Ok(mut r) = shared.rescue.lock() {
            r.1 = rescue_copy(app);
        }
    }
    finish(app, ctx);
    Ok(())
}

fn handle(app: &mut App, ctx: &mut Session, msg: Msg) -> Result<()> {
    if let Some(f) = std::env::var_os("TUI_TRACE") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(f)
            .unwrap();
        writeln!(f, "{:?} size {:?} small {}", msg, app.size, app.too_small()).unwrap();
    }
    let before = app.screen;
    if let Some(effect) = app::update(app, msg) {
        effects::apply(app, ctx, effect);
    }
    if app.screen == Screen::Home && before != Screen::Home {
        effects::apply(app, ctx, app::Effect::LoadHome);
    }
    Ok(())
}

/// On the way out (a signal, or the terminal gone): the open editor's text is saved where
/// it may be, otherwise kept as a draft.
fn finish(app: &mut App, ctx: &mut Session) {
    if let Some(effect) = super::editor::exit_effect(app) {
        effects::apply(app, ctx, effect);
    }
}
