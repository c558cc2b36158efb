//! Notices reach receivers through the outbox: the real binary recording headless, a rule
//! that fires at once, a `command` receiver that appends what it is given to a file.

mod common;

use common::notify::{recorder, stop};

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_montui");

fn config(dir: &Path, receiver_script: &str) -> std::path::PathBuf {
    let cfg = dir.join("config.toml");
    let text = format!(
        r#"interval = "200ms"
[alerts.notify]
group_wait = "0s"
group_interval = "1s"
[[alerts.rules]]
name = "always"
metric = "up"
above = 0.5
severity = "critical"
[alerts.rules.annotations]
summary = "{{host}} is up"
[[notify.receivers]]
name = "ops"
command = {{ argv = ["sh", "-c", {receiver_script:?}] }}
"#
    );
    std::fs::write(&cfg, text).unwrap();
    cfg
}

/// Waits until `file` has `n` lines; its lines.
fn lines(file: &Path, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let got: Vec<String> = text.lines().map(str::to_string).collect();
        if got.len() >= n || start.elapsed() > common::WAIT {
            return got;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_firing_alert_reaches_a_command_receiver_as_alertmanagers_payload() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("got.jsonl");
    let script = format!(
        "{{ cat; echo; }} >> '{}'; test \"$MONTUI_RECEIVER\" = ops",
        out.display()
    );
    let child = recorder(dir.path(), &config(dir.path(), &script), &[]);
    let got = lines(&out, 1);
    stop(child);
    assert!(!got.is_empty(), "no notice arrived");
    let v: serde_json::Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(v["version"], "4");
    assert_eq!(v["receiver"], "ops");
    assert_eq!(v["status"], "firing");
    assert_eq!(v["alerts"][0]["labels"]["alertname"], "always");
    assert!(
        v["alerts"][0]["annotations"]["summary"]
            .as_str()
            .is_some_and(|s| s.ends_with("is up")),
        "{v}"
    );
}

#[test]
fn a_failing_receiver_is_retried_and_nothing_queued_is_lost_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("got.jsonl");
    let gate = dir.path().join("open");
    // Refuses until the gate file exists.
    let script = format!(
        "test -e '{}' || exit 1; {{ cat; echo; }} >> '{}'",
        gate.display(),
        out.display()
    );
    let cfg = config(dir.path(), &script);
    let child = recorder(dir.path(), &cfg, &[]);
    // The notice is queued and refused a few times.
    std::thread::sleep(Duration::from_secs(3));
    // kill -9: whatever was queued must survive.
    Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait_with_output();
    assert!(lines(&out, 0).is_empty(), "nothing delivered while refused");
    std::fs::write(&gate, "").unwrap();
    let child = recorder(dir.path(), &cfg, &[]);
    let got = lines(&out, 1);
    stop(child);
    assert!(
        !got.is_empty(),
        "the queued notice was delivered after the restart"
    );
    let first: serde_json::Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(first["status"], "firing");
    // Each notice once: ids never repeat.
    let ids: Vec<String> = got
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["montuiNoticeId"].to_string())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn notify_test_sends_a_test_notice_and_says_how_each_receiver_answered() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("got.jsonl");
    let script = format!("{{ cat; echo; }} >> '{}'", out.display());
    let cfg = config(dir.path(), &script);
    let run = |args: &[&str]| {
        let o = Command::new(BIN)
            .arg("--config")
            .arg(&cfg)
            .args(args)
            .envs(common::home(dir.path()))
            .output()
            .unwrap();
        let text =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        (o.status.success(), text)
    };
    let (ok, said) = run(&["notify", "test"]);
    assert!(ok && said.contains("ops: delivered"), "{said}");
    let got = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
    assert_eq!(v["alerts"][0]["labels"]["alertname"], "montui_test");
    let (ok, said) = run(&["notify", "test", "pager"]);
    assert!(
        !ok && said.contains("no receiver `pager`") && said.contains("ops"),
        "{said}"
    );
    let refusing = config(dir.path(), "echo 'relay says no' >&2; exit 2");
    let o = Command::new(BIN)
        .arg("--config")
        .arg(&refusing)
        .args(["notify", "test"])
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(
        said.contains("ops: not delivered") && said.contains("relay says no"),
        "{said}"
    );
}

#[test]
fn check_config_finds_a_receiver_that_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let check = |argv: &str| {
        let cfg = dir.path().join("c.toml");
        let text =
            format!("[[notify.receivers]]\nname = \"ops\"\ncommand = {{ argv = [{argv:?}] }}\n");
        std::fs::write(&cfg, text).unwrap();
        let o = Command::new(BIN)
            .arg("--config")
            .arg(&cfg)
            .arg("--check-config")
            .envs(common::home(dir.path()))
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    assert!(check("sh").0, "on PATH");
    let (ok, err) = check("/no/such/pager");
    assert!(
        !ok && err.contains("receiver `ops`") && err.contains("/no/such/pager"),
        "{err}"
    );
}

#[test]
fn check_config_finds_unset_variables_unreadable_files_and_bad_urls_without_sending() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    let secret = dir.path().join("no-such-secret");
    let text = format!(
        "[[notify.receivers]]\nname = \"chat\"\nslack = {{ url_env = \"T_NO_SUCH_VAR\" }}\n\
         [[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url_env = \"T_HOOK\", secret_file = \"{}\" }}\n",
        secret.display()
    );
    std::fs::write(&cfg, text).unwrap();
    let o = Command::new(BIN)
        .arg("--config")
        .arg(&cfg)
        .arg("--check-config")
        .envs(common::home(dir.path()))
        .env("T_HOOK", "ftp://hooks.example/T1/SECRETMARK")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("receiver `chat`: url: environment variable T_NO_SUCH_VAR is not set"),
        "{err}"
    );
    assert!(
        err.contains("receiver `hook`: url `ftp://hooks.example/T1/S…/****` is not an http(s) URL"),
        "{err}"
    );
    assert!(
        err.contains("receiver `hook`: secret: cannot read"),
        "{err}"
    );
    assert!(!err.contains("SECRETMARK"), "{err}");
}
