//! A host's resources over a period: for each series of the families a report shows, the
//! average, 95th percentile and maximum of the period's rollup buckets (each bucket's
//! average: a minute for a day, five for a week, an hour for a month), through the same
//! `derive()` as the live view, and the change of the average against the period before.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::watch::series_name;
use crate::model::metrics;
use crate::replay::derive_all;
use crate::store::{Store, StoreError};

/// The families a report shows.
pub const FAMILIES: [&str; 9] = [
    "cpu_busy_percent",
    "memory_used_percent",
    "swap_used_percent",
    "load1",
    "filesystem_used_percent",
    "disk_read_bytes_per_second",
    "disk_written_bytes_per_second",
    "network_receive_bytes_per_second",
    "network_transmit_bytes_per_second",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// `name{label="value",…}`.
    pub series: String,
    pub family: String,
    pub avg: f64,
    pub p95: f64,
    pub max: f64,
    /// The period before's average, and this one's less it.
    pub prev_avg: Option<f64>,
    pub change: Option<f64>,
}

/// Each series' buckets (start, value), by (family, series).
pub type Values = BTreeMap<(usize, String), Vec<(i64, f64)>>;

/// Each series' bucket values in `[from, to)` at `tier_ms`, and the share of the period's
/// buckets that have a sample.
pub fn values(
    store: &Store,
    host: &str,
    tier_ms: i64,
    from: i64,
    to: i64,
) -> Result<(Values, f64), StoreError> {
    // The bucket before the period is only the first rates' predecessor.
    let buckets = store.rollup_samples(host, tier_ms, from - tier_ms, to - 1)?;
    let skip = buckets.first().is_some_and(|b| b.ts_ms < from);
    let snaps = derive_all(&buckets, skip);
    let mut out = Values::new();
    for s in &snaps {
        for m in metrics(s) {
            if let Some(f) = FAMILIES.iter().position(|f| *f == m.name.as_ref())
                && m.value.is_finite()
            {
                let at = s.ts_ms;
                out.entry((f, series_name(&m)))
                    .or_default()
                    .push((at, m.value));
            }
        }
    }
    let total = ((to - from) / tier_ms).max(1) as f64;
    Ok((out, snaps.len() as f64 / total))
}

/// The series charted in an HTML report: CPU, memory and each file system.
pub fn charted(v: &Values) -> Vec<(String, Vec<(i64, f64)>)> {
    (v.iter())
        .filter(|((f, _), _)| {
            matches!(
                FAMILIES[*f],
                "cpu_busy_percent" | "memory_used_percent" | "filesystem_used_percent"
            )
        })
        .map(|((_, s), points)| (s.clone(), points.clone()))
        .collect()
}

/// The resources of `now`'s values against the `before` period's.
pub fn summarise(now: &Values, before: &Values) -> Vec<Resource> {
    (now.iter())
        .map(|((f, series), points)| {
            let mut v: Vec<f64> = points.iter().map(|p| p.1).collect();
            let avg = mean(&v);
            let prev_avg = before.get(&(*f, series.clone())).map(|b| {
                let v: Vec<f64> = b.iter().map(|p| p.1).collect();
                mean(&v)
            });
            v.sort_by(f64::total_cmp);
            Resource {
                family: FAMILIES[*f].to_string(),
                series: series.clone(),
                avg,
                p95: nearest_rank(&v, 0.95),
                max: v.last().copied().unwrap_or(f64::NAN),
                prev_avg,
                change: prev_avg.map(|p| avg - p),
            }
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `q` of
/// them at or below it.
pub fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 0.95), 95.0);
        assert_eq!(nearest_rank(&v[..20], 0.95), 19.0);
        assert_eq!(nearest_rank(&[7.0], 0.95), 7.0);
        assert!(nearest_rank(&[], 0.95).is_nan());
    }
}
