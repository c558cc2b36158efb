use super::*;

#[test]
fn lines_become_patterns_with_counts_rates_levels_and_masked_examples() {
    let mut p = Patterns::default();
    let src: Arc<str> = "app".into();
    let t0 = 1_700_000_000_000;
    for i in 0..5 {
        p.add(
            &src,
            &format!("2024-01-01 10:00:0{i} ERROR [main] db: connection refused to 10.0.0.{i}"),
            t0 + i * 1000,
        );
    }
    p.add(
        &src,
        "2024-01-01 10:00:09 INFO [main] web: login by bob@example.com",
        t0 + 9000,
    );
    let b = p.board(t0 + 9000);
    assert_eq!(b.lines, 6);
    let refused = b
        .rows
        .iter()
        .find(|r| r.text.contains("refused"))
        .expect("row");
    assert_eq!(refused.text, "connection refused to <*>");
    assert_eq!(
        (refused.count, refused.rate(), refused.level),
        (5, 5, Some(Level::Error))
    );
    assert_eq!(
        refused.spark[SPARK_SECS - 10..SPARK_SECS - 5],
        [1, 1, 1, 1, 1]
    );
    let login = b
        .rows
        .iter()
        .find(|r| r.text.contains("login"))
        .expect("row");
    assert!(
        login.examples[0].ends_with("login by <email>"),
        "{:?}",
        login.examples
    );
    assert!(login.is_new(t0 + 9000) && !login.is_new(t0 + NEW_FOR_MS + 10_000));
    assert_eq!(refused.known, Some("db_error"));
    assert_eq!(refused.levels, [(Level::Error, 5)]);
    // A line without a level takes its known trouble's severity.
    p.add(&src, "Out of memory: Killed process 4242 (java)", t0 + 9000);
    let oom = p
        .board(t0 + 9000)
        .rows
        .into_iter()
        .find(|r| r.text.contains("memory"))
        .expect("row");
    assert_eq!(
        (oom.known, oom.level),
        (Some("oom_killer"), Some(Level::Critical))
    );
    // A minute later the rate is gone, the count stays.
    let later = p.board(t0 + 70_000);
    let refused = later
        .rows
        .iter()
        .find(|r| r.text.contains("refused"))
        .expect("row");
    assert_eq!((refused.count, refused.rate()), (5, 0));
}

#[test]
fn merged_patterns_add_up() {
    let mut p = Patterns::default();
    let src: Arc<str> = "app".into();
    for u in ["root", "alice", "bob", "carol", "dave"] {
        p.add(&src, &format!("session opened for user {u} by cron"), 1000);
    }
    let b = p.board(1000);
    assert_eq!(b.rows.len(), 1, "{:?}", b.rows);
    assert_eq!((b.rows[0].count, b.rows[0].rate()), (5, 5));
    assert_eq!(b.rows[0].text, "session opened for user <*> by cron");
}

#[test]
fn patterns_of_an_earlier_run_are_listed_then_go_on_counting() {
    let src: Arc<str> = "app".into();
    let mut first = Patterns::default();
    for i in 0..4 {
        first.add(
            &src,
            &format!("ERROR job {i} failed: disk full"),
            60_000 + i,
        );
    }
    first.add(&src, "INFO started", 61_000);
    let saves = first.take_saves();
    assert_eq!(saves.patterns.len(), 2);
    let failed = saves
        .patterns
        .iter()
        .find(|p| p.template.contains("failed"))
        .expect("saved");
    assert_eq!((failed.count, failed.levels[Level::Error as usize]), (4, 4));
    assert_eq!(
        saves
            .rates
            .iter()
            .filter(|r| r.0 == failed.uid)
            .map(|r| r.2)
            .sum::<u32>(),
        4
    );
    assert!(first.take_saves().is_empty(), "nothing changed since");
    // The next run lists it before it comes again, not as new.
    let mut next = Patterns::restored(saves.patterns.clone(), Vec::new());
    let b = next.board(600_000_000);
    let row = b
        .rows
        .iter()
        .find(|r| r.text.contains("failed"))
        .expect("dormant row");
    assert_eq!(
        (row.count, row.rate(), row.is_new(600_000_000)),
        (4, 0, false)
    );
    // Seen again: the same uid, counting on.
    next.add(&src, "ERROR job 9 failed: disk full", 600_000_000);
    let saves2 = next.take_saves();
    assert_eq!(saves2.patterns.len(), 1);
    assert_eq!(
        (saves2.patterns[0].uid, saves2.patterns[0].count),
        (failed.uid, 5)
    );
    let b = next.board(600_000_000);
    assert_eq!(
        b.rows.iter().filter(|r| r.text.contains("failed")).count(),
        1
    );
    // New patterns get uids of their own.
    next.add(&src, "WARN cache cold", 600_000_001);
    let uids: Vec<u64> = next.take_saves().patterns.iter().map(|p| p.uid).collect();
    assert!(
        uids.iter()
            .all(|u| !saves.patterns.iter().any(|p| p.uid == *u)),
        "{uids:?}"
    );
}

#[test]
fn control_characters_never_reach_the_screen() {
    let mut p = Patterns::default();
    let src: Arc<str> = "app".into();
    p.add(&src, "ERROR \u{1b}[2J\u{1b}]0;pwned\u{7}\tdone", 1000);
    let b = p.board(1000);
    let all = format!("{:?}{:?}", b.rows[0].text, b.tails);
    assert!(!b.rows[0].text.chars().any(char::is_control), "{all}");
    assert!(!b.tails[0].1[0].chars().any(char::is_control), "{all}");
    assert!(
        !b.rows[0].examples[0].chars().any(char::is_control),
        "{all}"
    );
}

#[test]
fn the_raw_lines_are_masked_as_the_examples_are() {
    let mut p = Patterns::default();
    let src: Arc<str> = "app".into();
    let line = "payment by jane@example.com card 4111 1111 1111 1111 token=hunter2secret";
    p.add(&src, line, 1000);
    let b = p.board(1000);
    let raw = &b.tails[0].1[0];
    for secret in ["jane@example.com", "4111 1111 1111 1111", "hunter2secret"] {
        assert!(!raw.contains(secret), "{secret} in {raw}");
    }
    assert_eq!(raw, &b.rows[0].examples[0], "the same masking");
}

#[test]
fn user_patterns_come_first() {
    let known = crate::logs::builtin::Known {
        name: "pay_declined",
        severity: Level::Error,
        phrases: &["payment declined"],
    };
    let mut p = Patterns::restored(Vec::new(), vec![known]);
    let src: Arc<str> = "app".into();
    p.add(&src, "order 77 payment declined: timeout at gateway", 1000);
    let row = &p.board(1000).rows[0];
    assert_eq!(
        (row.known, row.level),
        (Some("pay_declined"), Some(Level::Error))
    );
}

#[test]
fn a_flood_of_new_error_patterns_is_a_bounded_set_of_series_and_one_alert() {
    use super::metrics::{FLOOD_PATTERN, NEW_ONE_BY_ONE, RATE_SERIES};
    let mut p = Patterns::default();
    let src: Arc<str> = "app".into();
    let t0 = 1_700_000_000_000;
    let n = 3_000;
    for i in 0..n {
        let w = |k: u32| -> String {
            (0..4)
                .map(|d| (b'g' + ((k >> (4 * d)) & 15) as u8) as char)
                .collect()
        };
        let line = format!("ERROR worker {} lost lease on {}", w(i), w(i * 7919 + 3));
        p.add(&src, &line, t0 + i64::from(i));
    }
    let ms = p.metrics(t0 + 10_000);
    let of = |name: &str| ms.iter().filter(|m| m.name == name).collect::<Vec<_>>();
    let new = of("log_new_error_pattern");
    assert_eq!(
        new.len(),
        NEW_ONE_BY_ONE + 1,
        "the first ones and one for the rest"
    );
    let rest = new
        .iter()
        .find(|m| {
            m.labels
                .contains(&("pattern".into(), FLOOD_PATTERN.to_string()))
        })
        .expect("the flood's series");
    assert_eq!(rest.value, f64::from(n) - NEW_ONE_BY_ONE as f64);
    assert!(of("log_pattern_lines_per_minute").len() <= RATE_SERIES);
    // Evicted patterns wait as dormant ones, within their cap.
    assert!(p.dormant.len() <= DORMANT_MAX + DORMANT_MAX / 8);
}
