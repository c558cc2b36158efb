//! Two control-chart members, O(1) per sample:
//! - an EWMA chart: the exponentially weighted mean of the last values against the series'
//!   long-run mean, in the spread such a mean has (σ·√(λ/(2−λ))): a small lasting drift
//!   that no single value shows (each value clipped to 4σ, so a spike does not linger);
//! - a moving-average deviation: how far a value is from the mean of the last `MA` values, in
//!   the usual size of that distance.

use super::stats::Ew;

/// Weight of a new value in the EWMA statistic.
const LAMBDA: f64 = 0.2;
/// Samples the long-run mean and spread remember.
const SPAN: f64 = 500.0;
/// How far (in standard deviations) one value may move the EWMA.
const CLIP: f64 = 4.0;
/// Values in the moving average.
const MA: usize = 16;

#[derive(Debug, Clone, Copy)]
pub struct Chart {
    long: Ew,
    ewma: Option<f64>,
    ring: [f32; MA],
    at: usize,
    sum: f64,
    filled: usize,
    /// Distances from the moving average.
    off: Ew,
}

impl Default for Chart {
    fn default() -> Self {
        Chart {
            long: Ew::new(SPAN),
            ewma: None,
            ring: [0.0; MA],
            at: 0,
            sum: 0.0,
            filled: 0,
            off: Ew::new(SPAN),
        }
    }
}

/// The two members' z.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChartZs {
    pub ewma: f64,
    pub moving: f64,
}

impl Chart {
    pub fn push(&mut self, x: f64) -> ChartZs {
        // One value far off moves the statistic at most CLIP σ's worth: a spike is the
        // other members' business, and should not linger on the chart.
        let room = CLIP * self.long.sd();
        let seen = if self.long.n > 30 && room > 0.0 {
            x.clamp(self.long.mean - room, self.long.mean + room)
        } else {
            x
        };
        let w = self.ewma.map_or(x, |w| LAMBDA * seen + (1.0 - LAMBDA) * w);
        self.ewma = Some(w);
        let limit = self.long.sd() * (LAMBDA / (2.0 - LAMBDA)).sqrt();
        let ewma = if self.long.n > 30 && limit > 0.0 {
            (w - self.long.mean).abs() / limit
        } else {
            0.0
        };
        self.long.push(x);
        let moving = if self.filled == MA {
            let d = x - self.sum / MA as f64;
            let z = self.off.z(d);
            self.off.push(d);
            z
        } else {
            0.0
        };
        let old = std::mem::replace(&mut self.ring[self.at], x as f32);
        self.sum += x - f64::from(old);
        self.at = (self.at + 1) % MA;
        self.filled = (self.filled + 1).min(MA);
        if self.at == 0 {
            // Sums drift: recomputed each time round.
            self.sum = self.ring.iter().map(|v| f64::from(*v)).sum();
        }
        ChartZs { ewma, moving }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drift_shows_on_the_ewma_chart_before_any_single_value_is_far() {
        let mut c = Chart::default();
        let wobble = |i: usize| if i.is_multiple_of(2) { -1.0 } else { 1.0 };
        for i in 0..1000 {
            let z = c.push(wobble(i));
            assert!(z.ewma < 3.0 && z.moving < 3.0, "{i}: {z:?}");
        }
        // A lasting shift of 1.5σ: no value is past 3σ, the chart is.
        let most = (0..20)
            .map(|i| c.push(1.5 + wobble(i)).ewma)
            .fold(0.0, f64::max);
        assert!(most > 4.0, "{most}");
        let spike = c.push(20.0);
        assert!(spike.moving > 5.0, "{spike:?}");
    }
}
