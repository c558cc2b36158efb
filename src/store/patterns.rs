//! Log patterns and their lines per minute (schema 6).

use std::collections::HashMap;

use rusqlite::params;

use super::{Store, StoreError};
use crate::logs::saved::{PatternSaves, SavedPattern};

impl Store {
    /// Upserts patterns, adds lines per minute, folds merged patterns into their survivor: one
    /// transaction.
    pub fn save_patterns(&mut self, s: &PatternSaves) -> Result<(), StoreError> {
        let path = self.path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        for p in &s.patterns {
            tx.execute(
                "INSERT OR REPLACE INTO log_patterns
                     (uid, source, template, count, first_ms, last_ms, levels, examples)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    p.uid as i64,
                    p.source,
                    p.template,
                    p.count as i64,
                    p.first_ms,
                    p.last_ms,
                    serde_json::to_string(&p.levels).unwrap_or_else(|_| "[]".into()),
                    serde_json::to_string(&p.examples).unwrap_or_else(|_| "[]".into()),
                ],
            )
            .map_err(err)?;
        }
        for (uid, minute, n) in &s.rates {
            tx.execute(
                "INSERT INTO log_rates (uid, minute_ms, lines) VALUES (?1, ?2, ?3)
                 ON CONFLICT (uid, minute_ms) DO UPDATE SET lines = lines + excluded.lines",
                params![*uid as i64, minute, n],
            )
            .map_err(err)?;
        }
        for (from, into) in &s.merged {
            tx.execute(
                "INSERT INTO log_rates (uid, minute_ms, lines)
                     SELECT ?2, minute_ms, lines FROM log_rates WHERE uid = ?1
                 ON CONFLICT (uid, minute_ms) DO UPDATE SET lines = lines + excluded.lines",
                params![*from as i64, *into as i64],
            )
            .map_err(err)?;
            tx.execute("DELETE FROM log_rates WHERE uid = ?1", [*from as i64])
                .map_err(err)?;
            tx.execute("DELETE FROM log_patterns WHERE uid = ?1", [*from as i64])
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Every stored pattern, most recently seen first; unreadable rows are skipped.
    pub fn load_patterns(&self) -> Result<Vec<SavedPattern>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare(
                "SELECT uid, source, template, count, first_ms, last_ms, levels, examples
                 FROM log_patterns ORDER BY last_ms DESC",
            )?;
            let rows = st.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?;
            Ok(rows
                .filter_map(Result::ok)
                .filter_map(
                    |(uid, source, template, count, first_ms, last_ms, levels, ex)| {
                        Some(SavedPattern {
                            uid: uid as u64,
                            source,
                            template,
                            count: count.max(0) as u64,
                            first_ms,
                            last_ms,
                            levels: serde_json::from_str(&levels).ok()?,
                            examples: serde_json::from_str(&ex).ok()?,
                        })
                    },
                )
                .collect())
        })
    }

    /// Per pattern, lines up to `t` and the last minute with lines.
    pub fn pattern_counts_at(&self, t: i64) -> Result<HashMap<u64, (u64, i64)>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare(
                "SELECT uid, SUM(lines), MAX(minute_ms) FROM log_rates
                 WHERE minute_ms <= ?1 GROUP BY uid",
            )?;
            let rows = st.query_map([t], |r| {
                Ok((
                    r.get::<_, i64>(0)? as u64,
                    (r.get::<_, i64>(1)?.max(0) as u64, r.get(2)?),
                ))
            })?;
            rows.collect()
        })
    }

    /// Every pattern's lines per minute in `[from, to)`: (uid, minute, lines).
    pub fn pattern_minutes(&self, from: i64, to: i64) -> Result<Vec<(u64, i64, u32)>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare(
                "SELECT uid, minute_ms, lines FROM log_rates WHERE minute_ms >= ?1 AND minute_ms < ?2",
            )?;
            let rows = st.query_map([from, to], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })
    }

    /// Lines per minute of pattern `uid` in `[from, to)`.
    pub fn pattern_rates(
        &self,
        uid: u64,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, u32)>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare(
                "SELECT minute_ms, lines FROM log_rates
                 WHERE uid = ?1 AND minute_ms >= ?2 AND minute_ms < ?3 ORDER BY minute_ms",
            )?;
            let rows = st.query_map(params![uid as i64, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            rows.collect()
        })
    }
}
