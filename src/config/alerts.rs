//! `[alerts]` in config.toml: the shipped rules on or off, and the user's own rules.

use serde::Deserialize;

use super::{ConfigError, Dur};
use crate::alert::expr::parse;
use crate::alert::lifecycle::Severity;
use crate::alert::rules::{Condition, Rule, default_rules};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Keep the rules montui ships (CPU, memory, disk, swap, load).
    pub default_rules: bool,
    pub rules: Vec<RuleConfig>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            default_rules: true,
            rules: Vec::new(),
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
    pub severity: SeverityConfig,
}

fn zero() -> Dur {
    Dur(std::time::Duration::ZERO)
}

impl AlertsConfig {
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
            let condition = match (&r.expr, &r.metric, r.above, r.below) {
                (Some(e), None, None, None) => match parse(e) {
                    Ok(x) => Condition::Expr(x),
                    Err(err) => return bad("expr", e, err.to_string()),
                },
                (None, Some(m), Some(t), None) | (None, Some(m), None, Some(t)) => {
                    Condition::Threshold {
                        metric: m.clone(),
                        threshold: t,
                        clear: r.clear,
                        below: r.below.is_some(),
                    }
                }
                _ => {
                    return bad(
                        "name",
                        &r.name,
                        "a rule needs either `expr`, or `metric` with one of `above` and `below`"
                            .into(),
                    );
                }
            };
            out.push(Rule {
                name: r.name.clone(),
                condition,
                for_ms: r.for_.0.as_millis() as i64,
                severity: match r.severity {
                    SeverityConfig::Info => Severity::Info,
                    SeverityConfig::Warning => Severity::Warning,
                    SeverityConfig::Critical => Severity::Critical,
                },
            });
        }
        Ok(out)
    }
}
