//! `montui report` on a month: a history of `--hosts` hosts over `--days` days sampled every
//! `--interval` s (a daily CPU swing, memory, two file systems filling, network, an alert a
//! day) made here through the store, then the month's HTML report produced by the real
//! binary: wall time and peak RSS, medians of `--runs`. Peer in the same run: plain SQLite
//! rows, the month's hourly values of the same series in a table of (host, series, hour,
//! value), grouped into average and maximum per series by one query: the floor of any
//! report read from rows.

use std::process::Command;
use std::time::Instant;

use montui::alert::lifecycle::{Alert, Event, EventKind, Severity};
use montui::model::{CpuTicks, FsUsage, MemRaw, NetIo, RawSample};
use montui::store::{BLOCK_SAMPLES, Store};

use super::{flag, median, montui_bin};

const DAY: i64 = 86_400_000;
const GB: u64 = 1 << 30;

pub fn run(args: &[String]) -> Result<(), String> {
    let hosts: usize = flag(args, "--hosts", 20)?;
    let days: i64 = flag(args, "--days", 30)?;
    let interval: i64 = flag(args, "--interval", 10)?;
    let runs: usize = flag(args, "--runs", 5)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("h.db");
    // November 2026, UTC.
    let start = 1_793_491_200_000;
    let t0 = Instant::now();
    let hourly = make(&db, hosts, days, interval * 1000, start)?;
    let bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "history: {hosts} hosts, {days} days at {interval} s, {:.0} MB, made in {:.0} s",
        bytes as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    let peer = rows(dir.path(), &hourly, runs)?;
    let out = dir.path().join("month.html");
    let (mut ms, mut rss) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t, kb) = report(&db, &out)?;
        ms.push(t);
        rss.push(kb as f64 / 1024.0);
    }
    let html = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    let (ms, rss_mb) = (median(ms), median(rss));
    println!(
        "month's HTML ({} KB, {} charts): {ms:.0} ms, peak RSS {rss_mb:.1} MB (medians of {runs}); plain SQLite rows, the same hourly values averaged and maxed per series: {peer:.1} ms",
        html.len() / 1024,
        html.matches("<svg").count()
    );
    println!(
        "report: hosts={hosts} days={days} ms={ms:.0} rss_mb={rss_mb:.1} peer_rows_ms={peer:.1} peer_ratio={:.1}",
        ms / peer.max(1e-9)
    );
    Ok(())
}

/// Writes the history; returns each host's hourly (series, hour, value) for the peer.
fn make(
    db: &std::path::Path,
    hosts: usize,
    days: i64,
    step: i64,
    start: i64,
) -> Result<Vec<(usize, &'static str, i64, f64)>, String> {
    let err = |e: montui::store::StoreError| e.to_string();
    let mut store = Store::open_writer(db).map_err(err)?;
    let mut hourly = Vec::new();
    for h in 0..hosts {
        let host = format!("host-{h:02}");
        let mut ticks = CpuTicks::default();
        let (mut rx, mut tx) = (0u64, 0u64);
        let mut chunk = Vec::with_capacity(BLOCK_SAMPLES);
        let mut t = start - 3_600_000;
        while t < start + days * DAY {
            let day_phase = ((t - start).rem_euclid(DAY)) as f64 / DAY as f64;
            let busy = 0.2 + 0.15 * (day_phase * std::f64::consts::TAU).sin() + 0.01 * h as f64;
            let per = (step / 10) as u64;
            let b = (busy.clamp(0.0, 1.0) * per as f64) as u64;
            ticks.user += b;
            ticks.idle += per - b;
            rx += 1_000_000 * (step / 1000) as u64;
            tx += 200_000 * (step / 1000) as u64;
            let grown = (t - start).max(0) as f64 / (days * DAY) as f64;
            let fs = |mount: &str, from: f64, by: f64| {
                let total = 500 * GB;
                let used = ((from + by * grown) * total as f64) as u64;
                FsUsage {
                    mount: mount.into(),
                    total,
                    available: total - used,
                }
            };
            chunk.push(RawSample {
                host: host.clone(),
                ts_ms: t,
                cpu_total: ticks,
                mem: MemRaw {
                    total: 64 * GB,
                    available: (64.0 * GB as f64 * (0.6 - 0.1 * busy)) as u64,
                    ..Default::default()
                },
                load: [busy * 8.0, busy * 8.0, busy * 8.0],
                fs: vec![fs("/", 0.3, 0.02), fs("/data", 0.5 + 0.01 * h as f64, 0.2)],
                nets: vec![NetIo {
                    name: "eth0".into(),
                    rx_bytes: rx,
                    tx_bytes: tx,
                }],
                ..Default::default()
            });
            if t >= start && (t - start) % 3_600_000 == 0 {
                hourly.push((h, "cpu_busy_percent", t, busy * 100.0));
                hourly.push((
                    h,
                    "filesystem_used_percent{mount=\"/data\"}",
                    t,
                    (0.5 + 0.2 * grown) * 100.0,
                ));
            }
            if chunk.len() == BLOCK_SAMPLES {
                store.insert(&chunk).map_err(err)?;
                store.pack(BLOCK_SAMPLES).map_err(err)?;
                chunk.clear();
            }
            t += step;
        }
        store.insert(&chunk).map_err(err)?;
        // An alert a day: fired at 10:00, acknowledged after 5 minutes, resolved after 40.
        let mut a = Alert::firing("cpu_high", &[("host", &host)]);
        a.severity = Severity::Warning;
        for d in 0..days {
            let at = start + d * DAY + 10 * 3_600_000;
            for (dt, kind) in [
                (0, EventKind::Firing),
                (300_000, EventKind::Acked { by: "ann".into() }),
                (2_400_000, EventKind::Resolved),
            ] {
                a.events.push(Event {
                    at: at + dt,
                    kind,
                    value: 1.0,
                });
            }
        }
        store.save_alert(&a).map_err(err)?;
    }
    Ok(hourly)
}

/// The month's HTML by the real binary: (wall ms, peak RSS KB).
fn report(db: &std::path::Path, out: &std::path::Path) -> Result<(f64, i64), String> {
    let t = Instant::now();
    let child = Command::new(montui_bin()?)
        .args([
            "report",
            "--period",
            "month",
            "--at",
            "2026-11-15",
            "--format",
            "html",
            "--db",
        ])
        .arg(db)
        .arg("--out")
        .arg(out)
        .env("TZ", "UTC")
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if pid <= 0 || status != 0 {
        return Err(format!("montui report failed (status {status})"));
    }
    Ok((ms, usage.ru_maxrss))
}

/// The peer: the hourly values as plain SQLite rows, one query for every series' average
/// and maximum; median ms of `runs`.
fn rows(
    dir: &std::path::Path,
    hourly: &[(usize, &str, i64, f64)],
    runs: usize,
) -> Result<f64, String> {
    let e = |e: rusqlite::Error| e.to_string();
    let mut c = rusqlite::Connection::open(dir.join("rows.db")).map_err(e)?;
    c.execute_batch("CREATE TABLE m (host INTEGER, series TEXT, hour INTEGER, value REAL)")
        .map_err(e)?;
    let tx = c.transaction().map_err(e)?;
    {
        let mut st = tx
            .prepare("INSERT INTO m VALUES (?1, ?2, ?3, ?4)")
            .map_err(e)?;
        for (h, s, t, v) in hourly {
            st.execute(rusqlite::params![*h as i64, s, t, v])
                .map_err(e)?;
        }
    }
    tx.commit().map_err(e)?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut st = c
            .prepare("SELECT host, series, avg(value), max(value) FROM m GROUP BY host, series")
            .map_err(e)?;
        let n = st.query_map([], |r| r.get::<_, f64>(2)).map_err(e)?.count();
        std::hint::black_box(n);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(times))
}
