//! `montui-bench notify [--notices 10000] [--rate 1000] [--runs 3]`: notices through montui's
//! live path from the engine's hand-off (the store writer commits them to the outbox, one
//! delivery thread per receiver posts them) to 4 webhook receivers on loopback, one of them
//! flapping (down half of the time in 5 s stretches: connections closed unanswered). Each run
//! has two phases: `--rate` notices a second (latency: p50/p99 from the hand-off to the
//! healthy receivers' 2xx), then all at once (capacity: notices per second until the healthy
//! receivers have all). Also CPU ms per notice of montui's threads (not the test servers'),
//! outbox bytes per notice, and lost and duplicated notices (by notice id, counting answered
//! deliveries) over both phases, until the flapping receiver has caught up. Medians of runs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use montui::alert::lifecycle::{Alert, Severity};
use montui::notify::{Health, Kind, Receiver, Secret, Webhook, notice_id, payload};
use montui::store::{Queued, Retention, Store, spawn_writer};

use super::{flag, procstat};

const RECEIVERS: usize = 4;
/// The flapping receiver's stretches up and down.
const FLAP: Duration = Duration::from_secs(5);

/// A webhook server: keeps connections alive, records each answered notice id with when.
struct Server {
    port: u16,
    got: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Server {
    fn start(flapping: bool, t0: Instant, stop: Arc<AtomicBool>) -> Result<Self, String> {
        let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = l.local_addr().map_err(|e| e.to_string())?.port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        std::thread::Builder::new()
            .name("srv-accept".into())
            .spawn(move || {
                for c in l.incoming().flatten() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let g = g.clone();
                    let _ = std::thread::Builder::new()
                        .name("srv-conn".into())
                        .spawn(move || serve(c, &g, flapping, t0));
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Self { port, got })
    }
}

/// Down in every other stretch of `FLAP`.
fn down(flapping: bool, t0: Instant) -> bool {
    flapping && (t0.elapsed().as_millis() / FLAP.as_millis()) % 2 == 1
}

fn serve(c: TcpStream, got: &Mutex<Vec<(String, Instant)>>, flapping: bool, t0: Instant) {
    let Ok(mut out) = c.try_clone() else { return };
    let mut r = BufReader::new(c);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let (mut len, mut id) = (0usize, String::new());
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            if h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-length" => len = v.trim().parse().unwrap_or(0),
                    "montui-notice-id" => id = v.trim().to_string(),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() || down(flapping, t0) {
            // Down: the connection closes unanswered.
            return;
        }
        if let Ok(mut g) = got.lock() {
            g.push((id, Instant::now()));
        }
        if out
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .is_err()
        {
            return;
        }
    }
}

fn montui_thread(name: &str) -> bool {
    !name.starts_with("srv") && !name.starts_with("montui-bench")
}

/// What one phase measured.
struct Phase {
    lost: usize,
    dups: usize,
    p50: f64,
    p99: f64,
    per_s: f64,
    cpu_ms: f64,
    bytes: u64,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let n: usize = flag(args, "--notices", 10_000)?;
    let rate: usize = flag(args, "--rate", 1_000)?;
    let runs: usize = flag(args, "--runs", 3)?;
    let (mut steady, mut burst) = (Vec::new(), Vec::new());
    for r in 0..runs {
        let s = phase(n, rate)?;
        let b = phase(n, usize::MAX / 2)?;
        println!(
            "run {}: {rate}/s: p50 {:.1} ms, p99 {:.1} ms; all at once: {:.0}/s until the healthy ones had all; \
             cpu {:.3}/{:.3} ms per notice; lost {}+{}, duplicates {}+{}",
            r + 1,
            s.p50,
            s.p99,
            b.per_s,
            s.cpu_ms,
            b.cpu_ms,
            s.lost,
            b.lost,
            s.dups,
            b.dups
        );
        steady.push(s);
        burst.push(b);
    }
    let med = |v: &[Phase], f: fn(&Phase) -> f64| super::median(v.iter().map(f).collect());
    let all = steady.iter().chain(&burst);
    let (lost, dups): (usize, usize) = all.fold((0, 0), |(l, d), p| (l + p.lost, d + p.dups));
    println!(
        "{n} notices per phase to {RECEIVERS} webhooks on loopback, one flapping ({} s up, {} s down); medians of {runs} runs",
        FLAP.as_secs(),
        FLAP.as_secs()
    );
    println!(
        "notify: notices={n} receivers={RECEIVERS} lost={lost} duplicates={dups} rate={rate} p50_ms={:.1} p99_ms={:.1} per_s={:.0} cpu_ms_per_notice={:.3} outbox_bytes_per_notice={:.0}",
        med(&steady, |p| p.p50),
        med(&steady, |p| p.p99),
        med(&burst, |p| p.per_s),
        med(&steady, |p| p.cpu_ms),
        med(&steady, |p| p.bytes as f64),
    );
    Ok(())
}

/// `n` notices handed over at `rate` a second, until every receiver has them all.
fn phase(n: usize, rate: usize) -> Result<Phase, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("h.db");
    let t0 = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let servers: Vec<Server> = (0..RECEIVERS)
        .map(|i| Server::start(i == RECEIVERS - 1, t0, stop.clone()))
        .collect::<Result<_, _>>()?;
    let receivers: Vec<Receiver> = (servers.iter().enumerate())
        .map(|(i, s)| Receiver {
            name: if i == RECEIVERS - 1 {
                "flapping".into()
            } else {
                format!("healthy{i}")
            },
            kind: Kind::Webhook(Webhook {
                url: Secret::Plain(format!("http://127.0.0.1:{}/hook", s.port)),
                headers: Vec::new(),
                secret: None,
            }),
            give_up_ms: 24 * 3_600_000,
            send_resolved: true,
            timeout: Duration::from_secs(10),
            title: None,
            body: None,
        })
        .collect();
    let store = Store::open_writer(&db).map_err(|e| e.to_string())?;
    let keep = Retention {
        raw_ms: i64::MAX / 4,
        rollup_ms: i64::MAX / 4,
        max_bytes: None,
        patterns: 20_000,
    };
    let writer = spawn_writer(store, Duration::from_secs(1), keep);
    let health = Arc::new(Health::new(&receivers));
    let delivery = montui::notify::spawn(&receivers, &db, &health, &writer.outbox);
    let cpu0 = procstat::threads_cpu_secs(montui_thread);
    // Notices at `rate` per second, in batches every 10 ms, as the engine hands them over.
    let mut sent: HashMap<String, Instant> = HashMap::with_capacity(n);
    let per_batch = (rate / 100).clamp(1, n);
    let start = Instant::now();
    let now_ms = || chrono::Utc::now().timestamp_millis();
    let mut i = 0;
    while i < n {
        let batch: Vec<Queued> = (i..(i + per_batch).min(n))
            .map(|k| {
                let host = format!("web-{}", k % 50);
                let mut a = Alert::firing(
                    "disk_full",
                    &[("host", &host), ("mount", &format!("/d{k}"))],
                );
                (a.severity, a.fired_at) = (Severity::Critical, Some(now_ms()));
                let group = vec![("host".to_string(), host), ("n".into(), k.to_string())];
                let id = notice_id(&group, now_ms());
                let ann = vec![("summary".to_string(), format!("/d{k} is 97% full"))];
                let items = (receivers.iter())
                    .map(|r| {
                        (
                            r.name.clone(),
                            payload(&r.name, &id, &group, &[(&a, ann.clone())], None),
                        )
                    })
                    .collect();
                Queued {
                    id,
                    items,
                    at: now_ms(),
                }
            })
            .collect();
        let at = Instant::now();
        for q in &batch {
            sent.insert(q.id.clone(), at);
        }
        i += batch.len();
        writer.send_notices(batch);
        let next =
            start + Duration::from_micros((i as u64).saturating_mul(1_000_000) / rate as u64);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    // Until every receiver has every notice (the flapping one catches up with backoff).
    let limit = Instant::now() + Duration::from_secs(300);
    let delivered = |s: &Server| s.got.lock().map(|g| g.len()).unwrap_or(0);
    let mut healthy_done = None;
    while Instant::now() < limit {
        let healthy = servers[..RECEIVERS - 1].iter().all(|s| delivered(s) >= n);
        if healthy && healthy_done.is_none() {
            healthy_done = Some(Instant::now());
        }
        if healthy && delivered(&servers[RECEIVERS - 1]) >= n {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let cpu = procstat::threads_cpu_secs(montui_thread) - cpu0;
    drop(delivery);
    writer.finish();
    stop.store(true, Ordering::Relaxed);
    let bytes: u64 = ["h.db", "h.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
        .map(|m| m.len())
        .sum();
    // Lost: notices a receiver never answered for; duplicates: answered twice.
    let (mut lost, mut dups) = (0usize, 0usize);
    let mut lat: Vec<f64> = Vec::new();
    for (k, s) in servers.iter().enumerate() {
        let got = s.got.lock().map(|g| g.clone()).unwrap_or_default();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (id, at) in &got {
            *seen.entry(id.as_str()).or_default() += 1;
            if k < RECEIVERS - 1
                && let Some(t) = sent.get(id)
            {
                lat.push(at.duration_since(*t).as_secs_f64() * 1000.0);
            }
        }
        dups += seen.values().map(|c| c - 1).sum::<usize>();
        let missing = sent
            .keys()
            .filter(|id| !seen.contains_key(id.as_str()))
            .count();
        lost += missing;
    }
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let healthy_secs = healthy_done.map_or(f64::NAN, |d| d.duration_since(start).as_secs_f64());
    Ok(Phase {
        lost,
        dups,
        p50: pct(0.5),
        p99: pct(0.99),
        per_s: n as f64 / healthy_secs,
        cpu_ms: cpu * 1000.0 / n as f64,
        bytes: bytes / n as u64,
    })
}
