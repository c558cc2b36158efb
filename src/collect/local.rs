use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use sysinfo::{Disks, ProcessRefreshKind, ProcessesToUpdate, System};

use super::{CollectError, Collector, procfs};
use crate::model::{FsUsage, ProcRaw, RawSample};

/// File systems that are not storage a user fills.
const PSEUDO_FS: &[&str] = &[
    "tmpfs",
    "devtmpfs",
    "overlay",
    "squashfs",
    "proc",
    "sysfs",
    "cgroup",
    "cgroup2",
    "nsfs",
    "ramfs",
    "autofs",
    "fuse.lxcfs",
    "efivarfs",
];

/// Reads this machine: /proc text through `procfs`, processes and mounts through sysinfo.
pub struct LocalCollector {
    host: String,
    ticks_per_sec: u64,
    top: usize,
    sys: System,
    disks: Disks,
    /// CPU time of every process at the last collect, to rank them by recent CPU use.
    last_cpu: HashMap<u32, u64>,
}

impl LocalCollector {
    /// `top`: how many processes to keep by CPU and, separately, by memory.
    pub fn new(top: usize) -> Result<Self, CollectError> {
        let sys = System::new().map_err(|e| CollectError::Other(e.to_string()))?;
        let disks =
            Disks::new_with_refreshed_list().map_err(|e| CollectError::Other(e.to_string()))?;
        // SAFETY: sysconf has no preconditions; it only reads a configuration value.
        let tps = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        Ok(Self {
            host: System::host_name().unwrap_or_else(|_| "localhost".into()),
            ticks_per_sec: u64::try_from(tps).ok().filter(|t| *t > 0).unwrap_or(100),
            top,
            sys,
            disks,
            last_cpu: HashMap::new(),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    fn procs(&mut self) -> Vec<ProcRaw> {
        self.sys.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing()
                .with_cpu()
                .with_memory()
                .without_tasks(),
        );
        let mut all: Vec<(u64, ProcRaw)> = self
            .sys
            .processes()
            .values()
            .filter(|p| p.thread_kind().is_none())
            .map(|p| {
                let pid = p.pid().as_u32();
                let cpu_ms = p.accumulated_cpu_time();
                let recent =
                    cpu_ms.saturating_sub(self.last_cpu.get(&pid).copied().unwrap_or(cpu_ms));
                let raw = ProcRaw {
                    pid,
                    start: p.start_time(),
                    name: p.name().to_string_lossy().into_owned(),
                    cpu_ms,
                    rss: p.memory(),
                };
                (recent, raw)
            })
            .collect();
        self.last_cpu = all.iter().map(|(_, p)| (p.pid, p.cpu_ms)).collect();
        keep_top(&mut all, self.top)
    }

    fn fs(&mut self) -> Vec<FsUsage> {
        self.disks.refresh(true);
        let mut seen = std::collections::HashSet::new();
        self.disks
            .iter()
            .filter(|d| {
                let fs = d.file_system().to_string_lossy();
                d.total_space() > 0 && !PSEUDO_FS.contains(&fs.as_ref())
            })
            // Bind mounts of one device show the same space: keep the first.
            .filter(|d| seen.insert((d.name().to_owned(), d.total_space())))
            .map(|d| FsUsage {
                mount: d.mount_point().to_string_lossy().into_owned(),
                total: d.total_space(),
                available: d.available_space(),
            })
            .collect()
    }
}

/// The `top` processes by recent CPU, then the `top` by memory among the rest, sorted by pid.
fn keep_top(all: &mut Vec<(u64, ProcRaw)>, top: usize) -> Vec<ProcRaw> {
    all.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.rss.cmp(&a.1.rss)));
    let mut rest = all.split_off(top.min(all.len()));
    rest.sort_by_key(|p| std::cmp::Reverse(p.1.rss));
    rest.truncate(top);
    let mut kept: Vec<ProcRaw> = all.drain(..).chain(rest).map(|(_, p)| p).collect();
    kept.sort_by_key(|p| p.pid);
    kept
}

fn read(path: &str) -> Result<Vec<u8>, CollectError> {
    std::fs::read(path).map_err(|source| CollectError::Io {
        path: path.into(),
        source,
    })
}

impl Collector for LocalCollector {
    fn collect(&mut self) -> Result<RawSample, CollectError> {
        let ts_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let (cpu_total, cpus, boot_time) = procfs::stat(&read("/proc/stat")?, self.ticks_per_sec)?;
        Ok(RawSample {
            host: self.host.clone(),
            ts_ms,
            boot_time,
            ticks_per_sec: self.ticks_per_sec,
            cpu_total,
            cpus,
            mem: procfs::meminfo(&read("/proc/meminfo")?)?,
            load: procfs::loadavg(&read("/proc/loadavg")?)?,
            disks: procfs::diskstats(&read("/proc/diskstats")?)?,
            nets: procfs::netdev(&read("/proc/net/dev")?)?,
            fs: self.fs(),
            procs: self.procs(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_this_machine() {
        let mut c = LocalCollector::new(5).expect("collector");
        let s = c.collect().expect("sample");
        assert!(!s.cpus.is_empty());
        assert!(s.mem.total > 0);
        assert!(!s.procs.is_empty() && s.procs.len() <= 10);
    }

    #[test]
    fn keeps_top_by_cpu_and_by_memory() {
        let p = |pid, rss| ProcRaw {
            pid,
            rss,
            ..Default::default()
        };
        let mut all = vec![
            (5, p(1, 1)),
            (0, p(2, 100)),
            (9, p(3, 2)),
            (0, p(4, 50)),
            (0, p(5, 1)),
        ];
        let kept: Vec<u32> = keep_top(&mut all, 2).iter().map(|p| p.pid).collect();
        assert_eq!(kept, [1, 2, 3, 4]);
    }
}
