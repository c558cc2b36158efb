//! Anomalies the watch found: saved as they start, grow and end; read back as of a time.

use rusqlite::params;

use super::{Store, StoreError};
use crate::detect::Anomaly;

impl Store {
    pub fn save_anomalies(&mut self, found: &[Anomaly]) -> Result<(), StoreError> {
        self.sql(|c| {
            let tx = c.unchecked_transaction()?;
            {
                let mut st = tx.prepare_cached(
                    "INSERT OR REPLACE INTO anomalies
                     (host, series, started_ms, ended_ms, score, value, expected, low, high, why)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                for a in found {
                    st.execute(params![
                        a.host,
                        a.series,
                        a.started_ms,
                        a.ended_ms,
                        a.score,
                        a.value,
                        a.expected,
                        a.low,
                        a.high,
                        a.why
                    ])?;
                }
            }
            tx.commit()
        })
    }

    /// The last `limit` anomalies started at or before `at`, oldest first, as they stood
    /// then (one that ended later is still under way).
    pub fn anomalies_at(&self, at: i64, limit: usize) -> Result<Vec<Anomaly>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT host, series, started_ms, ended_ms, score, value, expected, low, high, why
                 FROM anomalies WHERE started_ms <= ?1 ORDER BY started_ms DESC LIMIT ?2",
            )?;
            let mut out: Vec<Anomaly> = st
                .query_map(params![at, limit as i64], |r| {
                    Ok(Anomaly {
                        host: r.get(0)?,
                        series: r.get(1)?,
                        started_ms: r.get(2)?,
                        ended_ms: r.get::<_, Option<i64>>(3)?.filter(|e| *e <= at),
                        score: r.get(4)?,
                        value: r.get(5)?,
                        expected: r.get(6)?,
                        low: r.get(7)?,
                        high: r.get(8)?,
                        why: r.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.reverse();
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anomalies_round_trip_and_read_as_of_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_writer(&dir.path().join("h.db")).unwrap();
        let a = Anomaly {
            host: "web1".into(),
            series: r#"filesystem_used_percent{mount="/"}"#.into(),
            started_ms: 1000,
            ended_ms: None,
            score: 0.9,
            value: 70.0,
            expected: 40.0,
            low: 39.0,
            high: 41.0,
            why: 1 | 64,
        };
        s.save_anomalies(std::slice::from_ref(&a)).unwrap();
        // It grew and ended: the same row.
        let done = Anomaly {
            ended_ms: Some(5000),
            score: 0.99,
            ..a.clone()
        };
        let later = Anomaly {
            series: "cpu_busy_percent".into(),
            started_ms: 8000,
            ..a.clone()
        };
        s.save_anomalies(&[done.clone(), later.clone()]).unwrap();
        assert_eq!(
            s.anomalies_at(10_000, 100).unwrap(),
            vec![done.clone(), later]
        );
        // At 3 s it was under way; at 500 ms not yet there.
        let at3 = s.anomalies_at(3000, 100).unwrap();
        assert_eq!(at3.len(), 1);
        assert_eq!(at3[0].ended_ms, None);
        assert!(s.anomalies_at(500, 100).unwrap().is_empty());
        assert_eq!(s.anomalies_at(10_000, 1).unwrap()[0].started_ms, 8000);
    }
}
