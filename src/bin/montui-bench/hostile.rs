//! montui watching hostile remote hosts, full-screen in tmux 120×40, for `--secs`: an `ssh`
//! written by the bench runs montui's sampler on this machine, made hostile by host name:
//! `mounts` reports 30,000 mounts (a `df` that lists them), `logs` follows a folder where a
//! new log file appears every 20 ms (new paths in its log sections every frame), `flood`
//! prints frames nobody asked for as fast as it can. The peer, in the same run: montui
//! watching three well-behaved hosts through the same `ssh` (the sampler as it is).
//! Figures: montui's RSS at the end, its CPU over the second half, each host's state as the
//! hosts pane shows it, and the history's growth per minute.

use std::path::Path;
use std::time::{Duration, Instant};

use super::procstat::{cpu_secs, rss_mb};
use super::tmux::Tmux;
use super::{flag, montui_bin};

const HOSTS: [&str; 3] = ["mounts", "logs", "flood"];

struct Run {
    /// What montui's log said of cut data and refused hosts.
    warnings: Vec<String>,
    rss: f64,
    cpu: f64,
    db_mb_per_min: f64,
    states: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let secs: u64 = flag(args, "--secs", 60)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    setup(dir.path())?;
    let hostile = measure(dir.path(), "hostile", secs)?;
    let benign = measure(dir.path(), "benign", secs)?;
    for (name, r) in [("hostile", &hostile), ("benign", &benign)] {
        println!(
            "  {name:<8} rss {:5.1} MB  cpu {:5.2}%  history {:.2} MB/min  {}",
            r.rss,
            r.cpu,
            r.db_mb_per_min,
            r.states.join("; ")
        );
    }
    // `host: up …` → `host:up`; `host: down: refused: …` → `host:refused`.
    let state = (hostile.states.iter())
        .map(|s| {
            let words: Vec<&str> = s.split_whitespace().collect();
            let word = match words.get(1) {
                Some(&"down:") => words.get(2).copied().unwrap_or("down"),
                w => w.copied().unwrap_or("?"),
            };
            format!(
                "{}{}",
                words.first().unwrap_or(&"?"),
                word.trim_end_matches(':')
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    for line in hostile.warnings.iter().take(4) {
        println!("  warned: {line}");
    }
    println!(
        "hostile: rss_mb={:.1} cpu_pct={:.2} db_mb_per_min={:.2} rss_ratio_benign={:.2} cpu_ratio_benign={:.2} state={state}",
        hostile.rss,
        hostile.cpu,
        hostile.db_mb_per_min,
        hostile.rss / benign.rss,
        hostile.cpu / benign.cpu,
    );
    Ok(())
}

/// The fake `ssh`, its `df`, a frame to flood with, and the configs.
fn setup(dir: &Path) -> Result<(), String> {
    let w = |p: &str, text: String, exec: bool| -> Result<(), String> {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
        if exec {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o755);
            std::fs::set_permissions(&path, mode).map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let d = dir.display();
    w(
        "ssh",
        format!(
            r#"#!/bin/sh
# An ssh that runs the command here; hostile by host name when $HOSTILE is set.
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
host=$2; cmd=$3
[ -n "$HOSTILE" ] || exec sh -c "$cmd"
case $host in
  mounts) PATH='{d}/fakebin':$PATH exec sh -c "$cmd" ;;
  flood) cat >/dev/null & while :; do cat '{d}/frame.txt'; done ;;
  *) exec sh -c "$cmd" ;;
esac
"#
        ),
        true,
    )?;
    w(
        "fakebin/df",
        "#!/bin/sh\n/bin/df \"$@\"\nawk 'BEGIN { for (i = 1; i <= 30000; i++) printf \"/dev/fake%d 1048576 524288 524288 50%% /mnt/m%d\\n\", i, i }'\n".into(),
        true,
    )?;
    w("frame.txt", frame()?, false)?;
    let mut hosts = String::new();
    for h in HOSTS {
        hosts += &format!("[[hosts]]\nssh = \"{h}\"\n");
        if h == "logs" {
            hosts += &format!("logs = [\"{d}/logs/*.log\"]\n");
        }
    }
    w(
        "config.toml",
        format!("[ssh]\nbinary = \"{d}/ssh\"\n\n{hosts}"),
        false,
    )?;
    std::fs::create_dir_all(dir.join("logs")).map_err(|e| e.to_string())
}

/// One frame of this machine, as the sampler prints it.
fn frame() -> Result<String, String> {
    let sampler = include_str!("../../collect/ssh/sampler.sh");
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            &format!("{{ cat <<'EOF'\n{sampler}\nEOF\n}} | sh -s 5"),
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let end = text.find("@@end\n").ok_or("the sampler printed no frame")?;
    Ok(text[..end + 6].to_string())
}

fn measure(dir: &Path, name: &str, secs: u64) -> Result<Run, String> {
    let db = dir.join(format!("{name}.db"));
    let env = if name == "hostile" { "HOSTILE=1 " } else { "" };
    let cmd = format!(
        "env {env}'{}' --config '{}' --db '{}'",
        montui_bin()?.display(),
        dir.join("config.toml").display(),
        db.display()
    );
    let tmux = Tmux::start(name, dir, &cmd, 120, 40)?;
    let pid = montui_pid(&tmux)?;
    let logs = dir.join("logs");
    let start = Instant::now();
    let (mut n, mut half) = (0u64, None);
    let db_size = || {
        ["", "-wal"]
            .iter()
            .filter_map(|e| std::fs::metadata(format!("{}{e}", db.display())).ok())
            .map(|m| m.len() as f64 / 1e6)
            .sum::<f64>()
    };
    while start.elapsed() < Duration::from_secs(secs) {
        // A new log file every 20 ms (the `logs` host follows them all).
        n += 1;
        let _ = std::fs::write(
            logs.join(format!("{name}-{n}.log")),
            format!("new file {n}\n"),
        );
        std::thread::sleep(Duration::from_millis(20));
        if half.is_none() && start.elapsed() >= Duration::from_secs(secs / 2) {
            half = Some((Instant::now(), cpu_secs(pid).unwrap_or(0.0), db_size()));
        }
    }
    let (t0, c0, d0) = half.ok_or("too short a run")?;
    let cpu = (cpu_secs(pid).ok_or("montui ended")? - c0) / t0.elapsed().as_secs_f64() * 100.0;
    let db_mb_per_min = (db_size() - d0) / t0.elapsed().as_secs_f64() * 60.0;
    let rss = rss_mb(pid).ok_or("montui ended")?;
    let screen = tmux.screen();
    let states = HOSTS
        .iter()
        .map(|h| {
            let row = screen.lines().find(|l| l.contains(&format!(" {h} ")));
            let state = row.map_or("not shown".to_string(), |r| {
                r.split_whitespace().skip(2).collect::<Vec<_>>().join(" ")
            });
            format!("{h}: {}", state.trim_end_matches(['│', ' ']))
        })
        .collect();
    tmux.kill();
    let log = dir.join(".local/state/montui/montui.log");
    let warnings = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("cut to a bound") || l.contains("refused"))
        .map(|l| l.chars().take(160).collect())
        .collect();
    let _ = std::fs::remove_file(&log);
    for f in std::fs::read_dir(&logs)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let _ = std::fs::remove_file(f.path());
    }
    Ok(Run {
        warnings,
        rss,
        cpu,
        db_mb_per_min,
        states,
    })
}

/// montui's pid: the pane runs `env`, which becomes montui.
fn montui_pid(tmux: &Tmux) -> Result<u32, String> {
    std::thread::sleep(Duration::from_millis(500));
    tmux.pid()
}
