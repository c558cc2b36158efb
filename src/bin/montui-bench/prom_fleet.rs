//! A fleet read through the Prometheus HTTP API: a server here on a loopback port answers
//! montui's two queries as Prometheus would for `--instances` node_exporter instances (this
//! machine's node_exporter page for each, counters growing with every answer), and montui,
//! full-screen in tmux at 120×40 and recording, reads it every `--every` s; against montui
//! with no fleet, interleaved runs. What a fleet costs the console: CPU and RSS per instance.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use montui::prom::expo::{self, Format};
use montui::prom::node::FAMILIES_RE;

use super::procstat::{cpu_secs, rss_mb};
use super::tmux::Tmux;
use super::{flag, median, montui_bin};

pub fn run(args: &[String]) -> Result<(), String> {
    let instances: usize = flag(args, "--instances", 1000)?;
    let secs: u64 = flag(args, "--secs", 90)?;
    let runs: usize = flag(args, "--runs", 3)?;
    let every: u64 = flag(args, "--every", 15)?;
    // Before measuring, long enough for every detector to have its seasons' slots (they come
    // after 32 samples of a series): what a console that has run a while holds.
    let warm: u64 = flag(args, "--warm", 34 * every)?;
    let answers = Answers::new(&super::scrape::node_page()?, instances)?;
    let served = Arc::new(AtomicU64::new(0));
    let port = serve(answers, served.clone())?;
    // `--serve SECS`: only the canned API, for looking into montui by hand (a profiler).
    let alone: u64 = flag(args, "--serve", 0)?;
    if alone > 0 {
        println!("the canned API of {instances} instances: http://127.0.0.1:{port}");
        std::thread::sleep(Duration::from_secs(alone));
        return Ok(());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for run in 0..runs {
        without.push(one(dir.path(), &format!("{run}-alone"), None, 3, secs)?);
        let api = Some((port, every));
        with.push(one(dir.path(), &format!("{run}-fleet"), api, warm, secs)?);
        let (w, p) = (
            with.last().unwrap_or(&(0.0, 0.0)),
            without.last().unwrap_or(&(0.0, 0.0)),
        );
        eprintln!(
            "run {}: with {instances} instances {:.2} % CPU, {:.1} MB; alone {:.2} %, {:.1} MB",
            run + 1,
            w.0,
            w.1,
            p.0,
            p.1
        );
    }
    if served.load(Ordering::Relaxed) == 0 {
        return Err("montui never asked the API".into());
    }
    let m = |v: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| median(v.iter().map(f).collect());
    let (cpu, cpu_alone) = (m(&with, |r| r.0), m(&without, |r| r.0));
    let (rss, rss_alone) = (m(&with, |r| r.1), m(&without, |r| r.1));
    let per_instance_kb = (rss - rss_alone) * 1024.0 / instances as f64;
    println!(
        "{instances} instances every {every} s, {secs} s runs after {warm} s, medians of {runs}: montui {cpu:.2} % CPU, {rss:.1} MB; with no fleet {cpu_alone:.2} %, {rss_alone:.1} MB"
    );
    println!(
        "prom-fleet: instances={instances} cpu_pct={cpu:.2} cpu_pct_alone={cpu_alone:.2} rss_mb={rss:.1} rss_kb_per_instance={per_instance_kb:.1}"
    );
    Ok(())
}

/// One run of montui in tmux for `secs`, `warm` s after it has shown the fleet: CPU % of a
/// core and RSS MB at the end.
fn one(
    dir: &std::path::Path,
    name: &str,
    api: Option<(u16, u64)>,
    warm: u64,
    secs: u64,
) -> Result<(f64, f64), String> {
    let home = dir.join(name);
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let cfg = home.join("c.toml");
    let text = match api {
        Some((port, every)) => format!(
            "[[prometheus]]\nurl = \"http://127.0.0.1:{port}\"\nhosts = 'up{{job=\"node\"}}'\ninterval = \"{every}s\"\n"
        ),
        None => String::new(),
    };
    std::fs::write(&cfg, text).map_err(|e| e.to_string())?;
    let cmd = format!(
        "env XDG_DATA_HOME='{h}' XDG_STATE_HOME='{h}' XDG_CONFIG_HOME='{h}' '{}' --config '{}' --db '{}'",
        montui_bin()?.display(),
        cfg.display(),
        home.join("h.db").display(),
        h = home.display(),
    );
    let tmux = Tmux::start(name, &home, &cmd, 120, 40)?;
    let pid = tmux.pid()?;
    // Start-up and the first read (the hosts coming in) are not counted.
    let t0 = Instant::now();
    while api.is_some() && !tmux.screen().contains("node-0000") {
        if t0.elapsed() > Duration::from_secs(120) {
            return Err(format!("the fleet never showed:\n{}", tmux.screen()));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    std::thread::sleep(Duration::from_secs(warm));
    let (c0, t0) = (cpu_secs(pid), Instant::now());
    std::thread::sleep(Duration::from_secs(secs));
    let (c1, dt) = (cpu_secs(pid), t0.elapsed().as_secs_f64());
    let rss = rss_mb(pid);
    tmux.kill();
    match (c0, c1, rss) {
        (Some(c0), Some(c1), Some(rss)) => Ok(((c1 - c0) / dt * 100.0, rss)),
        _ => Err(format!("montui exited during run {name}")),
    }
}

/// The canned answers: `up` for every instance, and every family montui reads of every
/// instance, made as Prometheus's JSON for answer `n`.
struct Answers {
    up: String,
    /// Per series of the page: the JSON of its labels (after `"instance":"…"`) and its value,
    /// and whether it is a counter.
    series: Vec<(String, f64, bool)>,
    instances: usize,
}

impl Answers {
    fn new(page: &str, instances: usize) -> Result<Self, String> {
        let families =
            regex::Regex::new(&format!("^(?:{FAMILIES_RE})$")).map_err(|e| e.to_string())?;
        let page = expo::parse(page, Format::Text).map_err(|e| e.to_string())?;
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let series = (page.samples.iter())
            .filter(|s| families.is_match(&s.name))
            .map(|s| {
                let mut labels = format!(",\"__name__\":{}", quote(&s.name));
                for (k, v) in &s.labels {
                    labels += &format!(",{}:{}", quote(k), quote(v));
                }
                (labels, s.value, s.name.ends_with("_total"))
            })
            .collect::<Vec<_>>();
        eprintln!("{} series per instance", series.len());
        let mut up = String::from(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[",
        );
        for i in 0..instances {
            let comma = if i > 0 { "," } else { "" };
            up += &format!(
                "{comma}{{\"metric\":{{\"__name__\":\"up\",\"instance\":\"{}\",\"job\":\"node\"}},\"value\":[{},\"1\"]}}",
                instance(i),
                now()
            );
        }
        up += "]}}";
        Ok(Self {
            up,
            series,
            instances,
        })
    }

    fn data(&self, n: u64) -> String {
        let t = now();
        let mut out = String::with_capacity(self.series.len() * self.instances * 160);
        out += "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[";
        let mut first = true;
        for i in 0..self.instances {
            let host = instance(i);
            for (labels, value, counter) in &self.series {
                let v = if *counter {
                    value + n as f64 * (1 + i % 7) as f64
                } else {
                    *value
                };
                let comma = if first { "" } else { "," };
                first = false;
                out += &format!(
                    "{comma}{{\"metric\":{{\"instance\":\"{host}\",\"job\":\"node\"{labels}}},\"value\":[{t},\"{v}\"]}}"
                );
            }
        }
        out += "]}}";
        out
    }
}

fn instance(i: usize) -> String {
    format!("node-{i:04}:9100")
}

fn now() -> String {
    let ms = chrono::Utc::now().timestamp_millis();
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Answers on a free loopback port: the hosts query (`up…`) and anything else as the data
/// query; counts the data answers in `served`.
fn serve(answers: Answers, served: Arc<AtomicU64>) -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = l.local_addr().map_err(|e| e.to_string())?.port();
    std::thread::spawn(move || {
        for c in l.incoming().flatten() {
            let _ = answer(c, &answers, &served);
        }
    });
    Ok(port)
}

fn answer(mut c: TcpStream, answers: &Answers, served: &AtomicU64) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = c.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&request);
    let body = if line.contains("query=up") {
        answers.up.clone()
    } else {
        answers.data(served.fetch_add(1, Ordering::Relaxed))
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    c.write_all(head.as_bytes())?;
    c.write_all(body.as_bytes())
}
