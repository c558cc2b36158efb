//! Forecasts: a small bank of Holt models (level and trend smoothing settings side by side,
//! linear, damped and level-only trends; O(1) each per sample), with additive daily seasonality when the series is
//! daily. Each model's error is measured where it matters, an hour ahead (its forecasts are
//! kept until the value they aimed at comes); the model with the least recent relative error
//! speaks.
//! Crossing times come with a band from that measured error.

use super::season::{Day, Slot};
use super::stats::Ew;

/// One model of the bank.
#[derive(Debug, Clone, Copy)]
struct Spec {
    /// Smoothing of the level and of the trend.
    alpha: f64,
    beta: f64,
    /// Damping of the trend (1: linear; a damped trend levels off, Σφ^i ahead).
    phi: f64,
    /// With the daily indices (used once the series is known to be daily).
    daily: bool,
}

const fn spec(alpha: f64, beta: f64, phi: f64, daily: bool) -> Spec {
    Spec {
        alpha,
        beta,
        phi,
        daily,
    }
}

/// The last value, level-only models (a trend of 0 is the fully damped one) and linear ones,
/// each with and without the daily indices, and two damped-trend ones, side by side.
const MODELS: [Spec; 15] = [
    spec(1.0, 0.0, 1.0, false),
    spec(0.1, 0.0, 1.0, false),
    spec(0.5, 0.0, 1.0, false),
    spec(0.1, 0.01, 1.0, false),
    spec(0.1, 0.1, 1.0, false),
    spec(0.5, 0.01, 1.0, false),
    spec(0.5, 0.1, 1.0, false),
    spec(0.1, 0.0, 1.0, true),
    spec(0.5, 0.0, 1.0, true),
    spec(0.1, 0.01, 1.0, true),
    spec(0.1, 0.1, 1.0, true),
    spec(0.5, 0.01, 1.0, true),
    spec(0.5, 0.1, 1.0, true),
    spec(0.1, 0.1, 0.98, false),
    spec(0.5, 0.1, 0.98, false),
];

impl Spec {
    /// The trend's sum over `h` steps ahead, per unit of trend.
    fn steps(&self, h: f64) -> f64 {
        if self.phi >= 1.0 {
            h
        } else {
            self.phi * (1.0 - self.phi.powf(h)) / (1.0 - self.phi)
        }
    }
}
/// Longest lead the errors are measured at (samples).
const MAX_LEAD: usize = 32;
/// How far (in mean absolute errors at the lead) one value may move a model.
const CLIP: f64 = 3.0;
/// Smoothing of the seasonal indices.
const GAMMA: f64 = 0.05;
/// The band around a crossing time: ±1.645σ (90 %).
pub const BAND_Z: f64 = 1.645;

#[derive(Debug, Clone, Copy, Default)]
struct Holt {
    level: f64,
    trend: f64,
    /// Absolute errors at the lead (the band, and how far a value may move the model).
    err: Ew,
    /// Relative errors at the lead, |f − y| / (|f| + |y|) (the choice of model: scale-free).
    rel: Ew,
}

#[derive(Debug, Clone, Default)]
pub struct Forecaster {
    models: [Holt; MODELS.len()],
    n: u64,
    /// Samples in an hour (the lead errors are measured at), once the spacing is known.
    lead: usize,
    /// The lead in time (ms).
    lead_ms: f64,
    /// Each model's trend steps at the lead (`Spec::steps`).
    lead_steps: [f64; MODELS.len()],
    /// Each model's forecasts for `lead` samples ahead, by model, a ring each.
    pending: Vec<f32>,
    /// The oldest in each ring.
    oldest: usize,
    /// Daily indices by slot, when the series is daily.
    season: Vec<f32>,
}

/// When a forecast crosses a value: the likeliest time and a 90 % band (ms from now).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    pub in_ms: i64,
    pub earliest_ms: i64,
    /// None when the pessimistic forecast never crosses within the horizon.
    pub latest_ms: Option<i64>,
    /// How far off the forecast has lately been an hour ahead (sMAPE, 0…2).
    pub error: f64,
}

impl Forecaster {
    /// Sets the lead errors are measured at: `spacing_ms` between samples.
    fn set_lead(&mut self, spacing_ms: f64) {
        self.lead = ((3_600_000.0 / spacing_ms).round() as usize).clamp(1, MAX_LEAD);
        self.lead_ms = self.lead as f64 * spacing_ms;
        self.pending = vec![f32::NAN; self.lead * MODELS.len()];
        self.lead_steps = MODELS.map(|k| k.steps(self.lead as f64));
        for m in &mut self.models {
            m.err = Ew::new(200.0);
            m.rel = Ew::new(200.0);
        }
    }

    /// Takes `x`. `spacing_ms`: the series' spacing once known; `daily`: the last day (`now`
    /// is the slot of `x`), once the series is daily.
    pub fn push(&mut self, x: f64, spacing_ms: Option<f64>, daily: Option<Day>) {
        if self.lead == 0
            && let Some(s) = spacing_ms.filter(|s| *s > 0.0)
        {
            self.set_lead(s);
        }
        let s_now = match daily {
            Some(day) => {
                if self.season.len() != day.values.len() {
                    self.season = indices(&day);
                }
                Some((day.now, day.stride))
            }
            None => None,
        };
        let season_at = |season: &[f32], slot: Option<usize>| {
            slot.and_then(|s| season.get(s))
                .map_or(0.0, |v| f64::from(*v))
        };
        let s = season_at(&self.season, s_now.map(|(slot, _)| slot));
        if self.n == 0 {
            for m in &mut self.models {
                m.level = x;
            }
        }
        let lead = self.lead;
        for (i, (m, k)) in self.models.iter_mut().zip(&MODELS).enumerate() {
            let y = if k.daily { x - s } else { x };
            if self.n > 0 {
                // A value far off what the model expected (a spike) moves it no further
                // than CLIP errors.
                let expect = m.level + k.phi * m.trend;
                let room = CLIP * m.err.mean;
                let e = y - expect;
                let e = if m.err.n > 10 && room > 0.0 {
                    e.clamp(-room, room)
                } else {
                    e
                };
                let prev = m.level;
                m.level = expect + k.alpha * e;
                m.trend = k.beta * (m.level - prev) + (1.0 - k.beta) * k.phi * m.trend;
            }
            if lead > 0 {
                // The forecast made `lead` samples ago for now, against what came.
                let at = i * lead + self.oldest;
                let old = f64::from(self.pending[at]);
                if old.is_finite() {
                    let e = (old - y).abs();
                    m.err.push(e);
                    let size = old.abs() + y.abs();
                    m.rel.push(if size > 0.0 { e / size } else { 0.0 });
                }
                self.pending[at] = (m.level + m.trend * self.lead_steps[i]) as f32;
            }
        }
        if lead > 0 {
            self.oldest = (self.oldest + 1) % lead;
        }
        if let (Some((slot, stride)), false) = (s_now, self.season.is_empty()) {
            let (m, _) = self.best(|k| k.daily);
            let e = x - m.level - s;
            let room = CLIP * m.err.mean;
            let e = if m.err.n > 10 && room > 0.0 {
                e.clamp(-room, room)
            } else {
                e
            };
            // A slot of several samples learns from each of them: as much in all as one.
            self.season[slot] = (s + GAMMA / stride as f64 * e) as f32;
        }
        self.n += 1;
    }

    /// Of the models `keep` lets through, the one with the least error at the lead (the
    /// first until errors are in), with its spec.
    fn best(&self, keep: impl Fn(&Spec) -> bool) -> (&Holt, &Spec) {
        let mut them = self.models.iter().zip(&MODELS).filter(|(_, k)| keep(k));
        let first = them.next().unwrap_or((&self.models[0], &MODELS[0]));
        them.fold(first, |b, (m, k)| {
            if m.rel.n > 0 && (b.0.rel.n == 0 || m.rel.mean < b.0.rel.mean) {
                (m, k)
            } else {
                b
            }
        })
    }

    /// How far off the best model's forecasts have lately been (sMAPE, 0…2), and how far
    /// ahead (ms: an hour, or 32 samples when they are closer); None until measured.
    pub fn error(&self) -> Option<(f64, i64)> {
        let (m, _) = self.best(|_| true);
        (m.rel.n > 0).then_some((2.0 * m.rel.mean, self.lead_ms as i64))
    }

    /// The forecast `h` samples ahead (`slot_now`: the slot of the next sample, when
    /// daily), and its standard deviation. Beyond the lead errors are measured at, a daily
    /// series is forecast by its daily models (a local slope of the swing is not a trend).
    pub fn ahead(&self, h: usize, slot_now: Option<Slot>) -> (f64, f64) {
        let daily = h > self.lead && slot_now.is_some() && !self.season.is_empty();
        self.ahead_by(self.best(|k| k.daily || !daily), h, slot_now)
    }

    fn ahead_by(&self, (m, k): (&Holt, &Spec), h: usize, slot_now: Option<Slot>) -> (f64, f64) {
        let s = match (slot_now, self.season.len()) {
            (Some(slot), p) if p > 0 && k.daily => f64::from(self.season[slot.ahead(h) % p]),
            _ => 0.0,
        };
        let lead = self.lead.max(1) as f64;
        // Mean absolute error → standard deviation (normal errors).
        let sd = 1.2533 * m.err.mean * (h as f64 / lead).sqrt();
        (m.level + m.trend * k.steps(h as f64) + s, sd)
    }

    /// When the forecast at the current trend first reaches `threshold` (rising to it when `rising`, else falling
    /// to it) within `horizon` samples `spacing_ms` apart; None if it does not.
    pub fn crossing(
        &self,
        threshold: f64,
        rising: bool,
        horizon: usize,
        spacing_ms: f64,
        slot_now: Option<Slot>,
    ) -> Option<Crossing> {
        if self.n < 2 {
            return None;
        }
        let past = |v: f64| {
            if rising {
                v >= threshold
            } else {
                v <= threshold
            }
        };
        // At the current trend: the best of the models with one (of the daily ones when the
        // series is daily, so that a day's swing is not taken for the trend).
        let daily = slot_now.is_some() && !self.season.is_empty();
        let model = self.best(|k| k.beta > 0.0 && k.daily == daily);
        // No trend unless the models with one have forecast better than those without for a
        // while (a ramp of a sawtooth is not a trend).
        let flat = self.best(|k| k.beta == 0.0 && k.daily == daily);
        let judged = model.0.rel.n >= (4 * self.lead).max(32) as u64;
        if !judged || model.0.rel.mean >= flat.0.rel.mean {
            return None;
        }
        let (mut likely, mut early, mut late) = (None, None, None);
        for h in 1..=horizon {
            let (f, sd) = self.ahead_by(model, h, slot_now);
            let (hi, lo) = (f + BAND_Z * sd, f - BAND_Z * sd);
            let (optimist, pessimist) = if rising { (hi, lo) } else { (lo, hi) };
            early = early.or(past(optimist).then_some(h));
            likely = likely.or(past(f).then_some(h));
            late = late.or(past(pessimist).then_some(h));
            if late.is_some() {
                break;
            }
        }
        let ms = |h: usize| (h as f64 * spacing_ms) as i64;
        Some(Crossing {
            in_ms: ms(likely?),
            earliest_ms: ms(early.unwrap_or(1)),
            latest_ms: late.map(ms),
            error: 2.0 * model.0.rel.mean,
        })
    }

    pub fn memory(&self) -> usize {
        (self.pending.capacity() + self.season.capacity()) * std::mem::size_of::<f32>()
    }
}

/// Daily indices from the last day's values: each value's distance from the day's mean and
/// trend.
fn indices(day: &Day) -> Vec<f32> {
    let p = day.values.len();
    let mean = day.values.iter().map(|v| f64::from(*v)).sum::<f64>() / p as f64;
    (0..p)
        .map(|s| {
            let age = (s + p - day.latest - 1) % p; // 0: the oldest
            let line = mean + day.slope * (age as f64 - (p as f64 - 1.0) / 2.0);
            (f64::from(day.values[s]) - line) as f32
        })
        .collect()
}
