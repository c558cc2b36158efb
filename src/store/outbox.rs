//! The notification outbox (schema 9): each notice is one row per receiver, committed before
//! the first attempt, so a restart (kill -9 included) loses nothing queued and never sends again
//! what was confirmed. Receivers are independent rows: one failing never holds up another.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// A notice for the outbox: its id, a payload per receiver, when it was worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: String,
    pub items: Vec<(String, String)>,
    pub at: i64,
}

/// A notice waiting for one receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: i64,
    /// Stable across receivers and retries (receivers may de-duplicate on it).
    pub notice: String,
    pub receiver: String,
    pub created_ms: i64,
    pub payload: String,
    pub attempts: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again at `next_ms` (a backoff, or what the receiver asked for).
    Retry {
        next_ms: i64,
        error: String,
    },
    /// Refused for good (a 4xx, refused authentication, a give-up time passed): kept as a
    /// dead letter.
    Dead {
        error: String,
    },
}

/// What one receiver has in the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiverState {
    pub pending: u64,
    pub dead: u64,
    /// The oldest pending notice that has failed at least once: since when.
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
}

/// A notice for one receiver as the outbox holds it, for the notifications view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub id: i64,
    pub notice: String,
    pub receiver: String,
    pub created_ms: i64,
    pub state: SentState,
    pub attempts: u32,
    /// When the next attempt is due (pending ones).
    pub next_ms: i64,
    pub done_ms: Option<i64>,
    pub last_error: Option<String>,
    pub payload: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentState {
    Pending,
    Delivered,
    Dead,
}

const PENDING: i64 = 0;
const DELIVERED: i64 = 1;
const DEAD: i64 = 2;

impl Store {
    /// The outbox of the history at `path`, for a delivery thread: beside the recorder's
    /// connection (which made and migrated the file), without its lock.
    pub fn open_outbox(path: &std::path::Path) -> Result<Self, StoreError> {
        let s = Self::connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE, None)?;
        s.check_format()?;
        // As the recorder's: in WAL mode a commit survives the process being killed; without
        // this each attempt's record would wait for an fsync.
        s.sql(|c| c.pragma_update(None, "synchronous", "NORMAL"))?;
        Ok(s)
    }

    /// Queues a notice: a payload per receiver, in one transaction; a notice already queued
    /// for a receiver is left as it is.
    pub fn enqueue(
        &mut self,
        notice: &str,
        items: &[(String, String)],
        now: i64,
    ) -> Result<(), StoreError> {
        let path = self.path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        for (r, payload) in items {
            tx.execute(
                "INSERT OR IGNORE INTO outbox (notice, receiver, created_ms, payload, next_ms)
                 VALUES (?1, ?2, ?3, ?4, ?3)",
                params![notice, r, now, payload],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// `receiver`'s notices due at `now`, oldest first: none while its oldest waits for a
    /// retry (notices go out in order).
    pub fn due(&self, receiver: &str, now: i64, limit: usize) -> Result<Vec<Pending>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, notice, receiver, created_ms, payload, attempts, next_ms FROM outbox
                 WHERE receiver = ?1 AND state = 0 ORDER BY id LIMIT ?2",
            )?;
            let rows = st.query_map(params![receiver, limit as i64], |r| {
                if r.get::<_, i64>(6)? > now {
                    return Ok(None);
                }
                Ok(Some(Pending {
                    id: r.get(0)?,
                    notice: r.get(1)?,
                    receiver: r.get(2)?,
                    created_ms: r.get(3)?,
                    payload: r.get(4)?,
                    attempts: r.get::<_, i64>(5)?.clamp(0, i64::from(u32::MAX)) as u32,
                }))
            })?;
            let mut out = Vec::new();
            for row in rows {
                match row? {
                    Some(p) => out.push(p),
                    None => break,
                }
            }
            Ok(out)
        })
    }

    /// Records how an attempt at notice `id` ended.
    pub fn attempted(&self, id: i64, outcome: &Outcome, now: i64) -> Result<(), StoreError> {
        self.record(&[(id, outcome.clone(), now)])
    }

    /// Records how attempts ended (notice id, outcome, when), in one transaction.
    pub fn record(&self, done: &[(i64, Outcome, i64)]) -> Result<(), StoreError> {
        self.sql(|c| {
            let tx = c.unchecked_transaction()?;
            for (id, outcome, now) in done {
                match outcome {
                    Outcome::Delivered => tx
                        .prepare_cached(
                            "UPDATE outbox SET state = ?2, attempts = attempts + 1, done_ms = ?3,
                                 last_error = NULL WHERE id = ?1",
                        )?
                        .execute(params![id, DELIVERED, now]),
                    Outcome::Retry { next_ms, error } => tx
                        .prepare_cached(
                            "UPDATE outbox SET attempts = attempts + 1, next_ms = ?2,
                                 last_error = ?3 WHERE id = ?1",
                        )?
                        .execute(params![id, next_ms, error]),
                    Outcome::Dead { error } => tx
                        .prepare_cached(
                            "UPDATE outbox SET state = ?2, attempts = attempts + 1, done_ms = ?3,
                                 last_error = ?4 WHERE id = ?1",
                        )?
                        .execute(params![id, DEAD, now, error]),
                }?;
            }
            tx.commit()
        })
    }

    /// A dead letter back in the queue, due now (by hand: the user asked).
    pub fn retry_dead(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        self.sql(|c| {
            c.execute(
                "UPDATE outbox SET state = ?2, next_ms = ?3, done_ms = NULL WHERE id = ?1 AND state = ?4",
                params![id, PENDING, now, DEAD],
            )
        })
        .map(|n| n > 0)
    }

    /// The `limit` newest notices of every receiver, newest first; with `fingerprint` (16 hex
    /// digits), only those about that alert.
    pub fn sent(&self, fingerprint: Option<&str>, limit: usize) -> Result<Vec<Sent>, StoreError> {
        let like = fingerprint.map(|f| format!("%\"fingerprint\":\"{f}\"%"));
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, notice, receiver, created_ms, state, attempts, next_ms, done_ms,
                        last_error, payload FROM outbox
                 WHERE ?1 IS NULL OR payload LIKE ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = st.query_map(params![like, limit as i64], |r| {
                Ok(Sent {
                    id: r.get(0)?,
                    notice: r.get(1)?,
                    receiver: r.get(2)?,
                    created_ms: r.get(3)?,
                    state: match r.get::<_, i64>(4)? {
                        DELIVERED => SentState::Delivered,
                        DEAD => SentState::Dead,
                        _ => SentState::Pending,
                    },
                    attempts: r.get::<_, i64>(5)?.clamp(0, i64::from(u32::MAX)) as u32,
                    next_ms: r.get(6)?,
                    done_ms: r.get(7)?,
                    last_error: r.get(8)?,
                    payload: r.get(9)?,
                })
            })?;
            rows.collect()
        })
    }

    /// The payloads of the notices queued since `since_ms` (what was told before a restart).
    pub fn payloads_since(&self, since_ms: i64) -> Result<Vec<String>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare("SELECT payload FROM outbox WHERE created_ms >= ?1")?;
            let rows = st.query_map([since_ms], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// Per receiver, the notices queued in `[from, to)`: (receiver, delivered, dead).
    pub fn notices_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, u32, u32)>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare(
                "SELECT receiver, SUM(state = ?3), SUM(state = ?4) FROM outbox
                 WHERE created_ms >= ?1 AND created_ms < ?2 GROUP BY receiver ORDER BY receiver",
            )?;
            let rows = st.query_map(params![from, to, DELIVERED, DEAD], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            rows.collect()
        })
    }

    /// Drops a dead letter (by hand: the user asked); false if `id` is no dead letter.
    pub fn drop_dead(&self, id: i64) -> Result<bool, StoreError> {
        self.sql(|c| {
            c.execute(
                "DELETE FROM outbox WHERE id = ?1 AND state = ?2",
                params![id, DEAD],
            )
        })
        .map(|n| n > 0)
    }

    /// What `receiver` has pending and dead, and since when it fails.
    pub fn receiver_state(&self, receiver: &str) -> Result<ReceiverState, StoreError> {
        self.sql(|c| {
            let (pending, dead): (i64, i64) = c.query_row(
                "SELECT COALESCE(SUM(state = 0), 0), COALESCE(SUM(state = 2), 0) FROM outbox
                 WHERE receiver = ?1",
                [receiver],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let failing: Option<(i64, Option<String>)> = c
                .query_row(
                    "SELECT created_ms, last_error FROM outbox
                     WHERE receiver = ?1 AND state = 0 AND attempts > 0 ORDER BY id LIMIT 1",
                    [receiver],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            Ok(ReceiverState {
                pending: pending.max(0) as u64,
                dead: dead.max(0) as u64,
                failing_since: failing.as_ref().map(|f| f.0),
                last_error: failing.and_then(|f| f.1),
            })
        })
    }
}

/// The wait before attempt `attempts + 1`: 1 s doubling to 5 min, ±20 % (spread by `seed`,
/// so receivers and notices do not retry in step).
pub fn backoff_ms(attempts: u32, seed: i64) -> i64 {
    let base = (1000i64 << attempts.min(9)).min(300_000) as f64;
    let jitter = ((seed.unsigned_abs().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 11) % 401) as f64
        / 1000.0
        - 0.2;
    (base * (1.0 + jitter)) as i64
}

#[cfg(test)]
mod tests;
