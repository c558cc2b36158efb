use rusqlite::params;

use super::{Store, StoreError, codec};
use crate::model::RawSample;

impl Store {
    /// Hosts with recorded samples, by name.
    pub fn hosts(&self) -> Result<Vec<String>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare("SELECT name FROM hosts ORDER BY name")?;
            st.query_map([], |r| r.get(0))?.collect()
        })
    }

    /// Times (ms) of the host's samples in `[from, to]`, oldest first.
    pub fn sample_times(&self, host: &str, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT s.ts_ms FROM samples s JOIN hosts h ON h.id = s.host_id
                 WHERE h.name = ?1 AND s.ts_ms BETWEEN ?2 AND ?3 ORDER BY s.ts_ms",
            )?;
            st.query_map(params![host, from, to], |r| r.get(0))?
                .collect()
        })
    }

    /// The host's samples in `[from, to]`, oldest first. A row that cannot be decoded is
    /// reported in the log and skipped; the rest are still returned.
    pub fn samples(&self, host: &str, from: i64, to: i64) -> Result<Vec<RawSample>, StoreError> {
        let rows: Vec<(i64, i64, Vec<u8>)> = self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT s.ts_ms, s.fmt, s.data FROM samples s JOIN hosts h ON h.id = s.host_id
                 WHERE h.name = ?1 AND s.ts_ms BETWEEN ?2 AND ?3 ORDER BY s.ts_ms",
            )?;
            st.query_map(params![host, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(ts, fmt, data)| match codec::decode(fmt, &data, host) {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::warn!("skipping unreadable sample of {host} at {ts}: {e}");
                    None
                }
            })
            .collect())
    }
}
