//! Predict rules (a series' forecast reaching a line within a time) and unusual ones (the
//! anomaly detector's verdict on it).

use crate::alert::template::figure;
use crate::detect::{Crossing, Detector, Verdict, reasons};

/// A predict rule's line.
pub(super) struct Line {
    pub threshold: f64,
    pub below: bool,
    pub within_ms: i64,
}

impl Line {
    /// What to observe for a series at `value` (its `forecast` updated with it): Some(when
    /// it crosses) while it is predicted to, Some(None) when a live alert ends, None when
    /// there is nothing to say. Already past the line is the threshold rules' business.
    pub fn judge(&self, value: f64, forecast: &Detector, live: bool) -> Option<Option<String>> {
        let past = if self.below {
            value <= self.threshold
        } else {
            value >= self.threshold
        };
        let eta = match past {
            true => None,
            false => forecast.crossing(self.threshold, !self.below, self.within_ms),
        };
        match eta {
            Some(c) => Some(Some(eta_text(&c))),
            None if live => Some(None),
            None => None,
        }
    }
}

/// `score 0.97: expected 20.1 (12 … 28.2); level, daily`: why a value is unusual.
pub(super) fn unusual_text(v: &Verdict) -> String {
    format!(
        "score {:.2}: expected {} ({} … {}); {}",
        v.unusual,
        figure(v.expected),
        figure(v.low),
        figure(v.high),
        reasons(v.why).join(", ")
    )
}

/// `in 3 h 12 m (2 h 50 m … 3 h 40 m; forecasts 1.2 % off)`: when a forecast crosses, its
/// 90 % band, and how far off its forecasts an hour ahead have lately been.
fn eta_text(c: &Crossing) -> String {
    let t = |ms: i64| {
        let min = (ms.max(0) + 30_000) / 60_000;
        match (min / 60, min % 60) {
            (0, m) => format!("{m} m"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} m"),
        }
    };
    let late = c.latest_ms.map_or("later".to_string(), t);
    format!(
        "in {} ({} … {late}; forecasts {:.1} % off)",
        t(c.in_ms),
        t(c.earliest_ms),
        c.error * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_hours_and_minutes() {
        let c = Crossing {
            in_ms: 11_520_000,
            earliest_ms: 10_200_000,
            latest_ms: Some(13_200_000),
            error: 0.012,
        };
        assert_eq!(
            eta_text(&c),
            "in 3 h 12 m (2 h 50 m … 3 h 40 m; forecasts 1.2 % off)"
        );
        let soon = Crossing {
            in_ms: 300_000,
            earliest_ms: 60_000,
            latest_ms: None,
            error: 0.0,
        };
        assert_eq!(eta_text(&soon), "in 5 m (1 m … later; forecasts 0.0 % off)");
    }
}
