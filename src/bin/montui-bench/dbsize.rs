//! Records this machine headless for a while and reports the history file's bytes per sample.

use std::process::Command;
use std::time::Duration;

use montui::store::Store;

use super::{flag, montui_bin};

pub fn run(args: &[String]) -> Result<(), String> {
    let secs: u64 = flag(args, "--secs", 600)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("h.db");
    let mut child = Command::new(montui_bin()?)
        .arg("--headless")
        .arg("--db")
        .arg(&db)
        .spawn()
        .map_err(|e| e.to_string())?;
    std::thread::sleep(Duration::from_secs(secs));
    // SAFETY: kill only sends a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().map_err(|e| e.to_string())?;
    let store = Store::open_reader(&db).map_err(|e| e.to_string())?;
    let mut samples = 0usize;
    let mut procs = 0usize;
    for host in store.hosts().map_err(|e| e.to_string())? {
        let all = store
            .samples(&host, 0, i64::MAX)
            .map_err(|e| e.to_string())?;
        samples += all.len();
        procs += all.iter().map(|s| s.procs.len()).sum::<usize>();
    }
    drop(store);
    let bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
        .map(|m| m.len())
        .sum();
    let per = bytes as f64 / samples.max(1) as f64;
    println!(
        "dbsize: secs={secs} samples={samples} bytes={bytes} bytes_per_sample={per:.0} procs_per_sample={:.1}",
        procs as f64 / samples.max(1) as f64
    );
    Ok(())
}
