//! The `alertmanager` receiver against a real Alertmanager (prometheus-alertmanager, started
//! here on a loopback port): montui's firing alert shows in Alertmanager's `GET
//! /api/v2/alerts` with montui's labels, and leaves it once resolved.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Flood, get};

struct Alertmanager {
    child: Child,
    url: String,
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Alertmanager {
    fn start(dir: &std::path::Path) -> Self {
        let cfg = dir.join("am.yml");
        std::fs::write(
            &cfg,
            "route:\n  receiver: none\nreceivers:\n  - name: none\n",
        )
        .unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(common::need("prometheus-alertmanager"))
            .arg(format!("--config.file={}", cfg.display()))
            .arg(format!("--storage.path={}", dir.join("am").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let am = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let ready = until(|| get(&format!("{}/-/ready", am.url)).is_some_and(|(s, _)| s == 200));
        assert!(ready, "Alertmanager did not start");
        am
    }

    /// The alerts Alertmanager holds (active ones).
    fn alerts(&self) -> Vec<serde_json::Value> {
        get(&format!("{}/api/v2/alerts", self.url))
            .and_then(|(_, body)| serde_json::from_str::<serde_json::Value>(&body).ok())
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
    }
}

/// Whether `f` came true within the generous wait.
fn until(mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < common::WAIT {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
#[cfg_attr(
    montui_no_alertmanager,
    ignore = "needs prometheus-alertmanager (apt-get install prometheus-alertmanager)"
)]
fn montuis_alert_shows_in_alertmanager_and_resolves_there() {
    let dir = tempfile::tempdir().unwrap();
    let am = Alertmanager::start(dir.path());
    let cfg = dir.path().join("config.toml");
    let text = format!(
        r#"interval = "500ms"
[alerts.notify]
group_wait = "0s"
[[alerts.rules]]
name = "loopback_busy"
metric = "network_receive_bytes_per_second"
above = 50000000
severity = "warning"
[alerts.rules.labels]
team = "net"
[alerts.rules.annotations]
summary = "{{interface}} is busy"
[[notify.receivers]]
name = "am"
alertmanager = {{ urls = ["{}"] }}
"#,
        am.url
    );
    std::fs::write(&cfg, text).unwrap();
    let flood = Flood::start();
    let child = common::notify::recorder(dir.path(), &cfg, &[]);
    let mine = |a: &serde_json::Value| a["labels"]["alertname"] == "loopback_busy";
    let mut seen = None;
    let fired = until(|| {
        seen = am.alerts().into_iter().find(mine);
        seen.is_some()
    });
    drop(flood);
    let resolved = fired && until(|| !am.alerts().iter().any(mine));
    common::notify::stop(child);
    assert!(fired, "montui's alert never reached Alertmanager");
    let a = seen.unwrap_or_default();
    assert_eq!(a["labels"]["interface"], "lo", "{a}");
    assert_eq!(a["labels"]["team"], "net", "{a}");
    assert_eq!(a["labels"]["severity"], "warning", "{a}");
    assert_eq!(a["annotations"]["summary"], "lo is busy", "{a}");
    assert_eq!(a["status"]["state"], "active", "{a}");
    assert!(
        resolved,
        "the alert stayed in Alertmanager after it resolved"
    );
}
