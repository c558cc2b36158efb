//! Anomaly detection: each series learned online, sample by sample, O(1) work and bounded
//! memory per sample, one default configuration (no per-series tuning). No terminal code.
//!
//! The ensemble: how far a value is from what its local level and trend forecast, in the
//! usual size of those errors (`local`), from the value a day ago where the series is daily
//! (`season`), and how new its recent shape is (`context`). The strongest of them is the
//! score; a score counts in full only when it tops what the series scored lately (the
//! memory of it fades over ~1,000 samples, ten times as fast once the series has been calm
//! for 200), so one event is reported at its start, not on every sample it lasts, and a
//! second one like it hours later is reported again. What the series did at about this time a day and a week ago
//! tempers the members (`Detector::temper`): a spike the series has every night is its
//! habit, not news; a value inside the range the series has shown counts less than one
//! beyond it (`range`), and only once it has lasted a few samples and is not a level the
//! series reached on more than a week of days (`lasting`). A day whose
//! mean is beyond any day's before is news too, the more so the longer the series went
//! without such a record (`record`). Each series also keeps forecasts (`forecast`).
//!
//! Scores mean surprise per unit of time (`per_time`): a series sampled faster than every 5
//! minutes needs more per sample for the same score, and its shapes are read from its
//! 5-minute means, so a quiet one-second series crosses a line no more often per hour than a
//! five-minute one; the line NAB's standard profile wants is the line the pane uses.

mod chart;
mod context;
mod days;
mod forecast;
pub mod iforest;
mod lasting;
mod local;
mod range;
mod record;
mod season;
mod stats;
pub mod synthetic;
pub mod watch;
mod window;

use chart::Chart;
use context::Contexts;
use forecast::Forecaster;
pub use forecast::{BAND_Z, Crossing};
use lasting::Lasting;
use local::Local;
use range::Range;
use record::Record;
use season::{DAY_MS, Near, Season, WEEK_MS};
pub use watch::{Anomaly, AnomalyBoard, ForecastRow, Tuning, Watch, WatchSettings};
use window::Window;

/// Which detectors found a sample unusual (bits of `Verdict::why`).
pub const POINT: u16 = 1;
pub const SEASONAL: u16 = 2;
pub const CONTEXT: u16 = 4;
pub const WEEKLY: u16 = 8;
pub const ROBUST: u16 = 32;
pub const SHIFT: u16 = 64;
pub const EWMA: u16 = 128;
pub const MOVING: u16 = 256;
/// Set by a host's isolation forest (`watch`), not by a series' own detector.
pub const FOREST: u16 = 512;
/// The mean of the last day beyond any day's before (`record`).
pub const DAY_MEAN: u16 = 1024;

/// Each detector's bit and name, as `reasons` gives them.
const NAMES: [(u16, &str); 10] = [
    (POINT, "level"),
    (SEASONAL, "daily"),
    (CONTEXT, "shape"),
    (WEEKLY, "weekly"),
    (ROBUST, "median/MAD"),
    (SHIFT, "level shift"),
    (EWMA, "EWMA"),
    (MOVING, "moving average"),
    (FOREST, "host mix"),
    (DAY_MEAN, "daily mean"),
];

/// Members whose z's are calibrated (`Usual`), last in `members`, the EWMA chart first.
const CALIBRATED: usize = 4;

/// A member's usual z: short windows give heavy-tailed z's (a z of 5 is common on 32
/// values), so their z's are taken in units of their own root mean square, learned from
/// the stream (one value counts at most 10 of those units in it).
#[derive(Debug, Clone, Copy)]
struct Usual(stats::Ew);

impl Default for Usual {
    fn default() -> Self {
        Usual(stats::Ew::new(1000.0))
    }
}

impl Usual {
    fn calibrate(&mut self, z: f64) -> f64 {
        let rms = self.0.mean.sqrt();
        let out = if self.0.n > 50 && rms > 0.0 {
            z / rms
        } else {
            0.0
        };
        self.0.push(z.min(10.0 * rms.max(1.0)).powi(2));
        out
    }
}

/// A detector finds a sample unusual from this score on (for `why`).
const UNUSUAL: f64 = 0.5;
/// Samples a series learns before its scores count (2 minutes at 1 s): until then every value
/// is new to it, and a fresh start would list whatever the machine happens to do.
const LEARN: u64 = 120;
/// z² over this: the score of a z-score, 1 − e^(−z²/SCALE) (z = 9 → 0.64, 15 → 0.94).
const SCALE: f64 = 80.0;
/// Samples the usual error size remembers.
const SPAN: f64 = 500.0;
/// How fast the memory of a high score fades, per sample.
const FADE: f64 = 0.999;
/// The sampling interval scores are read at: a series sampled faster needs more surprise
/// per sample for the same score, so that noise crosses a line as often per hour as it does
/// at this interval (5 minutes: NAB's, and a common scrape interval).
const REFERENCE_MS: f64 = 300_000.0;
/// A series is calm while its samples score under `CALM` before the memory; after
/// `CALM_FOR` calm samples (a fifth of what the memory remembers) the event it remembers
/// has ended and the memory fades ten times as fast (`CALM_FADE`): a second event like the
/// first, hours later, is news again, not the first one's tail.
const CALM: f64 = 0.05;
const CALM_FOR: u32 = 200;
const CALM_FADE: f64 = 0.99;
/// What a score not above that memory is worth.
const REPEAT: f64 = 0.1;
/// Member scores under this are left as they are (tempering only lowers a score, and the
/// window median it needs is the costliest step of a sample).
const WORTH_TEMPERING: f64 = 0.1;
/// A value counts as the series' habit when it was this near (in parts of how far it is off
/// what a member expected) to a value the series had about a day or a week ago.
const HABIT: f64 = 0.25;

/// What the detector makes of one sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Verdict {
    /// How unusual, 0 (normal) to 1, counted in full at the start of an event only.
    pub score: f64,
    /// How unusual, on every sample of an event.
    pub unusual: f64,
    /// The value expected, and the band normal values fall in (±3σ).
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// The detectors that found it unusual (`POINT`, `SEASONAL`, …).
    pub why: u16,
    /// When the score is that of a burst counted once it had lasted: when it started.
    pub since_ms: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Detector {
    local: Local,
    season: Season,
    weekly: Season,
    contexts: Contexts,
    /// The samples the contexts have not seen yet: a series sampled faster than every
    /// `REFERENCE_MS` shows them its means over that long (a shape of three one-second
    /// samples is noise, not a shape).
    pending: (f64, usize),
    window: Window,
    chart: Chart,
    /// Each window and chart member's usual z (their z's are taken in units of it).
    usual: [Usual; CALIBRATED],
    forecaster: Forecaster,
    /// Whether the forecaster learns (off: the ensemble alone, for its throughput).
    forecasts: bool,
    /// Members left out (bits as in `Verdict::why`): a metric's own tuning.
    off: u16,
    /// The range the series has shown (scores inside it count less).
    range: Range,
    /// A burst inside the range, held until it has lasted.
    lasting: Lasting,
    /// The highest and lowest daily mean.
    record: Record,
    /// The fading memory of high scores.
    lately: f64,
    /// Calm samples in a row.
    calm: u32,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            local: Local::new(SPAN),
            season: Season::new(DAY_MS),
            weekly: Season::new(WEEK_MS),
            contexts: Contexts::default(),
            pending: (0.0, 0),
            window: Window::default(),
            chart: Chart::default(),
            usual: [Usual::default(); CALIBRATED],
            forecaster: Forecaster::default(),
            forecasts: true,
            off: 0,
            range: Range::default(),
            lasting: Lasting::default(),
            record: Record::default(),
            lately: 0.0,
            calm: 0,
        }
    }
}

/// The members' scores as one: the strongest of the model-based members (level, daily,
/// shape, weekly) and of the EWMA chart, or what the calibrated members (the EWMA chart and
/// the window members) say together, their mean: one window member alone is noisy on a
/// short window, several agreeing are not.
fn combine(members: &[(f64, u16)]) -> f64 {
    let (own, calibrated) = members.split_at(members.len() - CALIBRATED);
    let together = calibrated.iter().map(|m| m.0).sum::<f64>() / CALIBRATED as f64;
    own.iter()
        .chain(&calibrated[..1])
        .map(|m| m.0)
        .fold(together, f64::max)
}

fn of_z(z: f64) -> f64 {
    1.0 - (-z * z / SCALE).exp()
}

/// Scores of a series sampled every `spacing_ms` as surprise per unit of time. A score is
/// that of a z (`of_z`); noise passes z with a chance of about e^(−z²/2) a sample, so
/// k = `REFERENCE_MS`/spacing times as many samples pass it k times as often: taking 2·ln k
/// off z² keeps the rate per hour. In scores that is 1 − s growing k^(2/SCALE) times (at 1 s,
/// a z of 5.1 scores what 3.8 does at 5 minutes). Series sampled slower are left as they are.
fn per_time(spacing_ms: Option<f64>) -> impl Fn(f64) -> f64 {
    let k = spacing_ms.map_or(1.0, |s| (REFERENCE_MS / s).max(1.0));
    let grow = k.powf(2.0 / SCALE);
    move |s| (1.0 - (1.0 - s) * grow).max(0.0)
}

/// A detector's bit by its name (as `reasons` gives it).
pub fn member(name: &str) -> Option<u16> {
    NAMES.iter().find(|(_, n)| *n == name).map(|(bit, _)| *bit)
}

/// Every detector's name.
pub fn member_names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|(_, n)| *n)
}

/// The detectors in `why`, by name.
pub fn reasons(why: u16) -> Vec<&'static str> {
    NAMES
        .iter()
        .filter(|(bit, _)| why & bit != 0)
        .map(|(_, name)| *name)
        .collect()
}

impl Detector {
    /// The default detector without the members in `off` (bits as in `Verdict::why`).
    pub fn without(off: u16) -> Self {
        Detector {
            off,
            ..Default::default()
        }
    }

    /// The anomaly ensemble without forecasts (they stay empty).
    pub fn ensemble_only() -> Self {
        Detector {
            forecasts: false,
            ..Default::default()
        }
    }

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
                since_ms: None,
            };
        }
        let near = [self.season.nearest(x), self.weekly.nearest(x)];
        let point = of_z(self.local.push(x));
        let seasonal = self.season.push(t_ms, x);
        let daily = seasonal.map_or(0.0, |s| of_z(s.z));
        if let Some(s) = seasonal {
            (expected, sd) = (s.expected, s.sd);
        }
        let weekly = self.weekly.push(t_ms, x).map_or(0.0, |s| of_z(s.z));
        let record = match self.season.period_mean() {
            Some(m) if self.off & DAY_MEAN == 0 => self.record.push(m.mean, m.seen, m.period),
            _ => 0.0,
        };
        let context = self.shape(x);
        let w = self.window.push(x);
        let c = self.chart.push(x);
        let spacing = self.season.spacing_ms();
        if self.forecasts {
            self.forecaster.push(x, spacing, self.season.daily());
        }
        let mut cal = [w.robust, w.shift, c.ewma, c.moving];
        for (z, usual) in cal.iter_mut().zip(&mut self.usual) {
            *z = usual.calibrate(*z);
        }
        let mut members = [
            (point, POINT),
            (daily, SEASONAL),
            (context, CONTEXT),
            (weekly, WEEKLY),
            (of_z(cal[2]), EWMA),
            (of_z(cal[0]), ROBUST),
            (of_z(cal[1]), SHIFT),
            (of_z(cal[3]), MOVING),
        ];
        for (score, bit) in &mut members {
            if self.off & *bit != 0 {
                *score = 0.0;
            }
        }
        if members.iter().any(|m| m.0 > WORTH_TEMPERING) {
            self.temper(x, near, &mut members);
        }
        let why = members
            .iter()
            .chain([&(record, DAY_MEAN)])
            .filter(|(s, _)| *s >= UNUSUAL)
            .fold(0, |w, (_, bit)| w | bit);
        let seasonal = members
            .iter()
            .filter(|m| m.1 & (SEASONAL | WEEKLY) != 0)
            .map(|m| m.0)
            .fold(0.0, f64::max);
        let (raw, full) = self.range.weigh(x, combine(&members), seasonal);
        let learning = self.range.seen() <= LEARN;
        let mut score = raw * REPEAT;
        if raw > self.lately && !learning {
            // Beyond the range, or a break in the daily or weekly pattern: at once; else
            // once it has lasted.
            match self.window.level() {
                Some(level) if !full && seasonal < raw => self.lasting.hold(raw, x, level, t_ms),
                _ => score = raw,
            }
        }
        let mut since_ms = None;
        if let Some((lasted, started_ms)) = self.lasting.push(t_ms, self.window.recent_mean())
            && lasted > score
        {
            (score, since_ms) = (lasted, Some(started_ms));
        }
        self.calm = if raw < CALM { self.calm + 1 } else { 0 };
        let fade = if self.calm >= CALM_FOR {
            CALM_FADE
        } else {
            FADE
        };
        self.lately = (self.lately * fade).max(raw);
        // A day beyond any before: news whatever the samples' scores.
        if record > score {
            (score, since_ms) = (record, None);
        }
        let counts = f64::from(u8::from(!learning));
        let per_time = per_time(self.season.spacing_ms());
        Verdict {
            score: per_time(score) * counts,
            unusual: per_time(raw.max(record)) * counts,
            expected,
            low: expected - 3.0 * sd,
            high: expected + 3.0 * sd,
            why,
            since_ms,
        }
    }

    /// The contexts member on `x`: a score once a reference interval's samples are in.
    fn shape(&mut self, x: f64) -> f64 {
        let every = self
            .season
            .spacing_ms()
            .map_or(1.0, |s| (REFERENCE_MS / s).round());
        self.pending = (self.pending.0 + x, self.pending.1 + 1);
        if (self.pending.1 as f64) < every {
            return 0.0;
        }
        let (sum, n) = std::mem::take(&mut self.pending);
        self.contexts.push(sum / n as f64)
    }

    /// Tempers the members by what the series did about a day and a week ago (`near`): a
    /// spike (or a dip) about as far off as one within a few samples of this time yesterday
    /// or last week is the series' habit (the nightly backup), even where the series as a
    /// whole does not repeat. The seasons are judged against the value exactly a period
    /// ago: the weekly on its own period, the daily on either (Monday noon, far above Sunday
    /// noon, is the week's habit when last Monday was as busy); the others on either period
    /// against the value's level.
    fn temper(&self, x: f64, near: [Option<Near>; 2], members: &mut [(f64, u16)]) {
        let news = |n: Option<Near>, off: f64| match n {
            Some(n) if off > 0.0 => (n.nearest / (HABIT * off)).min(1.0),
            _ => 1.0,
        };
        let off = self.window.level().map_or(0.0, |level| (x - level).abs());
        let local = news(near[0], off).min(news(near[1], off));
        for (score, bit) in members {
            *score *= match *bit {
                SEASONAL => {
                    let off = near[0].map_or(0.0, |n| n.exact);
                    news(near[0], off).min(news(near[1], off))
                }
                WEEKLY => news(near[1], near[1].map_or(0.0, |n| n.exact)),
                _ => local,
            };
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

    /// The forecast at the lead its errors are measured at: (value, how far ahead in ms,
    /// sMAPE of those forecasts); None until measured.
    pub fn outlook(&self) -> Option<(f64, i64, f64)> {
        let (error, ahead_ms) = self.forecaster.error()?;
        let spacing = self.season.spacing_ms()?;
        let h = (ahead_ms as f64 / spacing).round().max(1.0) as usize;
        Some((self.forecast(h).0, ahead_ms, error))
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
        std::mem::size_of::<Self>()
            + self.season.memory()
            + self.weekly.memory()
            + self.window.memory()
            + self.forecaster.memory()
    }
}

#[cfg(test)]
mod tests;
