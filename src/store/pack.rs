use rusqlite::params;

use super::block::{self, BLOCK_FORMAT};
use super::rollup::{self, ROLLUP_FORMAT, TIERS_MS};
use super::{Store, StoreError};

/// Samples per block: an hour at the default 1 s interval.
pub const BLOCK_SAMPLES: usize = 3600;

impl Store {
    /// Packs the oldest head samples of every host into blocks of `size`, as long as a host
    /// has that many in its head. Each block is one transaction: a crash leaves either the
    /// head rows or the block, never neither. Returns the number of blocks written.
    pub fn pack(&mut self, size: usize) -> Result<usize, StoreError> {
        let hosts: Vec<(i64, String)> = self.sql(|c| {
            let mut st = c.prepare_cached("SELECT id, name FROM hosts")?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
        })?;
        let mut written = 0;
        for (id, name) in hosts {
            while self.head_len(id)? >= size {
                self.pack_one(id, &name, size)?;
                written += 1;
            }
        }
        Ok(written)
    }

    fn head_len(&self, host_id: i64) -> Result<usize, StoreError> {
        self.sql(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM samples WHERE host_id = ?1",
                [host_id],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(|n| n as usize)
    }

    fn pack_one(&mut self, host_id: i64, host: &str, size: usize) -> Result<(), StoreError> {
        let rows = self.head(host_id, host, (i64::MIN, i64::MAX), size as i64)?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(());
        };
        let samples: Vec<_> = rows
            .into_iter()
            .filter_map(|(ts, decoded)| match decoded {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::warn!(
                        "dropping unreadable sample of {host} at {ts} while packing: {e}"
                    );
                    None
                }
            })
            .collect();
        let path = self.path.display().to_string();
        let io = |e: String| StoreError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        };
        let data = block::encode(&samples).map_err(&io)?;
        let (first, n) = (
            samples.first().map_or(last, |s| s.ts_ms),
            samples.len() as i64,
        );
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        // The finest tier from the samples, the others from it.
        let finest = rollup::compute(&samples, TIERS_MS[0]);
        for tier in TIERS_MS {
            let buckets = if tier == TIERS_MS[0] {
                finest.clone()
            } else {
                rollup::coarsen(&finest, tier)
            };
            let rolled = rollup::encode(&buckets).map_err(&io)?;
            tx.execute(
                "INSERT OR REPLACE INTO rollups (host_id, tier_ms, start_ms, end_ms, fmt, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![host_id, tier, first, last, ROLLUP_FORMAT, rolled],
            )
            .map_err(err)?;
        }
        if n > 0 {
            tx.execute(
                "INSERT OR REPLACE INTO blocks (host_id, start_ms, end_ms, n, fmt, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![host_id, first, last, n, BLOCK_FORMAT, data],
            )
            .map_err(err)?;
        }
        tx.execute(
            "DELETE FROM samples WHERE host_id = ?1 AND ts_ms <= ?2",
            params![host_id, last],
        )
        .map_err(err)?;
        self.written.prune(&tx, host_id, last).map_err(err)?;
        tx.commit().map_err(err)
    }
}
