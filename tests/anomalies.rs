//! The anomaly watch end to end: a headless recording keeps what it found in the history
//! file, replay lists it as of the replayed time, and the live pane shows every series'
//! forecast.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::tmux::Tmux;
use montui::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

fn env(dir: &Path) -> Vec<(&'static str, std::path::PathBuf)> {
    vec![
        ("HOME", dir.to_path_buf()),
        ("XDG_CONFIG_HOME", dir.join("config")),
        ("XDG_DATA_HOME", dir.join("data")),
    ]
}

fn start(tmux: &Path, dir: &Path, args: &str) -> Tmux {
    let env = env(dir);
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    Tmux::start(tmux, &format!("'{BIN}' {args}"), &env, 120, 40)
}

/// The count in the Anomalies pane's title.
fn listed(screen: &str) -> Option<usize> {
    let rest = screen.split("Anomalies  ").nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

#[test]
fn anomalies_are_recorded_replayed_as_of_the_time_and_forecasts_shown_live() {
    let Some(tmux) = common::need("tmux", "tmux") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    // A line this low finds something in a few seconds of any machine's samples.
    let cfg = dir.path().join("montui.toml");
    std::fs::write(&cfg, "[anomalies]\nscore = 0.02\n").unwrap();
    let child = Command::new(BIN)
        .args(["--headless", "--interval", "100ms", "--db"])
        .arg(&db)
        .arg("--config")
        .arg(&cfg)
        .envs(env(dir.path()))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(8));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open_reader(&db).unwrap();
    let host = store.hosts().unwrap().remove(0);
    let found = store.anomalies_at(i64::MAX, 10_000).unwrap();
    assert!(!found.is_empty(), "nothing found in 8 s at a line of 0.02");
    assert!(found.iter().all(|a| a.host == host && a.score >= 0.02));
    let times = store.sample_times(&host, 0, i64::MAX).unwrap();
    assert!(found.iter().all(|a| a.started_ms > times[0]));

    // Replay: none at the first sample, all of them at the last.
    let t = start(
        &tmux,
        dir.path(),
        &format!("--replay --db '{}'", db.display()),
    );
    t.wait_for("none at the first sample", Duration::from_secs(3), |s| {
        s.contains("REPLAY 1/") && listed(s) == Some(0)
    });
    t.send("G");
    let n = found.len().min(500);
    t.wait_for("all at the last sample", Duration::from_secs(3), |s| {
        listed(s) == Some(n)
    });
    t.send("q");
    t.wait_for("exit", Duration::from_secs(5), |s| s.contains("EXIT=0"));
    drop(t);

    // Live: `f` shows each series' forecast and how far off it has been.
    let t = start(&tmux, dir.path(), "--interval 100ms");
    t.send("f");
    t.wait_for("forecasts", Duration::from_secs(15), |s| {
        s.contains("Forecasts ")
            && s.lines()
                .any(|l| l.contains("_percent") && l.contains("→") && l.contains('%'))
    });
    t.send("f");
    t.wait_for("anomalies again", Duration::from_secs(3), |s| {
        listed(s).is_some()
    });
    t.send("q");
    t.wait_for("exit", Duration::from_secs(5), |s| s.contains("EXIT=0"));
}
