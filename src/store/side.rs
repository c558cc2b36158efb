//! What the writer saves as state beside the samples: alerts, silences, thresholds, log
//! patterns, anomalies. Senders merge into one shared set (an alert's or pattern's latest
//! state replaces the earlier one), so a burst of them neither waits, nor is dropped, nor takes
//! room in the samples' queue; the writer takes the set at each commit and keeps what the disk
//! refused for the next one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::alert::lifecycle::Alert;
use crate::alert::silence::Silence;
use crate::detect::Anomaly;
use crate::logs::saved::PatternSaves;

#[derive(Debug, Default)]
pub struct Side {
    pub alerts: HashMap<u64, Alert>,
    pub silences: HashMap<u64, Silence>,
    /// Dynamic thresholds that moved: (series fingerprint, time, line).
    pub thresholds: Vec<(u64, i64, f64)>,
    pub patterns: PatternSaves,
    pub anomalies: Vec<Anomaly>,
    /// Notices for the outbox.
    pub notices: Vec<super::Queued>,
}

impl Side {
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty()
            && self.silences.is_empty()
            && self.thresholds.is_empty()
            && self.patterns.is_empty()
            && self.anomalies.is_empty()
            && self.notices.is_empty()
    }

    /// What is held, in words ("3 alert states, 120 log patterns").
    pub fn describe(&self) -> Vec<String> {
        [
            (self.alerts.len(), "alert states"),
            (self.silences.len(), "silences"),
            (self.thresholds.len(), "threshold moves"),
            (self.patterns.patterns.len(), "log patterns"),
            (self.anomalies.len(), "anomalies"),
            (self.notices.len(), "notices"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect()
    }

    /// Adds newer state to this (older) one.
    pub fn absorb(&mut self, newer: Side) {
        self.alerts.extend(newer.alerts);
        self.silences.extend(newer.silences);
        self.thresholds.extend(newer.thresholds);
        self.patterns.absorb(newer.patterns);
        self.anomalies.extend(newer.anomalies);
        self.notices.extend(newer.notices);
    }
}

/// The senders' end, cloned to every task that saves state.
#[derive(Debug, Clone, Default)]
pub struct WriterSide(Arc<Mutex<Side>>);

impl WriterSide {
    fn with(&self, f: impl FnOnce(&mut Side)) {
        if let Ok(mut s) = self.0.lock() {
            f(&mut s);
        }
    }

    /// Everything sent since the last call.
    pub fn take(&self) -> Side {
        self.0
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }

    /// An alert's new state (a transition or an acknowledgement).
    pub fn send_alert(&self, a: Alert) {
        self.with(|s| {
            s.alerts.insert(a.fingerprint, a);
        });
    }

    /// A new or expired silence.
    pub fn send_silence(&self, v: Silence) {
        self.with(|s| {
            s.silences.insert(v.id, v);
        });
    }

    /// Moves of dynamic thresholds.
    pub fn send_thresholds(&self, moves: Vec<(u64, i64, f64)>) {
        self.with(|s| s.thresholds.extend(moves));
    }

    /// Log pattern changes.
    pub fn send_patterns(&self, p: PatternSaves) {
        self.with(|s| s.patterns.absorb(p));
    }

    /// Notices for the outbox.
    pub fn send_notices(&self, n: Vec<super::Queued>) {
        self.with(|s| s.notices.extend(n));
    }

    /// Anomalies that started, grew or ended.
    pub fn send_anomalies(&self, found: Vec<Anomaly>) {
        self.with(|s| s.anomalies.extend(found));
    }
}

/// A doorbell: rung when there is work, waited on with a timeout (new notices in the outbox,
/// for the delivery threads).
#[derive(Debug, Clone, Default)]
pub struct Bell(Arc<(Mutex<u64>, std::sync::Condvar)>);

impl Bell {
    pub fn ring(&self) {
        if let Ok(mut n) = self.0.0.lock() {
            *n = n.wrapping_add(1);
            self.0.1.notify_all();
        }
    }

    /// How many times it has rung.
    pub fn rung(&self) -> u64 {
        self.0.0.lock().map(|n| *n).unwrap_or_default()
    }

    /// Waits until it rings past `seen`, or `timeout`; how many times it has rung.
    pub fn wait(&self, seen: u64, timeout: std::time::Duration) -> u64 {
        let Ok(n) = self.0.0.lock() else {
            return seen;
        };
        match self.0.1.wait_timeout_while(n, timeout, |n| *n == seen) {
            Ok((n, _)) => *n,
            Err(_) => seen,
        }
    }
}
