//! One pattern's figures: levels, the last minute per second, lines per minute not yet
//! saved, first and last seen, examples; and what it was before a restart.

use std::sync::Arc;

use super::builtin::Known;
use super::level::Level;

/// Seconds of per-second counts kept (the sparkline).
pub const SPARK_SECS: usize = 60;
/// Example lines kept.
pub const EXAMPLES: usize = 3;

#[derive(Debug)]
pub struct Stat {
    /// Stable across runs.
    pub uid: u64,
    /// Lines counted in earlier runs.
    pub base: u64,
    /// Lines per minute not saved yet: (minute start, lines).
    pub unsaved: Vec<(i64, u32)>,
    pub source: Arc<str>,
    pub known: Option<Known>,
    pub levels: [u64; Level::ALL.len()],
    /// Counts per second, `spark[sec % SPARK_SECS]`, up to second `spark_sec`.
    pub spark: [u32; SPARK_SECS],
    pub spark_sec: i64,
    pub first_ms: i64,
    pub last_ms: i64,
    pub examples: Vec<String>,
}

impl Stat {
    pub fn new(uid: u64, source: Arc<str>, known: Option<Known>, now_ms: i64) -> Self {
        Self {
            uid,
            base: 0,
            unsaved: Vec::new(),
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
    pub fn advance(&mut self, sec: i64) {
        let gone = (sec - self.spark_sec).clamp(0, SPARK_SECS as i64);
        for k in 1..=gone {
            self.spark[(self.spark_sec + k).rem_euclid(SPARK_SECS as i64) as usize] = 0;
        }
        self.spark_sec = self.spark_sec.max(sec);
    }

    /// The window as of second `sec`, oldest first.
    pub fn spark_at(&self, sec: i64) -> Vec<u32> {
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

    pub fn absorb(&mut self, o: Stat) {
        let sec = self.spark_sec.max(o.spark_sec);
        self.advance(sec);
        for (k, c) in o.spark_at(sec).into_iter().enumerate() {
            let s = sec - (SPARK_SECS as i64 - 1) + k as i64;
            self.spark[s.rem_euclid(SPARK_SECS as i64) as usize] += c;
        }
        self.base += o.base;
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
