//! The live pipeline: collector → derive → (store writer, alerting, UI events). No terminal
//! code here.

mod alerting;
mod latest;
mod logs;
mod notices;
mod series;
mod sources;
mod warnings;

pub use alerting::Alerting;
pub use latest::Latest;
pub use logs::LogSetup;
pub use sources::Sources;

use logs::{LogMetrics, LogOut, LogWork};

use crate::alert::board::Board;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::collect::SourceMsg;
use crate::logs::feed;
use crate::logs::patterns::LogBoard;
use crate::model::{HostState, RawSample, Snapshot, derive};
use crate::store::{WriterHandle, WriterStatus};

/// Room for UI events; a UI that falls this far behind loses samples (counted), never blocks
/// collection.
const EVENT_CHANNEL: usize = 64;

pub enum EngineEvent {
    /// A sample; from a remote host, with its poll's round trip.
    Sample {
        snap: Box<Snapshot>,
        rtt_ms: Option<u32>,
    },
    /// A host answers (again), or stopped answering and why.
    Host { host: String, state: HostState },
    /// Alerting as it stands, after a sample or a command.
    Alerts(Board),
    /// Anomalies and forecasts as they stand (with the alert board).
    Anomalies(Box<crate::detect::AnomalyBoard>),
}

/// What the UI asks of the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineCommand {
    Ack {
        fingerprint: u64,
        by: String,
    },
    Unack {
        fingerprint: u64,
    },
    /// Mute alerts matching `matchers` until `ends_at`.
    Silence {
        matchers: Vec<(String, String)>,
        ends_at: i64,
        by: String,
    },
    /// End these silences now.
    Expire {
        ids: Vec<u64>,
    },
}

/// Room for UI commands (key presses: a handful at a time).
const COMMAND_CHANNEL: usize = 16;

/// Counters the status bar shows.
#[derive(Debug, Default)]
pub struct EngineStats {
    /// Samples the UI channel could not take.
    pub dropped_events: AtomicU64,
    pub collected: AtomicU64,
    /// Remote frames that could not be read (skipped).
    pub bad_frames: AtomicU64,
    pub writer: Option<Arc<WriterStatus>>,
    /// How the notification receivers are doing, when there are any.
    pub notify: Option<Arc<crate::notify::Health>>,
}

impl EngineStats {
    /// Every sample lost anywhere: UI channel, writer queue, writer backlog.
    pub fn dropped(&self) -> u64 {
        self.dropped_events.load(Ordering::Relaxed)
            + self
                .writer
                .as_ref()
                .map_or(0, |w| w.dropped.load(Ordering::Relaxed))
    }
}

pub struct Engine {
    pub stats: Arc<EngineStats>,
    pub events: Option<mpsc::Receiver<EngineEvent>>,
    /// Log patterns as they stand (every `LOGS_EVERY` while lines come, else every second),
    /// when logs are followed and there is a UI.
    pub log_board: Option<Arc<Latest<Box<LogBoard>>>>,
    pub commands: mpsc::Sender<EngineCommand>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Engine {
    /// Starts sampling `sources` every `interval`. `writer` records; `alerting` raises
    /// alerts; `with_events` feeds a UI.
    pub fn spawn(
        mut sources: Sources,
        interval: Duration,
        writer: Option<WriterHandle>,
        alerting: Option<Alerting>,
        with_events: bool,
        exposed: Option<Arc<crate::serve::Exposed>>,
    ) -> Self {
        let stats = Arc::new(EngineStats {
            writer: writer.as_ref().map(|w| w.status.clone()),
            notify: alerting.as_ref().and_then(Alerting::health),
            ..Default::default()
        });
        let (tx, rx) = if with_events {
            let (tx, rx) = mpsc::channel(EVENT_CHANNEL);
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let (shutdown, stop) = watch::channel(false);
        let (commands, cmd_rx) = mpsc::channel(COMMAND_CHANNEL);
        let (log_tx, log_rx) = mpsc::channel(feed::LOG_CHANNEL);
        let log_metrics = Arc::new(Latest::new());
        let log_board = (with_events && sources.logs.any()).then(|| Arc::new(Latest::new()));
        let log_thread = sources.logs.any().then(|| {
            let host = sources.local.as_ref().map(|c| c.host().to_string());
            let work = LogWork::new(&mut sources.logs, host.unwrap_or_default());
            let out = LogOut {
                board: log_board.clone(),
                metrics: log_metrics.clone(),
                store: writer.as_ref().map(|w| w.side.clone()),
            };
            logs::spawn(work, log_rx, out, stop.clone())
        });
        let parts = Parts {
            writer,
            alerting,
            events: tx,
            exposed,
            commands: cmd_rx,
            stats: stats.clone(),
            board_sent: Instant::now(),
            frame_warnings: Default::default(),
        };
        feed::spawn(std::mem::take(&mut sources.logs.sources), &log_tx, &stop);
        let samples = sources.spawn(interval, &stop, &log_tx);
        let logs = LogPart {
            metrics: log_thread.is_some().then_some(log_metrics),
            thread: log_thread.flatten(),
        };
        let task = tokio::spawn(run(samples, logs, parts, stop));
        Self {
            stats,
            events: rx,
            log_board,
            commands,
            shutdown,
            task,
        }
    }

    /// Waits until the engine ends by itself (it only does on a fault): why.
    pub async fn ended(&mut self) -> String {
        match (&mut self.task).await {
            Ok(()) => "the engine ended".into(),
            Err(e) if e.is_panic() => format!("the engine failed: {e}"),
            Err(e) => format!("the engine was stopped: {e}"),
        }
    }

    /// Stops sampling, flushes the last batch to disk and waits for both.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// What the engine task owns besides the collector.
struct Parts {
    writer: Option<WriterHandle>,
    alerting: Option<Alerting>,
    events: Option<mpsc::Sender<EngineEvent>>,
    /// What `/metrics` shows, when served.
    exposed: Option<Arc<crate::serve::Exposed>>,
    commands: mpsc::Receiver<EngineCommand>,
    stats: Arc<EngineStats>,
    board_sent: Instant,
    frame_warnings: warnings::FrameWarnings,
}

/// What alerting is told of a host.
#[derive(Clone, Copy)]
enum Seen<'a> {
    Sample(&'a Snapshot),
    Down {
        host: &'a str,
        at: i64,
        reason: &'a str,
    },
    /// Metrics of a host's log patterns.
    Logs {
        host: &'a str,
        at: i64,
        metrics: &'a [crate::model::Metric],
    },
}

/// Longest time between two alert boards sent to the UI while nothing changes.
const BOARD_EVERY: Duration = Duration::from_millis(500);

impl Parts {
    fn send(&self, event: EngineEvent) {
        if let Some(tx) = &self.events
            && tx.try_send(event).is_err()
        {
            self.stats.dropped_events.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn send_alerts(&self, now: i64) {
        let Some(al) = &self.alerting else { return };
        if self.events.is_none() && self.exposed.is_none() {
            return;
        }
        let board = al.board(now);
        if let Some(x) = &self.exposed {
            x.alerts(&board);
        }
        if self.events.is_some() {
            self.send(EngineEvent::Alerts(board));
            let anomalies = al.evaluator.watch.board();
            self.send(EngineEvent::Anomalies(Box::new(anomalies)));
        }
    }

    fn command(&mut self, c: EngineCommand, now: i64) {
        if let Some(al) = &mut self.alerting {
            al.command(c, now, self.writer.as_ref());
            // An acknowledgement tells the receivers that track incidents.
            let notices = al.take_outbox();
            if let (Some(w), false) = (&self.writer, notices.is_empty()) {
                w.send_notices(notices);
            }
        }
        self.send_alerts(now);
    }

    /// Log rules on the log thread's latest metrics.
    fn log_metrics(&mut self, due: LogMetrics) {
        for (host, at, metrics) in due {
            self.alert(Seen::Logs {
                host: &host,
                at,
                metrics: &metrics,
            });
        }
    }

    /// Alerting's view of a sample, or of a host that did not answer.
    fn alert(&mut self, seen: Seen<'_>) {
        let mut changed = Vec::new();
        let now = match seen {
            Seen::Sample(s) => s.ts_ms,
            Seen::Down { at, .. } | Seen::Logs { at, .. } => at,
        };
        if let Some(al) = &mut self.alerting {
            changed = match seen {
                Seen::Sample(s) => al.sample(s),
                Seen::Down { host, reason, .. } => al.down(host, now, reason),
                Seen::Logs { host, metrics, .. } => al.logs(host, now, metrics),
            };
            for fp in &changed {
                al.save(*fp, self.writer.as_ref());
            }
            al.save_thresholds(self.writer.as_ref());
            let notices = al.take_outbox();
            if let (Some(w), false) = (&self.writer, notices.is_empty()) {
                w.send_notices(notices);
            }
            let found = al.evaluator.watch.take_changed();
            if let (Some(w), false) = (&self.writer, found.is_empty()) {
                w.side.send_anomalies(found);
            }
        }
        // The board is every alert: sent on a change, else at most every BOARD_EVERY (many
        // hosts' samples would otherwise copy it many times a second).
        if !changed.is_empty() || self.board_sent.elapsed() >= BOARD_EVERY {
            self.board_sent = Instant::now();
            self.send_alerts(now);
        }
    }
}

/// The log thread, seen from the engine.
struct LogPart {
    /// Its metrics for the rules, if logs are followed.
    metrics: Option<Arc<Latest<LogMetrics>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

async fn next_metrics(m: &Option<Arc<Latest<LogMetrics>>>) -> LogMetrics {
    match m {
        Some(m) => m.take().await,
        None => std::future::pending().await,
    }
}

async fn run(
    mut samples: mpsc::Receiver<SourceMsg>,
    logs: LogPart,
    mut parts: Parts,
    mut stop: watch::Receiver<bool>,
) {
    let mut prev: HashMap<String, RawSample> = HashMap::new();
    let mut extra = series::Extra::default();
    let mut last_ts = 0;
    loop {
        let msg = tokio::select! {
            Some(m) = samples.recv() => m,
            Some(c) = parts.commands.recv() => {
                parts.command(c, last_ts);
                continue;
            }
            m = next_metrics(&logs.metrics) => {
                parts.log_metrics(m);
                continue;
            }
            _ = stop.changed() => break,
            else => break,
        };
        match msg {
            SourceMsg::Sample { mut raw, rtt_ms } => {
                parts.stats.collected.fetch_add(1, Ordering::Relaxed);
                for reason in raw.cap_series() {
                    let said = (parts.frame_warnings).say(
                        &raw.host,
                        warnings::CUT,
                        &reason,
                        Instant::now(),
                    );
                    if let Some(said) = said {
                        tracing::warn!("{said}");
                    }
                }
                let fresh = extra.attach(&mut raw);
                let snap = derive(&raw, prev.get(&raw.host));
                last_ts = raw.ts_ms;
                if let Some(w) = &parts.writer {
                    let mut kept = (*raw).clone();
                    // A scrape's series are recorded once; readers carry them forward.
                    if !fresh {
                        kept.series = Default::default();
                    }
                    w.send(kept);
                }
                prev.insert(raw.host.clone(), *raw);
                parts.alert(Seen::Sample(&snap));
                if let Some(x) = &parts.exposed {
                    x.sample(&snap);
                }
                parts.send(EngineEvent::Sample {
                    snap: Box::new(snap),
                    rtt_ms,
                });
            }
            SourceMsg::Failed { host, at, reason } => {
                tracing::warn!("{host}: {reason}");
                if let Some(x) = &parts.exposed {
                    x.down(&host);
                }
                parts.alert(Seen::Down {
                    host: &host,
                    at,
                    reason: &reason,
                });
                let state = HostState::Down { reason };
                parts.send(EngineEvent::Host { host, state });
            }
            SourceMsg::Connected { host, skew_ms } => {
                tracing::info!("{host}: connected (clock {skew_ms} ms behind)");
                let state = HostState::Up {
                    skew_ms,
                    rtt_ms: None,
                };
                parts.send(EngineEvent::Host { host, state });
            }
            SourceMsg::BadFrame { host, reason } => {
                parts.stats.bad_frames.fetch_add(1, Ordering::Relaxed);
                let said =
                    (parts.frame_warnings).say(&host, warnings::SKIPPED, &reason, Instant::now());
                if let Some(said) = said {
                    tracing::warn!("{said}");
                }
            }
            SourceMsg::Series {
                host,
                source,
                series,
            } => extra.put(host, source, series),
            SourceMsg::Capped { host, reason } => {
                let said =
                    (parts.frame_warnings).say(&host, warnings::CUT, &reason, Instant::now());
                if let Some(said) = said {
                    tracing::warn!("{said}");
                }
            }
        }
    }
    // The log thread hands its last changes to the writer before the writer's last commit.
    if let Some(t) = logs.thread {
        let _ = tokio::task::spawn_blocking(move || t.join()).await;
    }
    let writer = parts.writer.take();
    if let Some(w) = writer {
        let _ = tokio::task::spawn_blocking(move || w.finish()).await;
    }
}
