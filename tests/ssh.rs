//! Remote hosts against a real sshd on 127.0.0.1: streaming samples, faults, recovery.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::sshd::{Sshd, signal};
use montui::store::Store;

fn config(dir: &Path, sshd: &Sshd, hosts: &[&str]) -> std::path::PathBuf {
    let mut text = format!(
        "interval = \"1s\"\n\n[alerts]\ndefault_rules = true\n\n[ssh]\nconfig_file = \"{}\"\nconnect_timeout = \"5s\"\n",
        sshd.ssh_config.display()
    );
    for h in hosts {
        text += &format!("\n[[hosts]]\nssh = \"{h}\"\n");
    }
    let path = dir.join("montui.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// montui --headless with its log on stderr, captured to a file.
fn headless(dir: &Path, cfg: &Path) -> (Child, std::path::PathBuf) {
    let log = dir.join("stderr.log");
    let child = Command::new(env!("CARGO_BIN_EXE_montui"))
        .arg("--headless")
        .arg("--config")
        .arg(cfg)
        .arg("--db")
        .arg(dir.join("h.db"))
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    (child, log)
}

/// montui with its terminal UI in tmux (120×40).
fn ui(tmux: &Path, dir: &Path, cfg: &Path) -> common::tmux::Tmux {
    let cmd = format!(
        "{} --config '{}' --db '{}'",
        env!("CARGO_BIN_EXE_montui"),
        cfg.display(),
        dir.join("ui.db").display()
    );
    common::tmux::Tmux::start(tmux, &cmd, &[("XDG_DATA_HOME", dir)], 120, 40)
}

fn stop(mut child: Child) {
    signal(child.id(), 15);
    let status = child.wait().unwrap();
    assert!(status.success(), "montui exited with {status}");
}

#[cfg_attr(
    any(montui_no_tmux, montui_no_sshd),
    ignore = "needs tmux and openssh-server (apt-get install tmux openssh-server)"
)]
#[test]
fn a_remote_host_streams_survives_sshd_dying_and_resumes() {
    let mut sshd = common::sshd(2);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sshd, &["lab1", "lab2"]);
    let (child, log) = headless(dir.path(), &cfg);
    common::wait_log(&log, "lab1: connected", 1);
    common::wait_log(&log, "lab2: connected", 1);
    std::thread::sleep(Duration::from_secs(3));
    // sshd and its sessions die mid-stream: the hosts are reported down.
    sshd.kill();
    common::wait_log(&log, "lab1: ", 2);
    std::thread::sleep(Duration::from_secs(2));
    sshd.restart();
    // Reconnects on its own (backoff: about 1, 2, 4 s).
    common::wait_log(&log, "lab1: connected", 2);
    common::wait_log(&log, "lab2: connected", 2);
    std::thread::sleep(Duration::from_secs(3));
    stop(child);
    let store = Store::open_reader(&dir.path().join("h.db")).unwrap();
    let hosts = store.hosts().unwrap();
    assert!(
        hosts.contains(&"lab1".to_string()) && hosts.len() == 3,
        "{hosts:?}"
    );
    let times = store.sample_times("lab1", i64::MIN, i64::MAX).unwrap();
    assert!(times.len() >= 6, "samples before and after: {times:?}");
    assert!(
        times.windows(2).all(|w| w[1] > w[0]),
        "no duplicates, in order"
    );
    let gap = times.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(gap >= 2_000, "the outage is a gap: {times:?}");
    let samples = store.samples("lab1", i64::MIN, i64::MAX).unwrap();
    assert!(
        samples
            .iter()
            .all(|s| s.mem.total > 0 && !s.cpus.is_empty())
    );
    drop(store);
    // The remote host's history replays like this machine's.
    let tmux = common::need("tmux");
    let cmd = format!(
        "{} --replay --host lab1 --config '{}' --db '{}'",
        env!("CARGO_BIN_EXE_montui"),
        cfg.display(),
        dir.path().join("h.db").display()
    );
    let t = common::tmux::Tmux::start(&tmux, &cmd, &[("XDG_DATA_HOME", dir.path())], 120, 40);
    t.wait_for("lab1 replayed", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("│ lab1 │") && l.contains("REPLAY"))
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(
    montui_no_sshd,
    ignore = "needs openssh-server (apt-get install openssh-server)"
)]
#[test]
fn a_stalled_sampler_is_restarted() {
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sshd, &["lab1"]);
    let (child, log) = headless(dir.path(), &cfg);
    common::wait_log(&log, "lab1: connected", 1);
    let samplers = sshd.samplers();
    assert_eq!(samplers.len(), 1, "one sampler per host");
    // Frozen: the connection stays up but no frame comes.
    signal(samplers[0], 19);
    common::wait_log(&log, "sampler stalled", 1);
    common::wait_log(&log, "lab1: connected", 2);
    signal(samplers[0], 18);
    stop(child);
}

#[cfg_attr(
    any(montui_no_tmux, montui_no_sshd),
    ignore = "needs tmux and openssh-server (apt-get install tmux openssh-server)"
)]
#[test]
fn host_key_and_auth_faults_are_named_per_host_and_never_prompt() {
    let tmux = common::need("tmux");
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &sshd,
        &["lab1", "unknownkey", "wrongkey", "refused", "closed"],
    );
    let (child, log) = headless(dir.path(), &cfg);
    for (host, says) in [
        ("unknownkey", "unknown host key"),
        ("wrongkey", "CHANGED"),
        ("refused", "authentication refused"),
        ("closed", "Connection refused"),
    ] {
        common::wait_log(&log, &format!("{host}: "), 1);
        let text = std::fs::read_to_string(&log).unwrap();
        let line = text
            .lines()
            .find(|l| l.contains(&format!("{host}: ")))
            .unwrap();
        assert!(line.contains(says), "{host}: {line}");
    }
    // The good host goes on meanwhile.
    common::wait_log(&log, "lab1: connected", 1);
    stop(child);
    // In the terminal UI nothing asks for a password or a yes/no.
    let t = ui(&tmux, dir.path(), &cfg);
    std::thread::sleep(Duration::from_secs(4));
    let screen = t.capture();
    for prompt in ["password", "(yes/no", "passphrase", "Are you sure"] {
        assert!(
            !screen.contains(prompt),
            "a prompt reached the terminal:\n{screen}"
        );
    }
    assert!(t.alternate_on(), "montui keeps running:\n{screen}");
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[test]
fn option_like_host_names_are_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("montui.toml");
    std::fs::write(
        &cfg,
        "[[hosts]]\nssh = \"-oProxyCommand=touch /tmp/pwned\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_montui"))
        .arg("--check-config")
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("line 2")
            && err.contains("key `ssh`")
            && err.contains("looks like an ssh option"),
        "{err}"
    );
    std::fs::write(&cfg, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_montui"))
        .args(["--check-config", "--host=web1\u{1b}[2J"])
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--host"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "the escape is shown escaped: {err:?}"
    );
}

#[cfg_attr(
    any(montui_no_tmux, montui_no_sshd),
    ignore = "needs tmux and openssh-server (apt-get install tmux openssh-server)"
)]
#[test]
fn the_hosts_overview_lists_remote_hosts_and_enter_shows_one() {
    let tmux = common::need("tmux");
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sshd, &["lab1", "closed"]);
    let t = ui(&tmux, dir.path(), &cfg);
    // Up with a measured round trip (`7ms`) once it has been polled.
    let rtt = |l: &str| {
        l.split_whitespace().any(|w| {
            w.strip_suffix("ms")
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
    };
    t.wait_for("lab1 up with its RTT, closed down", |s| {
        s.lines()
            .any(|l| l.contains("lab1") && l.contains(" up ") && rtt(l))
            && s.lines()
                .any(|l| l.contains("closed") && l.contains("down: "))
    });
    // Focus: processes → alerts → anomalies → log → hosts; rows: this machine, then by
    // name: closed, lab1.
    for _ in 0..4 {
        t.send("Tab");
    }
    t.send("j");
    t.send("j");
    t.send("Enter");
    t.wait_for("lab1 on screen", |s| {
        s.lines().next().is_some_and(|l| l.contains("│ lab1 │"))
            && s.lines().any(|l| l.contains("▶ lab1"))
    });
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

/// Appends `lines` to `path`.
fn append(path: &Path, lines: &[String]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
}

fn lines(n: usize, what: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("2026-11-23T10:00:{i:02} INFO {what} for user{i} in {i}ms"))
        .collect()
}

#[cfg_attr(
    montui_no_sshd,
    ignore = "needs openssh-server (apt-get install openssh-server)"
)]
#[test]
fn remote_log_files_are_followed_over_ssh_through_rotation_truncation_and_reconnects() {
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    // sshd runs here: the remote host's files are this machine's.
    let logs = dir.path().join("remote");
    std::fs::create_dir(&logs).unwrap();
    let app = logs.join("app.log");
    append(&app, &lines(3, "before start"));
    let cfg = config(dir.path(), &sshd, &["lab1"]);
    let text = std::fs::read_to_string(&cfg).unwrap()
        + &format!("logs = [\"{}/app*.log\"]\n", logs.display());
    std::fs::write(&cfg, text).unwrap();
    let (child, log) = headless(dir.path(), &cfg);
    common::wait_log(&log, "lab1: connected", 1);
    std::thread::sleep(Duration::from_millis(1500));
    append(&app, &lines(5, "request served"));
    std::thread::sleep(Duration::from_millis(1500));
    // Rotated (the old file gets two more lines after the rename), and a new one.
    std::fs::rename(&app, logs.join("app.log.1")).unwrap();
    append(&logs.join("app.log.1"), &lines(2, "request served"));
    append(&app, &lines(3, "request served"));
    std::thread::sleep(Duration::from_millis(1500));
    // The connection drops (its sampler dies): lines written meanwhile are read after it.
    for pid in sshd.samplers() {
        signal(pid, 9);
    }
    append(&app, &lines(4, "request served"));
    common::wait_log(&log, "lab1: connected", 2);
    std::thread::sleep(Duration::from_millis(1500));
    // Truncated, then written again; and a file that appears later is read from its start.
    std::fs::write(&app, "").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    append(&app, &lines(6, "request served"));
    append(
        &logs.join("app-late.log"),
        &["2026-11-23T10:01:00 ERROR db: deadlock detected".into()],
    );
    std::thread::sleep(Duration::from_millis(2500));
    stop(child);
    let store = Store::open_reader(&dir.path().join("h.db")).unwrap();
    let patterns = store.load_patterns().unwrap();
    let source = format!("lab1:{}/app*.log", logs.display());
    let count = |what: &str| {
        patterns
            .iter()
            .filter(|p| p.source == source && p.template.contains(what))
            .map(|p| p.count)
            .sum::<u64>()
    };
    assert_eq!(count("served"), 5 + 2 + 3 + 4 + 6, "{patterns:#?}");
    assert_eq!(count("before start"), 0, "files start at their end");
    assert_eq!(count("deadlock"), 1, "{patterns:#?}");
    // The error pattern is an alert of the remote host.
    let alerts = store.load_alerts().unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a.rule == "log_error_new" && a.labels.get("host").is_some_and(|h| h == "lab1")),
        "{alerts:#?}"
    );
}

#[cfg_attr(
    any(montui_no_tmux, montui_no_sshd),
    ignore = "needs tmux and openssh-server (apt-get install tmux openssh-server)"
)]
#[test]
fn a_remote_process_is_signalled_over_its_own_ssh_after_a_confirmation() {
    let tmux = common::need("tmux");
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sshd, &["lab1"]);
    // Every process kept, the idle child among them (lab1 is this machine through sshd).
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\n[collect]\ntop_processes = 1000\n")).unwrap();
    let mut child = Command::new("sleep")
        .arg("600")
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let t = ui(&tmux, dir.path(), &cfg);
    t.wait_for("lab1 up", |s| {
        s.lines().any(|l| l.contains("lab1") && l.contains(" up "))
    });
    // Hosts (processes → alerts → anomalies → log → hosts), lab1 below this machine.
    for _ in 0..4 {
        t.send("Tab");
    }
    t.send("j");
    t.send("Enter");
    t.wait_for("lab1 on screen", |s| {
        s.lines().next().is_some_and(|l| l.contains("│ lab1 │"))
    });
    for _ in 0..4 {
        t.send("BTab");
    }
    t.wait_for("processes focused", |s| s.contains("▸ Processes"));
    t.send("F3");
    t.send_literal(&pid);
    t.send("Enter");
    t.wait_for("the child", |s| common::process_row(s, &pid).is_some());
    // Its details: working directory and open files read over a one-shot ssh too.
    t.send("Enter");
    let s = t.wait_for("its details", |s| {
        s.contains(&format!("PID {pid} sleep on lab1")) && s.contains("· open files")
    });
    assert!(s.contains(&format!("cwd {}", dir.path().display())), "{s}");
    t.send("Escape");
    t.wait_for("closed", |s| !s.contains("open files"));
    t.send("F9");
    let s = t.wait_for("the confirmation", |s| s.contains("the signal (TERM"));
    assert!(
        s.contains(&format!("send PID {pid} (sleep 600) on lab1")),
        "{s}"
    );
    t.send("Enter");
    t.wait_for("done", |s| {
        s.contains(&format!("SIGTERM to PID {pid}")) && s.contains("done")
    });
    assert_eq!(common::ended_by(&mut child), Some(libc::SIGTERM));
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}

#[cfg_attr(
    any(montui_no_tmux, montui_no_sshd),
    ignore = "needs tmux and openssh-server (apt-get install tmux openssh-server)"
)]
#[test]
fn a_followed_remote_process_stays_listed_when_it_is_no_top_process_any_more() {
    let tmux = common::need("tmux");
    let sshd = common::sshd(1);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &sshd, &["lab1"]);
    // Few processes sent: an idle sleep is none of them.
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\n[collect]\ntop_processes = 3\n")).unwrap();
    // Busy (a top process) until told, then an idle sleep of the same PID.
    let mut child = Command::new("sh")
        .args(["-c", "while [ ! -e stop ]; do :; done; exec sleep 600"])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let t = ui(&tmux, dir.path(), &cfg);
    t.wait_for("lab1 up", |s| {
        s.lines().any(|l| l.contains("lab1") && l.contains(" up "))
    });
    for _ in 0..4 {
        t.send("Tab");
    }
    t.send("j");
    t.send("Enter");
    t.wait_for("lab1 on screen", |s| {
        s.lines().next().is_some_and(|l| l.contains("│ lab1 │"))
    });
    for _ in 0..4 {
        t.send("BTab");
    }
    t.wait_for("processes focused", |s| s.contains("▸ Processes"));
    t.send("F3");
    t.send_literal(&pid);
    t.send("Enter");
    t.wait_for("the busy child", |s| common::process_row(s, &pid).is_some());
    t.send("F");
    std::fs::write(dir.path().join("stop"), "").unwrap();
    // Idle now: still sent and listed, as the sleep it became.
    t.wait_for("the idle child", |s| {
        common::process_row(s, &pid).is_some_and(|r| r.contains("sleep 600"))
    });
    std::thread::sleep(Duration::from_secs(4));
    let s = t.wait_for("still listed", |s| common::process_row(s, &pid).is_some());
    assert!(!s.contains("while lab1 lists it"), "{s}");
    let _ = child.kill();
    let _ = child.wait();
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
}
