//! Seasonality at a period (a day, or a week): the value a period ago is the forecast when the
//! series repeats (its correlation with a period ago, both taken from the last period's mean,
//! learned as it goes, over 0.5), and the change from a period ago is scored against its usual
//! size. The period in samples comes from the samples' spacing; a series sampled too finely or
//! too coarsely for the period to fit in 8…4096 samples has none. (Names say "day": the
//! daily one is the one forecasts use.)
//!
//! Whether or not the series repeats as a whole, a value it had about a period ago
//! (`nearest`) tells that a spike or a dip happens at this time of day: the nightly backup.

use super::stats::Ew;

pub const DAY_MS: f64 = 86_400_000.0;
pub const WEEK_MS: f64 = 7.0 * DAY_MS;
/// Samples read before the spacing is trusted.
const SPACING_AFTER: u64 = 32;
/// Longest period kept (samples).
pub const MAX_PERIOD: usize = 4096;
/// Correlation with a day ago from which the series counts as daily.
const DAILY: f64 = 0.5;
/// How far around "a period ago" a value may have been: 1/72 of the period (20 minutes a
/// day), 1…`NEAR` samples.
const NEAR: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct Season {
    period_ms: f64,
    seen: u64,
    last_t: i64,
    spacing: Ew,
    /// The last period's values (empty until the period is known).
    ring: Vec<f32>,
    at: usize,
    /// The last `NEAR` values that left the ring (a period and a few samples ago).
    gone: [f32; NEAR],
    gone_at: usize,
    /// For the correlation with a day ago (both from the last day's mean: a, b): a, b, a·b,
    /// a², b².
    corr: [Ew; 5],
    /// Changes from a day ago.
    change: Ew,
    /// Sum of the ring's values (its mean is the day's level).
    sum: f64,
    /// The series is daily (as of the last sample).
    daily: bool,
    /// It was found daily once (forecasts keep their daily indices from then on).
    was_daily: bool,
}

/// What the seasonal model says of a sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Seasonal {
    pub z: f64,
    /// The value it expected, and its standard deviation.
    pub expected: f64,
    pub sd: f64,
}

/// How near a value is to what the series had about a period ago (`Season::nearest`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    /// To the nearest value within a few samples of a period ago.
    pub nearest: f64,
    /// To the value exactly a period ago (0 when there is none).
    pub exact: f64,
}

/// The last day of a daily series, by slot.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    pub values: &'a [f32],
    /// The slot of the last sample.
    pub latest: usize,
    /// The trend per sample.
    pub slope: f64,
}

impl Season {
    pub fn new(period_ms: f64) -> Self {
        Season {
            period_ms,
            spacing: Ew::new(10.0),
            corr: [Ew::new(2000.0); 5],
            change: Ew::new(500.0),
            gone: [f32::NAN; NEAR],
            ..Default::default()
        }
    }

    /// How close `x` (the next sample) is to the nearest value the series had about a period
    /// ago (within 1/72 of the period either side), and to the value exactly a period ago;
    /// None while there is none.
    pub fn nearest(&self, x: f64) -> Option<Near> {
        let p = self.ring.len();
        if p == 0 {
            return None;
        }
        let k = (p / 72).clamp(1, NEAR);
        // ring[at] is a period ago, the next k a little less; `gone` a little more.
        let later = (0..=k).map(|j| self.ring[(self.at + j) % p]);
        let earlier = (1..=k).map(|j| self.gone[(self.gone_at + NEAR - j) % NEAR]);
        let nearest = later
            .chain(earlier)
            .filter(|v| !v.is_nan())
            .map(|v| (x - f64::from(v)).abs())
            .reduce(f64::min)?;
        let exact = (x - f64::from(self.ring[self.at])).abs();
        Some(Near {
            nearest,
            exact: if exact.is_nan() { 0.0 } else { exact },
        })
    }

    /// Takes `x` at `t_ms`; Some when the series is daily.
    pub fn push(&mut self, t_ms: i64, x: f64) -> Option<Seasonal> {
        if self.seen > 0 {
            self.spacing.push((t_ms - self.last_t) as f64);
        }
        self.seen += 1;
        self.last_t = t_ms;
        if self.ring.is_empty() {
            if self.seen == SPACING_AFTER && self.spacing.mean > 0.0 {
                let p = (self.period_ms / self.spacing.mean).round();
                if (8.0..=MAX_PERIOD as f64).contains(&p) {
                    self.ring = vec![f32::NAN; p as usize];
                }
            }
            return None;
        }
        let old = f64::from(self.ring[self.at]);
        self.gone[self.gone_at] = old as f32;
        self.gone_at = (self.gone_at + 1) % NEAR;
        self.ring[self.at] = x as f32;
        self.at = (self.at + 1) % self.ring.len();
        if old.is_nan() {
            self.sum += x;
            return None;
        }
        // Against the last day's mean, so that a trend does not read as a daily pattern.
        let level = self.sum / self.ring.len() as f64;
        self.sum += x - old;
        let (a, b) = (x - level, old - level);
        for (e, v) in self.corr.iter_mut().zip([a, b, a * b, a * a, b * b]) {
            e.push(v);
        }
        // Centred, so that a steady trend (a and b apart by a constant) is not a pattern.
        let [ma, mb, ab, aa, bb] = self.corr.map(|e| e.mean);
        let spread = ((aa - ma * ma) * (bb - mb * mb)).max(0.0).sqrt().max(1e-12);
        let r = (ab - ma * mb) / spread;
        let change = x - old;
        let out = Seasonal {
            z: self.change.z(change),
            expected: old + self.change.mean,
            sd: self.change.sd(),
        };
        self.change.push(change);
        // A correlation over less than a day's samples is not trusted yet.
        let sure = self.corr[0].n >= self.ring.len() as u64;
        self.daily = sure && r > DAILY;
        self.was_daily |= self.daily;
        self.daily.then_some(out)
    }

    /// Time between samples, once known.
    pub fn spacing_ms(&self) -> Option<f64> {
        (self.seen >= SPACING_AFTER && self.spacing.mean > 0.0).then_some(self.spacing.mean)
    }

    /// Once the series was found daily: the last day, the slot of its last sample and its
    /// trend per sample (the usual change from a day ago, spread over the day).
    pub fn daily(&self) -> Option<Day<'_>> {
        let p = self.ring.len();
        (self.was_daily && p > 0).then(|| Day {
            values: &self.ring,
            latest: (self.at + p - 1) % p,
            slope: self.change.mean / p as f64,
        })
    }

    /// Once the series was found daily: the slot of the next sample.
    pub fn next_slot(&self) -> Option<usize> {
        self.was_daily.then_some(self.at)
    }

    pub fn memory(&self) -> usize {
        self.ring.capacity() * std::mem::size_of::<f32>()
    }
}
