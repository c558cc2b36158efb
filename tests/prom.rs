//! The Prometheus ecosystem against the real servers from Debian's packages, on loopback
//! ports: node_exporter's page read as a host, and a host watched through it.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use montui::app::{Mode, State};
use montui::collect::{Collector, LocalCollector};
use montui::model::derive;
use montui::prom::expo::{Format, parse};
use montui::prom::node::host_sample;

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[test]
fn node_exporter_reads_as_this_machine_does_and_its_host_draws() {
    let node = common::prom::NodeExporter::start();
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

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[test]
fn a_host_with_node_exporter_is_watched_without_ssh_and_goes_down_with_it() {
    let mut node = common::prom::NodeExporter::start();
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
    common::wait_log(&log, &format!("{name}: connected"), 1);
    std::thread::sleep(Duration::from_secs(3));
    // The exporter ends: the host is down, with the reason.
    let _ = node.child.kill();
    let _ = node.child.wait();
    common::wait_log(&log, &format!("{name}: scraping http://{name}/metrics"), 1);
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

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn an_exporters_series_show_in_the_metrics_pane_and_slash_picks_them() {
    let tmux = common::need("tmux");
    let node = common::prom::NodeExporter::start();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config/montui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[ui]\nlayout = \"alerts\"\n\n[[scrape]]\nurl = \"http://127.0.0.1:{}/metrics\"\ninterval = \"1s\"\n",
            node.port
        ),
    )
    .unwrap();
    let t = common::montui(&tmux, dir.path(), "");
    t.wait_for("the Metrics pane with node_exporter's series", |s| {
        s.contains(" Metrics  ") && s.contains("go_gc_duration_seconds")
    });
    // Focus it (a click on its first row) and pick one load average.
    let screen = t.capture();
    let row = (screen.lines())
        .position(|l| l.contains(" Metrics  "))
        .unwrap();
    let line = screen.lines().nth(row).unwrap();
    let col = line[..line.find(" Metrics  ").unwrap()].chars().count();
    t.mouse(0, col, row + 2);
    t.send("/");
    t.wait_for("the filter prompt", |s| {
        s.contains("show series containing")
    });
    t.send_literal("node_load5");
    t.send("Enter");
    let s = t.wait_for("only node_load5", |s| {
        s.contains("Metrics /node_load5 · 1 of") && s.contains("node_load5 ")
    });
    assert!(!s.contains("node_load15"), "{s}");
    t.send("q");
}
