//! The whole live log path under a flood: montui records this machine at 1 s, full-screen in
//! tmux 120×40, following one file, while `--lines` distinct lines (each a new pattern:
//! two words of every line are unlike any other line's) are appended as fast as possible.
//! With `--data DIR` (Loghub-2k) the lines are the datasets' raw lines, interleaved and
//! repeated: real logs through the whole live path.
//! Figures: lines per second from the first line written until montui has read the file to
//! its end and its CPU has settled; RSS growth (peak during the flood, over the RSS before);
//! host samples missing from the history over the flood; the history's size after.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use montui::store::Store;

use super::procstat::{cpu_secs, rss_mb};
use super::tmux::Tmux;
use super::{flag, letters, montui_bin};

pub fn run(args: &[String]) -> Result<(), String> {
    let lines: u64 = flag(args, "--lines", 1_000_000)?;
    let level: String = flag(args, "--level", "ERROR".to_string())?;
    let limit: u64 = flag(args, "--limit", 600)?;
    let data: String = flag(args, "--data", String::new())?;
    let real = match data.as_str() {
        "" => None,
        d => Some(super::loghub::raw_lines(d)?).filter(|l| !l.is_empty()),
    };
    let kind = if real.is_some() {
        "loghub"
    } else {
        level.as_str()
    };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (db, log) = (dir.path().join("h.db"), dir.path().join("flood.log"));
    std::fs::write(&log, "").map_err(|e| e.to_string())?;
    let cmd = format!(
        "'{}' --db '{}' --log '{}'",
        montui_bin()?.display(),
        db.display(),
        log.display()
    );
    let tmux = Tmux::start("flood", dir.path(), &cmd, 120, 40)?;
    let pid = tmux.pid()?;
    std::thread::sleep(Duration::from_secs(5));
    let rss0 = rss_mb(pid).ok_or("montui ended at start")?;
    let t0 = Instant::now();
    let from_ms = now_ms();
    let writer = {
        let (log, level) = (log.clone(), level.clone());
        std::thread::spawn(move || write_lines(&log, lines, &level, real.as_deref()))
    };
    let (mut peak, mut settled) = (rss0, None);
    // Busy over windows of 200 ms: settled is the start of the first quiet one after the
    // file was read to its end.
    let window = Duration::from_millis(200);
    let mut last = (t0.elapsed(), cpu_secs(pid).unwrap_or(0.0));
    while settled.is_none() && t0.elapsed() < Duration::from_secs(limit) {
        std::thread::sleep(window);
        peak = peak.max(rss_mb(pid).ok_or("montui ended during the flood")?);
        let (now, cpu) = (t0.elapsed(), cpu_secs(pid).unwrap_or(0.0));
        let busy = (cpu - last.1) / (now - last.0).as_secs_f64();
        let size = std::fs::metadata(&log).map_or(0, |m| m.len());
        if writer.is_finished() && read_to(pid, &log) >= size && busy < 0.25 {
            settled = Some(last.0);
        }
        last = (now, cpu);
    }
    let written = writer.join().map_err(|_| "the writer failed")??;
    let to_ms = now_ms();
    let took = settled.unwrap_or(t0.elapsed());
    let screen = tmux.screen();
    tmux.run(&["send-keys", "-t", "b", "q"])?;
    let gone = Instant::now();
    while rss_mb(pid).is_some() && gone.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.kill();
    let missing = missing_samples(&db, from_ms, to_ms)?;
    let db_mb = ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
        .map(|m| m.len() as f64 / 1e6)
        .sum::<f64>();
    let status = screen.lines().last().unwrap_or_default().trim().to_string();
    println!("  status bar at the end: {status}");
    if settled.is_none() {
        println!("  did not settle within {limit} s");
    }
    println!(
        "flood: lines={written} kind={kind} secs={:.1} lines_per_s={:.0} rss_growth_mb={:.1} samples_dropped={missing} db_mb={db_mb:.1} settled={}",
        took.as_secs_f64(),
        written as f64 / took.as_secs_f64(),
        peak - rss0,
        settled.is_some()
    );
    Ok(())
}

/// Appends `n` lines in large writes: `real` ones in turn, or else each with two words
/// unlike any other line's.
fn write_lines(log: &Path, n: u64, level: &str, real: Option<&[String]>) -> Result<u64, String> {
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(log)
        .map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    for i in 0..n {
        if let Some(r) = real {
            writeln!(w, "{}", r[i as usize % r.len()]).map_err(|e| e.to_string())?;
            continue;
        }
        writeln!(
            w,
            "2026-12-05T10:00:00.000Z {level} worker {} lost lease on {} after retry",
            letters(i),
            letters(i.wrapping_mul(7919) ^ 0x5a5a)
        )
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    Ok(n)
}

/// How far montui has read `log` (the offset of its open file), 0 if it has it not open.
fn read_to(pid: u32, log: &Path) -> u64 {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    for fd in fds.filter_map(Result::ok) {
        if std::fs::read_link(fd.path()).is_ok_and(|p| p == log) {
            let info = format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy());
            let pos = std::fs::read_to_string(info).unwrap_or_default();
            return pos
                .lines()
                .find_map(|l| l.strip_prefix("pos:"))
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or(0);
        }
    }
    0
}

/// Samples of this machine (one a second) missing from the history in `[from, to)`.
fn missing_samples(db: &Path, from: i64, to: i64) -> Result<i64, String> {
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let host = store.hosts().map_err(|e| e.to_string())?;
    let host = host.first().ok_or("no host in the history")?;
    let got = store
        .sample_times(host, from, to)
        .map_err(|e| e.to_string())?;
    // One tick of slack at either end.
    let expected = (to - from) / 1000 - 1;
    Ok((expected - got.len() as i64).max(0))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
