//! `montui report` on a history made here with known content: three hosts, a week at 1 s
//! (and the hour before, for the first rates), an outage, a file system filling linearly,
//! alerts acknowledged and resolved after known delays, a new error pattern. Every number in
//! the JSON report is checked against what was written. The history is made once and kept
//! in cargo's target directory (its name says what it holds).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use montui::alert::lifecycle::{Alert, Event, EventKind, Severity};
use montui::logs::saved::{PatternSaves, SavedPattern};
use montui::model::{CpuTicks, FsUsage, MemRaw, RawSample};
use montui::store::{BLOCK_SAMPLES, Outcome, Store};

const STEP: i64 = 1_000;
const DAY: i64 = 86_400_000;
const WEEK: i64 = 7 * DAY;
const HOSTS: [&str; 3] = ["web", "db", "cache"];
const GB: u64 = 1 << 30;
/// 2026-11-30 00:00 UTC: the reports run in UTC.
const FROM: i64 = 1_795_996_800_000;

/// CPU busy ticks of a second at `t` (ms into the week): 10 % in the mornings, 50 % after
/// noon.
fn busy(t: i64) -> u64 {
    if t.rem_euclid(DAY) < 12 * 3_600_000 {
        10
    } else {
        50
    }
}

/// `/data` used share at `t`: 40 % at the start of the week to 50 % at its end, linearly.
fn data_used(t: i64) -> f64 {
    0.4 + 0.1 * t.max(0) as f64 / WEEK as f64
}

/// `/data` used percent as recorded at `t` (bytes are whole).
fn data_percent(t: i64) -> f64 {
    let total = 100 * GB;
    let used = (data_used(t) * total as f64) as u64;
    used as f64 / total as f64 * 100.0
}

/// A sample of `host` at `t`: memory 40 % used, `/data` `used` (a share) of 100 GB.
fn sample(host: &str, t: i64, used: f64) -> RawSample {
    let total = 100 * GB;
    RawSample {
        host: host.into(),
        ts_ms: t,
        mem: MemRaw {
            total: 10 * GB,
            available: 6 * GB,
            ..Default::default()
        },
        fs: vec![FsUsage {
            mount: "/data".into(),
            total,
            available: total - (used * total as f64) as u64,
        }],
        ..Default::default()
    }
}

/// The host's samples from an hour before the week to its end, an hour at a time.
fn samples(host: &str, from: i64, mut put: impl FnMut(&[RawSample])) {
    let mut ticks = CpuTicks::default();
    let mut out = Vec::with_capacity(BLOCK_SAMPLES);
    let mut t = -3_600_000;
    while t < WEEK {
        // 100 ticks a second (one core); the busy ones as user time.
        let b = busy(t.max(0));
        ticks.user += b;
        ticks.idle += 100 - b;
        out.push(RawSample {
            cpu_total: ticks,
            ..sample(host, from + t, data_used(t))
        });
        if out.len() == BLOCK_SAMPLES {
            put(&out);
            out.clear();
        }
        t += STEP;
    }
    put(&out);
}

fn alert(rule: &str, host: &str, events: &[(i64, EventKind)], note: Option<&str>) -> Alert {
    let mut a = Alert::firing(rule, &[("host", host)]);
    a.severity = Severity::Critical;
    a.note = note.map(String::from);
    a.events = (events.iter())
        .map(|(at, kind)| Event {
            at: *at,
            kind: kind.clone(),
            value: 1.0,
        })
        .collect();
    a
}

/// The week's history, made once (a copy for each test, which may open it as it likes).
fn week_history(dir: &Path) -> PathBuf {
    static MADE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| {
        let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-week-1s-v1.db");
        if !kept.exists() {
            let part = kept.with_extension("part");
            let _ = std::fs::remove_file(&part);
            make_week(&part);
            std::fs::rename(&part, &kept).unwrap();
        }
        kept
    });
    let db = dir.join("h.db");
    std::fs::copy(made, &db).unwrap();
    db
}

fn make_week(db: &Path) {
    let (from, h, m) = (FROM, 3_600_000, 60_000);
    let mut store = Store::open_writer(db).unwrap();
    for host in HOSTS {
        samples(host, from, |chunk| {
            store.insert(chunk).unwrap();
            store.pack(BLOCK_SAMPLES).unwrap();
        });
    }
    use EventKind::*;
    let acked = || Acked { by: "ann".into() };
    // db: down from 10:00 (pending; firing a minute later) to 10:30.
    let down = alert(
        "host_down",
        "db",
        &[
            (from + 10 * h, Pending),
            (from + 10 * h + m, Firing),
            (from + 10 * h + 30 * m, Resolved),
        ],
        Some("ssh: connection refused"),
    );
    // web: cpu_high twice, acked after 5 and 2 minutes, resolved after 30 and 20.
    let cpu = alert(
        "cpu_high",
        "web",
        &[
            (from + 12 * h + 5 * m, Firing),
            (from + 12 * h + 10 * m, acked()),
            (from + 12 * h + 35 * m, Resolved),
            (from + 14 * h, Firing),
            (from + 14 * h + 2 * m, acked()),
            (from + 14 * h + 20 * m, Resolved),
        ],
        None,
    );
    store.save_alert(&down).unwrap();
    store.save_alert(&cpu).unwrap();
    // A new error pattern at 09:00, 40 lines in two minutes; an old one, quieter than before.
    let pattern = |uid, template: &str, first_ms, error| SavedPattern {
        uid,
        source: "/var/log/app.log".into(),
        template: template.into(),
        count: 40,
        first_ms,
        last_ms: first_ms + m,
        levels: [0, 0, 0, 0, 0, error, 0],
        examples: vec![],
    };
    store
        .save_patterns(&PatternSaves {
            patterns: vec![
                pattern(1, "disk <*> failed", from + 9 * h, 40),
                pattern(2, "GET <*> 200", from - 2 * h, 0),
            ],
            rates: vec![
                (1, from + 9 * h, 30),
                (1, from + 9 * h + m, 10),
                (2, from - 2 * h, 500),
                (2, from + 2 * h, 100),
            ],
            merged: vec![],
        })
        .unwrap();
    // Notices of the day: two mailed, one to a webhook given up on; one of the day before.
    let items = |r: &str| vec![(r.to_string(), "{}".to_string())];
    store.enqueue("n0", &items("mail"), from - h).unwrap();
    store
        .enqueue("n1", &items("mail"), from + 12 * h + 5 * m)
        .unwrap();
    store.enqueue("n2", &items("mail"), from + 14 * h).unwrap();
    store.enqueue("n2", &items("hook"), from + 14 * h).unwrap();
    let done = |r: &str| store.due(r, i64::MAX, 10).unwrap();
    let mut outcomes: Vec<(i64, Outcome, i64)> = (done("mail").iter())
        .map(|p| (p.id, Outcome::Delivered, p.created_ms))
        .collect();
    outcomes.extend(done("hook").iter().map(|p| {
        let dead = Outcome::Dead {
            error: "HTTP 404".into(),
        };
        (p.id, dead, p.created_ms)
    }));
    store.record(&outcomes).unwrap();
}

/// `montui report` on `db` with `args`, in UTC: its output (which must succeed).
fn report(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_montui"))
        .arg("report")
        .args(args)
        .arg("--db")
        .arg(db)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_weeks_report_says_exactly_what_the_history_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = week_history(dir.path());
    let (from, h, m) = (FROM, 3_600_000, 60_000);
    let to = from + WEEK;

    let out = report(
        &db,
        &["--period", "week", "--at", "2026-12-02", "--format", "json"],
    );
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        (r["from_ms"].as_i64(), r["to_ms"].as_i64()),
        (Some(from), Some(to))
    );
    let host = |name: &str| {
        (r["hosts"].as_array().unwrap().iter())
            .find(|x| x["host"] == name)
            .unwrap_or_else(|| panic!("{name} in {r}"))
            .clone()
    };
    let res = |h: &serde_json::Value, series: &str| {
        (h["resources"].as_array().unwrap().iter())
            .find(|x| x["series"] == series)
            .unwrap_or_else(|| panic!("{series} in {h}"))
            .clone()
    };
    for name in HOSTS {
        let h = host(name);
        assert_eq!(h["availability"]["recorded_ratio"], 1.0, "{name}");
        // A 5 minutes' CPU is a morning's 10 % or an afternoon's 50 %: 1,008 of each.
        let cpu = res(&h, "cpu_busy_percent");
        assert_eq!(
            (
                cpu["avg"].as_f64(),
                cpu["p95"].as_f64(),
                cpu["max"].as_f64()
            ),
            (Some(30.0), Some(50.0), Some(50.0))
        );
        let mem = res(&h, "memory_used_percent");
        assert_eq!(
            (mem["avg"].as_f64(), mem["max"].as_f64()),
            (Some(40.0), Some(40.0))
        );
        // /data: each 5 minutes' mean of its 300 samples, then their mean, p95 and max.
        let buckets: Vec<f64> = (0..2016)
            .map(|k| {
                (0..300)
                    .map(|i| data_percent(k * 5 * m + i * STEP))
                    .sum::<f64>()
                    / 300.0
            })
            .collect();
        let fs = res(&h, "filesystem_used_percent{mount=\"/data\"}");
        let mean = buckets.iter().sum::<f64>() / 2016.0;
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(fs["avg"].as_f64().unwrap(), mean), "{fs} {mean}");
        assert!(close(fs["p95"].as_f64().unwrap(), buckets[1915]), "{fs}");
        assert!(close(fs["max"].as_f64().unwrap(), buckets[2015]), "{fs}");
        // It reaches 90 % five weeks after the week began and 100 % six: within the band.
        let full = (h["capacity"].as_array().unwrap().iter())
            .find(|c| c["series"] == "filesystem_used_percent{mount=\"/data\"}")
            .unwrap_or_else(|| panic!("{h}"))
            .clone();
        for (weeks, key) in [(5, "full_90"), (6, "full_100")] {
            let truth = from + weeks * WEEK;
            let e = &full[key];
            let early = e["earliest_ms"].as_i64().unwrap_or(i64::MAX);
            let hour = 3_600_000;
            let within =
                early - hour <= truth && e["latest_ms"].as_i64().is_none_or(|l| truth <= l + hour);
            assert!(within, "{name} {key}: {e}, truth {truth}");
        }
        assert!(
            (full["growth_per_week"].as_f64().unwrap() - 10.0).abs() < 0.01,
            "{full}"
        );
    }
    let db_host = host("db");
    let a = &db_host["availability"];
    assert_eq!(a["down_ms"], 30 * m);
    // As written (serde_json reads floats to within an ulp).
    let up = 1.0 - (30 * m) as f64 / WEEK as f64;
    assert!((a["up_ratio"].as_f64().unwrap() - up).abs() < 1e-15, "{a}");
    assert_eq!(a["outages"][0]["start_ms"], from + 10 * h);
    assert_eq!(a["outages"][0]["reason"], "ssh: connection refused");
    let web = host("web")["alerts"].clone();
    assert_eq!(
        (
            web["fired"].as_u64(),
            web["acked"].as_u64(),
            web["resolved"].as_u64()
        ),
        (Some(2), Some(2), Some(2))
    );
    assert_eq!(web["mtta_ms"], (5 * m + 2 * m) / 2);
    assert_eq!(web["mttr_ms"], (30 * m + 20 * m) / 2);
    assert_eq!(web["firing_ms"], 50 * m);
    assert_eq!(web["rules"][0]["flaps"], 1);
    // A week before anything was recorded names no host (unless asked for by name).
    let before: serde_json::Value = serde_json::from_slice(&report(
        &db,
        &["--period", "week", "--at", "2026-11-16", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(before["hosts"], serde_json::json!([]));
    // The fields README documents, no more and no fewer.
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&r),
        [
            "bucket_ms",
            "first_day",
            "fleet",
            "from_ms",
            "hosts",
            "period",
            "to_ms"
        ]
    );
    assert_eq!(
        keys(&host("web")),
        [
            "alerts",
            "anomalies",
            "availability",
            "capacity",
            "host",
            "resources"
        ]
    );
    assert_eq!(
        keys(&r["fleet"]),
        [
            "alerts",
            "capacity",
            "hosts",
            "new_error_patterns",
            "notices",
            "pattern_changes",
            "up_ratio"
        ]
    );
    let fleet = &r["fleet"];
    let notices = serde_json::json!([
        {"receiver": "hook", "delivered": 0, "dead": 1},
        {"receiver": "mail", "delivered": 2, "dead": 0}
    ]);
    assert_eq!(fleet["notices"], notices);
    assert_eq!(fleet["alerts"]["fired"], 3);
    assert_eq!(fleet["alerts"]["by_severity"]["critical"], 3);
    assert_eq!(
        fleet["new_error_patterns"][0]["template"],
        "disk <*> failed"
    );
    assert_eq!(fleet["new_error_patterns"][0]["lines"], 40);
    let changed = &fleet["pattern_changes"];
    assert_eq!(
        (
            changed[0]["template"].as_str(),
            changed[0]["lines"].as_u64(),
            changed[0]["prev_lines"].as_u64()
        ),
        (Some("GET <*> 200"), Some(100), Some(500))
    );
}

/// A file system filling linearly for a week, sampled each minute: the report's 90 % and
/// 100 % dates hold the line's own dates within their bands, and its growth per week is the
/// line's.
#[test]
fn a_filling_file_system_has_its_full_dates_within_the_band() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    // The week of Monday 2026-11-30.
    let (start, end) = (FROM, FROM + 7 * 86_400_000);
    // 40 % at the start to 50 % at the end: 10 points a week, 90 % 4 weeks after the end;
    // each minute up to half a point off the line (files come and go).
    let jitter = |t: i64| ((t / 60_000).wrapping_mul(2_654_435_761) % 1000) as f64 / 1000.0 - 0.5;
    let used = |t: i64| 0.4 + 0.1 * (t - start) as f64 / (end - start) as f64 + jitter(t) / 100.0;
    let samples: Vec<RawSample> = (start..end)
        .step_by(60_000)
        .map(|t| sample("nas", t, used(t)))
        .collect();
    let mut store = Store::open_writer(&db).unwrap();
    store.insert(&samples).unwrap();
    store.pack(BLOCK_SAMPLES).unwrap();
    drop(store);
    let out = report(
        &db,
        &["--period", "week", "--at", "2026-11-30", "--format", "json"],
    );
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = r["fleet"]["capacity"].as_array().unwrap();
    let fs = (rows.iter())
        .find(|c| c["series"] == "filesystem_used_percent{mount=\"/data\"}")
        .unwrap_or_else(|| panic!("{r}"));
    let week = (end - start) as f64;
    assert!(
        (fs["growth_per_week"].as_f64().unwrap() - 10.0).abs() < 0.01,
        "{fs}"
    );
    for (line, key) in [(0.9, "full_90"), (1.0, "full_100")] {
        let truth = start + ((line - 0.4) / 0.1 * week) as i64;
        let e = &fs[key];
        let (early, late) = (e["earliest_ms"].as_i64().unwrap(), e["latest_ms"].as_i64());
        // Forecasts step by the hour.
        let hour = 3_600_000;
        let within = early - hour <= truth && late.is_none_or(|l| truth <= l + hour);
        assert!(within, "{key}: {e}, truth {truth}");
        let likely = e["at_ms"].as_i64().unwrap();
        let off = (likely - truth).abs() as f64 / (truth - end) as f64;
        assert!(off < 0.1, "{key}: {e}, truth {truth}, {off:.3} off");
    }
    // Memory stays at 40 %: no date.
    let mem = (rows.iter())
        .find(|c| c["series"] == "memory_used_percent")
        .unwrap();
    assert!(mem["full_90"].is_null(), "{mem}");
}

/// The same day as Markdown, for chat and wikis: as it reads.
#[test]
fn a_days_report_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = week_history(dir.path());
    let md = report(&db, &["--period", "day", "--at", "2026-11-30"]);
    insta::assert_snapshot!(String::from_utf8(md).unwrap());
}

/// The same day as one HTML file: valid for `tidy`, and drawn by headless Chromium into a
/// picture that is not blank (the charts and tables are there).
#[cfg_attr(montui_no_tidy, ignore = "needs tidy (apt-get install tidy)")]
#[cfg_attr(
    montui_no_chromium,
    ignore = "needs chromium-headless-shell (apt-get install chromium-headless-shell)"
)]
#[test]
fn a_days_report_in_html_is_valid_self_contained_and_draws() {
    let dir = tempfile::tempdir().unwrap();
    let db = week_history(dir.path());
    let page = dir.path().join("day.html");
    let out = page.to_str().unwrap();
    report(
        &db,
        &[
            "--period",
            "day",
            "--at",
            "2026-11-30",
            "--format",
            "html",
            "--out",
            out,
        ],
    );
    let html = std::fs::read_to_string(&page).unwrap();
    for outside in ["<script", "src=", "href=", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "{outside} in a self-contained page"
        );
    }
    assert!(html.matches("<svg").count() >= 6, "two charts a host");
    let tidy = Command::new(common::need("tidy"))
        .args(["-errors", "-quiet"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        tidy.status.success(),
        "tidy: {}",
        String::from_utf8_lossy(&tidy.stderr)
    );
    let png = dir.path().join("day.png");
    let shot = Command::new(common::need("chromium-headless-shell"))
        .args([
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--window-size=800,1400",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        png.is_file(),
        "no picture: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let inked = buf[..info.buffer_size()]
        .chunks(px)
        .filter(|p| p.iter().take(3).any(|c| *c < 200))
        .count();
    let share = inked as f64 / (info.width * info.height) as f64;
    assert!(share > 0.01, "{:.4} of the picture drawn", share);
}

/// `[[reports]]`: montui recording headless makes yesterday's report at its start (as one
/// missed while it was down), into `$XDG_DATA_HOME/montui/reports/`.
#[test]
fn a_scheduled_report_missed_while_down_is_made_at_the_start() {
    use montui::report::Period;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let now = chrono::Utc::now().timestamp_millis();
    let yesterday = Period::Day.span(None, now).unwrap();
    let mut store = Store::open_writer(&db).unwrap();
    let day: Vec<RawSample> = (yesterday.from..yesterday.to)
        .step_by(60_000)
        .map(|t| sample("web", t, 0.5))
        .collect();
    store.insert(&day).unwrap();
    drop(store);
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        "[[reports]]\nname = \"daily\"\nperiod = \"day\"\nat = \"00:00\"\nhosts = [\"web\"]\n",
    )
    .unwrap();
    let child = common::notify::recorder(dir.path(), &cfg, &[]);
    let file = dir.path().join(format!(
        "data/montui/reports/daily-{}.html",
        yesterday.first_day
    ));
    let t0 = std::time::Instant::now();
    while !file.exists() && t0.elapsed() < common::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    common::notify::stop(child);
    let html = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(
        html.contains("<h2>web</h2>") && html.ends_with("</html>\n"),
        "{html}"
    );
}

/// `montui report | head`: the reader leaving early is no error.
#[test]
fn a_reader_that_leaves_early_is_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = week_history(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_montui"))
        .args(["report", "--period", "week", "--at", "2026-11-30", "--db"])
        .arg(&db)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.is_empty(), "{said}");
}
