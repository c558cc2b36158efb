use std::time::{SystemTime, UNIX_EPOCH};

use std::io::Read;

use sysinfo::{Disks, System};

use super::sysdetail;
use super::top::{TopProcs, ticks_ms};
use super::{CollectError, Collector, procfs, procinfo};
use crate::model::sys::{Inodes, SysRaw, Tasks};
use crate::model::{FsUsage, ProcRaw, RawSample};

/// File systems that are not storage a user fills.
pub(super) const PSEUDO_FS: &[&str] = &[
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

/// Reads this machine: /proc text through `procfs`, mounted file systems through sysinfo.
pub struct LocalCollector {
    host: String,
    ticks_per_sec: u64,
    disks: Disks,
    page_size: u64,
    top: TopProcs,
    /// Owner, command line and I/O of the processes kept.
    details: procinfo::Details,
    /// Pressure, frequency and sensor files (`sysdetail`), listed at start.
    sys_files: Vec<std::path::PathBuf>,
    /// NVIDIA's GPUs, when NVML loads.
    nvml: super::gpu::Nvml,
}

impl LocalCollector {
    /// The processes kept in every sample whatever they use (the one followed).
    pub fn pins(&self) -> super::top::Pins {
        self.top.pins()
    }

    /// `top`: how many processes to keep by CPU and, separately, by memory.
    pub fn new(top: usize) -> Result<Self, CollectError> {
        let disks =
            Disks::new_with_refreshed_list().map_err(|e| CollectError::Other(e.to_string()))?;
        // SAFETY: sysconf has no preconditions; it only reads a configuration value.
        let (tps, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        Ok(Self {
            host: System::host_name().unwrap_or_else(|_| "localhost".into()),
            ticks_per_sec: u64::try_from(tps).ok().filter(|t| *t > 0).unwrap_or(100),
            page_size: u64::try_from(page).ok().filter(|p| *p > 0).unwrap_or(4096),
            disks,
            top: TopProcs::new(top),
            details: procinfo::Details::default(),
            sys_files: sysdetail::local_files(),
            nvml: super::gpu::Nvml::load(),
        })
    }

    /// Reads `/proc/N/stat` of every process (one open and read each, as htop does).
    fn procs(&mut self, busy_ms: u64) -> (Vec<ProcRaw>, Tasks) {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Default::default();
        };
        let mut buf = Vec::with_capacity(512);
        let (mut all, mut kernel) = (Vec::new(), Vec::new());
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            buf.clear();
            // A process may end between the listing and the read: skip it.
            let Ok(mut f) = std::fs::File::open(format!("/proc/{pid}/stat")) else {
                continue;
            };
            if f.read_to_end(&mut buf).is_err() {
                continue;
            }
            match procfs::proc_stat(&buf, self.ticks_per_sec, self.page_size) {
                Ok((p, false)) => all.push(p),
                Ok((p, true)) => kernel.push(p),
                Err(_) => {}
            }
        }
        let mut tasks = Tasks::default();
        for p in all.iter().chain(&kernel) {
            tasks.add(p.state, p.threads);
        }
        let mut kept = self.top.select(all, kernel, busy_ms, None);
        self.details.fill(&mut kept);
        (kept, tasks)
    }

    /// Mounted file systems' space, and their inodes where statvfs tells them.
    fn fs(&mut self) -> (Vec<FsUsage>, Vec<Inodes>) {
        self.disks.refresh(true);
        let mut seen = std::collections::HashSet::new();
        let (mut space, mut inodes) = (Vec::new(), Vec::new());
        let all = self
            .disks
            .iter()
            .filter(|d| {
                let fs = d.file_system().to_string_lossy();
                d.total_space() > 0 && !PSEUDO_FS.contains(&fs.as_ref())
            })
            // Bind mounts of one device show the same space: keep the first.
            .filter(|d| seen.insert((d.name().to_owned(), d.total_space())))
            .map(|d| {
                let mount = d.mount_point().to_string_lossy().into_owned();
                statvfs(&mount).unwrap_or_else(|| {
                    let space = FsUsage {
                        mount: mount.clone(),
                        total: d.total_space(),
                        available: d.available_space(),
                    };
                    (
                        space,
                        Inodes {
                            mount,
                            ..Default::default()
                        },
                    )
                })
            });
        for (s, i) in all {
            space.push(s);
            if i.total > 0 {
                inodes.push(i);
            }
        }
        (space, inodes)
    }
}

/// A file system's space as df counts it (see `FsUsage`), and its inodes; None if statvfs
/// fails.
fn statvfs(mount: &str) -> Option<(FsUsage, Inodes)> {
    let path = std::ffi::CString::new(mount).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a NUL-terminated string and `st` a buffer of the right size, which
    // statvfs fills when it returns 0.
    let st = unsafe {
        if libc::statvfs(path.as_ptr(), st.as_mut_ptr()) != 0 {
            return None;
        }
        st.assume_init()
    };
    let size = if st.f_frsize > 0 {
        st.f_frsize
    } else {
        st.f_bsize
    };
    let space = FsUsage::from_blocks(
        mount.to_string(),
        st.f_blocks,
        st.f_bfree,
        st.f_bavail,
        size,
    );
    let inodes = Inodes {
        mount: mount.to_string(),
        total: st.f_files,
        free: st.f_ffree,
    };
    Some((space, inodes))
}

fn read(path: &str) -> Result<Vec<u8>, CollectError> {
    std::fs::read(path).map_err(|source| CollectError::Io {
        path: path.into(),
        source,
    })
}

impl Collector for LocalCollector {
    fn host(&self) -> &str {
        &self.host
    }

    fn collect(&mut self) -> Result<RawSample, CollectError> {
        let ts_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let (cpu_total, cpus, boot_time) = procfs::stat(&read("/proc/stat")?, self.ticks_per_sec)?;
        let (disks, disk_times) = procfs::diskstats(&read("/proc/diskstats")?)?;
        let (fs, inodes) = self.fs();
        let (procs, tasks) = self.procs(ticks_ms(cpu_total.busy(), self.ticks_per_sec));
        Ok(RawSample {
            host: self.host.clone(),
            ts_ms,
            boot_time,
            ticks_per_sec: self.ticks_per_sec,
            cpu_total,
            cpus,
            mem: procfs::meminfo(&read("/proc/meminfo")?)?,
            load: procfs::loadavg(&read("/proc/loadavg")?)?,
            disks,
            nets: procfs::netdev(&read("/proc/net/dev")?)?,
            fs,
            procs,
            sys: SysRaw {
                tasks,
                disks: disk_times,
                inodes,
                ..sysdetail::parse(&(sysdetail::read_lines(&self.sys_files) + &self.nvml.lines()))
            },
            series: Default::default(),
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
        assert!(
            s.procs.len() > 1 && s.procs.len() <= 11,
            "<exited> and up to 5 + 5"
        );
        assert_eq!(s.procs[0].name, crate::model::EXITED);
    }

    #[test]
    fn the_root_file_system_is_as_full_as_df_says() {
        let Ok(out) = std::process::Command::new("df")
            .args(["-P", "-k", "/"])
            .output()
        else {
            return; // no df to compare with
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let df_pct: f64 = text
            .lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().nth(4))
            .and_then(|p| p.trim_end_matches('%').parse().ok())
            .expect("df's Use%");
        let (fs, _) = statvfs("/").expect("statvfs /");
        let pct = (fs.total - fs.available) as f64 * 100.0 / fs.total as f64;
        // df rounds up; the disk may change a little between the two reads.
        assert!(
            (pct - df_pct).abs() <= 1.5,
            "montui {pct:.1} %, df {df_pct} %"
        );
    }
}
