//! An alert's details, read from the recording: its timeline, the value it watched over the
//! episode with the threshold line (moves of a dynamic one included), and its escalation
//! steps; an anomaly's chart, its series over the anomaly. The same for live (from the file
//! being recorded) and replay. No terminal code.

use std::path::Path;

use crate::alert::escalate::policy_for;
use crate::alert::lifecycle::Alert;
use crate::alert::policy::Policy;
use crate::alert::rules::Condition;
use crate::detect::Anomaly;
use crate::detect::watch::series_name;
use crate::model::metrics;
use crate::replay::ReplayCursor;
use crate::store::Store;

/// Columns of the value chart.
const POINTS: usize = 120;
/// The chart starts this long before the episode, at least.
const LEAD_MS: i64 = 300_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub after_ms: i64,
    pub what: String,
    /// When it was taken in this episode.
    pub taken_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    /// With its timeline.
    pub alert: Alert,
    /// The rule as written: `cpu_busy_percent > 90 for 5m`.
    pub rule: String,
    pub annotations: Vec<(String, String)>,
    /// (time, value) over the episode, and the line it was held to.
    pub values: Vec<(i64, f64)>,
    pub thresholds: Vec<(i64, f64)>,
    /// What the anomaly detector made of the values: the band it expected them in, the
    /// values it found unusual, and its forecast past the last one.
    pub model: Model,
    pub steps: Vec<Step>,
    /// The notices sent about it, newest first, with how each went.
    pub sent: Vec<crate::notify::SentRow>,
}

/// The anomaly detector's view of a chart's values (learned from them, so live and replay
/// draw the same).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// (time, low, high) of the band normal values fall in.
    pub band: Vec<(i64, f64, f64)>,
    /// Values some detector found unusual for the series.
    pub unusual: Vec<(i64, f64)>,
    /// (time, value) ahead of the last value.
    pub forecast: Vec<(i64, f64)>,
    /// How far off its forecasts were (sMAPE) and how far ahead (ms), once measured.
    pub forecast_error: Option<(f64, i64)>,
}

/// Values learned before the band is drawn.
const WARM: usize = 10;

impl Model {
    /// Learns `values` (time order) and forecasts a quarter of their span past the last.
    pub fn of(values: &[(i64, f64)]) -> Self {
        let mut d = crate::detect::Detector::default();
        let mut m = Model::default();
        for (i, &(t, v)) in values.iter().enumerate() {
            let verdict = d.update(t, v);
            if i >= WARM {
                m.band.push((t, verdict.low, verdict.high));
                if verdict.why != 0 {
                    m.unusual.push((t, v));
                }
            }
        }
        if let (Some(first), Some(last)) = (values.first(), values.last())
            && values.len() > WARM
        {
            let step = ((last.0 - first.0) / (values.len() as i64 - 1)).max(1);
            let ahead = (values.len() / 4).max(1);
            m.forecast.push(*last);
            m.forecast
                .extend((1..=ahead).map(|h| (last.0 + h as i64 * step, d.forecast(h).0)));
        }
        m.forecast_error = d.forecast_error();
        m
    }
}

/// Notices listed in an alert's details (the newest).
const SENT_SHOWN: usize = 20;

/// Loads the details of alert `fingerprint` from the recording at `db`, up to `now`.
pub fn load(db: &Path, policy: &Policy, fingerprint: u64, now: i64) -> Result<Details, String> {
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let alert = store
        .load_alerts()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|a| a.fingerprint == fingerprint)
        .ok_or("this alert is not in the recording yet: try again in a second")?;
    let sent = (store.sent(Some(&format!("{fingerprint:016x}")), SENT_SHOWN))
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(Into::into)
        .collect();
    let rule = policy.rule(&alert.rule);
    let end = alert.resolved_at.unwrap_or(now).max(alert.active_since);
    let from = alert.active_since - LEAD_MS.max((end - alert.active_since) / 4);
    let thresholds = match rule.map(|r| &r.condition) {
        Some(Condition::Threshold {
            dynamic: Some(_), ..
        }) => {
            let moves = store
                .thresholds(fingerprint, i64::MIN)
                .map_err(|e| e.to_string())?;
            // The line in force at `from`, then its moves.
            let before = moves
                .iter()
                .rev()
                .find(|(t, _)| *t <= from)
                .map(|(_, v)| (from, *v));
            before
                .into_iter()
                .chain(
                    moves
                        .iter()
                        .copied()
                        .filter(|(t, _)| *t > from && *t <= end),
                )
                .collect()
        }
        Some(Condition::Threshold { threshold, .. } | Condition::Predict { threshold, .. }) => {
            vec![(from, *threshold), (end, *threshold)]
        }
        _ => Vec::new(),
    };
    let metric = match rule.map(|r| &r.condition) {
        Some(
            Condition::Threshold { metric, .. }
            | Condition::Predict { metric, .. }
            | Condition::Unusual { metric, .. },
        ) => Some(metric.as_str()),
        _ => None,
    };
    let mut values = match (metric, alert.labels.get("host")) {
        (Some(metric), Some(host)) => recorded_values(store, host, from, end, |m| {
            m.name == metric
                && m.labels
                    .iter()
                    .all(|(k, v)| alert.labels.get(k.as_ref()) == Some(v))
        })?,
        _ => Vec::new(),
    };
    if values.is_empty() {
        // An expression, or nothing recorded: the values the timeline noted.
        values = alert
            .events
            .iter()
            .filter(|e| e.value.is_finite())
            .map(|e| (e.at, e.value))
            .collect();
    }
    let steps = policy_for(policy, &alert)
        .map(|p| {
            p.steps
                .iter()
                .enumerate()
                .map(|(i, s)| Step {
                    after_ms: s.after_ms,
                    what: describe_step(s),
                    taken_at: taken_at(&alert, i as u32 + 1),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Details {
        annotations: policy.annotations(&alert),
        rule: rule
            .map(describe)
            .unwrap_or_else(|| "(rule no longer configured)".into()),
        alert,
        model: Model::of(&values),
        values,
        thresholds,
        steps,
        sent,
    })
}

/// The series `of` picks of `host` over [from, end], from the recorded samples.
fn recorded_values(
    store: Store,
    host: &str,
    from: i64,
    end: i64,
    of: impl Fn(&crate::model::Metric) -> bool,
) -> Result<Vec<(i64, f64)>, String> {
    let Ok(mut cursor) = ReplayCursor::open(store, Some(host), Some(from), Some(end), POINTS)
    else {
        return Ok(Vec::new());
    };
    cursor.seek_last();
    cursor.set_zoom(Some(end - from));
    let frame = cursor.frame().map_err(|e| e.to_string())?;
    Ok(frame
        .iter()
        .filter_map(|s| {
            let m = metrics(s).into_iter().find(|m| of(m))?;
            Some((s.ts_ms, m.value))
        })
        .collect())
}

/// An anomaly's chart: its series over the anomaly, with what the detector makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalyChart {
    pub anomaly: Anomaly,
    pub values: Vec<(i64, f64)>,
    pub model: Model,
}

/// Loads the chart of anomaly `a` from the recording at `db`, up to `now`. A host's mix
/// (the isolation forest) has no single series: its chart has no values.
pub fn load_anomaly(db: &Path, a: &Anomaly, now: i64) -> Result<AnomalyChart, String> {
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let end = a.ended_ms.unwrap_or(now).max(a.started_ms);
    let from = a.started_ms - LEAD_MS.max((end - a.started_ms) / 4);
    let values = recorded_values(store, &a.host, from, end, |m| series_name(m) == a.series)?;
    Ok(AnomalyChart {
        anomaly: a.clone(),
        model: Model::of(&values),
        values,
    })
}

/// When step `n` (from 1) was last taken, in the alert's current episode.
fn taken_at(a: &Alert, n: u32) -> Option<i64> {
    use crate::alert::lifecycle::EventKind;
    a.events
        .iter()
        .rev()
        .take_while(|e| e.kind != EventKind::Pending)
        .find(|e| e.kind == EventKind::Escalated { step: n })
        .map(|e| e.at)
}

fn describe(r: &crate::alert::rules::Rule) -> String {
    use crate::alert::template::figure;
    let cond = match &r.condition {
        Condition::Threshold {
            metric,
            threshold,
            below,
            dynamic,
            ..
        } => {
            let op = if *below { "<" } else { ">" };
            match dynamic {
                Some(d) => format!(
                    "{metric} {op} dynamic line (mean {op} {}σ, within {}..{})",
                    figure(d.std_mult),
                    figure(d.min),
                    figure(d.max)
                ),
                None => format!("{metric} {op} {}", figure(*threshold)),
            }
        }
        Condition::Expr(e) => e.to_string(),
        Condition::Unusual { metric, score } => {
            format!("{metric} unusual (anomaly score ≥ {})", figure(*score))
        }
        Condition::Predict {
            metric,
            threshold,
            below,
            within_ms,
        } => format!(
            "{metric} forecast {} {} within {}",
            if *below { "<" } else { ">" },
            figure(*threshold),
            humantime::format_duration(
                std::time::Duration::from_millis((*within_ms).max(0) as u64)
            )
        ),
    };
    let for_ = std::time::Duration::from_millis(r.for_ms.max(0) as u64);
    if r.for_ms > 0 {
        format!("{cond} for {}", humantime::format_duration(for_))
    } else {
        cond
    }
}

fn describe_step(s: &crate::alert::escalate::Step) -> String {
    let mut parts = Vec::new();
    if let Some(sev) = s.severity {
        parts.push(format!("raise to {}", sev.name()));
    }
    if !s.channels.is_empty() {
        parts.push(format!("notify {}", s.channels.join(", ")));
    }
    if let Some(a) = &s.assignee {
        parts.push(format!("assign {a}"));
    }
    if parts.is_empty() {
        "record only".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_draws_a_band_marks_the_unusual_and_forecasts_ahead() {
        // A slow rise with a small wobble, one spike.
        let values: Vec<(i64, f64)> = (0..200)
            .map(|i| {
                let v = 10.0 + 0.1 * i as f64 + (i % 3) as f64 * 0.2;
                (i * 1000, if i == 150 { 60.0 } else { v })
            })
            .collect();
        let m = Model::of(&values);
        assert_eq!(m.band.len(), 190);
        assert!(m.band.iter().all(|(_, lo, hi)| lo <= hi));
        assert!(m.unusual.contains(&(150_000, 60.0)), "{:?}", m.unusual);
        assert!(
            m.unusual.iter().all(|(t, _)| *t >= 100_000),
            "a new series is not odd"
        );
        // 50 samples ahead, starting at the last value, rising.
        assert_eq!(m.forecast.len(), 51);
        assert_eq!(m.forecast[0], (199_000, values[199].1));
        let end = m.forecast.last().unwrap();
        assert_eq!(end.0, 249_000);
        assert!(end.1 > values[199].1, "{end:?}");
        // Measured 32 samples (32 s) ahead on a series this regular: a few percent at most.
        let (err, ahead) = m.forecast_error.expect("measured");
        assert!(err < 0.05 && ahead == 32_000, "{err} {ahead}");
        assert_eq!(Model::of(&values[..5]), Model::default());
    }
}
