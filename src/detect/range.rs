//! The range a series has shown: a value beyond anything it has shown before (or a few
//! samples after one) is news in itself; one inside that range has to be more unusual to
//! count as much (its score is squared), unless its seasons find it unusual: a break in
//! the daily pattern stays within the range.

/// Samples before the range means anything (until then every value counts in full).
const WARM: u64 = 100;
/// Samples after a new extreme that still count in full (a spike takes a few to peak).
const AFTER: u64 = 5;

#[derive(Debug, Clone, Copy)]
pub struct Range {
    lo: f64,
    hi: f64,
    seen: u64,
    /// Samples since the last new extreme.
    since: u64,
}

impl Default for Range {
    fn default() -> Self {
        Range {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            seen: 0,
            since: u64::MAX,
        }
    }
}

impl Range {
    /// Samples taken.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Takes `x`: what a score of `raw` is worth at it, where `seasonal` is what the
    /// seasons make of it, and whether it counts in full (beyond the range, just after a new
    /// extreme, or early on).
    pub fn weigh(&mut self, x: f64, raw: f64, seasonal: f64) -> (f64, bool) {
        let beyond = x > self.hi || x < self.lo;
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
        self.seen += 1;
        self.since = if beyond {
            0
        } else {
            self.since.saturating_add(1)
        };
        if self.seen <= WARM || self.since < AFTER {
            (raw, true)
        } else {
            ((raw * raw).max(seasonal), false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_the_range_a_score_is_squared_beyond_it_counts_in_full() {
        let mut r = Range::default();
        for i in 0..200 {
            let x = f64::from(i % 10);
            let full = i < 100;
            assert_eq!(r.weigh(x, 0.5, 0.0), (if full { 0.5 } else { 0.25 }, full));
        }
        assert_eq!(r.weigh(20.0, 0.8, 0.0), (0.8, true), "a new high");
        for _ in 0..4 {
            assert_eq!(r.weigh(5.0, 0.8, 0.0), (0.8, true), "just after it");
        }
        assert!((r.weigh(5.0, 0.8, 0.0).0 - 0.64).abs() < 1e-12);
        assert_eq!(r.weigh(5.0, 0.8, 0.7), (0.7, false), "the seasons' own say");
        assert_eq!(r.weigh(-1.0, 0.9, 0.0), (0.9, true), "a new low");
    }
}
