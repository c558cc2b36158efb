use super::*;
use crate::alert::lifecycle::{Ack, Event};

const MIN: i64 = 60_000;

fn policy() -> Policy {
    escalating(vec![])
}

/// One escalation policy with these matchers, and the shipped rules.
fn escalating(matchers: Vec<(String, String)>) -> Policy {
    let escalations = vec![Escalation {
        matchers,
        steps: vec![
            Step {
                after_ms: 15 * MIN,
                severity: Some(Severity::Critical),
                channels: vec!["pager".into()],
                assignee: None,
            },
            Step {
                after_ms: 30 * MIN,
                severity: None,
                channels: vec!["phone".into()],
                assignee: Some("lead".into()),
            },
        ],
    }];
    Policy {
        escalations,
        ..Policy::default()
    }
}

fn step(p: &Policy, a: &mut Alert, now: i64) -> bool {
    let due = due(p, std::iter::once(&*a), &FpSet::default(), now);
    let steps: Vec<(usize, Step)> = due.iter().map(|(_, i, s)| (*i, (*s).clone())).collect();
    for (i, s) in &steps {
        a.escalate(*i, s, now);
    }
    !due.is_empty()
}

#[test]
fn unacknowledged_alerts_climb_the_steps_in_order() {
    let p = policy();
    let mut a = Alert::firing("cpu_high", &[("host", "web-1")]);
    assert!(!step(&p, &mut a, 14 * MIN));
    assert!(step(&p, &mut a, 15 * MIN));
    assert_eq!((a.severity, a.escalation), (Severity::Critical, 1));
    assert_eq!(channels(&p, &a), ["pager"]);
    assert!(!step(&p, &mut a, 16 * MIN), "a step is taken once");
    assert!(step(&p, &mut a, 30 * MIN));
    assert_eq!(a.labels["assignee"], "lead");
    assert_eq!(channels(&p, &a), ["pager", "phone"]);
    assert!(!step(&p, &mut a, 90 * MIN), "no steps left");
    assert_eq!(
        a.events.last().map(|e| &e.kind),
        Some(&EventKind::Escalated { step: 2 })
    );
}

#[test]
fn acknowledging_stops_the_clock_and_unacknowledging_restarts_it() {
    let p = policy();
    let mut a = Alert::firing("cpu_high", &[("host", "web-1")]);
    a.ack = Some(Ack {
        by: "alice".into(),
        at: MIN,
    });
    assert!(!step(&p, &mut a, 20 * MIN));
    a.ack = None;
    a.events.push(Event {
        at: 20 * MIN,
        kind: EventKind::Unacked,
        value: 1.0,
    });
    assert!(!step(&p, &mut a, 34 * MIN));
    assert!(step(&p, &mut a, 35 * MIN));
    // Silenced or inhibited alerts do not climb.
    let muted: FpSet = [a.fingerprint].into_iter().collect();
    assert!(due(&p, std::iter::once(&a), &muted, 99 * MIN).is_empty());
}

#[test]
fn a_policy_matches_on_severity_and_keeps_the_alert_once_raised() {
    let p = escalating(vec![("severity".into(), "warning".into())]);
    // memory_high: a shipped rule, of severity warning.
    let mut a = Alert::firing("memory_high", &[("host", "web-1")]);
    assert_eq!(a.severity, Severity::Warning);
    assert!(
        step(&p, &mut a, 15 * MIN),
        "severity = \"warning\" matches a warning"
    );
    assert_eq!(a.severity, Severity::Critical);
    assert!(
        step(&p, &mut a, 30 * MIN),
        "raised to critical, still on its policy"
    );
    let mut crit = Alert::firing("cpu_high", &[("host", "web-1")]);
    crit.severity = Severity::Critical;
    assert!(
        !step(&p, &mut crit, 15 * MIN),
        "a critical alert is not a warning"
    );
}
