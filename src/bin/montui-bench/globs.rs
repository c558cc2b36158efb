//! A glob's cost: montui recording headless while following `dir/*.log` over `--files` idle
//! files (CPU over `--secs`), then while short-lived files come and go in that folder for
//! `--secs` (CPU and RSS in the `--secs` after the churn stopped: forgotten files cost
//! nothing). The peer, in the same run: montui recording with no log followed.

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use super::procstat::{cpu_secs, rss_mb};
use super::{flag, montui_bin};

pub fn run(args: &[String]) -> Result<(), String> {
    let n: usize = flag(args, "--files", 5000)?;
    let secs: u64 = flag(args, "--secs", 20)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    for i in 0..n {
        std::fs::write(logs.join(format!("{i}.log")), "a line\n").map_err(|e| e.to_string())?;
    }
    let span = Duration::from_secs(secs);
    let glob = format!("{}/*.log", logs.display());
    let mut peer = start(dir.path(), "peer", None)?;
    let mut m = start(dir.path(), "globs", Some(&glob))?;
    std::thread::sleep(Duration::from_secs(5));
    let idle = busy(&[&peer, &m], span)?;
    // Churn: files made and removed as fast as a loop can for `secs`.
    let started = Instant::now();
    let mut made = 0u64;
    while started.elapsed() < span {
        let p = logs.join(format!("churn-{made}.log"));
        let _ = std::fs::write(&p, "short-lived\n");
        let _ = std::fs::remove_file(&p);
        made += 1;
    }
    std::thread::sleep(Duration::from_secs(2));
    let after = busy(&[&peer, &m], span)?;
    let rss = [rss_mb(peer.id()), rss_mb(m.id())];
    for c in [&mut peer, &mut m] {
        let _ = c.kill();
        let _ = c.wait();
    }
    println!(
        "  idle, {n} files: montui {:.2}% (peer, no logs: {:.2}%)",
        idle[1], idle[0]
    );
    println!(
        "  after {made} short-lived files: montui {:.2}% {:.1} MB (peer {:.2}% {:.1} MB)",
        after[1],
        rss[1].unwrap_or(f64::NAN),
        after[0],
        rss[0].unwrap_or(f64::NAN)
    );
    println!(
        "globs: files={n} idle_cpu_pct={:.2} idle_cpu_pct_peer={:.2} churned={made} after_cpu_pct={:.2} after_rss_mb={:.1} rss_mb_peer={:.1}",
        idle[1],
        idle[0],
        after[1],
        rss[1].unwrap_or(f64::NAN),
        rss[0].unwrap_or(f64::NAN)
    );
    Ok(())
}

fn start(dir: &Path, name: &str, glob: Option<&str>) -> Result<Child, String> {
    let mut c = Command::new(montui_bin()?);
    c.arg("--headless")
        .arg("--db")
        .arg(dir.join(format!("{name}.db")))
        .env("HOME", dir)
        .stderr(std::process::Stdio::null());
    if let Some(g) = glob {
        c.arg("--log").arg(g);
    }
    c.spawn().map_err(|e| e.to_string())
}

/// CPU % of a core of each process over `span`.
fn busy(procs: &[&Child], span: Duration) -> Result<Vec<f64>, String> {
    let t0 = Instant::now();
    let c0: Vec<f64> = procs
        .iter()
        .map(|p| cpu_secs(p.id()).unwrap_or(0.0))
        .collect();
    std::thread::sleep(span);
    let dt = t0.elapsed().as_secs_f64();
    (procs.iter().zip(c0))
        .map(|(p, c0)| {
            let c1 = cpu_secs(p.id()).ok_or("montui ended")?;
            Ok((c1 - c0) / dt * 100.0)
        })
        .collect()
}
