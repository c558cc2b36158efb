//! Turns each snapshot into rule observations for the lifecycle tracker. Keeps, per host and
//! metric, the recent values the window functions need. Pure: time is the sample's.

use std::collections::{HashMap, HashSet, VecDeque};

use super::expr::{EvalContext, Expr, Func};
use super::lifecycle::{Labels, Observation, Phase, Tracker, fingerprint, threshold_active};
use super::rules::{Condition, Rule};
use crate::model::{Snapshot, metrics};

/// A change of an alert: its fingerprint and new phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub fingerprint: u64,
    pub phase: Phase,
}

pub struct Evaluator {
    rules: Vec<Rule>,
    pub tracker: Tracker,
    /// (host, metric) → (time, value), oldest first, for label-less metrics.
    recent: HashMap<(String, String), VecDeque<(i64, f64)>>,
    keep_ms: i64,
}

impl Evaluator {
    pub fn new(rules: Vec<Rule>) -> Self {
        let keep_ms = rules
            .iter()
            .filter_map(|r| match &r.condition {
                Condition::Expr(e) => Some(max_window(e)),
                Condition::Threshold { .. } => None,
            })
            .max()
            .unwrap_or(0);
        Self {
            rules,
            tracker: Tracker::default(),
            recent: HashMap::new(),
            keep_ms,
        }
    }

    /// Evaluates every rule on a host's new snapshot.
    pub fn evaluate(&mut self, s: &Snapshot) -> Vec<Transition> {
        let now = s.ts_ms;
        let ms = metrics(s);
        let mut latest: HashMap<&str, f64> = HashMap::new();
        for m in ms.iter().filter(|m| m.labels.is_empty()) {
            latest.insert(m.name, m.value);
            if self.keep_ms > 0 {
                let ring = self
                    .recent
                    .entry((s.host.clone(), m.name.to_string()))
                    .or_default();
                ring.push_back((now, m.value));
                while ring.front().is_some_and(|(t, _)| *t < now - self.keep_ms) {
                    ring.pop_front();
                }
            }
        }
        let mut out = Vec::new();
        let host_labels = Labels::from([("host".to_string(), s.host.clone())]);
        for rule in &self.rules {
            let mut seen = HashSet::new();
            match &rule.condition {
                Condition::Threshold {
                    metric,
                    threshold,
                    clear,
                    below,
                } => {
                    for m in ms.iter().filter(|m| m.name == metric) {
                        let mut labels = host_labels.clone();
                        labels.extend(m.labels.iter().map(|(k, v)| (k.to_string(), v.clone())));
                        let fp = fingerprint(&rule.name, &labels);
                        seen.insert(fp);
                        let was = self.tracker.is_active(fp);
                        let active = threshold_active(m.value, *threshold, *clear, *below, was);
                        out.extend(observe(
                            &mut self.tracker,
                            rule,
                            labels,
                            active,
                            m.value,
                            Some(*threshold),
                            now,
                        ));
                    }
                }
                Condition::Expr(e) => {
                    let ctx = Ctx {
                        host: &s.host,
                        now,
                        latest: &latest,
                        recent: &self.recent,
                    };
                    let value = e.eval(&ctx);
                    let active = value.is_some_and(|v| v != 0.0);
                    seen.insert(fingerprint(&rule.name, &host_labels));
                    let v = value.unwrap_or(f64::NAN);
                    out.extend(observe(
                        &mut self.tracker,
                        rule,
                        host_labels.clone(),
                        active,
                        v,
                        None,
                        now,
                    ));
                }
            }
            // A label set that vanished (an unmounted file system) ends its alert.
            let gone: Vec<(Labels, f64)> = self
                .tracker
                .alerts()
                .filter(|a| a.rule == rule.name && a.labels.get("host") == Some(&s.host))
                .filter(|a| a.phase != Phase::Resolved && !seen.contains(&a.fingerprint))
                .map(|a| (a.labels.clone(), a.value))
                .collect();
            for (labels, value) in gone {
                out.extend(observe(
                    &mut self.tracker,
                    rule,
                    labels,
                    false,
                    value,
                    None,
                    now,
                ));
            }
        }
        out
    }
}

/// One observation of `rule` into the tracker; the transition it caused, if any.
fn observe(
    tracker: &mut Tracker,
    rule: &Rule,
    labels: Labels,
    active: bool,
    value: f64,
    threshold: Option<f64>,
    now: i64,
) -> Option<Transition> {
    let fingerprint = fingerprint(&rule.name, &labels);
    let o = Observation {
        rule: rule.name.clone(),
        labels,
        severity: rule.severity,
        for_ms: rule.for_ms,
        active,
        value,
        threshold,
    };
    tracker
        .observe(o, now)
        .map(|phase| Transition { fingerprint, phase })
}

fn max_window(e: &Expr) -> i64 {
    match e {
        Expr::Window { window_ms, .. } => *window_ms,
        Expr::Not(x) | Expr::Neg(x) => max_window(x),
        Expr::Binary(_, l, r) => max_window(l).max(max_window(r)),
        Expr::Num(_) | Expr::Metric(_) => 0,
    }
}

struct Ctx<'a> {
    host: &'a str,
    now: i64,
    latest: &'a HashMap<&'a str, f64>,
    recent: &'a HashMap<(String, String), VecDeque<(i64, f64)>>,
}

impl EvalContext for Ctx<'_> {
    fn value(&self, metric: &str) -> Option<f64> {
        self.latest.get(metric).copied()
    }

    fn window(&self, func: Func, metric: &str, window_ms: i64) -> Option<f64> {
        let ring = self
            .recent
            .get(&(self.host.to_string(), metric.to_string()))?;
        let vals: Vec<(i64, f64)> = ring
            .iter()
            .copied()
            .filter(|(t, _)| *t >= self.now - window_ms)
            .collect();
        let (first, last) = (vals.first()?, vals.last()?);
        Some(match func {
            Func::Avg => vals.iter().map(|v| v.1).sum::<f64>() / vals.len() as f64,
            Func::Max => vals.iter().map(|v| v.1).fold(f64::MIN, f64::max),
            Func::Min => vals.iter().map(|v| v.1).fold(f64::MAX, f64::min),
            Func::Rate if last.0 > first.0 => {
                (last.1 - first.1) / ((last.0 - first.0) as f64 / 1000.0)
            }
            Func::Rate => return None,
        })
    }
}

#[cfg(test)]
mod tests;
