//! A streaming template miner of the Drain family (He et al., ICWS 2017), with one change that
//! matters: a position where lines differ by a *word* is not made a variable at once. A line's
//! masked tokens are looked up by their count and first token, then matched against that
//! leaf's clusters by the share of equal tokens; the best at or over `similarity` takes it.
//! Where a cluster's lines differ by words (`Failed password` / `Failed none`, `bytes` /
//! `values`) the position is a *slot* that keeps its words, and each combination of slot words
//! is a pattern of its own, until a slot has seen more than `slot_words` words or a masked
//! value: then it is a variable and the patterns it separated merge (counts added), which the
//! miner reports as a `Change`. One configuration for every log.
//!
//! Memory is bounded: at most `max_clusters` clusters (the least recently seen go, reported),
//! and tokens are interned only while a cluster holds them.

use rustc_hash::FxHashMap as HashMap;

use super::intern::{Interner, WILD};
use super::mask::{VAR, mask_line};

/// The miner's two knobs, one setting for every log. The defaults are the ones shipped; the
/// bench chooses among others leaving one dataset out, to show what choosing them costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    /// Share of equal tokens a line needs to join a cluster.
    pub similarity: f64,
    /// Distinct words a slot keeps apart before it is a variable.
    pub slot_words: usize,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            similarity: 0.8,
            slot_words: 3,
        }
    }
}
/// Clusters kept by default.
pub const MAX_CLUSTERS: usize = 20_000;
/// Clusters one leaf (token count and first token) holds, at most: a line is compared with
/// each of its leaf's clusters, so a flood of unlike lines of one shape would otherwise make
/// every line cost as many comparisons as there are clusters (Drain bounds its tree's
/// children for the same reason). The leaf's least recently seen cluster goes.
const LEAF_MAX: usize = 128;
/// A line token not interned (it matches no cluster's word).
const UNKNOWN: u32 = u32::MAX;

pub type PatternId = u32;

/// What happened to patterns a consumer may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `from`'s lines are `into`'s from now on (its count was added).
    Merged { from: PatternId, into: PatternId },
    /// Forgotten to bound memory.
    Evicted(PatternId),
}

#[derive(Debug)]
struct Slot {
    pos: usize,
    /// Words seen here (interned, held); empty once the slot is a variable.
    words: Vec<u32>,
    open: bool,
}

#[derive(Debug)]
struct Cluster {
    tokens: Vec<u32>,
    slots: Vec<Slot>,
    patterns: Vec<PatternId>,
    last: u64,
    leaf: (usize, u32),
}

/// A pattern: a cluster and its words at the cluster's slots (`WILD` at closed ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    cluster: usize,
    key: Vec<u32>,
    pub count: u64,
}

#[derive(Debug)]
pub struct Miner {
    words: Interner,
    clusters: Vec<Option<Cluster>>,
    free: Vec<usize>,
    live: usize,
    leaves: HashMap<(usize, u32), Vec<usize>>,
    patterns: HashMap<PatternId, Pattern>,
    next_id: PatternId,
    changes: Vec<Change>,
    tick: u64,
    max_clusters: usize,
    knobs: Knobs,
    /// Reused for each line: masked text, token spans, ids.
    text: String,
    spans: Vec<(usize, usize)>,
    line: Vec<u32>,
}

impl Default for Miner {
    fn default() -> Self {
        Self::with_capacity(MAX_CLUSTERS)
    }
}

impl Miner {
    pub fn with_capacity(max_clusters: usize) -> Self {
        Self::tuned(max_clusters, Knobs::default())
    }

    pub fn tuned(max_clusters: usize, knobs: Knobs) -> Self {
        Self {
            knobs,
            words: Interner::new(VAR),
            clusters: Vec::new(),
            free: Vec::new(),
            live: 0,
            leaves: HashMap::default(),
            patterns: HashMap::default(),
            next_id: 0,
            changes: Vec::new(),
            tick: 0,
            max_clusters: max_clusters.max(1),
            text: String::new(),
            spans: Vec::new(),
            line: Vec::new(),
        }
    }

    /// Mines one message: the pattern it belongs to.
    pub fn add(&mut self, message: &str) -> PatternId {
        self.tick += 1;
        self.tokenize(message);
        let line = std::mem::take(&mut self.line);
        let key = (line.len(), line.first().copied().unwrap_or(WILD));
        let best = self.leaves.get(&key).and_then(|leaf| {
            leaf.iter()
                .filter_map(|c| {
                    self.clusters[*c]
                        .as_ref()
                        .map(|k| (*c, similarity(&k.tokens, &line)))
                })
                .filter(|(_, s)| *s >= self.knobs.similarity)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(c, _)| c)
        });
        let id = match best {
            Some(c) => self.join(c, &line),
            None => self.start(key, &line),
        };
        self.line = line;
        id
    }

    fn tokenize(&mut self, message: &str) {
        self.text.clear();
        self.spans.clear();
        self.line.clear();
        mask_line(message, &mut self.text, &mut self.spans);
        for (s, e) in &self.spans {
            let m = &self.text[*s..*e];
            let id = if m == VAR {
                WILD
            } else {
                self.words.get(m).unwrap_or(UNKNOWN)
            };
            self.line.push(id);
        }
    }

    /// The interned id of the line's token `p`.
    fn acquire(&mut self, line: &[u32], p: usize) -> u32 {
        match line[p] {
            UNKNOWN => {
                let (s, e) = self.spans[p];
                self.words.acquire(&self.text[s..e])
            }
            id => {
                self.words.retain(id);
                id
            }
        }
    }

    fn start(&mut self, leaf: (usize, u32), line: &[u32]) -> PatternId {
        if self.live >= self.max_clusters {
            self.evict();
        }
        let tokens: Vec<u32> = (0..line.len()).map(|p| self.acquire(line, p)).collect();
        let leaf = (leaf.0, tokens.first().copied().unwrap_or(WILD));
        let oldest = self
            .leaves
            .get(&leaf)
            .filter(|l| l.len() >= LEAF_MAX)
            .and_then(|l| {
                l.iter()
                    .filter_map(|c| Some((self.clusters[*c].as_ref()?.last, *c)))
                    .min()
            });
        if let Some((_, c)) = oldest {
            self.drop_cluster(c);
        }
        let cluster = Cluster {
            tokens,
            slots: Vec::new(),
            patterns: Vec::new(),
            last: self.tick,
            leaf,
        };
        let c = match self.free.pop() {
            Some(c) => {
                self.clusters[c] = Some(cluster);
                c
            }
            None => {
                self.clusters.push(Some(cluster));
                self.clusters.len() - 1
            }
        };
        self.live += 1;
        self.leaves.entry(leaf).or_default().push(c);
        self.new_pattern(c, Vec::new())
    }

    fn new_pattern(&mut self, c: usize, key: Vec<u32>) -> PatternId {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.patterns.insert(
            id,
            Pattern {
                cluster: c,
                key,
                count: 1,
            },
        );
        if let Some(k) = self.clusters[c].as_mut() {
            k.patterns.push(id);
        }
        id
    }

    fn join(&mut self, c: usize, line: &[u32]) -> PatternId {
        let mut closed = Vec::new();
        // A position became a variable: clusters that are instances of this one now join it.
        let mut general = false;
        let Some(mut k) = self.clusters[c].take() else {
            return self.start((line.len(), WILD), line);
        };
        k.last = self.tick;
        for p in 0..line.len() {
            let (t, v) = (k.tokens[p], line[p]);
            if t == v && t != WILD {
                continue;
            }
            if t != WILD {
                // Words differ here: a new slot (a masked value makes it a variable outright).
                k.tokens[p] = WILD;
                if v == WILD
                    || self.word_at(line, p).contains(VAR)
                    || self.words.name(t).contains(VAR)
                {
                    self.words.release(t);
                    general = true;
                } else {
                    let w = self.acquire(line, p);
                    k.slots.push(Slot {
                        pos: p,
                        words: vec![t, w],
                        open: true,
                    });
                    for id in &k.patterns {
                        if let Some(pat) = self.patterns.get_mut(id) {
                            pat.key.push(t);
                        }
                    }
                }
                continue;
            }
            let Some(s) = k.slots.iter().position(|s| s.pos == p && s.open) else {
                continue;
            };
            if v != WILD && k.slots[s].words.contains(&v) {
                continue;
            }
            if v == WILD
                || k.slots[s].words.len() >= self.knobs.slot_words
                || self.word_at(line, p).contains(VAR)
            {
                closed.push(s);
            } else {
                let w = self.acquire(line, p);
                k.slots[s].words.push(w);
            }
        }
        general |= !closed.is_empty();
        for s in closed {
            k.slots[s].open = false;
            for w in std::mem::take(&mut k.slots[s].words) {
                self.words.release(w);
            }
            self.close_slot(&mut k, s);
        }
        let key: Vec<u32> = k
            .slots
            .iter()
            .map(|s| {
                if s.open {
                    self.words.get(self.word_at(line, s.pos)).unwrap_or(WILD)
                } else {
                    WILD
                }
            })
            .collect();
        let found = k
            .patterns
            .iter()
            .copied()
            .find(|id| self.patterns.get(id).is_some_and(|p| p.key == key));
        let leaf = k.leaf;
        self.clusters[c] = Some(k);
        if general {
            self.absorb(c, leaf);
        }
        match found {
            Some(id) => {
                if let Some(p) = self.patterns.get_mut(&id) {
                    p.count += 1;
                }
                id
            }
            None => self.new_pattern(c, key),
        }
    }

    /// Moves into cluster `c` every other cluster of its leaf that it now covers: the same
    /// words where `c` has words, one of its slot's words at each open slot, anything where
    /// `c` has a variable. Their patterns merge into `c`'s (reported). A cluster started
    /// before `c` grew general (`user judy by alice` beside `user <*> by <*>`) would
    /// otherwise keep its few lines apart for good.
    fn absorb(&mut self, c: usize, leaf: (usize, u32)) {
        let Some(ids) = self.leaves.get(&leaf).cloned() else {
            return;
        };
        for o in ids.into_iter().filter(|o| *o != c) {
            let (Some(k), Some(other)) = (self.clusters[c].as_ref(), self.clusters[o].as_ref())
            else {
                continue;
            };
            let Some(key) = covers(k, other) else {
                continue;
            };
            let from = other.patterns.clone();
            let into = match k
                .patterns
                .iter()
                .copied()
                .find(|id| self.patterns.get(id).is_some_and(|p| p.key == key))
            {
                Some(id) => id,
                None => {
                    let id = self.new_pattern(c, key);
                    if let Some(p) = self.patterns.get_mut(&id) {
                        p.count = 0;
                    }
                    id
                }
            };
            for id in from {
                let Some(p) = self.patterns.remove(&id) else {
                    continue;
                };
                if let Some(q) = self.patterns.get_mut(&into) {
                    q.count += p.count;
                }
                self.changes.push(Change::Merged { from: id, into });
            }
            if let Some(other) = self.clusters[o].as_mut() {
                other.patterns.clear();
            }
            self.drop_cluster(o);
        }
    }

    fn word_at(&self, line: &[u32], p: usize) -> &str {
        match line[p] {
            UNKNOWN => &self.text[self.spans[p].0..self.spans[p].1],
            id => self.words.name(id),
        }
    }

    /// Slot `s` became a variable: patterns that differed only there merge into the first.
    fn close_slot(&mut self, k: &mut Cluster, s: usize) {
        let mut kept: Vec<PatternId> = Vec::new();
        for id in std::mem::take(&mut k.patterns) {
            let Some(mut p) = self.patterns.remove(&id) else {
                continue;
            };
            p.key[s] = WILD;
            match kept
                .iter()
                .find(|o| self.patterns.get(o).is_some_and(|q| q.key == p.key))
            {
                Some(into) => {
                    let into = *into;
                    if let Some(q) = self.patterns.get_mut(&into) {
                        q.count += p.count;
                    }
                    self.changes.push(Change::Merged { from: id, into });
                }
                None => {
                    self.patterns.insert(id, p);
                    kept.push(id);
                }
            }
        }
        k.patterns = kept;
    }

    /// Forgets the least recently seen eighth of the clusters.
    fn evict(&mut self) {
        let mut ages: Vec<(u64, usize)> = self
            .clusters
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (c.last, i)))
            .collect();
        let n = (ages.len() / 8).max(1);
        ages.select_nth_unstable(n - 1);
        for (_, c) in ages.into_iter().take(n) {
            self.drop_cluster(c);
        }
    }

    /// Forgets cluster `c` and its patterns (reported as evicted).
    fn drop_cluster(&mut self, c: usize) {
        let Some(k) = self.clusters[c].take() else {
            return;
        };
        for t in k.tokens.iter().chain(k.slots.iter().flat_map(|s| &s.words)) {
            self.words.release(*t);
        }
        for id in k.patterns {
            self.patterns.remove(&id);
            self.changes.push(Change::Evicted(id));
        }
        if let Some(leaf) = self.leaves.get_mut(&k.leaf) {
            leaf.retain(|x| *x != c);
            if leaf.is_empty() {
                self.leaves.remove(&k.leaf);
            }
        }
        self.free.push(c);
        self.live -= 1;
    }

    /// Merges and evictions since the last call.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    pub fn pattern(&self, id: PatternId) -> Option<&Pattern> {
        self.patterns.get(&id)
    }

    /// Live patterns.
    pub fn patterns(&self) -> impl Iterator<Item = (PatternId, &Pattern)> {
        self.patterns.iter().map(|(id, p)| (*id, p))
    }

    /// A pattern as text: its cluster's words, slot words filled in, `<*>` for variables.
    pub fn text(&self, id: PatternId) -> Option<String> {
        let p = self.patterns.get(&id)?;
        let k = self.clusters.get(p.cluster)?.as_ref()?;
        let mut tokens = k.tokens.clone();
        for (s, w) in k.slots.iter().zip(&p.key) {
            tokens[s.pos] = *w;
        }
        Some(
            tokens
                .iter()
                .map(|t| self.words.name(*t))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// Clusters and interned tokens held (for memory figures and tests).
    pub fn sizes(&self) -> (usize, usize) {
        (self.live, self.words.len())
    }
}

/// Whether cluster `k` covers cluster `o` (see `Miner::absorb`): the key `o`'s lines have
/// in `k` if it does.
fn covers(k: &Cluster, o: &Cluster) -> Option<Vec<u32>> {
    if k.tokens.len() != o.tokens.len() {
        return None;
    }
    for (p, (t, u)) in k.tokens.iter().zip(&o.tokens).enumerate() {
        let slot = k.slots.iter().find(|s| s.pos == p && s.open);
        let fits = match slot {
            Some(s) => *u != WILD && s.words.contains(u) && !o.slots.iter().any(|s| s.pos == p),
            None => *t == WILD || t == u,
        };
        if !fits {
            return None;
        }
    }
    Some(
        k.slots
            .iter()
            .map(|s| if s.open { o.tokens[s.pos] } else { WILD })
            .collect(),
    )
}

/// Share of positions where the cluster and the line agree (a cluster `<*>` agrees with
/// anything).
fn similarity(template: &[u32], line: &[u32]) -> f64 {
    if line.is_empty() {
        return 1.0;
    }
    let same = template
        .iter()
        .zip(line)
        .filter(|(a, b)| **a == WILD || a == b)
        .count();
    same as f64 / line.len() as f64
}

#[cfg(test)]
mod tests;
