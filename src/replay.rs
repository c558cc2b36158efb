//! A cursor over recorded history: seek, step, follow. It yields snapshots made by the same
//! `derive()` as the live view, so replay shows exactly what live showed. No terminal code.

use crate::model::{Snapshot, derive};
use crate::store::{Store, StoreError};

pub struct ReplayCursor {
    store: Store,
    host: String,
    times: Vec<i64>,
    pos: usize,
    to: i64,
    window: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Empty(String),
}

impl ReplayCursor {
    /// Opens `host` (or the first recorded host) between `from` and `to` (ms), positioned on
    /// the first sample. `window`: samples of history each frame carries for the charts.
    pub fn open(
        store: Store,
        host: Option<&str>,
        from: Option<i64>,
        to: Option<i64>,
        window: usize,
    ) -> Result<Self, ReplayError> {
        let host = match host {
            Some(h) => h.to_string(),
            None => store.hosts()?.into_iter().next().ok_or_else(|| {
                ReplayError::Empty(format!(
                    "{}: no samples recorded yet",
                    store.path().display()
                ))
            })?,
        };
        let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
        let times = store.sample_times(&host, from, to)?;
        if times.is_empty() {
            return Err(ReplayError::Empty(format!(
                "{}: no samples of {host} in that time range",
                store.path().display()
            )));
        }
        Ok(Self {
            store,
            host,
            times,
            pos: 0,
            to,
            window: window.max(1),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }
    pub fn len(&self) -> usize {
        self.times.len()
    }
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn at_end(&self) -> bool {
        self.pos + 1 >= self.times.len()
    }
    pub fn ts(&self) -> i64 {
        self.times.get(self.pos).copied().unwrap_or(0)
    }
    pub fn first_ts(&self) -> i64 {
        self.times.first().copied().unwrap_or(0)
    }
    pub fn last_ts(&self) -> i64 {
        self.times.last().copied().unwrap_or(0)
    }

    /// Moves by `delta` samples, clamped to the recording.
    pub fn step(&mut self, delta: i64) {
        let max = self.times.len().saturating_sub(1) as i64;
        self.pos = (self.pos as i64 + delta).clamp(0, max) as usize;
    }

    pub fn seek_first(&mut self) {
        self.pos = 0;
    }

    pub fn seek_last(&mut self) {
        self.pos = self.times.len().saturating_sub(1);
    }

    /// Moves to the last sample at or before `ts` (the first one if `ts` is earlier).
    pub fn seek_time(&mut self, ts: i64) {
        self.pos = self.times.partition_point(|t| *t <= ts).saturating_sub(1);
    }

    /// Picks up samples recorded since the cursor was opened. Returns how many arrived.
    /// With `stick`, a cursor on the last sample moves on to the new last one.
    pub fn follow(&mut self, stick: bool) -> Result<usize, StoreError> {
        let Some(&last) = self.times.last() else {
            return Ok(0);
        };
        if last >= self.to {
            return Ok(0);
        }
        let was_at_end = stick && self.at_end();
        let new = self.store.sample_times(&self.host, last + 1, self.to)?;
        let n = new.len();
        self.times.extend(new);
        if was_at_end {
            self.seek_last();
        }
        Ok(n)
    }

    /// Snapshots for the current position: up to `window` of them, ending at the current
    /// sample (the last one is what is shown; the rest feed the charts).
    pub fn frame(&self) -> Result<Vec<Snapshot>, StoreError> {
        // One sample more than the window: the oldest is only the "previous" of the next.
        let first = self.pos.saturating_sub(self.window);
        let raw = self
            .store
            .samples(&self.host, self.times[first], self.ts())?;
        let mut out = Vec::with_capacity(raw.len());
        for (i, cur) in raw.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| &raw[p]);
            if i > 0 || first == 0 {
                out.push(derive(cur, prev));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawSample;

    fn store_with(n: i64) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut w = Store::open_writer(&path).unwrap();
        let samples: Vec<RawSample> = (0..n)
            .map(|i| RawSample {
                host: "h".into(),
                ts_ms: 1_000 * (i + 1),
                ..Default::default()
            })
            .collect();
        w.insert(&samples).unwrap();
        (dir, path)
    }

    #[test]
    fn step_seek_and_window() {
        let (_d, path) = store_with(10);
        let mut c =
            ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
        assert_eq!((c.host(), c.len(), c.ts()), ("h", 10, 1_000));
        assert_eq!(c.frame().unwrap().len(), 1);
        c.step(1);
        assert_eq!(c.ts(), 2_000);
        c.step(-5);
        assert_eq!(c.ts(), 1_000);
        c.seek_last();
        assert_eq!(c.ts(), 10_000);
        let f = c.frame().unwrap();
        assert_eq!(
            f.iter().map(|s| s.ts_ms).collect::<Vec<_>>(),
            [8_000, 9_000, 10_000]
        );
        assert!(f.iter().all(|s| s.dt_ms == Some(1_000)));
        c.seek_time(4_500);
        assert_eq!(c.ts(), 4_000);
        c.seek_time(0);
        assert_eq!(c.ts(), 1_000);
    }

    #[test]
    fn follows_new_samples_when_at_the_end() {
        let (_d, path) = store_with(3);
        let mut c =
            ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
        c.seek_last();
        let mut w = Store::open_writer(&path).unwrap();
        w.insert(&[RawSample {
            host: "h".into(),
            ts_ms: 4_000,
            ..Default::default()
        }])
        .unwrap();
        assert_eq!(c.follow(true).unwrap(), 1);
        assert_eq!(c.ts(), 4_000);
    }

    #[test]
    fn empty_range_is_a_clear_error() {
        let (_d, path) = store_with(3);
        let e = ReplayCursor::open(
            Store::open_reader(&path).unwrap(),
            None,
            Some(50_000),
            None,
            3,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("no samples of h"), "{e}");
    }
}
