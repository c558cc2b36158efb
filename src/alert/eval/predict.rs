//! Predict rules (a series' forecast reaching a line within a time) and unusual ones (the
//! anomaly detector's verdict on it).

use crate::alert::rules::Condition;
use crate::alert::template::figure;
use crate::detect::{Crossing, Detector, Verdict, reasons};

/// What a predict or unusual rule observes of a series whose `detector` just took `value`
/// (`verdict`): (note, line) — the note is Some while the alert is active (when the forecast
/// crosses, or why the value is unusual), the line the threshold or the value expected. None
/// when there is nothing to say (inactive and no live alert). A value already past a predict
/// rule's line is the threshold rules' business.
pub(super) fn judge(
    condition: &Condition,
    value: f64,
    verdict: &Verdict,
    detector: &Detector,
    live: bool,
) -> Option<(Option<String>, f64)> {
    let (note, line) = match *condition {
        Condition::Predict {
            threshold,
            below,
            within_ms,
            ..
        } => {
            let past = if below {
                value <= threshold
            } else {
                value >= threshold
            };
            let eta = match past {
                true => None,
                false => detector.crossing(threshold, !below, within_ms),
            };
            (eta.map(|c| eta_text(&c)), threshold)
        }
        Condition::Unusual { score, .. } => (
            (verdict.unusual >= score).then(|| unusual_text(verdict)),
            verdict.expected,
        ),
        Condition::Threshold { .. } | Condition::Expr(_) => return None,
    };
    (note.is_some() || live).then_some((note, line))
}

/// `score 0.97: expected 20.1 (12 … 28.2); level, daily`: why a value is unusual.
fn unusual_text(v: &Verdict) -> String {
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
