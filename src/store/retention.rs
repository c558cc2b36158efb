//! What the history keeps: raw samples for `raw_ms`; rollups, anomalies, alert history, log
//! rates, threshold moves and delivered notices for `rollup_ms`; the `patterns` most recently
//! seen log patterns; and under a size cap, the oldest of everything goes, but never the last
//! hour of samples. Each pass logs what it removed.

use rusqlite::params;

use super::{Store, StoreError};

/// How long history is kept, and how large the file may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub raw_ms: i64,
    pub rollup_ms: i64,
    /// Bytes of live data at most; the oldest raw data goes first. `None`: no cap.
    pub max_bytes: Option<u64>,
    /// Log patterns kept, the most recently seen (their lines per minute go with them).
    pub patterns: usize,
}

/// Log patterns kept by default: as many as the miner holds.
pub const PATTERNS_KEPT: usize = crate::logs::miner::MAX_CLUSTERS;
/// Raw samples this recent are never removed to meet the size cap.
pub const RAW_KEPT_MS: i64 = 3_600_000;
/// Raw rows (head samples) removed per step when only the head is left to shrink.
const HEAD_STEP: i64 = 600;

/// Tables other than raw samples, by their time column and which rows may go, shrunk an eighth
/// at a time (oldest first) when raw data alone cannot meet the cap.
const SHRINKABLE: &[(&str, &str, &str)] = &[
    ("log_rates", "minute_ms", "1"),
    ("log_patterns", "last_ms", "1"),
    ("threshold_history", "at", "1"),
    ("alerts", "resolved_at", "phase = 2"),
    ("anomalies", "started_ms", "ended_ms IS NOT NULL"),
    ("outbox", "done_ms", "state = 1"),
    ("rollups", "end_ms", "1"),
];

/// Rows removed, per table.
#[derive(Debug, Default)]
struct Removed(Vec<(&'static str, usize)>);

impl Removed {
    fn add(&mut self, table: &'static str, n: usize) {
        if n == 0 {
            return;
        }
        match self.0.iter_mut().find(|(t, _)| *t == table) {
            Some((_, m)) => *m += n,
            None => self.0.push((table, n)),
        }
    }
}

impl std::fmt::Display for Removed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(t, n)| format!("{n} {t}")).collect();
        f.write_str(&parts.join(", "))
    }
}

impl Store {
    /// Deletes what is past its retention, then while the file is over the cap the oldest raw
    /// data (but not the last hour's), then the oldest of the other tables; gives the freed
    /// pages back to the file system and logs what went.
    pub fn enforce(&mut self, now_ms: i64, r: Retention) -> Result<(), StoreError> {
        let mut removed = Removed::default();
        let (raw_cut, old) = (
            now_ms.saturating_sub(r.raw_ms),
            now_ms.saturating_sub(r.rollup_ms),
        );
        let patterns = i64::try_from(r.patterns).unwrap_or(i64::MAX);
        self.sql(|c| {
            let mut del = |table, sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<()> {
                removed.add(table, c.execute(sql, p)?);
                Ok(())
            };
            del(
                "raw blocks",
                "DELETE FROM blocks WHERE end_ms < ?1",
                &[&raw_cut],
            )?;
            del(
                "raw samples",
                "DELETE FROM samples WHERE ts_ms < ?1",
                &[&raw_cut],
            )?;
            del("rollups", "DELETE FROM rollups WHERE end_ms < ?1", &[&old])?;
            del(
                "anomalies",
                "DELETE FROM anomalies WHERE started_ms < ?1",
                &[&old],
            )?;
            del(
                "log_rates",
                "DELETE FROM log_rates WHERE minute_ms < ?1",
                &[&old],
            )?;
            del(
                "threshold_history",
                "DELETE FROM threshold_history WHERE at < ?1",
                &[&old],
            )?;
            del(
                "alerts",
                "DELETE FROM alerts WHERE phase = 2 AND resolved_at < ?1",
                &[&old],
            )?;
            del(
                "delivered notices",
                "DELETE FROM outbox WHERE state = 1 AND done_ms < ?1",
                &[&old],
            )?;
            del(
                "log_patterns",
                "DELETE FROM log_patterns WHERE uid IN
                     (SELECT uid FROM log_patterns ORDER BY last_ms DESC LIMIT -1 OFFSET ?1)",
                &[&patterns],
            )?;
            Ok(())
        })?;
        if let Some(max) = r.max_bytes {
            let recent = now_ms.saturating_sub(RAW_KEPT_MS);
            while self.used_bytes()? > max {
                if !self.drop_oldest_raw(recent, &mut removed)? && !self.shrink(&mut removed)? {
                    tracing::warn!(
                        "history {}: {} MB, over its cap of {} MB with only the last hour of samples and the newest of the rest left",
                        self.path.display(),
                        self.used_bytes()? >> 20,
                        max >> 20
                    );
                    break;
                }
            }
        }
        self.orphans(&mut removed)?;
        if !removed.0.is_empty() {
            tracing::info!(
                "history {}: retention removed {removed}",
                self.path.display()
            );
        }
        self.block_cache.borrow_mut().clear();
        // It frees one page per step: step it to the end.
        self.sql(|c| {
            let mut st = c.prepare("PRAGMA incremental_vacuum")?;
            let mut rows = st.query([])?;
            while rows.next()?.is_some() {}
            Ok(())
        })
    }

    /// Bytes of pages in use (the file less its free pages).
    pub fn used_bytes(&self) -> Result<u64, StoreError> {
        self.sql(|c| {
            let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let free: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            Ok(((pages - free).max(0) * size) as u64)
        })
    }

    /// Removes the oldest block of any host ending before `recent`, or else the oldest head
    /// samples before it. False when there is no such raw data left.
    fn drop_oldest_raw(&mut self, recent: i64, removed: &mut Removed) -> Result<bool, StoreError> {
        self.sql(|c| {
            let oldest: Option<(i64, i64)> = c
                .query_row(
                    "SELECT host_id, start_ms FROM blocks WHERE end_ms < ?1 ORDER BY start_ms LIMIT 1",
                    [recent],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            if let Some((host, start)) = oldest {
                c.execute("DELETE FROM blocks WHERE host_id = ?1 AND start_ms = ?2", params![host, start])?;
                removed.add("raw blocks", 1);
                return Ok(true);
            }
            let n = c.execute(
                "DELETE FROM samples WHERE rowid IN
                     (SELECT rowid FROM samples WHERE ts_ms < ?1 ORDER BY ts_ms LIMIT ?2)",
                [recent, HEAD_STEP],
            )?;
            removed.add("raw samples", n);
            Ok(n > 0)
        })
    }

    /// Removes the oldest eighth (at least a row) of each shrinkable table. False when they
    /// have nothing left to give.
    fn shrink(&mut self, removed: &mut Removed) -> Result<bool, StoreError> {
        self.sql(|c| {
            let mut any = false;
            for (table, col, which) in SHRINKABLE {
                let n = c.execute(
                    &format!(
                        "DELETE FROM {table} WHERE {which} AND {col} <= (SELECT {col} FROM {table}
                             WHERE {which} ORDER BY {col} LIMIT 1
                             OFFSET (SELECT COUNT(*) / 8 FROM {table} WHERE {which}))"
                    ),
                    [],
                )?;
                removed.add(table, n);
                any |= n > 0;
            }
            Ok(any)
        })
    }

    /// Rows whose owner is gone: events of removed alerts, rates of removed patterns.
    fn orphans(&mut self, removed: &mut Removed) -> Result<(), StoreError> {
        self.sql(|c| {
            removed.add(
                "alert_events",
                c.execute(
                    "DELETE FROM alert_events WHERE fingerprint NOT IN (SELECT fingerprint FROM alerts)",
                    [],
                )?,
            );
            removed.add(
                "log_rates",
                c.execute(
                    "DELETE FROM log_rates WHERE uid NOT IN (SELECT uid FROM log_patterns)",
                    [],
                )?,
            );
            Ok(())
        })
    }
}
