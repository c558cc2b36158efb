use std::collections::{BTreeMap, VecDeque};

use crate::model::Snapshot;

pub type Ring = VecDeque<Option<f64>>;

/// The recent past of each charted metric, oldest first; `None` where a value is unknown.
/// Built the same way live (one push per sample) and in replay (from a window of snapshots).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    cap: usize,
    /// Each column's sample time.
    pub ts: VecDeque<i64>,
    pub cpu: Ring,
    pub cores: Vec<Ring>,
    pub mem: Ring,
    pub swap: Ring,
    pub load: Ring,
    /// Bytes/s over all interfaces but loopback.
    pub net_rx: Ring,
    pub net_tx: Ring,
    /// Bytes/s over all disks.
    pub disk_read: Ring,
    pub disk_write: Ring,
    /// Scraped series, a value per scrape (not per sample), the first `SERIES_CHARTED` by
    /// name (`name{label="value"}`); and when the last scrape pushed was taken.
    pub series: BTreeMap<String, Ring>,
    pub series_at: i64,
    /// The last scrape's series as `name{label="value"}` with their place in its snapshot,
    /// sorted: worked out once per scrape, not in every frame.
    pub series_names: Vec<(String, usize)>,
}

/// Scraped series charted per host: a ring each holds `cap` values.
pub const SERIES_CHARTED: usize = 500;

impl History {
    pub fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            ..Default::default()
        }
    }

    pub fn from_snapshots(cap: usize, snaps: &[Snapshot]) -> Self {
        let mut h = Self::new(cap);
        for s in snaps {
            h.push(s);
        }
        h
    }

    pub fn push(&mut self, s: &Snapshot) {
        let cap = self.cap;
        let put = |ring: &mut Ring, v: Option<f64>| {
            if ring.len() == cap {
                ring.pop_front();
            }
            ring.push_back(v);
        };
        if self.ts.len() == cap {
            self.ts.pop_front();
        }
        self.ts.push_back(s.ts_ms);
        put(&mut self.cpu, s.cpu.map(|c| c.busy()));
        if self.cores.len() != s.cores.len() {
            self.cores = vec![Ring::new(); s.cores.len()];
        }
        for (ring, v) in self.cores.iter_mut().zip(&s.cores) {
            put(ring, *v);
        }
        put(&mut self.mem, Some(s.mem.used_pct()));
        put(&mut self.swap, Some(s.mem.swap_pct()));
        put(&mut self.load, Some(s.load[0]));
        let nets = s.nets.iter().filter(|n| n.name != "lo");
        put(&mut self.net_rx, sum(nets.clone().map(|n| n.rx)));
        put(&mut self.net_tx, sum(nets.map(|n| n.tx)));
        put(&mut self.disk_read, sum(s.disks.iter().map(|d| d.read)));
        put(&mut self.disk_write, sum(s.disks.iter().map(|d| d.write)));
        if s.series_at != self.series_at {
            self.series_at = s.series_at;
            self.series_names = (s.series.iter().enumerate())
                .map(|(i, m)| (crate::detect::watch::series_name(m), i))
                .collect();
            self.series_names.sort();
            for (key, i) in &self.series_names {
                if !self.series.contains_key(key) && self.series.len() >= SERIES_CHARTED {
                    continue;
                }
                let ring = self.series.entry(key.clone()).or_default();
                put(ring, Some(s.series[*i].value));
            }
        }
    }
}

/// Sum of the known values; unknown if all are unknown.
fn sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}
