//! A process's details window (Enter in the process list): what the list shows of it, its
//! CPU and resident memory over the recorded history, and, live, its working directory and
//! open files (`collect::inspect`, asked in the background). No terminal code here.

use std::path::Path;

use crate::collect::inspect::Inspected;
use crate::model::ProcRow;
use crate::store::{Store, proc_keys};

/// The longest history charted.
const SPAN_MS: i64 = 24 * 3_600_000;
/// The most points a chart gets (the history is averaged into as many buckets).
const POINTS: i64 = 600;

#[derive(Debug, Clone, PartialEq)]
pub struct ProcDetails {
    pub host: String,
    pub row: ProcRow,
    /// % of one CPU, and resident bytes, over the recorded history (while it was among the
    /// processes kept).
    pub cpu: Vec<(i64, f64)>,
    pub rss: Vec<(i64, f64)>,
    /// Working directory and open files: None while asked; an error said for the user
    /// (replay: not known from a recording).
    pub live: Option<Result<Inspected, String>>,
}

impl ProcDetails {
    /// The details of `row` on `host` up to `now`, its history from the recording at `db`
    /// (none without one, or where it cannot be read: the rest still shows).
    pub fn load(db: Option<&Path>, host: &str, row: &ProcRow, now: i64) -> Self {
        let from = now.saturating_sub(SPAN_MS).max(row.started_ms);
        let (cpu, rss) = db
            .and_then(|db| history(db, host, row, from, now).ok())
            .unwrap_or_default();
        ProcDetails {
            host: host.to_string(),
            row: row.clone(),
            cpu,
            rss,
            live: None,
        }
    }
}

type Series = Vec<(i64, f64)>;

fn history(
    db: &Path,
    host: &str,
    p: &ProcRow,
    from: i64,
    to: i64,
) -> Result<(Series, Series), String> {
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let [cpu_key, rss_key] = proc_keys(p.pid, p.start, &p.name);
    let series = |key: &str| store.series(host, key, from, to).map_err(|e| e.to_string());
    let step = ((to - from) / POINTS).max(1);
    Ok((
        cpu_pct(&series(&cpu_key)?, step),
        mean(&series(&rss_key)?, step),
    ))
}

/// CPU time so far (ms) → % of one CPU over each `step`-ms bucket (from its first and last
/// reading: exact, whatever the sampling).
fn cpu_pct(cum: &[(i64, f64)], step: i64) -> Series {
    // A gap is longer than a bucket and than three usual spacings of the readings.
    let mut spacing: Vec<i64> = cum.windows(2).map(|w| w[1].0 - w[0].0).collect();
    spacing.sort_unstable();
    let gap = step.max(3 * spacing.get(spacing.len() / 2).copied().unwrap_or(0));
    let mut out = Vec::new();
    let mut prev: Option<(i64, f64)> = None;
    for chunk in cum.chunk_by(|a, b| a.0.div_euclid(step) == b.0.div_euclid(step)) {
        let last = chunk[chunk.len() - 1];
        // From the reading before, unless a gap longer than a bucket (the process left the
        // list, montui stopped) lies between: then from the bucket's own first.
        let first = prev.filter(|p| chunk[0].0 - p.0 <= gap).unwrap_or(chunk[0]);
        let dt = (last.0 - first.0) as f64;
        if dt > 0.0 && last.1 >= first.1 {
            out.push((last.0, (last.1 - first.1) / dt * 100.0));
        }
        prev = Some(last);
    }
    out
}

/// The mean of each `step`-ms bucket.
fn mean(v: &[(i64, f64)], step: i64) -> Series {
    v.chunk_by(|a, b| a.0.div_euclid(step) == b.0.div_euclid(step))
        .map(|c| {
            (
                c[c.len() - 1].0,
                c.iter().map(|x| x.1).sum::<f64>() / c.len() as f64,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProcRaw, RawSample};

    #[test]
    fn cpu_time_becomes_percent_per_bucket_and_gaps_stay_gaps() {
        // 250 ms of CPU a second for 10 s, a 100 s gap, then 500 ms a second.
        let mut cum = Vec::new();
        let mut t = 0.0;
        for s in 0..10 {
            cum.push((s * 1000, t));
            t += 250.0;
        }
        for s in 110..115 {
            cum.push((s * 1000, t));
            t += 500.0;
        }
        let pct = cpu_pct(&cum, 5_000);
        assert_eq!(
            pct.iter().map(|p| p.1.round()).collect::<Vec<_>>(),
            [25.0, 25.0, 50.0]
        );
        // Buckets shorter than the sampling (a process seconds old): a point a reading.
        let pct = cpu_pct(&cum[..4], 50);
        assert_eq!(
            pct.iter().map(|p| p.1.round()).collect::<Vec<_>>(),
            [25.0, 25.0, 25.0]
        );
    }

    #[test]
    fn a_recorded_process_is_charted_from_the_history() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.db");
        let mut w = Store::open_writer(&db).unwrap();
        let samples: Vec<RawSample> = (0..60)
            .map(|i| RawSample {
                host: "web".into(),
                ts_ms: 1_000_000 + i * 1000,
                procs: vec![ProcRaw {
                    pid: 42,
                    start: 7,
                    name: "worker".into(),
                    cpu_ms: i as u64 * 100,
                    rss: 1 << 20,
                    ..Default::default()
                }],
                ..Default::default()
            })
            .collect();
        w.insert(&samples).unwrap();
        drop(w);
        let row = ProcRow {
            pid: 42,
            start: 7,
            name: "worker".into(),
            ..Default::default()
        };
        let d = ProcDetails::load(Some(&db), "web", &row, 1_060_000);
        assert!(
            !d.cpu.is_empty() && d.cpu.iter().all(|p| (p.1 - 10.0).abs() < 0.01),
            "{:?}",
            d.cpu
        );
        assert!(d.rss.iter().all(|p| p.1 == (1 << 20) as f64));
        let none = ProcDetails::load(None, "web", &row, 1_060_000);
        assert!(none.cpu.is_empty() && none.live.is_none());
    }
}
