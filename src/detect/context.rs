//! Novel contexts: the value placed in one of 8 bands of the range seen so far (and one
//! below, one above), the last 3 bands taken together as a context; a context never seen
//! before is news (a pattern the series has not shown: a flat stretch where it swings, a
//! new shape of spikes). The share of news among the last few samples is the signal, counted
//! by how rare news usually are (after 500 samples).

use super::stats::Ew;

const BANDS: usize = 8;
/// Bands with the two outside the range.
const ALL: usize = BANDS + 2;
const LEN: usize = 3;
const CONTEXTS: usize = ALL * ALL * ALL;
/// Samples before news count.
const WARM: u64 = 500;

#[derive(Debug, Clone)]
pub struct Contexts {
    lo: f64,
    hi: f64,
    last: [usize; LEN],
    seen: [u64; CONTEXTS.div_ceil(64)],
    samples: u64,
    news: Ew,
    /// The usual share of news.
    usual: Ew,
}

impl Default for Contexts {
    fn default() -> Self {
        Contexts {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            last: [0; LEN],
            seen: [0; CONTEXTS.div_ceil(64)],
            samples: 0,
            news: Ew::new(3.0),
            usual: Ew::new(1000.0),
        }
    }
}

impl Contexts {
    /// Takes `x`: how new the last samples' contexts are, 0…1.
    pub fn push(&mut self, x: f64) -> f64 {
        let band = if self.hi > self.lo {
            let at = ((x - self.lo) / (self.hi - self.lo) * BANDS as f64).floor();
            (at.clamp(-1.0, BANDS as f64) + 1.0) as usize
        } else {
            0
        };
        self.last.rotate_left(1);
        self.last[LEN - 1] = band;
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
        let ctx = self.last.iter().fold(0, |c, b| c * ALL + b);
        let (word, bit) = (ctx / 64, 1u64 << (ctx % 64));
        let new = self.seen[word] & bit == 0;
        self.seen[word] |= bit;
        self.samples += 1;
        if self.samples <= LEN as u64 {
            return 0.0;
        }
        let news = f64::from(u8::from(new));
        self.news.push(news);
        let usual = self.usual.mean;
        self.usual.push(news);
        let signal = ((self.news.mean - usual) / (1.0 - usual).max(1e-9)).max(0.0);
        // Every context is new at first: news mean nothing until the usual rate is known.
        // While most contexts are still new (a noisy series exploring its bands), news
        // say little: they count by how rare news usually are.
        let signal = signal * (1.0 - usual).powi(4);
        if self.samples < WARM { 0.0 } else { signal }
    }
}
