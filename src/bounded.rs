//! Keeping maps of things that come and go within a cap.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

/// Once `map` holds more than `keep` and an eighth, removes its oldest entries (by `at`) down to
/// `keep`: one pass for many removals, so a churning map costs little per entry.
pub fn keep_newest<K: Eq + Hash, V, S: BuildHasher>(
    map: &mut HashMap<K, V, S>,
    keep: usize,
    at: impl Fn(&V) -> i64,
) {
    if map.len() <= keep + keep / 8 {
        return;
    }
    let mut ages: Vec<i64> = map.values().map(&at).collect();
    let excess = map.len() - keep;
    let (_, cut, _) = ages.select_nth_unstable(excess - 1);
    let (cut, mut left) = (*cut, excess);
    map.retain(|_, v| {
        let go = left > 0 && at(v) <= cut;
        left -= usize::from(go);
        !go
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_once_over_the_cap() {
        let mut m: HashMap<u32, i64> = (0..8).map(|i| (i, i64::from(i))).collect();
        keep_newest(&mut m, 8, |v| *v);
        assert_eq!(m.len(), 8, "at the cap: nothing goes");
        m.extend((8..20).map(|i| (i, i64::from(i))));
        keep_newest(&mut m, 8, |v| *v);
        let mut left: Vec<u32> = m.into_keys().collect();
        left.sort();
        assert_eq!(left, (12..20).collect::<Vec<_>>());
    }
}
