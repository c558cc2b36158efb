//! A quantile sketch with relative error (DDSketch's idea: logarithmic buckets), for StatsD
//! timers: any quantile of a flush interval's values within `ALPHA` of the true one, in
//! memory that grows with the values' range, not their number.

use std::collections::BTreeMap;

/// Relative accuracy: a quantile is within 1 % of a value at that rank.
pub const ALPHA: f64 = 0.01;

#[derive(Debug, Clone)]
pub struct Sketch {
    gamma_ln: f64,
    /// Bucket index → count, for values above zero; zero and below counted apart.
    buckets: BTreeMap<i32, u64>,
    zeros: u64,
    pub count: u64,
    pub sum: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        let gamma = (1.0 + ALPHA) / (1.0 - ALPHA);
        Self {
            gamma_ln: gamma.ln(),
            buckets: BTreeMap::new(),
            zeros: 0,
            count: 0,
            sum: 0.0,
        }
    }
}

impl Sketch {
    /// Adds `v` `n` times (a sampled timer stands for 1/rate values).
    pub fn add(&mut self, v: f64, n: u64) {
        if !v.is_finite() || n == 0 {
            return;
        }
        self.count += n;
        self.sum += v * n as f64;
        if v <= 0.0 {
            self.zeros += n;
            return;
        }
        let i = (v.ln() / self.gamma_ln).ceil() as i32;
        *self.buckets.entry(i).or_default() += n;
    }

    /// The `q` quantile (0 to 1), if any value was added.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).round() as u64;
        if rank < self.zeros {
            return Some(0.0);
        }
        let mut seen = self.zeros;
        for (i, n) in &self.buckets {
            seen += n;
            if seen > rank {
                // The bucket's middle: within ALPHA of any value in (γ^(i-1), γ^i].
                let gamma = self.gamma_ln.exp();
                return Some(2.0 * gamma.powi(*i) / (gamma + 1.0));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_relative_error() {
        let mut s = Sketch::default();
        let values: Vec<f64> = (1..=100_000).map(|i| i as f64 * 0.37).collect();
        for v in &values {
            s.add(*v, 1);
        }
        for q in [0.5, 0.9, 0.99] {
            let exact = values[(q * (values.len() - 1) as f64).round() as usize];
            let got = s.quantile(q).unwrap();
            assert!(
                (got - exact).abs() <= exact * ALPHA,
                "q{q}: {got} vs {exact}"
            );
        }
        assert_eq!(s.count, 100_000);
        assert!(s.buckets.len() < 1_000, "{} buckets", s.buckets.len());
    }

    #[test]
    fn zeros_weights_and_nothing() {
        let mut s = Sketch::default();
        assert_eq!(s.quantile(0.5), None);
        s.add(0.0, 3);
        s.add(10.0, 1);
        assert_eq!(s.quantile(0.5), Some(0.0));
        assert!((s.quantile(1.0).unwrap() - 10.0).abs() <= 0.1);
        s.add(f64::NAN, 1);
        assert_eq!(s.count, 4);
    }
}
