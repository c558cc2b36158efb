//! The engine's log half: lines from the sources into patterns; every 5 s the changes to the
//! store, every second the log rules, and the board to the UI soon after a change (and every
//! second, as rates move on).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::logs::builtin::Known;
use crate::logs::feed::{LogMsg, LogSource};
use crate::logs::patterns::{LogBoard, Patterns};
use crate::logs::saved::{PatternSaves, SavedPattern};
use crate::model::Metric;

/// Time between two log boards while lines come.
pub const LOGS_EVERY: Duration = Duration::from_millis(250);
/// Time between two hand-overs of changed patterns to the store writer.
const SAVE_EVERY: Duration = Duration::from_secs(5);
/// Time between two evaluations of the log rules, and longest time between two boards.
const SECOND: Duration = Duration::from_secs(1);

/// What logs to follow, and what montui knows from before.
#[derive(Debug, Default)]
pub struct LogSetup {
    pub sources: Vec<LogSource>,
    /// Patterns of earlier runs.
    pub memory: Vec<SavedPattern>,
    /// Patterns the user named in config, with their severity.
    pub known: Vec<Known>,
}

pub struct LogWork {
    patterns: Patterns,
    /// The host log alerts are raised for (this machine).
    pub host: String,
    sent: Instant,
    saved: Instant,
    alerted: Instant,
    changed: bool,
}

impl LogWork {
    pub fn new(setup: &mut LogSetup, host: String) -> Self {
        let mut patterns = Patterns::restored(
            std::mem::take(&mut setup.memory),
            std::mem::take(&mut setup.known),
        );
        for s in &setup.sources {
            if let Some(f) = &s.format {
                patterns.formats.insert(s.name.as_str().into(), f.clone());
            }
        }
        Self {
            patterns,
            host,
            sent: Instant::now(),
            saved: Instant::now(),
            alerted: Instant::now(),
            changed: false,
        }
    }

    pub fn take(&mut self, m: LogMsg) {
        let now = chrono::Utc::now().timestamp_millis();
        match m {
            LogMsg::Lines { source, lines } => {
                for l in &lines {
                    self.patterns.add(&source, l, now);
                }
            }
            LogMsg::Problem { source, reason } => {
                if !reason.is_empty() {
                    tracing::warn!("log {source}: {reason}");
                }
                self.patterns.problem(Arc::clone(&source), reason);
            }
        }
        self.changed = true;
    }

    /// Changes for the store, every `SAVE_EVERY` (or `now`).
    pub fn saves(&mut self, now: bool) -> Option<PatternSaves> {
        if !now && self.saved.elapsed() < SAVE_EVERY {
            return None;
        }
        self.saved = Instant::now();
        Some(self.patterns.take_saves()).filter(|s| !s.is_empty())
    }

    /// The log metrics for the rules, once a second: (time, metrics).
    pub fn metrics(&mut self) -> Option<(i64, Vec<Metric>)> {
        if self.alerted.elapsed() < SECOND {
            return None;
        }
        self.alerted = Instant::now();
        let now = chrono::Utc::now().timestamp_millis();
        Some((now, self.patterns.metrics(now)))
    }

    /// The board for the UI, after a change or once a second.
    pub fn board(&mut self) -> Option<LogBoard> {
        if !self.changed && self.sent.elapsed() < SECOND {
            return None;
        }
        self.sent = Instant::now();
        self.changed = false;
        Some(self.patterns.board(chrono::Utc::now().timestamp_millis()))
    }
}
