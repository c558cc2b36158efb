//! `[statsd]` through the real binary: 100,000 UDP packets on loopback, counted exactly,
//! timers' quantiles from the sketch, garbage counted and never fatal.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::notify::{recorder, stop, write};

/// The number a served counter `name` says, once it is there.
fn served(page: &str, name: &str) -> Option<f64> {
    (page.lines())
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn a_hundred_thousand_packets_are_counted_exactly_and_garbage_is_only_counted() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "interval = \"500ms\"\n[statsd]\nlisten = \"127.0.0.1:0\"\nflush = \"1s\"\n\
         [serve]\nlisten = \"127.0.0.1:0\"\n",
    );
    let child = recorder(dir.path(), &cfg, &[]);
    let log = dir.path().join("stderr.log");
    common::wait_log(&log, "StatsD on udp://", 1);
    common::wait_log(&log, "serving /metrics on http://", 1);
    let text = std::fs::read_to_string(&log).unwrap();
    let after = |what: &str| {
        let at = text.find(what).unwrap() + what.len();
        text[at..].split_whitespace().next().unwrap().to_string()
    };
    let udp = after("StatsD on udp://");
    let metrics = after("serving /metrics on ");
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let garbage: [&[u8]; 4] = [b"no colon", b"x:1|q", b"\xff\xfe:|", b"y:abc|c"];
    let mut sent_lines = 0u64;
    for i in 0..100_000u32 {
        // Paced, so the kernel's socket buffer never overflows on a loaded machine.
        if i % 500 == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
        let line = match i % 4 {
            0 | 1 => format!("e2e.hits:1|c|#route:/{}", i % 2),
            2 => format!("e2e.took:{}|ms", 1 + i % 1000),
            _ => "e2e.queue:+1|g".to_string(),
        };
        sock.send_to(line.as_bytes(), &udp).unwrap();
        sent_lines += 1;
    }
    for g in garbage {
        sock.send_to(g, &udp).unwrap();
    }
    // The listener took every line; the garbage is counted, nothing else.
    let t0 = Instant::now();
    let page = loop {
        let page = common::http::get(&metrics)
            .map(|(_, b)| b)
            .unwrap_or_default();
        let lines = served(&page, "montui_statsd_lines_total").unwrap_or(0.0);
        if lines >= (sent_lines + 4) as f64 {
            break page;
        }
        assert!(t0.elapsed() < common::WAIT, "lines taken: {lines}\n{page}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        served(&page, "montui_statsd_packets_total"),
        Some(100_004.0)
    );
    assert_eq!(served(&page, "montui_statsd_malformed_total"), Some(4.0));
    // A flush after the last line, then the totals from the history.
    std::thread::sleep(Duration::from_millis(2_500));
    stop(child);
    let store = montui::store::Store::open_reader(&dir.path().join("h.db")).unwrap();
    let host = montui::collect::LocalCollector::new(1)
        .map(|c| montui::collect::Collector::host(&c).to_string())
        .unwrap();
    let samples = store.samples(&host, i64::MIN, i64::MAX).unwrap();
    let last = samples.last().expect("samples");
    let total = |name: &str, label: Option<(&str, &str)>| -> f64 {
        (last.series.iter())
            .filter(|s| s.name == name)
            .filter(|s| label.is_none_or(|(k, v)| s.labels.contains(&(k.into(), v.into()))))
            .map(|s| s.value)
            .sum()
    };
    assert_eq!(total("e2e_hits_total", Some(("route", "/0"))), 25_000.0);
    assert_eq!(total("e2e_hits_total", Some(("route", "/1"))), 25_000.0);
    assert_eq!(total("e2e_took_count", None), 25_000.0);
    assert_eq!(total("e2e_queue", None), 25_000.0);
    // Timers' quantiles, of the last interval that had any, within the sketch's 1 % of a
    // value between 1 and 1000 ms.
    let took = samples
        .iter()
        .rev()
        .flat_map(|s| s.series.iter())
        .find(|s| s.name == "e2e_took" && s.labels.contains(&("quantile".into(), "0.99".into())))
        .expect("a p99");
    assert!((1.0..=1010.0).contains(&took.value), "{took:?}");
}
