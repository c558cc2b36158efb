//! Log following end to end: the real binary in tmux follows a file the test appends to,
//! rotates (rename + new file) and truncates; the Patterns pane shows a new pattern within
//! 2 s and its count never loses or repeats a line; after a restart the counts go on.

mod common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

fn append(path: &Path, lines: &[String]) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open log");
    for l in lines {
        writeln!(f, "{l}").expect("write log");
    }
}

fn jobs(from: usize, n: usize) -> Vec<String> {
    (from..from + n)
        .map(|i| format!("2026-11-23 10:00:{:02} INFO [pool-{i}] app.Worker: worker {i} finished job {} in {} ms", i % 60, 1000 + i, 10 * i))
        .collect()
}

/// montui following `log`, in tmux at 120×40.
fn follow(tmux: &Path, log: &Path, env: &[(&str, &Path)]) -> Tmux {
    Tmux::start(
        tmux,
        &format!("'{BIN}' --log '{}'", log.display()),
        env,
        120,
        40,
    )
}

/// The COUNT column of the pattern row containing `needle`.
fn count_of(screen: &str, needle: &str) -> Option<u64> {
    let line = screen.lines().find(|l| l.contains(needle))?;
    line.trim_start_matches(['│', ' '])
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
}

fn wait_count(t: &Tmux, needle: &str, want: u64) -> String {
    t.wait_for(&format!("{needle} counted {want}"), |s| {
        count_of(s, needle) == Some(want)
    })
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn appended_rotated_and_truncated_lines_are_each_counted_once() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("app.log");
    append(&log, &["written before montui started: not read".into()]);
    let env = [
        ("HOME", dir.path().to_path_buf()),
        ("XDG_CONFIG_HOME", dir.path().join("config")),
        ("XDG_DATA_HOME", dir.path().join("data")),
    ];
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let t = follow(&tmux, &log, &env);
    t.wait_for("the Patterns pane", |s| s.contains("waiting for log lines"));
    // A new pattern: on screen soon after it is written (how soon: the loghub bench).
    append(&log, &jobs(0, 5));
    let at = Instant::now();
    let screen = wait_count(&t, "finished job", 5);
    println!("new pattern shown {:?} after the write", at.elapsed());
    assert!(
        screen.contains("worker <*> finished job <*> in <*>"),
        "{screen}"
    );
    assert!(screen.contains("NEW"), "{screen}");
    assert!(!screen.contains("not read"), "{screen}");
    // Rotation: lines written just before the rename are still read from the old file.
    append(&log, &jobs(5, 3));
    std::fs::rename(&log, dir.path().join("app.log.1")).expect("rotate");
    append(&log, &jobs(8, 2));
    append(
        &log,
        &["2026-11-23 10:01:00 WARN [main] app.Cache: cache miss for key user:42".into()],
    );
    wait_count(&t, "finished job", 10);
    let screen = wait_count(&t, "cache miss", 1);
    assert!(screen.contains("WRN"), "{screen}");
    // Truncation (copytruncate): the file starts over and is read from its start.
    std::fs::write(&log, b"").expect("truncate");
    std::thread::sleep(Duration::from_millis(1500));
    append(&log, &jobs(10, 4));
    wait_count(&t, "finished job", 14);
    // Nothing more arrives: the counts stay.
    std::thread::sleep(Duration::from_millis(1500));
    let screen = t.capture();
    assert_eq!(count_of(&screen, "finished job"), Some(14), "{screen}");
    assert_eq!(count_of(&screen, "cache miss"), Some(1), "{screen}");
    t.send("q");
    t.wait_for("montui to quit", |s| s.contains("EXIT=0"));
    drop(t);
    // Restarted: the patterns are listed with their counts before any new line, then count on.
    let t = follow(&tmux, &log, &env);
    let screen = wait_count(&t, "finished job", 14);
    assert_eq!(count_of(&screen, "cache miss"), Some(1), "{screen}");
    append(&log, &jobs(14, 1));
    wait_count(&t, "finished job", 15);
    // A new pattern at ERROR raises an alert.
    append(
        &log,
        &["2026-11-23 10:02:00 ERROR [db] app.Db: deadlock detected on table orders".into()],
    );
    t.wait_for("the log_error_new alert", |s| s.contains("log_error_new"));
    t.send("q");
    t.wait_for("montui to quit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn a_headless_recording_replays_its_patterns_as_of_the_replayed_time() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().expect("dir");
    let (log, db) = (dir.path().join("app.log"), dir.path().join("h.db"));
    append(&log, &[]);
    let env = [
        ("HOME", dir.path().to_path_buf()),
        ("XDG_CONFIG_HOME", dir.path().join("config")),
        ("XDG_DATA_HOME", dir.path().join("data")),
    ];
    let mut rec = std::process::Command::new(BIN)
        .args(["--headless", "--db"])
        .arg(&db)
        .arg("--log")
        .arg(&log)
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("recorder");
    std::thread::sleep(Duration::from_secs(2));
    append(&log, &jobs(0, 7));
    std::thread::sleep(Duration::from_secs(2));
    std::process::Command::new("kill")
        .args(["-TERM", &rec.id().to_string()])
        .status()
        .expect("kill");
    assert!(rec.wait().expect("recorder ends").success());
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let t = Tmux::start(
        &tmux,
        &format!("'{BIN}' --replay --db '{}'", db.display()),
        &env,
        120,
        40,
    );
    // At the last sample all 7 lines are counted; at the first, before they were written, none.
    t.wait_for("the replay", |s| s.contains("REPLAY"));
    t.send("G");
    let screen = wait_count(&t, "finished job", 7);
    assert!(screen.contains("LAST HOUR"), "{screen}");
    t.send("g");
    t.wait_for("no pattern yet at the first sample", |s| {
        count_of(s, "finished job").is_none()
    });
    t.send("q");
}
