use super::*;

fn agg_of(lines: &[&str]) -> (Aggregator, Counts) {
    let mut a = Aggregator::new(100);
    a.last_flush = 0;
    let counts = Counts::default();
    for l in lines {
        a.packet(l.as_bytes(), &counts);
    }
    (a, counts)
}

fn find<'a>(series: &'a [Series], name: &str, label: Option<(&str, &str)>) -> &'a Series {
    (series.iter())
        .find(|s| {
            s.name == name
                && label.is_none_or(|(k, v)| s.labels.iter().any(|(a, b)| a == k && b == v))
        })
        .unwrap_or_else(|| panic!("no {name} {label:?} in {series:?}"))
}

#[test]
fn counters_gauges_timers_and_sets_flush_as_series() {
    let (mut a, counts) = agg_of(&[
        "api.hits:1|c\napi.hits:2|c|@0.5\napi.hits:1|c|#env:prod",
        "queue:10|g\nqueue:-3|g\nqueue:+1|g",
        "db.query:10|ms\ndb.query:20|ms\ndb.query:30|ms",
        "users:alice|s\nusers:bob|s\nusers:alice|s",
        "broken line\nx:1|q",
    ]);
    assert_eq!(counts.lines.load(Ordering::Relaxed), 14);
    assert_eq!(counts.malformed.load(Ordering::Relaxed), 2);
    let first = a.flush(10_000);
    let hits = find(&first, "api_hits_total", None);
    assert!(hits.labels.is_empty());
    assert_eq!(
        (hits.value, hits.counter, hits.prev),
        (5.0, true, Some((0, 0.0)))
    );
    let rate = hits.derive().unwrap();
    assert_eq!(
        (rate.name.as_ref(), rate.value),
        ("api_hits_per_second", 0.5)
    );
    let prod = find(&first, "api_hits_total", Some(("env", "prod")));
    assert_eq!(prod.value, 1.0);
    assert_eq!(find(&first, "queue", None).value, 8.0);
    let p50 = find(&first, "db_query", Some(("quantile", "0.5"))).value;
    assert!((p50 - 20.0).abs() <= 0.2, "{p50}");
    assert_eq!(find(&first, "db_query_count", None).value, 3.0);
    assert_eq!(find(&first, "users_unique", None).value, 2.0);
    // The next interval: counters keep their totals, gauges their value; timers and sets
    // start again.
    a.packet(b"api.hits:4|c", &counts);
    let second = a.flush(20_000);
    let hits = find(&second, "api_hits_total", None);
    assert_eq!((hits.value, hits.prev), (9.0, Some((10_000, 5.0))));
    assert_eq!(find(&second, "queue", None).value, 8.0);
    assert_eq!(find(&second, "users_unique", None).value, 0.0);
    assert!(!second.iter().any(|s| s.name == "db_query"));
}

#[test]
fn series_past_the_cap_are_counted_not_kept_and_idle_ones_are_forgotten() {
    let mut a = Aggregator::new(2);
    let counts = Counts::default();
    a.packet(b"a:1|c\nb:1|c\nc:1|c\nc:1|c", &counts);
    assert_eq!(counts.over_cap.load(Ordering::Relaxed), 2);
    assert_eq!(a.flush(1).len(), 2);
    for i in 0..=IDLE_FLUSHES {
        a.packet(b"b:1|c", &counts);
        a.flush(2 + i as i64);
    }
    let kept: Vec<String> = a.flush(1_000).into_iter().map(|s| s.name).collect();
    assert_eq!(kept, ["b_total"]);
    a.packet(b"c:1|c", &counts);
    assert_eq!(a.flush(1_001).len(), 2, "room again for c");
}

#[test]
fn any_bytes_are_lines_or_counted_never_a_panic() {
    let counts = Counts::default();
    let mut a = Aggregator::new(10);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2_000 {
        let len = (x % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b":|@#,\n.ab1-+ \xff"[(x % 14) as usize]
            })
            .collect();
        a.packet(&bytes, &counts);
    }
    a.flush(1);
}
