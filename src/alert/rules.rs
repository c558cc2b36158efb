//! What a rule is, and the rules montui ships with.

use super::expr::Expr;
use super::lifecycle::Severity;

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A metric against a line, one alert per label set (per mount, per disk…), with
    /// hysteresis: once active it clears only past `clear`.
    Threshold {
        metric: String,
        threshold: f64,
        clear: Option<f64>,
        below: bool,
    },
    /// An expression over the host's metrics; true (non-zero) means active.
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub condition: Condition,
    pub for_ms: i64,
    pub severity: Severity,
}

const MIN: i64 = 60_000;

fn threshold(
    name: &str,
    metric: &str,
    above: f64,
    clear: f64,
    for_ms: i64,
    severity: Severity,
) -> Rule {
    Rule {
        name: name.into(),
        condition: Condition::Threshold {
            metric: metric.into(),
            threshold: above,
            clear: Some(clear),
            below: false,
        },
        for_ms,
        severity,
    }
}

/// The rules montui watches with no configuration.
pub fn default_rules() -> Vec<Rule> {
    use Severity::{Critical, Warning};
    vec![
        threshold(
            "cpu_high",
            "cpu_busy_percent",
            90.0,
            85.0,
            5 * MIN,
            Critical,
        ),
        threshold(
            "memory_high",
            "memory_used_percent",
            85.0,
            80.0,
            5 * MIN,
            Warning,
        ),
        threshold(
            "disk_full",
            "filesystem_used_percent",
            90.0,
            88.0,
            0,
            Critical,
        ),
        threshold(
            "disk_filling",
            "filesystem_used_percent",
            75.0,
            73.0,
            0,
            Warning,
        ),
        threshold(
            "swap_high",
            "swap_used_percent",
            80.0,
            75.0,
            5 * MIN,
            Warning,
        ),
        threshold("load_high", "load1_per_core", 2.0, 1.5, 10 * MIN, Warning),
    ]
}
