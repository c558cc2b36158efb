//! The engine's notices: each route's planner (grouping as the route says), escalation steps'
//! channels, acknowledgements for receivers that track incidents (PagerDuty, Opsgenie), and
//! the Alertmanager push; each notice a payload per receiver, handed to the outbox.

use crate::alert::fpset::{FpMap, FpSet};
use crate::alert::lifecycle::{Alert, Phase, Tracker};
use crate::alert::notify::{Grouping, Notice, Planner};
use crate::alert::policy::Policy;
use crate::alert::route::FAILING;
use crate::notify::{self, Kind, RESEND_MS, Receiver};
use crate::store::Queued;

type Labels = Vec<(String, String)>;

#[derive(Default)]
pub struct Notices {
    receivers: Vec<Receiver>,
    /// One per route, the default route's last.
    planners: Vec<Planner>,
    /// `notification_failing` to the fallback receivers.
    fallback: Planner,
    /// Alertmanager receivers: what each was last pushed, and when.
    pushed: Vec<Pushed>,
    outbox: Vec<Queued>,
}

#[derive(Default)]
struct Pushed {
    at: i64,
    sent: FpMap<Phase>,
}

impl Notices {
    pub fn new(receivers: Vec<Receiver>) -> Self {
        Self {
            pushed: receivers.iter().map(|_| Pushed::default()).collect(),
            receivers,
            ..Default::default()
        }
    }

    /// Firing alerts that were notified before a restart (`notified`, from the outbox) are
    /// not notified again as new, on any of their routes, nor pushed before their minute.
    pub fn seed(&mut self, policy: &Policy, tracker: &Tracker, notified: &FpSet, now: i64) {
        let routing = &policy.routing;
        self.planners
            .resize_with(routing.routes.len(), Planner::default);
        let told = tracker
            .alerts()
            .filter(|a| a.phase == Phase::Firing && notified.contains(&a.fingerprint));
        for a in told {
            for i in routing.of(a) {
                self.planners[i].seed(&routing.routes[i].grouping, a, now);
            }
            for p in &mut self.pushed {
                p.at = now;
                p.sent.insert(a.fingerprint, Phase::Firing);
            }
        }
    }

    /// The notices worked out since the last call.
    pub fn take(&mut self) -> Vec<Queued> {
        std::mem::take(&mut self.outbox)
    }

    /// Every receiver's name (what an empty route's receivers mean).
    fn names(&self) -> Vec<String> {
        self.receivers.iter().map(|r| r.name.clone()).collect()
    }

    /// The notices due at `now` for `alerts` (those shown), route by route; then the
    /// Alertmanager push. Muted alerts are left out; nothing goes out while `quiet` but the
    /// push (Alertmanager keeps its own quiet).
    pub fn plan(
        &mut self,
        policy: &Policy,
        tracker: &Tracker,
        alerts: &[&Alert],
        muted: &FpSet,
        now: i64,
        quiet: bool,
    ) {
        let routing = &policy.routing;
        // With fallback receivers, a receiver's failure goes to them, and to them only.
        let (failing, alerts): (Vec<&Alert>, Vec<&Alert>) =
            (alerts.iter()).partition(|a| a.rule == FAILING && !routing.fallback.is_empty());
        self.plan_fallback(policy, tracker, &failing, muted, now, quiet);
        let alerts = &alerts[..];
        let routes: Vec<Vec<usize>> = alerts.iter().map(|a| routing.of(a)).collect();
        self.planners
            .resize_with(routing.routes.len(), Planner::default);
        let names = self.names();
        for (i, route) in routing.routes.iter().enumerate() {
            let mine = (alerts.iter().zip(&routes))
                .filter(|(_, r)| r.contains(&i))
                .map(|(a, _)| *a);
            let due = self.planners[i].due(&route.grouping, mine, muted, now, quiet);
            for n in due {
                let mut to: Vec<String> = routing.receivers(i, &names).to_vec();
                to.extend(escalated(policy, tracker, &n));
                to.sort();
                to.dedup();
                say(&n, &to);
                let mut group = n.group.clone();
                group.push(("route".into(), i.to_string()));
                let fps: Vec<u64> = n.firing.iter().chain(&n.resolved).copied().collect();
                self.queue(policy, tracker, Outgoing::new(group, fps, &to), now);
            }
        }
        self.push(policy, alerts, &routes, muted, now, tracker);
    }

    /// `notification_failing` alerts to the fallback receivers (but the failing one),
    /// without waiting for companions.
    fn plan_fallback(
        &mut self,
        policy: &Policy,
        tracker: &Tracker,
        failing: &[&Alert],
        muted: &FpSet,
        now: i64,
        quiet: bool,
    ) {
        let grouping = Grouping {
            group_by: vec!["alertname".into(), "receiver".into()],
            group_wait_ms: 0,
            ..policy
                .routing
                .routes
                .last()
                .map(|r| r.grouping.clone())
                .unwrap_or_default()
        };
        let due = (self.fallback).due(&grouping, failing.iter().copied(), muted, now, quiet);
        for n in due {
            let down = n
                .group
                .iter()
                .find(|(k, _)| k == "receiver")
                .map(|(_, v)| v.as_str());
            let to: Vec<String> = (policy.routing.fallback.iter())
                .filter(|r| Some(r.as_str()) != down)
                .cloned()
                .collect();
            say(&n, &to);
            let fps: Vec<u64> = n.firing.iter().chain(&n.resolved).copied().collect();
            self.queue(policy, tracker, Outgoing::new(n.group, fps, &to), now);
        }
    }

    /// An escalation step gave `a` the receivers `channels`: they hear of it now.
    pub fn escalated(
        &mut self,
        policy: &Policy,
        tracker: &Tracker,
        a: &Alert,
        channels: &[String],
        now: i64,
    ) {
        let group = vec![
            ("alertname".to_string(), a.rule.clone()),
            ("escalation".into(), a.escalation.to_string()),
        ];
        let o = Outgoing::new(group, vec![a.fingerprint], channels);
        self.queue(policy, tracker, o, now);
    }

    /// `a` was acknowledged: receivers that track incidents and take its notices are told.
    pub fn acked(&mut self, policy: &Policy, tracker: &Tracker, a: &Alert, now: i64) {
        if a.fired_at.is_none() {
            return;
        }
        let names = self.names();
        let mut to: Vec<String> = (policy.routing.of(a).into_iter())
            .flat_map(|i| policy.routing.receivers(i, &names).to_vec())
            .collect();
        to.extend(crate::alert::escalate::channels(policy, a));
        to.retain(|n| {
            self.receivers
                .iter()
                .any(|r| &r.name == n && r.kind.takes_acks())
        });
        to.sort();
        to.dedup();
        let group = vec![(
            "acknowledged".to_string(),
            format!("{:016x}", a.fingerprint),
        )];
        let o = Outgoing {
            event: Some("acknowledge"),
            ..Outgoing::new(group, vec![a.fingerprint], &to)
        };
        self.queue(policy, tracker, o, now);
    }

    /// Alertmanager receivers: every alert routed to them, pushed when one changes and
    /// re-sent every minute while any fires.
    fn push(
        &mut self,
        policy: &Policy,
        alerts: &[&Alert],
        routes: &[Vec<usize>],
        muted: &FpSet,
        now: i64,
        tracker: &Tracker,
    ) {
        let names = self.names();
        for k in 0..self.receivers.len() {
            if !matches!(self.receivers[k].kind, Kind::Alertmanager(_)) {
                continue;
            }
            let name = self.receivers[k].name.clone();
            let routed = |r: &Vec<usize>| {
                r.iter()
                    .any(|i| policy.routing.receivers(*i, &names).contains(&name))
            };
            let pushed = &self.pushed[k];
            let mine: Vec<&Alert> = (alerts.iter().zip(routes))
                .filter(|(a, r)| {
                    !muted.contains(&a.fingerprint) && a.fired_at.is_some() && routed(r)
                })
                .map(|(a, _)| *a)
                .filter(|a| {
                    a.phase == Phase::Firing
                        || pushed.sent.get(&a.fingerprint) == Some(&Phase::Firing)
                })
                .collect();
            let changed = mine
                .iter()
                .any(|a| pushed.sent.get(&a.fingerprint) != Some(&a.phase));
            let firing = mine.iter().any(|a| a.phase == Phase::Firing);
            if !(changed || (firing && now - pushed.at >= RESEND_MS)) {
                continue;
            }
            self.pushed[k] = Pushed {
                at: now,
                sent: (mine.iter())
                    .filter(|a| a.phase == Phase::Firing)
                    .map(|a| (a.fingerprint, a.phase))
                    .collect(),
            };
            let fps: Vec<u64> = mine.iter().map(|a| a.fingerprint).collect();
            let group = vec![("push".to_string(), name.clone())];
            let o = Outgoing {
                push: true,
                ..Outgoing::new(group, fps, std::slice::from_ref(&name))
            };
            self.queue(policy, tracker, o, now);
        }
    }

    /// A notice as one payload per receiver it goes to (Alertmanager receivers take only
    /// their push; one that does not want resolved alerts gets only the firing ones).
    fn queue(&mut self, policy: &Policy, tracker: &Tracker, o: Outgoing<'_>, now: i64) {
        let id = notify::notice_id(&o.group, now);
        let alerts: Vec<(&Alert, Labels)> = (o.fps.iter())
            .filter_map(|fp| tracker.get(*fp))
            .map(|a| (a, annotations(policy, a)))
            .collect();
        let items: Vec<(String, String)> = (self.receivers.iter())
            .filter(|r| o.to.contains(&r.name))
            .filter(|r| o.push == matches!(r.kind, Kind::Alertmanager(_)))
            .filter_map(|r| {
                let chosen: Vec<(&Alert, Labels)> = (alerts.iter())
                    .filter(|(a, _)| r.send_resolved || o.push || a.phase == Phase::Firing)
                    .cloned()
                    .collect();
                let payload = notify::payload(&r.name, &id, &o.group, &chosen, o.event);
                (!chosen.is_empty()).then(|| (r.name.clone(), payload))
            })
            .collect();
        if !items.is_empty() {
            self.outbox.push(Queued { id, items, at: now });
        }
    }
}

/// A notice to queue: its group's labels, its alerts, to whom, and what of.
struct Outgoing<'a> {
    group: Labels,
    fps: Vec<u64>,
    to: &'a [String],
    /// `acknowledge`, for receivers that track incidents.
    event: Option<&'a str>,
    /// An Alertmanager push (to Alertmanager receivers only; the others never get one).
    push: bool,
}

impl<'a> Outgoing<'a> {
    fn new(group: Labels, fps: Vec<u64>, to: &'a [String]) -> Self {
        Self {
            group,
            fps,
            to,
            event: None,
            push: false,
        }
    }
}

/// The alert's annotations; an alert with no rule behind it (`notification_failing`) is
/// summed up by its note.
fn annotations(policy: &Policy, a: &Alert) -> Labels {
    let mut out = policy.annotations(a);
    if out.is_empty()
        && let Some(note) = &a.note
    {
        out.push(("summary".into(), note.clone()));
    }
    out
}

/// The receivers escalation gave the notice's firing alerts.
fn escalated(policy: &Policy, tracker: &Tracker, n: &Notice) -> Vec<String> {
    (n.firing.iter())
        .filter_map(|fp| tracker.get(*fp))
        .flat_map(|a| crate::alert::escalate::channels(policy, a))
        .collect()
}

/// The log line of a notice.
fn say(n: &Notice, to: &[String]) {
    let group: Vec<String> = n.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
    tracing::info!(
        "notify {{{}}}: {} firing, {} resolved ({:?}) to {}",
        group.join(","),
        n.firing.len(),
        n.resolved.len(),
        n.reason,
        match to.is_empty() {
            true => "the log only".to_string(),
            false => to.join(","),
        }
    );
}

#[cfg(test)]
mod tests;
