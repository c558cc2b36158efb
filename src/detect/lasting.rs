//! A burst inside the range the series has shown counts once it has lasted. Its score is
//! held for `LAST` samples and given then only if the mean of those samples has gone at
//! least `SHARE` of the way from the level the burst left toward the highest (or lowest)
//! mean of `LAST` samples the series has had. One busy sample on an idle disk, a blip in a
//! bursty count, is not reported; a burst that stays is, `LAST` samples in, its score taken
//! to the power `WORTH` (a strong one counts nearly in full, a middling one less than a value
//! beyond the range). A burst whose mean the series reached on `HABIT_DAYS` days before
//! today is its habit, even if it keeps no schedule (spikes every few days for months):
//! more days than a week has, so it recurs more often than a weekly event. A value beyond
//! the range, or one whose daily or weekly pattern it breaks, does not wait (`Detector`).

/// Samples a burst is held for (the window's newest few).
pub const LAST: usize = super::window::RECENT;
/// How far toward the most the series has had for that long its mean must go.
const SHARE: f64 = 0.25;
/// What a burst that lasted counts: its score to this power.
const WORTH: f64 = 1.5;
/// Days before today a burst's mean reached for the burst to be the series' habit.
const HABIT_DAYS: usize = 8;

use super::days::Days;

#[derive(Debug, Clone, Copy)]
pub struct Lasting {
    /// The highest and lowest mean of `LAST` samples so far.
    hi: f64,
    lo: f64,
    /// The most extreme means of the days before today.
    days: Days<HABIT_DAYS>,
    held: Option<Held>,
}

#[derive(Debug, Clone, Copy)]
struct Held {
    score: f64,
    started_ms: i64,
    /// Samples until it is judged.
    left: usize,
    /// The level the burst left, and the most the series has had in its direction.
    level: f64,
    most: f64,
    up: bool,
}

impl Default for Lasting {
    fn default() -> Self {
        Lasting {
            hi: f64::NEG_INFINITY,
            lo: f64::INFINITY,
            days: Days::default(),
            held: None,
        }
    }
}

impl Lasting {
    /// Holds `score`, that of a burst starting at `x` (at `t_ms`) from `level` (it replaces
    /// one held).
    pub fn hold(&mut self, score: f64, x: f64, level: f64, t_ms: i64) {
        let up = x >= level;
        self.held = Some(Held {
            score,
            started_ms: t_ms,
            left: LAST,
            level,
            most: if up { self.hi } else { self.lo },
            up,
        });
    }

    /// After each sample, with the mean of the newest `LAST` (None while fewer): the score
    /// held for a burst that has lasted, and when it started.
    pub fn push(&mut self, t_ms: i64, mean: Option<f64>) -> Option<(f64, i64)> {
        let mut out = None;
        if let Some(h) = &mut self.held {
            h.left -= 1;
            if h.left == 0 {
                let (rise, room) = match (h.up, mean) {
                    (_, None) => (0.0, 0.0),
                    (true, Some(m)) => (m - h.level, h.most - h.level),
                    (false, Some(m)) => (h.level - m, h.level - h.most),
                };
                // Beyond any mean so far (or none yet): it has lasted.
                let habit = mean.is_some_and(|m| self.days.habit(m, h.up));
                if !habit && (!room.is_finite() || room <= 0.0 || rise >= SHARE * room) {
                    out = Some((h.score.powf(WORTH), h.started_ms));
                }
                self.held = None;
            }
        }
        if let Some(m) = mean {
            self.hi = self.hi.max(m);
            self.lo = self.lo.min(m);
            self.days.push(t_ms, m);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Means of 8 between 0 and 10 seen; a burst held from level 1 at 0.9.
    fn lasting() -> Lasting {
        let mut l = Lasting::default();
        for m in [1.0, 10.0, 0.0] {
            assert_eq!(l.push(0, Some(m)), None);
        }
        l
    }

    #[test]
    fn a_burst_that_stays_counts_after_it_has_lasted() {
        let mut l = lasting();
        l.hold(0.9, 8.0, 1.0, 60_000);
        for _ in 1..LAST {
            assert_eq!(l.push(0, Some(5.0)), None, "held");
        }
        // (5 − 1) ≥ 0.25 · (10 − 1)
        assert_eq!(l.push(0, Some(5.0)), Some((0.9f64.powf(WORTH), 60_000)));
        assert_eq!(l.push(0, Some(5.0)), None, "once");
    }

    #[test]
    fn a_blip_does_not_count_and_a_dip_is_judged_downward() {
        let mut l = lasting();
        l.hold(0.9, 8.0, 1.0, 0);
        for _ in 1..LAST {
            l.push(0, Some(1.5));
        }
        assert_eq!(l.push(0, Some(2.0)), None, "(2 − 1) < 0.25 · 9");
        let mut l = lasting();
        l.hold(0.7, 0.0, 4.0, 0);
        for _ in 1..LAST {
            l.push(0, Some(2.0));
        }
        // (4 − 2.5) ≥ 0.25 · (4 − 0)
        assert_eq!(l.push(0, Some(2.5)), Some((0.7f64.powf(WORTH), 0)));
    }

    #[test]
    fn beyond_every_mean_so_far_it_counts() {
        let mut l = Lasting::default();
        l.hold(0.8, 3.0, 1.0, 0);
        for _ in 1..LAST {
            l.push(0, Some(2.0));
        }
        assert_eq!(
            l.push(0, Some(2.0)),
            Some((0.8f64.powf(WORTH), 0)),
            "no mean before it"
        );
    }
}
