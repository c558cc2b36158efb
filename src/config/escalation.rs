//! `[[alerts.inhibit]]` and `[[alerts.escalation]]` in config.toml.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Dur;
use super::alerts::SeverityConfig;
use crate::alert::escalate::{Escalation, Step};
use crate::alert::inhibit::Inhibition;

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
