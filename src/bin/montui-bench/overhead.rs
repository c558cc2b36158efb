//! montui live (recording, 1 s) against htop, btop and bottom, each full-screen in tmux
//! 120×40: CPU % of one core, RSS, and bytes per second written to the terminal (tmux
//! pipe-pane); then again with 1,000 extra (sleeping) processes on the host.

use std::path::Path;
use std::time::{Duration, Instant};

use super::procstat::{cpu_secs, rss_mb};
use super::tmux::Tmux;
use super::{flag, median, montui_bin};

struct Tool {
    name: &'static str,
    cmd: String,
}

#[derive(Default)]
struct Figures {
    cpu: Vec<f64>,
    rss: Vec<f64>,
    bps: Vec<f64>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let secs: u64 = flag(args, "--secs", 60)?;
    let runs: usize = flag(args, "--runs", 3)?;
    let extra: usize = flag(args, "--extra", 1000)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let montui = montui_bin()?;
    let mut tools = vec![Tool {
        name: "montui",
        cmd: format!(
            "'{}' --db '{}'",
            montui.display(),
            dir.path().join("h.db").display()
        ),
    }];
    // Same refresh for all: htop's -d is in tenths of a second, bottom's -r in ms, btop's
    // update_ms in its config (its own default is 2 s).
    let btop_config = dir.path().join("config/btop");
    std::fs::create_dir_all(&btop_config).map_err(|e| e.to_string())?;
    std::fs::write(btop_config.join("btop.conf"), "update_ms = 1000\n")
        .map_err(|e| e.to_string())?;
    let btop_env = format!(
        "env XDG_CONFIG_HOME='{}'",
        dir.path().join("config").display()
    );
    for (name, bin, pre, args) in [
        ("htop", "htop", "", "-d 10"),
        ("btop", "btop", btop_env.as_str(), "--utf-force"),
        ("bottom", "btm", "", "-r 1000"),
    ] {
        match which(bin) {
            Some(p) => tools.push(Tool {
                name,
                cmd: format!("{pre} '{}' {args}", p.display()),
            }),
            None => eprintln!(
                "{name} ({bin}) not found, left out: apt-get install htop btop; cargo install bottom --locked"
            ),
        }
    }
    let span = Duration::from_secs(secs);
    let usual = scenario(&tools, runs, dir.path(), span, "")?;
    // A busier host: `extra` sleeping children of the bench's own.
    let mut children = Vec::with_capacity(extra);
    for _ in 0..extra {
        let child = std::process::Command::new("sleep").arg("3600").spawn();
        children.push(child.map_err(|e| format!("starting sleep: {e}"))?);
    }
    let busy = scenario(&tools, runs, dir.path(), span, "-1k");
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    let busy = busy?;
    let get = |med: &[(f64, f64, f64)], name: &str| {
        tools.iter().position(|t| t.name == name).map(|i| med[i])
    };
    let ratio = |med: &[(f64, f64, f64)], peer: &str, f: fn((f64, f64, f64)) -> f64| {
        get(med, peer).map_or(f64::NAN, |p| f(med[0]) / f(p))
    };
    let (cpu, bps) = (|x: (f64, f64, f64)| x.0, |x: (f64, f64, f64)| x.2);
    println!(
        "overhead: cpu_ratio_htop={:.2} cpu_ratio_btop={:.2} cpu_ratio_bottom={:.2} bps={:.0} bps_ratio_htop={:.2} bps_ratio_btop={:.2} bps_ratio_bottom={:.2} rss_mb={:.1} procs_1k={extra} cpu_ratio_htop_1k={:.2} cpu_ratio_btop_1k={:.2} cpu_ratio_bottom_1k={:.2}",
        ratio(&usual, "htop", cpu),
        ratio(&usual, "btop", cpu),
        ratio(&usual, "bottom", cpu),
        usual[0].2,
        ratio(&usual, "htop", bps),
        ratio(&usual, "btop", bps),
        ratio(&usual, "bottom", bps),
        usual[0].1,
        ratio(&busy, "htop", cpu),
        ratio(&busy, "btop", cpu),
        ratio(&busy, "bottom", cpu),
    );
    Ok(())
}

/// `runs` interleaved runs of every tool: medians of (CPU %, RSS MB, terminal B/s) per tool.
fn scenario(
    tools: &[Tool],
    runs: usize,
    dir: &Path,
    span: Duration,
    label: &str,
) -> Result<Vec<(f64, f64, f64)>, String> {
    let warmup = Duration::from_secs(3);
    let mut figs: Vec<Figures> = tools.iter().map(|_| Figures::default()).collect();
    for run in 0..runs {
        // Interleaved, so drift on a shared machine hits every tool alike.
        for (tool, fig) in tools.iter().zip(figs.iter_mut()) {
            let (cpu, rss, bps) = measure(tool, &format!("{run}{label}"), dir, warmup, span)?;
            eprintln!(
                "run {}{label} {:<7} cpu {:5.2}%  rss {:5.1} MB  {:7.0} B/s",
                run + 1,
                tool.name,
                cpu,
                rss,
                bps
            );
            fig.cpu.push(cpu);
            fig.rss.push(rss);
            fig.bps.push(bps);
        }
    }
    let med: Vec<(f64, f64, f64)> = figs
        .into_iter()
        .map(|f| (median(f.cpu), median(f.rss), median(f.bps)))
        .collect();
    println!(
        "median of {runs} runs of {} s{label}, tmux 120x40, 1 s refresh:",
        span.as_secs()
    );
    for (t, (cpu, rss, bps)) in tools.iter().zip(&med) {
        println!(
            "  {:<7} cpu {cpu:5.2}%  rss {rss:5.1} MB  {bps:7.0} B/s",
            t.name
        );
    }
    Ok(med)
}

/// One run of one tool: (CPU % of a core, RSS MB at the end, terminal bytes/s).
fn measure(
    tool: &Tool,
    run: &str,
    dir: &Path,
    warmup: Duration,
    span: Duration,
) -> Result<(f64, f64, f64), String> {
    let out = dir.join(format!("{}.out", tool.name));
    let _ = std::fs::remove_file(&out);
    let tmux = Tmux::start(&format!("{}-{run}", tool.name), dir, &tool.cmd, 120, 40)?;
    tmux.run(&[
        "pipe-pane",
        "-t",
        "b",
        "-o",
        &format!("cat >> '{}'", out.display()),
    ])?;
    let pid = tmux.pid()?;
    std::thread::sleep(warmup);
    let size = || std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let (c0, b0, t0) = (cpu_secs(pid), size(), Instant::now());
    std::thread::sleep(span);
    let (c1, b1, dt) = (cpu_secs(pid), size(), t0.elapsed().as_secs_f64());
    let rss = rss_mb(pid);
    tmux.kill();
    match (c0, c1, rss) {
        (Some(c0), Some(c1), Some(rss)) => Ok(((c1 - c0) / dt * 100.0, rss, (b1 - b0) as f64 / dt)),
        _ => Err(format!("{} exited during the run", tool.name)),
    }
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .chain([std::path::PathBuf::from("/opt/bottom/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
