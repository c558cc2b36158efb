//! The terminal left as it was found, whatever happens: suspend and resume like htop (Ctrl-Z
//! or SIGTSTP, then `fg`), SIGQUIT. The real binary in an interactive shell in tmux.

mod common;

use common::tmux::Tmux;

/// An interactive shell (job control on) in tmux, at home in `dir`.
fn shell(dir: &std::path::Path) -> Tmux {
    let tmux = common::need("tmux");
    let env = common::home(dir);
    let env: Vec<(&str, &std::path::Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let t = Tmux::start(&tmux, "PS1='$ ' bash --norc --noprofile -i", &env, 120, 40);
    t.wait_for("the shell's prompt", |s| s.lines().any(|l| l.trim() == "$"));
    t
}

fn start_montui(t: &Tmux, dir: &std::path::Path) {
    let bin = env!("CARGO_BIN_EXE_montui");
    let db = dir.join("h.db");
    t.send(&format!("'{bin}' --db {}", db.display()));
    t.send("Enter");
    t.wait_for("montui's UI", |_| t.alternate_on());
}

/// Sends `sig` to the montui recording into `dir` (tests run side by side).
fn signal(dir: &std::path::Path, sig: &str) {
    let db = dir.join("h.db");
    let ok = std::process::Command::new("pkill")
        .args([sig, "-f", &db.display().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "no montui recording into {}", db.display());
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn suspend_gives_the_shell_its_terminal_and_fg_resumes_into_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let t = shell(dir.path());
    for suspend in ["key", "signal"] {
        start_montui(&t, dir.path());
        if suspend == "key" {
            t.send("C-z");
        } else {
            signal(dir.path(), "-TSTP");
        }
        // Stopped: the shell has the main screen, in cooked mode.
        t.wait_for("the shell to say montui stopped", |s| {
            s.contains("Stopped") && !t.alternate_on()
        });
        t.send("echo typed-$((6*7))");
        t.send("Enter");
        t.wait_for("the shell to echo and run what is typed", |s| {
            s.contains("typed-42")
        });
        // Resumed: the UI is back, redrawn, and reads keys one by one (raw mode).
        t.send("fg");
        t.send("Enter");
        t.wait_for("the UI again", |s| t.alternate_on() && s.contains("CPU"));
        t.send("q");
        t.wait_for("montui to quit on `q` alone", |s| {
            !t.alternate_on() && s.lines().any(|l| l.trim() == "$")
        });
    }
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn sigquit_ends_montui_with_the_terminal_restored() {
    let dir = tempfile::tempdir().unwrap();
    let t = shell(dir.path());
    start_montui(&t, dir.path());
    signal(dir.path(), "-QUIT");
    t.wait_for("the shell's screen", |_| !t.alternate_on());
    t.send("echo typed-$((6*7))");
    t.send("Enter");
    t.wait_for("the shell to echo and run what is typed", |s| {
        s.lines().any(|l| l.trim() == "typed-42")
    });
}
