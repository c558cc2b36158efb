//! Shared by the integration tests: a fixture host, and finding system tools.
#![allow(dead_code)]

use montui::app::{Mode, Recording, State};
use montui::model::sys::{DiskTimes, Gpu, Inodes, Sensor, SysRaw, Tasks};
use montui::model::{CpuTicks, DiskIo, FsUsage, MemRaw, NetIo, ProcRaw, RawSample, derive};

/// A deterministic host: `n` one-second samples with a busy-ish pattern.
pub fn raw_samples(n: i64) -> Vec<RawSample> {
    let mut cpu = [0u64; 2];
    let mut idle = [0u64; 2];
    let (mut written, mut rx) = (0u64, 0u64);
    (0..n)
        .map(|i| {
            written += (i as u64 % 7) * 4096;
            rx += (1 + i as u64 % 4) << 20;
            for c in 0..2 {
                let busy = (20 + (i * 7 + c as i64 * 31) % 60) as u64;
                cpu[c] += busy;
                idle[c] += 100 - busy;
            }
            let tick = |c: usize| CpuTicks {
                user: cpu[c] * 2 / 3,
                system: cpu[c] / 3,
                idle: idle[c],
                ..Default::default()
            };
            let mut total = tick(0);
            let t1 = tick(1);
            total.user += t1.user;
            total.system += t1.system;
            total.idle += t1.idle;
            RawSample {
                host: "web-1".into(),
                ts_ms: 1_763_900_000_000 + i * 1000,
                boot_time: 1_763_000_000,
                ticks_per_sec: 100,
                cpu_total: total,
                cpus: vec![tick(0), t1],
                mem: MemRaw {
                    total: 8 << 30,
                    available: (5 << 30) - (i as u64 % 10) * (50 << 20),
                    free: 1 << 30,
                    buffers: 100 << 20,
                    cached: 2 << 30,
                    swap_total: 2 << 30,
                    swap_free: (2 << 30) - (200 << 20),
                },
                load: [0.5 + (i % 5) as f64 * 0.1, 0.6, 0.7],
                disks: vec![DiskIo {
                    name: "nvme0n1".into(),
                    sectors_read: i as u64 * 2048,
                    sectors_written: written,
                }],
                nets: vec![
                    NetIo {
                        name: "eth0".into(),
                        rx_bytes: rx,
                        tx_bytes: i as u64 * 300_000,
                    },
                    NetIo {
                        name: "lo".into(),
                        rx_bytes: i as u64 * 1000,
                        tx_bytes: i as u64 * 1000,
                    },
                ],
                fs: vec![
                    FsUsage {
                        mount: "/".into(),
                        total: 100 << 30,
                        available: 30 << 30,
                    },
                    FsUsage {
                        mount: "/home".into(),
                        total: 400 << 30,
                        available: 20 << 30,
                    },
                ],
                procs: (1..=12)
                    .map(|p| ProcRaw {
                        pid: p * 100,
                        start: 5,
                        name: format!("proc-{p}"),
                        cpu_ms: i as u64 * p as u64 * 40,
                        rss: (p as u64) << 24,
                        // 7…12 are children of 1…6.
                        ppid: if p > 6 { (p - 6) * 100 } else { 1 },
                        state: if p == 12 { 'R' } else { 'S' },
                        threads: p,
                        nice: if p == 3 { 10 } else { 0 },
                        priority: if p == 3 { 30 } else { 20 },
                        user: if p % 2 == 0 { "www-data" } else { "root" }.into(),
                        cmdline: format!("/usr/bin/proc-{p} --serve /srv/{p}"),
                        io: Some((i as u64 * p as u64 * 4096, i as u64 * 1024)),
                    })
                    .collect(),
                sys: SysRaw {
                    // µs stalled: cpu some 3 %, memory 0.5 % / 0.1 %, io 2 % / 1 % a second.
                    psi: Some([
                        i as u64 * 30_000,
                        i as u64 * 5_000,
                        i as u64 * 1_000,
                        i as u64 * 20_000,
                        i as u64 * 10_000,
                    ]),
                    tasks: Tasks {
                        processes: 212,
                        threads: 640,
                        running: 2,
                        blocked: 1,
                        zombie: 0,
                        stopped: 0,
                    },
                    mhz: vec![2400.0, 3100.0],
                    sensors: vec![
                        Sensor {
                            name: "coretemp Package id 0".into(),
                            fan: false,
                            value: 54.0 + (i % 5) as f64,
                        },
                        Sensor {
                            name: "nvme Composite".into(),
                            fan: false,
                            value: 41.0,
                        },
                        Sensor {
                            name: "thinkpad fan1".into(),
                            fan: true,
                            value: 2100.0,
                        },
                    ],
                    // 100 I/Os a second of 2 ms each, busy 15 %.
                    disks: vec![DiskTimes {
                        name: "nvme0n1".into(),
                        ios: i as u64 * 100,
                        io_ms: i as u64 * 200,
                        busy_ms: i as u64 * 150,
                    }],
                    inodes: vec![Inodes {
                        mount: "/".into(),
                        total: 6_000_000,
                        free: 4_500_000,
                    }],
                    gpus: vec![Gpu {
                        name: "0 NVIDIA T4".into(),
                        busy: Some(30.0 + (i % 3) as f64),
                        mem_used: 3 << 30,
                        mem_total: 15 << 30,
                    }],
                },
                series: scrape(i),
            }
        })
        .collect()
}

/// What an app's exporter gave, scraped every 5 s (every sample carries the last scrape):
/// a counter per code and a gauge.
fn scrape(i: i64) -> std::sync::Arc<Vec<montui::model::Series>> {
    let at = |k: i64| 1_763_900_000_000 + k * 5_000;
    let k = i / 5;
    let requests = |k: i64, code: i64| (k * k * code / 10 + code) as f64;
    let counter = |code: i64| montui::model::Series {
        name: "http_requests_total".into(),
        labels: vec![("code".into(), code.to_string())],
        value: requests(k, code),
        at_ms: at(k),
        counter: true,
        prev: (k > 0).then(|| (at(k - 1), requests(k - 1, code))),
    };
    let queue = montui::model::Series {
        name: "queue_depth".into(),
        labels: vec![("queue".into(), "mail".into())],
        value: ((k * 13) % 9) as f64,
        at_ms: at(k),
        ..Default::default()
    };
    std::sync::Arc::new(vec![counter(200), counter(500), queue])
}

/// A live state fed with the fixture samples through the real derive().
pub fn fixture_state() -> State {
    let mut s = State::new(Mode::Live, "web-1", 1000, 300);
    s.utc = true;
    s.recording = Recording::On;
    let raw = raw_samples(90);
    let mut rules = montui::alert::eval::Evaluator::new(montui::alert::rules::default_rules());
    for (i, cur) in raw.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &raw[p]);
        let snap = derive(cur, prev);
        rules.evaluate(&snap);
        s.push_live(snap);
    }
    s.board = montui::alert::board::Board::new(
        rules.tracker.alerts().cloned().collect(),
        Vec::new(),
        &s.policy.inhibitions,
    );
    // The watch's forecasts, and two anomalies (one over, one under way, on another host).
    s.anomalies = rules.watch.board();
    let last = raw.last().map_or(0, |r| r.ts_ms);
    let found =
        |host: &str, series: &str, ago: i64, ended: bool, why: u16| montui::detect::Anomaly {
            host: host.into(),
            series: series.into(),
            started_ms: last - ago,
            known_ms: last - ago,
            ended_ms: ended.then_some(last - ago / 2),
            score: 0.97,
            value: 71.5,
            expected: 40.2,
            low: 38.9,
            high: 41.5,
            why,
        };
    s.anomalies.anomalies = vec![
        found(
            "web-1",
            r#"filesystem_used_percent{mount="/"}"#,
            40_000,
            true,
            1 | 64,
        ),
        found("db-1", "host mix: network", 5_000, false, 512),
    ];
    s
}

/// Path of a system program, or None.
pub fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Finds a system tool a test needs. A test that needs one is compiled as ignored when it is
/// missing (build.rs, unless MONTUI_E2E=require), so reaching here without it is a failure.
pub fn need(tool: &str) -> std::path::PathBuf {
    which(tool).unwrap_or_else(|| panic!("{tool} is missing: apt-get install {tool}"))
}

pub mod http;
pub mod mail;
pub mod notify;
pub mod prom;
pub mod tmux;

/// Draws with `f` into a w×h TestBackend; the text drawn.
pub fn render(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame)) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(f).unwrap();
    t.backend().to_string()
}

/// A home of its own for a test, so no user config, history or log is touched.
pub fn home(dir: &std::path::Path) -> Vec<(&'static str, std::path::PathBuf)> {
    vec![
        ("HOME", dir.to_path_buf()),
        ("XDG_CONFIG_HOME", dir.join("config")),
        ("XDG_DATA_HOME", dir.join("data")),
        ("XDG_STATE_HOME", dir.join("state")),
    ]
}

/// The real montui with `args`, in tmux at 120×40, at home in `dir`.
pub fn montui(tmux: &std::path::Path, dir: &std::path::Path, args: &str) -> tmux::Tmux {
    let env = home(dir);
    let env: Vec<(&str, &std::path::Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let bin = env!("CARGO_BIN_EXE_montui");
    tmux::Tmux::start(tmux, &format!("'{bin}' {args}"), &env, 120, 40)
}

/// How long a test waits for what must happen: generous, since CI machines are loaded, and
/// every wait returns as soon as its condition holds. Speed is measured in benches.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The time shown in the status bar (`YYYY-MM-DD HH:MM:SS`), if any.
pub fn status_time(screen: &str) -> Option<String> {
    let first = screen.lines().next()?;
    first.split(" │ ").find_map(|part| {
        let p = part.trim();
        let b = p.as_bytes();
        (p.len() == 19 && b[4] == b'-' && b[10] == b' ' && b[13] == b':').then(|| p.to_string())
    })
}
pub mod sshd;

/// A test sshd with `aliases` good hosts; a missing OpenSSH is a failure (see `need`).
pub fn sshd(aliases: usize) -> sshd::Sshd {
    sshd::Sshd::start(aliases)
        .unwrap_or_else(|package| panic!("{package} is missing: apt-get install {package}"))
}

/// The signal that ended `child`, waiting for it up to `WAIT` (panics if it lives on).
pub fn ended_by(child: &mut std::process::Child) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.signal();
        }
        assert!(start.elapsed() < WAIT, "the child lives on");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The row of process `pid` in the process list on `screen` (its PID is the row's first
/// figure, right-aligned).
pub fn process_row<'a>(screen: &'a str, pid: &str) -> Option<&'a str> {
    screen.lines().find(|l| {
        l.strip_prefix('┃')
            .or_else(|| l.strip_prefix('│'))
            .is_some_and(|r| r.trim_start().starts_with(&format!("{pid} ")))
    })
}

/// Waits until the log holds `what` at least `at_least` times; returns the count.
pub fn wait_log(log: &std::path::Path, what: &str, at_least: usize) -> usize {
    let (t0, limit) = (std::time::Instant::now(), WAIT);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let n = text.matches(what).count();
        if n >= at_least {
            return n;
        }
        assert!(
            t0.elapsed() < limit,
            "waited {limit:?} for {at_least}× `{what}`; log:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
