//! Maps and sets keyed by alert fingerprints. Fingerprints are hashes already, so they are
//! used as their own hash: no SipHash on the per-sample path.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type FpSet = HashSet<u64, BuildHasherDefault<Identity>>;
pub type FpMap<V> = HashMap<u64, V, BuildHasherDefault<Identity>>;
