use rusqlite::params;

use super::{Store, StoreError};

/// How long history is kept, and how large the file may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub raw_ms: i64,
    pub rollup_ms: i64,
    /// Bytes of live data at most; the oldest raw data goes first. `None`: no cap.
    pub max_bytes: Option<u64>,
}

/// Raw rows (head samples) removed per step when only the head is left to shrink.
const HEAD_STEP: i64 = 600;

impl Store {
    /// Deletes what is past its retention, then the oldest raw data while the file is over
    /// the cap, and gives the freed pages back to the file system.
    pub fn enforce(&mut self, now_ms: i64, r: Retention) -> Result<(), StoreError> {
        let raw_cut = now_ms - r.raw_ms;
        self.sql(|c| {
            c.execute("DELETE FROM blocks WHERE end_ms < ?1", [raw_cut])?;
            c.execute("DELETE FROM samples WHERE ts_ms < ?1", [raw_cut])?;
            c.execute(
                "DELETE FROM rollups WHERE end_ms < ?1",
                [now_ms - r.rollup_ms],
            )?;
            // Anomalies are kept as long as the rollups their charts are drawn from.
            c.execute(
                "DELETE FROM anomalies WHERE started_ms < ?1",
                [now_ms - r.rollup_ms],
            )
        })?;
        if let Some(max) = r.max_bytes {
            while self.used_bytes()? > max && self.drop_oldest_raw()? {}
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

    /// Removes the oldest block of any host, or else the oldest head samples. False when
    /// there is no raw data left.
    fn drop_oldest_raw(&mut self) -> Result<bool, StoreError> {
        self.sql(|c| {
            let oldest: Option<(i64, i64)> = c
                .query_row(
                    "SELECT host_id, start_ms FROM blocks ORDER BY start_ms LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            if let Some((host, start)) = oldest {
                c.execute("DELETE FROM blocks WHERE host_id = ?1 AND start_ms = ?2", params![host, start])?;
                return Ok(true);
            }
            let n = c.execute(
                "DELETE FROM samples WHERE rowid IN (SELECT rowid FROM samples ORDER BY ts_ms LIMIT ?1)",
                [HEAD_STEP],
            )?;
            Ok(n > 0)
        })
    }
}
