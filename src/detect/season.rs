//! Daily seasonality: the value a day ago is the forecast when the series repeats daily (its
//! correlation with a day ago, learned as it goes, over 0.5), and the change from a day ago
//! is scored against its usual size. The period comes from the samples' spacing; a series
//! sampled too finely or too coarsely for a day to fit in 8…4096 samples has none.

use super::stats::Ew;

const DAY_MS: f64 = 86_400_000.0;
/// Samples read before the spacing is trusted.
const SPACING_AFTER: u64 = 32;
/// Longest period kept (samples).
pub const MAX_PERIOD: usize = 4096;
/// Correlation with a day ago from which the series counts as daily.
const DAILY: f64 = 0.5;

#[derive(Debug, Clone, Default)]
pub struct Season {
    seen: u64,
    last_t: i64,
    spacing: Ew,
    /// The last period's values (empty until the period is known).
    ring: Vec<f32>,
    at: usize,
    /// Products for the correlation with a day ago: x·old, x², old².
    corr: [Ew; 3],
    /// Changes from a day ago.
    change: Ew,
}

/// What the seasonal model says of a sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Seasonal {
    pub z: f64,
    /// The value it expected, and its standard deviation.
    pub expected: f64,
    pub sd: f64,
}

impl Season {
    pub fn new() -> Self {
        Season {
            spacing: Ew::new(10.0),
            corr: [Ew::new(2000.0); 3],
            change: Ew::new(500.0),
            ..Default::default()
        }
    }

    /// Takes `x` at `t_ms` (`level`: the series' mean); Some when the series is daily.
    pub fn push(&mut self, t_ms: i64, x: f64, level: f64) -> Option<Seasonal> {
        if self.seen > 0 {
            self.spacing.push((t_ms - self.last_t) as f64);
        }
        self.seen += 1;
        self.last_t = t_ms;
        if self.ring.is_empty() {
            if self.seen == SPACING_AFTER && self.spacing.mean > 0.0 {
                let p = (DAY_MS / self.spacing.mean).round();
                if (8.0..=MAX_PERIOD as f64).contains(&p) {
                    self.ring = vec![f32::NAN; p as usize];
                }
            }
            return None;
        }
        let old = f64::from(self.ring[self.at]);
        self.ring[self.at] = x as f32;
        self.at = (self.at + 1) % self.ring.len();
        if old.is_nan() {
            return None;
        }
        let (a, b) = (x - level, old - level);
        self.corr[0].push(a * b);
        self.corr[1].push(a * a);
        self.corr[2].push(b * b);
        let r = self.corr[0].mean / (self.corr[1].mean * self.corr[2].mean).sqrt().max(1e-12);
        let change = x - old;
        let out = Seasonal {
            z: self.change.z(change),
            expected: old + self.change.mean,
            sd: self.change.sd(),
        };
        self.change.push(change);
        // A correlation over less than a day's samples is not trusted yet.
        let sure = self.corr[0].n >= self.ring.len() as u64;
        (sure && r > DAILY).then_some(out)
    }

    pub fn memory(&self) -> usize {
        self.ring.capacity() * std::mem::size_of::<f32>()
    }
}
