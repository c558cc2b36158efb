//! The highest and lowest a value reached on the days before today, the `K` most extreme
//! days of each kind: how many days a level was reached on (a series' habit is what it did
//! on several days, whether or not it does it on a schedule).

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy)]
pub struct Days<const K: usize> {
    /// The K highest daily highs and the K lowest daily lows of the days before today.
    his: [f64; K],
    los: [f64; K],
    /// Today (days since the epoch), its high and its low.
    today: (i64, f64, f64),
}

impl<const K: usize> Default for Days<K> {
    fn default() -> Self {
        Days {
            his: [f64::NEG_INFINITY; K],
            los: [f64::INFINITY; K],
            today: (i64::MIN, f64::NEG_INFINITY, f64::INFINITY),
        }
    }
}

/// Puts `x` among the `K` most extreme of `kept` (most extreme first by `before`).
fn keep<const K: usize>(kept: &mut [f64; K], x: f64, before: impl Fn(f64, f64) -> bool) {
    if let Some(at) = kept.iter().position(|k| before(x, *k)) {
        kept[at..].rotate_right(1);
        kept[at] = x;
    }
}

impl<const K: usize> Days<K> {
    /// Takes `x` at `t_ms`.
    pub fn push(&mut self, t_ms: i64, x: f64) {
        let day = t_ms.div_euclid(DAY_MS);
        if day != self.today.0 {
            let (_, hi, lo) = self.today;
            if hi.is_finite() {
                keep(&mut self.his, hi, |a, b| a > b);
                keep(&mut self.los, lo, |a, b| a < b);
            }
            self.today = (day, f64::NEG_INFINITY, f64::INFINITY);
        }
        self.today.1 = self.today.1.max(x);
        self.today.2 = self.today.2.min(x);
    }

    /// Whether `x` was reached (from below when `up`, else from above) on `K` days before
    /// today.
    pub fn habit(&self, x: f64, up: bool) -> bool {
        if up {
            self.his[K - 1] >= x
        } else {
            self.los[K - 1] <= x
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_is_habit_once_reached_on_k_days_before_today() {
        let mut d = Days::<3>::default();
        for (day, hi) in [(0, 10.0), (1, 4.0), (2, 8.0)] {
            d.push(day * DAY_MS, 0.0);
            d.push(day * DAY_MS + 1, hi);
        }
        assert!(!d.habit(4.0, true), "two days before today");
        d.push(3 * DAY_MS, 9.0);
        d.push(3 * DAY_MS + 1, 20.0);
        assert!(
            d.habit(4.0, true) && !d.habit(8.5, true),
            "10, 8 and 4 before today"
        );
        d.push(4 * DAY_MS, 5.0);
        assert!(d.habit(8.0, true) && !d.habit(9.0, true), "20, 10, 8");
        assert!(d.habit(0.0, false) && !d.habit(-1.0, false));
    }
}
