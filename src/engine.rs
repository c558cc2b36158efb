//! The live pipeline: collector → derive → (store writer, UI events). No terminal code here.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::alert::eval::Evaluator;
use crate::alert::lifecycle::Alert;
use crate::alert::silence::Silence;
use crate::collect::Collector;
use crate::model::{RawSample, Snapshot, derive};
use crate::store::{WriterHandle, WriterStatus};

/// Room for UI events; a UI that falls this far behind loses samples (counted), never blocks
/// collection.
const EVENT_CHANNEL: usize = 64;

pub enum EngineEvent {
    Sample(Box<Snapshot>),
    CollectFailed(String),
    /// Every alert the engine knows (without timelines) and the live silences, after a
    /// sample or a command.
    Alerts(Vec<Alert>, Vec<Silence>),
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
    pub writer: Option<Arc<WriterStatus>>,
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
    pub commands: mpsc::Sender<EngineCommand>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Engine {
    /// Starts sampling every `interval`. `writer` records; `evaluator` raises alerts;
    /// `with_events` feeds a UI.
    pub fn spawn(
        collector: Box<dyn Collector>,
        interval: Duration,
        writer: Option<WriterHandle>,
        evaluator: Option<Evaluator>,
        silences: Vec<Silence>,
        with_events: bool,
    ) -> Self {
        let stats = Arc::new(EngineStats {
            writer: writer.as_ref().map(|w| w.status.clone()),
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
        let parts = Parts {
            writer,
            silences,
            evaluator,
            events: tx,
            commands: cmd_rx,
            stats: stats.clone(),
        };
        let task = tokio::spawn(run(collector, interval, parts, stop));
        Self {
            stats,
            events: rx,
            commands,
            shutdown,
            task,
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
    silences: Vec<Silence>,
    evaluator: Option<Evaluator>,
    events: Option<mpsc::Sender<EngineEvent>>,
    commands: mpsc::Receiver<EngineCommand>,
    stats: Arc<EngineStats>,
}

impl Parts {
    fn send(&self, event: EngineEvent) {
        if let Some(tx) = &self.events
            && tx.try_send(event).is_err()
        {
            self.stats.dropped_events.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn send_alerts(&self) {
        if let Some(ev) = &self.evaluator {
            let alerts = ev.tracker.alerts().map(Alert::summary).collect();
            self.send(EngineEvent::Alerts(alerts, self.silences.clone()));
        }
    }

    fn silence_command(&mut self, c: EngineCommand, now: i64) {
        match c {
            EngineCommand::Silence {
                matchers,
                ends_at,
                by,
            } => {
                let id = self.silences.iter().map(|s| s.id).max().unwrap_or(0) + 1;
                let s = Silence {
                    id,
                    matchers,
                    starts_at: now,
                    ends_at,
                    by,
                };
                tracing::info!("silence {id} until {ends_at} by {}", s.by);
                self.keep_silence(s);
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
                    self.keep_silence(s);
                }
            }
            _ => {}
        }
        self.silences.retain(|s| s.ends_at > now);
        self.send_alerts();
    }

    /// Records a silence (new or changed) and hands it to the writer.
    fn keep_silence(&mut self, s: Silence) {
        if let Some(w) = &self.writer {
            w.send_silence(s.clone());
        }
        self.silences.retain(|x| x.id != s.id);
        self.silences.push(s);
    }

    fn command(&mut self, c: EngineCommand, now: i64) {
        let (fingerprint, changed) = match c {
            EngineCommand::Ack { fingerprint, by } => (
                fingerprint,
                self.evaluator
                    .as_mut()
                    .is_some_and(|ev| ev.tracker.ack(fingerprint, &by, now)),
            ),
            EngineCommand::Unack { fingerprint } => (
                fingerprint,
                self.evaluator
                    .as_mut()
                    .is_some_and(|ev| ev.tracker.unack(fingerprint, now)),
            ),
            other => return self.silence_command(other, now),
        };
        if changed {
            self.save(fingerprint);
        }
        self.send_alerts();
    }

    /// Hands an alert's new state to the store writer.
    fn save(&self, fingerprint: u64) {
        if let (Some(w), Some(ev)) = (&self.writer, &self.evaluator)
            && let Some(a) = ev.tracker.get(fingerprint)
        {
            w.send_alert(a.clone());
        }
    }
}

async fn run(
    mut collector: Box<dyn Collector>,
    interval: Duration,
    mut parts: Parts,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut prev: Option<RawSample> = None;
    let mut last_ts = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            Some(c) = parts.commands.recv() => {
                parts.command(c, last_ts);
                continue;
            }
            _ = stop.changed() => break,
        }
        // One collection in flight: the collector moves into the blocking task and back.
        let Ok((c, result)) = tokio::task::spawn_blocking(move || {
            let r = collector.collect();
            (collector, r)
        })
        .await
        else {
            tracing::error!("collector task panicked; sampling stopped");
            break;
        };
        collector = c;
        match result {
            Ok(raw) => {
                parts.stats.collected.fetch_add(1, Ordering::Relaxed);
                let snap = derive(&raw, prev.as_ref());
                last_ts = raw.ts_ms;
                if let Some(w) = &parts.writer {
                    w.send(raw.clone());
                }
                prev = Some(raw);
                let transitions = parts
                    .evaluator
                    .as_mut()
                    .map(|ev| ev.evaluate(&snap))
                    .unwrap_or_default();
                for t in transitions {
                    if let Some(a) = parts
                        .evaluator
                        .as_ref()
                        .and_then(|ev| ev.tracker.get(t.fingerprint))
                    {
                        tracing::info!("alert {} {:?}: {:?}", a.rule, a.labels, t.phase);
                    }
                    parts.save(t.fingerprint);
                }
                parts.send(EngineEvent::Sample(Box::new(snap)));
                parts.send_alerts();
            }
            Err(e) => {
                tracing::warn!("collecting failed: {e}");
                parts.send(EngineEvent::CollectFailed(e.to_string()));
            }
        }
    }
    let writer = parts.writer.take();
    if let Some(w) = writer {
        let _ = tokio::task::spawn_blocking(move || w.finish()).await;
    }
}
