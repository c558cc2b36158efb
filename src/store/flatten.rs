//! A raw sample as named numeric series and back, losslessly: counters and sizes are below
//! 2^53, so an f64 holds them exactly. Keys put their variable part (a device, a mount, a
//! process name: anything) last, after a separator no fixed part contains.

use crate::model::{CpuTicks, DiskIo, FsUsage, NetIo, ProcRaw, RawSample};

mod series;
mod sys;

const SEP: char = '\u{1f}';

const CPU_FIELDS: [&str; 8] = [
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
];
const MEM_FIELDS: [&str; 7] = [
    "total",
    "available",
    "free",
    "buffers",
    "cached",
    "swap_total",
    "swap_free",
];

fn cpu_values(c: &CpuTicks) -> [u64; 8] {
    [
        c.user, c.nice, c.system, c.idle, c.iowait, c.irq, c.softirq, c.steal,
    ]
}

fn set_cpu(c: &mut CpuTicks, field: &str, v: u64) {
    match field {
        "user" => c.user = v,
        "nice" => c.nice = v,
        "system" => c.system = v,
        "idle" => c.idle = v,
        "iowait" => c.iowait = v,
        "irq" => c.irq = v,
        "softirq" => c.softirq = v,
        "steal" => c.steal = v,
        _ => {}
    }
}

/// Whether a key is a cumulative counter (rates come from it) rather than a gauge.
pub fn is_counter(key: &str) -> bool {
    let mut parts = key.split(SEP);
    match (parts.next(), parts.next()) {
        (Some("cpu" | "core" | "disk" | "net"), _)
        | (Some("proc"), Some("cpu" | "rd" | "wr"))
        | (Some("ser"), Some("c")) => true,
        (Some(kind), _) => sys::is_counter(kind),
        _ => false,
    }
}

/// Every value of the sample with its key (time and host are not included).
/// The key of a process's `field` (`cpu`, `rss`, …); `id` is its pid, start and name.
fn proc_key(field: &str, id: &str) -> String {
    format!("proc{SEP}{field}{SEP}{id}")
}

/// A process's CPU time (ms so far) and resident bytes as recorded: the keys of the two.
pub fn proc_keys(pid: u32, start: u64, name: &str) -> [String; 2] {
    let id = format!("{pid}{SEP}{start}{SEP}{name}");
    [proc_key("cpu", &id), proc_key("rss", &id)]
}

pub fn flatten(s: &RawSample) -> Vec<(String, f64)> {
    let mut out = Vec::with_capacity(32 + s.cpus.len() * 8 + s.procs.len() * 2);
    let mut put = |k: String, v: f64| out.push((k, v));
    put("boot".into(), s.boot_time as f64);
    put("tps".into(), s.ticks_per_sec as f64);
    for (f, v) in CPU_FIELDS.iter().zip(cpu_values(&s.cpu_total)) {
        put(format!("cpu{SEP}{f}"), v as f64);
    }
    for (i, c) in s.cpus.iter().enumerate() {
        for (f, v) in CPU_FIELDS.iter().zip(cpu_values(c)) {
            put(format!("core{SEP}{f}{SEP}{i}"), v as f64);
        }
    }
    let m = &s.mem;
    let mem = [
        m.total,
        m.available,
        m.free,
        m.buffers,
        m.cached,
        m.swap_total,
        m.swap_free,
    ];
    for (f, v) in MEM_FIELDS.iter().zip(mem) {
        put(format!("mem{SEP}{f}"), v as f64);
    }
    for (i, v) in s.load.iter().enumerate() {
        put(format!("load{SEP}{i}"), *v);
    }
    for d in &s.disks {
        put(format!("disk{SEP}r{SEP}{}", d.name), d.sectors_read as f64);
        put(
            format!("disk{SEP}w{SEP}{}", d.name),
            d.sectors_written as f64,
        );
    }
    for n in &s.nets {
        put(format!("net{SEP}rx{SEP}{}", n.name), n.rx_bytes as f64);
        put(format!("net{SEP}tx{SEP}{}", n.name), n.tx_bytes as f64);
    }
    for f in &s.fs {
        put(format!("fs{SEP}total{SEP}{}", f.mount), f.total as f64);
        put(format!("fs{SEP}avail{SEP}{}", f.mount), f.available as f64);
    }
    for p in &s.procs {
        let id = format!("{}{SEP}{}{SEP}{}", p.pid, p.start, p.name);
        let mut field = |f: &str, v: f64| put(proc_key(f, &id), v);
        field("cpu", p.cpu_ms as f64);
        field("rss", p.rss as f64);
        field("ppid", f64::from(p.ppid));
        field("thr", f64::from(p.threads));
        field("nice", f64::from(p.nice));
        field("pri", f64::from(p.priority));
        if p.state != '\0' {
            field("state", f64::from(u32::from(p.state)));
        }
        if let Some((r, w)) = p.io {
            field("rd", r as f64);
            field("wr", w as f64);
        }
        // The texts ride in the key (its value is nothing), after the name, so that older
        // readers still find the process.
        if !p.user.is_empty() || !p.cmdline.is_empty() {
            let key = format!("proc{SEP}cmd{SEP}{id}{SEP}{}{SEP}{}", p.user, p.cmdline);
            put(key, 0.0);
        }
    }
    sys::flatten(&s.sys, &mut put);
    for x in s.series.iter() {
        series::flatten(x, &mut put);
    }
    out
}

/// Rebuilds a sample from its keyed values. Unknown keys are ignored (a newer montui's
/// series are skipped, not fatal); lists come back in key order of first appearance.
pub fn unflatten<'a>(
    host: &str,
    ts_ms: i64,
    values: impl Iterator<Item = (&'a str, f64)>,
) -> RawSample {
    let mut s = RawSample {
        host: host.to_string(),
        ts_ms,
        ..Default::default()
    };
    let u = |v: f64| v as u64;
    let mut series = series::Unflatten::default();
    for (key, v) in values {
        let mut parts = key.splitn(3, SEP);
        let (kind, field, rest) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next(),
        );
        if sys::unflatten(&mut s.sys, (kind, field, rest), v) {
            continue;
        }
        if kind == "ser" {
            series.take(std::sync::Arc::make_mut(&mut s.series), field, rest, v);
            continue;
        }
        match (kind, rest) {
            ("boot", _) => s.boot_time = u(v),
            ("tps", _) => s.ticks_per_sec = u(v),
            ("cpu", _) => set_cpu(&mut s.cpu_total, field, u(v)),
            ("core", Some(i)) => {
                let Ok(i) = i.parse::<usize>() else { continue };
                if i < 4096 {
                    if s.cpus.len() <= i {
                        s.cpus.resize(i + 1, CpuTicks::default());
                    }
                    set_cpu(&mut s.cpus[i], field, u(v));
                }
            }
            ("mem", _) => {
                let m = &mut s.mem;
                match field {
                    "total" => m.total = u(v),
                    "available" => m.available = u(v),
                    "free" => m.free = u(v),
                    "buffers" => m.buffers = u(v),
                    "cached" => m.cached = u(v),
                    "swap_total" => m.swap_total = u(v),
                    "swap_free" => m.swap_free = u(v),
                    _ => {}
                }
            }
            ("load", _) => {
                if let Some(slot) = field.parse::<usize>().ok().and_then(|i| s.load.get_mut(i)) {
                    *slot = v;
                }
            }
            ("disk", Some(name)) => {
                let d = entry(
                    &mut s.disks,
                    |d: &DiskIo| d.name == name,
                    || DiskIo {
                        name: name.into(),
                        ..Default::default()
                    },
                );
                if field == "r" {
                    d.sectors_read = u(v)
                } else {
                    d.sectors_written = u(v)
                }
            }
            ("net", Some(name)) => {
                let n = entry(
                    &mut s.nets,
                    |n: &NetIo| n.name == name,
                    || NetIo {
                        name: name.into(),
                        ..Default::default()
                    },
                );
                if field == "rx" {
                    n.rx_bytes = u(v)
                } else {
                    n.tx_bytes = u(v)
                }
            }
            ("fs", Some(mount)) => {
                let f = entry(
                    &mut s.fs,
                    |f: &FsUsage| f.mount == mount,
                    || FsUsage {
                        mount: mount.into(),
                        ..Default::default()
                    },
                );
                if field == "total" {
                    f.total = u(v)
                } else {
                    f.available = u(v)
                }
            }
            ("proc", Some(rest)) => {
                let mut p = rest.splitn(3, SEP);
                let (Some(pid), Some(start), Some(name)) = (p.next(), p.next(), p.next()) else {
                    continue;
                };
                let (Ok(pid), Ok(start)) = (pid.parse::<u32>(), start.parse::<u64>()) else {
                    continue;
                };
                // A command line has no separator (control characters are `?`); a name might.
                let (name, texts) = match field {
                    "cmd" => {
                        let mut t = name.rsplitn(3, SEP);
                        let (cmdline, user) = (t.next().unwrap_or(""), t.next().unwrap_or(""));
                        (t.next().unwrap_or(""), Some((user, cmdline)))
                    }
                    _ => (name, None),
                };
                let e = entry(
                    &mut s.procs,
                    |x: &ProcRaw| x.pid == pid && x.start == start,
                    || ProcRaw {
                        pid,
                        start,
                        name: name.into(),
                        ..Default::default()
                    },
                );
                let int = |v: f64| v as i32;
                match field {
                    "cpu" => e.cpu_ms = u(v),
                    "rss" => e.rss = u(v),
                    "ppid" => e.ppid = u(v) as u32,
                    "thr" => e.threads = u(v) as u32,
                    "nice" => e.nice = int(v),
                    "pri" => e.priority = int(v),
                    "state" => e.state = char::from_u32(u(v) as u32).unwrap_or('?'),
                    "rd" => e.io = Some((u(v), e.io.map_or(0, |io| io.1))),
                    "wr" => e.io = Some((e.io.map_or(0, |io| io.0), u(v))),
                    _ => {}
                }
                if let Some((user, cmdline)) = texts {
                    (e.user, e.cmdline) = (user.into(), cmdline.into());
                }
            }
            _ => {}
        }
    }
    s
}

/// The last element matching `is`, or a new one pushed. Keys of one item are adjacent, so
/// looking at the last element is enough.
fn entry<T>(list: &mut Vec<T>, is: impl Fn(&T) -> bool, new: impl FnOnce() -> T) -> &mut T {
    if !list.last().is_some_and(&is) {
        list.push(new());
    }
    let last = list.len() - 1;
    &mut list[last]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sys::{DiskTimes, Gpu, Inodes, Sensor, SysRaw, Tasks};
    use crate::model::{MemRaw, Series};

    pub(crate) fn rich_sample() -> RawSample {
        RawSample {
            host: "h".into(),
            ts_ms: 5,
            boot_time: 1_700_000_000,
            ticks_per_sec: 100,
            cpu_total: CpuTicks {
                user: 1,
                nice: 2,
                system: 3,
                idle: 4,
                iowait: 5,
                irq: 6,
                softirq: 7,
                steal: 8,
            },
            cpus: vec![
                CpuTicks {
                    user: 9,
                    ..Default::default()
                },
                CpuTicks {
                    idle: 10,
                    ..Default::default()
                },
            ],
            mem: MemRaw {
                total: 24 << 30,
                available: 3,
                free: 4,
                buffers: 5,
                cached: 6,
                swap_total: 7,
                swap_free: 8,
            },
            load: [0.25, 1.5, 3.75],
            disks: vec![DiskIo {
                name: "sda".into(),
                sectors_read: 1,
                sectors_written: 2,
            }],
            nets: vec![NetIo {
                name: "eth0".into(),
                rx_bytes: (1 << 52) + 1,
                tx_bytes: 2,
            }],
            fs: vec![FsUsage {
                mount: "/mnt/odd\u{1f}/x y".into(),
                total: 10,
                available: 5,
            }],
            procs: vec![
                ProcRaw {
                    pid: 1,
                    start: 2,
                    name: "a b\u{1f}c".into(),
                    cpu_ms: 3,
                    rss: 4,
                    ppid: 0,
                    state: 'S',
                    threads: 7,
                    nice: -5,
                    priority: -51,
                    user: "www-data".into(),
                    cmdline: "/usr/bin/a b --c=d".into(),
                    io: Some((1 << 40, 0)),
                },
                ProcRaw {
                    pid: 1,
                    start: 9,
                    name: "reused pid".into(),
                    cpu_ms: 5,
                    rss: 6,
                    ..Default::default()
                },
            ],
            sys: SysRaw {
                psi: Some([1, 2, 3, 4, 1 << 50]),
                tasks: Tasks {
                    processes: 300,
                    threads: 900,
                    running: 2,
                    blocked: 1,
                    zombie: 3,
                    stopped: 0,
                },
                mhz: vec![2400.5, 800.0],
                sensors: vec![
                    Sensor {
                        name: "coretemp Package id 0".into(),
                        fan: false,
                        value: 54.5,
                    },
                    Sensor {
                        name: "it87 fan\u{1f}1".into(),
                        fan: true,
                        value: 1200.0,
                    },
                ],
                disks: vec![DiskTimes {
                    name: "sda".into(),
                    ios: 10,
                    io_ms: 20,
                    busy_ms: 30,
                }],
                inodes: vec![Inodes {
                    mount: "/mnt/odd\u{1f}/x y".into(),
                    total: 1000,
                    free: 10,
                }],
                gpus: vec![
                    Gpu {
                        name: "0 NVIDIA A100".into(),
                        busy: Some(35.0),
                        mem_used: 1 << 30,
                        mem_total: 40 << 30,
                    },
                    Gpu {
                        name: "card1".into(),
                        busy: None,
                        mem_used: 0,
                        mem_total: 0,
                    },
                ],
            },
            series: std::sync::Arc::new(vec![
                Series {
                    name: "http_requests_total".into(),
                    labels: vec![
                        ("code".into(), "200".into()),
                        ("path".into(), "/a\u{1f}\"b\u{1e}\n".into()),
                    ],
                    value: 12.0,
                    at_ms: 4,
                    counter: true,
                    prev: Some((2, 10.0)),
                },
                Series {
                    name: "queue_depth".into(),
                    value: 3.5,
                    at_ms: 4,
                    ..Default::default()
                },
            ]),
        }
    }

    #[test]
    fn round_trip_is_lossless() {
        let s = rich_sample();
        let flat = flatten(&s);
        let back = unflatten("h", 5, flat.iter().map(|(k, v)| (k.as_str(), *v)));
        assert_eq!(back, s);
    }

    #[test]
    fn unknown_and_garbage_keys_are_ignored() {
        let keys = [
            ("future\u{1f}x", 1.0),
            ("core\u{1f}user\u{1f}nope", 2.0),
            ("proc\u{1f}cpu\u{1f}x", 3.0),
            ("", 4.0),
        ];
        let s = unflatten("h", 1, keys.into_iter());
        assert_eq!(
            s,
            RawSample {
                host: "h".into(),
                ts_ms: 1,
                ..Default::default()
            }
        );
    }
}
