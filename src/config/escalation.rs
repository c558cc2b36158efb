//! `[[alerts.inhibit]]`, `[[alerts.escalation]]` and `[alerts.notify]` in config.toml.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::alerts::SeverityConfig;
use super::{ConfigError, Dur};
use crate::alert::escalate::{Escalation, Step};
use crate::alert::inhibit::Inhibition;
use crate::alert::notify::{Grouping, Quiet};

/// While an alert matching `source` fires, alerts matching `target` with the same `equal`
/// labels are muted.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InhibitConfig {
    pub source: BTreeMap<String, String>,
    #[serde(default)]
    pub target: BTreeMap<String, String>,
    #[serde(default)]
    pub equal: Vec<String>,
}

impl InhibitConfig {
    pub fn build(&self) -> Inhibition {
        Inhibition {
            source: pairs(&self.source),
            target: pairs(&self.target),
            equal: self.equal.clone(),
        }
    }
}

/// A policy for alerts matching `match` (all when empty): steps taken while they fire
/// unacknowledged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    #[serde(rename = "match", default)]
    pub matchers: BTreeMap<String, String>,
    pub steps: Vec<StepConfig>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    pub after: Dur,
    pub severity: Option<SeverityConfig>,
    #[serde(default)]
    pub channels: Vec<String>,
    pub assignee: Option<String>,
}

impl EscalationConfig {
    pub fn build(&self) -> Escalation {
        let mut steps: Vec<Step> = self
            .steps
            .iter()
            .map(|s| Step {
                after_ms: s.after.0.as_millis() as i64,
                severity: s.severity.map(SeverityConfig::severity),
                channels: s.channels.clone(),
                assignee: s.assignee.clone(),
            })
            .collect();
        steps.sort_by_key(|s| s.after_ms);
        Escalation {
            matchers: pairs(&self.matchers),
            steps,
        }
    }
}

fn pairs(m: &BTreeMap<String, String>) -> Vec<(String, String)> {
    m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// `[alerts.notify]`: how alerts are grouped into notices and when they go out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    pub group_by: Vec<String>,
    pub group_wait: Dur,
    pub group_interval: Dur,
    pub repeat_interval: Dur,
    /// Suppression windows: `{ from = "22:00", to = "07:00", days = ["sat", "sun"] }`.
    pub quiet: Vec<QuietConfig>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietConfig {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub days: Vec<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        let g = Grouping::default();
        let d = |ms: i64| Dur(std::time::Duration::from_millis(ms as u64));
        Self {
            group_by: g.group_by,
            group_wait: d(g.group_wait_ms),
            group_interval: d(g.group_interval_ms),
            repeat_interval: d(g.repeat_interval_ms),
            quiet: Vec::new(),
        }
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl NotifyConfig {
    pub fn build(
        &self,
        text: &str,
        path: &std::path::Path,
    ) -> Result<(Grouping, Vec<Quiet>), ConfigError> {
        let ms = |d: &Dur| d.0.as_millis() as i64;
        let bad = |key: &str, value: &str, why: &str| {
            ConfigError::invalid(text, path, key, Some(value), why)
        };
        let minute = |key: &str, v: &str| -> Result<u32, ConfigError> {
            let parsed = v
                .split_once(':')
                .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
                .filter(|(h, m)| *h <= 24 && *m < 60 && h * 60 + m <= 24 * 60);
            match parsed {
                Some((h, m)) => Ok(h * 60 + m),
                None => Err(bad(key, v, "a time of day like 22:00")),
            }
        };
        let mut quiet = Vec::new();
        for q in &self.quiet {
            let mut days = Vec::new();
            for d in &q.days {
                match DAYS.iter().position(|x| d.to_lowercase().starts_with(x)) {
                    Some(i) => days.push(i as u32),
                    None => {
                        return Err(bad("days", d, "days are mon, tue, wed, thu, fri, sat, sun"));
                    }
                }
            }
            quiet.push(Quiet {
                from_min: minute("from", &q.from)?,
                to_min: minute("to", &q.to)?,
                days,
            });
        }
        Ok((
            Grouping {
                group_by: self.group_by.clone(),
                group_wait_ms: ms(&self.group_wait),
                group_interval_ms: ms(&self.group_interval),
                repeat_interval_ms: ms(&self.repeat_interval),
            },
            quiet,
        ))
    }
}
