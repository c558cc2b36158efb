//! Notifications in montui's own screens and desktop: the notifications view with a dead
//! letter retried and dropped by hand, the `terminal` receiver's escape sequence, the `desktop`
//! receiver on a private session bus, and secrets absent from every screen, log and export.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::http::{Answer, Server};
use common::notify::{firing, write};

const BIN: &str = env!("CARGO_BIN_EXE_montui");

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn a_dead_letter_shows_in_the_notifications_view_and_is_retried_and_dropped_by_hand() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let hook = Server::start(Answer::Status(400));
    let cfg = write(
        dir.path(),
        &firing(&format!(
            "[[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url = \"{}\" }}\n",
            hook.url("/hook")
        )),
    );
    let db = dir.path().join("h.db");
    let args = format!("--config '{}' --db '{}'", cfg.display(), db.display());
    let t = common::montui(&tmux, dir.path(), &args);
    t.wait_for("the status bar says the receiver fails", |s| {
        s.contains("notify: hook failing")
    });
    assert_eq!(hook.requests().len(), 1, "a 400 is tried once");
    t.send("O");
    // A row of the list (the window's title names dead letters too).
    let dead_row = |s: &str| {
        s.lines()
            .any(|l| l.contains("[FIRING") && l.contains("dead letter"))
    };
    let s = t.wait_for("the view lists the dead letter", |s| {
        dead_row(s) && s.contains("HTTP 400")
    });
    assert!(s.contains("[FIRING:1] always"), "{s}");
    t.send("r");
    t.wait_for("retried", |s| s.contains("queued again"));
    assert!(
        hook.wait_for(2, common::WAIT).len() >= 2,
        "the retry reached the receiver"
    );
    t.wait_for("dead again", dead_row);
    t.send("x");
    t.wait_for("dropped", |s| s.contains("dead letter dropped"));
    t.wait_for("gone from the list", |s| !dead_row(s));
    t.send("q");
    t.send("q");
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn a_terminal_receiver_notifies_through_montuis_own_terminal() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        &firing("[[notify.receivers]]\nname = \"here\"\nterminal = { osc = \"777\" }\n"),
    );
    let raw = dir.path().join("raw");
    let args = format!("--config '{}'", cfg.display());
    let t = common::montui(&tmux, dir.path(), &args);
    t.record(&raw);
    let start = std::time::Instant::now();
    let mut out = String::new();
    while start.elapsed() < common::WAIT && !out.contains("\x1b]777;notify;[FIRING:1] always") {
        std::thread::sleep(Duration::from_millis(200));
        out = String::from_utf8_lossy(&std::fs::read(&raw).unwrap_or_default()).into_owned();
    }
    t.send("q");
    assert!(
        out.contains("\x1b]777;notify;[FIRING:1] always"),
        "no OSC 777 in the output"
    );
    // Headless, there is no terminal to tell: refused for good, not retried.
    let o = Command::new(BIN)
        .arg("--config")
        .arg(&cfg)
        .args(["notify", "test"])
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("here: refused for good") && said.contains("no terminal"),
        "{said}"
    );
}

#[cfg_attr(
    any(montui_no_dbus, montui_no_dbus_next),
    ignore = "needs dbus-daemon and python3-dbus-next (apt-get install dbus-daemon python3-dbus-next)"
)]
#[test]
fn a_desktop_receiver_shows_a_freedesktop_notification() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("bus");
    let address = format!("unix:path={}", sock.display());
    let mut bus = Command::new(common::need("dbus-daemon"))
        .args([
            "--config-file=/usr/share/dbus-1/session.conf",
            "--nofork",
            "--nopidfile",
        ])
        .arg(format!("--address={address}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !sock.exists() && start.elapsed() < common::WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    let got = dir.path().join("notes.jsonl");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/notifications.py");
    let mut server = Command::new("/usr/bin/python3")
        .args([script, &address])
        .arg(&got)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let out = server.stdout.take().unwrap();
    std::io::BufReader::new(out).read_line(&mut line).unwrap();
    assert_eq!(
        line.trim(),
        "ready",
        "the notification server did not start"
    );
    let cfg = write(
        dir.path(),
        "[[notify.receivers]]\nname = \"desk\"\ndesktop = {}\n",
    );
    let o = Command::new(BIN)
        .arg("--config")
        .arg(&cfg)
        .args(["notify", "test"])
        .envs(common::home(dir.path()))
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout).to_string();
    let note = std::fs::read_to_string(&got).unwrap_or_default();
    let _ = (server.kill(), bus.kill(), server.wait(), bus.wait());
    assert!(said.contains("desk: delivered"), "{said}");
    let v: serde_json::Value =
        serde_json::from_str(note.lines().next().unwrap_or("")).unwrap_or_default();
    assert_eq!(v["app"], "montui", "{note}");
    assert!(
        v["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("[FIRING:1] montui_test")),
        "{note}"
    );
    assert!(
        v["body"]
            .as_str()
            .is_some_and(|b| b.contains("a test notice")),
        "{note}"
    );
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn secrets_of_failing_receivers_show_in_no_log_screen_or_export() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let marker = "SECRETMARKER";
    let hook = Server::start(Answer::Status(500));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = write(
        dir.path(),
        &firing(&format!(
            "[[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url_env = \"T_URL\", secret_env = \"T_KEY\" }}\n\
             [[notify.receivers]]\nname = \"mail\"\nemail = {{ host = \"127.0.0.1\", port = {closed}, tls = \"none\", \
             username = \"u\", password_env = \"T_PW\", from = \"m@example.org\", to = [\"o@example.org\"] }}\n\
             [notify]\nfailing_after = \"1s\"\n"
        )),
    );
    let db = dir.path().join("h.db");
    let url = hook.url(&format!("/services/T1/{marker}"));
    let password = format!("pw-{marker}");
    let home = common::home(dir.path());
    let mut env: Vec<(&str, &Path)> = home.iter().map(|(k, v)| (*k, v.as_path())).collect();
    env.extend([
        ("T_URL", Path::new(&url)),
        ("T_KEY", Path::new(marker)),
        ("T_PW", Path::new(&password)),
    ]);
    let cmd = format!(
        "'{BIN}' --config '{}' --db '{}'",
        cfg.display(),
        db.display()
    );
    let t = common::tmux::Tmux::start(&tmux, &cmd, &env, 120, 40);
    let main = t.wait_for("both receivers failing", |s| {
        s.contains("notify: 2 failing")
    });
    t.send("O");
    let view = t.wait_for("the view with both errors", |s| {
        s.contains("HTTP 500") && s.lines().filter(|l| l.contains("mail")).count() >= 2
    });
    t.send("Escape");
    // Escape and q sent together would read as Alt-q.
    t.wait_for("the view closed", |s| !s.contains("Notifications ("));
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT="));
    let log =
        std::fs::read_to_string(dir.path().join("state/montui/montui.log")).unwrap_or_default();
    assert!(
        log.contains("notify hook"),
        "the log tells of the failures: {log}"
    );
    let export = Command::new(BIN)
        .args(["export", "--format", "json", "--from", "1h ago", "--db"])
        .arg(&db)
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let export = String::from_utf8_lossy(&export.stdout).to_string();
    let errors: Vec<String> = (montui::store::Store::open_reader(&db)
        .and_then(|s| s.sent(None, 100)))
    .unwrap_or_default()
    .into_iter()
    .filter_map(|r| r.last_error)
    .collect();
    for (what, text) in [
        ("screen", &main),
        ("view", &view),
        ("log", &log),
        ("export", &export),
    ] {
        assert!(!text.contains(marker), "the secret in the {what}:\n{text}");
    }
    assert!(
        !errors.is_empty() && errors.iter().all(|e| !e.contains(marker)),
        "{errors:?}"
    );
}
