//! Parsers for /proc text. They take the text, not a path, so the same code reads the local
//! machine and the output a remote host sends back.

use procfs_core::{
    DiskStats, ExplicitSystemInfo, FromRead, FromReadSI, KernelStats, LoadAverage, Meminfo,
    net::InterfaceDeviceStatus,
};

use super::CollectError;
use crate::model::sys::DiskTimes;
use crate::model::{CpuTicks, DiskIo, MemRaw, NetIo, ProcRaw};

fn parse_err(what: &'static str) -> impl FnOnce(procfs_core::ProcError) -> CollectError {
    move |e| CollectError::Parse {
        what,
        message: e.to_string(),
    }
}

/// `/proc/stat`: (all CPUs, each CPU, boot time).
pub fn stat(
    text: &[u8],
    ticks_per_sec: u64,
) -> Result<(CpuTicks, Vec<CpuTicks>, u64), CollectError> {
    let info = ExplicitSystemInfo {
        boot_time_secs: 0,
        ticks_per_second: ticks_per_sec,
        page_size: 4096,
        is_little_endian: cfg!(target_endian = "little"),
    };
    let ks = KernelStats::from_read(text, &info).map_err(parse_err("/proc/stat"))?;
    let ticks = |c: &procfs_core::CpuTime| CpuTicks {
        user: c.user,
        nice: c.nice,
        system: c.system,
        idle: c.idle,
        iowait: c.iowait.unwrap_or(0),
        irq: c.irq.unwrap_or(0),
        softirq: c.softirq.unwrap_or(0),
        steal: c.steal.unwrap_or(0),
    };
    Ok((
        ticks(&ks.total),
        ks.cpu_time.iter().map(ticks).collect(),
        ks.btime,
    ))
}

/// `/proc/meminfo`.
pub fn meminfo(text: &[u8]) -> Result<MemRaw, CollectError> {
    let m = Meminfo::from_read(text).map_err(parse_err("/proc/meminfo"))?;
    // Kernels before 3.14 have no MemAvailable: estimate it the way free(1) did.
    let available = m
        .mem_available
        .unwrap_or(m.mem_free + m.cached + m.buffers + m.s_reclaimable.unwrap_or(0));
    Ok(MemRaw {
        total: m.mem_total,
        available: available.min(m.mem_total),
        free: m.mem_free,
        buffers: m.buffers,
        cached: m.cached,
        swap_total: m.swap_total,
        swap_free: m.swap_free,
    })
}

/// `/proc/loadavg`.
pub fn loadavg(text: &[u8]) -> Result<[f64; 3], CollectError> {
    let l = LoadAverage::from_read(text).map_err(parse_err("/proc/loadavg"))?;
    // The kernel prints two decimals; the parser's f32 would add noise digits.
    let exact = |v: f32| (v as f64 * 100.0).round() / 100.0;
    Ok([exact(l.one), exact(l.five), exact(l.fifteen)])
}

/// `/proc/diskstats`, whole disks only: partitions, loop and ram devices are left out.
pub fn diskstats(text: &[u8]) -> Result<(Vec<DiskIo>, Vec<DiskTimes>), CollectError> {
    let all = DiskStats::from_read(text)
        .map_err(parse_err("/proc/diskstats"))?
        .0;
    let names: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
    let is_partition = |name: &str| {
        names
            .iter()
            .any(|other| other.len() < name.len() && name.starts_with(other))
    };
    let disks: Vec<_> = (all.iter())
        .filter(|d| {
            !d.name.starts_with("loop") && !d.name.starts_with("ram") && !is_partition(&d.name)
        })
        .collect();
    let io = (disks.iter())
        .map(|d| DiskIo {
            name: d.name.clone(),
            sectors_read: d.sectors_read,
            sectors_written: d.sectors_written,
        })
        .collect();
    let times = (disks.iter())
        .map(|d| DiskTimes {
            name: d.name.clone(),
            ios: d.reads.saturating_add(d.writes),
            io_ms: d.time_reading.saturating_add(d.time_writing),
            busy_ms: d.time_in_progress,
        })
        .collect();
    Ok((io, times))
}

/// `/proc/net/dev`, sorted by interface name.
pub fn netdev(text: &[u8]) -> Result<Vec<NetIo>, CollectError> {
    let map = InterfaceDeviceStatus::from_read(text)
        .map_err(parse_err("/proc/net/dev"))?
        .0;
    let mut nets: Vec<NetIo> = map
        .into_values()
        .map(|d| NetIo {
            name: d.name,
            rx_bytes: d.recv_bytes,
            tx_bytes: d.sent_bytes,
        })
        .collect();
    nets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(nets)
}

/// Kernel threads carry this flag in /proc/N/stat; like htop, montui leaves them out.
const PF_KTHREAD: u32 = 0x0020_0000;

/// `/proc/N/stat` of one process, and whether it is a kernel thread (which montui counts but,
/// like htop, does not list).
pub fn proc_stat(
    text: &[u8],
    ticks_per_sec: u64,
    page_size: u64,
) -> Result<(ProcRaw, bool), CollectError> {
    let st = procfs_core::process::Stat::from_read(text).map_err(parse_err("/proc/N/stat"))?;
    let kernel = st.flags & PF_KTHREAD != 0;
    let p = ProcRaw {
        pid: u32::try_from(st.pid).unwrap_or(0),
        start: st.starttime,
        name: st.comm,
        cpu_ms: (st.utime + st.stime).saturating_mul(1000) / ticks_per_sec.max(1),
        rss: st.rss.saturating_mul(page_size),
        ppid: u32::try_from(st.ppid).unwrap_or(0),
        state: st.state,
        threads: u32::try_from(st.num_threads).unwrap_or(0),
        nice: i32::try_from(st.nice).unwrap_or(0),
        priority: i32::try_from(st.priority).unwrap_or(0),
        ..Default::default()
    };
    Ok((p, kernel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [&b""[..], b"\xff\xfe garbage", b"cpu  x y z\n"] {
            let _ = stat(bad, 100);
            assert!(meminfo(bad).is_err());
            assert!(loadavg(bad).is_err());
            let _ = diskstats(bad);
            let _ = netdev(bad);
        }
    }

    #[test]
    fn process_stat_with_spaces_in_the_name() {
        let text = b"4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 98765 100000000 512 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        let (p, kernel) = proc_stat(text, 100, 4096).unwrap();
        assert!(!kernel);
        assert_eq!(
            (p.pid, p.name.as_str(), p.cpu_ms, p.rss, p.start),
            (4242, "my (odd) app", 3000, 512 * 4096, 98765)
        );
        assert_eq!(
            (p.state, p.ppid, p.priority, p.nice, p.threads),
            ('S', 1, 20, 0, 3)
        );
        let kthread = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0\n";
        assert!(proc_stat(kthread, 100, 4096).unwrap().1, "a kernel thread");
        assert!(proc_stat(b"garbage", 100, 4096).is_err());
    }

    #[test]
    fn load_keeps_the_kernels_two_decimals() {
        assert_eq!(
            loadavg(b"1.45 0.33 0.07 1/120 4242\n").unwrap(),
            [1.45, 0.33, 0.07]
        );
    }

    #[test]
    fn whole_disks_only() {
        let text = b"   8       0 sda 10 0 80 0 5 0 40 0 0 0 0 0 0 0 0 0 0\n\
   8       1 sda1 10 0 80 0 5 0 40 0 0 0 0 0 0 0 0 0 0\n\
   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n\
 259       0 nvme0n1 1 0 16 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n\
 259       1 nvme0n1p1 1 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        let names: Vec<String> = diskstats(text)
            .map(|d| d.0)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names, ["sda", "nvme0n1"]);
    }

    #[test]
    fn stat_reads_total_and_cores() {
        let text = b"cpu  10 1 5 100 2 0 0 0 0 0\ncpu0 5 1 2 50 1 0 0 0 0 0\ncpu1 5 0 3 50 1 0 0 0 0 0\nctxt 1\nbtime 1700000000\nprocesses 5\n";
        let (total, cores, btime) = stat(text, 100).unwrap();
        assert_eq!(total.user, 10);
        assert_eq!(total.total(), 118);
        assert_eq!(cores.len(), 2);
        assert_eq!(btime, 1_700_000_000);
    }
}
