//! A program full-screen in a tmux server of its own (so a bench never meets another's).

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Tmux {
    socket: String,
    home: PathBuf,
}

impl Tmux {
    /// Starts `cmd` in a `w`×`h` window; `HOME` is `home`.
    pub fn start(name: &str, home: &Path, cmd: &str, w: u16, h: u16) -> Result<Self, String> {
        let t = Tmux {
            socket: format!("montui-bench-{}-{name}", std::process::id()),
            home: home.to_path_buf(),
        };
        let (w, h) = (w.to_string(), h.to_string());
        let cmd = format!("exec {cmd}");
        t.run(&["new-session", "-d", "-s", "b", "-x", &w, "-y", &h, &cmd])?;
        Ok(t)
    }

    /// A tmux command's output.
    pub fn run(&self, args: &[&str]) -> Result<String, String> {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("HOME", &self.home)
            .output()
            .map_err(|e| format!("tmux: {e} (apt-get install tmux)"))?;
        Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
    }

    /// The program's process id.
    pub fn pid(&self) -> Result<u32, String> {
        self.run(&["display", "-p", "-t", "b", "#{pane_pid}"])?
            .parse()
            .map_err(|_| "the program in tmux did not start".to_string())
    }

    /// What the screen shows.
    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "b"])
            .unwrap_or_default()
    }

    pub fn kill(&self) {
        let _ = self.run(&["kill-server"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill();
    }
}
