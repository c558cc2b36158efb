//! `[serve]`: montui's own /metrics, read by a plain client and by the real Prometheus
//! (Debian's package, on loopback ports), and checked by `promtool check metrics`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::http::{Fetched, fetch};
use common::notify::{recorder, stop, write};

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0";

/// Starts montui headless with `[serve]` on a port the kernel picks and `extra` config;
/// the child and the base URL it says it serves.
fn serving(dir: &Path, extra: &str) -> (std::process::Child, String) {
    let cfg = write(
        dir,
        &format!(
            "interval = \"500ms\"\n[alerts.notify]\ngroup_wait = \"0s\"\n\
             [[alerts.rules]]\nname = \"always\"\nmetric = \"up\"\nabove = 0.5\n\
             severity = \"critical\"\n[serve]\nlisten = \"127.0.0.1:0\"\n{extra}"
        ),
    );
    let child = recorder(dir, &cfg, &[]);
    let log = dir.join("stderr.log");
    common::wait_log(&log, "serving /metrics on http://", 1);
    let text = std::fs::read_to_string(&log).unwrap();
    let at = text.find("serving /metrics on http://").unwrap();
    let url = text[at..].split_whitespace().nth(3).unwrap();
    let base = url.trim_end_matches("/metrics").to_string();
    (child, base)
}

/// Fetches until `ok` holds (the first samples and alerts take a moment).
fn until(url: &str, headers: &[(&str, &str)], ok: impl Fn(&Fetched) -> bool) -> Fetched {
    let t0 = Instant::now();
    loop {
        if let Some(f) = fetch(url, headers).filter(|f| ok(f)) {
            return f;
        }
        assert!(
            t0.elapsed() < common::WAIT,
            "{url} never answered as wanted"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn metrics_carry_the_hosts_the_alerts_and_montuis_health_behind_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "tok-123\n").unwrap();
    let extra = format!("bearer_token_file = \"{}\"\n", token.display());
    let (child, base) = serving(dir.path(), &extra);
    let metrics = format!("{base}/metrics");
    // Without the token, or with another: refused, and nothing said.
    let refused = fetch(&metrics, &[]).unwrap();
    assert_eq!(refused.status, 401);
    assert!(!refused.body.contains("montui_"));
    let wrong = fetch(&metrics, &[("Authorization", "Bearer tok-124")]).unwrap();
    assert_eq!(wrong.status, 401);
    // The health check needs none.
    let healthy = fetch(&format!("{base}/-/healthy"), &[]).unwrap();
    assert_eq!(healthy.status, 200);
    let auth = ("Authorization", "Bearer tok-123");
    let page = until(&metrics, &[auth, ("Accept", OPENMETRICS)], |f| {
        f.body
            .contains("ALERTS{alertname=\"always\",alertstate=\"firing\"")
            && f.body.contains("montui_cpu_busy_percent{")
    });
    assert_eq!(page.status, 200);
    assert!(
        page.content_type
            .starts_with("application/openmetrics-text")
    );
    let host = hostname();
    for want in [
        format!("montui_up{{host=\"{host}\"}} 1\n"),
        format!("montui_cpu_busy_percent{{host=\"{host}\"}} "),
        "severity=\"critical\",host=".to_string(),
        "montui_samples_collected_total ".to_string(),
        "montui_store_write_seconds_count ".to_string(),
        "montui_store_bytes ".to_string(),
    ] {
        assert!(page.body.contains(&want), "{want} not in\n{}", page.body);
    }
    assert!(page.body.ends_with("# EOF\n"));
    let parsed = montui::prom::expo::parse(&page.body, montui::prom::expo::Format::OpenMetrics);
    assert!(parsed.is_ok(), "{parsed:?}");
    // Asked for no format in particular: the text format.
    let text = fetch(&metrics, &[auth]).unwrap();
    assert!(text.content_type.starts_with("text/plain; version=0.0.4"));
    assert!(!text.body.contains("# EOF"));
    stop(child);
}

fn hostname() -> String {
    montui::collect::LocalCollector::new(1)
        .map(|c| montui::collect::Collector::host(&c).to_string())
        .unwrap()
}

#[cfg_attr(
    montui_no_prometheus,
    ignore = "needs prometheus and promtool (apt-get install prometheus)"
)]
#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn prometheus_scrapes_montui_beside_node_exporter_and_montui_reads_the_fleet_and_its_past_through_it()
 {
    let dir = tempfile::tempdir().unwrap();
    let (node, other) = (
        common::prom::NodeExporter::start(),
        common::prom::NodeExporter::start(),
    );
    let (child, base) = serving(dir.path(), "");
    let montui_at = base.trim_start_matches("http://").to_string();
    let node_at = format!("127.0.0.1:{}", node.port);
    let other_at = format!("127.0.0.1:{}", other.port);
    let jobs = [
        ("node", vec![node_at.clone(), other_at.clone()]),
        ("montui", vec![montui_at.clone()]),
    ];
    let prom = common::prom::Prometheus::start(dir.path(), &jobs);
    // Both targets up in Prometheus's own view.
    let t0 = Instant::now();
    loop {
        let targets = prom.api("/api/v1/targets");
        let up: Vec<String> = (targets["data"]["activeTargets"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter(|t| t["health"] == "up")
            .filter_map(|t| t["labels"]["instance"].as_str().map(String::from))
            .collect();
        if up.contains(&node_at) && up.contains(&montui_at) {
            break;
        }
        assert!(
            t0.elapsed() < common::WAIT,
            "targets never both up: {targets}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    // What Prometheus took from montui: the host's figures and the alert.
    let t0 = Instant::now();
    loop {
        let q = prom.api("/api/v1/query?query=ALERTS%7Balertname%3D%22always%22%7D");
        if q["data"]["result"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
        {
            break;
        }
        assert!(t0.elapsed() < common::WAIT, "no ALERTS in prometheus: {q}");
        std::thread::sleep(Duration::from_millis(500));
    }
    // promtool's lint takes montui's page (the text format it checks) without a word.
    let page = fetch(&format!("{base}/metrics"), &[]).unwrap().body;
    let out = promtool_check(&page);
    assert!(out.0, "promtool check metrics:\n{}\n{page}", out.1);
    stop(child);
    // Another montui reads both node instances through that Prometheus, with figures.
    let fleet = dir.path().join("fleet");
    std::fs::create_dir_all(&fleet).unwrap();
    let extra = format!(
        "\n[[prometheus]]\nurl = \"{}\"\nhosts = 'up{{job=\"node\"}}'\ninterval = \"1s\"\n",
        prom.url("")
    );
    let (child, base) = serving(&fleet, &extra);
    let page = until(&format!("{base}/metrics"), &[], |f| {
        [&node_at, &other_at].iter().all(|at| {
            f.body
                .contains(&format!("montui_cpu_busy_percent{{host=\"{at}\"}} "))
                && f.body
                    .contains(&format!("montui_memory_used_percent{{host=\"{at}\"}} "))
        })
    });
    assert!(
        !page.body.contains(&format!("host=\"{montui_at}\"")),
        "only job node"
    );
    stop(child);
    // An instance's past, read back from Prometheus by a montui that recorded nothing: once
    // Prometheus holds a few scrapes of it, so there are rates to show.
    let scrapes = format!("count_over_time(up{{instance=\"{node_at}\"}}[5m])");
    let url = reqwest::Url::parse_with_params(&prom.url("/api/v1/query"), [("query", scrapes)]);
    let url = url.unwrap();
    let t0 = Instant::now();
    loop {
        let q = prom.api(&format!(
            "{}?{}",
            url.path(),
            url.query().unwrap_or_default()
        ));
        let n = q["data"]["result"][0]["value"][1].as_str();
        if n.and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n >= 5)
        {
            break;
        }
        assert!(
            t0.elapsed() < common::WAIT,
            "5 scrapes never in prometheus: {q}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let tmux = common::need("tmux");
    let past = dir.path().join("past");
    std::fs::create_dir_all(&past).unwrap();
    let cfg = write(&past, &extra);
    let args = format!(
        "--replay --host {node_at} --config '{}' --db '{}'",
        cfg.display(),
        past.join("nothing.db").display()
    );
    let t = common::montui(&tmux, &past, &args);
    t.wait_for("the instance's past from Prometheus", |s| {
        s.contains("REPLAY 1/") && s.contains(&node_at)
    });
    t.send("G");
    let s = t.wait_for("its last sample with figures", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("REPLAY") && !l.contains("REPLAY 1/"))
            && s.contains("Memory")
    });
    assert!(!s.contains("no samples"), "{s}");
    eprintln!("{s}");
}

/// `promtool check metrics` on `page`: success and what it said.
fn promtool_check(page: &str) -> (bool, String) {
    use std::io::Write;
    let mut p = std::process::Command::new(common::need("promtool"))
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    p.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
    let o = p.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success() && said.trim().is_empty(), said)
}

#[cfg_attr(
    montui_no_node_exporter,
    ignore = "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"
)]
#[test]
fn an_exporters_series_are_recorded_served_and_alerted_on_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let node = common::prom::NodeExporter::start();
    let url = format!("http://127.0.0.1:{}/metrics", node.port);
    // Any exporter's page (node_exporter's here, taken as series, not as a host): a gauge
    // and a counter's rate in rules by their own names (expressions take series without
    // labels).
    let extra = format!(
        "\n[[scrape]]\nurl = \"{url}\"\ninterval = \"1s\"\n\n\
         [[alerts.rules]]\nname = \"load_seen\"\nmetric = \"node_load1\"\nabove = -1\n\n\
         [[alerts.rules]]\nname = \"ticking\"\nexpr = \"max(node_context_switches_per_second, 1m) > 0\"\n"
    );
    let (child, base) = serving(dir.path(), &extra);
    let page = until(&format!("{base}/metrics"), &[], |f| {
        f.body
            .contains("ALERTS{alertname=\"load_seen\",alertstate=\"firing\"")
            && f.body
                .contains("ALERTS{alertname=\"ticking\",alertstate=\"firing\"")
    });
    let host = hostname();
    for want in [
        format!("montui_node_load1{{host=\"{host}\"}} "),
        format!("montui_node_context_switches_per_second{{host=\"{host}\"}} "),
        format!("montui_scrape_up{{host=\"{host}\",url=\"{url}\"}} 1"),
    ] {
        assert!(page.body.contains(&want), "{want} not in\n{}", page.body);
    }
    stop(child);
    // Recorded with the host's samples: read back from the history file.
    let store = montui::store::Store::open_reader(&dir.path().join("h.db")).unwrap();
    let samples = store.samples(&host, i64::MIN, i64::MAX).unwrap();
    let last = samples.last().expect("samples");
    assert!(
        (last.series.iter()).any(|s| s.name == "node_context_switches_total" && s.counter),
        "{:?}",
        last.series.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
}
