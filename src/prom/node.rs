//! A node_exporter page as a host sample: the model the /proc collector fills (CPU per core,
//! memory and swap, load, disks, interfaces, file systems, pressure, frequencies, sensors,
//! disk times, inodes), so a host with node_exporter gets the same panes and alerts without
//! SSH. node_exporter reads the same /proc and /sys files; it has no processes. CPU seconds
//! become ticks of 1/100 s, pressure seconds µs, as /proc counts them.

use std::collections::{BTreeMap, HashMap};

use super::expo::{Page, Sample};
use crate::model::sys::{DiskTimes, Inodes, Sensor, SysRaw};
use crate::model::{CpuTicks, DiskIo, FsUsage, MemRaw, NetIo, RawSample};

/// Every family `host_sample` reads, as a PromQL name regex: what a fleet asks Prometheus
/// for, for all its instances in one query.
pub const FAMILIES_RE: &str = "node_(boot_time_seconds|cpu_scaling_frequency_hertz|cpu_seconds_total|disk_.+|filesystem_.+|hwmon_(fan_rpm|temp_celsius)|load(1|5|15)|memory_.+_bytes|network_(receive|transmit)_bytes_total|pressure_.+)";

/// The ticks per second CPU seconds are counted in.
const TICKS: f64 = 100.0;

/// The samples of a page by name.
struct Index<'a>(HashMap<&'a str, Vec<&'a Sample>>);

impl<'a> Index<'a> {
    fn new(page: &'a Page) -> Self {
        let mut m: HashMap<&str, Vec<&Sample>> = HashMap::new();
        for s in &page.samples {
            m.entry(s.name.as_str()).or_default().push(s);
        }
        Self(m)
    }

    fn all(&self, name: &str) -> &[&'a Sample] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    /// The value of a series without labels that matter.
    fn one(&self, name: &str) -> Option<f64> {
        self.all(name)
            .first()
            .map(|s| s.value)
            .filter(|v| v.is_finite())
    }

    /// Values by the label `key` (the first series of each).
    fn by(&self, name: &str, key: &str) -> BTreeMap<&'a str, f64> {
        let mut out = BTreeMap::new();
        for s in self.all(name) {
            if let Some(k) = label(s, key)
                && s.value.is_finite()
            {
                out.entry(k).or_insert(s.value);
            }
        }
        out
    }
}

fn label<'a>(s: &'a Sample, key: &str) -> Option<&'a str> {
    s.labels
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A non-negative count from a float (node_exporter writes counters as floats).
fn count(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

/// The sample a node_exporter page describes; `host` and `ts_ms` are the caller's.
pub fn host_sample(page: &Page, host: &str, ts_ms: i64) -> RawSample {
    let ix = Index::new(page);
    let (cpu_total, cpus) = cpus(&ix);
    let mem = |n: &str| count(ix.one(&format!("node_memory_{n}_bytes")).unwrap_or(0.0));
    let load = |n: &str| ix.one(n).unwrap_or(0.0);
    let disk = |n: &str| ix.by(n, "device");
    let (read, written) = (
        disk("node_disk_read_bytes_total"),
        disk("node_disk_written_bytes_total"),
    );
    let disks = (read.iter())
        .map(|(name, r)| DiskIo {
            name: (*name).into(),
            sectors_read: count(r / 512.0),
            sectors_written: count(written.get(name).copied().unwrap_or(0.0) / 512.0),
        })
        .collect();
    let tx = ix.by("node_network_transmit_bytes_total", "device");
    let nets = (ix.by("node_network_receive_bytes_total", "device").iter())
        .map(|(name, rx)| NetIo {
            name: (*name).into(),
            rx_bytes: count(*rx),
            tx_bytes: count(tx.get(name).copied().unwrap_or(0.0)),
        })
        .collect();
    let fs_of = |n: &str| ix.by(n, "mountpoint");
    let (free, avail) = (
        fs_of("node_filesystem_free_bytes"),
        fs_of("node_filesystem_avail_bytes"),
    );
    let fs = (fs_of("node_filesystem_size_bytes").iter())
        .map(|(mount, size)| {
            let f = free.get(mount).copied().unwrap_or(0.0);
            let a = avail.get(mount).copied().unwrap_or(0.0);
            FsUsage::from_blocks((*mount).into(), count(*size), count(f), count(a), 1)
        })
        .collect();
    RawSample {
        host: host.into(),
        ts_ms,
        boot_time: count(ix.one("node_boot_time_seconds").unwrap_or(0.0)),
        ticks_per_sec: TICKS as u64,
        cpu_total,
        cpus,
        mem: MemRaw {
            total: mem("MemTotal"),
            available: mem("MemAvailable"),
            free: mem("MemFree"),
            buffers: mem("Buffers"),
            cached: mem("Cached"),
            swap_total: mem("SwapTotal"),
            swap_free: mem("SwapFree"),
        },
        load: [load("node_load1"), load("node_load5"), load("node_load15")],
        disks,
        nets,
        fs,
        procs: Vec::new(),
        sys: sys(&ix),
        series: Default::default(),
    }
}

/// Each CPU's ticks by mode (`node_cpu_seconds_total{cpu,mode}`), and their sum.
fn cpus(ix: &Index) -> (CpuTicks, Vec<CpuTicks>) {
    let mut by_cpu: BTreeMap<usize, CpuTicks> = BTreeMap::new();
    for s in ix.all("node_cpu_seconds_total") {
        let Some(cpu) = label(s, "cpu").and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        if cpu >= 4096 {
            continue;
        }
        let t = by_cpu.entry(cpu).or_default();
        let ticks = count(s.value * TICKS);
        match label(s, "mode") {
            Some("user") => t.user = ticks,
            Some("nice") => t.nice = ticks,
            Some("system") => t.system = ticks,
            Some("idle") => t.idle = ticks,
            Some("iowait") => t.iowait = ticks,
            Some("irq") => t.irq = ticks,
            Some("softirq") => t.softirq = ticks,
            Some("steal") => t.steal = ticks,
            _ => {}
        }
    }
    let cpus: Vec<CpuTicks> = by_cpu.into_values().collect();
    let mut total = CpuTicks::default();
    for c in &cpus {
        total.user += c.user;
        total.nice += c.nice;
        total.system += c.system;
        total.idle += c.idle;
        total.iowait += c.iowait;
        total.irq += c.irq;
        total.softirq += c.softirq;
        total.steal += c.steal;
    }
    (total, cpus)
}

/// Pressure, frequencies, sensors, disk times and inodes.
fn sys(ix: &Index) -> SysRaw {
    let us = |n: &str| ix.one(n).map(|s| count(s * 1e6));
    let psi = (|| {
        Some([
            us("node_pressure_cpu_waiting_seconds_total")?,
            us("node_pressure_memory_waiting_seconds_total")?,
            us("node_pressure_memory_stalled_seconds_total")?,
            us("node_pressure_io_waiting_seconds_total")?,
            us("node_pressure_io_stalled_seconds_total")?,
        ])
    })();
    let freq: BTreeMap<usize, f64> = (ix.by("node_cpu_scaling_frequency_hertz", "cpu").iter())
        .filter_map(|(c, hz)| Some((c.parse().ok()?, hz / 1e6)))
        .collect();
    let mhz = if freq.keys().copied().eq(0..freq.len()) {
        freq.into_values().collect()
    } else {
        Vec::new()
    };
    let mut sensors = Vec::new();
    for (name, fan) in [
        ("node_hwmon_temp_celsius", false),
        ("node_hwmon_fan_rpm", true),
    ] {
        for s in ix.all(name).iter().filter(|s| s.value.is_finite()) {
            let chip = label(s, "chip").unwrap_or("");
            let input = label(s, "sensor").unwrap_or("");
            sensors.push(Sensor {
                name: crate::text::one_line(&format!("{chip} {input}")).into_owned(),
                fan,
                value: s.value,
            });
        }
    }
    sensors.truncate(64);
    let secs = |n: &str| ix.by(n, "device");
    let (reads, writes) = (
        secs("node_disk_reads_completed_total"),
        secs("node_disk_writes_completed_total"),
    );
    let (read_s, write_s) = (
        secs("node_disk_read_time_seconds_total"),
        secs("node_disk_write_time_seconds_total"),
    );
    let disks = (secs("node_disk_io_time_seconds_total").iter())
        .map(|(name, busy)| {
            let get = |m: &BTreeMap<&str, f64>| m.get(name).copied().unwrap_or(0.0);
            DiskTimes {
                name: (*name).into(),
                ios: count(get(&reads) + get(&writes)),
                io_ms: count((get(&read_s) + get(&write_s)) * 1000.0),
                busy_ms: count(busy * 1000.0),
            }
        })
        .collect();
    let files_free = ix.by("node_filesystem_files_free", "mountpoint");
    let inodes = (ix.by("node_filesystem_files", "mountpoint").iter())
        .map(|(mount, total)| Inodes {
            mount: (*mount).into(),
            total: count(*total),
            free: count(files_free.get(mount).copied().unwrap_or(0.0)),
        })
        .collect();
    SysRaw {
        psi,
        mhz,
        sensors,
        disks,
        inodes,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests;
