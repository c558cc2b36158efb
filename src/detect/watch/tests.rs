use super::*;
use crate::detect::{POINT, SHIFT};

fn noise(i: u64) -> f64 {
    let h = i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ 0x5555;
    (h.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn metric(name: &'static str, labels: &[(&'static str, &str)], value: f64) -> Metric {
    let labels = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
    Metric::new(name, labels, value)
}

/// A host's metrics at sample `i`; the root file system jumps at `spike`.
fn sample(i: u64, spike: Option<u64>) -> Vec<Metric> {
    let fs = 40.0 + 0.1 * noise(i) + if Some(i) == spike { 30.0 } else { 0.0 };
    vec![
        metric("cpu_busy_percent", &[], 20.0 + noise(i + 1)),
        metric("memory_used_percent", &[], 50.0 + 0.2 * noise(i + 2)),
        metric("filesystem_used_percent", &[("mount", "/")], fs),
        metric("memory_total_bytes", &[], 8e9),
    ]
}

#[test]
fn a_burst_inside_the_range_is_listed_from_its_start_once_it_has_lasted_and_known_from_then() {
    // The disk IO of a host: a first burst to 90 (beyond anything before), later one to 80
    // for a minute, inside that range.
    let io = |i: u64| {
        10.0 + noise(i)
            + match i {
                200..230 => 80.0,
                1200..1260 => 70.0,
                _ => 0.0,
            }
    };
    let mut w = Watch::new(WatchSettings::default());
    for i in 0..1300 {
        let m = [metric(
            "disk_read_bytes_per_second",
            &[("device", "sda")],
            io(i),
        )];
        w.observe("web1", i as i64 * 1000, &m, true, true);
        if i == 1206 {
            assert!(w.recent.len() == 1, "held: {:?}", w.recent);
        }
    }
    let starts: Vec<i64> = w.recent.iter().map(|a| a.started_ms).collect();
    assert_eq!(starts, [200_000, 1_200_000], "{:?}", w.recent);
    assert!(w.recent[1].score >= 0.5, "{:?}", w.recent[1]);
    // Known when it had lasted (8 samples in), the beyond-range one at once.
    let known: Vec<i64> = w.recent.iter().map(|a| a.known_ms).collect();
    assert_eq!(known, [200_000, 1_207_000], "{:?}", w.recent);
}

#[test]
fn a_spike_is_one_anomaly_that_starts_and_ends_and_calm_series_have_none() {
    let mut w = Watch::new(WatchSettings::default());
    for i in 0..1500 {
        w.observe("web1", i as i64 * 1000, &sample(i, Some(1200)), true, true);
    }
    let fs: Vec<Anomaly> = w
        .recent
        .iter()
        .filter(|a| a.series.starts_with("filesystem"))
        .cloned()
        .collect();
    assert_eq!(fs.len(), 1, "{:?}", w.recent);
    let a = &fs[0];
    assert_eq!(a.series, r#"filesystem_used_percent{mount="/"}"#);
    assert_eq!((a.host.as_str(), a.started_ms), ("web1", 1_200_000));
    assert!(a.ended_ms.is_some_and(|e| e > a.started_ms), "{a:?}");
    assert!(a.score >= 0.8 && a.why & POINT != 0 && (a.value - 70.0).abs() < 1.0);
    assert!((a.expected - 40.0).abs() < 1.0 && a.low < 40.0 && a.high > 40.0);
    // Its start and its end went to the store; nothing else of that series.
    let changed = w.take_changed();
    let mine: Vec<_> = changed.iter().filter(|c| c.series == a.series).collect();
    assert!(mine.len() >= 2 && mine.last().unwrap().ended_ms.is_some());
    assert!(w.take_changed().is_empty());
    // Sizes are not watched; the others are, with their forecasts.
    let mut total = metric("memory_total_bytes", &[], 8e9);
    assert!(w.get(series_key("web1", &total)).is_none());
    total.name = "cpu_busy_percent".into();
    let cpu = w.get(series_key("web1", &total)).expect("watched");
    assert!(cpu.detector.forecast_error().is_some());
}

#[test]
fn tunings_raise_the_line_leave_detectors_out_or_mute_a_metric() {
    let tuned = |t: Tuning| {
        let mut w = Watch::new(WatchSettings {
            score: 0.8,
            tunings: vec![t],
        });
        for i in 0..1500 {
            w.observe("db1", i as i64 * 1000, &sample(i, Some(1200)), true, true);
        }
        w.recent
            .iter()
            .filter(|a| a.series.starts_with("filesystem"))
            .count()
    };
    let base = Tuning {
        metric: "filesystem_*".into(),
        score: None,
        off: 0,
        ignore: false,
    };
    assert_eq!(tuned(base.clone()), 1);
    assert_eq!(
        tuned(Tuning {
            ignore: true,
            ..base.clone()
        }),
        0
    );
    assert_eq!(
        tuned(Tuning {
            score: Some(1.01),
            ..base.clone()
        }),
        0
    );
    // Without the members that see a spike, none is left to.
    let all_but_shift = crate::detect::member_names()
        .filter_map(crate::detect::member)
        .filter(|b| *b != SHIFT)
        .fold(0, |m, b| m | b);
    assert_eq!(
        tuned(Tuning {
            off: all_but_shift,
            ..base
        }),
        0
    );
}

#[test]
fn learning_the_past_records_nothing_and_a_host_mix_needs_cpu_and_memory() {
    let mut w = Watch::new(WatchSettings::default());
    for i in 0..1500 {
        w.observe("h", i as i64 * 1000, &sample(i, Some(1200)), false, true);
    }
    assert!(w.recent.is_empty() && w.take_changed().is_empty());
    assert!(w.mixes.contains_key("h"));
    let mut w = Watch::new(WatchSettings::default());
    w.observe("bare", 0, &[metric("load1", &[], 1.0)], true, true);
    assert!(w.mixes.is_empty());
    assert!(matches("network_*", "network_receive_bytes_per_second"));
    assert!(!matches("network_*", "cpu_busy_percent"));
}

#[test]
fn a_scraped_series_learns_once_per_scrape_not_from_each_sample_that_repeats_it() {
    let mut w = Watch::new(WatchSettings::default());
    let q = Metric {
        name: crate::model::Name::Owned("queue_depth".into()),
        labels: vec![],
        value: 1.0,
    };
    w.observe("h", 0, std::slice::from_ref(&q), true, false);
    assert!(w.get(series_key("h", &q)).is_none());
    w.observe("h", 1000, std::slice::from_ref(&q), true, true);
    assert!(w.get(series_key("h", &q)).is_some());
}

#[test]
fn a_hosts_scraped_series_past_the_first_thousand_are_not_watched() {
    let mut w = Watch::new(WatchSettings::default());
    let ms: Vec<Metric> = (0..SCRAPED_WATCHED + 5)
        .map(|i| Metric {
            name: crate::model::Name::Owned(format!("s{i}")),
            labels: vec![],
            value: 1.0,
        })
        .collect();
    w.observe("h", 0, &ms, true, true);
    w.observe("h", 1000, &ms, true, true);
    let watched = ms.iter().filter(|m| w.get(series_key("h", m)).is_some());
    assert_eq!(watched.count(), SCRAPED_WATCHED);
    assert!(w.get(series_key("h", &ms[0])).is_some());
}
