//! How each receiver is doing, shared by its delivery thread (which writes it after each
//! attempt and every few seconds), the engine (which raises `notification_failing`) and the
//! UI (status bar, notifications view).

use std::sync::Mutex;

use super::{Kind, Receiver};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiverHealth {
    pub name: String,
    pub kind: &'static str,
    /// Notices waiting (retrying ones among them).
    pub pending: u64,
    /// Dead letters kept.
    pub dead: u64,
    /// Since when attempts fail: from the first failure after the last delivery (None: fine).
    pub failing_since: Option<i64>,
    /// When the next retry is due, while retrying.
    pub next_attempt_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_delivered_ms: Option<i64>,
}

/// Every receiver's health, in the order of the config; and the notes for the terminal.
#[derive(Debug, Default)]
pub struct Health {
    all: Mutex<Vec<ReceiverHealth>>,
    /// Escape sequences for the UI to write (`terminal` receivers), while one is attached.
    terminal: Mutex<Option<std::collections::VecDeque<String>>>,
}

impl Health {
    pub fn new(receivers: &[Receiver]) -> Self {
        let all = (receivers.iter())
            .map(|r| ReceiverHealth {
                name: r.name.clone(),
                kind: r.kind.label(),
                ..Default::default()
            })
            .collect();
        Self {
            all: Mutex::new(all),
            terminal: Mutex::new(None),
        }
    }

    /// The full-screen UI takes terminal notes from now on (`true`), or no longer.
    pub fn attach_terminal(&self, on: bool) {
        if let Ok(mut t) = self.terminal.lock() {
            *t = on.then(Default::default);
        }
    }

    /// Hands a note to the UI; false when none is attached. A UI that stalls loses the
    /// oldest notes past `WAITING`.
    pub fn to_terminal(&self, note: String) -> bool {
        let Ok(mut t) = self.terminal.lock() else {
            return false;
        };
        let Some(q) = t.as_mut() else { return false };
        if q.len() >= super::terminal::WAITING {
            q.pop_front();
        }
        q.push_back(note);
        true
    }

    /// The notes waiting for the terminal.
    pub fn take_terminal(&self) -> Vec<String> {
        (self.terminal.lock().ok())
            .and_then(|mut t| t.as_mut().map(|q| q.drain(..).collect()))
            .unwrap_or_default()
    }

    /// A copy of every receiver's health.
    pub fn snapshot(&self) -> Vec<ReceiverHealth> {
        self.all.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// Changes `name`'s health with `f`.
    pub fn update(&self, name: &str, f: impl FnOnce(&mut ReceiverHealth)) {
        if let Ok(mut all) = self.all.lock()
            && let Some(h) = all.iter_mut().find(|h| h.name == name)
        {
            f(h);
        }
    }

    /// The receivers failing since before `before`, with since when.
    pub fn failing(&self, before: i64) -> Vec<(String, i64)> {
        (self.snapshot().into_iter())
            .filter_map(|h| {
                h.failing_since
                    .filter(|s| *s <= before)
                    .map(|s| (h.name, s))
            })
            .collect()
    }
}

impl Kind {
    /// The kind's name, as the config writes it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Command { .. } => "command",
            Self::Webhook(_) => "webhook",
            Self::Slack(_) => "slack",
            Self::Email(_) => "email",
            Self::Alertmanager(_) => "alertmanager",
            Self::PagerDuty(_) => "pagerduty",
            Self::Opsgenie(_) => "opsgenie",
            Self::Ntfy(_) => "ntfy",
            Self::Terminal(_) => "terminal",
            Self::Desktop(_) => "desktop",
        }
    }
}
