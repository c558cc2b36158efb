//! Parsing scraped pages: a real node_exporter's `/metrics` (started here on a loopback port)
//! and a synthetic page of 10,000 series, parsed by montui's `prom::expo` and by the
//! `prometheus-parse` crate in the same run. Figures are medians of rounds; `peer_ratio` is
//! montui's time over the crate's (below 1: montui is faster). Then the whole live path
//! (`scrape_live`; `--live 0` leaves it out).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use montui::prom::expo::{self, Format};

pub fn run(args: &[String]) -> Result<(), String> {
    let rounds: usize = super::flag(args, "--rounds", 7)?;
    let node = node_page()?;
    let synthetic = synthetic_page(10_000);
    let mut line = Vec::new();
    for (name, page) in [("node", &node), ("synthetic", &synthetic)] {
        let ours = expo::parse(page, Format::Text).map_err(|e| format!("{name}: {e}"))?;
        let peer = prometheus_parse::Scrape::parse(page.lines().map(|l| Ok(l.to_string())));
        let peer_series = peer.as_ref().map_or(0, |p| p.samples.len());
        let (t_ours, t_peer) = time(page, rounds);
        let series = ours.samples.len();
        let mb_s = page.len() as f64 / t_ours / 1e6;
        let series_s = series as f64 / t_ours;
        println!(
            "{name}: {} bytes, {series} series (prometheus-parse: {peer_series}{}); montui {:.3} ms ({mb_s:.0} MB/s, {:.1} M series/s); prometheus-parse {:.3} ms",
            page.len(),
            if peer.is_err() { ", error" } else { "" },
            t_ours * 1e3,
            series_s / 1e6,
            t_peer * 1e3,
        );
        if name == "node" {
            line.push(format!("ms_per_node_scrape={:.3}", t_ours * 1e3));
            line.push(format!("node_series={series}"));
        } else {
            line.push(format!("series_per_s={series_s:.0} mb_per_s={mb_s:.0}"));
            line.push(format!("peer_ratio={:.2}", t_ours / t_peer));
        }
    }
    if super::flag(args, "--live", 1u8)? == 1 {
        line.extend(super::scrape_live::run(args, 10_000)?);
    }
    println!("scrape: {}", line.join(" "));
    Ok(())
}

/// Median seconds for one parse of `page`: (montui, prometheus-parse), interleaved rounds.
fn time(page: &str, rounds: usize) -> (f64, f64) {
    let per_round = (2_000_000 / page.len().max(1)).clamp(3, 200);
    let (mut ours, mut peer) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..per_round {
            std::hint::black_box(expo::parse(std::hint::black_box(page), Format::Text).ok());
        }
        ours.push(t.elapsed().as_secs_f64() / per_round as f64);
        let t = Instant::now();
        for _ in 0..per_round {
            let lines = std::hint::black_box(page)
                .lines()
                .map(|l| Ok(l.to_string()));
            std::hint::black_box(prometheus_parse::Scrape::parse(lines).ok());
        }
        peer.push(t.elapsed().as_secs_f64() / per_round as f64);
    }
    (super::median(ours), super::median(peer))
}

/// node_exporter's page, from one started on a free loopback port.
pub fn node_page() -> Result<String, String> {
    let bin = ["prometheus-node-exporter", "node_exporter"]
        .iter()
        .find_map(|b| which(b))
        .ok_or("node_exporter not found: apt-get install prometheus-node-exporter")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut child = std::process::Command::new(bin)
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("starting node_exporter: {e}"))?;
    let t0 = Instant::now();
    let page = loop {
        match get(port, "/metrics") {
            Ok(p) => break Ok(p),
            Err(e) if t0.elapsed() > Duration::from_secs(30) => break Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    page
}

/// The body of `GET path` on 127.0.0.1:`port` (HTTP/1.0: the server closes when done).
fn get(port: u16, path: &str) -> Result<String, String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").map_err(|e| e.to_string())?;
    let mut all = String::new();
    s.read_to_string(&mut all).map_err(|e| e.to_string())?;
    let (head, body) = all.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return Err(head.lines().next().unwrap_or("").to_string());
    }
    Ok(body.to_string())
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `n` series in families of 100 as exporters write them: help, type, labels (some with
/// escapes), integer and float values.
fn synthetic_page(n: usize) -> String {
    synthetic_page_at(n, 0)
}

/// `synthetic_page` at its `round`th scrape: each counter `round` higher.
pub fn synthetic_page_at(n: usize, round: u64) -> String {
    let mut page = String::with_capacity(n * 90);
    for f in 0..n.div_ceil(100) {
        page.push_str(&format!(
            "# HELP app_requests_{f}_total Requests served by handler, by code.\n# TYPE app_requests_{f}_total counter\n"
        ));
        for i in 0..100.min(n - f * 100) {
            page.push_str(&format!(
                "app_requests_{f}_total{{handler=\"/api/v1/item/{i}\",code=\"{}\",path=\"C:\\\\x \\\"q\\\"\"}} {}.{}\n",
                200 + i % 5,
                (i * 7919 % 100_000) as u64 + round,
                i % 10
            ));
        }
    }
    page
}
