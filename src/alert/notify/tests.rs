use super::*;
use crate::alert::lifecycle::Ack;

const S: i64 = 1000;
const MIN: i64 = 60 * S;

fn firing(rule: &str, host: &str, mount: &str) -> Alert {
    Alert::firing(rule, &[("host", host), ("mount", mount)])
}

fn due(p: &mut Planner, alerts: &[Alert], now: i64) -> Vec<Notice> {
    p.due(
        &Grouping::default(),
        alerts.iter(),
        &FpSet::default(),
        now,
        false,
    )
}

#[test]
fn a_group_waits_for_its_companions_then_goes_out_once() {
    let mut p = Planner::default();
    let mut alerts = vec![firing("disk_full", "web-1", "/")];
    assert!(due(&mut p, &alerts, 0).is_empty(), "group_wait");
    alerts.push(firing("disk_full", "web-1", "/home"));
    let n = due(&mut p, &alerts, 30 * S);
    assert_eq!(n.len(), 1, "both mounts in one notice");
    assert_eq!((n[0].firing.len(), n[0].reason), (2, Reason::New));
    assert_eq!(
        n[0].group,
        [
            ("host".to_string(), "web-1".to_string()),
            ("alertname".to_string(), "disk_full".to_string())
        ]
    );
    assert!(due(&mut p, &alerts, 60 * S).is_empty(), "nothing new");
    // Another host is another group.
    alerts.push(firing("disk_full", "db-1", "/"));
    assert!(due(&mut p, &alerts, 61 * S).is_empty());
    assert_eq!(due(&mut p, &alerts, 91 * S).len(), 1);
}

#[test]
fn changes_wait_for_the_group_interval_and_resolutions_are_told() {
    let mut p = Planner::default();
    let mut alerts = vec![firing("disk_full", "web-1", "/")];
    due(&mut p, &alerts, 0);
    assert_eq!(due(&mut p, &alerts, 30 * S).len(), 1);
    alerts[0].phase = Phase::Resolved;
    assert!(due(&mut p, &alerts, MIN).is_empty(), "group_interval");
    let n = due(&mut p, &alerts, 30 * S + 5 * MIN);
    assert_eq!((n[0].resolved.len(), n[0].firing.len()), (1, 0));
    assert_eq!(n[0].reason, Reason::Changed);
    assert!(due(&mut p, &alerts, 30 * MIN).is_empty(), "told once");
}

#[test]
fn repeats_until_acknowledged_and_nothing_in_a_quiet_window_or_muted() {
    let mut p = Planner::default();
    let mut alerts = vec![firing("cpu_high", "web-1", "")];
    due(&mut p, &alerts, 0);
    due(&mut p, &alerts, 30 * S);
    let n = due(&mut p, &alerts, 30 * S + 4 * 60 * MIN);
    assert_eq!(n[0].reason, Reason::Repeat);
    alerts[0].ack = Some(Ack {
        by: "alice".into(),
        at: 0,
    });
    assert!(due(&mut p, &alerts, 30 * S + 9 * 60 * MIN).is_empty());
    // Quiet: held, then sent when the window ends.
    let mut p = Planner::default();
    let alerts = [firing("cpu_high", "web-2", "")];
    let g = Grouping::default();
    let none = FpSet::default();
    assert!(p.due(&g, alerts.iter(), &none, 0, true).is_empty());
    assert!(p.due(&g, alerts.iter(), &none, MIN, true).is_empty());
    assert_eq!(p.due(&g, alerts.iter(), &none, 2 * MIN, false).len(), 1);
    // Muted: left out.
    let mut p = Planner::default();
    let muted: FpSet = [alerts[0].fingerprint].into_iter().collect();
    assert!(p.due(&g, alerts.iter(), &muted, 0, false).is_empty());
    assert!(p.due(&g, alerts.iter(), &muted, MIN, false).is_empty());
}

#[test]
fn quiet_windows_wrap_past_midnight_and_keep_to_their_days() {
    let night = Quiet {
        from_min: 22 * 60,
        to_min: 7 * 60,
        days: vec![],
    };
    assert!(night.contains(23 * 60, 0) && night.contains(60, 3));
    assert!(!night.contains(12 * 60, 0));
    let weekend = Quiet {
        from_min: 0,
        to_min: 24 * 60,
        days: vec![5, 6],
    };
    assert!(weekend.contains(600, 6) && !weekend.contains(600, 4));
}
