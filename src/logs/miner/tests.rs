use super::*;

#[test]
fn lines_of_one_event_share_a_pattern() {
    let mut m = Miner::default();
    let a = m.add("PacketResponder 1 for block blk_38865049064139660 terminating");
    let b = m.add("PacketResponder 0 for block blk_-6952295868487656571 terminating");
    let c = m.add("Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(
        m.text(a).as_deref(),
        Some("PacketResponder <*> for block <*> terminating")
    );
    assert_eq!(m.pattern(a).map(|p| p.count), Some(2));
}

#[test]
fn a_differing_word_is_a_pattern_until_it_varies_too_much() {
    let mut m = Miner::default();
    let line = |how: &str, user: &str| {
        format!("Failed {how} for invalid user {user} from 1.2.3.4 port 22 ssh")
    };
    let pw = m.add(&line("password", "admin"));
    let none = m.add(&line("none", "admin"));
    assert_ne!(pw, none, "password and none stay apart");
    assert_eq!(m.add(&line("password", "admin")), pw);
    assert_eq!(
        m.text(none).as_deref(),
        Some("Failed none for invalid user admin from <*> port <*> ssh")
    );
    assert!(m.take_changes().is_empty());
    // User names vary: after `slot_words` of them the position is a variable, nothing merges
    // across `password`/`none`.
    for u in ["oracle", "test", "webmaster", "guest"] {
        m.add(&line("password", u));
    }
    let changes = m.take_changes();
    assert!(!changes.is_empty());
    let now_pw = m.add(&line("password", "nobody"));
    let now_none = m.add(&line("none", "nobody"));
    assert_ne!(now_pw, now_none);
    assert_eq!(
        m.text(now_pw).as_deref(),
        Some("Failed password for invalid user <*> from <*> port <*> ssh")
    );
    // Counts survive the merges: 1 + 1 + 4 + 1 password lines.
    assert_eq!(m.pattern(now_pw).map(|p| p.count), Some(7));
    assert_eq!(m.pattern(now_none).map(|p| p.count), Some(2));
}

#[test]
fn a_masked_value_makes_a_slot_a_variable() {
    let mut m = Miner::default();
    let a = m.add("session opened for user root by cron");
    let b = m.add("session opened for user alice by cron");
    assert_ne!(a, b);
    let c = m.add("session opened for user 1001 by cron");
    assert_eq!(m.take_changes(), vec![Change::Merged { from: b, into: a }]);
    assert_eq!(c, a);
    assert_eq!(m.pattern(a).map(|p| p.count), Some(3));
}

#[test]
fn memory_is_bounded_by_the_cluster_cap() {
    let mut m = Miner::with_capacity(64);
    let words = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    ];
    for i in 0..20_000u32 {
        // Every line a new shape: distinct words, distinct lengths.
        let w: Vec<String> = (0..(i % 7 + 1))
            .map(|k| format!("{}{}", words[(i + k) as usize % 8], to_letters(i * 7 + k)))
            .collect();
        m.add(&w.join(" "));
    }
    let (clusters, tokens) = m.sizes();
    assert!(clusters <= 64, "{clusters} clusters");
    assert!(tokens <= 64 * 7 * 3 + 1, "{tokens} tokens");
    assert!(
        m.take_changes()
            .iter()
            .any(|c| matches!(c, Change::Evicted(_)))
    );
}

/// A number written in letters (the masker would hide digits).
fn to_letters(mut n: u32) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

#[test]
fn a_flood_of_unlike_lines_of_one_shape_keeps_each_leaf_bounded() {
    // Every line a new pattern of the same shape (same length, same first word): all in one
    // leaf, which each line is compared against.
    let mut m = Miner::default();
    for i in 0..2_000u32 {
        let line = format!(
            "worker {} lost lease on {} after retry",
            to_letters(i),
            to_letters(i * 7919 + 3)
        );
        m.add(&line);
    }
    let (clusters, _) = m.sizes();
    assert!(clusters <= LEAF_MAX, "{clusters} clusters in one leaf");
    // The most recent stay: the last line is still its own pattern.
    let last = m.add(&format!(
        "worker {} lost lease on {} after retry",
        to_letters(1_999),
        to_letters(1_999 * 7919 + 3)
    ));
    assert_eq!(m.pattern(last).map(|p| p.count), Some(2));
}

#[test]
fn a_cluster_that_grows_general_takes_in_the_clusters_it_now_covers() {
    let mut m = Miner::default();
    let line = |a: &str, b: &str| format!("Session 7 opened for user {a} by {b} now");
    // Two words apart from each other (6 of 8 equal): clusters of their own.
    let first = m.add(&line("judy", "alice"));
    let second = m.add(&line("frank", "ivan"));
    assert_ne!(first, second);
    // Lines one word apart build a slot at each place, then make both variables.
    for (a, b) in [
        ("frank", "bob"),
        ("frank", "carol"),
        ("frank", "dave"),
        ("frank", "erin"),
        ("grace", "erin"),
        ("heidi", "erin"),
        ("oscar", "erin"),
    ] {
        m.add(&line(a, b));
    }
    let general = m.add(&line("mallory", "trent"));
    assert_eq!(
        m.text(general).as_deref(),
        Some("Session <*> opened for user <*> by <*> now")
    );
    let merged: Vec<PatternId> = m
        .take_changes()
        .into_iter()
        .filter_map(|c| match c {
            Change::Merged { from, into } if into == general => Some(from),
            _ => None,
        })
        .collect();
    assert!(merged.contains(&first), "{merged:?}");
    assert_eq!(m.pattern(general).map(|p| p.count), Some(10));
    assert_eq!(m.sizes().0, 1, "one cluster left");
}

#[test]
fn events_one_word_apart_stay_apart() {
    let mut m = Miner::default();
    let ids: Vec<PatternId> = ["Paused", "Resumed", "Started", "Stopped"]
        .iter()
        .cycle()
        .take(40)
        .map(|w| m.add(&format!("VM {w} (Lifecycle Event)")))
        .collect();
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 4);
}
