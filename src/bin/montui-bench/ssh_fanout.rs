//! Remote collection cost: N hosts (aliases of one loopback sshd) sampled at 1 s by montui's
//! collector, in this process: console-side CPU (this process and its ssh clients) per
//! host-poll, bytes the ssh clients read (encrypted, from the socket), RSS per host (this
//! process and the clients), and sample latency (the poll's round trip: montui asks → the
//! frame is in). The peer, in the same run:
//! a fresh `ssh host cat /proc/…` per poll.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use montui::collect::SourceMsg;
use montui::collect::ssh::{SshOptions, Target};
use montui::engine::Sources;

use super::procstat::{cpu_secs, rss_mb};
use super::sshd;
use super::{flag, median};

pub fn run(args: &[String]) -> Result<(), String> {
    // `--isolate` (root): each session gets its own PID namespace and /proc, so the remote
    // side costs what N small hosts would, not N samplers on this one host each reading all
    // N's processes. Frames are then smaller (a handful of processes each).
    let isolate = args.iter().any(|a| a == "--isolate");
    if isolate {
        println!("  remote side: one PID namespace and /proc per session");
    }
    let secs: u64 = flag(args, "--secs", 60)?;
    let counts: String = flag(args, "--hosts", "10,50,100".to_string())?;
    let counts: Vec<usize> = counts
        .split(',')
        .map(|n| {
            n.parse()
                .map_err(|_| format!("--hosts: `{n}` is not a number"))
        })
        .collect::<Result<_, _>>()?;
    // The runtime montui itself runs on (main.rs): one thread.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut last = None;
    for n in counts {
        let m = rt.block_on(streaming(n, secs, isolate))?;
        println!(
            "  {n:>3} hosts ({} sampling): {:.2} ms CPU per host-poll (montui {:.2}, ssh {:.2}), {:.0} B per poll, {:.2} MB RSS per host, latency p50 {:.0} ms p95 {:.0} ms, {} polls",
            m.connected,
            m.own_ms + m.ssh_ms,
            m.own_ms,
            m.ssh_ms,
            m.bytes,
            m.rss_mb,
            m.p50,
            m.p95,
            m.polls
        );
        last = Some((n, m));
    }
    let fresh_hosts = 10.min(last.as_ref().map_or(10, |(n, _)| *n));
    let fresh = fresh_exec(fresh_hosts, 10, isolate)?;
    println!(
        "  fresh ssh exec per poll ({fresh_hosts} hosts × 10 polls): {fresh:.1} ms CPU per host-poll"
    );
    let (n, m) = last.ok_or("no host count")?;
    println!(
        "ssh-fanout: hosts={n} cpu_ms_per_poll={:.2} bytes_per_poll={:.0} rss_mb_per_host={:.2} p50_latency_ms={:.0} p95_latency_ms={:.0} fresh_exec_cpu_ms_per_poll={fresh:.1}",
        m.own_ms + m.ssh_ms,
        m.bytes,
        m.rss_mb,
        m.p50,
        m.p95
    );
    Ok(())
}

struct Measured {
    /// Hosts sampling when the measurement began.
    connected: usize,
    /// CPU ms per host-poll: montui's own part, the ssh clients' part.
    own_ms: f64,
    ssh_ms: f64,
    bytes: f64,
    rss_mb: f64,
    p50: f64,
    p95: f64,
    polls: usize,
}

/// The console side: this process and its ssh clients (not the test sshd below it, which is
/// the remote side). The clients are looked up once (a walk over /proc is not cheap).
struct Console {
    ssh: Vec<u32>,
}

impl Console {
    fn find() -> Self {
        let ssh = sshd::descendants(std::process::id())
            .into_iter()
            .filter(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "ssh")
            })
            .collect();
        Self { ssh }
    }

    /// CPU seconds: this process (to the nanosecond), the ssh clients (in clock ticks).
    fn cpu(&self) -> (f64, f64) {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes the timespec it is given.
        unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
        let own = ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9;
        (own, self.ssh.iter().filter_map(|p| cpu_secs(*p)).sum())
    }

    /// Bytes the ssh clients read (encrypted, from the socket).
    fn bytes(&self) -> u64 {
        self.ssh
            .iter()
            .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/io")).ok())
            .filter_map(|io| {
                io.lines()
                    .find_map(|l| l.strip_prefix("rchar:"))
                    .and_then(|v| v.trim().parse::<u64>().ok())
            })
            .sum()
    }

    fn rss_mb(&self) -> f64 {
        rss_mb(std::process::id()).unwrap_or(0.0)
            + self.ssh.iter().filter_map(|p| rss_mb(*p)).sum::<f64>()
    }
}

async fn streaming(n: usize, secs: u64, isolate: bool) -> Result<Measured, String> {
    let sshd = sshd::Sshd::start_with(n, isolate).map_err(|p| format!("needs {p}"))?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let remote = (1..=n)
        .map(|i| {
            Ok((
                Target::parse(&format!("lab{i}"), None)?,
                Duration::from_secs(1),
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let sources = Sources {
        local: None,
        remote,
        pins: HashMap::new(),
        scraped: Vec::new(),
        scrapes: Vec::new(),
        fleets: Vec::new(),
        statsd: None,
        ssh: SshOptions {
            config_file: Some(sshd.ssh_config.clone()),
            ..Default::default()
        },
        logs: Default::default(),
    };
    // No host has logs here: nothing is sent on this channel.
    let (logs, _) = tokio::sync::mpsc::channel(1);
    let mut rx = sources.spawn(Duration::from_secs(1), &stop, &logs);
    // Warm-up: every host connected and sampling, or half of them after 90 s (the hosts'
    // side runs on this same machine and may not keep up; figures are per poll received).
    let mut seen: HashMap<String, usize> = HashMap::new();
    let t0 = Instant::now();
    while seen.len() < n || seen.values().any(|c| *c < 2) {
        if t0.elapsed() > Duration::from_secs(90) && seen.len() * 2 >= n {
            break;
        }
        if t0.elapsed() > Duration::from_secs(180) {
            return Err(format!(
                "only {} of {n} hosts answered in 3 min",
                seen.len()
            ));
        }
        if let Ok(Some(SourceMsg::Sample { raw, .. })) =
            tokio::time::timeout(Duration::from_secs(1), rx.recv()).await
        {
            *seen.entry(raw.host.clone()).or_default() += 1;
        }
    }
    let console = Console::find();
    let ((own0, ssh0), bytes0) = (console.cpu(), console.bytes());
    let start = Instant::now();
    let mut latencies = Vec::new();
    let mut rss = Vec::new();
    while start.elapsed() < Duration::from_secs(secs) {
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Some(SourceMsg::Sample {
                rtt_ms: Some(r), ..
            })) => latencies.push(f64::from(r)),
            Ok(Some(SourceMsg::Failed { host, reason, .. })) => eprintln!("  {host}: {reason}"),
            _ => {}
        }
        if latencies.len() % (n * 10).max(1) == 0 {
            rss.push(console.rss_mb());
        }
    }
    let ((own1, ssh1), bytes1) = (console.cpu(), console.bytes());
    rss.push(console.rss_mb());
    let _ = stop_tx.send(true);
    let polls = latencies.len().max(1);
    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len().saturating_sub(1))];
    Ok(Measured {
        connected: seen.len(),
        own_ms: (own1 - own0) * 1000.0 / polls as f64,
        ssh_ms: (ssh1 - ssh0) * 1000.0 / polls as f64,
        bytes: (bytes1 - bytes0) as f64 / polls as f64,
        rss_mb: median(rss) / seen.len().max(1) as f64,
        p50: median(latencies),
        p95,
        polls,
    })
}

/// The peer: every poll a new `ssh host cat /proc/…`, all hosts at once; CPU of the ssh
/// clients from the children's rusage.
fn fresh_exec(n: usize, polls: usize, isolate: bool) -> Result<f64, String> {
    let sshd = sshd::Sshd::start_with(n, isolate).map_err(|p| format!("needs {p}"))?;
    let before = children_cpu();
    for _ in 0..polls {
        let t = Instant::now();
        let kids: Vec<_> = (1..=n)
            .map(|i| {
                std::process::Command::new("ssh")
                    .arg("-F")
                    .arg(&sshd.ssh_config)
                    .args(["-o", "BatchMode=yes", &format!("lab{i}")])
                    .args(["cat", "/proc/stat", "/proc/meminfo", "/proc/loadavg"])
                    .args(["/proc/net/dev", "/proc/diskstats"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        for mut k in kids {
            let _ = k.wait();
        }
        std::thread::sleep(Duration::from_secs(1).saturating_sub(t.elapsed()));
    }
    Ok((children_cpu() - before) * 1000.0 / (n * polls) as f64)
}

/// CPU seconds of every waited-for child process.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}
