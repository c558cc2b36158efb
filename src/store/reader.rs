use std::sync::Arc;

use rusqlite::params;

use super::block::{BLOCK_FORMAT, Block};
use super::rollup::{self, ROLLUP_FORMAT};
use super::texts::Texts;
use super::{Store, StoreError, codec};
use crate::model::RawSample;

/// A head row's time and its sample, or why it could not be read.
pub(super) type HeadRow = (i64, Result<RawSample, String>);

/// Decoded blocks kept by a reader: replay steps through one block for a long time, and a
/// chart window may straddle two.
const CACHED_BLOCKS: usize = 2;

pub(super) type BlockCache = Vec<((i64, i64), Arc<Vec<RawSample>>)>;

struct BlockRow {
    start: i64,
    fmt: i64,
    data: Vec<u8>,
}

impl Store {
    /// Hosts with recorded samples, by name.
    pub fn hosts(&self) -> Result<Vec<String>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare("SELECT name FROM hosts ORDER BY name")?;
            st.query_map([], |r| r.get(0))?.collect()
        })
    }

    fn host_id_of(&self, host: &str) -> Result<Option<i64>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached("SELECT id FROM hosts WHERE name = ?1")?;
            let mut rows = st.query_map([host], |r| r.get(0))?;
            rows.next().transpose()
        })
    }

    /// Blocks overlapping `[from, to]`, oldest first.
    fn blocks(&self, host_id: i64, from: i64, to: i64) -> Result<Vec<BlockRow>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT start_ms, fmt, data FROM blocks
                 WHERE host_id = ?1 AND end_ms >= ?2 AND start_ms <= ?3 ORDER BY start_ms",
            )?;
            st.query_map(params![host_id, from, to], |r| {
                Ok(BlockRow {
                    start: r.get(0)?,
                    fmt: r.get(1)?,
                    data: r.get(2)?,
                })
            })?
            .collect()
        })
    }

    /// The host's head rows in `[from, to]`, oldest first, at most `limit` (-1: all), each
    /// decoded or why it could not be.
    pub(super) fn head(
        &self,
        host_id: i64,
        host: &str,
        (from, to): (i64, i64),
        limit: i64,
    ) -> Result<Vec<HeadRow>, StoreError> {
        let rows: Vec<(i64, i64, Vec<u8>)> = self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT ts_ms, fmt, data FROM samples
                 WHERE host_id = ?1 AND ts_ms BETWEEN ?2 AND ?3 ORDER BY ts_ms LIMIT ?4",
            )?;
            st.query_map(params![host_id, from, to, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })?;
        let texts = if rows.iter().any(|r| r.1 >= 3) {
            self.sql(|c| Texts::load(c, host_id))?
        } else {
            Texts::default()
        };
        Ok(rows
            .into_iter()
            .map(|(ts, fmt, data)| (ts, codec::decode(fmt, &data, host, &texts)))
            .collect())
    }

    /// Something unreadable, skipped: logged, and kept (once, at most 1,000) for `skipped`.
    fn skip(&self, what: String) {
        tracing::warn!("skipping {what}");
        let mut all = self.skipped.borrow_mut();
        if all.len() < 1_000 && !all.contains(&what) {
            all.push(what);
        }
    }

    /// What reading has skipped as unreadable so far, each said once.
    pub fn skipped(&self) -> Vec<String> {
        self.skipped.borrow().clone()
    }

    /// Times (ms) of the host's samples in `[from, to]`, oldest first.
    pub fn sample_times(&self, host: &str, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
        let Some(id) = self.host_id_of(host)? else {
            return Ok(Vec::new());
        };
        let mut times = Vec::new();
        for b in self.blocks(id, from, to)? {
            match parse(host, &b).and_then(|blk| blk.times()) {
                Ok(ts) => times.extend(ts.into_iter().filter(|t| (from..=to).contains(t))),
                Err(e) => self.skip(format!("unreadable block of {host} at {}: {e}", b.start)),
            }
        }
        let head: Vec<i64> = self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT ts_ms FROM samples WHERE host_id = ?1 AND ts_ms BETWEEN ?2 AND ?3 ORDER BY ts_ms",
            )?;
            st.query_map(params![id, from, to], |r| r.get(0))?.collect()
        })?;
        times.extend(head);
        times.dedup();
        Ok(times)
    }

    /// The host's samples in `[from, to]`, oldest first. Unreadable rows and blocks are
    /// reported in the log and skipped; the rest are still returned.
    pub fn samples(&self, host: &str, from: i64, to: i64) -> Result<Vec<RawSample>, StoreError> {
        let Some(id) = self.host_id_of(host)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for b in self.blocks(id, from, to)? {
            match self.decoded(id, host, &b) {
                Ok(all) => out.extend(
                    all.iter()
                        .filter(|s| (from..=to).contains(&s.ts_ms))
                        .cloned(),
                ),
                Err(e) => self.skip(format!("unreadable block of {host} at {}: {e}", b.start)),
            }
        }
        for (ts, decoded) in self.head(id, host, (from, to), -1)? {
            match decoded {
                Ok(s) => out.push(s),
                Err(e) => self.skip(format!("unreadable sample of {host} at {ts}: {e}")),
            }
        }
        carry_series(&mut out);
        Ok(out)
    }

    /// One series of one host in `[from, to]` (a key of `flatten`), decoding only its column.
    pub fn series(
        &self,
        host: &str,
        key: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, f64)>, StoreError> {
        let Some(id) = self.host_id_of(host)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for b in self.blocks(id, from, to)? {
            match parse(host, &b).and_then(|blk| blk.series(key)) {
                Ok(v) => out.extend(v.into_iter().filter(|(t, _)| (from..=to).contains(t))),
                Err(e) => self.skip(format!("unreadable block of {host} at {}: {e}", b.start)),
            }
        }
        for (ts, decoded) in self.head(id, host, (from, to), -1)? {
            if let Ok(s) = decoded
                && let Some((_, v)) = super::flatten::flatten(&s)
                    .into_iter()
                    .find(|(k, _)| k == key)
            {
                out.push((ts, v));
            }
        }
        Ok(out)
    }

    /// One sample per bucket of the tier (`TIERS_MS`) in `[from, to]`: stored rollups, plus
    /// the head rolled up on the fly. Ready for `derive()`.
    pub fn rollup_samples(
        &self,
        host: &str,
        tier_ms: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<RawSample>, StoreError> {
        let Some(id) = self.host_id_of(host)? else {
            return Ok(Vec::new());
        };
        let rows: Vec<(i64, i64, Vec<u8>)> = self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT start_ms, fmt, data FROM rollups WHERE host_id = ?1 AND tier_ms = ?2
                 AND end_ms >= ?3 AND start_ms <= ?4 ORDER BY start_ms",
            )?;
            st.query_map(
                params![id, tier_ms, from.saturating_sub(tier_ms), to],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect()
        })?;
        let mut buckets = rollup::Buckets::new();
        for (start, fmt, data) in rows {
            let decoded = if fmt == ROLLUP_FORMAT {
                rollup::decode(&data)
            } else {
                Err(format!("unknown rollup format {fmt}"))
            };
            match decoded {
                Ok(b) => rollup::merge(&mut buckets, b),
                Err(e) => self.skip(format!("unreadable rollup of {host} at {start}: {e}")),
            }
        }
        let head: Vec<RawSample> = self
            .head(id, host, (from.saturating_sub(tier_ms), to), -1)?
            .into_iter()
            .filter_map(|(_, decoded)| decoded.ok())
            .collect();
        rollup::merge(&mut buckets, rollup::compute(&head, tier_ms));
        let lo = from.saturating_sub(from.rem_euclid(tier_ms));
        buckets.retain(|ts, _| (lo..=to).contains(ts));
        Ok(rollup::to_samples(host, &buckets))
    }

    /// A whole block decoded, through the cache.
    fn decoded(
        &self,
        host_id: i64,
        host: &str,
        b: &BlockRow,
    ) -> Result<Arc<Vec<RawSample>>, String> {
        let key = (host_id, b.start);
        let mut cache = self.block_cache.borrow_mut();
        if let Some((_, v)) = cache.iter().find(|(k, _)| *k == key) {
            return Ok(v.clone());
        }
        let all = Arc::new(parse(host, b)?.samples(host, i64::MIN, i64::MAX)?);
        if cache.len() >= CACHED_BLOCKS {
            cache.remove(0);
        }
        cache.push((key, all.clone()));
        Ok(all)
    }
}

fn parse<'a>(host: &str, b: &'a BlockRow) -> Result<Block<'a>, String> {
    if b.fmt != BLOCK_FORMAT {
        return Err(format!("unknown block format {} for {host}", b.fmt));
    }
    Block::parse(&b.data)
}

/// A scrape's series are recorded in the first sample that carried them: the samples after
/// it, until the next scrape, carry them again (shared, not copied).
fn carry_series(samples: &mut [RawSample]) {
    for i in 1..samples.len() {
        if samples[i].series.is_empty() && !samples[i - 1].series.is_empty() {
            samples[i].series = samples[i - 1].series.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::model::{RawSample, Series};
    use crate::store::Store;

    #[test]
    fn a_scrape_recorded_once_is_read_back_in_every_sample_after_it_blocks_and_head() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Store::open_writer(&dir.path().join("h.db")).unwrap();
        let scrape = |v: f64| {
            Arc::new(vec![Series {
                name: "queue_depth".into(),
                value: v,
                ..Default::default()
            }])
        };
        let samples: Vec<RawSample> = (0..10)
            .map(|i| RawSample {
                host: "h".into(),
                ts_ms: 1_000 * (i + 1),
                series: match i {
                    2 => scrape(1.0),
                    6 => scrape(2.0),
                    _ => Default::default(),
                },
                ..Default::default()
            })
            .collect();
        w.insert(&samples).unwrap();
        let read = |s: &Store| -> Vec<Option<f64>> {
            (s.samples("h", i64::MIN, i64::MAX).unwrap().iter())
                .map(|s| s.series.first().map(|x| x.value))
                .collect()
        };
        let want = [None, None, Some(1.0), Some(1.0), Some(1.0), Some(1.0)]
            .into_iter()
            .chain([Some(2.0); 4])
            .collect::<Vec<_>>();
        assert_eq!(read(&w), want);
        // The same once packed into a block.
        w.pack(4).unwrap();
        assert_eq!(read(&w), want);
    }
}
