//! Alerting as the UI shows it, live or replayed: the alerts, the silences, and which alerts
//! are muted and by what.

use super::inhibit::{Inhibition, inhibited};
use super::lifecycle::Alert;
use super::silence::{Silence, silenced_by};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    /// Every known alert, without timelines.
    pub alerts: Vec<Alert>,
    /// Silences that have not ended.
    pub silences: Vec<Silence>,
    /// (muted alert, the firing alert that inhibits it).
    pub inhibited: Vec<(u64, u64)>,
}

/// Why an alert sends nothing on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mute {
    Silenced(u64),
    /// By the alert with this fingerprint.
    Inhibited(u64),
}

impl Board {
    /// The board of these alerts and silences, with the inhibitions worked out.
    pub fn new(alerts: Vec<Alert>, silences: Vec<Silence>, inhibitions: &[Inhibition]) -> Self {
        let refs: Vec<&Alert> = alerts.iter().collect();
        let inhibited = inhibited(inhibitions, &refs);
        Self {
            alerts,
            silences,
            inhibited,
        }
    }

    pub fn muted(&self, a: &Alert, now: i64) -> Option<Mute> {
        if let Some(s) = silenced_by(&self.silences, a, now) {
            return Some(Mute::Silenced(s.id));
        }
        self.inhibited
            .iter()
            .find(|(fp, _)| *fp == a.fingerprint)
            .map(|(_, by)| Mute::Inhibited(*by))
    }

    pub fn get(&self, fingerprint: u64) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.fingerprint == fingerprint)
    }
}
