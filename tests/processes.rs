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
    // Every process kept, the idle child among them.
    let config = dir.path().join("config/montui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[collect]\ntop_processes = 1000\n",
    )
    .unwrap();
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("live figures", |s| {
        s.contains("LIVE") && s.contains("Processes (by CPU)")
    });
    t.send("F3");
    t.wait_for("the search prompt", |s| {
        s.contains("show processes containing")
    });
    t.send_literal(&pid);
    t.send("Enter");
    // Among a thousand idle processes it is not on screen until searched for.
    t.wait_for("only the child", |s| {
        s.contains(&format!("/{pid}")) && s.lines().any(|l| l.contains(&format!("┃{pid} ")))
    });
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
