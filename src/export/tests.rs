use super::*;
use crate::model::{CpuTicks, FsUsage};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let samples: Vec<RawSample> = (0..5)
        .map(|i| RawSample {
            host: "web\"1".into(),
            ts_ms: 1_000 * (i + 1),
            cpu_total: CpuTicks {
                user: 10 * i as u64,
                idle: 90 * i as u64,
                ..Default::default()
            },
            load: [0.5, 0.25, 0.125],
            fs: vec![
                FsUsage {
                    mount: "/mnt/a,b".into(),
                    total: 100,
                    available: 40,
                },
                FsUsage {
                    mount: "/".into(),
                    total: 1000,
                    available: 400,
                },
            ],
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    (dir, w)
}

fn run(store: &Store, metric: Option<&str>, format: Format) -> String {
    let q = Query {
        from: 2_000,
        to: 4_000,
        host: None,
        metric: metric.map(Into::into),
        skip_corrupt: false,
    };
    let mut out = Vec::new();
    export(store, &q, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_quotes_and_rates_from_the_sample_before_the_range() {
    let (_d, s) = store();
    let out = run(&s, Some("cpu_busy*"), Format::Csv);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "time,host,metric,labels,value");
    // 2 s, 3 s, 4 s: the first has its rate from the sample at 1 s.
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(
        lines[1],
        "1970-01-01T00:00:02.000Z,\"web\"\"1\",cpu_busy_percent,,10"
    );
    let fs = run(&s, Some("filesystem_used_bytes"), Format::Csv);
    assert!(fs.contains(",\"mount=/mnt/a,b\",60"), "{fs}");
}

#[test]
fn json_lines() {
    let (_d, s) = store();
    let out = run(&s, Some("montui_load1"), Format::Json);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["metric"], "load1");
    assert_eq!(rows[0]["value"], 0.5);
    assert_eq!(rows[2]["time"], "1970-01-01T00:00:04.000Z");
}

#[test]
fn openmetrics_families_are_contiguous_and_end_with_eof() {
    let (_d, s) = store();
    let out = run(&s, None, Format::OpenMetrics);
    assert!(out.ends_with("# EOF\n"));
    assert!(out.contains("# TYPE montui_load1 gauge"));
    assert!(out.contains("montui_load1{host=\"web\\\"1\"} 0.5 2.000"));
    assert!(
        out.contains("montui_filesystem_used_bytes{host=\"web\\\"1\",mount=\"/mnt/a,b\"} 60 4.000")
    );
    // Each family's samples follow its TYPE line without another family in between.
    let mut seen = Vec::new();
    for l in out.lines().filter(|l| !l.starts_with('#')) {
        let fam = l.split('{').next().unwrap();
        if seen.last() != Some(&fam.to_string()) {
            assert!(!seen.contains(&fam.to_string()), "{fam} interleaved");
            seen.push(fam.to_string());
        }
    }
}

/// A real OpenMetrics parser (the Prometheus project's Python client, from Debian's
/// python3-prometheus-client) accepts the export: families and series each contiguous.
#[cfg_attr(
    montui_no_om_parser,
    ignore = "needs python3-prometheus-client (apt-get install python3-prometheus-client)"
)]
#[test]
fn a_real_openmetrics_parser_accepts_the_export() {
    use std::io::Write;
    let (_d, s) = store();
    let out = run(&s, None, Format::OpenMetrics);
    let script = "import sys\n\
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as p\n\
        fams = list(p(sys.stdin.read()))\n\
        print(len(fams), sum(len(f.samples) for f in fams))\n";
    let mut py = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (apt-get install python3-prometheus-client)");
    py.stdin.take().unwrap().write_all(out.as_bytes()).unwrap();
    let done = py.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{said}\n{out}");
    let rows = out.lines().filter(|l| !l.starts_with('#')).count();
    let parsed = String::from_utf8_lossy(&done.stdout);
    assert!(
        parsed.trim().ends_with(&format!(" {rows}")),
        "{parsed} vs {rows}"
    );
}

#[test]
fn unknown_host_is_a_clear_error() {
    let (_d, s) = store();
    let q = Query {
        from: 0,
        to: 1,
        host: Some("nope".into()),
        metric: None,
        skip_corrupt: false,
    };
    let e = export(&s, &q, Format::Csv, &mut Vec::new()).unwrap_err();
    assert!(e.to_string().contains("no host `nope`"));
}

#[test]
fn escape_sequences_in_recorded_labels_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Store::open_writer(&dir.path().join("h.db")).unwrap();
    let hostile = "/mnt/\x1b]52;c;aGk=\x07\x1b[2J\u{202e}x";
    let samples: Vec<RawSample> = (0..3)
        .map(|i| RawSample {
            host: "web".into(),
            ts_ms: 1_000 * (i + 1),
            fs: vec![FsUsage {
                mount: hostile.into(),
                total: 100,
                available: 40,
            }],
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    for format in [Format::Csv, Format::OpenMetrics] {
        let out = run(&w, Some("filesystem_used_bytes"), format);
        assert!(out.contains("/mnt/"), "{out}");
        for bad in ['\x1b', '\x07', '\u{202e}'] {
            assert!(!out.contains(bad), "{format:?}: {bad:?} in\n{out}");
        }
    }
}

#[test]
fn a_range_from_the_year_zero_costs_what_the_data_costs() {
    let (_d, s) = store();
    let q = Query {
        from: i64::MIN,
        to: i64::MAX,
        host: None,
        metric: Some("load1".into()),
        skip_corrupt: false,
    };
    let mut out = Vec::new();
    // Before, this stepped through every hour since the year zero (and never finished).
    let n = export(&s, &q, Format::Csv, &mut out).unwrap();
    assert_eq!(n, 5, "{}", String::from_utf8_lossy(&out));
}

#[test]
fn an_unreadable_block_is_an_error_unless_skipping_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let samples: Vec<RawSample> = (0..300)
        .map(|i| RawSample {
            host: "web".into(),
            ts_ms: 1_000 * (i + 1),
            load: [0.5, 0.25, 0.125],
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    w.pack(100).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE blocks SET data = substr(data, 1, 40) WHERE start_ms = 101000",
        [],
    )
    .unwrap();
    drop(c);
    let mut q = Query {
        from: i64::MIN,
        to: i64::MAX,
        host: None,
        metric: Some("load1".into()),
        skip_corrupt: false,
    };
    let e = export(&w, &q, Format::Csv, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(&e, ExportError::Corrupt(parts) if parts.len() == 1),
        "{e}"
    );
    assert!(e.to_string().contains("--skip-corrupt"), "{e}");
    q.skip_corrupt = true;
    let n = export(&w, &q, Format::Csv, &mut Vec::new()).unwrap();
    assert_eq!(n, 200, "the readable two thirds");
    assert_eq!(w.skipped().len(), 1, "still named for the caller to say");
}
