//! The terminal program as a user meets it: the real binary in tmux, keys sent with
//! send-keys, the screen read with capture-pane. Needs tmux (`.ci/run` installs it).

#![cfg(unix)]

mod common;

use common::Env;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux session running the program against a test database; killed when dropped.
struct Session {
    name: String,
}

/// How long a tmux test waits for the screen before it fails.
const WAIT: Duration = Duration::from_secs(30);

impl Session {
    /// Starts `tilsynsklar --db DB` in a 100×30 tmux session; the shell then prints the
    /// exit code and whether the terminal is back in canonical (cooked) mode.
    fn start(env: &Env, tag: &str) -> Session {
        Session::start_with(env, tag, "")
    }

    /// Starts the program with extra arguments (`--strict`, `--lang en`).
    fn start_with(env: &Env, tag: &str, args: &str) -> Session {
        let name = format!("tilsynsklar-test-{}-{tag}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_tilsynsklar");
        let pidfile = env.dir.path().join(format!("{tag}.pid"));
        let script = format!(
            "echo $$ > '{}'; TILSYNSKLAR_USER=mette TILSYNSKLAR_LANG=da '{bin}' --db '{}' {args}; echo EXIT=$?; stty -a | grep -o -- '-icanon\\|icanon' | head -1 | sed 's/^/MODE=/'; sleep 60",
            pidfile.display(),
            env.db.display()
        );
        // the tmux server may be on its way out (its last session just ended, here or in
        // another test): try again until it starts, within the wait
        let start = Instant::now();
        loop {
            let ok = Command::new("tmux")
                .args([
                    "new-session",
                    "-d",
                    "-s",
                    &name,
                    "-x",
                    "100",
                    "-y",
                    "30",
                    &script,
                ])
                .env_remove("TMUX")
                .status()
                .expect("tmux must be installed to run this test (.ci/run installs it)");
            if ok.success() {
                break;
            }
            assert!(start.elapsed() < WAIT, "tmux did not start within {WAIT:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Session { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`; fails with the screen after `WAIT`.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("the screen shows {text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen no longer shows `text` (a dialog closed); fails after `WAIT`.
    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} leaves the screen"), |s| {
            !s.contains(text)
        })
    }

    /// Polls the screen until `done` holds; fails with the screen after `WAIT` (long: a
    /// loaded machine is slow, and a test that passes waits only as long as it must).
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "waited {WAIT:?} until {what}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            assert!(
                Command::new("tmux")
                    .args(["send-keys", "-t", &self.name, k])
                    .status()
                    .unwrap()
                    .success()
            );
        }
    }

    fn literal(&self, text: &str) {
        assert!(
            Command::new("tmux")
                .args(["send-keys", "-t", &self.name, "-l", text])
                .status()
                .unwrap()
                .success()
        );
    }

    /// The program's process id (the shell's child).
    fn program_pid(&self, env: &Env, tag: &str) -> String {
        let pid = std::fs::read_to_string(env.dir.path().join(format!("{tag}.pid"))).unwrap();
        let child = Command::new("pgrep")
            .args(["-P", pid.trim(), "tilsynsklar"])
            .output()
            .unwrap();
        let child = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(!child.is_empty(), "no program process under {pid}");
        child
    }

    /// Pastes `text` as a terminal paste (bracketed where the program asked for it).
    fn paste(&self, text: &str) {
        let buffer = format!("{}-paste", self.name);
        assert!(
            Command::new("tmux")
                .args(["set-buffer", "-b", &buffer, text])
                .status()
                .unwrap()
                .success()
        );
        assert!(
            Command::new("tmux")
                .args(["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &self.name])
                .status()
                .unwrap()
                .success()
        );
    }

    fn resize(&self, w: u16, h: u16) {
        assert!(
            Command::new("tmux")
                .args([
                    "resize-window",
                    "-t",
                    &self.name,
                    "-x",
                    &w.to_string(),
                    "-y",
                    &h.to_string(),
                ])
                .status()
                .unwrap()
                .success()
        );
    }

    fn alternate_screen(&self) -> bool {
        let out = Command::new("tmux")
            .args(["display-message", "-p", "-t", &self.name, "#{alternate_on}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

#[test]
fn a_leader_scores_three_indicators_and_writes_a_reasoning_with_danish_letters() {
    if !common::has_tool(
        "tmux",
        "a_leader_scores_three_indicators_and_writes_a_reasoning_with_danish_letters",
    ) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "walk");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter"]);
    tui.wait_for("Tema 1: Uddannelse og beskæftigelse");
    tui.keys(&["3"]);
    tui.wait_for("Gemt");
    // each score moves on to the next indicator
    tui.keys(&["4"]);
    tui.wait_for("1b = 4");
    tui.keys(&["5"]);
    tui.wait_for("1c = 5");
    tui.keys(&["Up", "e"]);
    tui.wait_for("Begrundelse for 1c");
    tui.literal("Fremmødet er stabilt; én borger går på højskole i Århus.");
    tui.keys(&["Enter"]);
    tui.literal("Kilde: fremmødelister (æøå ÆØÅ)");
    tui.keys(&["Escape"]);
    let screen = tui.wait_for("1c begrundelse");
    assert!(
        screen.contains("Fremmødet er stabilt; én borger går på højskole i Århus."),
        "{screen}"
    );
    tui.keys(&["q", "q"]);
    let screen = tui.wait_for("MODE=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains("MODE=icanon"),
        "the terminal is back in cooked mode:\n{screen}"
    );
    assert!(!tui.alternate_screen());

    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "show", "-a", "1", "--json"])).unwrap();
    let score = |id: &str| {
        shown["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["indicator"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(score("1a")["value"], serde_json::json!(3));
    assert_eq!(score("1b")["value"], serde_json::json!(4));
    assert_eq!(score("1c")["value"], serde_json::json!(5));
    assert_eq!(
        score("1c")["reasoning"],
        "Fremmødet er stabilt; én borger går på højskole i Århus.\nKilde: fremmødelister (æøå ÆØÅ)"
    );
    assert_eq!(score("1c")["by"], "mette");
}

#[test]
fn sigterm_and_sighup_end_the_program_with_the_terminal_restored() {
    let test = "sigterm_and_sighup_end_the_program_with_the_terminal_restored";
    if !common::has_tool("tmux", test) || !common::has_tool("pgrep", test) {
        return;
    }
    for (tag, signal) in [("term", "TERM"), ("hup", "HUP")] {
        let env = Env::new();
        env.facility_with_assessment();
        let tui = Session::start(&env, tag);
        tui.wait_for("Bostedet Solhøj");
        tui.keys(&["Enter", "2"]);
        tui.wait_for("1a = 2");
        assert!(tui.alternate_screen());
        let pid = std::fs::read_to_string(env.dir.path().join(format!("{tag}.pid"))).unwrap();
        // the shell execs nothing: the program is the shell's child
        let child = Command::new("pgrep")
            .args(["-P", pid.trim(), "tilsynsklar"])
            .output()
            .unwrap();
        let child = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(!child.is_empty(), "no program process under {pid}");
        assert!(
            Command::new("kill")
                .args([&format!("-{signal}"), &child])
                .status()
                .unwrap()
                .success()
        );
        let screen = tui.wait_for("MODE=");
        assert!(screen.contains("EXIT=0"), "SIG{signal}: {screen}");
        assert!(
            screen.contains("MODE=icanon"),
            "SIG{signal}: the terminal is back in cooked mode:\n{screen}"
        );
        assert!(
            !tui.alternate_screen(),
            "SIG{signal}: left the alternate screen"
        );
        let shown = env.ok(&["assessment", "show", "-a", "1", "--json"]);
        assert!(
            shown.contains("\"value\": 2"),
            "the score saved before the signal is there"
        );
    }
}

/// A process's state letter and CPU time in clock ticks (utime + stime), from /proc.
#[cfg(target_os = "linux")]
fn proc_stat(pid: &str) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the fields after the command name in parentheses: state is the first, utime the 12th
    let rest: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let state = rest.first()?.chars().next()?;
    let ticks = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
    Some((state, ticks))
}

fn score_json(env: &Env, id: &str) -> serde_json::Value {
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "show", "-a", "1", "--json"])).unwrap();
    shown["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator"] == id)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_that_goes_away_ends_the_program_at_once_without_spinning() {
    let test = "a_terminal_that_goes_away_ends_the_program_at_once_without_spinning";
    if !common::has_tool("tmux", test) || !common::has_tool("pgrep", test) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "gone");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter", "2"]);
    tui.wait_for("1a = 2");
    let pid = tui.program_pid(&env, "gone");
    let (_, before) = proc_stat(&pid).unwrap();
    let killed = Instant::now();
    assert!(
        Command::new("tmux")
            .args(["kill-session", "-t", &tui.name])
            .status()
            .unwrap()
            .success()
    );
    let mut last = before;
    loop {
        match proc_stat(&pid) {
            None | Some(('Z' | 'X', _)) => break,
            Some((_, ticks)) => last = ticks,
        }
        assert!(
            killed.elapsed() < Duration::from_millis(1500),
            "the program still runs {:?} after its terminal went away",
            killed.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // clock ticks are 1/100 s: a busy loop would burn a tick every 10 ms
    assert!(
        last - before <= 20,
        "the program used {} ticks of CPU on its way out",
        last - before
    );
    assert_eq!(score_json(&env, "1a")["value"], serde_json::json!(2));
}

#[test]
fn ctrl_c_in_the_editor_saves_the_text_or_keeps_it_as_a_draft_offered_at_the_next_start() {
    let test =
        "ctrl_c_in_the_editor_saves_the_text_or_keeps_it_as_a_draft_offered_at_the_next_start";
    if !common::has_tool("tmux", test) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "ctrlc");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter", "3"]);
    tui.wait_for("1a = 3");
    tui.keys(&["k", "e"]);
    tui.wait_for("Begrundelse for 1a");
    tui.literal("Skrevet lige før Ctrl-C");
    // every key is in before Ctrl-C: the editor shows the text
    tui.wait_for("Skrevet lige før Ctrl-C");
    tui.keys(&["C-c"]);
    let screen = tui.wait_for("MODE=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_eq!(
        score_json(&env, "1a")["reasoning"],
        "Skrevet lige før Ctrl-C"
    );
    drop(tui);

    // where the save is refused (strict, the text names a person), the text is a draft
    let tui = Session::start_with(&env, "strict", "--strict");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter", "e"]);
    tui.wait_for("Begrundelse for 1a");
    tui.keys(&["C-u"]);
    tui.literal("Borger 010190-1234 deltog");
    tui.wait_for("Borger 010190-1234 deltog");
    tui.keys(&["C-c"]);
    let screen = tui.wait_for("MODE=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("kladde"), "the user is told: {screen}");
    assert_eq!(
        score_json(&env, "1a")["reasoning"],
        "Skrevet lige før Ctrl-C"
    );
    let file = env.dir.path().join(format!(
        "{}.drafts.json",
        env.db.file_name().unwrap().to_string_lossy()
    ));
    let kept = std::fs::read_to_string(&file).expect("a drafts file beside the database");
    assert!(kept.contains("Borger 010190-1234 deltog"), "{kept}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads drafts");
    }
    drop(tui);

    // the next start offers it; e opens it; masked and saved, the draft is gone
    let tui = Session::start(&env, "again");
    tui.wait_for("Ikke-gemte tekster fra sidst");
    tui.wait_for("vurdering #1 · 1a begrundelse");
    // Esc and Enter one at a time: sent together they may read as Alt-Enter
    tui.keys(&["Escape"]);
    tui.wait_gone("Ikke-gemte tekster fra sidst");
    tui.keys(&["Enter"]);
    tui.wait_for("Tema 1");
    tui.keys(&["e"]);
    tui.wait_for("Kladde gendannet");
    tui.wait_for("Borger 010190-1234 deltog");
    tui.keys(&["Escape"]);
    tui.wait_for("Personoplysninger");
    tui.keys(&["m"]);
    tui.wait_for("1a begrundelse");
    tui.keys(&["q"]);
    tui.wait_for("Enter åbn vurdering");
    tui.keys(&["q"]);
    let screen = tui.wait_for("MODE=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let saved = score_json(&env, "1a")["reasoning"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        saved.starts_with("Borger ") && !saved.contains("010190-1234"),
        "{saved}"
    );
    assert!(!file.exists(), "no draft is left once it is saved");
}

#[test]
fn a_paste_outside_an_editor_is_refused_and_inside_it_is_text() {
    if !common::has_tool(
        "tmux",
        "a_paste_outside_an_editor_is_refused_and_inside_it_is_text",
    ) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "paste");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter"]);
    tui.wait_for("Tema 1");
    tui.paste("2\nj\n1\ns\nkilde\n");
    tui.wait_for("intet ændret");
    tui.keys(&["3", "k", "e"]);
    tui.wait_for("Begrundelse for 1a");
    tui.paste("Linje et\nLinje to 1 j q");
    tui.keys(&["Escape"]);
    tui.wait_for("1a begrundelse");
    tui.keys(&["q", "q"]);
    tui.wait_for("MODE=");
    assert_eq!(score_json(&env, "1a")["value"], serde_json::json!(3));
    assert_eq!(
        score_json(&env, "1a")["reasoning"],
        "Linje et\nLinje to 1 j q"
    );
    assert_eq!(
        score_json(&env, "1b"),
        serde_json::Value::Null,
        "no key ran"
    );
    assert_eq!(
        score_json(&env, "2b"),
        serde_json::Value::Null,
        "no key ran"
    );
}

#[test]
fn keys_do_nothing_while_the_screen_is_too_small() {
    if !common::has_tool("tmux", "keys_do_nothing_while_the_screen_is_too_small") {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "small");
    tui.wait_for("Bostedet Solhøj");
    tui.keys(&["Enter"]);
    tui.wait_for("Tema 1");
    tui.resize(50, 12);
    tui.wait_for("Forstør terminalen");
    tui.keys(&["1", "j", "1"]);
    std::thread::sleep(Duration::from_millis(300));
    tui.resize(100, 30);
    tui.wait_for("Tema 1");
    tui.keys(&["4"]);
    tui.wait_for("1a = 4");
    tui.keys(&["q", "q"]);
    tui.wait_for("MODE=");
    assert_eq!(score_json(&env, "1a")["value"], serde_json::json!(4));
    assert_eq!(score_json(&env, "1b"), serde_json::Value::Null);
}

#[test]
fn a_whole_assessment_is_scored_with_auto_advance_and_finalised_only_with_y() {
    let test = "a_whole_assessment_is_scored_with_auto_advance_and_finalised_only_with_y";
    if !common::has_tool("tmux", test) {
        return;
    }
    let env = Env::new();
    env.facility_with_assessment();
    let tui = Session::start(&env, "whole");
    tui.wait_for("Bostedet Solhøj");
    let mut pressed = 0;
    let mut press = |keys: &[&str]| {
        pressed += keys.len();
        tui.keys(keys);
    };
    press(&["Enter"]);
    tui.wait_for("Tema 1");
    // one key per indicator: each score moves on, across the themes
    let scores = ["4", "3", "5", "2", "4"];
    for i in 0..30 {
        press(&[scores[i % scores.len()]]);
    }
    tui.wait_for("30 af 30 (100 %)");
    press(&["o", "f"]);
    let dialog = tui.wait_for("Underskrives af");
    assert!(
        dialog.contains("mette"),
        "the --user name signs by default:\n{dialog}"
    );
    // j is the scroll key: it cancels, it never signs
    press(&["j"]);
    tui.wait_for("Ikke afsluttet; intet ændret");
    press(&["f"]);
    tui.wait_for("y/Enter afslut");
    press(&["y"]);
    tui.wait_for("Afsluttet");
    assert!(
        pressed <= 36,
        "{pressed} keys for 30 indicators and the sign-off"
    );
    tui.keys(&["q", "q", "q"]);
    tui.wait_for("MODE=");
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["assessment", "show", "-a", "1", "--json"])).unwrap();
    let scores_saved = shown["scores"].as_array().unwrap();
    assert_eq!(scores_saved.len(), 30);
    assert!(
        scores_saved.iter().all(|s| s["value"].is_u64()),
        "every indicator scored: {shown}"
    );
    let text = shown.to_string();
    assert!(text.contains("finalised"), "{text}");
    assert!(text.contains("mette"), "{text}");
}

#[test]
fn a_facility_is_added_an_assessment_started_finalised_by_name_and_reopened() {
    let test = "a_facility_is_added_an_assessment_started_finalised_by_name_and_reopened";
    if !common::has_tool("tmux", test) {
        return;
    }
    let env = Env::new();
    let tui = Session::start(&env, "job");
    tui.wait_for("Databasen har endnu ingen tilbud");
    tui.keys(&["a"]);
    tui.wait_for("Nyt tilbud");
    tui.literal("Æblehaven");
    // the tags are a checkbox list in Danish: tick "Tilbuddet har en bestyrelse"
    for _ in 0..6 {
        tui.keys(&["Tab"]);
    }
    tui.wait_for("Tilbuddet har en bestyrelse");
    tui.keys(&["Space", "C-s"]);
    tui.wait_for("Tilføjet: Æblehaven");
    tui.keys(&["n"]);
    tui.wait_for("Ny vurdering: Æblehaven");
    tui.keys(&["Enter"]);
    // the year offers the quality model and the safety self-evaluation: the first
    tui.wait_for("sikkerhed-2017");
    tui.keys(&["Enter"]);
    tui.wait_for("Tema 1");
    for _ in 0..30 {
        tui.keys(&["4"]);
    }
    tui.keys(&["o", "f"]);
    tui.wait_for("Underskrives af");
    tui.keys(&["Tab"]);
    for _ in 0..5 {
        tui.keys(&["BSpace"]);
    }
    tui.literal("Jytte Fyn");
    tui.keys(&["Enter"]);
    tui.wait_for("Afsluttet");
    tui.keys(&["R"]);
    tui.wait_for("Hvorfor genåbnes den?");
    tui.keys(&["Enter"]);
    tui.wait_for("Skriv, hvorfor vurderingen genåbnes");
    tui.literal("Forkert score i 3b");
    tui.keys(&["Enter"]);
    tui.wait_for("Genåbnet");
    tui.keys(&["q", "q", "q"]);
    tui.wait_for("MODE=");
    let f = env.ok(&["facility", "list", "--json"]);
    assert!(f.contains("board"), "{f}");
    let log = env.ok(&["assessment", "log", "-a", "1", "--json"]);
    assert!(log.contains("Jytte Fyn"), "{log}");
    assert!(log.contains("Forkert score i 3b"), "{log}");
}
