//! The last few samples in a window, for two members that judge a value against them: a
//! robust z-score (median and MAD, which one outlier in the window does not move) and a
//! level shift (the median of the newest few
//! against the median of the window before them, in the window's spread: a step that stays,
//! not one value off). Bounded: `REF + RECENT` values and a sorted copy of the reference;
//! O(REF) work per sample at most (a shift of a small sorted array).

/// Values the reference holds.
const REF: usize = 32;
/// Newest values the level shift takes together.
pub const RECENT: usize = 8;
/// MAD → standard deviation (normal data).
const MAD_SD: f64 = 1.4826;
/// Samples in the reference before anything is judged.
const WARM: usize = 16;

/// Values the ring holds.
const CAP: usize = REF + RECENT;
/// Values before the newest that `level` takes.
const LEVEL: usize = 16;

#[derive(Debug, Clone)]
pub struct Window {
    /// The last `len` values; the next goes at `head`.
    ring: [f32; CAP],
    head: usize,
    len: usize,
    /// The reference (the values before the newest `RECENT`), sorted.
    sorted: Vec<f32>,
    /// The reference's MAD (as a standard deviation), worked out every `MAD_EVERY` samples:
    /// a spread moves slowly, and the walk is the costliest step here.
    mad: f64,
}

/// Samples between two workings-out of the MAD.
const MAD_EVERY: usize = 8;

/// Each member's z (how many standard deviations off).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Zs {
    pub robust: f64,
    pub shift: f64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            ring: [0.0; CAP],
            head: 0,
            len: 0,
            sorted: Vec::with_capacity(REF),
            mad: 0.0,
        }
    }
}

impl Window {
    /// The value `age` samples old (0: the newest).
    fn aged(&self, age: usize) -> f32 {
        self.ring[(self.head + CAP - 1 - age) % CAP]
    }

    /// Judges `x` against the window, then takes it in.
    pub fn push(&mut self, x: f64) -> Zs {
        let zs = self.judge(x);
        if self.len == CAP {
            self.leave(self.ring[self.head]);
        }
        self.ring[self.head] = x as f32;
        self.head = (self.head + 1) % CAP;
        self.len = (self.len + 1).min(CAP);
        // The value that just left the newest few joins the reference.
        if self.len > RECENT {
            self.join(self.aged(RECENT));
        }
        if self.head.is_multiple_of(MAD_EVERY) || self.sorted.len() <= WARM {
            self.mad = MAD_SD * mad(&self.sorted, median(&self.sorted));
        }
        zs
    }

    fn join(&mut self, v: f32) {
        let i = below(&self.sorted, v);
        self.sorted.insert(i, v);
    }

    fn leave(&mut self, v: f32) {
        let i = below(&self.sorted, v);
        if i < self.sorted.len() {
            self.sorted.remove(i);
        }
    }

    fn judge(&self, x: f64) -> Zs {
        let n = self.sorted.len();
        if n < WARM {
            return Zs::default();
        }
        let mid = median(&self.sorted);
        let mad = self.mad;
        let z = |d: f64, s: f64| if s > 0.0 { d.abs() / s } else { 0.0 };
        // The newest few with `x`, sorted (on the stack).
        let mut recent = [x as f32; RECENT];
        for (age, r) in recent.iter_mut().enumerate().skip(1) {
            *r = self.aged(age - 1);
        }
        recent.sort_unstable_by(f32::total_cmp);
        // The median of k normal values is off by about 1.25σ/√k.
        let shift = z(median(&recent) - mid, mad * 1.2533 / (RECENT as f64).sqrt());
        Zs {
            robust: z(x - mid, mad),
            shift,
        }
    }

    /// The median of the `LEVEL` values before the newest: the level the newest departs
    /// from. None before two values.
    pub fn level(&self) -> Option<f64> {
        let n = self.len.saturating_sub(1).min(LEVEL);
        if n == 0 {
            return None;
        }
        let mut v = [0f32; LEVEL];
        for (age, slot) in v[..n].iter_mut().enumerate() {
            *slot = self.aged(age + 1);
        }
        v[..n].sort_unstable_by(f32::total_cmp);
        Some(median(&v[..n]))
    }

    /// The mean of the newest `RECENT` values; None while fewer.
    pub fn recent_mean(&self) -> Option<f64> {
        (self.len >= RECENT).then(|| {
            (0..RECENT)
                .map(|age| f64::from(self.aged(age)))
                .sum::<f64>()
                / RECENT as f64
        })
    }

    pub fn memory(&self) -> usize {
        std::mem::size_of::<Self>() + self.sorted.capacity() * std::mem::size_of::<f32>()
    }
}

/// How many of the sorted values are below `v` (where `v` goes): a branch-free count, which
/// on 64 values beats a binary search's chain of dependent loads.
fn below(sorted: &[f32], v: f32) -> usize {
    sorted.iter().map(|s| usize::from(*s < v)).sum()
}

fn median(sorted: &[f32]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let (a, b) = (sorted[(n - 1) / 2], sorted[n / 2]);
    (f64::from(a) + f64::from(b)) / 2.0
}

/// The median absolute deviation from `m` of sorted values: the distances from `m` grow
/// outward on both sides, so the middle one is found by walking out from `m`.
fn mad(sorted: &[f32], m: f64) -> f64 {
    let n = sorted.len();
    let mut hi = below(sorted, m as f32);
    let mut lo = hi; // sorted[..lo] below m, walked down
    let mut last = 0.0;
    for _ in 0..n.div_ceil(2) {
        let down = (lo > 0).then(|| m - f64::from(sorted[lo - 1]));
        let up = (hi < n).then(|| f64::from(sorted[hi]) - m);
        last = match (down, up) {
            (Some(d), Some(u)) if d <= u => {
                lo -= 1;
                d
            }
            (_, Some(u)) => {
                hi += 1;
                u
            }
            (Some(d), None) => {
                lo -= 1;
                d
            }
            (None, None) => break,
        };
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_mad_of_sorted_values() {
        let v = [1.0, 2.0, 3.0, 4.0, 100.0];
        assert_eq!(median(&v), 3.0);
        // Distances from 3: 2, 1, 0, 1, 97 → median 1.
        assert_eq!(mad(&v, 3.0), 1.0);
        assert_eq!(mad(&[5.0; 9], 5.0), 0.0);
    }

    #[test]
    fn a_spike_is_off_for_every_member_but_shift_and_a_step_moves_shift() {
        let mut w = Window::default();
        let wobble = |i: usize| if i.is_multiple_of(2) { 9.0 } else { 11.0 };
        for i in 0..200 {
            w.push(wobble(i));
        }
        let spike = w.push(30.0);
        assert!(spike.robust > 10.0, "{spike:?}");
        assert!(spike.shift < 3.0, "one value is not a shift: {spike:?}");
        for i in 0..3 {
            w.push(wobble(i));
        }
        let mut most = 0.0f64;
        for i in 0..8 {
            most = most.max(w.push(20.0 + wobble(i)).shift);
        }
        assert!(most > 5.0, "a step of 10 scored {most}");
        assert_eq!(w.sorted.len(), REF);
        assert!(w.sorted.windows(2).all(|p| p[0] <= p[1]));
    }
}
