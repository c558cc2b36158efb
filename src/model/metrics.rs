//! Derived figures as named metrics with labels, Prometheus style: what export writes and
//! what rules will read. One list, so names never drift between them.

use super::snapshot::Snapshot;

mod sys;

/// Every metric family: name (without the `montui_` prefix montui adds on export), help.
pub const FAMILIES: &[(&str, &str)] = &[
    (
        "up",
        "1 when the host answered this sample, 0 when it did not",
    ),
    ("cpu_busy_percent", "CPU busy, percent of all CPUs"),
    ("cpu_user_percent", "CPU in user mode, percent of all CPUs"),
    (
        "cpu_system_percent",
        "CPU in kernel mode, percent of all CPUs",
    ),
    (
        "cpu_iowait_percent",
        "CPU idle waiting for I/O, percent of all CPUs",
    ),
    ("core_busy_percent", "busy percent of one logical CPU"),
    ("memory_used_bytes", "memory in use (total less available)"),
    (
        "memory_used_percent",
        "memory in use, percent of installed memory",
    ),
    ("memory_total_bytes", "installed memory"),
    ("swap_used_bytes", "swap in use"),
    ("swap_total_bytes", "swap size"),
    ("swap_used_percent", "swap in use, percent of swap size"),
    ("load1", "1-minute load average"),
    ("load5", "5-minute load average"),
    ("load15", "15-minute load average"),
    (
        "load1_per_core",
        "1-minute load average divided by the number of logical CPUs",
    ),
    (
        "filesystem_used_bytes",
        "space used on a mounted file system",
    ),
    ("filesystem_size_bytes", "size of a mounted file system"),
    (
        "filesystem_used_percent",
        "space used on a mounted file system, percent of its size",
    ),
    (
        "disk_read_bytes_per_second",
        "bytes read from a disk per second",
    ),
    (
        "disk_written_bytes_per_second",
        "bytes written to a disk per second",
    ),
    (
        "network_receive_bytes_per_second",
        "bytes received on an interface per second",
    ),
    (
        "network_transmit_bytes_per_second",
        "bytes sent on an interface per second",
    ),
    // System detail (`sys`).
    (
        "pressure_cpu_some_percent",
        "time some task waited for a CPU, percent (PSI)",
    ),
    (
        "pressure_memory_some_percent",
        "time some task waited for memory, percent (PSI)",
    ),
    (
        "pressure_memory_full_percent",
        "time every task waited for memory, percent (PSI)",
    ),
    (
        "pressure_io_some_percent",
        "time some task waited for I/O, percent (PSI)",
    ),
    (
        "pressure_io_full_percent",
        "time every task waited for I/O, percent (PSI)",
    ),
    ("processes", "processes, kernel threads included"),
    ("threads", "threads of all processes"),
    ("processes_running", "processes running or ready to run (R)"),
    (
        "processes_blocked",
        "processes waiting on I/O, uninterruptible (D)",
    ),
    (
        "processes_zombie",
        "processes ended but not reaped by their parent (Z)",
    ),
    (
        "cpu_frequency_mhz",
        "current frequency of one logical CPU, MHz",
    ),
    (
        "temperature_celsius",
        "a temperature sensor (hwmon), degrees Celsius",
    ),
    ("fan_rpm", "a fan (hwmon), revolutions per minute"),
    (
        "disk_busy_percent",
        "time a disk had I/O in flight, percent",
    ),
    (
        "disk_io_seconds",
        "average time an I/O of a disk took, seconds",
    ),
    (
        "filesystem_inodes_used_percent",
        "inodes in use on a mounted file system, percent",
    ),
    ("uptime_seconds", "time since the host booted"),
    (
        "gpu_busy_percent",
        "time a GPU ran kernels over the driver's last period, percent",
    ),
    ("gpu_memory_used_percent", "memory in use on a GPU, percent"),
    ("gpu_memory_used_bytes", "memory in use on a GPU"),
    (
        "log_pattern_lines_per_minute",
        "lines of a log pattern in the last minute",
    ),
    (
        "log_new_error_pattern",
        "1 while a log pattern at error or above is new (first seen in the last 10 minutes)",
    ),
    (
        "log_known_trouble_lines_per_minute",
        "lines in the last minute of a log pattern montui knows as a critical trouble",
    ),
];

/// Labels of the log families (`log_*`), sorted.
pub const LOG_LABELS: [&str; 5] = ["example", "known", "level", "pattern", "source"];

/// Whether a family is one of the log families (evaluated on log patterns, not on samples).
pub fn is_log_family(name: &str) -> bool {
    name.starts_with("log_")
}

/// A metric's value: a family of montui's (a name known at build time) or a series a
/// scrape or StatsD brought (its own name).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: Name,
    /// Sorted by name.
    pub labels: Vec<(Name, String)>,
    pub value: f64,
}

/// A metric or label name: montui's own without a copy.
pub type Name = std::borrow::Cow<'static, str>;

impl Metric {
    /// One of montui's own.
    pub fn new(name: &'static str, labels: Vec<(&'static str, String)>, value: f64) -> Self {
        Self {
            name: Name::Borrowed(name),
            labels: (labels.into_iter())
                .map(|(k, v)| (Name::Borrowed(k), v))
                .collect(),
            value,
        }
    }
}

/// The snapshot's metrics; unknown rates are left out, not written as zero.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let mut out = Vec::new();
    let mut put = |name, labels, value| push(&mut out, name, labels, value);
    put("up", vec![], Some(1.0));
    if let Some(c) = s.cpu {
        put("cpu_busy_percent", vec![], Some(c.busy()));
        put("cpu_user_percent", vec![], Some(c.user));
        put("cpu_system_percent", vec![], Some(c.system));
        put("cpu_iowait_percent", vec![], Some(c.iowait));
    }
    for (i, v) in s.cores.iter().enumerate() {
        put("core_busy_percent", vec![("core", i.to_string())], *v);
    }
    let m = s.mem;
    put("memory_used_bytes", vec![], Some(m.used as f64));
    put("memory_total_bytes", vec![], Some(m.total as f64));
    put(
        "memory_used_percent",
        vec![],
        (m.total > 0).then(|| m.used_pct()),
    );
    put("swap_used_bytes", vec![], Some(m.swap_used as f64));
    put("swap_total_bytes", vec![], Some(m.swap_total as f64));
    put(
        "swap_used_percent",
        vec![],
        (m.swap_total > 0).then(|| m.swap_pct()),
    );
    for (name, v) in ["load1", "load5", "load15"].into_iter().zip(s.load) {
        put(name, vec![], Some(v));
    }
    let cores = s.cores.len();
    put(
        "load1_per_core",
        vec![],
        (cores > 0).then(|| s.load[0] / cores as f64),
    );
    for f in &s.fs {
        put(
            "filesystem_used_bytes",
            vec![("mount", f.mount.clone())],
            Some(f.used as f64),
        );
        put(
            "filesystem_size_bytes",
            vec![("mount", f.mount.clone())],
            Some(f.total as f64),
        );
        put(
            "filesystem_used_percent",
            vec![("mount", f.mount.clone())],
            (f.total > 0).then(|| f.used_pct()),
        );
    }
    for d in &s.disks {
        put(
            "disk_read_bytes_per_second",
            vec![("disk", d.name.clone())],
            d.read,
        );
        put(
            "disk_written_bytes_per_second",
            vec![("disk", d.name.clone())],
            d.write,
        );
    }
    for n in &s.nets {
        put(
            "network_receive_bytes_per_second",
            vec![("interface", n.name.clone())],
            n.rx,
        );
        put(
            "network_transmit_bytes_per_second",
            vec![("interface", n.name.clone())],
            n.tx,
        );
    }
    sys::put(s, &mut out);
    out.extend(s.series.iter().cloned());
    out
}

/// Adds a metric whose value is known.
fn push(
    out: &mut Vec<Metric>,
    name: &'static str,
    labels: Vec<(&'static str, String)>,
    value: Option<f64>,
) {
    if let Some(value) = value {
        out.push(Metric::new(name, labels, value));
    }
}

/// Why `name` is no metric montui has (a name, with or without `montui_`, or a prefix
/// ending in `*` that no metric has), naming those it has; None when it is one.
pub fn unknown_metric(name: &str) -> Option<String> {
    let m = name.strip_prefix("montui_").unwrap_or(name);
    let known = |f: &str| match m.strip_suffix('*') {
        Some(prefix) => f.starts_with(prefix),
        None => f == m,
    };
    if FAMILIES.iter().any(|(f, _)| known(f)) {
        return None;
    }
    let all: Vec<&str> = FAMILIES.iter().map(|(f, _)| *f).collect();
    Some(format!("no metric `{m}`; known: {}", all.join(", ")))
}

/// The label names of a metric family (`mount` for `filesystem_used_percent`), read off a
/// snapshot that has one of everything, so this never drifts from `metrics`.
pub fn label_names(family: &str) -> Vec<&'static str> {
    if is_log_family(family) {
        return LOG_LABELS.to_vec();
    }
    metrics(&one_of_everything())
        .into_iter()
        .find(|m| m.name == family)
        .map(|m| {
            (m.labels.iter())
                .filter_map(|(k, _)| match k {
                    Name::Borrowed(k) => Some(*k),
                    Name::Owned(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A snapshot with one of everything a sample can carry, each known.
fn one_of_everything() -> Snapshot {
    use super::sys::{Sensor, SysNow, Tasks};
    let sensor = |fan| Sensor {
        fan,
        ..Default::default()
    };
    Snapshot {
        cpu: Some(Default::default()),
        cores: vec![Some(0.0)],
        mem: super::Mem {
            total: 1,
            swap_total: 1,
            ..Default::default()
        },
        fs: vec![super::FsRow {
            total: 1,
            inodes_pct: Some(0.0),
            ..Default::default()
        }],
        disks: vec![super::DiskRate {
            read: Some(0.0),
            write: Some(0.0),
            busy: Some(0.0),
            await_ms: Some(0.0),
            ..Default::default()
        }],
        nets: vec![super::NetRate {
            rx: Some(0.0),
            tx: Some(0.0),
            ..Default::default()
        }],
        sys: SysNow {
            psi: Some([0.0; 5]),
            tasks: Tasks {
                processes: 1,
                ..Default::default()
            },
            mhz: vec![0.0],
            sensors: vec![sensor(false), sensor(true)],
            gpus: vec![super::sys::Gpu {
                name: "0".into(),
                busy: Some(0.0),
                mem_used: 0,
                mem_total: 1,
            }],
            uptime_s: Some(0.0),
        },
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_a_family() {
        let mut s = one_of_everything();
        s.nets[0].tx = None;
        assert_eq!(label_names("filesystem_used_percent"), ["mount"]);
        assert!(label_names("up").is_empty());
        let m = metrics(&s);
        assert!(m.iter().all(|x| FAMILIES.iter().any(|(f, _)| *f == x.name)));
        // The unknown tx rate is left out.
        assert!(
            !m.iter()
                .any(|x| x.name == "network_transmit_bytes_per_second")
        );
        let sampled = FAMILIES.iter().filter(|(f, _)| !is_log_family(f)).count();
        assert_eq!(m.len(), sampled - 1);
    }
}
