//! Anomaly detection: each series learned online, sample by sample, O(1) work and bounded
//! memory per sample, one default configuration (no per-series tuning). No terminal code.
//!
//! The ensemble: how far a value is from what its local level and trend forecast, in the
//! usual size of those errors (`local`), from the value a day ago where the series is daily
//! (`season`), and how new its recent shape is (`context`). The strongest of them is the
//! score; a score counts in full only when it tops what the series scored lately (the
//! memory of it fades over ~1,000 samples), so one event is reported at its start, not on
//! every sample it lasts. Each series also keeps forecasts (`forecast`).

mod context;
mod forecast;
mod local;
mod season;
mod stats;

use context::Contexts;
pub use forecast::Crossing;
use forecast::Forecaster;
use local::Local;
use season::Season;

/// Which detectors found a sample unusual (bits of `Verdict::why`).
pub const POINT: u8 = 1;
pub const SEASONAL: u8 = 2;
pub const CONTEXT: u8 = 4;

/// A detector finds a sample unusual from this score on (for `why`).
const UNUSUAL: f64 = 0.5;
/// z² over this: the score of a z-score, 1 − e^(−z²/SCALE) (z = 9 → 0.64, 15 → 0.94).
const SCALE: f64 = 80.0;
/// Samples the usual error size remembers.
const SPAN: f64 = 500.0;
/// How fast the memory of a high score fades, per sample.
const FADE: f64 = 0.999;
/// What a score not above that memory is worth.
const REPEAT: f64 = 0.1;

/// What the detector makes of one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// How unusual, 0 (normal) to 1, counted in full at the start of an event only.
    pub score: f64,
    /// How unusual, on every sample of an event.
    pub unusual: f64,
    /// The value expected, and the band normal values fall in (±3σ).
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// The detectors that found it unusual (`POINT`, `SEASONAL`, `CONTEXT`).
    pub why: u8,
}

#[derive(Debug, Clone)]
pub struct Detector {
    local: Local,
    season: Season,
    contexts: Contexts,
    forecaster: Forecaster,
    /// The fading memory of high scores.
    lately: f64,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            local: Local::new(SPAN),
            season: Season::new(),
            contexts: Contexts::default(),
            forecaster: Forecaster::default(),
            lately: 0.0,
        }
    }
}

fn of_z(z: f64) -> f64 {
    1.0 - (-z * z / SCALE).exp()
}

/// The detectors in `why`, by name.
pub fn reasons(why: u8) -> Vec<&'static str> {
    [(POINT, "level"), (SEASONAL, "daily"), (CONTEXT, "shape")]
        .iter()
        .filter(|(bit, _)| why & bit != 0)
        .map(|(_, name)| *name)
        .collect()
}

impl Detector {
    /// Takes the sample `x` at `t_ms` (times rising); what it makes of it. Non-finite values
    /// are not learned and score 0.
    pub fn update(&mut self, t_ms: i64, x: f64) -> Verdict {
        let (mut expected, mut sd) = self.local.expected();
        if !x.is_finite() {
            return Verdict {
                score: 0.0,
                unusual: 0.0,
                expected,
                low: expected - 3.0 * sd,
                high: expected + 3.0 * sd,
                why: 0,
            };
        }
        let point = of_z(self.local.push(x));
        let seasonal = self.season.push(t_ms, x);
        let daily = seasonal.map_or(0.0, |s| of_z(s.z));
        if let Some(s) = seasonal {
            (expected, sd) = (s.expected, s.sd);
        }
        let context = self.contexts.push(x);
        let spacing = self.season.spacing_ms();
        self.forecaster.push(x, spacing, self.season.daily());
        let why = [(point, POINT), (daily, SEASONAL), (context, CONTEXT)]
            .iter()
            .filter(|(s, _)| *s >= UNUSUAL)
            .fold(0, |w, (_, bit)| w | bit);
        let raw = point.max(daily).max(context);
        let score = if raw > self.lately { raw } else { raw * REPEAT };
        self.lately = (self.lately * FADE).max(raw);
        Verdict {
            score,
            unusual: raw,
            expected,
            low: expected - 3.0 * sd,
            high: expected + 3.0 * sd,
            why,
        }
    }

    /// The forecast `h` samples ahead and its standard deviation.
    pub fn forecast(&self, h: usize) -> (f64, f64) {
        self.forecaster.ahead(h.max(1), self.season.next_slot())
    }

    /// How far off forecasts have lately been (sMAPE, 0…2) and how far ahead (ms: an hour,
    /// or 32 samples when they are closer); None until known.
    pub fn forecast_error(&self) -> Option<(f64, i64)> {
        self.forecaster.error()
    }

    /// When the forecast reaches `threshold` (from below when `rising`) within `horizon_ms`;
    /// None if it does not, or while the spacing of samples is not known.
    pub fn crossing(&self, threshold: f64, rising: bool, horizon_ms: i64) -> Option<Crossing> {
        let spacing = self.season.spacing_ms()?;
        let steps = (horizon_ms as f64 / spacing).ceil().clamp(1.0, 100_000.0) as usize;
        let slot = self.season.next_slot();
        self.forecaster
            .crossing(threshold, rising, steps, spacing, slot)
    }

    /// Bytes this series costs.
    pub fn memory(&self) -> usize {
        std::mem::size_of::<Self>() + self.season.memory() + self.forecaster.memory()
    }
}

#[cfg(test)]
mod tests;
