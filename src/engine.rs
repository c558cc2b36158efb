//! The live pipeline: collector → derive → (store writer, UI events). No terminal code here.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::collect::Collector;
use crate::model::{RawSample, Snapshot, derive};
use crate::store::{WriterHandle, WriterStatus};

/// Room for UI events; a UI that falls this far behind loses samples (counted), never blocks
/// collection.
const EVENT_CHANNEL: usize = 64;

pub enum EngineEvent {
    Sample(Box<Snapshot>),
    CollectFailed(String),
}

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
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Engine {
    /// Starts sampling every `interval`. `writer` records; `with_events` feeds a UI.
    pub fn spawn(
        collector: Box<dyn Collector>,
        interval: Duration,
        writer: Option<WriterHandle>,
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
        let task = tokio::spawn(run(collector, interval, writer, tx, stats.clone(), stop));
        Self {
            stats,
            events: rx,
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

async fn run(
    mut collector: Box<dyn Collector>,
    interval: Duration,
    writer: Option<WriterHandle>,
    events: Option<mpsc::Sender<EngineEvent>>,
    stats: Arc<EngineStats>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut prev: Option<RawSample> = None;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
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
        let event = match result {
            Ok(raw) => {
                stats.collected.fetch_add(1, Ordering::Relaxed);
                let snap = derive(&raw, prev.as_ref());
                if let Some(w) = &writer {
                    w.send(raw.clone());
                }
                prev = Some(raw);
                EngineEvent::Sample(Box::new(snap))
            }
            Err(e) => {
                tracing::warn!("collecting failed: {e}");
                EngineEvent::CollectFailed(e.to_string())
            }
        };
        if let Some(tx) = &events
            && tx.try_send(event).is_err()
        {
            stats.dropped_events.fetch_add(1, Ordering::Relaxed);
        }
    }
    if let Some(w) = writer {
        let _ = tokio::task::spawn_blocking(move || w.finish()).await;
    }
}
