//! Turns each snapshot into rule observations for the lifecycle tracker. Keeps, per host and
//! metric, the recent values the window functions need. Pure: time is the sample's.

use std::collections::{HashMap, HashSet, VecDeque};

use super::expr::{EvalContext, Expr, Func};
use super::lifecycle::{
    Labels, Observation, Phase, Tracker, fingerprint, fingerprint_pairs, threshold_active,
};
use super::rules::{Condition, Rule};
use crate::model::{Metric, Snapshot, metrics};

/// Fingerprints are hashes already: sets of them need no hashing again.
#[derive(Default, Clone, Copy)]
struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FpSet = HashSet<u64, std::hash::BuildHasherDefault<Identity>>;

/// metric → (time, value), oldest first.
type Rings = HashMap<&'static str, VecDeque<(i64, f64)>>;

/// A change of an alert: its fingerprint and new phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub fingerprint: u64,
    pub phase: Phase,
}

pub struct Evaluator {
    rules: Vec<Rule>,
    pub tracker: Tracker,
    /// host → metric → (time, value), oldest first, for label-less metrics.
    recent: HashMap<String, Rings>,
    keep_ms: i64,
    /// host → per rule (by index), the alerts pending or firing after the last evaluation.
    live: HashMap<String, Vec<FpSet>>,
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
            live: HashMap::new(),
        }
    }

    /// Evaluates every rule on a host's new snapshot.
    pub fn evaluate(&mut self, s: &Snapshot) -> Vec<Transition> {
        let now = s.ts_ms;
        let ms = metrics(s);
        let mut latest: HashMap<&str, f64> = HashMap::new();
        let rings = self.recent.entry(s.host.clone()).or_default();
        for m in ms.iter().filter(|m| m.labels.is_empty()) {
            latest.insert(m.name, m.value);
            if self.keep_ms > 0 {
                let ring = rings.entry(m.name).or_default();
                ring.push_back((now, m.value));
                while ring.front().is_some_and(|(t, _)| *t < now - self.keep_ms) {
                    ring.pop_front();
                }
            }
        }
        let mut by_name: HashMap<&str, Vec<&Metric>> = HashMap::new();
        for m in &ms {
            by_name.entry(m.name).or_default().push(m);
        }
        let mut out = Vec::new();
        let host_labels = Labels::from([("host".to_string(), s.host.clone())]);
        let mut live = match self.live.remove(&s.host) {
            Some(l) => l,
            None => self.restored_live(&s.host),
        };
        live.resize_with(self.rules.len(), FpSet::default);
        let mut seen = FpSet::default();
        for (rule, before) in self.rules.iter().zip(live.iter_mut()) {
            seen.clear();
            match &rule.condition {
                Condition::Threshold {
                    metric,
                    threshold,
                    clear,
                    below,
                } => {
                    for m in by_name.get(metric.as_str()).into_iter().flatten() {
                        let mut pairs: Vec<(&str, &str)> =
                            m.labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        pairs.push(("host", s.host.as_str()));
                        pairs.sort_unstable();
                        let fp = fingerprint_pairs(&rule.name, pairs.iter().copied());
                        let phase = self.tracker.phase(fp);
                        let was = matches!(phase, Some(Phase::Pending | Phase::Firing));
                        let active = threshold_active(m.value, *threshold, *clear, *below, was);
                        if !active && !was {
                            continue;
                        }
                        seen.insert(fp);
                        if active && phase == Some(Phase::Firing) {
                            self.tracker.refresh(fp, m.value, Some(*threshold));
                            continue;
                        }
                        let labels: Labels = pairs
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect();
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
                        now,
                        latest: &latest,
                        rings: self.recent.get(&s.host),
                    };
                    let value = e.eval(&ctx);
                    let active = value.is_some_and(|v| v != 0.0);
                    let fp = fingerprint(&rule.name, &host_labels);
                    let phase = self.tracker.phase(fp);
                    let v = value.unwrap_or(f64::NAN);
                    if active && phase == Some(Phase::Firing) {
                        self.tracker.refresh(fp, v, None);
                    } else if active || matches!(phase, Some(Phase::Pending | Phase::Firing)) {
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
                    if active {
                        seen.insert(fp);
                    }
                }
            }
            // A label set that vanished (an unmounted file system) ends its alert.
            for fp in before.difference(&seen) {
                if let Some(a) = self.tracker.get(*fp) {
                    let (labels, value) = (a.labels.clone(), a.value);
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
            before.clear();
            before.extend(seen.iter().filter(|fp| self.tracker.is_active(**fp)));
        }
        self.live.insert(s.host.clone(), live);
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

impl Evaluator {
    /// The host's active alerts already in the tracker (restored from an earlier run), by rule,
    /// so that one whose label set is gone still resolves.
    fn restored_live(&self, host: &str) -> Vec<FpSet> {
        let mut live = vec![FpSet::default(); self.rules.len()];
        for a in self.tracker.alerts() {
            if a.labels.get("host").map(String::as_str) == Some(host)
                && matches!(a.phase, Phase::Pending | Phase::Firing)
                && let Some(i) = self.rules.iter().position(|r| r.name == a.rule)
            {
                live[i].insert(a.fingerprint);
            }
        }
        live
    }
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
    now: i64,
    latest: &'a HashMap<&'a str, f64>,
    rings: Option<&'a Rings>,
}

impl EvalContext for Ctx<'_> {
    fn value(&self, metric: &str) -> Option<f64> {
        self.latest.get(metric).copied()
    }

    fn window(&self, func: Func, metric: &str, window_ms: i64) -> Option<f64> {
        let ring = self.rings?.get(metric)?;
        // Newest first, until the window's start: no allocation on this per-sample path.
        let from = self.now - window_ms;
        let mut inside = ring.iter().rev().take_while(|(t, _)| *t >= from);
        let (last_t, last_v) = *inside.next()?;
        let (mut n, mut sum, mut max, mut min, mut first) =
            (1.0, last_v, last_v, last_v, (last_t, last_v));
        for &(t, v) in inside {
            n += 1.0;
            sum += v;
            max = max.max(v);
            min = min.min(v);
            first = (t, v);
        }
        Some(match func {
            Func::Avg => sum / n,
            Func::Max => max,
            Func::Min => min,
            Func::Rate if last_t > first.0 => {
                (last_v - first.1) / ((last_t - first.0) as f64 / 1000.0)
            }
            Func::Rate => return None,
        })
    }
}

#[cfg(test)]
mod tests;
