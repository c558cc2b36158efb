//! An outage: the webhook receiver is down for 60 s while 20 alert episodes fire and resolve.
//! Meanwhile the mail receiver (a real SMTP server) gets every notice; once the webhook is
//! back it gets every notice too, in order per group, none lost, no notice id twice.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Answer, Flood, Server};
use montui::store::{Sent, SentState, Store};

const BIN: &str = env!("CARGO_BIN_EXE_montui");

/// The outbox rows of `receiver`, oldest first.
fn rows(db: &Path, receiver: &str) -> Vec<Sent> {
    let mut all: Vec<Sent> = (Store::open_reader(db).and_then(|s| s.sent(None, 10_000)))
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.receiver == receiver)
        .collect();
    all.reverse();
    all
}

/// The rule a notice's payload is about (its group here).
fn rule(payload: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    v["commonLabels"]["alertname"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn until(wait: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < wait {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    false
}

#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_60_s_outage_loses_nothing_reorders_nothing_and_holds_up_no_other_receiver() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = common::mail::Smtp::start(dir.path());
    let mut hook = Server::start(Answer::Status(200));
    hook.stop();
    let down_at = Instant::now();
    // Four rules on the loopback interface: a flood fires them all, its end resolves them.
    let rules: String = (1..=4)
        .map(|i| {
            format!(
                "[[alerts.rules]]\nname = \"lo_busy_{i}\"\nmetric = \"network_receive_bytes_per_second\"\nabove = {}\n",
                i * 10_000_000
            )
        })
        .collect();
    let cfg = dir.path().join("config.toml");
    let text = format!(
        "interval = \"200ms\"\n[alerts.notify]\ngroup_wait = \"0s\"\ngroup_interval = \"0s\"\n\
         {rules}[[notify.receivers]]\nname = \"hook\"\nwebhook = {{ url = \"{}\" }}\n{}",
        hook.url("/hook"),
        smtp.receiver("T_SMTP_PASSWORD")
    );
    std::fs::write(&cfg, text).unwrap();
    let db = dir.path().join("h.db");
    let mut child = Command::new(BIN)
        .args(["--headless", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(&db)
        .envs(common::home(dir.path()))
        .env("T_SMTP_PASSWORD", "pw-right")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // 5 floods: 4 rules × 5 = 20 episodes, each a firing and a resolved notice.
    for _ in 0..5 {
        let flood = Flood::start();
        std::thread::sleep(Duration::from_secs(2));
        drop(flood);
        std::thread::sleep(Duration::from_secs(2));
    }
    // Mail is unaffected: every notice so far is delivered while the webhook is down.
    let mail_done = until(common::WAIT, || {
        let m = rows(&db, "mail");
        !m.is_empty() && m.iter().all(|r| r.state == SentState::Delivered)
    });
    let told = rows(&db, "mail").len();
    assert!(mail_done, "mail waited for the webhook");
    assert!(told >= 20, "only {told} notices for 20 episodes");
    assert!(smtp.mails(told).len() >= told, "the mails arrived");
    assert!(hook.requests().is_empty());
    std::thread::sleep(Duration::from_secs(60).saturating_sub(down_at.elapsed()));
    hook.restart();
    let all = until(Duration::from_secs(150), || {
        let h = rows(&db, "hook");
        !h.is_empty() && h.iter().all(|r| r.state == SentState::Delivered)
    });
    std::thread::sleep(Duration::from_secs(2));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert!(all, "the webhook did not get everything once back");
    let queued = rows(&db, "hook");
    let got = hook.notice_ids();
    let (_, once) = common::http::once(&got);
    assert!(once, "a notice id came twice: {got:?}");
    assert_eq!(got.len(), queued.len(), "every queued notice arrived");
    // In order per group: each rule's notices arrive in the order they were queued.
    let group_of: HashMap<&str, String> = queued
        .iter()
        .map(|r| (r.notice.as_str(), rule(&r.payload)))
        .collect();
    for g in (1..=4).map(|i| format!("lo_busy_{i}")) {
        let sent: Vec<&str> = (queued.iter())
            .filter(|r| group_of.get(r.notice.as_str()) == Some(&g))
            .map(|r| r.notice.as_str())
            .collect();
        let arrived: Vec<&str> = (got.iter())
            .map(String::as_str)
            .filter(|id| group_of.get(id) == Some(&g))
            .collect();
        assert_eq!(arrived, sent, "{g} out of order");
    }
}
