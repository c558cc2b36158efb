use serde::{Deserialize, Serialize};

/// One reading of a host, counters exactly as the kernel reported them.
/// Rates are never stored: `derive()` computes them from two raw samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RawSample {
    /// Not serialized: the store keeps it once per host, not once per sample.
    #[serde(skip)]
    pub host: String,
    /// Wall-clock time of the reading, milliseconds since the Unix epoch.
    pub ts_ms: i64,
    /// Boot time in seconds since the epoch; a change means every counter was reset.
    pub boot_time: u64,
    /// Clock ticks per second of the host's CPU counters (USER_HZ).
    pub ticks_per_sec: u64,
    /// Sum over all CPUs (the `cpu` line of /proc/stat).
    pub cpu_total: CpuTicks,
    /// One entry per logical CPU.
    pub cpus: Vec<CpuTicks>,
    pub mem: MemRaw,
    /// 1, 5 and 15 minute load averages.
    pub load: [f64; 3],
    pub disks: Vec<DiskIo>,
    pub nets: Vec<NetIo>,
    pub fs: Vec<FsUsage>,
    /// The processes worth showing (top by CPU and by memory), not every process.
    pub procs: Vec<ProcRaw>,
    /// Pressure, tasks, frequencies, sensors, disk times, inodes (last: a sample of format
    /// 2, which ends before it, reads with none).
    pub sys: super::sys::SysRaw,
    /// Series of scrapes and StatsD that ride on this host's samples, shared by the samples
    /// that carry the same scrape (not in the sample's own encoding: the store writes them
    /// after it, format 5, and only in the sample that first carries them).
    #[serde(skip)]
    pub series: std::sync::Arc<Vec<super::Series>>,
}

/// Cumulative CPU time in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CpuTicks {
    pub user: u64,
    pub nice: u64,
    pub system: u64,
    pub idle: u64,
    pub iowait: u64,
    pub irq: u64,
    pub softirq: u64,
    pub steal: u64,
}

impl CpuTicks {
    /// Time spent running processes: user, nice and system (guests are in user).
    pub fn busy(&self) -> u64 {
        self.user + self.nice + self.system
    }

    pub fn total(&self) -> u64 {
        self.user
            + self.nice
            + self.system
            + self.idle
            + self.iowait
            + self.irq
            + self.softirq
            + self.steal
    }
}

/// Memory figures in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MemRaw {
    pub total: u64,
    pub available: u64,
    pub free: u64,
    pub buffers: u64,
    pub cached: u64,
    pub swap_total: u64,
    pub swap_free: u64,
}

/// Cumulative block device counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DiskIo {
    pub name: String,
    pub sectors_read: u64,
    pub sectors_written: u64,
}

/// Cumulative network interface counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NetIo {
    pub name: String,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
}

/// Space of one mounted file system, in bytes, as `df` counts it: the blocks reserved for
/// root are neither used nor available, so `total` is what users can fill (used + available,
/// df's Size less the reserve) and `total - available` is df's Used; the percentage of it is
/// df's Use%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FsUsage {
    pub mount: String,
    pub total: u64,
    pub available: u64,
}

impl FsUsage {
    /// From a file system's blocks (statvfs: `f_blocks`, `f_bfree`, `f_bavail`) of `size`
    /// bytes, or from df's 1024-byte Size, Used and Available.
    pub fn from_blocks(mount: String, blocks: u64, free: u64, avail: u64, size: u64) -> Self {
        let used = blocks.saturating_sub(free).saturating_mul(size);
        let available = avail.saturating_mul(size);
        FsUsage {
            mount,
            total: used.saturating_add(available),
            available,
        }
    }
}

/// One process: cumulative CPU time, resident memory, what htop shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProcRaw {
    pub pid: u32,
    /// Start time (seconds since boot or epoch, as the collector reports it):
    /// together with the pid it identifies a process across samples.
    pub start: u64,
    pub name: String,
    pub cpu_ms: u64,
    pub rss: u64,
    /// The parent's pid (0: none).
    pub ppid: u32,
    /// The state letter /proc shows (R running, S sleeping, D waiting on a disk, Z zombie,
    /// T stopped, I idle); '\0' when not known (a recording from before it was kept).
    pub state: char,
    pub threads: u32,
    pub nice: i32,
    /// The kernel's priority (20 + nice for normal processes; negative for real-time ones).
    pub priority: i32,
    /// The owner's name (its uid as text where the name is not known); empty: not known.
    pub user: String,
    /// The command line, arguments joined by spaces (cut at `CMDLINE_MAX` characters); empty
    /// for kernel threads and zombies, or where it could not be read.
    pub cmdline: String,
    /// Bytes read from and written to storage so far (/proc/N/io); None where it cannot be
    /// read (another user's process without privileges).
    pub io: Option<(u64, u64)>,
}

/// The name of the pseudo-process (PID 0) whose CPU time is what processes that started and
/// ended between two samples used (`collect::top`).
pub const EXITED: &str = "<exited>";

/// The longest command line kept (characters).
pub const CMDLINE_MAX: usize = 512;

/// Series a sample may carry per family, at most: each is a series in every view, rule and
/// block of the history, so a host reporting thousands (hostile, or a container host with
/// thousands of mounts) must not take the console's memory with it.
pub const SERIES_CAPS: [(&str, usize); 4] = [
    ("cpus", 1024),
    ("disks", 256),
    ("network interfaces", 256),
    ("mounts", 256),
];

impl RawSample {
    /// Cuts each family to its cap (the first reported are kept, so the set is steady); says
    /// what was cut, naming the family, how many came and the cap.
    pub fn cap_series(&mut self) -> Vec<String> {
        let [cpus, disks, nets, fs] = SERIES_CAPS;
        let mut said = Vec::new();
        cut(&mut self.cpus, cpus, &mut said);
        cut(&mut self.disks, disks, &mut said);
        cut(&mut self.nets, nets, &mut said);
        cut(&mut self.fs, fs, &mut said);
        said
    }
}

fn cut<T>(v: &mut Vec<T>, (family, cap): (&str, usize), said: &mut Vec<String>) {
    if v.len() > cap {
        said.push(format!(
            "{} {family} reported, the first {cap} kept",
            v.len()
        ));
        v.truncate(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_past_their_cap_are_cut_and_named() {
        let mut s = RawSample {
            fs: (0..30_000)
                .map(|i| FsUsage {
                    mount: format!("/m{i}"),
                    total: 1,
                    available: 1,
                })
                .collect(),
            nets: vec![NetIo::default(); 3],
            ..Default::default()
        };
        let said = s.cap_series();
        assert_eq!(said, ["30000 mounts reported, the first 256 kept"]);
        assert_eq!((s.fs.len(), s.fs[0].mount.as_str()), (256, "/m0"));
        assert_eq!(s.nets.len(), 3);
    }
}
