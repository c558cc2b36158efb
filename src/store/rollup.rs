//! Rollup tiers: per series and time bucket, min, max, sum, count and last. Computed when a
//! block is packed (and on the fly for the head), merged at query time, so a bucket split
//! across two blocks adds up exactly. Per-process series are not rolled up.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::flatten::{flatten, is_counter, unflatten};
use super::frame;
use crate::model::RawSample;

/// Bucket widths of the tiers: 1 m, 5 m, 1 h, 1 d.
pub const TIERS_MS: [i64; 4] = [60_000, 300_000, 3_600_000, 86_400_000];

pub const ROLLUP_FORMAT: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agg {
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub count: f64,
    pub last: f64,
}

impl Agg {
    fn of(v: f64) -> Self {
        Self {
            min: v,
            max: v,
            sum: v,
            count: 1.0,
            last: v,
        }
    }
    /// Folds in an aggregate of a later stretch of the same bucket.
    fn merge(&mut self, later: &Agg) {
        self.min = self.min.min(later.min);
        self.max = self.max.max(later.max);
        self.sum += later.sum;
        self.count += later.count;
        self.last = later.last;
    }
}

/// Bucket start → series key → aggregate.
pub type Buckets = BTreeMap<i64, HashMap<String, Agg>>;

pub fn compute(samples: &[RawSample], tier_ms: i64) -> Buckets {
    let mut out = Buckets::new();
    for s in samples {
        let bucket = out
            .entry(s.ts_ms - s.ts_ms.rem_euclid(tier_ms))
            .or_default();
        for (k, v) in flatten(s) {
            if k.starts_with("proc") {
                continue;
            }
            bucket
                .entry(k)
                .and_modify(|a| a.merge(&Agg::of(v)))
                .or_insert_with(|| Agg::of(v));
        }
    }
    out
}

/// Adds `more` (later data) into `into`.
pub fn merge(into: &mut Buckets, more: Buckets) {
    for (ts, aggs) in more {
        let b = into.entry(ts).or_default();
        for (k, a) in aggs {
            b.entry(k).and_modify(|x| x.merge(&a)).or_insert(a);
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    n: u32,
    keys: Vec<String>,
}

/// Coarser buckets made from finer ones (exact: the aggregates merge).
pub fn coarsen(fine: &Buckets, tier_ms: i64) -> Buckets {
    let mut out = Buckets::new();
    for (ts, aggs) in fine {
        let b = out.entry(ts - ts.rem_euclid(tier_ms)).or_default();
        for (k, a) in aggs {
            b.entry(k.clone()).and_modify(|x| x.merge(a)).or_insert(*a);
        }
    }
    out
}

/// Columns: bucket starts, then min, max, sum, count and last, each one column over all keys
/// (key-major, NaN where a key is absent): few columns, so pco's per-column cost stays small.
pub fn encode(b: &Buckets) -> Result<Vec<u8>, String> {
    let mut keys: Vec<String> = b.values().flat_map(|m| m.keys().cloned()).collect();
    keys.sort();
    keys.dedup();
    let ts: Vec<i64> = b.keys().copied().collect();
    let mut parts = vec![frame::pack(&ts)?];
    let fields: [fn(&Agg) -> f64; 5] = [|a| a.min, |a| a.max, |a| a.sum, |a| a.count, |a| a.last];
    for f in fields {
        let col: Vec<f64> = keys
            .iter()
            .flat_map(|k| b.values().map(move |m| m.get(k).map_or(f64::NAN, f)))
            .collect();
        parts.push(frame::pack(&col)?);
    }
    frame::frame(
        &Header {
            n: ts.len() as u32,
            keys,
        },
        &parts,
    )
}

pub fn decode(data: &[u8]) -> Result<Buckets, String> {
    let (h, parts): (Header, _) = frame::unframe(data)?;
    if parts.len() != 6 {
        return Err("corrupt rollup".into());
    }
    let n = h.n as usize;
    let ts: Vec<i64> = frame::unpack(parts[0], n)?;
    let cells = n * h.keys.len();
    let c = |j: usize| frame::unpack::<f64>(parts[1 + j], cells);
    let (min, max, sum, count, last) = (c(0)?, c(1)?, c(2)?, c(3)?, c(4)?);
    let mut out: Buckets = ts.iter().map(|t| (*t, HashMap::new())).collect();
    for (i, k) in h.keys.iter().enumerate() {
        for (r, t) in ts.iter().enumerate() {
            let at = i * n + r;
            if count[at] > 0.0
                && let Some(b) = out.get_mut(t)
            {
                b.insert(
                    k.clone(),
                    Agg {
                        min: min[at],
                        max: max[at],
                        sum: sum[at],
                        count: count[at],
                        last: last[at],
                    },
                );
            }
        }
    }
    Ok(out)
}

/// One sample per bucket, for `derive()`: counters take the bucket's last value (so a rate
/// between buckets is the bucket's average rate), gauges the bucket's average.
pub fn to_samples(host: &str, buckets: &Buckets) -> Vec<RawSample> {
    buckets
        .iter()
        .map(|(ts, aggs)| {
            let values = aggs.iter().map(|(k, a)| {
                let v = if is_counter(k) {
                    a.last
                } else {
                    a.sum / a.count
                };
                (k.as_str(), v)
            });
            // Keys of a HashMap come in any order: unflatten fills by name, so that is fine.
            unflatten(host, *ts, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(n: i64) -> Vec<RawSample> {
        (0..n)
            .map(|i| RawSample {
                host: "h".into(),
                ts_ms: i * 1000,
                load: [i as f64, 0.0, 0.0],
                cpu_total: crate::model::CpuTicks {
                    user: i as u64 * 10,
                    ..Default::default()
                },
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn buckets_split_across_blocks_merge_exactly() {
        let all = samples(180);
        let whole = compute(&all, 60_000);
        let mut split = compute(&all[..90], 60_000);
        merge(&mut split, compute(&all[90..], 60_000));
        assert_eq!(whole, split);
        let b = &whole[&60_000]["load\u{1f}0"];
        assert_eq!((b.min, b.max, b.count, b.last), (60.0, 119.0, 60.0, 119.0));
        assert_eq!(decode(&encode(&whole).unwrap()).unwrap(), whole);
        assert_eq!(coarsen(&whole, 300_000), compute(&all, 300_000));
    }

    #[test]
    fn samples_from_buckets_average_gauges_and_keep_counter_ends() {
        let s = to_samples("h", &compute(&samples(120), 60_000));
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].load[0], 29.5);
        assert_eq!(s[1].cpu_total.user, 1190);
        assert!(decode(b"\x05\x00\x00\x00junk").is_err());
    }
}
