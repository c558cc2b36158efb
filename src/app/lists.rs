//! The panes' lists in the order shown, and their selections: by identity (fingerprint, PID,
//! host name, pattern, anomaly), never by row.

use super::state::{AnomalyKey, Pane, State};
use crate::alert::lifecycle::{Alert, Phase};
use crate::alert::rules::{Condition, Rule};
use crate::detect::Anomaly;
use crate::logs::miner::PatternId;

impl State {
    /// Alerts in the order the pane shows them: firing, pending, resolved; then by severity
    /// (highest first), then oldest first. The ack keys act on this order too.
    pub fn alerts_sorted(&self) -> Vec<&Alert> {
        let rank = |p: Phase| match p {
            Phase::Firing => 0,
            Phase::Pending => 1,
            Phase::Resolved => 2,
        };
        let words = filter_words(self.filter.as_deref());
        let mut v: Vec<&Alert> = self
            .board
            .alerts
            .iter()
            .filter(|a| words.iter().all(|w| alert_text(a).contains(w.as_str())))
            .collect();
        v.sort_by(|a, b| {
            rank(a.phase)
                .cmp(&rank(b.phase))
                .then(b.severity.cmp(&a.severity))
                .then(a.active_since.cmp(&b.active_since))
                .then(a.fingerprint.cmp(&b.fingerprint))
        });
        v
    }

    /// When the alerts about a chart's metrics (names starting with one of `metrics`) fired,
    /// each one's latest episode: where that chart puts markers.
    pub fn alert_marks(&self, metrics: &[&str]) -> Vec<i64> {
        self.board
            .alerts
            .iter()
            .filter(|a| {
                let watched = watched_metric(self.policy.rule(&a.rule));
                watched.is_some_and(|m| metrics.iter().any(|p| m.starts_with(p)))
            })
            .filter_map(|a| a.fired_at)
            .collect()
    }

    /// The alert under the pane's selection.
    pub fn selected_alert(&self) -> Option<&Alert> {
        let sorted = self.alerts_sorted();
        self.alert_selected.get(&sorted, |a| a.fingerprint).copied()
    }

    /// The anomaly under the pane's selection.
    pub fn selected_anomaly(&self) -> Option<&Anomaly> {
        let rows = self.anomaly_rows();
        self.anomaly_selected
            .get(&rows, |a| anomaly_key(a))
            .copied()
    }

    /// Moves the focused list's selection by `by` rows, or the first shown row of the disk
    /// and network lists.
    pub(super) fn move_selection(&mut self, by: i64) {
        match self.focus {
            Pane::Procs => {
                if let Some(f) = &self.proc_follow {
                    self.proc_selected.hold(f.pid);
                }
                let rows: Vec<u32> = self.proc_rows().iter().map(|p| p.pid).collect();
                self.proc_selected.move_by(&rows, by, |p| *p);
            }
            Pane::Alerts => {
                let rows = fingerprints(&self.alerts_sorted());
                self.alert_selected.move_by(&rows, by, |f| *f);
            }
            Pane::Hosts => {
                let rows: Vec<String> = self.host_rows().into_iter().map(|r| r.name).collect();
                self.host_selected.move_by(&rows, by, Clone::clone);
            }
            Pane::Patterns => {
                let rows: Vec<PatternId> = self.pattern_rows().iter().map(|r| r.id).collect();
                self.pattern_selected.move_by(&rows, by, |p| *p);
            }
            Pane::Metrics => {
                let rows: Vec<String> = (self.metric_rows().into_iter())
                    .map(|r| r.key.to_string())
                    .collect();
                self.metric_selected.move_by(&rows, by, Clone::clone);
            }
            Pane::Anomalies if self.forecast_view => {
                let rows = self.forecast_keys();
                self.forecast_selected.move_by(&rows, by, Clone::clone);
            }
            Pane::Anomalies => {
                let rows = self.anomaly_keys();
                self.anomaly_selected.move_by(&rows, by, Clone::clone);
            }
            p @ (Pane::Disk | Pane::Net) => {
                let snap = self.shown().snapshot.as_ref();
                let len = snap.map_or(0, |s| match p {
                    Pane::Disk => s.fs.len() + s.disks.len(),
                    _ => s.nets.len(),
                });
                let at = &mut self.scroll[p.index()];
                *at = (*at as i64 + by).clamp(0, len.saturating_sub(1) as i64) as usize;
            }
            _ => {}
        }
    }

    /// Holds the focused list's selection on the item shown as selected, so that when the
    /// list re-sorts (a new alert, a busier process) the highlight stays on that item. Called
    /// after every key and every update from the engine.
    pub fn settle(&mut self) {
        self.move_selection(0);
    }

    fn anomaly_keys(&self) -> Vec<AnomalyKey> {
        self.anomaly_rows().into_iter().map(anomaly_key).collect()
    }

    fn forecast_keys(&self) -> Vec<String> {
        let rows = self.forecast_rows();
        rows.into_iter().map(|r| r.series.clone()).collect()
    }
}

fn fingerprints(alerts: &[&Alert]) -> Vec<u64> {
    alerts.iter().map(|a| a.fingerprint).collect()
}

/// An anomaly's identity in the list.
pub fn anomaly_key(a: &Anomaly) -> AnomalyKey {
    (a.host.clone(), a.series.clone(), a.started_ms)
}

/// What the filter searches: the state, and each label as `name=value` (`alertname` and
/// `severity` among them, as in silences and escalation).
fn alert_text(a: &Alert) -> String {
    format!("{:?} {}", a.phase, a.label_pairs().join(" ")).to_lowercase()
}

/// The metric a rule watches (an expression's first).
fn watched_metric(rule: Option<&Rule>) -> Option<&str> {
    match &rule?.condition {
        Condition::Threshold { metric, .. }
        | Condition::Predict { metric, .. }
        | Condition::Unusual { metric, .. } => Some(metric),
        Condition::Expr(e) => e.metrics().first().copied(),
    }
}
/// A filter's words, lower-cased: each must be found for an item to stay.
pub(super) fn filter_words(filter: Option<&str>) -> Vec<String> {
    filter
        .into_iter()
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
        .collect()
}
