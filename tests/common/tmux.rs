//! Drives the real montui binary in a private tmux server.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `cmd` in a detached w×h session. After the command ends the pane prints
    /// `EXIT=<code>` and stays open, so tests can read what the terminal was left showing.
    pub fn start(tmux: &Path, cmd: &str, env: &[(&str, &Path)], w: u16, h: u16) -> Self {
        let socket = format!(
            "montui-test-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let exports: String = env
            .iter()
            .map(|(k, v)| format!("export {k}='{}'; ", v.display()))
            .collect();
        let script = format!("{exports}{cmd}; echo EXIT=$?; sleep 600");
        let ok = Command::new(tmux)
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", &w.to_string(), "-y", &h.to_string(), &script])
            .status()
            .expect("run tmux")
            .success();
        assert!(ok, "tmux new-session failed");
        Self { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn capture(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    /// The screen with its colours and attributes as escape sequences.
    pub fn capture_styled(&self) -> String {
        self.tmux(&["capture-pane", "-e", "-p", "-t", "t"])
    }

    /// Appends everything the program writes to the pane, escape sequences included, to
    /// `file` from now on.
    pub fn record(&self, file: &Path) {
        let cmd = format!("cat >> '{}'", file.display());
        self.tmux(&["pipe-pane", "-o", "-t", "t", &cmd]);
    }

    pub fn send(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", "t", "--", keys]);
    }

    /// Types `text` as it is (no key names): escape sequences reach the program as a
    /// terminal would send them.
    pub fn send_literal(&self, text: &str) {
        self.tmux(&["send-keys", "-l", "-t", "t", "--", text]);
    }

    /// Whether the pane is on the alternate screen (montui running full-screen).
    /// The SGR report of a mouse event `button` (0: left click, 65: wheel down) at column
    /// `x`, row `y` (0-based), as a terminal sends it.
    pub fn mouse(&self, button: u8, x: usize, y: usize) {
        self.send_literal(&format!("\x1b[<{button};{};{}M", x + 1, y + 1));
    }

    pub fn alternate_on(&self) -> bool {
        self.tmux(&["display", "-p", "-t", "t", "#{alternate_on}"])
            .trim()
            == "1"
    }

    pub fn pane_pid(&self) -> u32 {
        self.tmux(&["display", "-p", "-t", "t", "#{pane_pid}"])
            .trim()
            .parse()
            .expect("pane pid")
    }

    /// Polls the screen until `pred` holds, returning at once then; panics with the last
    /// screen after `super::WAIT` (generous: CI machines are loaded).
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let timeout = super::WAIT;
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if pred(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}
