//! A cursor over recorded history: seek, step, follow. It yields snapshots made by the same
//! `derive()` as the live view, so replay shows exactly what live showed. No terminal code.

use crate::alert::board::Board;
use crate::alert::inhibit::Inhibition;
use crate::alert::lifecycle::{Alert, EventKind};
use crate::alert::recorded::board_at;
use crate::alert::silence::Silence;
use crate::model::{RawSample, Snapshot, derive};
use crate::store::{Store, StoreError, TIERS_MS};
use crate::timeparse::Target;

/// Chart windows for zooming, narrowest first (5 m … 7 d).
pub const ZOOMS_MS: [i64; 7] = [
    300_000,
    900_000,
    3_600_000,
    21_600_000,
    86_400_000,
    259_200_000,
    604_800_000,
];

pub struct ReplayCursor {
    store: Store,
    host: String,
    times: Vec<i64>,
    pos: usize,
    from: i64,
    to: i64,
    window: usize,
    /// Chart window in ms; `None`: one column per sample.
    zoom: Option<i64>,
    /// The host's recorded alerts with their timelines, and every silence.
    alerts: Vec<Alert>,
    silences: Vec<Silence>,
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
        let mut cursor = Self {
            store,
            host,
            times,
            pos: 0,
            from,
            to,
            window: window.max(1),
            zoom: None,
            alerts: Vec::new(),
            silences: Vec::new(),
        };
        cursor.load_alerts()?;
        Ok(cursor)
    }

    fn load_alerts(&mut self) -> Result<(), StoreError> {
        let mut alerts = self.store.load_alerts()?;
        alerts.retain(|a| a.labels.get("host") == Some(&self.host));
        self.alerts = alerts;
        self.silences = self.store.load_silences(i64::MIN)?;
        Ok(())
    }

    /// The alert list as it was at the current sample.
    pub fn board(&self, inhibitions: &[Inhibition]) -> Board {
        board_at(&self.alerts, &self.silences, inhibitions, self.ts())
    }

    /// The log patterns as recorded at the current sample (None when none were recorded).
    pub fn log_board(&self) -> Option<crate::logs::patterns::LogBoard> {
        let saved = self.store.load_patterns().ok()?;
        if saved.is_empty() {
            return None;
        }
        let t = self.ts();
        let counts = self.store.pattern_counts_at(t).ok()?;
        let minutes = self.store.pattern_minutes(t - 3_600_000, t + 1).ok()?;
        Some(crate::logs::patterns::board_at(
            &saved, &counts, &minutes, t,
        ))
    }

    /// The anomalies as recorded up to the current sample (none if they cannot be read).
    pub fn anomaly_board(&self) -> crate::detect::AnomalyBoard {
        crate::detect::AnomalyBoard {
            anomalies: self.store.anomalies_at(self.ts(), 500).unwrap_or_default(),
            forecasts: Vec::new(),
        }
    }

    /// The recorded alerts, with their timelines.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The recording's file.
    pub fn db_path(&self) -> &std::path::Path {
        self.store.path()
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

    /// Moves where a typed jump lands: a span ("30s" back) on the sample nearest its time, so
    /// samples a few ms off their second do not land one early; a clock time ("19:20:30")
    /// on the first sample at or after it (the one the status bar shows as that second).
    pub fn seek(&mut self, target: Target) {
        let after = |ts: i64| self.times.partition_point(|t| *t < ts);
        let last = self.times.len().saturating_sub(1);
        self.pos = match target {
            Target::At(ts) => after(ts).min(last),
            Target::Near(ts) => {
                let i = after(ts);
                let gap = |j: usize| self.times.get(j).map_or(u64::MAX, |t| t.abs_diff(ts));
                match i.checked_sub(1) {
                    Some(before) if gap(before) <= gap(i) => before,
                    _ => i.min(last),
                }
            }
        };
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
        if n > 0 {
            self.load_alerts()?;
        }
        if was_at_end {
            self.seek_last();
        }
        Ok(n)
    }

    /// Moves to the next (or previous) marker: the sample where an alert went pending or
    /// fired, or the first sample after a gap in the recording (montui or the host restarted
    /// or was stopped). False when there is none that way.
    pub fn seek_marker(&mut self, forward: bool) -> bool {
        let limit = self.gap_threshold();
        let is_gap = |i: usize| i > 0 && self.times[i] - self.times[i - 1] > limit;
        let gap = if forward {
            (self.pos + 1..self.times.len()).find(|i| is_gap(*i))
        } else {
            (1..self.pos).rev().find(|i| is_gap(*i))
        };
        let alerts = self
            .alerts
            .iter()
            .flat_map(|a| &a.events)
            .filter(|e| matches!(e.kind, EventKind::Pending | EventKind::Firing))
            .map(|e| self.times.partition_point(|t| *t < e.at))
            .filter(|i| *i < self.times.len());
        let alert = if forward {
            alerts.filter(|i| *i > self.pos).min()
        } else {
            alerts.filter(|i| *i < self.pos).max()
        };
        let found = match (gap, alert) {
            (Some(g), Some(a)) if forward => Some(g.min(a)),
            (Some(g), Some(a)) => Some(g.max(a)),
            (g, a) => g.or(a),
        };
        if let Some(i) = found {
            self.pos = i;
        }
        found.is_some()
    }

    /// A step between samples longer than 2.5 times the usual one counts as a gap.
    fn gap_threshold(&self) -> i64 {
        let mut steps: Vec<i64> = self
            .times
            .windows(2)
            .take(1000)
            .map(|w| w[1] - w[0])
            .collect();
        steps.sort_unstable();
        steps.get(steps.len() / 2).map_or(i64::MAX, |m| m * 5 / 2)
    }

    /// Sets the chart window (`None`: one column per sample).
    pub fn set_zoom(&mut self, window_ms: Option<i64>) {
        self.zoom = window_ms;
    }

    /// Snapshots for the current position, oldest first, the current sample last: up to
    /// `window` of them for the charts. Zoomed out, each is a stride of raw samples or a
    /// rollup bucket, whichever fits the columns; both go through the same `derive()`.
    pub fn frame(&self) -> Result<Vec<Snapshot>, StoreError> {
        let Some(span) = self.zoom else {
            // One sample more than the window: the oldest is only the "previous" of the next.
            let first = self.pos.saturating_sub(self.window);
            let raw = self
                .store
                .samples(&self.host, self.times[first], self.ts())?;
            return Ok(derive_all(&raw, first > 0));
        };
        let (now, from) = (self.ts(), self.ts() - span);
        let in_window = self.pos - self.times.partition_point(|t| *t <= from).min(self.pos);
        let columns = self.window;
        if in_window <= columns * 4 {
            // The window is (from, now]: 5 minutes at 1 s are 300 samples, not 301.
            let raw = self.store.samples(&self.host, from + 1, now)?;
            let stride = raw.len().div_ceil(columns).max(1);
            // Every stride-th sample, counted back from the current one so it is included.
            let picked: Vec<RawSample> = raw.iter().rev().step_by(stride).rev().cloned().collect();
            return Ok(derive_all(&picked, false));
        }
        let tier = tier_for(span, columns);
        let buckets = self.store.rollup_samples(&self.host, tier, from, now)?;
        let mut snaps = derive_all(&buckets, false);
        // The last column is the current sample itself, at full resolution.
        let current =
            self.store
                .samples(&self.host, self.times[self.pos.saturating_sub(1)], now)?;
        snaps.extend(derive_all(&current, current.len() > 1).into_iter().last());
        Ok(snaps)
    }
}

/// The rollup tier for a chart of `columns` over `span_ms`: the finest whose buckets fit.
pub fn tier_for(span_ms: i64, columns: usize) -> i64 {
    TIERS_MS
        .into_iter()
        .find(|t| span_ms / t <= columns as i64)
        .unwrap_or(TIERS_MS[TIERS_MS.len() - 1])
}

/// Derives each sample against its predecessor; with `skip_first`, the first only serves as
/// a predecessor.
pub fn derive_all(raw: &[RawSample], skip_first: bool) -> Vec<Snapshot> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, cur) in raw.iter().enumerate() {
        if i == 0 && skip_first {
            continue;
        }
        out.push(derive(cur, i.checked_sub(1).map(|p| &raw[p])));
    }
    out
}

mod hosts;
pub use hosts::default_host;
pub mod prometheus;

#[cfg(test)]
mod tests;
