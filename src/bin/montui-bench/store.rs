//! The history store on 24 h of 1 s samples of 20 series, against plain SQLite rows of the
//! same values. The data is synthetic but shaped like a host's: CPU tick counters driven by a
//! random-walk utilisation, memory drifting, load following CPU; boot time and tick rate
//! constant (as they are). 2 + 8 + 7 + 3 = 20 series.

use std::time::Instant;

use montui::config::Config;
use montui::model::{CpuTicks, MemRaw, RawSample};
use montui::replay::{ReplayCursor, tier_for};
use montui::store::{BLOCK_SAMPLES, Store};
use rusqlite::params;

use super::{flag, median};

const SERIES: usize = 20;

pub fn run(args: &[String]) -> Result<(), String> {
    let hours: i64 = flag(args, "--hours", 24)?;
    let n = hours * 3600;
    let samples = generate(n);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let err = |e: montui::store::StoreError| e.to_string();

    // montui: the writer thread's calls, in the writer's order: insert batches, pack.
    let path = dir.path().join("montui.db");
    let mut store = Store::open_writer(&path).map_err(err)?;
    let t = Instant::now();
    for batch in samples.chunks(1000) {
        store.insert(batch).map_err(err)?;
        store.pack(BLOCK_SAMPLES).map_err(err)?;
    }
    let ingest_s = t.elapsed().as_secs_f64();
    // The writer's periodic retention pass (nothing is old enough to go; free pages are
    // given back), as a recording that ran this long has had.
    let end = samples.last().map_or(0, |s| s.ts_ms);
    store
        .enforce(end, Config::default().retention())
        .map_err(err)?;
    drop(store);
    let values = (n as usize * SERIES) as f64;
    let bytes = file_size(&path);
    let split = {
        let c = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
        let sum = |table: &str| -> u64 {
            c.query_row(
                &format!("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM {table}"),
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap_or(0) as u64
        };
        (sum("blocks"), sum("rollups"), sum("samples"))
    };

    // The reference: one row per value.
    let plain = dir.path().join("plain.db");
    let plain_bytes = plain_rows(&plain, &samples)?;

    let reader = Store::open_reader(&path).map_err(err)?;
    let mut q24 = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let v = reader
            .series("bench", "cpu\u{1f}user", i64::MIN, i64::MAX)
            .map_err(err)?;
        q24.push(t.elapsed().as_secs_f64() * 1000.0);
        if v.len() != n as usize {
            return Err(format!("read {} of {n} values", v.len()));
        }
    }
    // The tier a 200-column chart of the whole day reads.
    let tier = tier_for(n * 1000, 200);
    let mut qtier = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let v = reader
            .rollup_samples("bench", tier, i64::MIN, i64::MAX)
            .map_err(err)?;
        qtier.push(t.elapsed().as_secs_f64() * 1000.0);
        if v.is_empty() || v.len() > 200 {
            return Err(format!("{} buckets from tier {tier} ms", v.len()));
        }
    }
    let mut cursor =
        ReplayCursor::open(reader, None, None, None, 300).map_err(|e| e.to_string())?;
    let mut seeks = Vec::new();
    let mut x: u64 = 12345;
    for _ in 0..20 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let at = samples[0].ts_ms + (x >> 33) as i64 % (n * 1000);
        let t = Instant::now();
        cursor.seek_time(at);
        let frame = cursor.frame().map_err(err)?;
        seeks.push(t.elapsed().as_secs_f64() * 1000.0);
        if frame.is_empty() {
            return Err("empty frame".into());
        }
    }
    println!(
        "{hours} h of 1 s samples, {SERIES} series, {} values",
        values as u64
    );
    println!(
        "  montui  {bytes} bytes (blocks {}, rollups {}, head {}, rest SQLite pages)   plain rows {plain_bytes} bytes",
        split.0, split.1, split.2
    );
    println!("  tier for a 200-column day: {} s buckets", tier / 1000);
    println!(
        "  ingest {:.2} s; query 24 h of one series {:.1} ms (median of 5); seek + frame {:.1} ms (median of 20)",
        ingest_s,
        median(q24.clone()),
        median(seeks.clone())
    );
    println!(
        "store: bytes_per_sample={:.3} plain_bytes_per_sample={:.1} ingest_per_s={:.0} query_24h_ms={:.1} query_tier_ms={:.1} seek_ms={:.1}",
        bytes as f64 / values,
        plain_bytes as f64 / values,
        values / ingest_s,
        median(q24),
        median(qtier),
        median(seeks)
    );
    Ok(())
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn plain_rows(path: &std::path::Path, samples: &[RawSample]) -> Result<u64, String> {
    let e = |e: rusqlite::Error| e.to_string();
    let mut c = rusqlite::Connection::open(path).map_err(e)?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE points (series_id INTEGER, ts INTEGER, value REAL,
                              PRIMARY KEY (series_id, ts)) WITHOUT ROWID;",
    )
    .map_err(e)?;
    for batch in samples.chunks(1000) {
        let tx = c.transaction().map_err(e)?;
        {
            let mut st = tx
                .prepare_cached("INSERT INTO points VALUES (?1, ?2, ?3)")
                .map_err(e)?;
            for s in batch {
                for (i, v) in values(s).iter().enumerate() {
                    st.execute(params![i as i64, s.ts_ms, v]).map_err(e)?;
                }
            }
        }
        tx.commit().map_err(e)?;
    }
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(e)?;
    drop(c);
    Ok(file_size(path))
}

fn values(s: &RawSample) -> [f64; SERIES] {
    let c = &s.cpu_total;
    let m = &s.mem;
    [
        s.boot_time as f64,
        s.ticks_per_sec as f64,
        c.user as f64,
        c.nice as f64,
        c.system as f64,
        c.idle as f64,
        c.iowait as f64,
        c.irq as f64,
        c.softirq as f64,
        c.steal as f64,
        m.total as f64,
        m.available as f64,
        m.free as f64,
        m.buffers as f64,
        m.cached as f64,
        m.swap_total as f64,
        m.swap_free as f64,
        s.load[0],
        s.load[1],
        s.load[2],
    ]
}

fn generate(n: i64) -> Vec<RawSample> {
    let mut rng: u64 = 42;
    let mut next = move || {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut util: f64 = 20.0;
    let mut avail: f64 = 12e9;
    let mut ticks = CpuTicks::default();
    let mut load = [0.5f64; 3];
    let start = 1_763_900_000_000i64;
    (0..n)
        .map(|i| {
            util = (util + (next() - 0.5) * 6.0).clamp(2.0, 98.0);
            let busy = util.round() as u64;
            let sys = (busy as f64 * 0.25).round() as u64;
            let io = (next() * 3.0) as u64;
            ticks.user += busy - sys;
            ticks.system += sys;
            ticks.iowait += io;
            ticks.idle += 100 - busy.min(100 - io) - io;
            ticks.softirq += (next() < 0.3) as u64;
            avail = (avail + (next() - 0.5) * 4e6).clamp(2e9, 15e9);
            for (l, k) in load.iter_mut().zip([60.0, 300.0, 900.0]) {
                *l += (util / 50.0 - *l) / k;
            }
            RawSample {
                host: "bench".into(),
                // Real timers jitter by a few ms.
                ts_ms: start + i * 1000 + (next() * 5.0) as i64,
                boot_time: 1_763_000_000,
                ticks_per_sec: 100,
                cpu_total: ticks,
                mem: MemRaw {
                    total: 16 << 30,
                    available: avail as u64,
                    free: (avail * 0.3) as u64,
                    buffers: 200 << 20,
                    cached: (avail * 0.5) as u64,
                    swap_total: 4 << 30,
                    swap_free: 4 << 30,
                },
                load: load.map(|l| (l * 100.0).round() / 100.0),
                ..Default::default()
            }
        })
        .collect()
}
