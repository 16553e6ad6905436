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

impl Session {
    /// Starts `tilsynsklar --db DB` in a 100×30 tmux session; the shell then prints the
    /// exit code and whether the terminal is back in canonical (cooked) mode.
    fn start(env: &Env, tag: &str) -> Session {
        let name = format!("tilsynsklar-test-{}-{tag}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_tilsynsklar");
        let pidfile = env.dir.path().join(format!("{tag}.pid"));
        let script = format!(
            "echo $$ > '{}'; TILSYNSKLAR_USER=mette TILSYNSKLAR_LANG=da '{bin}' --db '{}'; echo EXIT=$?; stty -a | grep -o -- '-icanon\\|icanon' | head -1 | sed 's/^/MODE=/'; sleep 60",
            pidfile.display(),
            env.db.display()
        );
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
        assert!(ok.success(), "tmux did not start");
        Session { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`; fails with the screen after 10 s.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {text:?}; the screen shows:\n{screen}"
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
    tui.keys(&["j", "4"]);
    tui.wait_for("1b = 4");
    tui.keys(&["Down", "5"]);
    tui.wait_for("1c = 5");
    tui.keys(&["e"]);
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
