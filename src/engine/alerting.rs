//! The engine's alerting half: rule evaluation, acknowledgements, silences, inhibition and
//! escalation, each change handed to the store writer.

use std::sync::Arc;

use super::EngineCommand;
use super::notices::Notices;
use crate::alert::board::Board;
use crate::alert::escalate::due;
use crate::alert::eval::{Evaluator, Transition};
use crate::alert::fpset::FpSet;
use crate::alert::inhibit::inhibited;
use crate::alert::lifecycle::{Alert, Phase};
use crate::alert::lifecycle::{Labels, Observation, Severity, fingerprint};
use crate::alert::notify::quiet_at;
use crate::alert::policy::Policy;
use crate::alert::recorded::shown;
use crate::alert::route::FAILING;
use crate::alert::silence::{Silence, silenced_by};
use crate::model::Snapshot;
use crate::notify::{Health, Receiver};
use crate::store::{Queued, WriterHandle};

pub struct Alerting {
    pub evaluator: Evaluator,
    pub silences: Vec<Silence>,
    /// The id of the next silence (ids are never reused, ended silences' included).
    next_silence: u64,
    pub policy: Arc<Policy>,
    /// When escalation and notices were last worked out.
    policy_ran: i64,
    /// Notices worked out, for the outbox (the engine hands them to the writer).
    notices: Notices,
    /// How the receivers are doing (failing ones raise `notification_failing`).
    health: Option<Arc<Health>>,
}

/// How often escalation steps and notices are worked out.
const POLICY_EVERY_MS: i64 = 1000;

impl Alerting {
    /// Alerts restored from the store go on from where they were; `recent` (recorded
    /// snapshots, oldest first) fills expression windows and dynamic baselines.
    /// `silences` are the active ones, `next_silence` the id the next one takes.
    pub fn new(
        policy: Arc<Policy>,
        saved: Vec<Alert>,
        (silences, next_silence): (Vec<Silence>, u64),
        recent: &[Snapshot],
    ) -> Self {
        let mut evaluator = Evaluator::watching(policy.rules.clone(), policy.anomalies.clone());
        evaluator.host_labels.clone_from(&policy.host_labels);
        evaluator.tracker.restore(saved);
        for s in recent {
            evaluator.learn(s);
        }
        Self {
            evaluator,
            silences,
            next_silence,
            policy,
            policy_ran: i64::MIN,
            notices: Notices::default(),
            health: None,
        }
    }

    /// Notices go to `receivers` too (through the outbox), not only to the log; `health` says
    /// how they are doing. Restored alerts in `notified` (the outbox has notices about them)
    /// are not notified again as new.
    pub fn with_receivers(
        mut self,
        receivers: Vec<Receiver>,
        health: Arc<Health>,
        (notified, now): (&FpSet, i64),
    ) -> Self {
        self.notices = Notices::new(receivers);
        let tracker = &self.evaluator.tracker;
        self.notices.seed(&self.policy, tracker, notified, now);
        self.health = Some(health);
        self
    }

    /// How the receivers are doing, when there are any.
    pub fn health(&self) -> Option<Arc<Health>> {
        self.health.clone()
    }

    /// `notification_failing` for each receiver failing longer than `failing_after`, and its
    /// resolve once it delivers again. Returns the alerts that changed.
    fn receivers_failing(&mut self, now: i64) -> Vec<u64> {
        let Some(health) = &self.health else {
            return Vec::new();
        };
        let after = self.policy.routing.failing_after_ms;
        let mut changed = Vec::new();
        for h in health.snapshot() {
            let labels: Labels = [("receiver".to_string(), h.name.clone())].into();
            let fingerprint = fingerprint(FAILING, &labels);
            let since = h.failing_since.filter(|s| now - s >= after);
            let tracker = &mut self.evaluator.tracker;
            if since.is_none() && !tracker.is_active(fingerprint) {
                continue;
            }
            let note = since.map(|s| {
                let error = h.last_error.as_deref().unwrap_or("no answer");
                format!(
                    "receiver `{}` ({}) failing for {} s: {error}",
                    h.name,
                    h.kind,
                    (now - s) / 1000
                )
            });
            let o = Observation {
                fingerprint,
                rule: FAILING.into(),
                labels,
                severity: Severity::Warning,
                for_ms: 0,
                active: since.is_some(),
                value: since.map_or(0.0, |s| (now - s) as f64 / 1000.0),
                threshold: Some(after as f64 / 1000.0),
                note,
            };
            if let Some(phase) = tracker.observe(o, now) {
                tracing::warn!("alert {FAILING} {{receiver={}}}: {phase:?}", h.name);
                changed.push(fingerprint);
            }
        }
        changed
    }

    /// The notices worked out since the last call, for the outbox.
    pub fn take_outbox(&mut self) -> Vec<Queued> {
        self.notices.take()
    }

    /// What the alert pane shows at `now`.
    pub fn board(&self, now: i64) -> Board {
        let alerts: Vec<Alert> = self
            .evaluator
            .tracker
            .alerts()
            .filter(|a| shown(a, now))
            .map(Alert::summary)
            .collect();
        Board::new(alerts, self.silences.clone(), &self.policy.inhibitions)
    }

    /// A new sample: evaluates the rules, then takes the escalation steps due. Returns the
    /// alerts that changed.
    pub fn sample(&mut self, snap: &Snapshot) -> Vec<u64> {
        let transitions = self.evaluator.evaluate(snap);
        self.after(transitions, snap.ts_ms)
    }

    /// Log pattern metrics of `host` at `now`: evaluates the log rules.
    pub fn logs(&mut self, host: &str, now: i64, ms: &[crate::model::Metric]) -> Vec<u64> {
        let transitions = self.evaluator.evaluate_logs(host, now, ms);
        self.after(transitions, now)
    }

    /// `host` did not answer at `now`, for `reason`.
    pub fn down(&mut self, host: &str, now: i64, reason: &str) -> Vec<u64> {
        let transitions = self.evaluator.evaluate_down(host, now, reason);
        self.after(transitions, now)
    }

    fn after(&mut self, transitions: Vec<Transition>, now: i64) -> Vec<u64> {
        let mut changed = Vec::with_capacity(transitions.len());
        for t in transitions {
            if let Some(a) = self.evaluator.tracker.get(t.fingerprint) {
                match said(a, t.phase) {
                    (true, what) => tracing::info!("alert {} {:?}: {what}", a.rule, a.labels),
                    (false, what) => tracing::debug!("alert {} {:?}: {what}", a.rule, a.labels),
                }
            }
            changed.push(t.fingerprint);
        }
        // Escalation and notices look at every alert: once a second is enough, however many
        // hosts send samples.
        if now.saturating_sub(self.policy_ran) >= POLICY_EVERY_MS || now < self.policy_ran {
            self.policy_ran = now;
            changed.extend(self.receivers_failing(now));
            self.evaluator.forget_gone();
            let muted = self.muted(now);
            changed.extend(self.escalate(&muted, now));
            self.notify(&muted, now);
        }
        changed
    }

    /// The alerts silenced or inhibited at `now`.
    fn muted(&self, now: i64) -> FpSet {
        let alerts: Vec<&Alert> = self.evaluator.tracker.alerts().collect();
        let mut muted: FpSet = inhibited(&self.policy.inhibitions, &alerts)
            .into_iter()
            .map(|(fp, _)| fp)
            .collect();
        muted.extend(
            alerts
                .iter()
                .filter(|a| silenced_by(&self.silences, a, now).is_some())
                .map(|a| a.fingerprint),
        );
        muted
    }

    /// The notices due at `now`, route by route.
    fn notify(&mut self, muted: &FpSet, now: i64) {
        let quiet = quiet_at(&self.policy.quiet, now);
        let tracker = &self.evaluator.tracker;
        let alerts: Vec<&Alert> = tracker.alerts().filter(|a| shown(a, now)).collect();
        (self.notices).plan(&self.policy, tracker, &alerts, muted, now, quiet);
    }

    /// Takes the escalation steps due at `now` (muted alerts wait).
    fn escalate(&mut self, muted: &FpSet, now: i64) -> Vec<u64> {
        if self.policy.escalations.is_empty() {
            return Vec::new();
        }
        let tracker = &mut self.evaluator.tracker;
        let steps = due(&self.policy, tracker.alerts(), muted, now);
        let mut changed = Vec::new();
        for (fp, index, step) in steps {
            if let Some(a) = tracker.get_mut(fp) {
                a.escalate(index, step, now);
                tracing::warn!(
                    "alert {} {:?} escalated to step {} ({:?})",
                    a.rule,
                    a.labels,
                    a.escalation,
                    a.severity
                );
                changed.push(fp);
            }
            if let (false, Some(a)) = (step.channels.is_empty(), tracker.get(fp)) {
                (self.notices).escalated(&self.policy, tracker, a, &step.channels, now);
            }
        }
        changed
    }

    /// Applies a command from the UI at `now`; changed alerts and silences go to `writer`.
    pub fn command(&mut self, c: EngineCommand, now: i64, writer: Option<&WriterHandle>) {
        let tracker = &mut self.evaluator.tracker;
        let changed = match c {
            EngineCommand::Ack { fingerprint, by } => {
                let acked = tracker.ack(fingerprint, &by, now);
                if let (true, Some(a)) = (acked, tracker.get(fingerprint)) {
                    self.notices.acked(&self.policy, tracker, a, now);
                }
                acked.then_some(fingerprint)
            }
            EngineCommand::Unack { fingerprint } => {
                tracker.unack(fingerprint, now).then_some(fingerprint)
            }
            EngineCommand::Silence {
                matchers,
                ends_at,
                by,
            } => {
                let id = self.next_silence;
                self.next_silence += 1;
                let until = chrono::DateTime::from_timestamp_millis(ends_at)
                    .map(|t| {
                        t.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                tracing::info!("silence {id} until {until} by {by}");
                self.keep_silence(
                    Silence {
                        id,
                        matchers,
                        starts_at: now,
                        ends_at,
                        by,
                    },
                    writer,
                );
                None
            }
            EngineCommand::Expire { ids } => {
                let ended: Vec<Silence> = self
                    .silences
                    .iter()
                    .filter(|s| ids.contains(&s.id))
                    .map(|s| Silence {
                        ends_at: now,
                        ..s.clone()
                    })
                    .collect();
                for s in ended {
                    tracing::info!("silence {} expired", s.id);
                    self.keep_silence(s, writer);
                }
                None
            }
        };
        self.silences.retain(|s| s.ends_at > now);
        if let Some(fp) = changed {
            self.save(fp, writer);
        }
    }

    /// Records a silence (new or changed) and hands it to the writer.
    fn keep_silence(&mut self, s: Silence, writer: Option<&WriterHandle>) {
        if let Some(w) = writer {
            w.side.send_silence(s.clone());
        }
        self.silences.retain(|x| x.id != s.id);
        self.silences.push(s);
    }

    /// Hands the moves of dynamic thresholds to the store writer.
    pub fn save_thresholds(&mut self, writer: Option<&WriterHandle>) {
        let moves = std::mem::take(&mut self.evaluator.threshold_changes);
        if let (Some(w), false) = (writer, moves.is_empty()) {
            w.side.send_thresholds(moves);
        }
    }

    /// Hands an alert's new state to the store writer.
    pub fn save(&self, fingerprint: u64, writer: Option<&WriterHandle>) {
        if let (Some(w), Some(a)) = (writer, self.evaluator.tracker.get(fingerprint)) {
            w.side.send_alert(a.clone());
        }
    }
}

/// What the log says of a transition, and whether it is news (info) or detail (debug): an
/// alert fires or resolves; one pending, or pending and cleared before its `for` had passed,
/// never fired, so it is no incident to read about.
fn said(a: &Alert, phase: Phase) -> (bool, &'static str) {
    match (phase, a.fired_at) {
        (Phase::Firing, _) => (true, "firing"),
        (Phase::Resolved, Some(_)) => (true, "resolved"),
        (Phase::Resolved, None) => (false, "cleared before it fired"),
        (Phase::Pending, _) => (false, "pending"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_alert_that_clears_is_not_logged_as_resolved() {
        let mut a = Alert::firing("cpu_high", &[]);
        a.fired_at = None;
        assert_eq!(
            said(&a, Phase::Resolved),
            (false, "cleared before it fired")
        );
        assert_eq!(said(&a, Phase::Pending), (false, "pending"));
        a.fired_at = Some(1);
        assert_eq!(said(&a, Phase::Resolved), (true, "resolved"));
        assert_eq!(said(&a, Phase::Firing), (true, "firing"));
    }
}
