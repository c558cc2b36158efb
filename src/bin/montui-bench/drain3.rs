//! The Drain3 peer: Drain3 0.9.11 (Python) with the masks of its example `drain3.ini`, in a
//! venv this bench makes under `target/` (`python3 -m venv`, `pip install drain3==0.9.11`),
//! fed the same messages in the same run. Lines per second, median of 3 passes.

use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "drain3==0.9.11";

/// Reads one message per line from argv[1], mines them `passes` times with a fresh miner each
/// time and prints each pass's lines per second.
const SCRIPT: &str = r#"
import sys, time
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
from drain3.masking import MaskingInstruction
B = r"((?<=[^A-Za-z0-9])|^)"
E = r"((?=[^A-Za-z0-9])|$)"
MASKS = [
    (B + r"(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))" + E, "ID"),
    (B + r"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})" + E, "IP"),
    (B + r"([0-9a-f]{6,} ?){3,}" + E, "SEQ"),
    (B + r"([0-9A-F]{4} ?){4,}" + E, "SEQ"),
    (B + r"(0x[a-f0-9A-F]+)" + E, "HEX"),
    (B + r"([\-\+]?\d+)" + E, "NUM"),
    (r"(?<=executed cmd )(\".+?\")", "CMD"),
]
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
for _ in range(int(sys.argv[2])):
    config = TemplateMinerConfig()
    config.masking_instructions = [MaskingInstruction(p, m) for p, m in MASKS]
    config.mask_prefix, config.mask_suffix = "<:", ":>"
    config.snapshot_interval_minutes = 0
    miner = TemplateMiner(config=config)
    t = time.perf_counter()
    for l in lines:
        miner.add_log_message(l)
    print(len(lines) / (time.perf_counter() - t), flush=True)
"#;

fn venv_dir() -> PathBuf {
    // target/release/montui-bench → target/drain3-venv
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
        .join("drain3-venv")
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The venv's python, made on first use.
fn python() -> Result<PathBuf, String> {
    let venv = venv_dir();
    let py = venv.join("bin/python");
    let ready = venv.join(".drain3-ready");
    if !ready.is_file() {
        eprintln!("  making {} ({VERSION})…", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(&py).args([
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            VERSION,
        ]))?;
        std::fs::write(&ready, VERSION).map_err(|e| e.to_string())?;
    }
    Ok(py)
}

/// Drain3's lines per second over `messages` (median of 3 passes).
pub fn lines_per_s(messages: &[&str]) -> Result<f64, String> {
    let py = python()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (input, script) = (
        dir.path().join("lines.txt"),
        dir.path().join("drain3_bench.py"),
    );
    let text: Vec<String> = messages.iter().map(|m| m.replace('\n', " ")).collect();
    std::fs::write(&input, text.join("\n")).map_err(|e| e.to_string())?;
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let out = run(Command::new(&py).arg(&script).arg(&input).arg("3"))?;
    let rates: Vec<f64> = out.lines().filter_map(|l| l.trim().parse().ok()).collect();
    if rates.is_empty() {
        return Err("drain3 printed no rate".into());
    }
    Ok(super::median(rates))
}
