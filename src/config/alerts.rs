//! `[alerts]` in config.toml: the shipped rules on or off, and the user's own rules.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::escalation::{EscalationConfig, InhibitConfig, NotifyConfig};
use super::{ConfigError, Dur};
use crate::alert::dynamic::Dynamic;
use crate::alert::expr::parse;
use crate::alert::lifecycle::Severity;
use crate::alert::policy::Policy;
use crate::alert::rules::{Condition, Rule, default_rules};
use crate::alert::template::{FIELDS, FIGURES, placeholders};
use crate::model::{label_names, unknown_metric};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Keep the rules montui ships (CPU, memory, disk, swap, load).
    pub default_rules: bool,
    pub rules: Vec<RuleConfig>,
    pub inhibit: Vec<InhibitConfig>,
    pub escalation: Vec<EscalationConfig>,
    pub notify: NotifyConfig,
    /// Rules may name any metric, not only montui's families: set when the config has
    /// sources of other series (`[[scrape]]`), whose names are not known before they come.
    #[serde(skip)]
    pub any_metric: bool,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            default_rules: true,
            rules: Vec::new(),
            inhibit: Vec::new(),
            escalation: Vec::new(),
            notify: NotifyConfig::default(),
            any_metric: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityConfig {
    Info,
    Warning,
    Critical,
}

/// One `[[alerts.rules]]`: either `expr`, or `metric` with `above` or `below`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: String,
    pub expr: Option<String>,
    pub metric: Option<String>,
    pub above: Option<f64>,
    pub below: Option<f64>,
    /// Where an active threshold alert clears (hysteresis); default: the threshold.
    pub clear: Option<f64>,
    #[serde(rename = "for", default = "zero")]
    pub for_: Dur,
    /// Default: warning.
    #[serde(default = "warning")]
    pub severity: SeverityConfig,
    /// Added to each alert; templates of its labels (`{host}`, `{mount}`…).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `summary`, `description`, `runbook`…: templates that may also use `{value}`,
    /// `{threshold}` and `{for}`.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// A line that follows the metric instead of `above`/`below`.
    pub dynamic: Option<DynamicConfig>,
    /// Alert when the metric's forecast reaches `above`/`below` within this time (and it
    /// has not yet): a `predicted` alert whose note says when.
    pub predict: Option<Dur>,
    /// Alert while the metric is unusual for it: the anomaly detector's score (0…1) at
    /// least this.
    pub unusual: Option<f64>,
}

/// `[alerts.rules.dynamic]`: see `alert::dynamic::Dynamic`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicConfig {
    pub base: f64,
    #[serde(default = "default_factor")]
    pub factor: f64,
    pub min: f64,
    pub max: f64,
    #[serde(default = "default_std")]
    pub std: f64,
    #[serde(default)]
    pub trend: f64,
    /// Alert under the line (a drop) rather than over it.
    #[serde(default)]
    pub below: bool,
    /// Draw the line from the anomaly detector's expected value and band (std of its σ's).
    #[serde(default)]
    pub band: bool,
}

fn default_factor() -> f64 {
    0.05
}

fn default_std() -> f64 {
    3.0
}

type Bad = (&'static str, String, String);

/// An expression rule: a condition (true or false) over metrics montui has.
fn expr_condition(e: &str, any_metric: bool) -> Result<Condition, Bad> {
    let bad = |why: String| Err(("expr", e.to_string(), why));
    let x = match parse(e) {
        Ok(x) => x,
        Err(err) => return bad(err.to_string()),
    };
    if let Some(why) = (x.metrics().into_iter())
        .filter(|_| !any_metric)
        .find_map(unknown_metric)
    {
        return bad(why);
    }
    if !x.is_condition() {
        return bad("a number, not a condition: compare it (`cpu_busy_percent > 90`)".into());
    }
    Ok(Condition::Expr(x))
}

/// The rule's condition, or the key, value and reason it is wrong.
fn condition(r: &RuleConfig, any_metric: bool) -> Result<Condition, Bad> {
    for (key, v) in [("above", r.above), ("below", r.below), ("clear", r.clear)] {
        if let Some(v) = v.filter(|v| !v.is_finite()) {
            return Err((key, v.to_string(), "must be a finite number".into()));
        }
    }
    if let (Some(c), Some(line)) = (r.clear, r.above.or(r.below)) {
        let above = r.above.is_some();
        if (above && c > line) || (!above && c < line) {
            let why = if above {
                "must be at or below `above`: the alert clears once the value falls to it"
            } else {
                "must be at or above `below`: the alert clears once the value rises to it"
            };
            return Err(("clear", c.to_string(), why.into()));
        }
    }
    let threshold = |m: &String, line: f64, below: bool, dynamic: Option<Dynamic>| {
        if let Some(why) = unknown_metric(m).filter(|_| !any_metric) {
            return Err(("metric", m.clone(), why));
        }
        Ok(Condition::Threshold {
            metric: m.clone(),
            threshold: line,
            clear: r.clear,
            below,
            dynamic,
        })
    };
    if let Some(score) = r.unusual {
        let v = score.to_string();
        let alone = (r.expr.is_none() && r.above.is_none() && r.below.is_none())
            && (r.dynamic.is_none() && r.predict.is_none());
        let Some(m) = r.metric.as_ref().filter(|_| alone) else {
            let why = "`unusual` goes with `metric` alone (no above, below, dynamic or predict)";
            return Err(("unusual", v, why.into()));
        };
        if !(score > 0.0 && score <= 1.0) {
            return Err(("unusual", v, "must be over 0 and at most 1".into()));
        }
        return match threshold(m, score, false, None)? {
            Condition::Threshold { metric, .. } => Ok(Condition::Unusual { metric, score }),
            other => Ok(other),
        };
    }
    if let Some(within) = &r.predict {
        let (Some(m), None, None) = (&r.metric, &r.expr, r.dynamic) else {
            let why = "`predict` goes with `metric` and one of `above` or `below`";
            return Err(("predict", within.to_string(), why.into()));
        };
        let (line, below) = match (r.above, r.below) {
            (Some(t), None) => (t, false),
            (None, Some(t)) => (t, true),
            _ => {
                let why = "`predict` needs one of `above` or `below`";
                return Err(("predict", within.to_string(), why.into()));
            }
        };
        let within_ms = i64::try_from(within.0.as_millis()).unwrap_or(i64::MAX);
        if !(60_000..=30 * 86_400_000).contains(&within_ms) {
            let why = "must be between 1m and 30d";
            return Err(("predict", within.to_string(), why.into()));
        }
        return match threshold(m, line, below, None)? {
            Condition::Threshold { metric, .. } => Ok(Condition::Predict {
                metric,
                threshold: line,
                below,
                within_ms,
            }),
            other => Ok(other),
        };
    }
    match (&r.expr, &r.metric, r.above, r.below, r.dynamic) {
        (Some(e), None, None, None, None) => expr_condition(e, any_metric),
        (None, Some(m), Some(t), None, None) => threshold(m, t, false, None),
        (None, Some(m), None, Some(t), None) => threshold(m, t, true, None),
        (None, Some(m), None, None, Some(d)) => threshold(m, d.base, d.below, Some(d.build()?)),
        _ => Err((
            "name",
            r.name.clone(),
            "a rule needs either `expr`, or `metric` with one of `above`, `below` and \
             `[alerts.rules.dynamic]`"
                .into(),
        )),
    }
}

impl DynamicConfig {
    fn build(self) -> Result<Dynamic, Bad> {
        let bad = |key, v: f64, why: &str| Err((key, v.to_string(), why.to_string()));
        if !(self.factor > 0.0 && self.factor <= 1.0) {
            return bad("factor", self.factor, "must be more than 0 and at most 1");
        }
        if !(self.min <= self.base && self.base <= self.max) {
            return bad("base", self.base, "must lie between min and max");
        }
        if self.std.is_nan() || self.std < 0.0 {
            return bad("std", self.std, "must be 0 or more");
        }
        Ok(Dynamic {
            base: self.base,
            factor: self.factor,
            min: self.min,
            max: self.max,
            std_mult: self.std,
            trend: self.trend,
            band: self.band,
        })
    }
}

impl SeverityConfig {
    pub fn severity(self) -> Severity {
        match self {
            SeverityConfig::Info => Severity::Info,
            SeverityConfig::Warning => Severity::Warning,
            SeverityConfig::Critical => Severity::Critical,
        }
    }
}

fn warning() -> SeverityConfig {
    SeverityConfig::Warning
}

fn zero() -> Dur {
    Dur(std::time::Duration::ZERO)
}

impl AlertsConfig {
    /// Rules, inhibitions and escalations: the shipped ones (unless turned off), then the
    /// user's, checked.
    pub fn policy(&self, text: &str, path: &std::path::Path) -> Result<Policy, ConfigError> {
        let mut inhibitions = if self.default_rules {
            Policy::default().inhibitions
        } else {
            Vec::new()
        };
        inhibitions.extend(self.inhibit.iter().map(InhibitConfig::build));
        let (grouping, quiet) = self.notify.build(text, path)?;
        Ok(Policy {
            grouping,
            quiet,
            rules: self.rules(text, path)?,
            inhibitions,
            escalations: self
                .escalation
                .iter()
                .map(EscalationConfig::build)
                .collect(),
            // Filled from `[[hosts]]`, `[anomalies]` and `[notify]` by the caller.
            routing: Default::default(),
            host_labels: Default::default(),
            anomalies: Default::default(),
        })
    }

    /// The rules to evaluate: shipped ones (unless turned off) then the user's, checked.
    pub fn rules(&self, text: &str, path: &std::path::Path) -> Result<Vec<Rule>, ConfigError> {
        let mut out = if self.default_rules {
            default_rules()
        } else {
            Vec::new()
        };
        for r in &self.rules {
            let bad = |key: &str, value: &str, why: String| {
                Err(ConfigError::invalid(text, path, key, Some(value), &why))
            };
            if out.iter().any(|x| x.name == r.name) {
                return bad(
                    "name",
                    &r.name,
                    format!("a rule named `{}` exists already", r.name),
                );
            }
            let condition = match condition(r, self.any_metric) {
                Ok(c) => c,
                Err((key, value, why)) => return bad(key, &value, why),
            };
            // Labels may name the series' labels; annotations also the figures and the
            // rule's own labels.
            let series: Vec<&str> = match &r.metric {
                Some(m) if r.expr.is_none() => label_names(m),
                _ => Vec::new(),
            };
            let for_labels: Vec<&str> = FIELDS.iter().copied().chain(series).collect();
            let for_annotations: Vec<&str> = for_labels
                .iter()
                .copied()
                .chain(FIGURES.iter().copied())
                .chain(r.labels.keys().map(String::as_str))
                .collect();
            for (map, allowed) in [(&r.labels, &for_labels), (&r.annotations, &for_annotations)] {
                for (k, t) in map {
                    let names = match placeholders(t) {
                        Ok(n) => n,
                        Err(why) => return bad(k, t, why),
                    };
                    if let Some(n) = names.iter().find(|n| !allowed.contains(n)) {
                        return bad(
                            k,
                            t,
                            format!(
                                "`{{{n}}}` is not known here; use {}",
                                allowed
                                    .iter()
                                    .map(|a| format!("{{{a}}}"))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            ),
                        );
                    }
                }
            }
            out.push(Rule {
                name: r.name.clone(),
                labels: r.labels.clone().into_iter().collect(),
                annotations: r.annotations.clone().into_iter().collect(),
                condition,
                for_ms: r.for_.0.as_millis() as i64,
                severity: r.severity.severity(),
            });
        }
        Ok(out)
    }
}
