//! Shared by the notification tests: a config file, a rule that fires at once, the real
//! binary recording headless, `montui notify test`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_montui");

pub fn write(dir: &Path, text: &str) -> PathBuf {
    let cfg = dir.join("config.toml");
    std::fs::write(&cfg, text).unwrap();
    cfg
}

/// `montui --config cfg notify test`: success and what it printed.
pub fn notify_test(dir: &Path, cfg: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let o = Command::new(BIN)
        .arg("--config")
        .arg(cfg)
        .args(["notify", "test"])
        .envs(super::home(dir))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

pub fn recorder(dir: &Path, cfg: &Path, env: &[(&str, &str)]) -> std::process::Child {
    Command::new(BIN)
        .args(["--headless", "--config"])
        .arg(cfg)
        .arg("--db")
        .arg(dir.join("h.db"))
        .envs(super::home(dir))
        .envs(env.iter().copied())
        .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

pub fn stop(child: std::process::Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait_with_output();
}

/// A config with a rule that fires at once, and `receivers`.
pub fn firing(receivers: &str) -> String {
    format!(
        r#"interval = "200ms"
[alerts.notify]
group_wait = "0s"
[[alerts.rules]]
name = "always"
metric = "up"
above = 0.5
severity = "critical"
{receivers}"#
    )
}
