//! One pattern's figures: levels, the last minute per second and the last hour per minute,
//! lines per minute not yet saved, first and last seen, examples; and what it was before a
//! restart.

use std::sync::Arc;

use super::builtin::Known;
use super::level::Level;

/// Seconds of per-second counts kept (the sparkline).
pub const SPARK_SECS: usize = 60;
/// Example lines kept.
pub const EXAMPLES: usize = 3;

/// Counts in the last `SPARK_SECS` units of time (seconds, or minutes), as a ring.
#[derive(Debug, Clone)]
pub struct Ring {
    counts: [u32; SPARK_SECS],
    /// The latest unit counted into.
    last: i64,
}

impl Ring {
    pub fn new(unit: i64) -> Self {
        Self {
            counts: [0; SPARK_SECS],
            last: unit,
        }
    }

    fn slot(unit: i64) -> usize {
        unit.rem_euclid(SPARK_SECS as i64) as usize
    }

    /// Counts `n` in `unit` (a unit older than the window is let go).
    pub fn add(&mut self, unit: i64, n: u32) {
        let gone = (unit - self.last).clamp(0, SPARK_SECS as i64);
        for k in 1..=gone {
            self.counts[Self::slot(self.last + k)] = 0;
        }
        self.last = self.last.max(unit);
        if self.last - unit < SPARK_SECS as i64 {
            self.counts[Self::slot(unit)] += n;
        }
    }

    /// The window ending at `unit`, oldest first.
    pub fn at(&self, unit: i64) -> Vec<u32> {
        (0..SPARK_SECS as i64)
            .map(|k| unit - (SPARK_SECS as i64 - 1) + k)
            .map(|u| {
                let live = u <= self.last && self.last - u < SPARK_SECS as i64;
                if live { self.counts[Self::slot(u)] } else { 0 }
            })
            .collect()
    }

    /// Adds another ring's counts.
    pub fn absorb(&mut self, o: &Ring) {
        let end = self.last.max(o.last);
        for (k, c) in o.at(end).into_iter().enumerate() {
            if c > 0 {
                self.add(end - (SPARK_SECS as i64 - 1) + k as i64, c);
            }
        }
    }
}

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
    /// Lines per second over the last minute, and per minute over the last hour.
    pub seconds: Ring,
    pub minutes: Ring,
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
            seconds: Ring::new(now_ms.div_euclid(1000)),
            minutes: Ring::new(now_ms.div_euclid(60_000)),
            first_ms: now_ms,
            last_ms: now_ms,
            examples: Vec::new(),
        }
    }

    /// One line at `now_ms`.
    pub fn count(&mut self, now_ms: i64) {
        self.seconds.add(now_ms.div_euclid(1000), 1);
        self.minutes.add(now_ms.div_euclid(60_000), 1);
        self.last_ms = self.last_ms.max(now_ms);
        let minute = now_ms - now_ms.rem_euclid(60_000);
        match self.unsaved.last_mut() {
            Some((m, n)) if *m == minute => *n += 1,
            _ => self.unsaved.push((minute, 1)),
        }
    }

    pub fn absorb(&mut self, o: Stat) {
        self.seconds.absorb(&o.seconds);
        self.minutes.absorb(&o.minutes);
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
