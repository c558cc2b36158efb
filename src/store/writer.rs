use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::params;

use super::side::{Bell, Side, WriterSide};
use super::{BLOCK_SAMPLES, Retention, Store, StoreError, codec};
use crate::model::RawSample;

/// Samples held while the disk refuses them, before the oldest are given up.
const MAX_PENDING: usize = 100_000;
/// Room in the channel between the engine and the writer.
const CHANNEL: usize = 1024;

/// What the writer is doing, read by the UI's status bar and by tests.
#[derive(Debug, Default)]
pub struct WriterStatus {
    pub written: AtomicU64,
    /// Samples the channel or the pending buffer could not take.
    pub dropped: AtomicU64,
    pub error: Mutex<Option<String>>,
    /// Transactions of samples committed, and the time they took (µs, summed).
    pub commits: AtomicU64,
    pub commit_us: AtomicU64,
    /// What could not be written when the writer stopped (said in full), if anything.
    pub lost: Mutex<Option<String>>,
}

impl WriterStatus {
    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    /// What was lost at the stop, if anything.
    pub fn lost(&self) -> Option<String> {
        self.lost.lock().ok().and_then(|e| e.clone())
    }
    fn set_error(&self, e: Option<String>) {
        if let Ok(mut slot) = self.error.lock() {
            *slot = e;
        }
    }
}

/// The sending side of the writer thread. Dropping it flushes and stops the thread;
/// `finish` waits for that.
pub struct WriterHandle {
    tx: Option<SyncSender<Msg>>,
    /// Alerts, silences, thresholds, patterns and anomalies to save.
    pub side: WriterSide,
    thread: Option<JoinHandle<()>>,
    pub status: Arc<WriterStatus>,
    /// Rung when notices are in the outbox (the delivery threads wait on it).
    pub outbox: Bell,
}

/// What the writer thread is handed.
enum Msg {
    Sample(Box<RawSample>),
    /// Commit now: notices wait (committed before their first attempt).
    Wake,
}

impl WriterHandle {
    /// Queues a sample without blocking; a full queue counts a drop.
    pub fn send(&self, s: RawSample) {
        let Some(tx) = &self.tx else { return };
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            tx.try_send(Msg::Sample(Box::new(s)))
        {
            self.status.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Notices for the outbox, committed at once (not at the next flush): a notice's delay
    /// is the time to its receiver.
    pub fn send_notices(&self, n: Vec<super::Queued>) {
        self.side.send_notices(n);
        if let Some(tx) = &self.tx {
            // A full queue means a commit is near anyway.
            let _ = tx.try_send(Msg::Wake);
        }
    }

    /// Flushes what is queued and waits for the thread to end.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for WriterHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Time between two retention passes.
const RETENTION_EVERY: Duration = Duration::from_secs(600);

/// Starts the thread that owns the store: it commits a batch every `flush`, packs blocks and
/// enforces `retention` (at start, then every ten minutes).
pub fn spawn_writer(store: Store, flush: Duration, retention: Retention) -> WriterHandle {
    let (tx, rx) = sync_channel(CHANNEL);
    let status = Arc::new(WriterStatus::default());
    let st = status.clone();
    let side = WriterSide::default();
    let taken = side.clone();
    let outbox = Bell::default();
    let ring = outbox.clone();
    let thread = std::thread::Builder::new()
        .name("montui-store".into())
        .spawn(move || run(store, rx, (&taken, &ring), flush, retention, &st))
        .ok();
    WriterHandle {
        tx: Some(tx),
        side,
        thread,
        status,
        outbox,
    }
}

/// Samples written between two looks at whether a block is due.
const PACK_CHECK: u64 = 60;

fn run(
    mut store: Store,
    rx: Receiver<Msg>,
    (side, outbox): (&WriterSide, &Bell),
    flush: Duration,
    retention: Retention,
    status: &WriterStatus,
) {
    let mut batch: Vec<RawSample> = Vec::new();
    // State the disk has not taken yet.
    let mut held = Side::default();
    let mut next_retention = Instant::now();
    let mut deadline = Instant::now() + flush;
    let mut since_pack = 0;
    loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let closed = match rx.recv_timeout(wait) {
            Ok(Msg::Sample(s)) => {
                batch.push(*s);
                continue;
            }
            Ok(Msg::Wake) => false,
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        since_pack += batch.len() as u64;
        commit(&mut store, &mut batch, status);
        held.absorb(side.take());
        if save_state(&mut store, &mut held) {
            outbox.ring();
        }
        // Packing waits while samples are pending: a failing disk gets no extra work.
        if since_pack >= PACK_CHECK && batch.is_empty() {
            since_pack = 0;
            if let Err(e) = store.pack(BLOCK_SAMPLES) {
                tracing::warn!("packing history into blocks: {e}");
            }
        }
        if Instant::now() >= next_retention && batch.is_empty() {
            next_retention = Instant::now() + RETENTION_EVERY;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            if let Err(e) = store.enforce(now, retention) {
                tracing::warn!("applying retention: {e}");
            }
        }
        if closed {
            last_commits(&mut store, &mut batch, &mut held, status);
            return;
        }
        deadline = Instant::now() + flush;
    }
}

fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string(),
    )
}

/// How long the stop waits for a refusing disk to take what is pending.
const STOP_WAIT: Duration = Duration::from_secs(5);

/// At the stop: what the disk refused is tried again for `STOP_WAIT`; what it still refuses
/// is lost, and said (in the log, and in `status.lost` for the exit).
fn last_commits(
    store: &mut Store,
    batch: &mut Vec<RawSample>,
    held: &mut Side,
    status: &WriterStatus,
) {
    let until = Instant::now() + STOP_WAIT;
    while (!batch.is_empty() || !held.is_empty()) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(250));
        commit(store, batch, status);
        save_state(store, held);
    }
    let mut lost = Vec::new();
    if let (Some(first), Some(last)) = (batch.first(), batch.last()) {
        lost.push(format!(
            "{} samples ({} to {})",
            batch.len(),
            utc(first.ts_ms),
            utc(last.ts_ms)
        ));
    }
    lost.extend(held.describe());
    if !lost.is_empty() {
        let why = status
            .error()
            .unwrap_or_else(|| "the disk refused them".into());
        let said = format!("not written, lost: {} ({why})", lost.join(", "));
        tracing::error!("{said}");
        if let Ok(mut l) = status.lost.lock() {
            *l = Some(said);
        }
    }
}

/// Saves the state held; what the disk refuses stays held for the next commit (a full disk
/// delays it, never drops it). Whether notices went into the outbox.
fn save_state(store: &mut Store, held: &mut Side) -> bool {
    // Notices first: committed before their first attempt, and a full disk delays them.
    let queued = held.notices.len();
    held.notices
        .retain(|q| store.enqueue(&q.id, &q.items, q.at).is_err());
    let enqueued = held.notices.len() < queued;
    held.silences.retain(|_, s| store.save_silence(s).is_err());
    if !held.thresholds.is_empty() && store.save_thresholds(&held.thresholds).is_ok() {
        held.thresholds.clear();
    }
    if !held.anomalies.is_empty() && store.save_anomalies(&held.anomalies).is_ok() {
        held.anomalies.clear();
    }
    if !held.patterns.is_empty() {
        match store.save_patterns(&held.patterns) {
            Ok(()) => held.patterns = Default::default(),
            Err(e) => tracing::warn!("saving log patterns: {e}"),
        }
    }
    held.alerts.retain(|_, a| match store.save_alert(a) {
        Ok(()) => false,
        Err(e) => {
            tracing::warn!("saving alert {}: {e}", a.rule);
            true
        }
    });
    enqueued
}

/// Writes the batch; on failure keeps it for the next attempt (a full disk delays, never drops,
/// up to `MAX_PENDING` samples).
fn commit(store: &mut Store, batch: &mut Vec<RawSample>, status: &WriterStatus) {
    if batch.is_empty() {
        return;
    }
    let began = Instant::now();
    match store.insert(batch) {
        Ok(()) => {
            let us = began.elapsed().as_micros();
            (status.commit_us).fetch_add(u64::try_from(us).unwrap_or(u64::MAX), Ordering::Relaxed);
            status.commits.fetch_add(1, Ordering::Relaxed);
            if status.error().is_some() {
                tracing::info!("recording resumed");
                status.set_error(None);
            }
            status
                .written
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
            batch.clear();
        }
        Err(e) => {
            if status.error().is_none() {
                tracing::error!("recording paused: {e}");
            }
            status.set_error(Some(e.to_string()));
            if batch.len() > MAX_PENDING {
                let excess = batch.len() - MAX_PENDING;
                batch.drain(..excess);
                status.dropped.fetch_add(excess as u64, Ordering::Relaxed);
            }
        }
    }
}

impl Store {
    /// Inserts samples in one transaction; a sample already stored (same host and time) is kept.
    pub fn insert(&mut self, samples: &[RawSample]) -> Result<(), StoreError> {
        let done = self.insert_all(samples);
        if done.is_err() {
            // Texts stored in the transaction that failed are not in the file.
            self.written.clear();
        }
        done
    }

    fn insert_all(&mut self, samples: &[RawSample]) -> Result<(), StoreError> {
        let mut ids = Vec::with_capacity(samples.len());
        for s in samples {
            ids.push(self.host_id(&s.host)?);
        }
        let path = self.path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO samples (host_id, ts_ms, fmt, data) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for (s, id) in samples.iter().zip(ids) {
                let text_ids = (s.procs.iter())
                    .map(|p| self.written.id(&tx, id, s.ts_ms, p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(err)?;
                let data = codec::encode(s, &text_ids).map_err(|e| StoreError::Io {
                    path: path.clone(),
                    source: std::io::Error::other(e),
                })?;
                stmt.execute(params![id, s.ts_ms, codec::FORMAT, data])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    fn host_id(&mut self, host: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.host_ids.get(host) {
            return Ok(*id);
        }
        let id = self.sql(|c| {
            c.execute("INSERT OR IGNORE INTO hosts (name) VALUES (?1)", [host])?;
            c.query_row("SELECT id FROM hosts WHERE name = ?1", [host], |r| r.get(0))
        })?;
        self.host_ids.insert(host.to_string(), id);
        Ok(id)
    }
}

#[cfg(test)]
mod tests;
