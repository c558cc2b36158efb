//! `[anomalies]`: the line an anomaly starts from, and per-metric tunings of the detectors.

use serde::Deserialize;

use super::ConfigError;
use crate::detect::{Tuning, WatchSettings, member, member_names};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnomaliesConfig {
    /// The anomaly score (0…1) from which a value is listed as an anomaly.
    pub score: f64,
    /// Per metric family (a glob on its name; the first that matches applies).
    pub metric: Vec<TuningConfig>,
}

impl Default for AnomaliesConfig {
    fn default() -> Self {
        let d = WatchSettings::default();
        Self {
            score: d.score,
            metric: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuningConfig {
    pub metric: String,
    pub score: Option<f64>,
    /// Detectors this metric leaves out, by name (`level`, `daily`, `shape`, …).
    #[serde(default)]
    pub off: Vec<String>,
    /// Learned (rules still see it) but never listed.
    #[serde(default)]
    pub ignore: bool,
}

impl AnomaliesConfig {
    pub fn settings(
        &self,
        text: &str,
        path: &std::path::Path,
    ) -> Result<WatchSettings, ConfigError> {
        let bad = |key: &str, value: Option<&str>, why: &str| {
            Err(ConfigError::invalid(text, path, key, value, why))
        };
        let score_ok = |s: f64| (0.0..=1.0).contains(&s) && s > 0.0;
        if !score_ok(self.score) {
            return bad("score", None, "an anomaly score is above 0 and at most 1");
        }
        let mut tunings = Vec::new();
        for t in &self.metric {
            if let Err(e) = glob::Pattern::new(&t.metric) {
                return bad("metric", Some(&t.metric), &format!("not a glob: {e}"));
            }
            if let Some(s) = t.score.filter(|s| !score_ok(*s)) {
                let shown = s.to_string();
                return bad(
                    "score",
                    Some(&shown),
                    "an anomaly score is above 0 and at most 1",
                );
            }
            let mut off = 0;
            for name in &t.off {
                let Some(bit) = member(name) else {
                    let known: Vec<&str> = member_names().collect();
                    let why = format!("no detector `{name}` (there are: {})", known.join(", "));
                    return bad("off", None, &why);
                };
                off |= bit;
            }
            tunings.push(Tuning {
                metric: t.metric.clone(),
                score: t.score,
                off,
                ignore: t.ignore,
            });
        }
        Ok(WatchSettings {
            score: self.score,
            tunings,
        })
    }
}
