//! Alerting as it was at a moment of a recording, rebuilt from the alerts' timelines: what
//! replay shows in the alert pane.

use super::board::Board;
use super::inhibit::Inhibition;
use super::lifecycle::{Ack, Alert, EventKind, Phase};
use super::silence::Silence;

/// How long a resolved alert stays in the list.
pub const RESOLVED_SHOWN_MS: i64 = 3_600_000;

/// Whether the list shows `a` at `now`: active, or fired and resolved within the last hour.
pub fn shown(a: &Alert, now: i64) -> bool {
    a.phase != Phase::Resolved
        || (a.fired_at.is_some() && a.resolved_at.is_some_and(|r| now - r <= RESOLVED_SHOWN_MS))
}

/// The alert as its timeline had it at `t` (without events); None before its first event.
pub fn alert_at(a: &Alert, t: i64) -> Option<Alert> {
    let mut out = a.summary();
    let mut seen = false;
    for e in a.events.iter().take_while(|e| e.at <= t) {
        seen = true;
        out.value = e.value;
        match &e.kind {
            EventKind::Pending => {
                out.phase = Phase::Pending;
                out.active_since = e.at;
                out.fired_at = None;
                out.resolved_at = None;
                out.ack = None;
                out.escalation = 0;
            }
            EventKind::Firing => {
                out.phase = Phase::Firing;
                out.fired_at = Some(e.at);
            }
            EventKind::Resolved => {
                out.phase = Phase::Resolved;
                out.resolved_at = Some(e.at);
                out.ack = None;
            }
            EventKind::Acked { by } => {
                out.ack = Some(Ack {
                    by: by.clone(),
                    at: e.at,
                })
            }
            EventKind::Unacked => out.ack = None,
            EventKind::Escalated { step } => out.escalation = *step,
        }
    }
    seen.then_some(out)
}

/// The alert list, silences and inhibitions as they stood at `t`.
pub fn board_at(
    alerts: &[Alert],
    silences: &[Silence],
    inhibitions: &[Inhibition],
    t: i64,
) -> Board {
    let alerts: Vec<Alert> = alerts
        .iter()
        .filter_map(|a| alert_at(a, t))
        .filter(|a| shown(a, t))
        .collect();
    let silences = silences.iter().filter(|s| s.active(t)).cloned().collect();
    Board::new(alerts, silences, inhibitions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::lifecycle::{Observation, Severity, Tracker, fingerprint};

    #[test]
    fn the_list_at_a_moment_follows_the_timeline() {
        let labels = [("host".to_string(), "web-1".to_string())].into();
        let fp = fingerprint("cpu_high", &labels);
        let obs = |active, value| Observation {
            fingerprint: fp,
            rule: "cpu_high".into(),
            labels: labels.clone(),
            severity: Severity::Critical,
            for_ms: 60_000,
            active,
            value,
            threshold: Some(90.0),
            note: None,
        };
        let mut t = Tracker::default();
        t.observe(obs(true, 95.0), 0);
        t.observe(obs(true, 96.0), 60_000);
        t.ack(fp, "alice", 90_000);
        t.observe(obs(false, 50.0), 120_000);
        let a = t.get(fp).unwrap();
        assert!(alert_at(a, -1).is_none(), "not yet");
        let at = |ms| alert_at(a, ms).unwrap();
        assert_eq!((at(30_000).phase, at(30_000).value), (Phase::Pending, 95.0));
        assert_eq!(at(60_000).phase, Phase::Firing);
        assert!(at(60_000).ack.is_none());
        assert_eq!(at(100_000).ack.map(|a| a.by), Some("alice".into()));
        let end = at(130_000);
        assert_eq!(
            (end.phase, end.ack, end.value),
            (Phase::Resolved, None, 50.0)
        );
        // Listed for an hour after it resolved.
        let board = |ms| board_at(std::slice::from_ref(a), &[], &[], ms).alerts.len();
        assert_eq!(board(120_000 + RESOLVED_SHOWN_MS), 1);
        assert_eq!(board(121_000 + RESOLVED_SHOWN_MS), 0);
    }
}
