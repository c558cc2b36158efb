//! A log pattern as it is kept between runs.

use super::level::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedPattern {
    /// Stable across runs (the miner's ids are not).
    pub uid: u64,
    pub source: String,
    pub template: String,
    pub count: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Lines per level, in `Level::ALL` order.
    pub levels: [u64; Level::ALL.len()],
    /// Example lines, personal data masked.
    pub examples: Vec<String>,
}

/// What the engine hands the store writer: patterns to upsert, lines per (pattern, minute) to
/// add, and merges (the first pattern's lines now belong to the second).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternSaves {
    pub patterns: Vec<SavedPattern>,
    pub rates: Vec<(u64, i64, u32)>,
    pub merged: Vec<(u64, u64)>,
}

impl PatternSaves {
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.rates.is_empty() && self.merged.is_empty()
    }

    /// Adds newer saves: a pattern's later state replaces its earlier one.
    pub fn absorb(&mut self, newer: PatternSaves) {
        let mut at: std::collections::HashMap<u64, usize> = self
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.uid, i))
            .collect();
        for p in newer.patterns {
            match at.get(&p.uid) {
                Some(&i) => self.patterns[i] = p,
                None => {
                    at.insert(p.uid, self.patterns.len());
                    self.patterns.push(p);
                }
            }
        }
        self.rates.extend(newer.rates);
        self.merged.extend(newer.merged);
    }
}
