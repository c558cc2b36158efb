//! Alerts over a period from their recorded timelines: each fingerprint's episodes (pending
//! or firing until resolved), and what a report says of them: how many fired, by rule and
//! severity, time firing, time to acknowledge and to resolve, flapping, escalations; and a
//! host's outages (its `host_down` episodes).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::alert::lifecycle::{Alert, EventKind};

/// One stretch of an alert from its start to its resolve (None: still active).
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub started: i64,
    pub fired: Option<i64>,
    pub acked: Option<i64>,
    pub resolved: Option<i64>,
    pub escalations: u32,
}

/// The episodes of `a`'s timeline, oldest first.
pub fn episodes(a: &Alert) -> Vec<Episode> {
    let mut out = Vec::new();
    let mut open: Option<Episode> = None;
    for e in &a.events {
        let ep = open.get_or_insert(Episode {
            started: e.at,
            fired: None,
            acked: None,
            resolved: None,
            escalations: 0,
        });
        match e.kind {
            EventKind::Pending => {}
            EventKind::Firing => {
                ep.fired.get_or_insert(e.at);
            }
            EventKind::Acked { .. } => {
                ep.acked.get_or_insert(e.at);
            }
            EventKind::Unacked => ep.acked = None,
            EventKind::Escalated { .. } => ep.escalations += 1,
            EventKind::Resolved => {
                ep.resolved = Some(e.at);
                out.extend(open.take());
            }
        }
    }
    out.extend(open);
    out
}

/// The part of `[a, b)` inside `[from, to)`, in ms.
fn overlap(a: i64, b: i64, from: i64, to: i64) -> i64 {
    (b.min(to) - a.max(from)).max(0)
}

/// One rule's alerts over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    pub rule: String,
    pub severity: String,
    /// Episodes that fired in the period.
    pub fired: u32,
    /// Time firing inside the period (episodes that fired before it included), ms.
    pub firing_ms: i64,
    /// Fired more than once for the same labels: the extra times.
    pub flaps: u32,
}

/// What the period's alerts come to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertSummary {
    pub fired: u32,
    pub by_severity: BTreeMap<String, u32>,
    pub firing_ms: i64,
    /// Mean time from firing to the first acknowledgement (episodes fired in the period and
    /// acknowledged), and to the resolve (fired in the period and resolved), ms.
    pub mtta_ms: Option<i64>,
    pub mttr_ms: Option<i64>,
    pub acked: u32,
    pub resolved: u32,
    pub escalations: u32,
    /// By rule, the one that fired most first.
    pub rules: Vec<RuleRow>,
}

impl AlertSummary {
    /// Of `alerts` (their timelines), over `[from, to)`.
    pub fn of<'a>(alerts: impl IntoIterator<Item = &'a Alert>, from: i64, to: i64) -> Self {
        let mut s = AlertSummary::default();
        let mut rules: BTreeMap<(String, String), RuleRow> = BTreeMap::new();
        let (mut to_ack, mut to_resolve) = (Vec::new(), Vec::new());
        for a in alerts {
            let severity = a.severity.name().to_string();
            let row = rules
                .entry((a.rule.clone(), severity.clone()))
                .or_insert_with(|| RuleRow {
                    rule: a.rule.clone(),
                    severity: severity.clone(),
                    fired: 0,
                    firing_ms: 0,
                    flaps: 0,
                });
            let mut fired_here = 0;
            for ep in episodes(a) {
                let Some(fired) = ep.fired else { continue };
                row.firing_ms += overlap(fired, ep.resolved.unwrap_or(to), from, to);
                if !(from..to).contains(&fired) {
                    continue;
                }
                fired_here += 1;
                s.escalations += ep.escalations;
                if let Some(acked) = ep.acked {
                    to_ack.push(acked - fired);
                }
                if let Some(resolved) = ep.resolved {
                    to_resolve.push(resolved - fired);
                }
            }
            row.fired += fired_here;
            row.flaps += fired_here.saturating_sub(1);
            *s.by_severity.entry(severity).or_default() += fired_here;
        }
        let mean = |v: &[i64]| (!v.is_empty()).then(|| v.iter().sum::<i64>() / v.len() as i64);
        s.mtta_ms = mean(&to_ack);
        s.mttr_ms = mean(&to_resolve);
        s.acked = to_ack.len() as u32;
        s.resolved = to_resolve.len() as u32;
        s.by_severity.retain(|_, n| *n > 0);
        s.rules = rules
            .into_values()
            .filter(|r| r.fired > 0 || r.firing_ms > 0)
            .collect();
        s.rules
            .sort_by_key(|r| std::cmp::Reverse((r.fired, r.firing_ms)));
        s.fired = s.rules.iter().map(|r| r.fired).sum();
        s.firing_ms = s.rules.iter().map(|r| r.firing_ms).sum();
        s
    }
}

/// When any of `alerts` was firing inside `[from, to)`, as spans (they may overlap).
pub fn firing_spans<'a>(
    alerts: impl IntoIterator<Item = &'a Alert>,
    from: i64,
    to: i64,
) -> Vec<(i64, i64)> {
    (alerts.into_iter())
        .flat_map(episodes)
        .filter_map(|ep| {
            let (a, b) = (ep.fired?.max(from), ep.resolved.unwrap_or(to).min(to));
            (a < b).then_some((a, b))
        })
        .collect()
}

/// A stretch the host did not answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outage {
    pub start_ms: i64,
    /// Inside the period.
    pub length_ms: i64,
    /// Still down at the end of the period.
    pub ongoing: bool,
    pub reason: String,
}

/// The host's outages in `[from, to)`: its `host_down` episodes from when it stopped
/// answering (the alert's start, not its firing).
pub fn outages<'a>(alerts: impl IntoIterator<Item = &'a Alert>, from: i64, to: i64) -> Vec<Outage> {
    let mut out: Vec<Outage> = (alerts.into_iter())
        .filter(|a| a.rule == "host_down")
        .flat_map(|a| {
            let reason = a.note.clone().unwrap_or_default();
            episodes(a).into_iter().filter_map(move |ep| {
                let end = ep.resolved.unwrap_or(to);
                let length_ms = overlap(ep.started, end, from, to);
                (length_ms > 0).then(|| Outage {
                    start_ms: ep.started.max(from),
                    length_ms,
                    ongoing: end >= to,
                    reason: reason.clone(),
                })
            })
        })
        .collect();
    out.sort_by_key(|o| o.start_ms);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::lifecycle::{Event, Severity};

    fn alert(rule: &str, events: &[(i64, EventKind)]) -> Alert {
        let mut a = Alert::firing(rule, &[("host", "h")]);
        a.severity = Severity::Warning;
        a.events = (events.iter())
            .map(|(at, kind)| Event {
                at: *at,
                kind: kind.clone(),
                value: 1.0,
            })
            .collect();
        a
    }

    #[test]
    fn episodes_times_to_ack_and_resolve_and_flaps() {
        use EventKind::*;
        let acked = || Acked { by: "ann".into() };
        let a = alert(
            "cpu_high",
            &[
                // Fired before the period, resolved in it: firing time counts, not a fire.
                (0, Pending),
                (10, Firing),
                (150, Resolved),
                // Fired in it, acked after 40, resolved after 100.
                (200, Pending),
                (210, Firing),
                (250, acked()),
                (260, Escalated { step: 1 }),
                (310, Resolved),
                // Again: acked after 20, still firing at the end (900).
                (400, Firing),
                (420, acked()),
            ],
        );
        assert_eq!(episodes(&a).len(), 3);
        let s = AlertSummary::of([&a], 100, 900);
        assert_eq!((s.fired, s.acked, s.resolved, s.escalations), (2, 2, 1, 1));
        assert_eq!(s.mtta_ms, Some(30));
        assert_eq!(s.mttr_ms, Some(100));
        assert_eq!(s.firing_ms, 50 + 100 + 500);
        assert_eq!((s.rules[0].flaps, s.by_severity["warning"]), (1, 2));
    }

    #[test]
    fn outages_are_host_down_episodes_from_when_the_host_stopped_answering() {
        use EventKind::*;
        let mut a = alert(
            "host_down",
            &[(50, Pending), (80, Firing), (120, Resolved), (800, Pending)],
        );
        a.note = Some("ssh: connection refused".into());
        let o = outages([&a], 100, 1000);
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[0].start_ms, o[0].length_ms, o[0].ongoing),
            (100, 20, false)
        );
        assert_eq!(
            (o[1].start_ms, o[1].length_ms, o[1].ongoing),
            (800, 200, true)
        );
        assert_eq!(o[1].reason, "ssh: connection refused");
    }
}
