//! What a rule is, and the rules montui ships with.

use std::time::Duration;

use super::dynamic::Dynamic;
use super::expr::Expr;
use super::lifecycle::{Alert, Labels, Observation, Severity};
use super::template::{figure, render};

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A metric against a line, one alert per label set (per mount, per disk…), with
    /// hysteresis: once active it clears only past `clear`.
    Threshold {
        metric: String,
        threshold: f64,
        clear: Option<f64>,
        below: bool,
        /// A line that follows the metric (then `threshold` is its base).
        dynamic: Option<Dynamic>,
    },
    /// An expression over the host's metrics; true (non-zero) means active.
    Expr(Expr),
    /// A metric whose forecast reaches a line within `within_ms` (and has not yet), one
    /// alert per label set; the alert's note says when, with a 90 % band.
    Predict {
        metric: String,
        threshold: f64,
        below: bool,
        within_ms: i64,
    },
    /// A metric unusual for it (the anomaly detector's score at least `score`, 0…1), one
    /// alert per label set for as long as it stays so; the alert's threshold is the value
    /// expected, its note the band and which detectors agree.
    Unusual { metric: String, score: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub condition: Condition,
    pub for_ms: i64,
    pub severity: Severity,
    /// Added to each alert's labels (templates of its labels: `{host}`, `{mount}`…).
    pub labels: Vec<(String, String)>,
    /// `summary`, `description`, `runbook`…: templates that may also use `{value}`,
    /// `{threshold}` and `{for}`.
    pub annotations: Vec<(String, String)>,
}

impl Rule {
    /// The alert's labels: its series' labels (its identity) and the rule's, rendered.
    pub fn labels_for(&self, mut series: Labels) -> Labels {
        let rendered: Vec<(String, String)> = self
            .labels
            .iter()
            .map(|(k, t)| (k.clone(), render(t, |n| field(self, &series, n))))
            .collect();
        series.extend(rendered);
        series
    }

    /// One evaluation of the rule for the series `labels` (identity `fingerprint`).
    pub fn observation(
        &self,
        fingerprint: u64,
        labels: Labels,
        active: bool,
        value: f64,
        threshold: Option<f64>,
    ) -> Observation {
        Observation {
            fingerprint,
            rule: self.name.clone(),
            labels: self.labels_for(labels),
            severity: self.severity,
            for_ms: self.for_ms,
            active,
            value,
            threshold,
            note: None,
        }
    }

    /// The rule's annotations for an alert, rendered with its figures.
    pub fn annotations_for(&self, a: &Alert) -> Vec<(String, String)> {
        self.annotations
            .iter()
            .map(|(k, t)| {
                let text = render(t, |n| match n {
                    "value" => Some(figure(a.value)),
                    "threshold" => a.threshold.map(figure),
                    "reason" => Some(a.note.clone().unwrap_or_default()),
                    "for" => Some(
                        humantime::format_duration(
                            Duration::from_millis(self.for_ms.max(0) as u64),
                        )
                        .to_string(),
                    ),
                    _ => field(self, &a.labels, n),
                });
                (k.clone(), text)
            })
            .collect()
    }
}

/// A placeholder every alert of the rule can fill: `rule`, `severity` or a label.
fn field(rule: &Rule, labels: &Labels, name: &str) -> Option<String> {
    match name {
        "rule" => Some(rule.name.clone()),
        "severity" => Some(rule.severity.name().to_string()),
        _ => labels.get(name).cloned(),
    }
}

const MIN: i64 = 60_000;

/// A rule on a metric's forecast reaching `above` within `within_ms` (a warning).
fn predicted(name: &str, metric: &str, above: f64, within_ms: i64, summary: &str) -> Rule {
    Rule {
        labels: Vec::new(),
        annotations: vec![("summary".into(), summary.into())],
        name: name.into(),
        condition: Condition::Predict {
            metric: metric.into(),
            threshold: above,
            below: false,
            within_ms,
        },
        for_ms: 0,
        severity: Severity::Warning,
    }
}

fn threshold(
    name: &str,
    metric: &str,
    above: f64,
    clear: f64,
    for_ms: i64,
    severity: Severity,
    summary: &str,
) -> Rule {
    Rule {
        labels: Vec::new(),
        annotations: vec![("summary".into(), summary.into())],
        name: name.into(),
        condition: Condition::Threshold {
            metric: metric.into(),
            threshold: above,
            clear: Some(clear),
            below: false,
            dynamic: None,
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
            "CPU on {host} at {value}% (over {threshold}% for {for})",
        ),
        threshold(
            "memory_high",
            "memory_used_percent",
            85.0,
            80.0,
            5 * MIN,
            Warning,
            "memory on {host} at {value}% (over {threshold}% for {for})",
        ),
        threshold(
            "disk_full",
            "filesystem_used_percent",
            90.0,
            88.0,
            0,
            Critical,
            "{mount} on {host} is {value}% full",
        ),
        threshold(
            "disk_filling",
            "filesystem_used_percent",
            75.0,
            73.0,
            0,
            Warning,
            "{mount} on {host} is {value}% full",
        ),
        threshold(
            "swap_high",
            "swap_used_percent",
            80.0,
            75.0,
            5 * MIN,
            Warning,
            "swap on {host} at {value}% (over {threshold}% for {for})",
        ),
        threshold(
            "load_high",
            "load1_per_core",
            2.0,
            1.5,
            10 * MIN,
            Warning,
            "load on {host} at {value} per core (over {threshold} for {for})",
        ),
        with_example(threshold(
            "log_error_new",
            "log_new_error_pattern",
            0.5,
            0.5,
            0,
            Warning,
            "new {level} log pattern on {host} ({source}): {pattern}",
        )),
        with_example(threshold(
            "log_trouble",
            "log_known_trouble_lines_per_minute",
            0.5,
            0.5,
            0,
            Critical,
            "{known} on {host} ({source}): {value} lines/min of {pattern}",
        )),
        with_example(Rule {
            name: "log_rate_spike".into(),
            condition: Condition::Threshold {
                metric: "log_pattern_lines_per_minute".into(),
                threshold: LOG_SPIKE.base,
                clear: None,
                below: false,
                dynamic: Some(LOG_SPIKE),
            },
            for_ms: MIN,
            severity: Warning,
            labels: Vec::new(),
            annotations: vec![(
                "summary".into(),
                "log pattern on {host} ({source}) at {value} lines/min, over its usual {threshold}: {pattern}".into(),
            )],
        }),
        predicted(
            "disk_full_predicted",
            "filesystem_used_percent",
            90.0,
            6 * 60 * MIN,
            "{mount} on {host} reaches {threshold}% {reason}",
        ),
        predicted(
            "memory_exhausted_predicted",
            "memory_used_percent",
            95.0,
            60 * MIN,
            "memory on {host} reaches {threshold}% {reason}",
        ),
        Rule {
            name: HOST_DOWN.into(),
            condition: Condition::Threshold {
                metric: "up".into(),
                threshold: 1.0,
                clear: None,
                below: true,
                dynamic: None,
            },
            for_ms: MIN,
            severity: Critical,
            labels: Vec::new(),
            annotations: vec![
                ("summary".into(), "{host} has not answered for {for}".into()),
                ("reason".into(), "{reason}".into()),
            ],
        },
    ]
}

/// A log pattern's usual rate, learned over about ten minutes of one-second looks; the line
/// stays out of reach while learning and never below 30 lines a minute.
const LOG_SPIKE: Dynamic = Dynamic {
    base: 1e12,
    factor: 1.0 / 600.0,
    min: 30.0,
    max: 1e12,
    std_mult: 4.0,
    trend: 0.0,
    band: false,
};

/// Log rules quote a masked example line.
fn with_example(mut r: Rule) -> Rule {
    r.annotations.push(("example".into(), "{example}".into()));
    r
}

/// The rule that fires when a host stops answering; it inhibits that host's other alerts.
pub const HOST_DOWN: &str = "host_down";
