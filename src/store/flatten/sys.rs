//! System detail (`SysRaw`) as keyed values and back, beside the rest of `flatten`.

use super::{SEP, entry};
use crate::model::sys::{DiskTimes, Gpu, Inodes, Sensor, SysRaw};

/// Whether a system detail key is a counter (pressure totals, disk times).
pub fn is_counter(kind: &str) -> bool {
    matches!(kind, "psi" | "dio")
}

pub fn flatten(s: &SysRaw, put: &mut impl FnMut(String, f64)) {
    if let Some(psi) = s.psi {
        for (i, v) in psi.iter().enumerate() {
            put(format!("psi{SEP}{i}"), *v as f64);
        }
    }
    let t = &s.tasks;
    let tasks = [
        ("proc", t.processes),
        ("thr", t.threads),
        ("R", t.running),
        ("D", t.blocked),
        ("Z", t.zombie),
        ("T", t.stopped),
    ];
    if t.processes > 0 {
        for (f, v) in tasks {
            put(format!("task{SEP}{f}"), f64::from(v));
        }
    }
    for (i, v) in s.mhz.iter().enumerate() {
        put(format!("mhz{SEP}{i}"), *v);
    }
    for x in &s.sensors {
        let kind = if x.fan { "fan" } else { "temp" };
        put(format!("{kind}{SEP}v{SEP}{}", x.name), x.value);
    }
    for d in &s.disks {
        put(format!("dio{SEP}ios{SEP}{}", d.name), d.ios as f64);
        put(format!("dio{SEP}ms{SEP}{}", d.name), d.io_ms as f64);
        put(format!("dio{SEP}busy{SEP}{}", d.name), d.busy_ms as f64);
    }
    for i in &s.inodes {
        put(format!("inode{SEP}total{SEP}{}", i.mount), i.total as f64);
        put(format!("inode{SEP}free{SEP}{}", i.mount), i.free as f64);
    }
    for g in &s.gpus {
        if let Some(busy) = g.busy {
            put(format!("gpu{SEP}busy{SEP}{}", g.name), busy);
        }
        put(format!("gpu{SEP}used{SEP}{}", g.name), g.mem_used as f64);
        put(format!("gpu{SEP}total{SEP}{}", g.name), g.mem_total as f64);
    }
}

/// Takes one keyed value into `s`; false when the key is not system detail.
pub fn unflatten(s: &mut SysRaw, (kind, field, rest): (&str, &str, Option<&str>), v: f64) -> bool {
    let u = v as u64;
    match (kind, rest) {
        ("psi", _) => {
            let psi = s.psi.get_or_insert([0; 5]);
            if let Some(slot) = field.parse::<usize>().ok().and_then(|i| psi.get_mut(i)) {
                *slot = u;
            }
        }
        ("task", _) => {
            let t = &mut s.tasks;
            let n = u as u32;
            match field {
                "proc" => t.processes = n,
                "thr" => t.threads = n,
                "R" => t.running = n,
                "D" => t.blocked = n,
                "Z" => t.zombie = n,
                "T" => t.stopped = n,
                _ => {}
            }
        }
        ("mhz", _) => {
            if let Ok(i) = field.parse::<usize>()
                && i < 4096
            {
                if s.mhz.len() <= i {
                    s.mhz.resize(i + 1, 0.0);
                }
                s.mhz[i] = v;
            }
        }
        ("temp" | "fan", Some(name)) => s.sensors.push(Sensor {
            name: name.into(),
            fan: kind == "fan",
            value: v,
        }),
        ("dio", Some(name)) => {
            let d = entry(
                &mut s.disks,
                |d: &DiskTimes| d.name == name,
                || DiskTimes {
                    name: name.into(),
                    ..Default::default()
                },
            );
            match field {
                "ios" => d.ios = u,
                "ms" => d.io_ms = u,
                _ => d.busy_ms = u,
            }
        }
        ("inode", Some(mount)) => {
            let i = entry(
                &mut s.inodes,
                |i: &Inodes| i.mount == mount,
                || Inodes {
                    mount: mount.into(),
                    ..Default::default()
                },
            );
            if field == "total" {
                i.total = u
            } else {
                i.free = u
            }
        }
        ("gpu", Some(name)) => {
            let g = entry(
                &mut s.gpus,
                |g: &Gpu| g.name == name,
                || Gpu {
                    name: name.into(),
                    ..Default::default()
                },
            );
            match field {
                "busy" => g.busy = Some(v),
                "used" => g.mem_used = u,
                _ => g.mem_total = u,
            }
        }
        _ => return false,
    }
    true
}
