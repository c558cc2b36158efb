//! Alerts as the lifecycle left them, so a restart keeps what was firing and acknowledged.

use rusqlite::params;

use super::{Store, StoreError};
use crate::alert::lifecycle::{Ack, Alert, Event, EventKind, Phase, Severity};
use crate::alert::silence::Silence;

fn severity_code(s: Severity) -> i64 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Critical => 2,
    }
}

fn severity_of(code: i64) -> Severity {
    match code {
        0 => Severity::Info,
        1 => Severity::Warning,
        _ => Severity::Critical,
    }
}

fn phase_code(p: Phase) -> i64 {
    match p {
        Phase::Pending => 0,
        Phase::Firing => 1,
        Phase::Resolved => 2,
    }
}

fn phase_of(code: i64) -> Phase {
    match code {
        0 => Phase::Pending,
        1 => Phase::Firing,
        _ => Phase::Resolved,
    }
}

/// `acked:alice` and the like: one text column for every kind of event.
fn kind_text(k: &EventKind) -> String {
    match k {
        EventKind::Pending => "pending".into(),
        EventKind::Firing => "firing".into(),
        EventKind::Resolved => "resolved".into(),
        EventKind::Acked { by } => format!("acked:{by}"),
        EventKind::Unacked => "unacked".into(),
        EventKind::Escalated { step } => format!("escalated:{step}"),
    }
}

fn kind_of(t: &str) -> Option<EventKind> {
    Some(match t {
        "pending" => EventKind::Pending,
        "firing" => EventKind::Firing,
        "resolved" => EventKind::Resolved,
        "unacked" => EventKind::Unacked,
        _ => match t.split_once(':')? {
            ("acked", by) => EventKind::Acked { by: by.to_string() },
            ("escalated", step) => EventKind::Escalated {
                step: step.parse().ok()?,
            },
            _ => return None,
        },
    })
}

impl Store {
    /// Writes the alert's state and any events not stored yet, in one transaction.
    pub fn save_alert(&mut self, a: &Alert) -> Result<(), StoreError> {
        let labels = serde_json::to_string(&a.labels).unwrap_or_else(|_| "{}".into());
        let fp = a.fingerprint as i64;
        let path = self.path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT OR REPLACE INTO alerts (fingerprint, rule, labels, severity, phase, active_since,
                 fired_at, resolved_at, value, threshold, ack_by, ack_at, escalation, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                fp,
                a.rule,
                labels,
                severity_code(a.severity),
                phase_code(a.phase),
                a.active_since,
                a.fired_at,
                a.resolved_at,
                a.value,
                a.threshold,
                a.ack.as_ref().map(|x| x.by.clone()),
                a.ack.as_ref().map(|x| x.at),
                a.escalation,
                a.note,
            ],
        )
        .map_err(err)?;
        let stored: i64 = tx
            .query_row(
                "SELECT COUNT(*) FROM alert_events WHERE fingerprint = ?1",
                [fp],
                |r| r.get(0),
            )
            .map_err(err)?;
        for (seq, e) in a.events.iter().enumerate().skip(stored as usize) {
            tx.execute(
                "INSERT OR REPLACE INTO alert_events (fingerprint, seq, at, kind, value)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![fp, seq as i64, e.at, kind_text(&e.kind), e.value],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Every stored alert with its timeline. Rows that cannot be read are skipped (logged).
    pub fn load_alerts(&self) -> Result<Vec<Alert>, StoreError> {
        type Row = (
            i64,
            String,
            String,
            i64,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            f64,
            Option<f64>,
            Option<String>,
            Option<i64>,
            u32,
            Option<String>,
        );
        let rows: Vec<Row> = self.sql(|c| {
            let mut st = c.prepare(
                "SELECT fingerprint, rule, labels, severity, phase, active_since, fired_at,
                        resolved_at, value, threshold, ack_by, ack_at, escalation, note
                 FROM alerts",
            )?;
            st.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                ))
            })?
            .collect()
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for (
            fp,
            rule,
            labels,
            sev,
            phase,
            since,
            fired,
            resolved,
            value,
            threshold,
            ack_by,
            ack_at,
            escalation,
            note,
        ) in rows
        {
            let Ok(labels) = serde_json::from_str(&labels) else {
                tracing::warn!("skipping stored alert {rule}: unreadable labels");
                continue;
            };
            let events: Vec<(i64, String, Option<f64>)> = self.sql(|c| {
                let mut st = c.prepare_cached(
                    "SELECT at, kind, value FROM alert_events WHERE fingerprint = ?1 ORDER BY seq",
                )?;
                st.query_map([fp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })?;
            out.push(Alert {
                fingerprint: fp as u64,
                rule,
                labels,
                severity: severity_of(sev),
                phase: phase_of(phase),
                active_since: since,
                fired_at: fired,
                resolved_at: resolved,
                value,
                threshold,
                ack: ack_by.zip(ack_at).map(|(by, at)| Ack { by, at }),
                escalation,
                note,
                events: events
                    .into_iter()
                    .filter_map(|(at, k, v)| {
                        kind_of(&k).map(|kind| Event {
                            at,
                            kind,
                            value: v.unwrap_or(f64::NAN),
                        })
                    })
                    .collect(),
            });
        }
        Ok(out)
    }
}

impl Store {
    /// Dynamic lines as they moved: (series fingerprint, time, line).
    pub fn save_thresholds(&mut self, moves: &[(u64, i64, f64)]) -> Result<(), StoreError> {
        self.sql(|c| {
            let tx = c.unchecked_transaction()?;
            {
                let mut st = tx.prepare_cached(
                    "INSERT OR REPLACE INTO threshold_history (fingerprint, at, threshold)
                     VALUES (?1, ?2, ?3)",
                )?;
                for (fp, at, line) in moves {
                    st.execute(params![*fp as i64, at, line])?;
                }
            }
            tx.commit()
        })
    }

    /// A series' recorded lines from `from` on, oldest first.
    pub fn thresholds(&self, fingerprint: u64, from: i64) -> Result<Vec<(i64, f64)>, StoreError> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT at, threshold FROM threshold_history
                 WHERE fingerprint = ?1 AND at >= ?2 ORDER BY at",
            )?;
            st.query_map(params![fingerprint as i64, from], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect()
        })
    }

    pub fn save_silence(&mut self, s: &Silence) -> Result<(), StoreError> {
        let matchers = serde_json::to_string(&s.matchers).unwrap_or_else(|_| "[]".into());
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id as i64, matchers, s.starts_at, s.ends_at, s.by],
            )
        })
        .map(|_| ())
    }

    /// The id for a new silence: past every one recorded, ended ones included, so a new
    /// silence never takes an old one's number (or its row).
    pub fn next_silence_id(&self) -> Result<u64, StoreError> {
        let max: i64 = self.sql(|c| {
            c.query_row("SELECT COALESCE(MAX(id), 0) FROM silences", [], |r| {
                r.get(0)
            })
        })?;
        Ok(max.max(0) as u64 + 1)
    }

    /// Silences that have not ended by `now`.
    pub fn load_silences(&self, now: i64) -> Result<Vec<Silence>, StoreError> {
        let rows: Vec<(i64, String, i64, i64, String)> = self.sql(|c| {
            let mut st = c.prepare(
                "SELECT id, matchers, starts_at, ends_at, by FROM silences WHERE ends_at > ?1",
            )?;
            st.query_map([now], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect()
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, m, starts_at, ends_at, by)| {
                let matchers = serde_json::from_str(&m).ok()?;
                Some(Silence {
                    id: id as u64,
                    matchers,
                    starts_at,
                    ends_at,
                    by,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::lifecycle::{Labels, Observation, Tracker};

    #[test]
    fn a_new_silence_never_takes_an_ended_ones_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open_writer(&dir.path().join("h.db")).unwrap();
        assert_eq!(store.next_silence_id().unwrap(), 1);
        for (id, ends_at) in [(1, 100), (5, 200), (2, 9_000)] {
            let s = Silence {
                id,
                matchers: vec![],
                starts_at: 0,
                ends_at,
                by: "alice".into(),
            };
            store.save_silence(&s).unwrap();
        }
        // Only #2 is active at 1000, but #5 ended and is on record: the next is #6.
        assert_eq!(store.load_silences(1_000).unwrap().len(), 1);
        assert_eq!(store.next_silence_id().unwrap(), 6);
    }

    #[test]
    fn a_firing_acked_alert_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut t = Tracker::default();
        let o = Observation {
            fingerprint: 7,
            rule: "cpu_high".into(),
            labels: Labels::from([
                ("host".into(), "web-1".into()),
                ("odd".into(), "a\"b".into()),
            ]),
            severity: Severity::Critical,
            for_ms: 0,
            active: true,
            value: 97.5,
            threshold: Some(90.0),
            note: Some("ssh: connect to host web-1 port 22: Connection refused".into()),
        };
        t.observe(o, 1_000);
        let a = t.alerts().next().unwrap().clone();
        let mut w = Store::open_writer(&path).unwrap();
        w.save_alert(&a).unwrap();
        assert!(t.ack(a.fingerprint, "alice", 2_000));
        let mut acked = t.get(a.fingerprint).unwrap().clone();
        let step = crate::alert::escalate::Step {
            after_ms: 0,
            severity: None,
            channels: vec![],
            assignee: Some("lead".into()),
        };
        acked.escalate(0, &step, 1_500);
        w.save_alert(&acked).unwrap();
        drop(w);
        let back = Store::open_reader(&path).unwrap().load_alerts().unwrap();
        assert_eq!(back, vec![acked]);
        let mut w = Store::open_writer(&path).unwrap();
        let s = Silence {
            id: 3,
            matchers: Silence::matchers_for(&a),
            starts_at: 1_000,
            ends_at: 5_000,
            by: "bob".into(),
        };
        w.save_silence(&s).unwrap();
        assert_eq!(w.load_silences(4_999).unwrap(), vec![s]);
        w.save_thresholds(&[(9, 1_000, 80.0), (9, 2_000, 75.5), (8, 1_500, 1.0)])
            .unwrap();
        assert_eq!(w.thresholds(9, 1_500).unwrap(), [(2_000, 75.5)]);
        assert!(w.load_silences(5_000).unwrap().is_empty());
    }
}
