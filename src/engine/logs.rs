//! The engine's log half, on a thread of its own so that mining a flood of lines never holds
//! up samples, alerting or the UI: lines from the sources into patterns; every 5 s the changes
//! to the store, every second the log metrics to the engine's rules, and the board to the UI
//! soon after a change (and every second, as rates move on). Boards and metrics are handed
//! over latest-wins, the sources wait when the thread is behind (their lines wait on disk).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::latest::Latest;
use crate::logs::builtin::Known;
use crate::logs::feed::{LogMsg, LogSource};
use crate::logs::patterns::{LogBoard, Patterns};
use crate::logs::saved::{PatternSaves, SavedPattern};
use crate::model::Metric;
use crate::store::WriterSide;

/// Time between two log boards while lines come.
pub const LOGS_EVERY: Duration = Duration::from_millis(250);
/// Time between two hand-overs of changed patterns to the store writer.
const SAVE_EVERY: Duration = Duration::from_secs(5);
/// Time between two evaluations of the log rules, and longest time between two boards.
const SECOND: Duration = Duration::from_secs(1);

/// What logs to follow, and what montui knows from before.
#[derive(Debug, Default)]
pub struct LogSetup {
    /// This machine's.
    pub sources: Vec<LogSource>,
    /// Remote hosts' files by host name (sources named `host:…`), followed over SSH.
    pub remote: HashMap<String, Vec<LogSource>>,
    /// Patterns of earlier runs.
    pub memory: Vec<SavedPattern>,
    /// Patterns the user named in config, with their severity.
    pub known: Vec<Known>,
}

impl LogSetup {
    /// Whether any logs are followed.
    pub fn any(&self) -> bool {
        !self.sources.is_empty() || self.remote.values().any(|s| !s.is_empty())
    }
}

pub struct LogWork {
    patterns: Patterns,
    /// The host of each remote source (the others are this machine's).
    hosts: HashMap<Arc<str>, String>,
    /// The hosts log alerts are raised for: this machine, then the remote hosts.
    all_hosts: Vec<String>,
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
        let mut hosts = HashMap::new();
        let mut all_hosts = vec![host];
        for (h, sources) in &setup.remote {
            all_hosts.push(h.clone());
            for s in sources {
                hosts.insert(s.name.as_str().into(), h.clone());
            }
        }
        let remote = setup.remote.values().flatten();
        for s in setup.sources.iter().chain(remote) {
            if let Some(f) = &s.format {
                patterns.formats.insert(s.name.as_str().into(), f.clone());
            }
        }
        Self {
            patterns,
            hosts,
            all_hosts,
            sent: Instant::now(),
            saved: Instant::now(),
            alerted: Instant::now(),
            changed: false,
        }
    }

    fn take(&mut self, m: LogMsg) {
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

    /// Saves, log metrics and the board, as each is due (`last`: the last saves, now).
    fn hand_over(&mut self, out: &LogOut, last: bool) {
        if let (Some(saves), Some(store)) = (self.saves(last), &out.store) {
            store.send_patterns(saves);
        }
        if let Some(b) = &out.board
            && let Some(board) = self.board()
        {
            b.put(Box::new(board));
        }
        if let Some(m) = self.metrics() {
            out.metrics.put(m);
        }
    }

    /// Changes for the store, every `SAVE_EVERY` (or `now`).
    fn saves(&mut self, now: bool) -> Option<PatternSaves> {
        if !now && self.saved.elapsed() < SAVE_EVERY {
            return None;
        }
        self.saved = Instant::now();
        Some(self.patterns.take_saves()).filter(|s| !s.is_empty())
    }

    /// The log metrics for the rules, once a second: (host, time, its metrics) for every
    /// host whose logs are followed (none are metrics too: alerts resolve).
    fn metrics(&mut self) -> Option<LogMetrics> {
        if self.alerted.elapsed() < SECOND {
            return None;
        }
        self.alerted = Instant::now();
        let now = chrono::Utc::now().timestamp_millis();
        let mut by_host: Vec<(String, i64, Vec<Metric>)> = (self.all_hosts.iter())
            .map(|h| (h.clone(), now, Vec::new()))
            .collect();
        for m in self.patterns.metrics(now) {
            let source = m.labels.iter().find(|(k, _)| *k == "source");
            let host = source.and_then(|(_, s)| self.hosts.get(s.as_str()));
            let at = host.map_or(Some(0), |h| self.all_hosts.iter().position(|x| x == h));
            if let Some(slot) = at.and_then(|i| by_host.get_mut(i)) {
                slot.2.push(m);
            }
        }
        Some(by_host)
    }

    /// The board for the UI, after a change or once a second.
    fn board(&mut self) -> Option<LogBoard> {
        if !self.changed && self.sent.elapsed() < SECOND {
            return None;
        }
        self.sent = Instant::now();
        self.changed = false;
        Some(self.patterns.board(chrono::Utc::now().timestamp_millis()))
    }
}

/// Log metrics for the rules: (host, time, its metrics) for every host whose logs are followed.
pub type LogMetrics = Vec<(String, i64, Vec<Metric>)>;

/// Where the log thread's results go.
pub struct LogOut {
    /// To the UI, if there is one.
    pub board: Option<Arc<Latest<Box<LogBoard>>>>,
    /// To the engine's rules.
    pub metrics: Arc<Latest<LogMetrics>>,
    /// To the store, if recording.
    pub store: Option<WriterSide>,
}

/// Starts the log thread; it ends when `stop` changes or the sources are gone, after handing
/// the last changes to the store.
pub fn spawn(
    work: LogWork,
    rx: mpsc::Receiver<LogMsg>,
    out: LogOut,
    stop: watch::Receiver<bool>,
) -> Option<std::thread::JoinHandle<()>> {
    let run = move || match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt.block_on(run(work, rx, out, stop)),
        Err(e) => tracing::error!("log patterns stopped: {e}"),
    };
    let thread = std::thread::Builder::new()
        .name("montui-logs".into())
        .spawn(run);
    if let Err(e) = &thread {
        tracing::error!("log patterns not started: {e}");
    }
    thread.ok()
}

async fn run(
    mut work: LogWork,
    mut rx: mpsc::Receiver<LogMsg>,
    out: LogOut,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(LOGS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            m = rx.recv() => match m {
                Some(m) => work.take(m),
                None => break,
            },
            _ = tick.tick() => work.hand_over(&out, false),
            _ = stop.changed() => break,
        }
    }
    work.hand_over(&out, true);
}
