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
