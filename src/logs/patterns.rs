//! What the log-pattern pane shows: every line taken apart (`header`), its message mined
//! (`miner`), and per pattern its count, levels, a per-second rate for the last minute, first
//! and last seen, its source and a few example lines with personal data masked. Patterns the
//! miner merges add up; patterns it evicts go.

use std::collections::HashMap;
use std::sync::Arc;

use super::builtin::{self, Known};
use super::header;
use super::level::Level;
use super::miner::{Change, Miner, PatternId};
use super::pii;

/// Seconds of per-second counts kept per pattern (the sparkline).
pub const SPARK_SECS: usize = 60;
/// Example lines kept per pattern.
const EXAMPLES: usize = 3;
/// A pattern first seen this recently is new.
pub const NEW_FOR_MS: i64 = 10 * 60_000;

/// One pattern as the UI sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternRow {
    pub id: PatternId,
    pub text: String,
    pub source: Arc<str>,
    /// The most severe level its lines had, or its known trouble's severity if higher.
    pub level: Option<Level>,
    /// Lines per level (levels seen only).
    pub levels: Vec<(Level, u64)>,
    /// The known trouble it is (`oom_killer`, `http_5xx`…).
    pub known: Option<&'static str>,
    pub count: u64,
    /// Lines in each of the last `SPARK_SECS` seconds, oldest first.
    pub spark: Vec<u32>,
    pub first_ms: i64,
    pub last_ms: i64,
    pub examples: Vec<String>,
}

impl PatternRow {
    /// Lines per minute over the last minute.
    pub fn rate(&self) -> u64 {
        self.spark.iter().map(|c| u64::from(*c)).sum()
    }

    pub fn is_new(&self, now_ms: i64) -> bool {
        now_ms - self.first_ms < NEW_FOR_MS
    }
}

/// Everything the pane draws.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogBoard {
    pub rows: Vec<PatternRow>,
    pub lines: u64,
    /// Sources that cannot be read, and why.
    pub problems: Vec<(Arc<str>, String)>,
    pub at_ms: i64,
}

#[derive(Debug)]
struct Stat {
    source: Arc<str>,
    known: Option<&'static Known>,
    levels: [u64; Level::ALL.len()],
    /// Counts per second, `spark[sec % SPARK_SECS]`, up to second `spark_sec`.
    spark: [u32; SPARK_SECS],
    spark_sec: i64,
    first_ms: i64,
    last_ms: i64,
    examples: Vec<String>,
}

impl Stat {
    fn new(source: Arc<str>, known: Option<&'static Known>, now_ms: i64) -> Self {
        Self {
            source,
            known,
            levels: [0; Level::ALL.len()],
            spark: [0; SPARK_SECS],
            spark_sec: now_ms.div_euclid(1000),
            first_ms: now_ms,
            last_ms: now_ms,
            examples: Vec::new(),
        }
    }

    /// Moves the window to second `sec` (zeroing the seconds passed).
    fn advance(&mut self, sec: i64) {
        let gone = (sec - self.spark_sec).clamp(0, SPARK_SECS as i64);
        for k in 1..=gone {
            self.spark[(self.spark_sec + k).rem_euclid(SPARK_SECS as i64) as usize] = 0;
        }
        self.spark_sec = self.spark_sec.max(sec);
    }

    /// The window as of second `sec`, oldest first.
    fn spark_at(&self, sec: i64) -> Vec<u32> {
        (0..SPARK_SECS as i64)
            .map(|k| {
                let s = sec - (SPARK_SECS as i64 - 1) + k;
                let live = s <= self.spark_sec && self.spark_sec - s < SPARK_SECS as i64;
                if live {
                    self.spark[s.rem_euclid(SPARK_SECS as i64) as usize]
                } else {
                    0
                }
            })
            .collect()
    }

    fn absorb(&mut self, o: Stat) {
        let sec = self.spark_sec.max(o.spark_sec);
        self.advance(sec);
        for (k, c) in o.spark_at(sec).into_iter().enumerate() {
            let s = sec - (SPARK_SECS as i64 - 1) + k as i64;
            self.spark[s.rem_euclid(SPARK_SECS as i64) as usize] += c;
        }
        for (a, b) in self.levels.iter_mut().zip(o.levels) {
            *a += b;
        }
        if o.known.map(|k| k.severity) > self.known.map(|k| k.severity) {
            self.known = o.known;
        }
        self.first_ms = self.first_ms.min(o.first_ms);
        self.last_ms = self.last_ms.max(o.last_ms);
        for e in o.examples {
            if self.examples.len() < EXAMPLES {
                self.examples.push(e);
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Patterns {
    miner: Miner,
    stats: HashMap<PatternId, Stat>,
    lines: u64,
    problems: Vec<(Arc<str>, String)>,
    /// Mask IPv4 addresses in examples too.
    pub mask_ips: bool,
}

impl Patterns {
    /// Takes one line of `source` seen at `now_ms`.
    pub fn add(&mut self, source: &Arc<str>, line: &str, now_ms: i64) -> PatternId {
        self.lines += 1;
        let h = header::split(line);
        let id = self.miner.add(&h.message);
        self.apply_changes();
        let miner = &self.miner;
        let st = self.stats.entry(id).or_insert_with(|| {
            let known = miner.text(id).and_then(|t| builtin::classify(&t));
            Stat::new(source.clone(), known, now_ms)
        });
        let sec = now_ms.div_euclid(1000);
        st.advance(sec);
        st.spark[sec.rem_euclid(SPARK_SECS as i64) as usize] += 1;
        st.last_ms = st.last_ms.max(now_ms);
        if let Some(l) = h.level {
            st.levels[l as usize] += 1;
        }
        if st.examples.len() < EXAMPLES {
            st.examples.push(pii::mask(line, self.mask_ips));
        }
        id
    }

    fn apply_changes(&mut self) {
        for c in self.miner.take_changes() {
            match c {
                Change::Merged { from, into } => {
                    if let Some(f) = self.stats.remove(&from) {
                        match self.stats.get_mut(&into) {
                            Some(i) => i.absorb(f),
                            None => {
                                self.stats.insert(into, f);
                            }
                        }
                    }
                }
                Change::Evicted(id) => {
                    self.stats.remove(&id);
                }
            }
        }
    }

    /// A source's problem (empty: solved).
    pub fn problem(&mut self, source: Arc<str>, reason: String) {
        self.problems.retain(|(s, _)| *s != source);
        if !reason.is_empty() {
            self.problems.push((source, reason));
        }
    }

    /// Every pattern as of `now_ms`.
    pub fn board(&self, now_ms: i64) -> LogBoard {
        let sec = now_ms.div_euclid(1000);
        let rows = self
            .stats
            .iter()
            .filter_map(|(id, st)| {
                Some(PatternRow {
                    id: *id,
                    text: self.miner.text(*id)?,
                    source: st.source.clone(),
                    level: Level::ALL
                        .iter()
                        .rev()
                        .find(|l| st.levels[**l as usize] > 0)
                        .copied()
                        .max(st.known.map(|k| k.severity)),
                    levels: Level::ALL
                        .iter()
                        .map(|l| (*l, st.levels[*l as usize]))
                        .filter(|(_, n)| *n > 0)
                        .collect(),
                    known: st.known.map(|k| k.name),
                    count: self.miner.pattern(*id)?.count,
                    spark: st.spark_at(sec),
                    first_ms: st.first_ms,
                    last_ms: st.last_ms,
                    examples: st.examples.clone(),
                })
            })
            .collect();
        LogBoard {
            rows,
            lines: self.lines,
            problems: self.problems.clone(),
            at_ms: now_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_patterns_with_counts_rates_levels_and_masked_examples() {
        let mut p = Patterns::default();
        let src: Arc<str> = "app".into();
        let t0 = 1_700_000_000_000;
        for i in 0..5 {
            p.add(
                &src,
                &format!("2024-01-01 10:00:0{i} ERROR [main] db: connection refused to 10.0.0.{i}"),
                t0 + i * 1000,
            );
        }
        p.add(
            &src,
            "2024-01-01 10:00:09 INFO [main] web: login by bob@example.com",
            t0 + 9000,
        );
        let b = p.board(t0 + 9000);
        assert_eq!(b.lines, 6);
        let refused = b
            .rows
            .iter()
            .find(|r| r.text.contains("refused"))
            .expect("row");
        assert_eq!(refused.text, "connection refused to <*>");
        assert_eq!(
            (refused.count, refused.rate(), refused.level),
            (5, 5, Some(Level::Error))
        );
        assert_eq!(
            refused.spark[SPARK_SECS - 10..SPARK_SECS - 5],
            [1, 1, 1, 1, 1]
        );
        let login = b
            .rows
            .iter()
            .find(|r| r.text.contains("login"))
            .expect("row");
        assert!(
            login.examples[0].ends_with("login by <email>"),
            "{:?}",
            login.examples
        );
        assert!(login.is_new(t0 + 9000) && !login.is_new(t0 + NEW_FOR_MS + 10_000));
        assert_eq!(refused.known, Some("db_error"));
        assert_eq!(refused.levels, [(Level::Error, 5)]);
        // A line without a level takes its known trouble's severity.
        p.add(&src, "Out of memory: Killed process 4242 (java)", t0 + 9000);
        let oom = p
            .board(t0 + 9000)
            .rows
            .into_iter()
            .find(|r| r.text.contains("memory"))
            .expect("row");
        assert_eq!(
            (oom.known, oom.level),
            (Some("oom_killer"), Some(Level::Critical))
        );
        // A minute later the rate is gone, the count stays.
        let later = p.board(t0 + 70_000);
        let refused = later
            .rows
            .iter()
            .find(|r| r.text.contains("refused"))
            .expect("row");
        assert_eq!((refused.count, refused.rate()), (5, 0));
    }

    #[test]
    fn merged_patterns_add_up() {
        let mut p = Patterns::default();
        let src: Arc<str> = "app".into();
        for u in ["root", "alice", "bob", "carol", "dave"] {
            p.add(&src, &format!("session opened for user {u} by cron"), 1000);
        }
        let b = p.board(1000);
        assert_eq!(b.rows.len(), 1, "{:?}", b.rows);
        assert_eq!((b.rows[0].count, b.rows[0].rate()), (5, 5));
        assert_eq!(b.rows[0].text, "session opened for user <*> by cron");
    }
}
