//! Turns each snapshot into rule observations for the lifecycle tracker. Keeps, per host and
//! metric, the recent values the window functions need. Pure: time is the sample's.

use std::collections::{HashMap, VecDeque};

use super::dynamic::Learned;
use super::expr::{EvalContext, Expr, Func};
use super::fpset::{FpMap, FpSet};
use super::lifecycle::{
    Labels, Observation, Phase, Tracker, fingerprint_from, rule_prefix, threshold_active,
};
use super::rules::{Condition, Rule};

mod predict;
use crate::detect::watch::series_key;
use crate::detect::{Watch, WatchSettings};
use crate::model::{FAMILIES, Metric, Snapshot, is_log_family, metrics};

/// metric → (time, value), oldest first.
type Rings = HashMap<crate::model::Name, VecDeque<(i64, f64)>>;

/// A change of an alert: its fingerprint and new phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub fingerprint: u64,
    pub phase: Phase,
}

/// What a rule needs on every sample, worked out once.
struct Compiled {
    /// Fingerprint state after the rule's name.
    prefix: u64,
    /// For a threshold rule, the index of its metric family (None: no such metric): one of
    /// `FAMILIES`, or past them one of `custom`.
    family: Option<usize>,
}

pub struct Evaluator {
    rules: Vec<Rule>,
    compiled: Vec<Compiled>,
    pub tracker: Tracker,
    /// host → metric → (time, value), oldest first, for label-less metrics.
    recent: HashMap<String, Rings>,
    keep_ms: i64,
    /// host → per rule (by index), the alerts pending or firing after the last evaluation.
    live: HashMap<String, Vec<FpSet>>,
    /// Per metric family, the indexes of this sample's metrics (reused between samples).
    by_family: Vec<Vec<usize>>,
    /// Metric names the rules name that are none of montui's families: series a scrape or
    /// StatsD brings (their families come after `FAMILIES`).
    custom: Vec<String>,
    /// What dynamic thresholds learned, per series.
    learned: FpMap<Learned>,
    /// Every series' detector (anomalies, forecasts), read by predict and unusual rules.
    pub watch: Watch,
    /// host → when its last sample's scraped series were taken.
    series_at: HashMap<String, i64>,
    /// host → labels its alerts carry (`[[hosts]] labels`); a series' own labels win.
    pub host_labels: HashMap<String, Labels>,
    /// Dynamic lines that moved, (series fingerprint, time, line), for the caller to record.
    pub threshold_changes: Vec<(u64, i64, f64)>,
}

impl Evaluator {
    pub fn new(rules: Vec<Rule>) -> Self {
        Self::watching(rules, WatchSettings::default())
    }

    /// With the anomaly watch set up by `settings`.
    pub fn watching(rules: Vec<Rule>, settings: WatchSettings) -> Self {
        let keep_ms = rules
            .iter()
            .filter_map(|r| match &r.condition {
                Condition::Expr(e) => Some(max_window(e)),
                Condition::Threshold { .. }
                | Condition::Predict { .. }
                | Condition::Unusual { .. } => None,
            })
            .max()
            .unwrap_or(0);
        let mut custom: Vec<String> = Vec::new();
        let compiled = rules
            .iter()
            .map(|r| Compiled {
                prefix: rule_prefix(&r.name),
                family: match &r.condition {
                    Condition::Threshold { metric, .. }
                    | Condition::Predict { metric, .. }
                    | Condition::Unusual { metric, .. } => {
                        family(metric).or_else(|| Some(custom_family(&mut custom, metric)))
                    }
                    Condition::Expr(_) => None,
                },
            })
            .collect();
        Self {
            rules,
            compiled,
            tracker: Tracker::default(),
            recent: HashMap::new(),
            keep_ms,
            live: HashMap::new(),
            by_family: vec![Vec::new(); FAMILIES.len() + custom.len()],
            custom,
            learned: FpMap::default(),
            watch: Watch::new(settings),
            series_at: HashMap::new(),
            host_labels: HashMap::new(),
            threshold_changes: Vec::new(),
        }
    }

    /// Evaluates every rule on a host's new snapshot.
    pub fn evaluate(&mut self, s: &Snapshot) -> Vec<Transition> {
        let pass = Pass::Sample(self.series_new(s));
        self.run(&s.host, s.ts_ms, &metrics(s), pass, None)
    }

    /// Whether `s` brings series of a scrape not seen yet (a sample that repeats the last
    /// one's is not news to the anomaly watch).
    fn series_new(&mut self, s: &Snapshot) -> bool {
        let seen = self.series_at.entry(s.host.clone()).or_default();
        std::mem::replace(seen, s.series_at) != s.series_at
    }

    /// Evaluates the rules on log families (`log_*`) over a host's log pattern metrics.
    pub fn evaluate_logs(&mut self, host: &str, now: i64, ms: &[Metric]) -> Vec<Transition> {
        self.run(host, now, ms, Pass::Logs, None)
    }

    /// Learns from a recorded snapshot without raising anything: at start-up, the recent
    /// past fills the windows of expressions and the baselines of dynamic thresholds.
    pub fn learn(&mut self, s: &Snapshot) {
        let pass = Pass::Learn(self.series_new(s));
        self.run(&s.host, s.ts_ms, &metrics(s), pass, None);
    }

    /// The host did not answer at `now` (`reason`, kept on its alerts): rules on `up` see it
    /// at 0 (`host_down`); every other rule keeps its alerts as they were.
    pub fn evaluate_down(&mut self, host: &str, now: i64, reason: &str) -> Vec<Transition> {
        let up = Metric {
            name: "up".into(),
            labels: Vec::new(),
            value: 0.0,
        };
        self.run(host, now, &[up], Pass::Down, Some(reason))
    }

    /// One pass of the rules over a host's metrics; `note` goes on the alerts it touches.
    fn run(
        &mut self,
        host: &str,
        now: i64,
        ms: &[Metric],
        pass: Pass,
        note: Option<&str>,
    ) -> Vec<Transition> {
        if let Pass::Sample(new) | Pass::Learn(new) = pass {
            let record = matches!(pass, Pass::Sample(_));
            self.watch.observe(host, now, ms, record, new);
        }
        let mut latest: HashMap<&str, f64> = HashMap::new();
        if !self.recent.contains_key(host) {
            self.recent.insert(host.to_string(), Rings::new());
        }
        let mut rings = self.recent.get_mut(host);
        for m in ms.iter().filter(|m| m.labels.is_empty()) {
            latest.insert(&m.name, m.value);
            if self.keep_ms > 0
                && let Some(rings) = rings.as_deref_mut()
            {
                if !rings.contains_key(&m.name) {
                    rings.insert(m.name.clone(), VecDeque::new());
                }
                let Some(ring) = rings.get_mut(&m.name) else {
                    continue;
                };
                ring.push_back((now, m.value));
                while ring.front().is_some_and(|(t, _)| *t < now - self.keep_ms) {
                    ring.pop_front();
                }
            }
        }
        self.by_family.iter_mut().for_each(Vec::clear);
        for (i, m) in ms.iter().enumerate() {
            // A scraped series' name is never a family's (`scraped_` keeps them apart).
            let f = match &m.name {
                crate::model::Name::Borrowed(name) => family(name),
                crate::model::Name::Owned(name) => (self.custom.iter())
                    .position(|c| c == name)
                    .map(|at| FAMILIES.len() + at),
            };
            if let Some(f) = f {
                self.by_family[f].push(i);
            }
        }
        let mut out = Vec::new();
        let mut live = match self.live.remove(host) {
            Some(l) => l,
            None => self.restored_live(host),
        };
        live.resize_with(self.rules.len(), FpSet::default);
        let mut seen = FpSet::default();
        let host_labels = self.host_labels.get(host);
        for ((rule, c), before) in self.rules.iter().zip(&self.compiled).zip(live.iter_mut()) {
            if pass == Pass::Down && c.family != family("up") {
                continue;
            }
            // Log rules see log pattern metrics only, the others samples only.
            let log_rule = (c.family)
                .and_then(|f| FAMILIES.get(f))
                .is_some_and(|(f, _)| is_log_family(f));
            if log_rule != (pass == Pass::Logs) {
                continue;
            }
            if let Pass::Learn(_) = pass {
                if let Condition::Threshold {
                    below,
                    dynamic: Some(d),
                    ..
                } = &rule.condition
                {
                    for m in c.family.map_or(&[][..], |f| &self.by_family[f][..]) {
                        let m = &ms[*m];
                        let fp = fingerprint_from(c.prefix, with_host(m, host));
                        let learned = self.learned.entry(fp).or_default();
                        d.line(learned, m.value, now, *below, before.contains(&fp));
                    }
                }
                continue;
            }
            seen.clear();
            match &rule.condition {
                Condition::Threshold {
                    threshold,
                    clear,
                    below,
                    dynamic,
                    ..
                } => {
                    let members = c.family.map_or(&[][..], |f| &self.by_family[f][..]);
                    for m in members.iter().map(|i| &ms[*i]) {
                        let mut series_fp = None;
                        let (line, clear) = match dynamic {
                            Some(d) => {
                                let fp = fingerprint_from(c.prefix, with_host(m, host));
                                series_fp = Some(fp);
                                let learned = self.learned.entry(fp).or_default();
                                // The detector's band (its verdict on this value was made
                                // before it learned it).
                                let band = d
                                    .band
                                    .then(|| self.watch.get(series_key(host, m)))
                                    .flatten()
                                    .map(|t| t.verdict)
                                    .filter(|v| v.high > v.expected)
                                    .map(|v| (v.expected, (v.high - v.expected) / 3.0));
                                let frozen = before.contains(&fp);
                                let line = d.line_from(learned, m.value, now, *below, frozen, band);
                                if d.record(learned, line) {
                                    self.threshold_changes.push((fp, now, line));
                                }
                                (line, None)
                            }
                            None => (*threshold, *clear),
                        };
                        // The common case, nothing active and nothing crossing: one comparison.
                        if before.is_empty()
                            && !threshold_active(m.value, line, clear, *below, false)
                        {
                            continue;
                        }
                        let fp = series_fp
                            .unwrap_or_else(|| fingerprint_from(c.prefix, with_host(m, host)));
                        let was = before.contains(&fp);
                        let active = threshold_active(m.value, line, clear, *below, was);
                        let refreshed = active
                            && note.is_none()
                            && self.tracker.refresh_firing(fp, m.value, Some(line));
                        if !refreshed && (active || was) {
                            let labels = series_labels(m, host, host_labels);
                            let mut o = rule.observation(fp, labels, active, m.value, Some(line));
                            o.note = note.map(str::to_string);
                            out.extend(apply(&mut self.tracker, o, now));
                        }
                        if active {
                            seen.insert(fp);
                        }
                    }
                }
                Condition::Predict { .. } | Condition::Unusual { .. } => {
                    let members = c.family.map_or(&[][..], |f| &self.by_family[f][..]);
                    for m in members.iter().map(|i| &ms[*i]) {
                        let fp = fingerprint_from(c.prefix, with_host(m, host));
                        let live = before.contains(&fp);
                        let Some(t) = self.watch.get(series_key(host, m)) else {
                            continue;
                        };
                        let Some((note, line)) =
                            predict::judge(&rule.condition, m.value, &t.verdict, &t.detector, live)
                        else {
                            continue;
                        };
                        let active = note.is_some();
                        let labels = series_labels(m, host, host_labels);
                        let mut o = rule.observation(fp, labels, active, m.value, Some(line));
                        o.note = note;
                        out.extend(apply(&mut self.tracker, o, now));
                        if active {
                            seen.insert(fp);
                        }
                    }
                }
                Condition::Expr(e) => {
                    let ctx = Ctx {
                        now,
                        latest: &latest,
                        rings: self.recent.get(host),
                    };
                    let value = e.eval(&ctx);
                    let active = value.is_some_and(|v| v != 0.0);
                    let fp = fingerprint_from(c.prefix, std::iter::once(("host", host)));
                    // Shown: the figures that made it true, not the truth value 1.
                    let (v, line) = match active.then(|| e.witness(&ctx)).flatten() {
                        Some(w) => w,
                        None => (value.unwrap_or(f64::NAN), None),
                    };
                    let refreshed = active && self.tracker.refresh_firing(fp, v, line);
                    if !refreshed && (active || before.contains(&fp)) {
                        let labels =
                            labelled([("host".to_string(), host.to_string())], host_labels);
                        out.extend(apply(
                            &mut self.tracker,
                            rule.observation(fp, labels, active, v, line),
                            now,
                        ));
                    }
                    if active {
                        seen.insert(fp);
                    }
                }
            }
            // Active before, not now: the condition cleared (observed above) or the label
            // set vanished (an unmounted file system), which ends its alert too.
            for fp in before.difference(&seen) {
                if let Some(a) = self.tracker.get(*fp)
                    && matches!(a.phase, Phase::Pending | Phase::Firing)
                {
                    let (labels, value) = (a.labels.clone(), a.value);
                    out.extend(apply(
                        &mut self.tracker,
                        rule.observation(*fp, labels, false, value, None),
                        now,
                    ));
                }
            }
            std::mem::swap(before, &mut seen);
        }
        self.live.insert(host.to_string(), live);
        out
    }
}

/// What a run over a host's metrics is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// A new sample: every rule; true when it brings a new scrape's series.
    Sample(bool),
    /// The host did not answer: only rules on `up`.
    Down,
    /// A recorded sample at start-up: learn, raise nothing.
    Learn(bool),
    /// Log pattern metrics: only rules on log families.
    Logs,
}

/// The index of a metric family by name.
fn family(name: &str) -> Option<usize> {
    FAMILIES.iter().position(|(f, _)| *f == name)
}

/// The family index of a name no family of montui's has, after `FAMILIES`.
fn custom_family(custom: &mut Vec<String>, name: &str) -> usize {
    let at = match custom.iter().position(|c| c == name) {
        Some(at) => at,
        None => {
            custom.push(name.to_string());
            custom.len() - 1
        }
    };
    FAMILIES.len() + at
}

/// A metric's labels with the host's, sorted by name (a metric's own come sorted).
fn with_host<'a>(m: &'a Metric, host: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
    let split = m.labels.partition_point(|(k, _)| k.as_ref() < "host");
    let pair = |(k, v): &'a (crate::model::Name, String)| (k.as_ref(), v.as_str());
    m.labels[..split]
        .iter()
        .map(pair)
        .chain(std::iter::once(("host", host)))
        .chain(m.labels[split..].iter().map(pair))
}

/// The labels of an alert on series `m` of `host`.
fn series_labels(m: &Metric, host: &str, host_labels: Option<&Labels>) -> Labels {
    labelled(
        with_host(m, host).map(|(k, v)| (k.to_string(), v.to_string())),
        host_labels,
    )
}

/// An alert's labels: the series' own, then the host's that it does not have.
fn labelled(series: impl IntoIterator<Item = (String, String)>, host: Option<&Labels>) -> Labels {
    let mut labels: Labels = series.into_iter().collect();
    for (k, v) in host.into_iter().flatten() {
        labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    labels
}

/// One observation into the tracker; the transition it caused, if any.
fn apply(tracker: &mut Tracker, o: Observation, now: i64) -> Option<Transition> {
    let fingerprint = o.fingerprint;
    tracker
        .observe(o, now)
        .map(|phase| Transition { fingerprint, phase })
}

/// Series whose dynamic thresholds are kept, at most: the most recently seen (series come
/// and go: log patterns, processes, mounts).
pub const LEARNED_KEPT: usize = 10_000;

impl Evaluator {
    /// Forgets what is kept of series gone: resolved alerts past their cap, and the learned
    /// thresholds of the series seen longest ago past `LEARNED_KEPT`.
    pub fn forget_gone(&mut self) {
        self.tracker.forget_resolved();
        crate::bounded::keep_newest(&mut self.learned, LEARNED_KEPT, |l| {
            l.last_ms().unwrap_or(i64::MIN)
        });
    }

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
