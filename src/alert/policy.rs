//! Everything the configuration says about alerting, in one value shared by the engine and
//! the UI (which shows annotations and escalation steps).

use super::escalate::Escalation;
use super::inhibit::{Inhibition, default_inhibitions};
use super::lifecycle::{Alert, Labels};
use super::notify::{Grouping, Quiet};
use super::route::Routing;
use super::rules::{Rule, default_rules};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub rules: Vec<Rule>,
    pub inhibitions: Vec<Inhibition>,
    pub escalations: Vec<Escalation>,
    pub grouping: Grouping,
    /// Which receivers each alert's notices go to, grouped how (`[[notify.routes]]`).
    pub routing: Routing,
    /// Suppression windows: no notices go out in them.
    pub quiet: Vec<Quiet>,
    /// host → labels added to its alerts (`[[hosts]] labels`).
    pub host_labels: HashMap<String, Labels>,
    /// The anomaly watch's settings (`[anomalies]`).
    pub anomalies: crate::detect::WatchSettings,
}

impl Default for Policy {
    /// What montui watches with no configuration.
    fn default() -> Self {
        Self {
            rules: default_rules(),
            inhibitions: default_inhibitions(),
            escalations: Vec::new(),
            grouping: Grouping::default(),
            routing: Routing::default(),
            quiet: Vec::new(),
            host_labels: HashMap::new(),
            anomalies: Default::default(),
        }
    }
}

impl Policy {
    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }

    /// The alert's annotations as its rule renders them now (none if the rule is gone).
    pub fn annotations(&self, a: &Alert) -> Vec<(String, String)> {
        self.rule(&a.rule)
            .map(|r| r.annotations_for(a))
            .unwrap_or_default()
    }
}
