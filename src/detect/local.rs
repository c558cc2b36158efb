//! The next value as a local level and trend forecast it (Holt, one step ahead), and how far
//! a value is from that forecast in the usual size of its errors: a spike on a rising series
//! stands out as well as on a flat one. One value far off moves the model at most 4 usual
//! errors, so a spike does not drag it along.

use super::stats::Ew;

/// Smoothing of the level and of the trend.
const ALPHA: f64 = 0.3;
const BETA: f64 = 0.01;
/// How far (in standard deviations of the errors) one value may move the model.
const CLIP: f64 = 4.0;

#[derive(Debug, Clone, Copy)]
pub struct Local {
    level: f64,
    trend: f64,
    /// One-step errors.
    errors: Ew,
}

impl Local {
    pub fn new(span: f64) -> Self {
        Local {
            level: 0.0,
            trend: 0.0,
            errors: Ew::new(span),
        }
    }

    /// The forecast of the next value, and the standard deviation of its errors.
    pub fn expected(&self) -> (f64, f64) {
        (self.level + self.trend, self.errors.sd())
    }

    /// Takes `x`: how many standard deviations of the usual error it is off the forecast.
    pub fn push(&mut self, x: f64) -> f64 {
        if self.errors.n == 0 && self.level == 0.0 && self.trend == 0.0 {
            self.level = x;
            self.errors.push(0.0);
            return 0.0;
        }
        let f = self.level + self.trend;
        let e = x - f;
        let z = self.errors.z(e);
        let room = CLIP * self.errors.sd();
        let moved = if room > 0.0 { e.clamp(-room, room) } else { e };
        self.errors.push(e);
        let prev = self.level;
        self.level = f + ALPHA * moved;
        self.trend = BETA * (self.level - prev) + (1.0 - BETA) * self.trend;
        z
    }
}
