use super::*;
use crate::prom::expo::{Format, parse};

fn target(max_series: usize) -> ScrapeTarget {
    ScrapeTarget {
        url: "http://127.0.0.1:8080/metrics".into(),
        every: Duration::from_secs(15),
        labels: vec![("job".into(), "app".into()), ("code".into(), "lost".into())],
        host: None,
        max_series,
    }
}

const PAGE: &str = "# TYPE http_requests counter
http_requests_total{code=\"200\"} 100
http_requests_created{code=\"200\"} 1.7e9
# TYPE queue_depth gauge
queue_depth 3
# TYPE latency_seconds histogram
latency_seconds_bucket{le=\"0.1\"} 4
latency_seconds_bucket{le=\"+Inf\"} 5
latency_seconds_sum 0.3
latency_seconds_count 5
# TYPE up gauge
up 1
odd_total NaN
# EOF
";

#[test]
fn a_page_becomes_series_with_counters_paired_to_their_last_observation() {
    let page = parse(PAGE, Format::OpenMetrics).unwrap();
    let mut taken = Taken::default();
    let (first, cut) = taken.series(&page, &target(100), 1_000);
    assert_eq!(cut, None);
    let names: Vec<&str> = first.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "http_requests_total",
            "queue_depth",
            "latency_seconds_bucket",
            "latency_seconds_bucket",
            "latency_seconds_sum",
            "latency_seconds_count",
            "scraped_up",
            "scrape_up"
        ]
    );
    let req = &first[0];
    assert!(req.counter && req.prev.is_none());
    // The series' own label wins over the target's; labels sorted.
    assert_eq!(
        req.labels,
        [
            ("code".to_string(), "200".to_string()),
            ("job".to_string(), "app".to_string())
        ]
    );
    assert!(!first[1].counter && first[2].counter && first[4].counter);
    let text = PAGE.replace("} 100", "} 160");
    let page = parse(&text, Format::OpenMetrics).unwrap();
    let (second, _) = taken.series(&page, &target(100), 16_000);
    assert_eq!(second[0].prev, Some((1_000, 100.0)));
    let rate = second[0].derive().unwrap();
    assert_eq!(
        (rate.name.as_ref(), rate.value),
        ("http_requests_per_second", 4.0)
    );
    let up = second.last().unwrap();
    assert_eq!((up.name.as_str(), up.value), ("scrape_up", 1.0));
}

#[test]
fn a_target_past_its_cap_is_cut_and_said() {
    let text: String = (0..50).map(|i| format!("g{i} {i}\n")).collect();
    let page = parse(&text, Format::Text).unwrap();
    let (series, cut) = Taken::default().series(&page, &target(10), 0);
    assert_eq!(series.len(), 11, "ten and scrape_up");
    let cut = cut.unwrap();
    assert!(
        cut.contains("50 series scraped, the first 10 kept"),
        "{cut}"
    );
}
