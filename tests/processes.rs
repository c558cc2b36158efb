//! The process list as an htop user drives it: the real binary in tmux, a child process the
//! test started found, confirmed by PID and command, and signalled.

mod common;

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn a_process_found_by_search_is_signalled_after_a_confirmation_naming_it() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("sleep")
        .args(["600"])
        .spawn()
        .expect("sleep");
    let pid = child.id().to_string();
    keep_every_process(dir.path());
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("live figures", |s| {
        s.contains("LIVE") && s.contains("Processes (by CPU)")
    });
    // Among a thousand idle processes it is not on screen until searched for.
    search(&t, "F3", &pid);
    t.send("F9");
    let s = t.wait_for("the confirmation", |s| s.contains("the signal (TERM"));
    assert!(s.contains(&format!("send PID {pid} (sleep 600)")), "{s}");
    t.send("Enter");
    t.wait_for("done", |s| {
        s.contains(&format!("SIGTERM to PID {pid}")) && s.contains("done")
    });
    assert_eq!(common::ended_by(&mut child), Some(libc::SIGTERM));
    t.send("q");
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn cpu_of_processes_that_live_less_than_a_sample_shows_as_exited() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    // A shell that starts busy children of ~50 ms, one after another: no listing sees most
    // of them, and the shell itself uses almost nothing.
    let churn = Killed(
        std::process::Command::new("sh")
            .args([
                "-c",
                "while :; do sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'; done",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sh"),
    );
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("the exited row with CPU", |s| {
        s.lines()
            .filter(|l| l.contains("<exited>"))
            .any(|l| exited_cpu(l).is_some_and(|c| c >= 10.0))
    });
    t.send("q");
    drop(churn);
}

/// A child killed when dropped, a failed test's too.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The CPU % on a process row (the first figure ending in %).
fn exited_cpu(line: &str) -> Option<f64> {
    line.split_whitespace()
        .find_map(|w| w.trim_start_matches('┃').strip_suffix('%')?.parse().ok())
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn enter_on_a_process_shows_its_command_line_directory_open_files_and_history() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let child = Killed(
        std::process::Command::new("sleep")
            .args(["600"])
            .current_dir(&work)
            .spawn()
            .expect("sleep"),
    );
    let pid = child.0.id().to_string();
    keep_every_process(dir.path());
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("live figures", |s| s.contains("Processes (by CPU)"));
    search(&t, "/", &pid);
    t.send("Enter");
    let s = t.wait_for("its details", |s| {
        s.contains(&format!("PID {pid} sleep")) && s.contains("· open files")
    });
    assert!(s.contains("command sleep 600"), "{s}");
    assert!(s.contains(&format!("cwd {}", work.display())), "{s}");
    assert!(s.contains("CPU % of one core, as recorded"), "{s}");
    t.send("Escape");
    t.wait_for("closed", |s| !s.contains(&format!("PID {pid} sleep")));
    t.send("q");
    drop(child);
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn a_followed_process_stays_selected_and_recorded_when_it_goes_idle() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    // Busy (the busiest here) until told, then idle under the same PID.
    let stop = dir.path().join("stop");
    let child = Killed(
        std::process::Command::new("sh")
            .args([
                "-c",
                "while [ ! -e \"$1\" ]; do :; done; exec sleep 600",
                "sh",
            ])
            .arg(&stop)
            .spawn()
            .expect("sh"),
    );
    let pid = child.0.id().to_string();
    let config = dir.path().join("config/montui");
    std::fs::create_dir_all(&config).unwrap();
    // Three processes by CPU and three by memory: an idle child is not among them, the busy
    // one is even while other tests keep the machine busy.
    std::fs::write(config.join("config.toml"), "[collect]\ntop_processes = 3\n").unwrap();
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("the busy child listed", |s| {
        common::process_row(s, &pid).is_some()
    });
    // Selected by a search, followed, the search cleared: still selected, wherever it sorts.
    search(&t, "/", &pid);
    t.send("F");
    t.wait_for("following it", |s| s.contains(&format!("following {pid}")));
    t.send("Escape");
    t.wait_for("every process again", |s| !s.contains(&format!("/{pid}")));
    std::fs::write(&stop, "").unwrap();
    // Idle now, and still listed and selected: kept in every sample for the follower.
    let s = t.wait_for("the idle child still listed", |s| {
        common::process_row(s, &pid).is_some_and(|l| l.contains("sleep 600"))
    });
    assert!(s.contains(&format!("following {pid}")), "{s}");
    t.send("q");
    drop(child);
}

/// A config in `home` that records every process (an idle child among them).
fn keep_every_process(home: &std::path::Path) {
    let config = home.join("config/montui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[collect]\ntop_processes = 1000\n",
    )
    .unwrap();
}

/// Searches the process list (`key`: `/` or `F3`) for `pid` and waits for its row alone.
fn search(t: &common::tmux::Tmux, key: &str, pid: &str) {
    t.send(key);
    t.wait_for("the search prompt", |s| {
        s.contains("show processes containing")
    });
    t.send_literal(pid);
    t.send("Enter");
    t.wait_for("only the child", |s| {
        s.contains(&format!("/{pid}")) && common::process_row(s, pid).is_some()
    });
}
