//! Replay of a recording with several hosts, in the real binary: this machine opens first,
//! the others are in the hosts overview with their figures at the replayed time, and Enter on
//! one replays it from the same moment.

mod common;

use montui::store::Store;

/// This machine's name, as montui records it.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// A recording of a remote host (recorded first; it sorts first too) and this machine, 60
/// samples each, replayed in tmux; this machine's name.
fn replay_two_hosts(dir: &std::path::Path) -> (common::tmux::Tmux, String) {
    let tmux = common::need("tmux");
    let db = dir.join("h.db");
    let local = hostname();
    let mut w = Store::open_writer(&db).unwrap();
    for host in ["aaa-remote", local.as_str()] {
        let mut samples = common::raw_samples(60);
        for s in &mut samples {
            s.host = host.to_string();
        }
        w.insert(&samples).unwrap();
    }
    drop(w);
    let t = common::montui(&tmux, dir, &format!("--replay --db '{}'", db.display()));
    (t, local)
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn replay_opens_this_machine_and_switches_hosts_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let (t, local) = replay_two_hosts(dir.path());
    t.wait_for("this machine, the remote in the overview", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains(&format!("│ {local} │")))
            && s.contains("aaa-remote")
            && s.contains("REPLAY 1/60")
    });
    // To the middle, then the remote host: replayed from the same sample.
    t.send("j");
    t.send("30s");
    t.send("Enter");
    let at = t.wait_for("30 s in", |s| s.contains("REPLAY 31/60"));
    let time = common::status_time(&at).expect("a time");
    let row = at
        .lines()
        .find(|l| l.contains("aaa-remote"))
        .unwrap_or_default();
    assert!(
        row.contains(" up ") && row.contains('%'),
        "its figures then: {row}"
    );
    // Focus: processes → alerts → anomalies → metrics → log → hosts; rows: this machine,
    // then the remote.
    for _ in 0..5 {
        t.send("Tab");
    }
    t.send("Down");
    t.send("Enter");
    t.wait_for("the remote host at the same time", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("│ aaa-remote │"))
            && common::status_time(s).as_deref() == Some(time.as_str())
            && s.contains("REPLAY 31/60")
            && s.contains(&local)
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn a_click_on_a_chart_goes_there_and_a_click_on_a_host_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let (t, _) = replay_two_hosts(dir.path());
    t.wait_for("the first sample", |s| s.contains("REPLAY 1/60"));
    t.send("j");
    t.send("30s");
    t.send("Enter");
    let s = t.wait_for("30 s in", |s| s.contains("REPLAY 31/60"));
    // The CPU chart: under the pane's title and its figures line; 31 samples from its left
    // edge, the newest at column 31. Ten columns left of it: ten samples back.
    let title = s
        .lines()
        .position(|l| l.contains("CPU ("))
        .expect("the CPU pane");
    t.mouse(0, 21, title + 2);
    t.wait_for("ten samples back", |s| s.contains("REPLAY 21/60"));
    // The remote host's row in the overview: shown at the same time.
    let s = t.capture();
    let row = s
        .lines()
        .position(|l| l.contains("aaa-remote"))
        .expect("its row");
    t.mouse(0, 10, row);
    t.wait_for("the remote host shown", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("│ aaa-remote │"))
            && s.contains("REPLAY 21/60")
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}
