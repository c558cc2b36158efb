//! Escalation policies: an alert left firing and unacknowledged climbs steps — after N
//! minutes raise its severity, add notification channels, name an assignee. Acknowledging
//! stops the clock; un-acknowledging restarts it. Muted alerts (silenced, inhibited) do not
//! climb. Pure: the engine applies what `due` returns.

use super::fpset::FpSet;
use super::lifecycle::{Alert, EventKind, Phase, Severity};
use super::policy::Policy;

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Time firing unacknowledged before this step is taken.
    pub after_ms: i64,
    /// Raise the severity to this (never lowers it).
    pub severity: Option<Severity>,
    /// Channels the notifier adds from this step on.
    pub channels: Vec<String>,
    /// Sets the alert's `assignee` label.
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// Which alerts the policy applies to (none: all); the first matching policy wins.
    pub matchers: Vec<(String, String)>,
    /// In the order they are taken (by `after_ms`).
    pub steps: Vec<Step>,
}

/// The escalation policy an alert follows: the first whose matchers hold with the severity
/// its rule gave (its own when the rule is gone), so the steps that raise it keep it on the
/// same policy.
pub fn policy_for<'a>(policy: &'a Policy, a: &Alert) -> Option<&'a Escalation> {
    let severity = policy.rule(&a.rule).map_or(a.severity, |r| r.severity);
    let mut all = policy.escalations.iter();
    all.find(|p| a.matches_as(&p.matchers, severity))
}

/// When the alert's unacknowledged clock started: when it fired, or when it was last
/// un-acknowledged. None while acknowledged or not firing.
pub fn clock_start(a: &Alert) -> Option<i64> {
    if a.phase != Phase::Firing || a.ack.is_some() {
        return None;
    }
    let fired = a.fired_at?;
    let unacked = a
        .events
        .iter()
        .rev()
        .take_while(|e| e.kind != EventKind::Firing)
        .find(|e| e.kind == EventKind::Unacked)
        .map(|e| e.at);
    Some(unacked.map_or(fired, |u| u.max(fired)))
}

/// The steps to take now: (alert, index of the step, the step). One step per alert per
/// call, so each is recorded on its own.
pub fn due<'a, 'p>(
    policies: &'p Policy,
    alerts: impl Iterator<Item = &'a Alert>,
    muted: &FpSet,
    now: i64,
) -> Vec<(u64, usize, &'p Step)> {
    alerts
        .filter(|a| !muted.contains(&a.fingerprint))
        .filter_map(|a| {
            let start = clock_start(a)?;
            let policy = policy_for(policies, a)?;
            let next = a.escalation as usize;
            let step = policy.steps.get(next)?;
            (now - start >= step.after_ms).then_some((a.fingerprint, next, step))
        })
        .collect()
}

/// The channels an alert has gained by escalating.
pub fn channels(policies: &Policy, a: &Alert) -> Vec<String> {
    let mut out: Vec<String> = policy_for(policies, a)
        .map(|p| p.steps.iter().take(a.escalation as usize))
        .into_iter()
        .flatten()
        .flat_map(|s| s.channels.iter().cloned())
        .collect();
    out.dedup();
    out
}

impl Alert {
    /// Takes escalation step `index` of `step`.
    pub fn escalate(&mut self, index: usize, step: &Step, now: i64) {
        if let Some(s) = step.severity {
            self.severity = self.severity.max(s);
        }
        if let Some(who) = &step.assignee {
            self.labels.insert("assignee".into(), who.clone());
        }
        self.escalation = index as u32 + 1;
        self.log(
            now,
            EventKind::Escalated {
                step: self.escalation,
            },
        );
    }
}

#[cfg(test)]
mod tests;
