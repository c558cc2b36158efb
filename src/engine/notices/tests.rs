use super::*;
use crate::alert::lifecycle::Severity;
use crate::alert::notify::Grouping;
use crate::alert::route::{Route, Routing};
use crate::notify::{Alertmanager, PagerDuty, Secret};

fn receiver(name: &str, kind: Kind) -> Receiver {
    Receiver {
        name: name.into(),
        kind,
        give_up_ms: 86_400_000,
        send_resolved: true,
        timeout: std::time::Duration::from_secs(10),
        title: None,
        body: None,
    }
}

fn command(name: &str) -> Receiver {
    receiver(
        name,
        Kind::Command {
            argv: vec!["true".into()],
        },
    )
}

fn at_once() -> Grouping {
    Grouping {
        group_wait_ms: 0,
        group_interval_ms: 0,
        ..Grouping::default()
    }
}

fn policy() -> Policy {
    let critical = Route {
        matchers: vec![r#"severity="critical""#.parse().unwrap()],
        receivers: vec!["pager".into()],
        cont: true,
        grouping: at_once(),
    };
    let db = Route {
        matchers: vec![r#"host=~"db-.*""#.parse().unwrap()],
        receivers: vec!["dba".into()],
        cont: false,
        grouping: at_once(),
    };
    Policy {
        routing: Routing::new(
            vec![critical, db],
            vec!["mail".into(), "am".into()],
            at_once(),
        ),
        ..Policy::default()
    }
}

fn receivers() -> Vec<Receiver> {
    let pd = PagerDuty {
        routing_key: Secret::Env("X".into()),
        url: "http://127.0.0.1:1".into(),
    };
    let am = Alertmanager {
        urls: vec!["http://127.0.0.1:1".into()],
    };
    vec![
        receiver("pager", Kind::PagerDuty(pd)),
        command("dba"),
        command("mail"),
        receiver("am", Kind::Alertmanager(am)),
    ]
}

/// (receiver, payload) of every notice queued.
fn sent(n: &mut Notices) -> Vec<(String, serde_json::Value)> {
    (n.take().into_iter())
        .flat_map(|q| q.items)
        .map(|(r, p)| (r, serde_json::from_str(&p).unwrap()))
        .collect()
}

fn to(got: &[(String, serde_json::Value)], who: &str) -> Vec<serde_json::Value> {
    got.iter()
        .filter(|(r, _)| r == who)
        .map(|(_, v)| v.clone())
        .collect()
}

#[test]
fn routes_send_each_alert_to_its_receivers_and_alertmanager_gets_its_push() {
    let p = policy();
    let mut tracker = Tracker::default();
    let mut crit = Alert::firing("disk_full", &[("host", "db-1")]);
    crit.severity = Severity::Critical;
    let web = Alert::firing("disk_full", &[("host", "web-1")]);
    tracker.restore(vec![crit.clone(), web.clone()]);
    let mut n = Notices::new(receivers());
    let alerts: Vec<&Alert> = tracker.alerts().collect();
    n.plan(&p, &tracker, &alerts, &FpSet::default(), 1000, false);
    let got = sent(&mut n);
    let host = |v: &serde_json::Value| {
        v["alerts"][0]["labels"]["host"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let pager = to(&got, "pager");
    assert_eq!(
        pager.iter().map(host).collect::<Vec<_>>(),
        ["db-1"],
        "critical to the pager"
    );
    let dba = to(&got, "dba");
    assert_eq!(
        dba.iter().map(host).collect::<Vec<_>>(),
        ["db-1"],
        "continue: on to the db route"
    );
    let mail = to(&got, "mail");
    assert_eq!(
        mail.iter().map(host).collect::<Vec<_>>(),
        ["web-1"],
        "the rest by default"
    );
    let am = to(&got, "am");
    assert_eq!(am.len(), 1, "one push");
    assert_eq!(
        am[0]["alerts"].as_array().map(Vec::len),
        Some(1),
        "the default route's alert only"
    );
    // Nothing changed: no notice, and no push until a minute has passed.
    n.plan(&p, &tracker, &alerts, &FpSet::default(), 2000, false);
    assert!(sent(&mut n).is_empty());
    n.plan(
        &p,
        &tracker,
        &alerts,
        &FpSet::default(),
        1000 + RESEND_MS,
        false,
    );
    let again = sent(&mut n);
    assert_eq!(
        (to(&again, "am").len(), again.len()),
        (1, 1),
        "only the push is re-sent"
    );
    // Acknowledging tells the pager (it tracks incidents), no one else.
    n.acked(&p, &tracker, &crit, 70_000);
    let acks = sent(&mut n);
    assert_eq!(acks.len(), 1);
    assert_eq!(
        (acks[0].0.as_str(), acks[0].1["montuiEvent"].as_str()),
        ("pager", Some("acknowledge"))
    );
}

#[test]
fn a_quiet_window_holds_notices_but_not_the_push() {
    let p = policy();
    let mut tracker = Tracker::default();
    tracker.restore(vec![Alert::firing("disk_full", &[("host", "web-1")])]);
    let mut n = Notices::new(receivers());
    let alerts: Vec<&Alert> = tracker.alerts().collect();
    n.plan(&p, &tracker, &alerts, &FpSet::default(), 1000, true);
    let got = sent(&mut n);
    assert_eq!(
        got.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
        ["am"]
    );
}

#[test]
fn a_restart_does_not_tell_again_what_the_outbox_says_was_told_but_tells_its_resolve() {
    let p = policy();
    let mut tracker = Tracker::default();
    let told = Alert::firing("disk_full", &[("host", "web-1")]);
    let new = Alert::firing("disk_full", &[("host", "web-2")]);
    tracker.restore(vec![told.clone(), new.clone()]);
    let mut n = Notices::new(receivers());
    let notified: FpSet = [told.fingerprint].into_iter().collect();
    n.seed(&p, &tracker, &notified, 1000);
    let alerts: Vec<&Alert> = tracker.alerts().collect();
    n.plan(&p, &tracker, &alerts, &FpSet::default(), 1000, false);
    let got = sent(&mut n);
    let mail = to(&got, "mail");
    let hosts: Vec<&str> = (mail.iter())
        .map(|v| v["alerts"][0]["labels"]["host"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(hosts, ["web-2"], "only the one never told");
    let mut resolved = told.clone();
    resolved.phase = Phase::Resolved;
    resolved.resolved_at = Some(2000);
    tracker.restore(vec![resolved]);
    let alerts: Vec<&Alert> = tracker.alerts().collect();
    n.plan(&p, &tracker, &alerts, &FpSet::default(), 2000, false);
    let got = sent(&mut n);
    let mail = to(&got, "mail");
    assert_eq!(mail.len(), 1, "{got:?}");
    assert_eq!(mail[0]["status"], "resolved");
}

#[test]
fn an_escalation_step_tells_its_channels_at_once() {
    let p = policy();
    let mut tracker = Tracker::default();
    let mut a = Alert::firing("disk_full", &[("host", "web-1")]);
    a.escalation = 1;
    tracker.restore(vec![a.clone()]);
    let mut n = Notices::new(receivers());
    n.escalated(&p, &tracker, &a, &["dba".to_string()], 5000);
    let got = sent(&mut n);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "dba");
    assert_eq!(got[0].1["groupLabels"]["escalation"], "1");
}
