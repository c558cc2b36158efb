//! Capacity: for every file system and for memory, when the forecast crosses 90 % and 100 %
//! with its 90 % band, and the growth per week. The forecasts are the ones `predict` rules
//! use (the anomaly detector's bank of models), fed the hourly rollups of the last 30 days
//! before the period's end: a year of history costs 720 buckets a series.

use serde::Serialize;

use crate::detect::watch::series_name;
use crate::detect::{BAND_Z, Detector};
use crate::model::metrics;
use crate::replay::derive_all;
use crate::store::{Store, StoreError};

/// How far back the forecasts learn, and how far ahead they look.
pub const LEARN_MS: i64 = 30 * 86_400_000;
pub const HORIZON_MS: i64 = 365 * 86_400_000;
const HOUR: i64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    pub host: String,
    /// `filesystem_used_percent{mount="/data"}` or `memory_used_percent`.
    pub series: String,
    /// The last hour's value, percent.
    pub now: f64,
    /// Percentage points per week, from a least-squares line through the hours learned.
    pub growth_per_week: f64,
    pub full_90: Option<Eta>,
    pub full_100: Option<Eta>,
    /// For the HTML chart: the hours learned, and the forecast ahead (time, likeliest, the
    /// 90 % band's low and high) every 6 hours until the 100 % crossing's band ends, at
    /// least 14 days and at most 90.
    #[serde(skip)]
    pub history: Vec<(i64, f64)>,
    #[serde(skip)]
    pub forecast: Vec<(i64, f64, f64, f64)>,
}

/// When a forecast crosses a line: the likeliest time and the 90 % band (ms since the
/// epoch; `latest_ms` None when the pessimistic forecast does not cross within a year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eta {
    pub at_ms: i64,
    pub earliest_ms: i64,
    pub latest_ms: Option<i64>,
}

/// The capacity rows of `host` as of `to`.
pub fn of(store: &Store, host: &str, to: i64) -> Result<Vec<Capacity>, StoreError> {
    let buckets = store.rollup_samples(host, HOUR, to - LEARN_MS - HOUR, to - 1)?;
    let snaps = derive_all(&buckets, false);
    let mut series: std::collections::BTreeMap<String, Vec<(i64, f64)>> = Default::default();
    for s in &snaps {
        for m in metrics(s) {
            let wanted = matches!(
                m.name.as_ref(),
                "filesystem_used_percent" | "memory_used_percent"
            );
            if wanted && m.value.is_finite() {
                series
                    .entry(series_name(&m))
                    .or_default()
                    .push((s.ts_ms, m.value));
            }
        }
    }
    Ok(series
        .into_iter()
        .map(|(name, points)| {
            let mut d = Detector::default();
            for (t, v) in &points {
                d.update(*t, *v);
            }
            let last = points.last().map_or(to, |p| p.0);
            let eta = |line: f64| {
                let c = d.crossing(line, true, HORIZON_MS)?;
                Some(Eta {
                    at_ms: last + c.in_ms,
                    earliest_ms: last + c.earliest_ms,
                    latest_ms: c.latest_ms.map(|l| last + l),
                })
            };
            let now = points.last().map_or(f64::NAN, |p| p.1);
            let past = |line: f64| now >= line;
            let full_100 = if past(100.0) { None } else { eta(100.0) };
            let until = (full_100.as_ref())
                .map_or(0, |e| e.latest_ms.unwrap_or(e.at_ms) - last)
                .clamp(14 * 86_400_000, 90 * 86_400_000);
            let forecast = (1..=until / HOUR)
                .step_by(6)
                .map(|h| {
                    let (f, sd) = d.forecast(h as usize);
                    (last + h * HOUR, f, f - BAND_Z * sd, f + BAND_Z * sd)
                })
                .collect();
            Capacity {
                host: host.to_string(),
                series: name,
                now,
                growth_per_week: slope(&points) * 7.0 * 86_400_000.0,
                full_90: if past(90.0) { None } else { eta(90.0) },
                full_100,
                history: points,
                forecast,
            }
        })
        .collect())
}

/// The least-squares slope of the points, per ms.
fn slope(points: &[(i64, f64)]) -> f64 {
    let n = points.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let t0 = points[0].0;
    let (mut st, mut sv, mut stt, mut stv) = (0.0, 0.0, 0.0, 0.0);
    for (t, v) in points {
        let t = (t - t0) as f64;
        st += t;
        sv += v;
        stt += t * t;
        stv += t * v;
    }
    let den = n * stt - st * st;
    if den == 0.0 {
        0.0
    } else {
        (n * stv - st * sv) / den
    }
}

/// Sooner exhaustion first: by the 100 % crossing, then the 90 % one; none last.
pub fn nearest_first(rows: &mut [Capacity]) {
    let key = |c: &Capacity| {
        let at = |e: &Option<Eta>| e.as_ref().map_or(i64::MAX, |e| e.at_ms);
        (at(&c.full_100), at(&c.full_90))
    };
    rows.sort_by_key(key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_its_slope() {
        let pts: Vec<(i64, f64)> = (0..100)
            .map(|i| (i * HOUR, 50.0 + 0.5 * i as f64))
            .collect();
        assert!((slope(&pts) * HOUR as f64 - 0.5).abs() < 1e-9);
        assert_eq!(slope(&pts[..1]), 0.0);
    }
}
