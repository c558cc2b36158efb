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

const PENDING: i64 = 0;
const DELIVERED: i64 = 1;
const DEAD: i64 = 2;

impl Store {
    /// The outbox of the history at `path`, for a delivery thread: beside the recorder's
    /// connection (which made and migrated the file), without its lock.
    pub fn open_outbox(path: &std::path::Path) -> Result<Self, StoreError> {
        let s = Self::connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE, None)?;
        s.check_format()?;
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
        self.sql(|c| {
            let n = match outcome {
                Outcome::Delivered => c.execute(
                    "UPDATE outbox SET state = ?2, attempts = attempts + 1, done_ms = ?3,
                         last_error = NULL WHERE id = ?1",
                    params![id, DELIVERED, now],
                ),
                Outcome::Retry { next_ms, error } => c.execute(
                    "UPDATE outbox SET attempts = attempts + 1, next_ms = ?2, last_error = ?3
                     WHERE id = ?1",
                    params![id, next_ms, error],
                ),
                Outcome::Dead { error } => c.execute(
                    "UPDATE outbox SET state = ?2, attempts = attempts + 1, done_ms = ?3,
                         last_error = ?4 WHERE id = ?1",
                    params![id, DEAD, now, error],
                ),
            }?;
            Ok(n)
        })
        .map(drop)
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
mod tests {
    use super::*;

    #[test]
    fn a_notice_waits_per_receiver_until_delivered_or_dead_across_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut w = Store::open_writer(&path).unwrap();
        let to = [
            ("mail".to_string(), "{}".to_string()),
            ("hook".into(), "{}".into()),
        ];
        w.enqueue("n1", &to, 1000).unwrap();
        w.enqueue("n1", &to, 1001).unwrap();
        let mail = w.due("mail", 1000, 10).unwrap();
        assert_eq!(mail.len(), 1, "queued once per receiver");
        w.attempted(mail[0].id, &Outcome::Delivered, 1100).unwrap();
        // Delivered notices go with retention; pending ones never do.
        let keep = crate::store::Retention {
            raw_ms: i64::MAX / 4,
            rollup_ms: 500,
            max_bytes: None,
            patterns: 10,
        };
        w.enforce(2000, keep).unwrap();
        let left: i64 = (w.conn)
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1, "the delivered one went, the pending one stayed");
        let hook = w.due("hook", 1000, 10).unwrap();
        let retry = Outcome::Retry {
            next_ms: 5000,
            error: "503".into(),
        };
        w.attempted(hook[0].id, &retry, 1100).unwrap();
        assert!(
            w.due("hook", 4999, 10).unwrap().is_empty(),
            "waits its backoff"
        );
        let st = w.receiver_state("hook").unwrap();
        assert_eq!((st.pending, st.failing_since), (1, Some(1000)));
        // A restart: what was confirmed is never due again; what was not is.
        drop(w);
        let w = Store::open_writer(&path).unwrap();
        assert!(w.due("mail", i64::MAX, 10).unwrap().is_empty());
        let again = w.due("hook", 5000, 10).unwrap();
        assert_eq!((again.len(), again[0].attempts), (1, 1));
        let dead = Outcome::Dead {
            error: "401".into(),
        };
        w.attempted(again[0].id, &dead, 6000).unwrap();
        assert_eq!(w.receiver_state("hook").unwrap().dead, 1);
        assert!(w.retry_dead(again[0].id, 7000).unwrap());
        assert_eq!(w.due("hook", 7000, 10).unwrap().len(), 1, "back by hand");
    }

    #[test]
    fn a_notice_waiting_for_its_retry_holds_back_later_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Store::open_writer(&dir.path().join("h.db")).unwrap();
        let to = [("hook".to_string(), "{}".to_string())];
        w.enqueue("n1", &to, 1000).unwrap();
        w.enqueue("n2", &to, 1001).unwrap();
        let both = w.due("hook", 2000, 10).unwrap();
        assert_eq!(both.len(), 2);
        let retry = Outcome::Retry {
            next_ms: 5000,
            error: "503".into(),
        };
        w.attempted(both[0].id, &retry, 2000).unwrap();
        assert!(
            w.due("hook", 4000, 10).unwrap().is_empty(),
            "n2 waits behind n1"
        );
        let dead = Outcome::Dead {
            error: "400".into(),
        };
        w.attempted(both[0].id, &dead, 5000).unwrap();
        let next = w.due("hook", 5000, 10).unwrap();
        assert_eq!(
            next.iter().map(|p| p.notice.as_str()).collect::<Vec<_>>(),
            ["n2"]
        );
    }

    #[test]
    fn backoff_doubles_to_five_minutes_with_jitter() {
        for seed in [1, 99, 123_456] {
            assert!((800..=1200).contains(&backoff_ms(0, seed)));
            assert!((1600..=2400).contains(&backoff_ms(1, seed)));
            assert!((240_000..=360_000).contains(&backoff_ms(20, seed)));
        }
    }
}
