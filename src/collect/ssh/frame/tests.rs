use super::*;

/// A frame the sampler printed on a real machine (trimmed).
const FRAME: &str = include_str!("sample.txt");

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
    let web = &s.procs[1];
    assert_eq!(
        (web.state, web.ppid, web.priority, web.nice, web.threads),
        ('R', 1, 25, 5, 8)
    );
    assert_eq!(
        (web.user.as_str(), web.io, web.cmdline.as_str()),
        ("www-data", None, "/usr/bin/web --port 8080")
    );
    let init = &s.procs[0];
    assert_eq!(
        (init.user.as_str(), init.io, init.cmdline.as_str()),
        ("root", Some((4096, 8192)), "/sbin/init splash")
    );
}

#[test]
fn file_system_use_is_counted_as_df_does() {
    // This machine's root: most of the free blocks are reserved for root. df says 17 %.
    let text = "Filesystem 1024-blocks Used Available Capacity Mounted on\n\
                /dev/vda 264212084 15605972 79679916 17% /\n";
    let fs = df(text);
    let used = fs[0].total - fs[0].available;
    assert_eq!(used, 15_605_972 * 1024, "df's Used");
    let pct = used as f64 * 100.0 / fs[0].total as f64;
    assert!(
        (16.0..17.0).contains(&pct),
        "{pct} % (df rounds up to 17 %)"
    );
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
