//! Exponentially weighted mean and variance (a plain running mean and variance until the
//! span is reached): O(1) per sample, 32 bytes.

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ew {
    /// Weight of a new sample (1 / the samples it remembers, roughly).
    a: f64,
    pub mean: f64,
    pub var: f64,
    pub n: u64,
}

/// Samples seen before a z-score means anything.
const WARM: u64 = 10;

impl Ew {
    /// Remembering about `span` samples.
    pub fn new(span: f64) -> Self {
        Ew {
            a: 1.0 / span.max(1.0),
            ..Default::default()
        }
    }

    pub fn push(&mut self, x: f64) {
        if self.n == 0 {
            self.mean = x;
        } else {
            // A plain average until `span` samples are in (no bias to the first ones).
            let a = self.a.max(1.0 / (self.n + 1) as f64);
            let d = x - self.mean;
            self.mean += a * d;
            self.var = (1.0 - a) * (self.var + a * d * d);
        }
        self.n += 1;
    }

    pub fn sd(&self) -> f64 {
        self.var.sqrt()
    }

    /// How many standard deviations `x` is from the mean (0 until warm, or with no spread).
    pub fn z(&self, x: f64) -> f64 {
        let sd = self.sd();
        if self.n > WARM && sd > 0.0 {
            (x - self.mean).abs() / sd
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_spread_follow_the_stream() {
        let mut e = Ew::new(100.0);
        for i in 0..5000 {
            e.push(if i % 2 == 0 { 9.0 } else { 11.0 });
        }
        assert!(
            (e.mean - 10.0).abs() < 0.05 && (e.sd() - 1.0).abs() < 0.05,
            "{e:?}"
        );
        assert!((e.z(14.0) - 4.0).abs() < 0.2);
        assert_eq!(Ew::new(10.0).z(5.0), 0.0, "cold");
    }
}
