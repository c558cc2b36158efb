//! Dynamic thresholds: the line follows a metric's recent mean and spread within [min, max],
//! leaning into its trend. One state per series (rule and labels); learning pauses while the
//! series' alert is active, so an incident does not teach the baseline that it is normal.

/// How a dynamic line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dynamic {
    /// The line until enough samples are seen (1 / factor of them).
    pub base: f64,
    /// Adaptive factor: the weight of each new sample in the running mean and spread (0..1].
    pub factor: f64,
    pub min: f64,
    pub max: f64,
    /// Standard deviations between the mean and the line.
    pub std_mult: f64,
    /// Trend sensitivity: the line moves by this times the per-minute slope.
    pub trend: f64,
    /// Drawn from the anomaly detector's expected value and band (its level, trend and
    /// seasons) instead of the running mean and spread: std_mult of its σ's.
    pub band: bool,
}

/// A series' running figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Learned {
    mean: f64,
    var: f64,
    /// Per-minute slope, smoothed like the mean.
    slope: f64,
    last: Option<(i64, f64)>,
    seen: u32,
    /// The last line recorded in the threshold history.
    recorded: Option<f64>,
}

impl Default for Learned {
    fn default() -> Self {
        Self {
            mean: 0.0,
            var: 0.0,
            slope: 0.0,
            last: None,
            seen: 0,
            recorded: None,
        }
    }
}

impl Learned {
    /// When the series was last seen.
    pub fn last_ms(&self) -> Option<i64> {
        self.last.map(|(t, _)| t)
    }
}

impl Dynamic {
    /// The line drawn from what was learned before `value` (so a jump is judged against
    /// the past, not diluted by itself): `base` while warming up, then mean ± std_mult·σ plus
    /// trend·slope, kept within [min, max]; `below` draws it under the mean. Then learns
    /// `value` at `now`, unless `frozen`.
    pub fn line(&self, l: &mut Learned, value: f64, now: i64, below: bool, frozen: bool) -> f64 {
        self.line_from(l, value, now, below, frozen, None)
    }

    /// `line`, with the mean and σ from `band` (the detector's expected value and σ, which
    /// already follow the trend) when it is given.
    pub fn line_from(
        &self,
        l: &mut Learned,
        value: f64,
        now: i64,
        below: bool,
        frozen: bool,
        band: Option<(f64, f64)>,
    ) -> f64 {
        let a = self.factor.clamp(1e-6, 1.0);
        let line = if f64::from(l.seen) < 1.0 / a {
            self.base
        } else {
            let (mean, sd, lean) = match band {
                Some((expected, sd)) => (expected, sd, 0.0),
                None => (l.mean, l.var.sqrt(), self.trend * l.slope),
            };
            let spread = self.std_mult * sd;
            if below {
                mean - spread + lean
            } else {
                mean + spread + lean
            }
        };
        if !frozen && value.is_finite() {
            if l.seen == 0 {
                l.mean = value;
            } else {
                let d = value - l.mean;
                l.mean += a * d;
                l.var = (1.0 - a) * (l.var + a * d * d);
            }
            if let Some((t, v)) = l.last
                && now > t
            {
                let per_min = (value - v) / ((now - t) as f64 / 60_000.0);
                l.slope += a * (per_min - l.slope);
            }
            l.last = Some((now, value));
            l.seen = l.seen.saturating_add(1);
        }
        line.clamp(self.min, self.max)
    }

    /// Whether `line` moved enough since the last recorded one to be recorded (1 % of the
    /// allowed range), and if so remembers it.
    pub fn record(&self, l: &mut Learned, line: f64) -> bool {
        let step = ((self.max - self.min).abs() / 100.0).max(f64::EPSILON);
        if l.recorded.is_some_and(|r| (r - line).abs() < step) {
            return false;
        }
        l.recorded = Some(line);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Dynamic = Dynamic {
        base: 80.0,
        factor: 0.1,
        min: 20.0,
        max: 95.0,
        std_mult: 3.0,
        trend: 0.0,
        band: false,
    };

    #[test]
    fn base_while_warming_up_then_mean_plus_spread_within_bounds() {
        let mut l = Learned::default();
        for i in 0..10 {
            assert_eq!(D.line(&mut l, 30.0, i * 1000, false, false), 80.0);
        }
        // A flat 30 %: the line falls to the mean (no spread), but not under min.
        let line = D.line(&mut l, 30.0, 10_000, false, false);
        assert!((line - 30.0).abs() < 1e-9, "{line}");
        let mut l = Learned::default();
        for i in 0..200 {
            let v = if i % 2 == 0 { 40.0 } else { 60.0 };
            D.line(&mut l, v, i * 1000, false, false);
        }
        let line = D.line(&mut l, 50.0, 200_000, false, false);
        // Mean 50, σ ≈ 10 → about 80.
        assert!((75.0..85.0).contains(&line), "{line}");
        let low = D.line(&mut l, 50.0, 201_000, true, false);
        assert!((20.0..25.0).contains(&low), "{low}");
    }

    #[test]
    fn frozen_while_active_and_trend_leans_the_line() {
        let mut l = Learned::default();
        for i in 0..50 {
            D.line(&mut l, 30.0, i * 1000, false, false);
        }
        let before = l;
        D.line(&mut l, 99.0, 50_000, false, true);
        assert_eq!(l, before, "an active alert's values are not learned");
        let rising = Dynamic { trend: 1.0, ..D };
        let banded = Dynamic { band: true, ..D };
        let mut b = l;
        let from_band = banded.line_from(&mut b, 31.7, 100_000, false, true, Some((40.0, 5.0)));
        assert_eq!(from_band, 55.0, "the detector's expectation + 3σ");
        let mut l = Learned::default();
        for i in 0..100 {
            // +1 per minute.
            rising.line(&mut l, 30.0 + i as f64 / 60.0, i * 1000, false, false);
        }
        let flat = D.line(&mut l.clone(), 31.7, 100_000, false, true);
        let leaned = rising.line(&mut l, 31.7, 100_000, false, true);
        assert!(leaned > flat + 0.5, "{leaned} vs {flat}");
    }

    #[test]
    fn records_moves_of_more_than_one_percent_of_the_range() {
        let mut l = Learned::default();
        assert!(D.record(&mut l, 80.0));
        assert!(!D.record(&mut l, 80.5));
        assert!(D.record(&mut l, 81.0));
    }
}
