//! Seasonality at a period (a day, or a week): the value a period ago is the forecast when the
//! series repeats (its correlation with a period ago, both taken from the last period's mean,
//! learned as it goes, over 0.5), and the change from a period ago is scored against its usual
//! size. The period is kept in slots: one sample a slot when the period is up to 4096
//! samples (a day at 5 minutes, a week at 5 minutes), else `SLOTS` slots of several samples
//! each (their mean, lowest and highest: a day sampled every second is 720 slots of 2
//! minutes). A series sampled too coarsely for 8 samples a period has none. (Names say
//! "day": the daily one is the one forecasts use.)
//!
//! Whether or not the series repeats as a whole, a value it had about a period ago
//! (`nearest`) tells that a spike or a dip happens at this time of day: the nightly backup.

use super::stats::Ew;

pub const DAY_MS: f64 = 86_400_000.0;
pub const WEEK_MS: f64 = 7.0 * DAY_MS;
/// Samples read before the spacing is trusted.
const SPACING_AFTER: u64 = 32;
/// Longest period kept at one sample a slot (samples).
pub const MAX_PERIOD: usize = 4096;
/// Slots of a longer period (each takes several samples).
pub const SLOTS: usize = 720;
/// Correlation with a day ago from which the series counts as daily.
const DAILY: f64 = 0.5;
/// How far around "a period ago" a value may have been: 1/72 of the period (20 minutes a
/// day), 1…`NEAR` slots.
const NEAR: usize = 8;
/// Samples the usual change from a period ago remembers (at one sample a slot; slots of
/// several samples remember as long).
const CHANGE_SPAN: f64 = 500.0;

#[derive(Debug, Clone, Default)]
pub struct Season {
    period_ms: f64,
    seen: u64,
    last_t: i64,
    spacing: Ew,
    /// Samples a slot takes (0 until the period is known).
    stride: usize,
    /// The last period's slots, their means (empty until the period is known).
    ring: Vec<f32>,
    /// Their lowest and highest values, when a slot takes several samples (else its mean is
    /// both).
    bounds: Vec<[f32; 2]>,
    /// The slot being filled (it holds what it had a period ago until full).
    at: usize,
    /// What is in it so far.
    filling: Filling,
    /// The lowest and highest of the last `NEAR` slots that left the ring (a period and a
    /// little more ago).
    gone: [[f32; 2]; NEAR],
    gone_at: usize,
    /// For the correlation with a day ago, slot by slot (both from the last day's mean: a,
    /// b): a, b, a·b, a², b².
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

/// The mean of the last period, as a slot closes (`Season::period_mean`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodMean {
    pub mean: f64,
    /// Samples taken so far, and samples a period.
    pub seen: u64,
    pub period: u64,
}

/// The samples of the slot being filled.
#[derive(Debug, Clone, Copy, Default)]
struct Filling {
    n: usize,
    sum: f64,
    lo: f64,
    hi: f64,
}

impl Filling {
    fn add(&mut self, x: f64) {
        if self.n == 0 {
            (self.lo, self.hi) = (x, x);
        }
        self.n += 1;
        self.sum += x;
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
    }
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
    /// To the nearest value within a few slots of a period ago.
    pub nearest: f64,
    /// To the value exactly a period ago (the mean of its slot; 0 when there is none).
    pub exact: f64,
}

/// Where the next sample falls in the day's slots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    at: usize,
    /// Samples the slot already has.
    filled: usize,
    stride: usize,
}

impl Slot {
    /// The slot of the sample `h` ahead (1: the next one), not yet taken modulo the period.
    pub fn ahead(&self, h: usize) -> usize {
        self.at + (self.filled + h.max(1) - 1) / self.stride
    }
}

/// The last day of a daily series, by slot.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    pub values: &'a [f32],
    /// The last full slot.
    pub latest: usize,
    /// The slot of the last sample.
    pub now: usize,
    /// Samples a slot takes.
    pub stride: usize,
    /// The trend per slot.
    pub slope: f64,
}

impl Season {
    pub fn new(period_ms: f64) -> Self {
        Season {
            period_ms,
            spacing: Ew::new(10.0),
            corr: [Ew::new(2000.0); 5],
            change: Ew::new(CHANGE_SPAN),
            gone: [[f32::NAN; 2]; NEAR],
            ..Default::default()
        }
    }

    /// The lowest and highest value of slot `i`.
    fn bounds(&self, i: usize) -> [f32; 2] {
        self.bounds.get(i).copied().unwrap_or([self.ring[i]; 2])
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
        // Slot `at` is a period ago, the next k a little less; `gone` a little more.
        let later = (0..=k).map(|j| self.bounds((self.at + j) % p));
        let earlier = (1..=k).map(|j| self.gone[(self.gone_at + NEAR - j) % NEAR]);
        let nearest = later
            .chain(earlier)
            .filter(|[lo, _]| !lo.is_nan())
            .map(|[lo, hi]| (f64::from(lo) - x).max(x - f64::from(hi)).max(0.0))
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
                self.start(self.period_ms / self.spacing.mean);
            }
            return None;
        }
        let old = f64::from(self.ring[self.at]);
        self.filling.add(x);
        let out = (!old.is_nan()).then(|| {
            let change = x - old;
            let out = Seasonal {
                z: self.change.z(change),
                expected: old + self.change.mean,
                sd: self.change.sd(),
            };
            self.change.push(change);
            out
        });
        if self.filling.n == self.stride {
            self.close(old);
        }
        out.filter(|_| self.daily)
    }

    /// Sets the slots for a period of `samples`: none when under 8.
    fn start(&mut self, samples: f64) {
        if samples < 8.0 {
            return;
        }
        self.stride = if samples <= MAX_PERIOD as f64 {
            1
        } else {
            (samples / SLOTS as f64).ceil() as usize
        };
        let p = (samples / self.stride as f64).round() as usize;
        self.ring = vec![f32::NAN; p];
        if self.stride > 1 {
            self.bounds = vec![[f32::NAN; 2]; p];
        }
        self.change = Ew::new(CHANGE_SPAN * self.stride as f64);
    }

    /// The slot being filled is full (`old`: what it had a period ago).
    fn close(&mut self, old: f64) {
        let f = std::mem::take(&mut self.filling);
        // As the ring keeps it: the period's sum is then of the same values it drops again,
        // and does not drift (a flat series keeps a flat mean).
        let mean = f64::from((f.sum / f.n as f64) as f32);
        self.gone[self.gone_at] = self.bounds(self.at);
        self.gone_at = (self.gone_at + 1) % NEAR;
        self.ring[self.at] = mean as f32;
        if let Some(b) = self.bounds.get_mut(self.at) {
            *b = [f.lo as f32, f.hi as f32];
        }
        let p = self.ring.len();
        self.at = (self.at + 1) % p;
        if old.is_nan() {
            self.sum += mean;
            return;
        }
        // Against the last day's mean, so that a trend does not read as a daily pattern.
        let level = self.sum / p as f64;
        self.sum += mean - old;
        let (a, b) = (mean - level, old - level);
        for (e, v) in self.corr.iter_mut().zip([a, b, a * b, a * a, b * b]) {
            e.push(v);
        }
        // Centred, so that a steady trend (a and b apart by a constant) is not a pattern.
        let [ma, mb, ab, aa, bb] = self.corr.map(|e| e.mean);
        let spread = ((aa - ma * ma) * (bb - mb * mb)).max(0.0).sqrt().max(1e-12);
        let r = (ab - ma * mb) / spread;
        // A correlation over less than a day's slots is not trusted yet.
        let sure = self.corr[0].n >= p as u64;
        self.daily = sure && r > DAILY;
        self.was_daily |= self.daily;
    }

    /// Time between samples, once known.
    pub fn spacing_ms(&self) -> Option<f64> {
        (self.seen >= SPACING_AFTER && self.spacing.mean > 0.0).then_some(self.spacing.mean)
    }

    /// Once the series was found daily: the last day, by slot, and its trend per slot (the
    /// usual change from a day ago, spread over the day).
    pub fn daily(&self) -> Option<Day<'_>> {
        let p = self.ring.len();
        (self.was_daily && p > 0).then(|| {
            let latest = (self.at + p - 1) % p;
            Day {
                values: &self.ring,
                latest,
                now: if self.filling.n == 0 { latest } else { self.at },
                stride: self.stride,
                slope: self.change.mean / p as f64,
            }
        })
    }

    /// When the last sample closed a slot and a whole period is in: the period's mean (of its
    /// slots' means), whether or not the series repeats.
    pub fn period_mean(&self) -> Option<PeriodMean> {
        let p = self.ring.len();
        // A slot just closed when the next is empty; the period is whole once the slot a
        // period ago (the next to fill) has a value.
        let moved = p > 0 && self.filling.n == 0 && !self.ring[self.at].is_nan();
        moved.then(|| PeriodMean {
            mean: self.sum / p as f64,
            seen: self.seen,
            period: (p * self.stride) as u64,
        })
    }

    /// Once the series was found daily: where the next sample falls.
    pub fn next_slot(&self) -> Option<Slot> {
        self.was_daily.then_some(Slot {
            at: self.at,
            filled: self.filling.n,
            stride: self.stride,
        })
    }

    pub fn memory(&self) -> usize {
        self.ring.capacity() * std::mem::size_of::<f32>()
            + self.bounds.capacity() * std::mem::size_of::<[f32; 2]>()
    }
}
