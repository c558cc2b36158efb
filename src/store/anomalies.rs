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
                     (host, series, started_ms, ended_ms, score, value, expected, low, high, why,
                      known_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                        a.why,
                        a.known_ms
                    ])?;
                }
            }
            tx.commit()
        })
    }

    /// The last `limit` anomalies known at `at`, oldest first, as they stood then (one that
    /// ended later is still under way; one held until it lasted is listed once known).
    pub fn anomalies_at(&self, at: i64, limit: usize) -> Result<Vec<Anomaly>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT host, series, started_ms, ended_ms, score, value, expected, low, high, why,
                        COALESCE(known_ms, started_ms)
                 FROM anomalies WHERE started_ms <= ?1 AND COALESCE(known_ms, started_ms) <= ?1
                 ORDER BY started_ms DESC LIMIT ?2",
            )?;
            let mut out: Vec<Anomaly> = st
                .query_map(params![at, limit as i64], |r| {
                    Ok(Anomaly {
                        host: r.get(0)?,
                        series: r.get(1)?,
                        started_ms: r.get(2)?,
                        known_ms: r.get(10)?,
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
            known_ms: 1000,
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
            known_ms: 8000,
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
        // A burst held until it lasted: listed from when it was known, with its start.
        let held = Anomaly {
            series: "disk_read_bytes_per_second".into(),
            started_ms: 20_000,
            known_ms: 28_000,
            ..a.clone()
        };
        s.save_anomalies(std::slice::from_ref(&held)).unwrap();
        assert_eq!(s.anomalies_at(27_999, 100).unwrap().len(), 2);
        assert_eq!(s.anomalies_at(28_000, 100).unwrap().last(), Some(&held));
    }

    #[test]
    fn anomalies_recorded_before_known_times_read_as_known_at_their_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        // A file as montui with store format 7 left it.
        let c = rusqlite::Connection::open(&path).unwrap();
        for sql in &super::super::schema::MIGRATIONS[..7] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 7).unwrap();
        c.execute(
            "INSERT INTO anomalies VALUES ('a', 'load1_per_core', 4000, NULL, 0.9, 3, 1, 0, 2, 1)",
            [],
        )
        .unwrap();
        drop(c);
        let r = Store::open_reader(&path).unwrap();
        assert!(r.anomalies_at(3999, 10).unwrap().is_empty());
        let at = r.anomalies_at(4000, 10).unwrap();
        assert_eq!((at[0].started_ms, at[0].known_ms), (4000, 4000));
    }
}
