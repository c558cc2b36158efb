//! An isolation forest over a host's vector of metrics (CPU, memory, IO, network, load):
//! points that random splits isolate in few steps are unusual together, even when no one
//! metric is (busy CPU with no network at an hour it always has both). Trained on the most
//! recent `WINDOW` vectors and retrained every `RETRAIN` samples; `TREES` trees of `PSI`
//! points each, so memory and the work per sample are bounded (a score walks at most
//! `TREES × depth` nodes). A value further outside the range a node was grown from than
//! its width is isolated there. Values are taken as sign·ln(1+|x|): splits are drawn uniformly
//! within a node's range, and byte rates span many orders of magnitude.

/// Vectors the forest learns from.
const WINDOW: usize = 512;
/// Samples between two trainings.
const RETRAIN: usize = 128;
/// Vectors seen before the first training.
const WARM: usize = 64;
const TREES: usize = 40;
/// Points each tree is grown from.
const PSI: usize = 64;

#[derive(Debug, Clone, Copy)]
enum Node {
    Split {
        feature: u16,
        at: f32,
        /// The range of the feature among the node's points: a value further outside it
        /// than its width is alone here (plain isolation forests send it along with the nearest edge, so a busy
        /// CPU with the network of a quiet hour looks no odder than the quietest busy hour).
        lo: f32,
        hi: f32,
        /// The right child; the left one follows this node.
        right: u32,
    },
    Leaf {
        size: u32,
    },
}

/// What the forest makes of one vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Isolation {
    /// The forest's score, 2^(−E[depth]/c(ψ)): about 0.5 and below is normal, near 1 isolated.
    pub score: f64,
    /// The feature whose split isolated it most often.
    pub feature: usize,
}

#[derive(Debug, Clone)]
pub struct Forest {
    dims: usize,
    /// The last vectors, `dims` values each, a ring.
    window: Vec<f32>,
    at: usize,
    seen: usize,
    trees: Vec<Vec<Node>>,
    rng: u64,
}

/// Average depth of an unsuccessful search in a binary search tree of `n` points.
fn c(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        n => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + 0.577_215_664_9) - 2.0 * (n - 1.0) / n
        }
    }
}

fn squash(x: f64) -> f32 {
    (x.signum() * x.abs().ln_1p()) as f32
}

impl Forest {
    pub fn new(dims: usize, seed: u64) -> Self {
        Forest {
            dims,
            window: Vec::with_capacity(WINDOW * dims),
            at: 0,
            seen: 0,
            trees: Vec::new(),
            rng: seed | 1,
        }
    }

    /// splitmix64: a reproducible stream of random numbers.
    fn next(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Scores `x` (None until trained, or if `x` is not `dims` finite values), then learns it.
    pub fn push(&mut self, x: &[f64]) -> Option<Isolation> {
        if x.len() != self.dims || !x.iter().all(|v| v.is_finite()) {
            return None;
        }
        let p: Vec<f32> = x.iter().map(|v| squash(*v)).collect();
        let out = self.score(&p);
        if self.window.len() < WINDOW * self.dims {
            self.window.extend_from_slice(&p);
        } else {
            let at = self.at * self.dims;
            self.window[at..at + self.dims].copy_from_slice(&p);
            self.at = (self.at + 1) % WINDOW;
        }
        self.seen += 1;
        if self.seen >= WARM && (self.trees.is_empty() || self.seen.is_multiple_of(RETRAIN)) {
            self.train();
        }
        out
    }

    fn train(&mut self) {
        let n = self.window.len() / self.dims;
        let limit = (PSI as f64).log2().ceil() as usize;
        let mut trees = Vec::with_capacity(TREES);
        for _ in 0..TREES {
            let mut sample: Vec<u32> = (0..PSI.min(n))
                .map(|_| (self.next() % n as u64) as u32)
                .collect();
            let mut nodes = Vec::with_capacity(2 * PSI);
            self.grow(&mut nodes, &mut sample, 0, limit);
            trees.push(nodes);
        }
        self.trees = trees;
    }

    fn grow(&mut self, nodes: &mut Vec<Node>, points: &mut [u32], depth: usize, limit: usize) {
        let here = nodes.len();
        nodes.push(Node::Leaf {
            size: points.len() as u32,
        });
        if points.len() <= 1 || depth >= limit {
            return;
        }
        let d = self.dims;
        let value = |w: &[f32], p: u32, f: usize| w[p as usize * d + f];
        // A feature with a spread in this node, tried from a random start.
        let start = (self.next() % d as u64) as usize;
        let Some((feature, lo, hi)) = (0..d).map(|k| (start + k) % d).find_map(|f| {
            let (lo, hi) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                let v = value(&self.window, *p, f);
                (lo.min(v), hi.max(v))
            });
            (hi > lo).then_some((f, lo, hi))
        }) else {
            return;
        };
        let at = lo + self.unit() * (hi - lo);
        let mut left = 0;
        for i in 0..points.len() {
            if value(&self.window, points[i], feature) < at {
                points.swap(i, left);
                left += 1;
            }
        }
        let (l, r) = points.split_at_mut(left);
        self.grow(nodes, l, depth + 1, limit);
        let right = nodes.len() as u32;
        self.grow(nodes, r, depth + 1, limit);
        nodes[here] = Node::Split {
            feature: feature as u16,
            at,
            lo,
            hi,
            right,
        };
    }

    fn score(&self, p: &[f32]) -> Option<Isolation> {
        if self.trees.is_empty() {
            return None;
        }
        let mut depth = 0.0;
        let mut votes = vec![0u32; self.dims];
        for nodes in &self.trees {
            let (mut i, mut d, mut last) = (0usize, 0.0, None);
            loop {
                match nodes[i] {
                    Node::Split {
                        feature,
                        at,
                        lo,
                        hi,
                        right,
                    } => {
                        let v = p[feature as usize];
                        d += 1.0;
                        let room = hi - lo;
                        if v < lo - room || v > hi + room {
                            depth += d;
                            votes[feature as usize] += 1;
                            break;
                        }
                        last = Some(feature as usize);
                        i = if v < at { i + 1 } else { right as usize };
                    }
                    Node::Leaf { size } => {
                        depth += d + c(size as usize);
                        // Isolated (alone in its leaf): the last split did it.
                        if let (1, Some(f)) = (size, last) {
                            votes[f] += 1;
                        }
                        break;
                    }
                }
            }
        }
        let mean = depth / self.trees.len() as f64;
        let feature = (0..self.dims).max_by_key(|f| votes[*f]).unwrap_or(0);
        Some(Isolation {
            score: 2f64.powf(-mean / c(PSI)),
            feature,
        })
    }

    pub fn memory(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.window.capacity() * std::mem::size_of::<f32>()
            + self
                .trees
                .iter()
                .map(|t| t.capacity() * std::mem::size_of::<Node>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(i: u64) -> f64 {
        let h = i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ 0x5555;
        (h.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    #[test]
    fn a_point_off_the_usual_mix_is_isolated_and_named() {
        let mut f = Forest::new(3, 7);
        // Busy hours (CPU and network high together) and quiet ones; memory steady.
        let bell = |i: u64| (noise(3 * i) + noise(3 * i + 1) + noise(3 * i + 2)) / 3.0;
        let usual = |i: u64| {
            let busy = i.is_multiple_of(3);
            let (cpu, net) = if busy {
                (80.0, 80_000.0)
            } else {
                (10.0, 5_000.0)
            };
            [
                cpu * (1.0 + 0.1 * bell(i)),
                60.0 + bell(i + 99),
                net * (1.0 + 0.1 * bell(i + 7)),
            ]
        };
        let mut normal = Vec::new();
        for i in 0..2000 {
            if let Some(s) = f.push(&usual(i)) {
                normal.push(s.score);
            }
        }
        normal.sort_by(f64::total_cmp);
        let p99 = normal[normal.len() * 99 / 100];
        // Busy CPU with quiet network: each value common, not together.
        let odd = f.push(&[80.0, 60.0, 5_000.0]).expect("trained");
        assert!(odd.score > p99 && odd.score > 0.6, "{odd:?} vs p99 {p99}");
        assert!(f.push(&[f64::NAN, 1.0, 1.0]).is_none());
        assert!(f.push(&[1.0]).is_none());
        assert!(f.memory() < 120_000, "{}", f.memory());
    }
}
