//! The Prometheus ecosystem against the real servers from Debian's packages, on loopback
//! ports: node_exporter's page read as a host, and a host watched through it.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use montui::app::{Mode, State};
use montui::collect::{Collector, LocalCollector};
use montui::model::derive;
use montui::prom::expo::{Format, parse};
use montui::prom::node::host_sample;

/// A node_exporter on a free loopback port; killed on drop.
struct NodeExporter {
    child: Child,
    port: u16,
}

impl NodeExporter {
    fn start() -> Self {
        let bin = common::need("prometheus-node-exporter");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let child = Command::new(bin)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let n = NodeExporter { child, port };
        let t0 = Instant::now();
        while n.get("/metrics", "text/plain").is_err() {
            assert!(t0.elapsed() < common::WAIT, "node_exporter did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        n
    }

    /// `GET path` asking for `accept`: the Content-Type and the body.
    fn get(&self, path: &str, accept: &str) -> Result<(String, String), String> {
        let mut s =
            std::net::TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        write!(
            s,
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let mut all = String::new();
        s.read_to_string(&mut all).map_err(|e| e.to_string())?;
        let (head, body) = all.split_once("\r\n\r\n").ok_or("no answer")?;
        if !(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200")) {
            return Err(head.to_string());
        }
        let ct = (head.lines())
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-type:")
                    .map(|v| v.trim().to_string())
            })
            .unwrap_or_default();
        Ok((ct, body.to_string()))
    }
}

impl Drop for NodeExporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[test]
fn node_exporter_reads_as_this_machine_does_and_its_host_draws() {
    let node = NodeExporter::start();
    let scrape = || {
        let (ct, body) = node.get("/metrics", "text/plain").expect("a page");
        let page = parse(&body, Format::of_content_type(&ct)).expect("node_exporter's page parses");
        host_sample(&page, "node", chrono::Utc::now().timestamp_millis())
    };
    let from_node = scrape();
    let mut local = LocalCollector::new(5).expect("collector");
    let here = local.collect().expect("a local sample");
    // The same kernel counters, read a moment apart.
    assert_eq!(from_node.cpus.len(), here.cpus.len());
    assert_eq!(from_node.mem.total, here.mem.total);
    assert_eq!(from_node.mem.swap_total, here.mem.swap_total);
    assert!(from_node.boot_time.abs_diff(here.boot_time) <= 2);
    let idle =
        |s: &montui::model::RawSample| s.cpu_total.idle as f64 * 100.0 / s.ticks_per_sec as f64;
    assert!(
        (idle(&from_node) - idle(&here)).abs() <= idle(&here) * 0.01 + 500.0,
        "idle ticks {} against {}",
        idle(&from_node),
        idle(&here)
    );
    let root = |s: &montui::model::RawSample| s.fs.iter().find(|f| f.mount == "/").cloned();
    if let (Some(n), Some(h)) = (root(&from_node), root(&here)) {
        let pct = |f: &montui::model::FsUsage| {
            100.0 * (f.total - f.available) as f64 / f.total.max(1) as f64
        };
        assert!(
            (pct(&n) - pct(&h)).abs() < 1.0,
            "/ used {} % against {} %",
            pct(&n),
            pct(&h)
        );
    }
    assert!((from_node.load[0] - here.load[0]).abs() < 0.5 + here.load[0] * 0.3);
    // Asked for OpenMetrics, it answers in the format its Content-Type names (Debian's
    // node_exporter keeps to text).
    let (ct, body) = node
        .get("/metrics", "application/openmetrics-text; version=1.0.0")
        .expect("a page");
    parse(&body, Format::of_content_type(&ct)).expect("the page parses as what it says");
    // Two scrapes a second apart through the real derive(): the host's panes draw.
    std::thread::sleep(Duration::from_secs(1));
    let later = scrape();
    let mut s = State::new(Mode::Live, "node", 1000, 60);
    s.push_live(derive(&from_node, None));
    s.push_live(derive(&later, Some(&from_node)));
    let theme = montui::ui::Theme::default();
    let screen = common::render(120, 40, |f| montui::ui::draw(f, &s, &theme));
    let cores = format!("CPU ({} cores)", here.cpus.len());
    assert!(
        screen.contains(&cores) && screen.contains("Mem "),
        "{screen}"
    );
}

/// Waits until `log` holds `what` `n` times.
fn wait_log(log: &std::path::Path, what: &str, n: usize) {
    let t0 = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.matches(what).count() >= n {
            return;
        }
        assert!(
            t0.elapsed() < common::WAIT,
            "waited for {n}× `{what}`:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[test]
fn a_host_with_node_exporter_is_watched_without_ssh_and_goes_down_with_it() {
    let mut node = NodeExporter::start();
    let name = format!("127.0.0.1:{}", node.port);
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("montui.toml");
    std::fs::write(
        &cfg,
        format!("interval = \"1s\"\n\n[[hosts]]\nscrape = [\"http://{name}/metrics\"]\n"),
    )
    .unwrap();
    let log = dir.path().join("stderr.log");
    let mut montui = Command::new(env!("CARGO_BIN_EXE_montui"))
        .args(["--headless", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(dir.path().join("h.db"))
        .envs(common::home(dir.path()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_log(&log, &format!("{name}: connected"), 1);
    std::thread::sleep(Duration::from_secs(3));
    // The exporter ends: the host is down, with the reason.
    let _ = node.child.kill();
    let _ = node.child.wait();
    wait_log(&log, &format!("{name}: scraping http://{name}/metrics"), 1);
    common::sshd::signal(montui.id(), 15);
    assert!(montui.wait().unwrap().success());
    let store = montui::store::Store::open_reader(&dir.path().join("h.db")).unwrap();
    let samples = store.samples(&name, i64::MIN, i64::MAX).unwrap();
    let here = LocalCollector::new(5).unwrap().collect().unwrap();
    assert!(samples.len() >= 2, "{} samples", samples.len());
    assert!(
        samples
            .iter()
            .all(|s| s.cpus.len() == here.cpus.len() && s.mem.total == here.mem.total),
        "recorded as this machine reads"
    );
}
