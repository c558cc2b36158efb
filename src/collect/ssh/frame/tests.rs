use super::*;

/// A frame the sampler printed on a real machine (trimmed).
const FRAME: &str = "@@montui 1 1763900000 100 4096
@uptime
12345.67 23456.78
@stat
cpu  100 0 50 1000 10 0 5 0 0 0
cpu0 50 0 25 500 5 0 3 0 0 0
cpu1 50 0 25 500 5 0 2 0 0 0
intr 1 2 3
ctxt 100
btime 1763880000
processes 500
procs_running 1
procs_blocked 0
@meminfo
MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    4000000 kB
Buffers:          100000 kB
Cached:          2000000 kB
SwapCached:            0 kB
Active:          1000000 kB
Inactive:        1000000 kB
SwapTotal:       1000000 kB
SwapFree:         900000 kB
Dirty:                 0 kB
Writeback:             0 kB
Mapped:           100000 kB
Shmem:             10000 kB
Slab:             100000 kB
SReclaimable:      50000 kB
SUnreclaim:        50000 kB
KernelStack:        1000 kB
PageTables:         1000 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:     5000000 kB
Committed_AS:    3000000 kB
VmallocTotal:   34359738367 kB
VmallocUsed:           0 kB
VmallocChunk:          0 kB
@loadavg
0.52 0.40 0.30 1/200 12345
@netdev
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0: 5000000    4000    0    0    0     0          0         0  2000000    3000    0    0    0     0       0          0
@diskstats
 254       0 vda 1000 0 20000 500 2000 0 40000 1000 0 1500 1500 0 0 0 0
 254       1 vda1 900 0 19000 450 1900 0 39000 950 0 1400 1400 0 0 0 0
@df
Filesystem     1024-blocks    Used Available Capacity Mounted on
/dev/vda1        100000000 50000000  50000000      50% /
tmpfs              4000000        0   4000000       0% /dev/shm
/dev/vda1        100000000 50000000  50000000      50% /srv/bind
/dev/vdb          20000000 10000000  10000000      50% /mnt/my data
tiny                     4        0         4       0% /mnt/tiny
@procs
1 16 408 1841 systemd
4242 900 1234 25000 web server (8)
garbage line
@@end
";

#[test]
fn a_real_frame_becomes_a_sample() {
    let f = parse(FRAME).unwrap();
    assert_eq!((f.remote_ms, f.uptime_ms), (1_763_900_000_000, 12_345_670));
    let ns = parse(&FRAME.replacen("1763900000", "1763900000123456789", 1)).unwrap();
    assert_eq!(ns.remote_ms, 1_763_900_000_123);
    let no_n = parse(&FRAME.replacen("1763900000", "1763900000%N", 1)).unwrap();
    assert_eq!(no_n.remote_ms, 1_763_900_000_000);
    let s = &f.sample;
    assert_eq!(
        (s.cpus.len(), s.boot_time, s.ticks_per_sec),
        (2, 1_763_880_000, 100)
    );
    assert_eq!(s.mem.total, 8_000_000 * 1024);
    assert_eq!(s.load, [0.52, 0.40, 0.30]);
    assert_eq!(
        s.nets.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["eth0", "lo"]
    );
    assert_eq!(s.disks.len(), 1, "whole disks only");
    let mounts: Vec<&str> = s.fs.iter().map(|f| f.mount.as_str()).collect();
    assert_eq!(
        mounts,
        ["/", "/mnt/my data"],
        "no tmpfs, bind mount or tiny fs"
    );
    assert_eq!(s.procs.len(), 2);
    assert_eq!(s.procs[1].name, "web server (8)");
    assert_eq!((s.procs[1].cpu_ms, s.procs[1].rss), (12_340, 25_000 * 4096));
}

#[test]
fn missing_or_broken_parts_are_errors() {
    for (what, broken) in [
        (
            "header",
            FRAME.replacen("@@montui 1 1763900000", "@@montui 1 soon", 1),
        ),
        ("version", FRAME.replacen("@@montui 1 ", "@@montui 2 ", 1)),
        ("section", FRAME.replacen("@meminfo\n", "@memory\n", 1)),
        ("uptime", FRAME.replacen("12345.67", "NaN", 1)),
        ("stat", FRAME.replacen("cpu  100", "cpu  x", 1)),
    ] {
        assert!(parse(&broken).is_err(), "{what}: accepted");
    }
}

#[test]
fn no_prefix_of_a_frame_and_no_byte_flip_panics() {
    // Truncated anywhere (a dropped connection), or one byte changed (line noise): an
    // error or a sample, never a panic.
    let bytes = FRAME.as_bytes();
    for cut in 0..bytes.len() {
        let _ = parse(&String::from_utf8_lossy(&bytes[..cut]));
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..5000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut b = bytes.to_vec();
        let i = (seed % b.len() as u64) as usize;
        b[i] = (seed >> 32) as u8;
        let _ = parse(&String::from_utf8_lossy(&b));
    }
}
