use super::*;
use crate::model::{DiskIo, NetIo, ProcRaw};

fn sample(ts_ms: i64, busy: u64, idle: u64, rx: u64) -> RawSample {
    RawSample {
        host: "h".into(),
        ts_ms,
        boot_time: 100,
        ticks_per_sec: 100,
        cpu_total: CpuTicks {
            user: busy,
            idle,
            ..Default::default()
        },
        cpus: vec![CpuTicks {
            user: busy,
            idle,
            ..Default::default()
        }],
        nets: vec![NetIo {
            name: "eth0".into(),
            rx_bytes: rx,
            tx_bytes: 0,
        }],
        disks: vec![DiskIo {
            name: "sda".into(),
            sectors_read: rx / 512,
            sectors_written: 0,
        }],
        procs: vec![ProcRaw {
            pid: 7,
            start: 1,
            name: "x".into(),
            cpu_ms: busy * 10,
            rss: 1,
            io: Some((rx, 2 * rx)),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn rates_from_a_counter_pair() {
    let a = sample(1_000, 100, 100, 1_000);
    let b = sample(3_000, 150, 250, 5_000);
    let s = derive(&b, Some(&a));
    assert_eq!(s.dt_ms, Some(2_000));
    let cpu = s.cpu.expect("cpu");
    assert!((cpu.busy() - 25.0).abs() < 1e-9, "{cpu:?}");
    assert_eq!(s.cores, vec![Some(25.0)]);
    assert_eq!(s.nets[0].rx, Some(2_000.0));
    assert_eq!(s.disks[0].read, Some(2_048.0)); // (9 - 1) sectors * 512 B / 2 s
    // 500 ms of CPU in 2 s is 25 % of one core.
    assert_eq!(s.procs[0].cpu, Some(25.0));
    // Its storage I/O: (5000 − 1000) B read, twice that written, in 2 s.
    assert_eq!(
        (s.procs[0].read, s.procs[0].write),
        (Some(2_000.0), Some(4_000.0))
    );
    assert_eq!(s.procs[0].time_ms, 1_500);
}

#[test]
fn missing_previous_gives_no_rates_but_keeps_gauges() {
    let mut b = sample(3_000, 150, 250, 5_000);
    b.load = [1.5, 1.0, 0.5];
    let s = derive(&b, None);
    assert_eq!(s.dt_ms, None);
    assert_eq!(s.cpu, None);
    assert_eq!(s.cores, vec![None]);
    assert_eq!(s.nets[0].rx, None);
    assert_eq!(s.procs[0].cpu, None);
    assert_eq!(s.load, [1.5, 1.0, 0.5]);
}

#[test]
fn counter_reset_gives_none_not_a_huge_rate() {
    let a = sample(1_000, 100, 100, 9_000_000_000);
    let b = sample(2_000, 150, 150, 10);
    assert_eq!(derive(&b, Some(&a)).nets[0].rx, None);
}

#[test]
fn thirty_two_bit_wrap_is_counted() {
    let before = u32::MAX as u64 - 99;
    let a = sample(1_000, 100, 100, before);
    let b = sample(2_000, 150, 150, 100);
    assert_eq!(derive(&b, Some(&a)).nets[0].rx, Some(200.0));
    assert_eq!(counter_delta(5, 3), None);
    assert_eq!(counter_delta(3, 5), Some(2));
}

#[test]
fn reboot_or_backwards_clock_invalidates_previous() {
    let a = sample(1_000, 100, 100, 1_000);
    let mut b = sample(2_000, 150, 150, 2_000);
    b.boot_time = 200;
    assert_eq!(derive(&b, Some(&a)).cpu, None);
    let c = sample(500, 150, 150, 2_000);
    assert_eq!(derive(&c, Some(&a)).dt_ms, None);
}

#[test]
fn process_matched_by_pid_and_start_time() {
    let a = sample(1_000, 100, 100, 0);
    let mut b = sample(2_000, 150, 150, 0);
    b.procs[0].start = 2; // same pid, a different process
    assert_eq!(derive(&b, Some(&a)).procs[0].cpu, None);
}

#[test]
fn memory_used_is_total_minus_available() {
    let mut a = sample(1_000, 1, 1, 0);
    a.mem.total = 1000;
    a.mem.available = 250;
    a.mem.swap_total = 100;
    a.mem.swap_free = 100;
    let s = derive(&a, None);
    assert_eq!(s.mem.used, 750);
    assert!((s.mem.used_pct() - 75.0).abs() < 1e-9);
    assert_eq!(s.mem.swap_pct(), 0.0);
}

#[test]
fn pressure_disk_time_inodes_and_uptime_are_derived() {
    use crate::model::sys::{DiskTimes, Inodes};
    let with = |ts_ms: i64, k: u64| {
        let mut s = sample(ts_ms, 0, 0, 0);
        s.sys.psi = Some([k * 20_000, k * 5_000, 0, k * 1_000_000, 0]);
        s.sys.disks = vec![DiskTimes {
            name: "sda".into(),
            ios: k * 50,
            io_ms: k * 100,
            busy_ms: k * 250,
        }];
        s.sys.inodes = vec![Inodes {
            mount: "/".into(),
            total: 1000,
            free: 750,
        }];
        s.fs = vec![crate::model::FsUsage {
            mount: "/".into(),
            total: 10,
            available: 5,
        }];
        s
    };
    // Two seconds apart.
    let (a, b) = (with(1_000_000, 1), with(1_002_000, 3));
    let s = derive(&b, Some(&a));
    let psi = s.sys.psi.expect("pressure");
    assert_eq!(
        psi.map(|p| (p * 100.0).round() / 100.0),
        [2.0, 0.5, 0.0, 100.0, 0.0],
        "capped at 100"
    );
    let d = &s.disks[0];
    assert_eq!((d.busy, d.await_ms), (Some(25.0), Some(2.0)));
    assert_eq!(s.fs[0].inodes_pct, Some(25.0));
    assert_eq!(s.sys.uptime_s, Some(1_002.0 - 100.0));
    // One reading alone: no rates, the rest known.
    let first = derive(&b, None);
    assert!(first.sys.psi.is_none() && first.disks[0].busy.is_none());
    assert_eq!(first.fs[0].inodes_pct, Some(25.0));
}
