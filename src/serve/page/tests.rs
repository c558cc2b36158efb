use super::*;

use crate::alert::lifecycle::Alert;
use crate::model::{CpuTicks, FsUsage, RawSample, derive};

fn snapshot(host: &str) -> Snapshot {
    let raw = |ts_ms, busy, idle| RawSample {
        host: host.into(),
        ts_ms,
        cpu_total: CpuTicks {
            user: busy,
            idle,
            ..Default::default()
        },
        fs: vec![FsUsage {
            mount: "/mnt/\"odd\"\nname".into(),
            total: 1000,
            available: 400,
        }],
        ..Default::default()
    };
    derive(&raw(2_000, 100, 200), Some(&raw(1_000, 0, 100)))
}

fn served() -> Exposed {
    let x = Exposed::default();
    x.sample(&snapshot("web-1"));
    x.sample(&snapshot("db-1"));
    x.down("db-1");
    let mut pending = Alert::firing("disk_full", &[("host", "web-1"), ("mount.point", "/")]);
    pending.phase = Phase::Pending;
    let mut resolved = Alert::firing("cpu_high", &[("host", "web-1")]);
    resolved.phase = Phase::Resolved;
    let board = Board::new(
        vec![
            Alert::firing("host_down", &[("host", "db-1")]),
            pending,
            resolved,
        ],
        vec![],
        &[],
    );
    x.alerts(&board);
    x
}

fn page_of(format: Format) -> String {
    let stats = EngineStats::default();
    stats.collected.store(12, Ordering::Relaxed);
    let health = Health {
        stats: &stats,
        store_bytes: Some(4096),
        statsd: None,
    };
    page(&served(), &health, format)
}

#[test]
fn hosts_figures_alerts_and_health_are_on_the_page() {
    let text = page_of(Format::OpenMetrics);
    for want in [
        "# TYPE montui_up gauge\n",
        "montui_up{host=\"db-1\"} 0\n",
        "montui_up{host=\"web-1\"} 1\n",
        "montui_cpu_busy_percent{host=\"web-1\"} 50\n",
        "montui_filesystem_used_percent{host=\"web-1\",mount=\"/mnt/\\\"odd\\\"\\nname\"} 60\n",
        "ALERTS{alertname=\"host_down\",alertstate=\"firing\",severity=\"warning\",host=\"db-1\"} 1\n",
        "ALERTS{alertname=\"disk_full\",alertstate=\"pending\",severity=\"warning\",host=\"web-1\",mount_point=\"/\"} 1\n",
        "# TYPE montui_samples_collected counter\nmontui_samples_collected_total 12\n",
        "montui_store_bytes 4096\n",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
    // A host that does not answer has no figures, a resolved alert no series.
    assert!(
        !text.contains("montui_cpu_busy_percent{host=\"db-1\"}"),
        "{text}"
    );
    assert!(!text.contains("cpu_high"), "{text}");
    assert!(text.ends_with("# EOF\n"));
}

#[test]
fn the_text_format_names_counters_by_their_samples_and_has_no_eof() {
    let text = page_of(Format::Text);
    assert!(text.contains(
        "# TYPE montui_samples_collected_total counter\nmontui_samples_collected_total 12\n"
    ));
    assert!(!text.contains("# EOF"));
    assert_eq!(
        Format::of_accept("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
        Format::OpenMetrics
    );
    assert_eq!(Format::of_accept("*/*"), Format::Text);
}

#[test]
fn the_page_reads_back_with_montuis_parser_in_both_formats() {
    for format in [Format::OpenMetrics, Format::Text] {
        let text = page_of(format);
        let page =
            crate::prom::expo::parse(&text, format).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(page.samples.iter().any(|s| s.name == "ALERTS"));
    }
}

#[test]
fn odd_values_and_label_names_are_written_as_prometheus_reads_them() {
    assert_eq!(number(f64::NAN), "NaN");
    assert_eq!(number(f64::INFINITY), "+Inf");
    assert_eq!(number(f64::NEG_INFINITY), "-Inf");
    assert_eq!(number(0.25), "0.25");
    assert_eq!(label_name("mount.point"), "mount_point");
    assert_eq!(label_name("9lives"), "_9lives");
    assert_eq!(label_name(""), "_");
}
