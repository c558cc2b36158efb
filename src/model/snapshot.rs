/// Metrics derived from a raw sample and its predecessor: what every view shows.
/// A rate is `None` when it cannot be known (first sample, counter reset, reboot).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub host: String,
    pub ts_ms: i64,
    /// Time since the previous sample, if there was one.
    pub dt_ms: Option<i64>,
    pub cpu: Option<CpuPct>,
    /// Busy % per logical CPU.
    pub cores: Vec<Option<f64>>,
    pub mem: Mem,
    pub load: [f64; 3],
    pub fs: Vec<FsRow>,
    pub disks: Vec<DiskRate>,
    pub nets: Vec<NetRate>,
    pub procs: Vec<ProcRow>,
    pub sys: super::sys::SysNow,
    /// The series of scrapes and StatsD, derived (counters as rates).
    pub series: Vec<super::Metric>,
    /// When the newest of them was taken (0: none): a sample that repeats the last scrape
    /// has the same.
    pub series_at: i64,
}

/// CPU time split in percent of all CPUs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CpuPct {
    pub user: f64,
    pub system: f64,
    pub iowait: f64,
    pub other: f64,
}

impl CpuPct {
    pub fn busy(&self) -> f64 {
        self.user + self.system + self.other
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mem {
    pub total: u64,
    pub used: u64,
    pub cached: u64,
    pub swap_total: u64,
    pub swap_used: u64,
}

impl Mem {
    pub fn used_pct(&self) -> f64 {
        pct(self.used, self.total)
    }
    pub fn swap_pct(&self) -> f64 {
        pct(self.swap_used, self.swap_total)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FsRow {
    pub mount: String,
    pub total: u64,
    pub used: u64,
    /// Inodes in use, % of the file system's; None where not known.
    pub inodes_pct: Option<f64>,
}

impl FsRow {
    pub fn used_pct(&self) -> f64 {
        pct(self.used, self.total)
    }
}

/// Bytes per second.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiskRate {
    pub name: String,
    pub read: Option<f64>,
    pub write: Option<f64>,
    /// % of the interval with I/O in flight, and the average ms an I/O took (atop's busy
    /// and avio).
    pub busy: Option<f64>,
    pub await_ms: Option<f64>,
}

/// Bytes per second.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetRate {
    pub name: String,
    pub rx: Option<f64>,
    pub tx: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcRow {
    pub pid: u32,
    /// When it started (as `ProcRaw::start`): with the PID, which process it is.
    pub start: u64,
    pub name: String,
    /// Percent of one CPU, as top and htop show it.
    pub cpu: Option<f64>,
    pub rss: u64,
    pub ppid: u32,
    /// '\0' when not known.
    pub state: char,
    pub threads: u32,
    pub nice: i32,
    pub priority: i32,
    pub user: String,
    pub cmdline: String,
    /// CPU time used so far (htop's TIME+), ms.
    pub time_ms: u64,
    /// When it started, ms since the epoch (its host's clock); 0: not known.
    pub started_ms: i64,
    /// Bytes a second read from and written to storage; None when not known.
    pub read: Option<f64>,
    pub write: Option<f64>,
}

pub(crate) fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Whether a host answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostState {
    /// Its clock is `skew_ms` behind ours (remote hosts; ± 1 s); its last poll took `rtt_ms`
    /// from asking to having the sample.
    Up {
        skew_ms: i64,
        rtt_ms: Option<u32>,
    },
    Down {
        reason: String,
    },
}
