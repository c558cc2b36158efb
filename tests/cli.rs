//! What the command line says when something is wrong: each error once, plainly, with a
//! non-zero exit; nothing ignored silently.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

/// Runs montui with `args` in a home of its own; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .expect("run montui");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn a_missing_config_file_says_its_os_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["--check-config", "--config", "/nonexistent.toml"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    assert!(err.contains("/nonexistent.toml"), "{err}");
}

#[test]
fn check_config_says_which_file_it_read_or_that_there_was_none() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(dir.path(), &["--check-config"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("no file at") && out.contains("defaults"),
        "{out}"
    );
    let cfg = dir.path().join("montui.toml");
    std::fs::write(&cfg, "interval = \"2s\"\n").unwrap();
    let (code, out, _) = run(
        dir.path(),
        &["--check-config", "--config", cfg.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("config ok: {}", cfg.display())),
        "{out}"
    );
}

#[test]
fn export_refuses_an_unknown_metric_and_a_backwards_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    let (code, out, err) = run(dir.path(), &["export", "--db", db, "--metric", "lod1"]);
    assert_ne!(code, 0, "{out}");
    assert!(
        err.contains("no metric `lod1`") && err.contains("load1"),
        "{err}"
    );
    let (code, _, err) = run(dir.path(), &["export", "--db", db, "--metric", "disk_*"]);
    assert!(
        !err.contains("no metric"),
        "a prefix that metrics have: {code} {err}"
    );
    let args = ["export", "--db", db, "--from", "1h ago", "--to", "2h ago"];
    let (code, _, err) = run(dir.path(), &args);
    assert_ne!(code, 0);
    assert!(err.contains("is after --to"), "{err}");
}

#[test]
fn from_without_replay_is_an_error_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let args = [
        "--headless",
        "--db",
        db.to_str().unwrap(),
        "--from",
        "1h ago",
    ];
    let (code, _, err) = run(dir.path(), &args);
    assert_ne!(code, 0);
    assert!(err.contains("--from"), "{err}");
}

#[test]
fn without_a_terminal_the_ui_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let (code, _, err) = run(dir.path(), &["--db", db.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("--headless"),
        "{err}"
    );
    assert!(!db.exists(), "no history created");
    assert!(!dir.path().join("h.db.lock").exists());
}

#[test]
fn headless_stops_cleanly_on_sighup_as_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let child = Command::new(BIN)
        .args(["--headless", "--db", db.to_str().unwrap()])
        .env("HOME", dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run montui");
    // Until it has recorded a sample, so the signal arrives while it runs.
    let start = std::time::Instant::now();
    while !db.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("last batch flushed"), "{err}");
}

#[test]
fn an_error_says_each_thing_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    std::fs::write(&db, vec![0x5a; 8192]).unwrap();
    let (code, _, err) = run(dir.path(), &["export", "--db", db.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert_eq!(
        err.matches("not a database").count(),
        1,
        "said once, with the file: {err}"
    );
    assert!(err.contains(db.to_str().unwrap()), "{err}");
}
