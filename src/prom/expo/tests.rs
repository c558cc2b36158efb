use super::*;

fn labels(s: &Sample) -> Vec<(&str, &str)> {
    s.labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn a_text_page_gives_samples_kinds_and_help() {
    let page = parse(
        "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n\
         # TYPE node_cpu_seconds_total counter\n\
         node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1.5e+06\n\
         node_cpu_seconds_total{cpu=\"0\",mode=\"user\",} 42 1700000000123\n\
         # a comment\n\
         \n\
         up 1\n",
        Format::Text,
    )
    .expect("parses");
    assert_eq!(page.samples.len(), 3);
    let s = &page.samples[0];
    assert_eq!(
        (s.name.as_str(), labels(s), s.value, s.ts_ms),
        (
            "node_cpu_seconds_total",
            vec![("cpu", "0"), ("mode", "idle")],
            1.5e6,
            None
        )
    );
    assert_eq!(page.samples[1].ts_ms, Some(1_700_000_000_123));
    assert_eq!(page.kind_of("node_cpu_seconds_total"), Kind::Counter);
    assert_eq!(page.kind_of("up"), Kind::Unknown);
    assert_eq!(
        page.help["node_cpu_seconds_total"],
        "Seconds the CPUs spent in each mode."
    );
}

#[test]
fn escapes_special_values_and_line_ends() {
    let page = parse(
        "# HELP x a \\\\ and a\\nnew line\r\n\
         x{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\\nbye\",odd=\"\\q\",u=\"µs } , = #\"} NaN\r\n\
         y +Inf\n\
         z -Inf\n\
         w -0.5e-3\n",
        Format::Text,
    )
    .expect("parses");
    assert_eq!(page.help["x"], "a \\ and a\nnew line");
    assert_eq!(
        labels(&page.samples[0]),
        [
            ("path", "C:\\dir"),
            ("msg", "say \"hi\"\nbye"),
            ("odd", "\\q"),
            ("u", "µs } , = #")
        ]
    );
    let v: Vec<f64> = page.samples.iter().map(|s| s.value).collect();
    assert!(v[0].is_nan());
    assert_eq!(&v[1..], [f64::INFINITY, f64::NEG_INFINITY, -0.0005]);
}

#[test]
fn openmetrics_has_exemplars_second_timestamps_units_and_ends_with_eof() {
    let text = "# TYPE rpc_duration_seconds histogram\n\
                # UNIT rpc_duration_seconds seconds\n\
                rpc_duration_seconds_bucket{le=\"0.5\"} 12 # {trace_id=\"abc # def\"} 0.31 1700000000.5\n\
                rpc_duration_seconds_bucket{le=\"+Inf\"} 20\n\
                rpc_duration_seconds_count 20 1700000001.25\n\
                rpc_duration_seconds_sum 7.5\n\
                # EOF\n";
    let page = parse(text, Format::OpenMetrics).expect("parses");
    assert_eq!(page.samples.len(), 4);
    assert_eq!(page.samples[0].value, 12.0);
    assert_eq!(
        page.samples[0].ts_ms, None,
        "the exemplar's time is not the sample's"
    );
    assert_eq!(page.samples[2].ts_ms, Some(1_700_000_001_250));
    assert_eq!(page.kind_of("rpc_duration_seconds_bucket"), Kind::Histogram);
    let no_eof = text.replace("# EOF\n", "");
    assert!(parse(&no_eof, Format::OpenMetrics).is_err());
    let after = format!("{text}up 1\n");
    assert_eq!(
        parse(&after, Format::OpenMetrics).map(|_| ()),
        Err(ParseError {
            line: 8,
            what: "text after # EOF".into()
        })
    );
    assert_eq!(
        Format::of_content_type("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        Format::OpenMetrics
    );
    assert_eq!(
        Format::of_content_type("text/plain; version=0.0.4"),
        Format::Text
    );
}

#[test]
fn errors_name_the_line_and_what_is_wrong() {
    let bad = [
        ("up 1\n9up 1\n", 2, "no metric name"),
        ("up{a=\"1\" 2\n", 1, "separated"),
        ("up{a=\"1} 2\n", 1, "closing quote"),
        ("up{a=1} 2\n", 1, "in quotes"),
        ("up{a=\"1\",a=\"2\"} 2\n", 1, "twice"),
        ("up{1a=\"1\"} 2\n", 1, "no label name"),
        ("up\n", 1, "no value"),
        ("up one\n", 1, "no number"),
        ("up 1 2 3\n", 1, "after the timestamp"),
        ("up 1 1.5\n", 1, "no timestamp"),
        ("# TYPE up gauges\n", 1, "unknown type"),
        ("up{a=\"x\\\"} 1\n", 1, "closing quote"),
    ];
    for (text, line, what) in bad {
        let e = parse(text, Format::Text).expect_err(text);
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.what.contains(what), "{text:?}: {e}");
    }
}

/// A small deterministic generator (xorshift64).
fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn any_input_gives_samples_or_an_error_never_a_panic() {
    let valid = "# HELP a_total h\\n\n# TYPE a_total counter\na_total{x=\"1\\\"\",y=\"é\"} 3 17\nb NaN\n# EOF\n";
    // Every prefix, and every single-byte change, of a valid page.
    for format in [Format::Text, Format::OpenMetrics] {
        for end in 0..=valid.len() {
            if let Some(p) = valid.get(..end) {
                let _ = parse(p, format);
            }
        }
        let bytes = valid.as_bytes();
        for i in 0..bytes.len() {
            for b in [b'"', b'\\', b'{', b'}', b'=', b',', b' ', b'#', b'\n', 0xff] {
                let mut v = bytes.to_vec();
                v[i] = b;
                let _ = parse(&String::from_utf8_lossy(&v), format);
            }
        }
    }
    // Random text from the characters that matter.
    let alphabet = "ab_:{}=\",\\# \t\n\r01.eE+-InfNa\u{e9}\u{1b}";
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..20_000 {
        let len = (next(&mut x) % 64) as usize;
        let s: String = (0..len)
            .map(|_| chars[(next(&mut x) % chars.len() as u64) as usize])
            .collect();
        let _ = parse(&s, Format::Text);
        let _ = parse(&s, Format::OpenMetrics);
    }
}

/// The Prometheus project's Python client (Debian's python3-prometheus-client) reads the same
/// pages into the same samples: its text parser, and its OpenMetrics parser.
#[cfg_attr(
    montui_no_om_parser,
    ignore = "needs python3-prometheus-client (apt-get install python3-prometheus-client)"
)]
#[test]
fn the_prometheus_python_client_reads_the_same_samples() {
    use std::collections::BTreeMap;
    use std::io::Write;
    let text = "# HELP http_requests_total Requests, by \\\\ and \\n.\n\
        # TYPE http_requests_total counter\n\
        http_requests_total{method=\"post\",code=\"200\",path=\"/a \\\"b\\\" \\\\ c\\nd } , =\"} 1027 1395066363000\n\
        http_requests_total{method=\"get\",code=\"400\",} 3\n\
        # TYPE temp gauge\n\
        temp{room=\"µ\"} -1.5e-3\n\
        temp{room=\"inf\"} +Inf\n\
        temp{room=\"nan\"} NaN\n\
        process_start_time_seconds 1.7e+09\n";
    let om = "# TYPE rpc_seconds histogram\n\
        rpc_seconds_bucket{le=\"0.5\"} 12 # {trace_id=\"a\"} 0.31 1700000000.5\n\
        rpc_seconds_bucket{le=\"+Inf\"} 20\n\
        rpc_seconds_count 20\n\
        rpc_seconds_sum 7.5\n\
        # TYPE g gauge\n\
        g 1 1700000001.25\n\
        # EOF\n";
    let script = "import sys, json\n\
        from prometheus_client.parser import text_string_to_metric_families as text\n\
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as om\n\
        page = sys.stdin.read()\n\
        fams = om(page) if sys.argv[1] == 'om' else text(page)\n\
        for f in fams:\n\
        \x20   for s in f.samples:\n\
        \x20       ts = None if s.timestamp is None else round(float(s.timestamp) * 1000)\n\
        \x20       print(json.dumps([s.name, dict(s.labels), repr(float(s.value)), ts]))\n";
    type Row = (String, BTreeMap<String, String>, String, Option<i64>);
    for (page, format, arg) in [
        (text, Format::Text, "text"),
        (om, Format::OpenMetrics, "om"),
    ] {
        let mut py = std::process::Command::new("/usr/bin/python3")
            .args(["-c", script, arg])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        py.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let done = py.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let mut theirs: Vec<Row> = String::from_utf8_lossy(&done.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a row"))
            .collect();
        let python_float = |v: f64| match v {
            v if v.is_nan() => "nan".to_string(),
            f64::INFINITY => "inf".into(),
            f64::NEG_INFINITY => "-inf".into(),
            v => format!("{v:?}"),
        };
        let mut ours: Vec<Row> = (parse(page, format).expect("parses").samples.iter())
            .map(|s| {
                let labels = s.labels.iter().cloned().collect();
                (s.name.clone(), labels, python_float(s.value), s.ts_ms)
            })
            .collect();
        // Python writes 1.7e+09 as 1700000000.0 and Rust as 1700000000.0 too; the order of
        // families may differ.
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs);
    }
}
