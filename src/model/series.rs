//! Series that are none of montui's families: what a `[[scrape]]` of any exporter or StatsD
//! brings, by its own name and labels. Recorded with the host's sample they ride on;
//! `derive()` makes counters rates, as it does the kernel's.

use serde::{Deserialize, Serialize};

use super::metrics::{Metric, Name};

/// One series as taken. A counter carries the observation before it, so the rate comes
/// from the pair: a host sample that repeats the last scrape (a target scraped every 15 s,
/// a host sampled every second) has the same rate, not a zero and then a spike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Series {
    pub name: String,
    /// Sorted by name.
    pub labels: Vec<(String, String)>,
    pub value: f64,
    /// When it was taken (ms since the epoch).
    pub at_ms: i64,
    pub counter: bool,
    /// A counter's previous observation: (when, value).
    pub prev: Option<(i64, f64)>,
}

impl Series {
    /// The metric it derives to: a gauge as it is; a counter as `<name>_per_second` (a
    /// `_total` dropped), known once there are two observations. A counter that went down
    /// was reset: its rate is its value over the time since.
    pub fn derive(&self) -> Option<Metric> {
        let labels = (self.labels.iter())
            .map(|(k, v)| (Name::Owned(k.clone()), v.clone()))
            .collect();
        if !self.counter {
            return Some(Metric {
                name: Name::Owned(self.name.clone()),
                labels,
                value: self.value,
            });
        }
        let (at, before) = self.prev?;
        let secs = (self.at_ms - at) as f64 / 1000.0;
        if secs <= 0.0 {
            return None;
        }
        let grew = if self.value >= before {
            self.value - before
        } else {
            self.value
        };
        Some(Metric {
            name: Name::Owned(rate_name(&self.name)),
            labels,
            value: grew / secs,
        })
    }
}

/// What a counter's rate is called: `http_requests_total` → `http_requests_per_second`.
pub fn rate_name(counter: &str) -> String {
    format!(
        "{}_per_second",
        counter.strip_suffix("_total").unwrap_or(counter)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(value: f64, at_ms: i64, prev: Option<(i64, f64)>) -> Series {
        Series {
            name: "http_requests_total".into(),
            labels: vec![("code".into(), "200".into())],
            value,
            at_ms,
            counter: true,
            prev,
        }
    }

    #[test]
    fn counters_become_rates_from_their_own_two_observations() {
        let m = counter(150.0, 20_000, Some((10_000, 100.0)))
            .derive()
            .unwrap();
        assert_eq!(m.name, "http_requests_per_second");
        assert_eq!(m.value, 5.0);
        assert_eq!(m.labels, [("code".into(), "200".to_string())]);
        // The first observation has no rate; a reset counts from zero.
        assert_eq!(counter(150.0, 20_000, None).derive(), None);
        let reset = counter(30.0, 20_000, Some((10_000, 100.0)))
            .derive()
            .unwrap();
        assert_eq!(reset.value, 3.0);
        // Time that did not pass gives nothing, not infinity.
        assert_eq!(counter(150.0, 10_000, Some((10_000, 1.0))).derive(), None);
    }

    #[test]
    fn gauges_stay_as_they_are() {
        let g = Series {
            name: "queue_depth".into(),
            value: 7.0,
            ..Default::default()
        };
        let m = g.derive().unwrap();
        assert_eq!((m.name.as_ref(), m.value), ("queue_depth", 7.0));
        assert_eq!(rate_name("bytes"), "bytes_per_second");
    }
}
