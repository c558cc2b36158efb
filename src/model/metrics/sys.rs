//! The system detail metrics of a snapshot (pressure, tasks, frequencies, sensors, disks'
//! busy time and latency, inodes, uptime, GPUs).

use super::Metric;
use crate::model::Snapshot;

/// The pressure families, in `PSI`'s order.
const PRESSURE: [&str; 5] = [
    "pressure_cpu_some_percent",
    "pressure_memory_some_percent",
    "pressure_memory_full_percent",
    "pressure_io_some_percent",
    "pressure_io_full_percent",
];

pub(super) fn put(s: &Snapshot, out: &mut Vec<Metric>) {
    let mut put = |name, labels, value| super::push(out, name, labels, value);
    let y = &s.sys;
    if let Some(psi) = y.psi {
        for (name, v) in PRESSURE.into_iter().zip(psi) {
            put(name, vec![], Some(v));
        }
    }
    let t = y.tasks;
    if t.processes > 0 {
        put("processes", vec![], Some(f64::from(t.processes)));
        put("threads", vec![], Some(f64::from(t.threads)));
        put("processes_running", vec![], Some(f64::from(t.running)));
        put("processes_blocked", vec![], Some(f64::from(t.blocked)));
        put("processes_zombie", vec![], Some(f64::from(t.zombie)));
    }
    for (i, mhz) in y.mhz.iter().enumerate() {
        put(
            "cpu_frequency_mhz",
            vec![("core", i.to_string())],
            Some(*mhz),
        );
    }
    for x in &y.sensors {
        let name = if x.fan {
            "fan_rpm"
        } else {
            "temperature_celsius"
        };
        put(name, vec![("sensor", x.name.clone())], Some(x.value));
    }
    for g in &y.gpus {
        let gpu = || vec![("gpu", g.name.clone())];
        put("gpu_busy_percent", gpu(), g.busy);
        put("gpu_memory_used_percent", gpu(), g.mem_pct());
        put("gpu_memory_used_bytes", gpu(), Some(g.mem_used as f64));
    }
    for d in &s.disks {
        put("disk_busy_percent", vec![("disk", d.name.clone())], d.busy);
        let seconds = d.await_ms.map(|ms| ms / 1000.0);
        put("disk_io_seconds", vec![("disk", d.name.clone())], seconds);
    }
    for f in &s.fs {
        let labels = vec![("mount", f.mount.clone())];
        put("filesystem_inodes_used_percent", labels, f.inodes_pct);
    }
    put("uptime_seconds", vec![], y.uptime_s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sys::PSI;

    #[test]
    fn pressure_families_follow_the_psi_order() {
        assert!(PRESSURE.iter().zip(PSI).all(|(f, p)| f.contains(p)));
    }
}
