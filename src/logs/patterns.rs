//! What the log-pattern pane shows: every line taken apart (`header`), its message mined
//! (`miner`), and per pattern its count, levels, a per-second rate for the last minute, first
//! and last seen, its source and a few example lines with personal data masked. Patterns the
//! miner merges add up. Patterns are kept between runs: those of earlier runs are listed
//! (dormant) until their template comes again, and then go on counting where they left off;
//! patterns the miner evicts go back to dormant, counts kept.

use std::collections::HashMap;
use std::sync::Arc;

use super::board::{DORMANT_ID, row, top_level};
pub use super::board::{LogBoard, NEW_FOR_MS, PatternRow, board_at};
use super::builtin;
use super::header;
use super::level::Level;
use super::miner::{Change, Miner, PatternId};
use super::pii;
use super::saved::{PatternSaves, SavedPattern};
pub use super::stat::SPARK_SECS;
use super::stat::{EXAMPLES, Ring, Stat};
use crate::bounded::keep_newest;
/// Dormant patterns kept in memory, at most (the least recently seen go; the store keeps
/// them all).
const DORMANT_MAX: usize = 10_000;
/// Lines kept per source for the raw-tail view.
pub const TAIL_LINES: usize = 100;

mod metrics;

#[derive(Debug, Default)]
pub struct Patterns {
    miner: Miner,
    stats: HashMap<PatternId, Stat>,
    /// Patterns of earlier runs (or evicted) by (source, template).
    /// Patterns of earlier runs (or evicted) by (source, template), classified once.
    dormant: HashMap<(Arc<str>, String), (SavedPattern, Option<builtin::Known>)>,
    next_uid: u64,
    /// Patterns changed since the last `take_saves`, and merges.
    dirty: std::collections::HashSet<PatternId>,
    merged: Vec<(u64, u64)>,
    lines: u64,
    /// New patterns at error or above per source and minute (the rules count a flood of
    /// them, most long evicted).
    new_errors: HashMap<Arc<str>, Ring>,
    problems: Vec<(Arc<str>, String)>,
    tails: HashMap<Arc<str>, std::collections::VecDeque<String>>,
    /// Sources with a format of their own.
    pub formats: HashMap<Arc<str>, header::Format>,
    /// Patterns the user named in config, and montui's.
    classifier: builtin::Classifier,
    /// Mask IPv4 addresses in examples too.
    pub mask_ips: bool,
}

impl Patterns {
    /// With the patterns of earlier runs, and the patterns the user named.
    pub fn restored(saved: Vec<SavedPattern>, known: Vec<builtin::Known>) -> Self {
        let mut p = Self {
            next_uid: saved.iter().map(|s| s.uid + 1).max().unwrap_or(1),
            classifier: builtin::Classifier::new(known),
            ..Self::default()
        };
        for s in saved.into_iter().take(DORMANT_MAX) {
            let known = p.classifier.classify(&s.template);
            p.rest(s, known);
        }
        p
    }

    /// Keeps a pattern not in the miner (of an earlier run, or evicted) until it comes again.
    fn rest(&mut self, s: SavedPattern, known: Option<builtin::Known>) {
        self.dormant
            .insert((s.source.as_str().into(), s.template.clone()), (s, known));
    }

    /// Takes one line of `source` seen at `now_ms`.
    pub fn add(&mut self, source: &Arc<str>, line: &str, now_ms: i64) -> PatternId {
        self.lines += 1;
        let line = &*crate::text::one_line(line);
        let tail = self.tails.entry(source.clone()).or_default();
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line.to_string());
        let h = match self.formats.get(source).and_then(|f| f.split(line)) {
            Some(h) => h,
            None => header::split(line),
        };
        let id = self.miner.add(&h.message);
        self.apply_changes();
        let mut fresh = false;
        if !self.stats.contains_key(&id) {
            let st = self.new_stat(id, source, now_ms);
            fresh = st.base == 0;
            self.stats.insert(id, st);
        }
        self.dirty.insert(id);
        let Some(st) = self.stats.get_mut(&id) else {
            return id;
        };
        st.count(now_ms);
        if let Some(l) = h.level {
            st.levels[l as usize] += 1;
        }
        if fresh && top_level(&st.levels, st.known) >= Some(Level::Error) {
            let minute = now_ms.div_euclid(60_000);
            (self.new_errors.entry(source.clone()))
                .or_insert_with(|| Ring::new(minute))
                .add(minute, 1);
        }
        if st.examples.len() < EXAMPLES {
            st.examples.push(pii::mask(line, self.mask_ips));
        }
        id
    }

    /// A new pattern's figures: those it had in an earlier run, if it had any.
    fn new_stat(&mut self, id: PatternId, source: &Arc<str>, now_ms: i64) -> Stat {
        let text = self.miner.text(id).unwrap_or_default();
        let known = self.classifier.classify(&text);
        let Some((old, _)) = self.dormant.remove(&(source.clone(), text)) else {
            self.next_uid += 1;
            return Stat::new(self.next_uid - 1, source.clone(), known, now_ms);
        };
        let mut st = Stat::new(old.uid, source.clone(), known, old.first_ms);
        st.base = old.count;
        st.levels = old.levels;
        st.examples = old.examples;
        st.first_ms = old.first_ms;
        st
    }

    fn apply_changes(&mut self) {
        for c in self.miner.take_changes() {
            match c {
                Change::Merged { from, into } => {
                    let Some(mut f) = self.stats.remove(&from) else {
                        continue;
                    };
                    self.dirty.remove(&from);
                    self.dirty.insert(into);
                    match self.stats.get_mut(&into) {
                        Some(i) => {
                            self.merged.push((f.uid, i.uid));
                            i.unsaved.extend(std::mem::take(&mut f.unsaved));
                            i.absorb(f);
                        }
                        None => {
                            self.stats.insert(into, f);
                        }
                    }
                }
                Change::Evicted(id) => {
                    if let Some(st) = self.stats.remove(&id) {
                        // Its last state is saved, and it waits to be seen again.
                        let saved = self.saved(id, &st);
                        self.rest(saved, st.known);
                        self.dirty.remove(&id);
                        // Over the cap, the least recently seen go, many at once (a flood of
                        // new patterns evicts thousands).
                        keep_newest(&mut self.dormant, DORMANT_MAX, |(s, _)| s.last_ms);
                    }
                }
            }
        }
    }

    fn count(&self, id: PatternId, st: &Stat) -> u64 {
        st.base + self.miner.pattern(id).map_or(0, |p| p.count)
    }

    fn saved(&self, id: PatternId, st: &Stat) -> SavedPattern {
        SavedPattern {
            uid: st.uid,
            source: st.source.to_string(),
            template: self.miner.text(id).unwrap_or_default(),
            count: self.count(id, st),
            first_ms: st.first_ms,
            last_ms: st.last_ms,
            levels: st.levels,
            examples: st.examples.clone(),
        }
    }

    /// What changed since the last call, for the store.
    pub fn take_saves(&mut self) -> PatternSaves {
        let mut out = PatternSaves {
            merged: std::mem::take(&mut self.merged),
            ..Default::default()
        };
        for id in std::mem::take(&mut self.dirty) {
            let Some(st) = self.stats.get(&id) else {
                continue;
            };
            out.patterns.push(self.saved(id, st));
            if let Some(st) = self.stats.get_mut(&id) {
                out.rates
                    .extend(st.unsaved.drain(..).map(|(m, n)| (st.uid, m, n)));
            }
        }
        out
    }

    /// A source's problem (empty: solved).
    pub fn problem(&mut self, source: Arc<str>, reason: String) {
        self.problems.retain(|(s, _)| *s != source);
        if !reason.is_empty() {
            self.problems.push((source, reason));
        }
    }

    /// Every pattern as of `now_ms`, those of earlier runs not seen yet included.
    pub fn board(&self, now_ms: i64) -> LogBoard {
        let sec = now_ms.div_euclid(1000);
        let live = self.stats.iter().filter_map(|(id, st)| {
            let text = self.miner.text(*id)?;
            let mut r = row(
                *id,
                text,
                st.source.clone(),
                st.known,
                &st.levels,
                self.count(*id, st),
                st.seconds.at(sec),
                (st.first_ms, st.last_ms),
                &st.examples,
            );
            r.hour = st.minutes.at(now_ms.div_euclid(60_000));
            Some(r)
        });
        let dormant = self.dormant.values().map(|(d, known)| {
            let known = *known;
            let id = DORMANT_ID | (d.uid as PatternId & !DORMANT_ID);
            row(
                id,
                d.template.clone(),
                d.source.as_str().into(),
                known,
                &d.levels,
                d.count,
                vec![0; SPARK_SECS],
                (d.first_ms, d.last_ms),
                &d.examples,
            )
        });
        LogBoard {
            rows: live.chain(dormant).collect(),
            lines: self.lines,
            problems: self.problems.clone(),
            // The raw lines are context, not secrets: masked as the examples are.
            tails: self
                .tails
                .iter()
                .map(|(s, t)| {
                    (
                        s.clone(),
                        t.iter().map(|l| pii::mask(l, self.mask_ips)).collect(),
                    )
                })
                .collect(),
            at_ms: now_ms,
            recorded: false,
        }
    }
}

#[cfg(test)]
mod tests;
