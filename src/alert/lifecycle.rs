//! The alert lifecycle with Alertmanager's semantics: an alert is its rule and labels (a
//! fingerprint), so a long incident is one row. inactive → pending (condition true, `for` not
//! yet met) → firing → resolved. Pure: the caller passes the time.

use std::collections::BTreeMap;

use super::fpset::FpMap;

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Firing,
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    Pending,
    Firing,
    Resolved,
    Acked {
        by: String,
    },
    Unacked,
    /// Escalation step `step` (counted from 1) was taken.
    Escalated {
        step: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: i64,
    pub kind: EventKind,
    /// The alert's value then.
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub by: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub fingerprint: u64,
    pub rule: String,
    pub labels: Labels,
    pub severity: Severity,
    pub phase: Phase,
    /// When the condition became true (start of this episode).
    pub active_since: i64,
    pub fired_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub value: f64,
    pub threshold: Option<f64>,
    pub ack: Option<Ack>,
    /// Escalation steps taken while firing unacknowledged (0: none).
    pub escalation: u32,
    /// What the source last said about it: why a host did not answer.
    pub note: Option<String>,
    pub events: Vec<Event>,
}

impl Alert {
    /// A label's value. One label model for matching everywhere (silences, inhibition,
    /// escalation, the `/` filter): as in Alertmanager, `alertname` is the rule and
    /// `severity` the alert's severity, beside the labels of its series and rule.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.label_as(name, self.severity)
    }

    /// `label`, with the severity taken as `severity`.
    fn label_as(&self, name: &str, severity: Severity) -> Option<&str> {
        match name {
            "alertname" => Some(&self.rule),
            "severity" => Some(severity.name()),
            _ => self.labels.get(name).map(String::as_str),
        }
    }

    /// Whether every `name = value` matcher holds.
    pub fn matches(&self, matchers: &[(String, String)]) -> bool {
        self.matches_as(matchers, self.severity)
    }

    /// `matches`, with the severity taken as `severity` (escalation matches the severity
    /// the rule gave, so raising it does not move the alert to another policy).
    pub fn matches_as(&self, matchers: &[(String, String)], severity: Severity) -> bool {
        matchers
            .iter()
            .all(|(k, v)| self.label_as(k, severity) == Some(v.as_str()))
    }

    /// Every label as `name=value`, `alertname` and `severity` first.
    pub fn label_pairs(&self) -> Vec<String> {
        let mut out = vec![
            format!("alertname={}", self.rule),
            format!("severity={}", self.severity.name()),
        ];
        out.extend(self.labels.iter().map(|(k, v)| format!("{k}={v}")));
        out
    }

    /// A firing alert of `rule` with `labels` (tests, and `montui notify test`).
    pub fn firing(rule: &str, labels: &[(&str, &str)]) -> Alert {
        let labels: Labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Alert {
            fingerprint: fingerprint(rule, &labels),
            rule: rule.into(),
            labels,
            severity: Severity::Warning,
            phase: Phase::Firing,
            active_since: 0,
            fired_at: Some(0),
            resolved_at: None,
            value: 1.0,
            threshold: None,
            ack: None,
            escalation: 0,
            note: None,
            events: vec![],
        }
    }

    /// Adds an event to the timeline, with the alert's value now.
    pub(super) fn log(&mut self, at: i64, kind: EventKind) {
        self.events.push(Event {
            at,
            kind,
            value: self.value,
        });
    }

    /// The alert without its timeline: what the alert pane needs, cheap to copy each sample
    /// (a timeline only grows).
    pub fn summary(&self) -> Alert {
        Alert {
            fingerprint: self.fingerprint,
            rule: self.rule.clone(),
            labels: self.labels.clone(),
            severity: self.severity,
            phase: self.phase,
            active_since: self.active_since,
            fired_at: self.fired_at,
            note: self.note.clone(),
            resolved_at: self.resolved_at,
            value: self.value,
            threshold: self.threshold,
            ack: self.ack.clone(),
            escalation: self.escalation,
            events: Vec::new(),
        }
    }
}

/// One evaluation of a rule for one label set.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The alert's identity: its rule and its series' labels (see `fingerprint`).
    pub fingerprint: u64,
    pub rule: String,
    pub labels: Labels,
    pub severity: Severity,
    pub for_ms: i64,
    pub active: bool,
    pub value: f64,
    pub threshold: Option<f64>,
    /// Why, when the source says (a host's failure reason); kept on the alert.
    pub note: Option<String>,
}

/// Alert identity, stable across runs and versions (FNV-1a over rule and sorted labels).
pub fn fingerprint(rule: &str, labels: &Labels) -> u64 {
    fingerprint_pairs(rule, labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The same from borrowed label pairs, which must come sorted by name.
pub fn fingerprint_pairs<'a>(rule: &str, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> u64 {
    fingerprint_from(rule_prefix(rule), pairs)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of one field, then a separator no text contains, so ("ab","c") and ("a","bc") differ.
fn eat(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes.iter().chain(&[0xff]) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The fingerprint state after the rule's name: computed once per rule, continued per label set.
pub fn rule_prefix(rule: &str) -> u64 {
    eat(FNV_OFFSET, rule.as_bytes())
}

/// Continues a rule's prefix over label pairs sorted by name.
pub fn fingerprint_from<'a>(prefix: u64, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> u64 {
    pairs.fold(prefix, |h, (k, v)| eat(eat(h, k.as_bytes()), v.as_bytes()))
}

/// Whether a threshold condition holds, with hysteresis: once active it stays so until the
/// value crosses `clear` (default: the threshold itself), so a value hovering at the line does
/// not flap. `below` flips the direction.
pub fn threshold_active(
    value: f64,
    threshold: f64,
    clear: Option<f64>,
    below: bool,
    was_active: bool,
) -> bool {
    let line = if was_active {
        clear.unwrap_or(threshold)
    } else {
        threshold
    };
    if below { value < line } else { value > line }
}

/// Every alert montui knows, by fingerprint (in no particular order).
#[derive(Debug, Default)]
pub struct Tracker {
    alerts: FpMap<Alert>,
}

/// Resolved alerts kept in memory (and on the board), at most: the most recently resolved.
/// The history keeps them all.
pub const RESOLVED_KEPT: usize = 1000;

impl Tracker {
    /// Forgets the longest resolved alerts past `RESOLVED_KEPT` (churning series would
    /// otherwise grow the board and memory without end).
    pub fn forget_resolved(&mut self) {
        let mut resolved: Vec<(i64, u64)> = (self.alerts.values())
            .filter(|a| a.phase == Phase::Resolved)
            .map(|a| (a.resolved_at.unwrap_or(0), a.fingerprint))
            .collect();
        if resolved.len() <= RESOLVED_KEPT + RESOLVED_KEPT / 8 {
            return;
        }
        let excess = resolved.len() - RESOLVED_KEPT;
        resolved.select_nth_unstable(excess - 1);
        for (_, fp) in &resolved[..excess] {
            self.alerts.remove(fp);
        }
    }

    /// Puts back alerts saved by an earlier run (they go on from where they were).
    pub fn restore(&mut self, alerts: Vec<Alert>) {
        for a in alerts {
            self.alerts.insert(a.fingerprint, a);
        }
    }

    /// A firing alert whose condition still holds: only its figures change. False (and
    /// nothing changed) when the alert is not firing.
    pub fn refresh_firing(&mut self, fingerprint: u64, value: f64, threshold: Option<f64>) -> bool {
        match self.alerts.get_mut(&fingerprint) {
            Some(a) if a.phase == Phase::Firing => {
                a.value = value;
                a.threshold = threshold;
                true
            }
            _ => false,
        }
    }

    /// Whether the alert is pending or firing: what hysteresis needs to know.
    pub fn is_active(&self, fingerprint: u64) -> bool {
        self.alerts
            .get(&fingerprint)
            .is_some_and(|a| matches!(a.phase, Phase::Pending | Phase::Firing))
    }

    pub fn get(&self, fingerprint: u64) -> Option<&Alert> {
        self.alerts.get(&fingerprint)
    }

    pub fn get_mut(&mut self, fingerprint: u64) -> Option<&mut Alert> {
        self.alerts.get_mut(&fingerprint)
    }

    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.values()
    }

    /// Applies one evaluation at `now`; returns the new phase when it changed.
    pub fn observe(&mut self, o: Observation, now: i64) -> Option<Phase> {
        let fp = o.fingerprint;
        let current = self.alerts.get(&fp).map(|a| a.phase);
        match (current, o.active) {
            (None | Some(Phase::Resolved), true) => {
                let firing = o.for_ms <= 0;
                let phase = if firing {
                    Phase::Firing
                } else {
                    Phase::Pending
                };
                let events = self
                    .alerts
                    .remove(&fp)
                    .map(|a| a.events)
                    .unwrap_or_default();
                let mut a = Alert {
                    fingerprint: fp,
                    rule: o.rule,
                    labels: o.labels,
                    severity: o.severity,
                    phase,
                    active_since: now,
                    fired_at: firing.then_some(now),
                    resolved_at: None,
                    value: o.value,
                    threshold: o.threshold,
                    ack: None,
                    escalation: 0,
                    note: o.note,
                    events,
                };
                a.log(now, EventKind::Pending);
                if firing {
                    a.log(now, EventKind::Firing);
                }
                self.alerts.insert(fp, a);
                Some(phase)
            }
            (Some(Phase::Pending), true) => {
                let a = self.alerts.get_mut(&fp)?;
                a.value = o.value;
                a.threshold = o.threshold;
                if o.note.is_some() {
                    a.note = o.note;
                }
                if now - a.active_since >= o.for_ms {
                    a.phase = Phase::Firing;
                    a.fired_at = Some(now);
                    a.log(now, EventKind::Firing);
                    return Some(Phase::Firing);
                }
                None
            }
            (Some(Phase::Firing), true) => {
                let a = self.alerts.get_mut(&fp)?;
                a.value = o.value;
                a.threshold = o.threshold;
                if o.note.is_some() {
                    a.note = o.note;
                }
                None
            }
            // A pending alert whose condition went away never fired: it ends without ever
            // being listed or sent (as in Prometheus), but its timeline says it ended, so a
            // restart or a replay does not see it pending forever.
            (Some(Phase::Pending | Phase::Firing), false) => {
                let a = self.alerts.get_mut(&fp)?;
                a.phase = Phase::Resolved;
                a.resolved_at = Some(now);
                a.value = o.value;
                a.ack = None;
                a.log(now, EventKind::Resolved);
                Some(Phase::Resolved)
            }
            (None | Some(Phase::Resolved), false) => None,
        }
    }

    /// Acknowledges a firing alert; false if there is none (a pending one may never fire:
    /// acknowledging it would mute its first notice and its escalation before anyone saw it).
    pub fn ack(&mut self, fingerprint: u64, by: &str, now: i64) -> bool {
        match self.alerts.get_mut(&fingerprint) {
            Some(a) if a.phase == Phase::Firing => {
                a.ack = Some(Ack {
                    by: by.to_string(),
                    at: now,
                });
                a.log(now, EventKind::Acked { by: by.to_string() });
                true
            }
            _ => false,
        }
    }

    pub fn unack(&mut self, fingerprint: u64, now: i64) -> bool {
        match self.alerts.get_mut(&fingerprint) {
            Some(a) if a.ack.is_some() => {
                a.ack = None;
                a.log(now, EventKind::Unacked);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
