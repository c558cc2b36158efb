use super::*;
use crate::model::{ProcRaw, RawSample};

fn sample(host: &str, ts_ms: i64) -> RawSample {
    RawSample {
        host: host.into(),
        ts_ms,
        boot_time: 1,
        ticks_per_sec: 100,
        load: [1.0, 2.0, 3.0],
        procs: vec![ProcRaw {
            pid: 1,
            start: 2,
            name: "init".into(),
            cpu_ms: 3,
            rss: 4,
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let written = vec![sample("a", 1000), sample("a", 2000), sample("b", 1500)];
    w.insert(&written).unwrap();
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(r.hosts().unwrap(), ["a", "b"]);
    assert_eq!(r.sample_times("a", 0, i64::MAX).unwrap(), [1000, 2000]);
    assert_eq!(r.samples("a", 0, i64::MAX).unwrap(), written[..2]);
    assert_eq!(r.samples("b", 1500, 1500).unwrap(), written[2..]);
}

#[test]
fn migrates_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    rusqlite::Connection::open(&path).unwrap();
    let w = Store::open_writer(&path).unwrap();
    assert_eq!(schema::version(&w).unwrap(), SCHEMA_VERSION);
    drop(w);
    // Opening again runs nothing twice.
    Store::open_writer(&path).unwrap();
}

#[test]
fn an_empty_file_reads_as_an_empty_history_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    rusqlite::Connection::open(&path).unwrap();
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(schema::version(&r).unwrap(), SCHEMA_VERSION);
    assert!(r.hosts().unwrap().is_empty());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn refuses_a_newer_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(c);
    let e = Store::open_writer(&path).err().unwrap();
    assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
    assert!(e.to_string().contains("newer montui"));
}

#[test]
fn second_writer_is_refused_with_the_first_pid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let _first = Store::open_writer(&path).unwrap();
    let e = Store::open_writer(&path).err().unwrap();
    let msg = e.to_string();
    assert!(matches!(e, StoreError::Locked { .. }), "{msg}");
    assert!(
        msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    // Reading while somebody writes is fine.
    Store::open_reader(&path).unwrap();
}

#[test]
fn missing_file_is_a_clear_error_for_readers() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open_reader(&dir.path().join("none.db"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("no history recorded"), "{e}");
}

#[test]
fn corrupt_row_is_skipped_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&[sample("a", 1000), sample("a", 2000), sample("a", 3000)])
        .unwrap();
    w.conn
        .execute(
            "UPDATE samples SET data = x'ffffffff' WHERE ts_ms = 2000",
            [],
        )
        .unwrap();
    let times: Vec<i64> = w
        .samples("a", 0, i64::MAX)
        .unwrap()
        .iter()
        .map(|s| s.ts_ms)
        .collect();
    assert_eq!(times, [1000, 3000]);
}

#[test]
fn writer_thread_flushes_on_finish() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let w = spawn_writer(
        Store::open_writer(&path).unwrap(),
        std::time::Duration::from_secs(3600),
        crate::config::Config::default().retention(),
    );
    let now = chrono::Utc::now().timestamp_millis();
    for i in 0..10 {
        w.send(sample("a", now + i));
    }
    let status = w.status.clone();
    w.finish();
    assert_eq!(
        status.written.load(std::sync::atomic::Ordering::Relaxed),
        10
    );
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(r.sample_times("a", 0, i64::MAX).unwrap().len(), 10);
}

fn series_of(n: i64) -> Vec<RawSample> {
    (0..n)
        .map(|i| {
            let mut s = sample("a", 1_000 * (i + 1));
            s.load = [i as f64, 0.0, 0.0];
            s.procs[0].cpu_ms = i as u64;
            s
        })
        .collect()
}

#[test]
fn packed_history_reads_the_same_as_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let all = series_of(250);
    w.insert(&all).unwrap();
    assert_eq!(w.pack(100).unwrap(), 2);
    let blocks: i64 = w
        .conn
        .query_row("SELECT COUNT(*) FROM blocks", [], |r| r.get(0))
        .unwrap();
    let head: i64 = w
        .conn
        .query_row("SELECT COUNT(*) FROM samples", [], |r| r.get(0))
        .unwrap();
    assert_eq!((blocks, head), (2, 50));
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(r.samples("a", 0, i64::MAX).unwrap(), all);
    let times: Vec<i64> = all.iter().map(|s| s.ts_ms).collect();
    assert_eq!(r.sample_times("a", 0, i64::MAX).unwrap(), times);
    // A window across a block boundary and into the head.
    assert_eq!(r.samples("a", 95_000, 205_000).unwrap(), all[94..205]);
    let load = r.series("a", "load\u{1f}0", 0, i64::MAX).unwrap();
    assert_eq!(load.len(), 250);
    assert_eq!(load[120], (121_000, 120.0));
}

#[test]
fn a_command_line_is_stored_once_not_in_every_head_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    // Two processes with long command lines, in an hour and a half of samples at 1 s.
    let mut all = Vec::new();
    for i in 0..5_400 {
        let mut s = sample("a", 1_000 * (i + 1));
        s.procs[0].user = "root".into();
        s.procs[0].cmdline = format!("/usr/bin/python3 -m worker {}", "x".repeat(400));
        let mut other = s.procs[0].clone();
        other.pid = 2;
        other.cmdline = "/usr/bin/python3 -m other".into();
        s.procs.push(other);
        all.push(s);
    }
    w.insert(&all).unwrap();
    let row_bytes: i64 = w
        .conn
        .query_row("SELECT MAX(length(data)) FROM samples", [], |r| r.get(0))
        .unwrap();
    assert!(row_bytes < 128, "a head row takes {row_bytes} bytes");
    let texts = |w: &Store| -> i64 {
        w.conn
            .query_row("SELECT COUNT(*) FROM proc_texts", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(texts(&w), 2);
    assert_eq!(w.samples("a", 0, i64::MAX).unwrap(), all);
    // Packed: blocks name the processes themselves, and a text no head row names goes.
    assert_eq!(w.pack(3_600).unwrap(), 1);
    assert_eq!(w.samples("a", 0, i64::MAX).unwrap(), all);
    let mut later = sample("a", 9_000_000);
    later.procs[0].cmdline = "/sbin/init".into();
    w.insert(&[later.clone()]).unwrap();
    all.push(later);
    let mut rest: Vec<RawSample> = (0..3_600)
        .map(|i| {
            let mut s = sample("a", 9_001_000 + 1_000 * i);
            s.procs[0].cmdline = "/sbin/init".into();
            s
        })
        .collect();
    w.insert(&rest).unwrap();
    all.append(&mut rest);
    assert_eq!(w.pack(3_600).unwrap(), 1);
    assert_eq!(texts(&w), 1, "only /sbin/init is still named by the head");
    assert_eq!(w.samples("a", 0, i64::MAX).unwrap(), all);
}

#[test]
fn a_failed_transaction_forgets_the_texts_it_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let mut s = sample("a", 1_000);
    s.procs[0].cmdline = "/bin/sleep 100".into();
    // The row fails after its texts are stored: the transaction takes both back.
    w.conn
        .execute_batch(
            "CREATE TRIGGER no_rows BEFORE INSERT ON samples BEGIN SELECT RAISE(ABORT, 'full'); END",
        )
        .unwrap();
    assert!(w.insert(std::slice::from_ref(&s)).is_err());
    w.conn.execute_batch("DROP TRIGGER no_rows").unwrap();
    s.ts_ms = 2_000;
    w.insert(std::slice::from_ref(&s)).unwrap();
    assert_eq!(w.samples("a", 0, i64::MAX).unwrap(), [s]);
}

#[test]
fn corrupt_block_is_skipped_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&series_of(300)).unwrap();
    w.pack(100).unwrap();
    w.conn
        .execute(
            "UPDATE blocks SET data = substr(data, 1, 40) WHERE start_ms = 101000",
            [],
        )
        .unwrap();
    let times = w.sample_times("a", 0, i64::MAX).unwrap();
    assert_eq!(times.len(), 200);
    assert_eq!(w.samples("a", 0, i64::MAX).unwrap().len(), 200);
    assert!(!times.contains(&150_000));
}

#[test]
fn version_one_history_is_migrated_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    // A file as montui with store format 1 left it.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(schema::MIGRATIONS[0]).unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    c.execute("INSERT INTO hosts (id, name) VALUES (1, 'a')", [])
        .unwrap();
    let old = sample("a", 5_000);
    c.execute(
        "INSERT INTO samples (host_id, ts_ms, fmt, data) VALUES (1, 5000, 2, ?1)",
        [postcard::to_stdvec(&old).unwrap()],
    )
    .unwrap();
    drop(c);
    let before = std::fs::read(&path).unwrap();
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(schema::version(&r).unwrap(), SCHEMA_VERSION);
    assert_eq!(
        r.samples("a", 0, i64::MAX).unwrap(),
        std::slice::from_ref(&old)
    );
    // Read from an updated copy: the file itself is left as it was, nothing beside it.
    drop(r);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the reader wrote nothing"
    );
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(beside.len(), 1, "{beside:?}");
    // A writer updates it for good.
    drop(Store::open_writer(&path).unwrap());
    let r = Store::open_reader(&path).unwrap();
    assert_eq!(r.samples("a", 0, i64::MAX).unwrap(), [old]);
}

#[test]
fn rollup_tiers_cover_blocks_and_head() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&series_of(250)).unwrap(); // samples at 1 s … 250 s, load = i
    w.pack(100).unwrap();
    let per_min = w.rollup_samples("a", 60_000, 0, i64::MAX).unwrap();
    // Buckets 0 s, 60 s, 120 s, 180 s, 240 s; the one at 60 s spans two blocks.
    assert_eq!(
        per_min.iter().map(|s| s.ts_ms).collect::<Vec<_>>(),
        [0, 60_000, 120_000, 180_000, 240_000]
    );
    assert_eq!(per_min[1].load[0], (59..119).sum::<i64>() as f64 / 60.0);
    assert_eq!(per_min[4].load[0], (239..250).sum::<i64>() as f64 / 11.0);
    let per_day = w.rollup_samples("a", 86_400_000, 0, i64::MAX).unwrap();
    assert_eq!(per_day.len(), 1);
    assert_eq!(per_day[0].load[0], 124.5);
    let rows: i64 = w
        .conn
        .query_row("SELECT COUNT(*) FROM rollups", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2 * TIERS_MS.len() as i64);
}

#[test]
fn retention_deletes_old_raw_and_rollups_and_shrinks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&series_of(3000)).unwrap(); // 1 s … 3000 s
    w.pack(500).unwrap();
    let keep = |raw_ms, rollup_ms, max_bytes| Retention {
        raw_ms,
        rollup_ms,
        max_bytes,
        patterns: PATTERNS_KEPT,
    };
    // "Now" is 3000 s; raw kept 1000 s, rollups 2000 s.
    w.enforce(3_000_000, keep(1_000_000, 2_000_000, None))
        .unwrap();
    let t = w.sample_times("a", 0, i64::MAX).unwrap();
    assert!(
        t[0] >= 1_500_000 && t[0] <= 2_001_000,
        "oldest raw {}",
        t[0]
    );
    let rolled = w.rollup_samples("a", 60_000, 0, i64::MAX).unwrap();
    // Rollups go block by block: the one ending at 1000 s is kept whole.
    assert!(
        rolled[0].ts_ms >= 480_000 && rolled[0].ts_ms < t[0],
        "oldest rollup {}",
        rolled[0].ts_ms
    );
    let free: i64 = w
        .conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0, "freed pages went back to the file system");
}

#[test]
fn size_cap_drops_the_oldest_raw_data_first_but_never_the_last_hour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&series_of(3000)).unwrap();
    w.pack(500).unwrap();
    let used = w.used_bytes().unwrap();
    let forever = i64::MAX / 4;
    let cap = |max| Retention {
        raw_ms: forever,
        rollup_ms: forever,
        max_bytes: Some(max),
        patterns: PATTERNS_KEPT,
    };
    // "Now" is an hour after the first half: that half may go, the rest is the last hour.
    let now = 1_500_000 + RAW_KEPT_MS;
    w.enforce(now, cap(used - 1)).unwrap();
    assert!(w.used_bytes().unwrap() < used);
    let t = w.sample_times("a", 0, i64::MAX).unwrap();
    assert!(
        t[0] > 1_000 && *t.last().unwrap() == 3_000_000,
        "newest kept, oldest gone: {}",
        t[0]
    );
    // A cap nothing can meet: the last hour of raw samples stays, all of it.
    w.enforce(now, cap(1)).unwrap();
    let t = w.sample_times("a", 0, i64::MAX).unwrap();
    assert!(t[0] <= now - RAW_KEPT_MS + 500_000, "oldest kept {}", t[0]);
    assert_eq!(t.iter().filter(|t| **t >= now - RAW_KEPT_MS).count(), 1501);
}

#[test]
fn retention_covers_log_patterns_and_a_size_cap_takes_them_before_recent_samples() {
    use crate::logs::saved::{PatternSaves, SavedPattern};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&series_of(120)).unwrap();
    let pattern = |uid: u64| SavedPattern {
        uid,
        source: "app".into(),
        template: format!("{uid} {}", "long template text ".repeat(20)),
        count: 1,
        first_ms: uid as i64,
        last_ms: uid as i64,
        levels: Default::default(),
        examples: vec!["an example line ".repeat(10); 3],
    };
    let saves = PatternSaves {
        patterns: (1..=20_000).map(pattern).collect(),
        rates: (1..=20_000).map(|u| (u, 60_000, 1)).collect(),
        merged: Vec::new(),
    };
    w.save_patterns(&saves).unwrap();
    let forever = i64::MAX / 4;
    let keep = Retention {
        raw_ms: forever,
        rollup_ms: forever,
        max_bytes: None,
        patterns: 15_000,
    };
    w.enforce(200_000, keep).unwrap();
    let left = w.load_patterns().unwrap();
    assert_eq!(left.len(), 15_000, "the most recently seen are kept");
    assert!(left.iter().all(|p| p.uid > 5_000));
    assert!(
        w.pattern_rates(1, 0, i64::MAX).unwrap().is_empty(),
        "rates go with them"
    );
    let used = w.used_bytes().unwrap();
    w.enforce(
        200_000,
        Retention {
            max_bytes: Some(used / 4),
            ..keep
        },
    )
    .unwrap();
    assert!(
        w.used_bytes().unwrap() <= used / 4,
        "patterns went to meet the cap"
    );
    assert_eq!(
        w.sample_times("a", 0, i64::MAX).unwrap().len(),
        120,
        "the last hour stays"
    );
}

#[test]
fn log_patterns_round_trip_with_rates_and_merges() {
    use crate::logs::saved::{PatternSaves, SavedPattern};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let pat = |uid: u64, t: &str, count: u64| SavedPattern {
        uid,
        source: "app".into(),
        template: t.into(),
        count,
        first_ms: 1,
        last_ms: uid as i64,
        levels: [0, 0, count, 0, 0, 0, 0],
        examples: vec![format!("{t} e.g.")],
    };
    let saves = PatternSaves {
        patterns: vec![pat(1, "a <*>", 3), pat(2, "b <*>", 2)],
        rates: vec![(1, 60_000, 2), (1, 120_000, 1), (2, 60_000, 2)],
        merged: vec![],
    };
    w.save_patterns(&saves).unwrap();
    // Saved again: rates add up; then 2 is merged into 1.
    w.save_patterns(&PatternSaves {
        patterns: vec![pat(1, "<*> <*>", 6)],
        rates: vec![(1, 120_000, 1)],
        merged: vec![(2, 1)],
    })
    .unwrap();
    let r = Store::open_reader(&path).unwrap();
    let loaded = r.load_patterns().unwrap();
    assert_eq!(loaded, vec![pat(1, "<*> <*>", 6)]);
    assert_eq!(
        r.pattern_rates(1, 0, i64::MAX).unwrap(),
        vec![(60_000, 4), (120_000, 2)]
    );
    assert!(r.pattern_rates(2, 0, i64::MAX).unwrap().is_empty());
}

#[test]
fn a_new_history_is_private_and_a_directory_is_no_history() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/montui/history.db");
    let store = Store::open_writer(&path).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600, "the file");
    assert_eq!(mode(path.parent().unwrap()), 0o700, "its directory");
    drop(store);
    let e = Store::open_writer(dir.path()).err().map(|e| e.to_string());
    assert!(
        e.as_deref().is_some_and(|e| e.contains("is a directory")),
        "{e:?}"
    );
}

#[test]
fn a_file_not_ours_or_of_a_newer_format_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    // Another program's SQLite file.
    let foreign = dir.path().join("app.sqlite");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    c.execute_batch("CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (7);")
        .unwrap();
    drop(c);
    // A montui history written by a newer montui.
    let newer = dir.path().join("newer.db");
    drop(Store::open_writer(&newer).unwrap());
    let c = rusqlite::Connection::open(&newer).unwrap();
    c.execute_batch("PRAGMA user_version = 999;").unwrap();
    drop(c);
    std::fs::remove_file(dir.path().join("newer.db.lock")).unwrap();
    for (path, says) in [(&foreign, "not a montui history"), (&newer, "newer montui")] {
        let before = std::fs::read(path).unwrap();
        // SQLite may keep its -wal and -shm beside a file in WAL mode to read it; montui
        // adds nothing of its own.
        let listing = || {
            let mut names: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
                .collect();
            names.sort();
            names
        };
        let files = listing();
        let read = Store::open_reader(path).err().map(|e| e.to_string());
        assert!(
            read.as_deref().is_some_and(|e| e.contains(says)),
            "{read:?}"
        );
        let write = Store::open_writer(path).err().map(|e| e.to_string());
        assert!(
            write.as_deref().is_some_and(|e| e.contains(says)),
            "{write:?}"
        );
        assert_eq!(
            std::fs::read(path).unwrap(),
            before,
            "{} unchanged",
            path.display()
        );
        assert_eq!(listing(), files, "no lock beside it");
    }
}

#[test]
fn a_symbolic_link_to_a_recorded_history_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("history.db");
    let link = dir.path().join("link.db");
    let first = Store::open_writer(&real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let second = Store::open_writer(&link).err().map(|e| e.to_string());
    assert!(
        second
            .as_deref()
            .is_some_and(|e| e.contains("recorded by another montui")),
        "{second:?}"
    );
    drop(first);
    assert!(
        Store::open_writer(&link).is_ok(),
        "free once the first one is gone"
    );
}
