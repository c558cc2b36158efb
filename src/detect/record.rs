//! A whole day beyond any day before: the mean of the last day (the daily season's slots) a
//! new high or a new low. No single sample need be unusual: a day of traffic that stays a
//! little high all day, or a service that goes quiet, shows only in the day as a whole.
//!
//! Of the m days since the last record (the last new high, for a high), the chance that the
//! newest is the highest is about 1/m: a record counts `1 − DAYS/m` (nothing within `DAYS`
//! days of the last one, half after twice that). A trend sets a record every day or so, and
//! so counts for nothing; a day beyond anything for weeks counts nearly in full.

/// Days without a record (in one direction) before a new one counts at all.
const DAYS: f64 = 4.0;

#[derive(Debug, Clone, Copy)]
pub struct Record {
    hi: f64,
    lo: f64,
    /// The samples of the last new high and of the last new low (0: none yet).
    last_hi: u64,
    last_lo: u64,
}

impl Default for Record {
    fn default() -> Self {
        Record {
            hi: f64::NEG_INFINITY,
            lo: f64::INFINITY,
            last_hi: 0,
            last_lo: 0,
        }
    }
}

impl Record {
    /// Takes the mean of the last period (`period` samples) after `seen` samples: the score
    /// of a new high or low, 0 when it is none.
    pub fn push(&mut self, mean: f64, seen: u64, period: u64) -> f64 {
        let news = |last: u64| (1.0 - DAYS * period as f64 / (seen - last).max(1) as f64).max(0.0);
        let mut score = 0.0;
        if mean > self.hi && self.hi >= self.lo {
            score = news(self.last_hi);
            self.last_hi = seen;
        } else if mean < self.lo && self.hi >= self.lo {
            score = news(self.last_lo);
            self.last_lo = seen;
        }
        self.hi = self.hi.max(mean);
        self.lo = self.lo.min(mean);
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_counts_by_the_days_since_the_last_one() {
        let day = 100;
        let mut r = Record::default();
        // Days of 10 ± 1, one mean a sample.
        let usual = |i: u64| 10.0 + [0.0, 1.0, 0.0, -1.0][i as usize % 4];
        for i in 1..=2000 {
            assert_eq!(r.push(usual(i), i, day), 0.0, "{i}");
        }
        // Day 20: the highest mean yet, 20 days after the last new high.
        assert!((r.push(12.0, 2001, day) - (1.0 - 400.0 / 2001.0)).abs() < 1e-12);
        // A trend: a record every sample counts for nothing.
        for i in 2002..2100 {
            assert_eq!(r.push(12.0 + (i - 2001) as f64 * 0.01, i, day), 0.0);
        }
        // A new low, 21 days after the last one.
        assert!(r.push(5.0, 2100, day) > 0.8);
        // Early on, a record is no news.
        let mut young = Record::default();
        young.push(10.0, 100, day);
        assert_eq!(young.push(20.0, 300, day), 0.0);
    }
}
