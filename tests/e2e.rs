//! The real binary, end to end: in tmux for the UI, plain processes for the rest.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::tmux::Tmux;
use montui::store::Store;
use montui::ui::format_time;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

use common::{home as env, montui as start};

/// `montui --headless --db <db> <args>`, recording in the background.
fn recorder_with(dir: &Path, db: &Path, stderr: Stdio, args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .args(["--headless", "--db"])
        .arg(db)
        .args(args)
        .envs(env(dir))
        .stderr(stderr)
        .spawn()
        .unwrap()
}

fn recorder(dir: &Path, db: &Path, stderr: Stdio) -> std::process::Child {
    recorder_with(dir, db, stderr, &[])
}

/// Stops a recorder after `secs` with SIGTERM; it must end well (its last batch flushed).
fn stop_after(child: std::process::Child, secs: u64) {
    std::thread::sleep(Duration::from_secs(secs));
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
}

/// Writes `config` to the test's montui.toml and starts montui with it.
fn start_with_config(tmux: &Path, dir: &Path, config: &str) -> Tmux {
    let cfg = dir.join("montui.toml");
    std::fs::write(&cfg, config).unwrap();
    start(tmux, dir, &format!("--config '{}'", cfg.display()))
}

fn has_figure_after(screen: &str, label: &str) -> bool {
    screen.lines().any(|l| {
        l.split(label)
            .nth(1)
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn live_shows_figures_help_pause_and_quits_cleanly() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let t = start(&tmux, dir.path(), "");
    t.wait_for("CPU and memory figures", |s| {
        s.contains("LIVE")
            && s.contains("CPU (")
            && has_figure_after(s, "│")
            && has_figure_after(s, "Mem ")
            && s.lines().nth(2).is_some_and(|l| l.contains('%'))
    });
    t.send("?");
    t.wait_for("help", |s| s.contains("Keys (Esc or ? to close)"));
    t.send("Escape");
    t.wait_for("help closed", |s| !s.contains("Keys (Esc"));
    // The log: Enter on its pane opens all of it in a window (from Procs: Alerts, Anomalies,
    // Log); it is in a file too.
    for _ in 0..3 {
        t.send("Tab");
    }
    t.send("Enter");
    t.wait_for("the log window", |s| {
        s.contains("Log (PgUp/k: older") && s.contains("recording ")
    });
    t.send("Escape");
    t.wait_for("the log window closed", |s| !s.contains("Log (PgUp/k"));
    let log = std::fs::read_to_string(dir.path().join("state/montui/montui.log"));
    assert!(log.is_ok_and(|l| l.contains("recording ")), "the log file");
    // Recorded by default in the XDG data dir.
    assert!(dir.path().join("data/montui/history.db").exists());
    // Pause browses what was recorded; p again is live.
    std::thread::sleep(Duration::from_millis(1500));
    t.send("p");
    t.wait_for("paused", |s| s.contains("PAUSED"));
    t.send("p");
    t.wait_for("live again", |s| s.contains("LIVE"));
    t.send("q");
    let s = t.wait_for("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
    assert!(!t.alternate_on(), "terminal left on the alternate screen");
    assert!(!s.contains("CPU ("), "UI left on screen:\n{s}");
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn sigterm_restores_the_terminal() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let t = start(&tmux, dir.path(), "");
    t.wait_for("UI", |s| s.contains("LIVE"));
    assert!(t.alternate_on());
    let shell = t.pane_pid();
    let montui = Command::new("pgrep")
        .args(["-P", &shell.to_string(), "montui"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let target = if montui.is_empty() {
        format!("-{shell}")
    } else {
        montui
    };
    Command::new("kill")
        .args(["-TERM", &target])
        .status()
        .unwrap();
    let s = t.wait_for("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
    assert!(!t.alternate_on());
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn headless_records_then_replay_steps_and_jumps() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    stop_after(recorder(dir.path(), &db, Stdio::piped()), 5);
    let store = Store::open_reader(&db).unwrap();
    let host = store.hosts().unwrap().remove(0);
    let times = store.sample_times(&host, 0, i64::MAX).unwrap();
    // Sampling starts at once and the last batch is flushed on SIGTERM.
    assert!(times.len() >= 5, "{} samples in 5 s", times.len());

    // The same recording exported, as a Prometheus scrape would read it.
    let om = Command::new(BIN)
        .args([
            "export",
            "--format",
            "openmetrics",
            "--from",
            "1h ago",
            "--db",
        ])
        .arg(&db)
        .envs(env(dir.path()))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&om.stdout);
    assert!(
        om.status.success(),
        "{}",
        String::from_utf8_lossy(&om.stderr)
    );
    assert!(
        text.ends_with("# EOF\n") && text.contains("montui_cpu_busy_percent{host="),
        "{text}"
    );
    assert!(
        text.lines()
            .filter(|l| l.starts_with("montui_load1{"))
            .count()
            >= times.len() - 1
    );

    let t = start(
        &tmux,
        dir.path(),
        &format!("--replay --db '{}'", db.display()),
    );
    let first = format_time(times[0], false);
    t.wait_for("first sample", |s| {
        s.contains("REPLAY 1/") && common::status_time(s).as_deref() == Some(first.as_str())
    });
    t.send("t");
    let second = format_time(times[1], false);
    t.wait_for("one step forward", |s| {
        s.contains("REPLAY 2/") && common::status_time(s).as_deref() == Some(second.as_str())
    });
    assert_eq!((times[1] - times[0] + 500) / 1000, 1, "one interval apart");
    t.send("G");
    let last = format_time(*times.last().unwrap(), false);
    t.wait_for("last sample", |s| {
        common::status_time(s).as_deref() == Some(last.as_str())
    });
    t.send("T");
    t.wait_for("one step back", |s| {
        s.contains(&format!("REPLAY {}/", times.len() - 1))
    });
    t.send("j");
    t.send("-1h");
    t.send("Enter");
    t.wait_for("jump before the start lands on the first sample", |s| {
        s.contains("REPLAY 1/")
    });
    t.send("q");
    let s = t.wait_for("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
}

#[test]
fn second_recorder_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut first = recorder(dir.path(), &db, Stdio::null());
    std::thread::sleep(Duration::from_millis(800));
    let second = Command::new(BIN)
        .args(["--headless", "--db"])
        .arg(&db)
        .envs(env(dir.path()))
        .output()
        .unwrap();
    let _ = first.kill();
    let _ = first.wait();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(err.contains(&format!("pid {}", first.id())), "{err}");
}

#[test]
fn bad_config_fails_before_the_terminal_naming_file_line_key_value() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("montui.toml");
    std::fs::write(&cfg, "interval = \"1s\"\n[ui]\nhistory = \"lots\"\n").unwrap();
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&cfg)
        .envs(env(dir.path()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "touched the terminal");
    assert!(
        err.contains(&cfg.display().to_string()) && err.contains("line 3"),
        "{err}"
    );
    assert!(
        err.contains("key `history`") && err.contains("\"lots\""),
        "{err}"
    );
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn replay_follows_a_recording_in_progress() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut recorder = recorder(dir.path(), &db, Stdio::null());
    std::thread::sleep(Duration::from_secs(3));
    let t = start(
        &tmux,
        dir.path(),
        &format!("--replay --db '{}'", db.display()),
    );
    t.wait_for("replay", |s| s.contains("REPLAY 1/"));
    t.send("G");
    let at_end = t.wait_for("last sample", |s| !s.contains("REPLAY 1/"));
    let first_seen = common::status_time(&at_end);
    // New samples arrive every second and are flushed every second: the view follows them.
    t.wait_for("a newer sample", |s| {
        common::status_time(s) != first_seen && s.contains("REPLAY")
    });
    let _ = recorder.kill();
    let _ = recorder.wait();
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn a_configured_rule_fires_is_acked_survives_a_restart_and_is_silenced() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let cfg = "[alerts]\ndefault_rules = false\n\n[alerts.notify]\ngroup_wait = \"0s\"\n\n\
         [[alerts.rules]]\nname = \"memory_in_use\"\n\
         metric = \"memory_used_percent\"\nabove = 0\nseverity = \"critical\"\n";
    let t = start_with_config(&tmux, dir.path(), cfg);
    t.wait_for("the rule firing", |s| {
        s.contains("1 firing") && s.contains("FIRING") && s.contains("memory_in_use")
    });
    // The alert keys act on the Alerts pane: away from it `a` only says where it works.
    t.send("a");
    t.wait_for("the hint", |s| s.contains("a: in the Alerts pane"));
    assert!(t.capture().contains("0 acked"));
    t.send("Tab");
    t.send("a");
    let s = t.wait_for("the alert acked", |s| {
        s.contains("1 acked")
            && s.lines()
                .any(|l| l.contains("acked ") && l.contains("memory_in_use"))
    });
    assert!(
        s.contains("alert memory_in_use") && s.contains("notify {host="),
        "the log pane records the transition and the notice:\n{s}"
    );
    t.send("u");
    t.wait_for("un-acked", |s| {
        s.contains("0 acked") && s.contains("FIRING")
    });
    t.send("A");
    t.wait_for("all acked", |s| s.contains("1 acked"));
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // A restart on the same history: still firing, still acknowledged.
    let t = start_with_config(&tmux, dir.path(), cfg);
    t.wait_for("the alert restored", |s| {
        s.contains("1 firing") && s.contains("1 acked")
    });
    t.send("Tab");
    // Silence it for an hour, then expire the silence.
    t.send("s");
    t.send("1h");
    t.send("Enter");
    t.wait_for("silenced", |s| {
        s.contains("1 silenced")
            && s.lines()
                .any(|l| l.contains("silenced") && l.contains("memory_in_use"))
    });
    t.send("S");
    t.wait_for("the silence list", |s| {
        s.contains("Silences (x or Enter") && s.contains("alertname=memory_in_use")
    });
    t.send("x");
    t.wait_for("silence expired", |s| s.contains("no silences"));
    t.send("Escape");
    t.wait_for("not silenced", |s| s.contains("0 silenced"));
    // Details: the rule, the annotations' absence aside, the timeline with the ack.
    t.send("Enter");
    t.wait_for("the details", |s| {
        s.contains("rule memory_used_percent > 0")
            && s.contains("Timeline")
            && s.contains("acked by")
            && s.contains("FIRING")
    });
    t.send("Escape");
    // A filter that matches nothing hides the row; Esc clears it.
    t.send("/");
    t.send("nomatch");
    t.send("Enter");
    t.wait_for("filtered out", |s| {
        s.contains("/nomatch")
            && !s
                .lines()
                .any(|l| l.contains("acked ") && l.contains("memory_in_use"))
    });
    t.send("Escape");
    t.wait_for("filter cleared", |s| {
        !s.contains("/nomatch")
            && s.lines()
                .any(|l| l.contains("acked ") && l.contains("memory_in_use"))
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn an_unacknowledged_alert_escalates_and_its_details_show_the_step() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let cfg = "[alerts]\ndefault_rules = false\n\n[[alerts.rules]]\nname = \"memory_in_use\"\n\
         metric = \"memory_used_percent\"\nabove = 0\nseverity = \"warning\"\n\n\
         [alerts.rules.annotations]\nsummary = \"memory on {host} at {value}%\"\n\n\
         [[alerts.escalation]]\n[[alerts.escalation.steps]]\nafter = \"2s\"\n\
         severity = \"critical\"\nassignee = \"lead\"\n";
    let t = start_with_config(&tmux, dir.path(), cfg);
    t.wait_for("the warning", |s| {
        s.lines()
            .any(|l| l.contains("WARN") && l.contains("memory_in_use"))
    });
    t.wait_for("escalated to critical", |s| {
        s.lines().any(|l| {
            l.contains("CRIT") && l.contains("memory_in_use") && l.contains("assignee=lead")
        })
    });
    // The writer commits once a second: then the details hold the step.
    std::thread::sleep(Duration::from_millis(1500));
    t.send("Tab");
    t.send("Enter");
    t.wait_for("the step in the details", |s| {
        s.contains("escalated, step 1")
            && s.contains("assign lead: taken")
            && s.contains("summary memory on ")
    });
    t.send("Escape");
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

/// The count in the Anomalies pane's title.
fn listed(screen: &str) -> Option<usize> {
    let rest = screen.split("Anomalies  ").nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn anomalies_are_recorded_replayed_as_of_the_time_and_forecasts_shown_live() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    // A line this low finds something in a few seconds of any machine's samples, once each
    // series has learned 120 samples (12 s at 100 ms).
    let cfg = dir.path().join("montui.toml");
    std::fs::write(&cfg, "[anomalies]\nscore = 0.02\n").unwrap();
    let cfg = cfg.display().to_string();
    let args = ["--interval", "100ms", "--config", cfg.as_str()];
    stop_after(recorder_with(dir.path(), &db, Stdio::piped(), &args), 20);
    let store = Store::open_reader(&db).unwrap();
    let host = store.hosts().unwrap().remove(0);
    let found = store.anomalies_at(i64::MAX, 10_000).unwrap();
    assert!(!found.is_empty(), "nothing found in 20 s at a line of 0.02");
    assert!(found.iter().all(|a| a.host == host && a.score >= 0.02));
    let times = store.sample_times(&host, 0, i64::MAX).unwrap();
    let early: Vec<_> = found
        .iter()
        .filter(|a| a.started_ms <= times[119])
        .collect();
    assert!(
        early.is_empty(),
        "none while learning: {early:?} (from {})",
        times[0]
    );

    // Replay: none at the first sample, all of them at the last.
    let t = start(
        &tmux,
        dir.path(),
        &format!("--replay --db '{}'", db.display()),
    );
    t.wait_for("none at the first sample", |s| {
        s.contains("REPLAY 1/") && listed(s) == Some(0)
    });
    t.send("G");
    let n = found.len().min(500);
    t.wait_for("all at the last sample", |s| listed(s) == Some(n));
    // Focus the Anomalies pane (from Procs: Alerts, Anomalies); Enter opens the newest's chart.
    t.send("l");
    t.send("l");
    t.send("Enter");
    t.wait_for("its chart", |s| {
        s.contains("(Esc to close)") && s.contains("why ") && s.contains("score ")
    });
    t.send("Escape");
    t.wait_for("closed", |s| {
        !s.contains("(Esc to close)") && listed(s) == Some(n)
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(t);

    // Live: `f` shows each series' forecast and how far off it has been.
    let t = start(&tmux, dir.path(), "--interval 100ms");
    t.send("Tab");
    t.send("Tab");
    t.send("f");
    t.wait_for("forecasts", |s| {
        // A series, its forecast and its error (which rows show depends on the selection).
        s.contains("Forecasts ")
            && s.lines().any(|l| l.contains('{') || l.contains('_'))
            && s.lines()
                .any(|l| l.contains(" in ") && l.contains("→") && l.contains('%'))
    });
    t.send("f");
    t.wait_for("anomalies again", |s| listed(s).is_some());
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}
