//! The whole path of a scraped exporter: montui recording headless with a `[[scrape]]` of
//! a synthetic page of 10,000 series (counters that grow each scrape) served here on a
//! loopback port, against montui recording the same machine without it, interleaved runs.
//! What a target costs: CPU, memory, history bytes, and CPU per scrape.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{flag, median, montui_bin, procstat};

/// Figures of one montui run.
struct Run {
    cpu_pct: f64,
    rss_mb: f64,
    db_mb: f64,
}

pub fn run(args: &[String], series: usize) -> Result<Vec<String>, String> {
    let secs: u64 = flag(args, "--secs", 60)?;
    let runs: usize = flag(args, "--runs", 3)?;
    let every: u64 = flag(args, "--every", 15)?;
    let served = Arc::new(AtomicU64::new(0));
    let port = serve(series, served.clone())?;
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        without.push(one(secs, None)?);
        let before = served.load(Ordering::Relaxed);
        with.push(one(secs, Some((port, every)))?);
        let scrapes = served.load(Ordering::Relaxed) - before;
        if scrapes == 0 {
            return Err("montui never scraped the page".into());
        }
    }
    let m = |v: &[Run], f: fn(&Run) -> f64| median(v.iter().map(f).collect());
    let (cpu, cpu_peer) = (m(&with, |r| r.cpu_pct), m(&without, |r| r.cpu_pct));
    let scrapes_per_s = 1.0 / every as f64;
    let ms_per_scrape = (cpu - cpu_peer).max(0.0) / 100.0 / scrapes_per_s * 1000.0;
    println!(
        "live, {series} series every {every} s, {secs} s runs, medians of {runs}: montui {cpu:.2} % CPU, {:.1} MB RSS, history {:.2} MB; without the target {cpu_peer:.2} %, {:.1} MB, {:.2} MB",
        m(&with, |r| r.rss_mb),
        m(&with, |r| r.db_mb),
        m(&without, |r| r.rss_mb),
        m(&without, |r| r.db_mb),
    );
    Ok(vec![
        format!("live_cpu_pct={cpu:.2} live_cpu_pct_peer={cpu_peer:.2}"),
        format!("live_ms_per_scrape={ms_per_scrape:.1}"),
        format!(
            "live_rss_mb={:.1} live_rss_mb_peer={:.1}",
            m(&with, |r| r.rss_mb),
            m(&without, |r| r.rss_mb)
        ),
        format!(
            "live_db_mb_per_hour={:.1}",
            (m(&with, |r| r.db_mb) - m(&without, |r| r.db_mb)) * 3600.0 / secs as f64
        ),
    ])
}

/// montui headless for `secs`, scraping 127.0.0.1:`port` every `every` s when given.
fn one(secs: u64, target: Option<(u16, u64)>) -> Result<Run, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("h.db");
    let cfg = dir.path().join("c.toml");
    let text = match target {
        Some((port, every)) => format!(
            "[[scrape]]\nurl = \"http://127.0.0.1:{port}/metrics\"\ninterval = \"{every}s\"\n"
        ),
        None => String::new(),
    };
    std::fs::write(&cfg, text).map_err(|e| e.to_string())?;
    let mut child = Command::new(montui_bin()?)
        .args(["--headless", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(&db)
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id();
    // Start-up (the first scrape, the watch learning) is not counted.
    std::thread::sleep(Duration::from_secs(3));
    let (t0, c0) = (Instant::now(), procstat::cpu_secs(pid).unwrap_or(0.0));
    std::thread::sleep(Duration::from_secs(secs));
    let cpu = procstat::cpu_secs(pid).unwrap_or(0.0) - c0;
    let wall = t0.elapsed().as_secs_f64();
    let rss_mb = procstat::rss_mb(pid).unwrap_or(f64::NAN);
    // SAFETY: kill only sends a signal to our own child.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    child.wait().map_err(|e| e.to_string())?;
    let db_mb = ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
        .map(|m| m.len() as f64 / 1e6)
        .sum();
    Ok(Run {
        cpu_pct: cpu / wall * 100.0,
        rss_mb,
        db_mb,
    })
}

/// Serves the page of `series` series on a free loopback port (each answer's counters a
/// little higher); counts the answers in `served`.
fn serve(series: usize, served: Arc<AtomicU64>) -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = l.local_addr().map_err(|e| e.to_string())?.port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let n = served.fetch_add(1, Ordering::Relaxed);
            let page = super::scrape::synthetic_page_at(series, n);
            let head = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\n\r\n",
                page.len()
            );
            let _ = c.write_all(head.as_bytes());
            let _ = c.write_all(page.as_bytes());
        }
    });
    Ok(port)
}
