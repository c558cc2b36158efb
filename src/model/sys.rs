//! What a host says of itself beyond CPU, memory, disks and network, as atop and btop show
//! it: pressure stall information, tasks by state, CPU frequencies, temperatures and fans,
//! disks' busy time and latency, file systems' inodes. Raw here (counters as the kernel keeps
//! them); `derive` makes percentages and rates.

use serde::{Deserialize, Serialize};

/// Raw system detail of one reading. Empty parts: the host does not say (no PSI, no sensors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SysRaw {
    /// Pressure stall totals, µs so far: cpu some, memory some, memory full, io some, io
    /// full (/proc/pressure); None where the kernel has no PSI.
    pub psi: Option<[u64; 5]>,
    pub tasks: Tasks,
    /// Current frequency per logical CPU, MHz (cpufreq).
    pub mhz: Vec<f64>,
    pub sensors: Vec<Sensor>,
    pub disks: Vec<DiskTimes>,
    pub inodes: Vec<Inodes>,
    /// Not in the sample's own encoding: the store writes it after (format 4), so samples
    /// of format 3 read as hosts without GPUs.
    #[serde(skip)]
    pub gpus: Vec<Gpu>,
}

/// A GPU's reading: how busy it was over the driver's last sampling period (%), and its
/// memory in use and in all (bytes). `name` is the card's (`0 NVIDIA A100`, `card1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Gpu {
    pub name: String,
    pub busy: Option<f64>,
    pub mem_used: u64,
    pub mem_total: u64,
}

impl Gpu {
    /// Memory in use, % of the card's; None where the total is not known.
    pub fn mem_pct(&self) -> Option<f64> {
        (self.mem_total > 0).then(|| self.mem_used as f64 * 100.0 / self.mem_total as f64)
    }
}

/// Processes and threads now, and processes by state (every process, kernel threads too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Tasks {
    pub processes: u32,
    pub threads: u32,
    /// R: running or ready to run.
    pub running: u32,
    /// D: waiting on I/O, uninterruptible.
    pub blocked: u32,
    /// Z: ended, not yet reaped by their parent.
    pub zombie: u32,
    /// T or t: stopped or traced.
    pub stopped: u32,
}

impl Tasks {
    /// Counts one process in `state` with `threads` threads.
    pub fn add(&mut self, state: char, threads: u32) {
        self.processes += 1;
        self.threads += threads.max(1);
        match state {
            'R' => self.running += 1,
            'D' => self.blocked += 1,
            'Z' => self.zombie += 1,
            'T' | 't' => self.stopped += 1,
            _ => {}
        }
    }
}

/// A temperature (°C) or fan (rpm) reading: `name` is the chip's and the input's label
/// (`coretemp Package id 0`, `nvme Composite`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Sensor {
    pub name: String,
    pub fan: bool,
    pub value: f64,
}

/// A disk's I/O time counters (/proc/diskstats): I/Os completed, ms the I/Os took (reads and
/// writes summed), ms the disk was busy (at least one I/O in flight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DiskTimes {
    pub name: String,
    pub ios: u64,
    pub io_ms: u64,
    pub busy_ms: u64,
}

/// A file system's inodes: how many, how many free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Inodes {
    pub mount: String,
    pub total: u64,
    pub free: u64,
}

/// System detail as views show it, from two readings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SysNow {
    /// % of the interval stalled, in `SysRaw::psi`'s order; None without PSI or a reading
    /// before.
    pub psi: Option<[f64; 5]>,
    pub tasks: Tasks,
    pub mhz: Vec<f64>,
    pub sensors: Vec<Sensor>,
    pub gpus: Vec<Gpu>,
    /// Seconds since the host booted.
    pub uptime_s: Option<f64>,
}

/// The PSI names, in `SysRaw::psi`'s order.
pub const PSI: [&str; 5] = [
    "cpu_some",
    "memory_some",
    "memory_full",
    "io_some",
    "io_full",
];

/// Pressure stall totals from /proc/pressure/{cpu,memory,io} text, each `(file, text)`.
pub fn psi_totals(files: &[(&str, &str)]) -> Option<[u64; 5]> {
    let total = |file: &str, kind: &str| -> Option<u64> {
        let (_, text) = files.iter().find(|(f, _)| *f == file)?;
        let line = text.lines().find(|l| l.starts_with(kind))?;
        line.split_whitespace()
            .find_map(|w| w.strip_prefix("total="))?
            .parse()
            .ok()
    };
    Some([
        total("cpu", "some")?,
        total("memory", "some")?,
        total("memory", "full")?,
        total("io", "some")?,
        total("io", "full")?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pressure_totals_are_read_and_a_missing_file_is_none() {
        let cpu = "some avg10=1.00 avg60=0.50 avg300=0.10 total=1000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
        let mem = "some avg10=0.00 avg60=0.00 avg300=0.00 total=20\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=10\n";
        let io = "some avg10=0.00 avg60=0.00 avg300=0.00 total=300\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=200\n";
        let all = [("cpu", cpu), ("memory", mem), ("io", io)];
        assert_eq!(psi_totals(&all), Some([1000, 20, 10, 300, 200]));
        assert_eq!(psi_totals(&all[..2]), None);
        assert_eq!(
            psi_totals(&[("cpu", "garbage"), ("memory", mem), ("io", io)]),
            None
        );
    }

    #[test]
    fn tasks_count_states_and_threads() {
        let mut t = Tasks::default();
        for (s, n) in [('R', 4), ('S', 1), ('D', 2), ('Z', 0), ('t', 1), ('I', 1)] {
            t.add(s, n);
        }
        assert_eq!(
            t,
            Tasks {
                processes: 6,
                threads: 10,
                running: 1,
                blocked: 1,
                zombie: 1,
                stopped: 1
            }
        );
    }
}
