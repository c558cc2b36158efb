//! Every pane, the whole screen and the help overlay drawn into ratatui's TestBackend at
//! 120×40, 80×24 and 20×6, compared with the stored snapshots.

mod common;

use common::render;
use montui::app::{Mode, Pane, Preset, ReplayPos, State};
use montui::ui::{Theme, draw, draw_help, draw_pane};

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (20, 6)];

#[test]
fn each_pane_at_each_size() {
    let s = common::fixture_state();
    let theme = Theme::default();
    for pane in Pane::ALL {
        for (w, h) in SIZES {
            let out = render(w, h, |f| draw_pane(f, pane, f.area(), &s, &theme));
            insta::assert_snapshot!(format!("pane_{pane:?}_{w}x{h}").to_lowercase(), out);
        }
    }
}

#[test]
fn processes_as_a_tree_and_searched_at_each_size() {
    let mut s = common::fixture_state();
    s.focus = Pane::Procs;
    s.proc_tree = true;
    for (w, h) in SIZES {
        let out = render(w, h, |f| {
            draw_pane(f, Pane::Procs, f.area(), &s, &Theme::default())
        });
        insta::assert_snapshot!(format!("procs_tree_{w}x{h}"), out);
    }
    s.proc_tree = false;
    s.proc_filter = Some("www srv/1".into());
    let out = render(120, 40, |f| {
        draw_pane(f, Pane::Procs, f.area(), &s, &Theme::default())
    });
    insta::assert_snapshot!("procs_search_120x40", out);
}

#[test]
fn forecast_view_at_each_size() {
    let mut s = common::fixture_state();
    s.forecast_view = true;
    assert!(
        !s.forecast_rows().is_empty(),
        "the watch forecasts the fixture"
    );
    let theme = Theme::default();
    for (w, h) in SIZES {
        let out = render(w, h, |f| {
            draw_pane(f, Pane::Anomalies, f.area(), &s, &theme)
        });
        insta::assert_snapshot!(format!("forecasts_{w}x{h}"), out);
    }
}

#[test]
fn whole_screen_at_each_size() {
    let s = common::fixture_state();
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("screen_{w}x{h}"), out);
    }
}

#[test]
fn layouts_and_a_maximised_pane_at_each_size() {
    for preset in [Preset::Processes, Preset::Alerts] {
        let mut s = common::fixture_state();
        s.set_preset(preset);
        s.message = None;
        for (w, h) in SIZES {
            let out = render(w, h, |f| draw(f, &s, &Theme::default()));
            insta::assert_snapshot!(format!("layout_{}_{w}x{h}", preset.name()), out);
        }
    }
    let mut s = common::fixture_state();
    s.focus = Pane::Alerts;
    s.toggle_maximised();
    let out = render(80, 24, |f| draw(f, &s, &Theme::default()));
    insta::assert_snapshot!("maximised_alerts_80x24", out);
    // Hidden panes give their room to the others.
    let mut s = common::fixture_state();
    s.focus = Pane::Net;
    s.hide_focused();
    s.focus = Pane::Anomalies;
    s.hide_focused();
    s.message = None;
    let out = render(80, 24, |f| draw(f, &s, &Theme::default()));
    insta::assert_snapshot!("hidden_net_anomalies_80x24", out);
}

#[test]
fn help_overlay_at_each_size() {
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw_help(f, 0, &Theme::default()));
        insta::assert_snapshot!(format!("help_{w}x{h}"), out);
    }
}

#[test]
fn replay_status_and_jump_prompt() {
    let live = common::fixture_state();
    let mut s = State::new(Mode::Replay, "web-1", 1000, 300);
    s.utc = true;
    s.speed = 4;
    s.playing = true;
    let snaps: Vec<_> = live.live.snapshot.iter().cloned().collect();
    s.show_recorded(
        snaps,
        ReplayPos {
            index: 41,
            len: 90,
            first_ts: 0,
            last_ts: 0,
        },
    );
    montui::app::update(&mut s, montui::app::Key::Char('j'));
    for c in "10m".chars() {
        montui::app::update(&mut s, montui::app::Key::Char(c));
    }
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    insta::assert_snapshot!("replay_120x40", out);
}

#[test]
fn first_sample_shows_dashes_not_zeros() {
    let mut s = State::new(Mode::Live, "web-1", 1000, 300);
    s.utc = true;
    let raw = common::raw_samples(1);
    s.push_live(montui::model::derive(&raw[0], None));
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    insta::assert_snapshot!("first_sample_120x40", out);
}

/// The fixture recorded into a store, with its alerts: what the details window reads.
fn recorded_fixture(dir: &std::path::Path) -> (State, std::path::PathBuf) {
    let s = common::fixture_state();
    let db = dir.join("h.db");
    let mut w = montui::store::Store::open_writer(&db).unwrap();
    w.insert(&common::raw_samples(90)).unwrap();
    for a in &s.board.alerts {
        w.save_alert(a).unwrap();
    }
    (s, db)
}

#[test]
fn enter_on_an_anomaly_opens_its_chart_at_each_size() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db) = recorded_fixture(dir.path());
    // Newest first: the host mix of db-1, then the file system of web-1.
    s.focus = Pane::Anomalies;
    montui::app::update(&mut s, montui::app::Key::Down);
    let req = montui::app::update(&mut s, montui::app::Key::Enter);
    let Some(montui::app::Request::AnomalyChart {
        host,
        series,
        started_ms,
    }) = req
    else {
        panic!("{req:?}")
    };
    assert_eq!(
        (host.as_str(), series.as_str()),
        ("web-1", r#"filesystem_used_percent{mount="/"}"#)
    );
    let a = s
        .anomaly_rows()
        .into_iter()
        .find(|a| a.started_ms == started_ms)
        .cloned()
        .unwrap();
    let c = montui::details::load_anomaly(&db, &a, s.shown_ts().unwrap()).unwrap();
    assert!(c.values.len() > 10, "values come from the recording: {c:?}");
    s.anomaly_chart = Some(c);
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("anomaly_chart_{w}x{h}"), out);
    }
    montui::app::update(&mut s, montui::app::Key::Esc);
    assert!(s.anomaly_chart.is_none());
    // The host mix has no one series: its chart says so.
    let mix = s.anomaly_rows()[0].clone();
    let c = montui::details::load_anomaly(&db, &mix, s.shown_ts().unwrap()).unwrap();
    assert!(c.values.is_empty());
}

#[test]
fn alert_details_and_silence_list_at_each_size() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db) = recorded_fixture(dir.path());
    let firing = s
        .alerts_sorted()
        .first()
        .map(|a| a.fingerprint)
        .expect("the fixture fires an alert");
    let now = s.shown_ts().unwrap();
    // Two notices about it: one delivered, one refused for good.
    let mut outbox = montui::store::Store::open_outbox(&db).unwrap();
    let about = format!(r#"{{"alerts":[{{"status":"firing","fingerprint":"{firing:016x}"}}]}}"#);
    let to = [("mail".to_string(), about.clone()), ("hook".into(), about)];
    outbox.enqueue("n1", &to, now - 30_000).unwrap();
    for p in [
        outbox.due("mail", now, 1).unwrap(),
        outbox.due("hook", now, 1).unwrap(),
    ]
    .concat()
    {
        let outcome = match p.receiver.as_str() {
            "mail" => montui::store::Outcome::Delivered,
            _ => montui::store::Outcome::Dead {
                error: "HTTP 400".into(),
            },
        };
        outbox.attempted(p.id, &outcome, now - 29_000).unwrap();
    }
    drop(outbox);
    let d = montui::details::load(&db, &s.policy, firing, now).unwrap();
    assert_eq!(d.sent.len(), 2, "the notices about it");
    assert!(d.values.len() > 10, "values come from the recording: {d:?}");
    assert_eq!(d.thresholds.len(), 2);
    s.details = Some(d);
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("details_{w}x{h}"), out);
    }
    s.details = None;
    let a = s.board.alerts[0].clone();
    s.board = montui::alert::board::Board::new(
        s.board.alerts.clone(),
        vec![montui::alert::silence::Silence {
            id: 1,
            matchers: montui::alert::silence::Silence::matchers_for(&a),
            starts_at: now - 60_000,
            ends_at: now + 3_600_000,
            by: "alice".into(),
        }],
        &s.policy.inhibitions.clone(),
    );
    s.silence_list = true;
    s.filter = Some("disk".into());
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("silences_{w}x{h}"), out);
    }
}

#[test]
fn charts_mark_where_alerts_fired() {
    let mut s = common::fixture_state();
    let ts = s.live.history.ts.clone();
    // disk_full on /home fired ten samples ago: no chart shows how full a file system is (its
    // row does), so neither disk chart is marked; load_high (the load chart) twenty.
    s.board.alerts[0].fired_at = Some(ts[ts.len() - 10]);
    let mut load = s.board.alerts[0].clone();
    load.rule = "load_high".into();
    load.fired_at = Some(ts[ts.len() - 20]);
    s.board.alerts.push(load);
    assert_eq!(s.board.alerts[0].rule, "disk_full");
    for pane in [Pane::Disk, Pane::Load] {
        let out = render(80, 12, |f| {
            draw_pane(f, pane, f.area(), &s, &Theme::default())
        });
        assert_eq!(
            out.matches('▼').count(),
            if pane == Pane::Disk { 0 } else { 1 },
            "{out}"
        );
        insta::assert_snapshot!(format!("marks_{pane:?}").to_lowercase(), out);
    }
}

#[test]
fn hosts_overview_at_each_size() {
    let mut s = common::fixture_state();
    let last = s.live.snapshot.clone().unwrap();
    let mut web = last.clone();
    web.host = "web1".into();
    s.push_live(web);
    let mut db = last.clone();
    db.host = "db1".into();
    db.ts_ms -= 10_000;
    s.push_live(db);
    s.host_state(
        "web1".into(),
        montui::model::HostState::Up {
            skew_ms: -1200,
            rtt_ms: None,
        },
    );
    s.host_rtt("web1", 7);
    s.host_state(
        "cache1".into(),
        montui::model::HostState::Down {
            reason: "ssh: connect to host cache1 port 22: Connection refused".into(),
        },
    );
    s.message = None;
    s.focus = Pane::Hosts;
    for _ in 0..3 {
        montui::app::update(&mut s, montui::app::Key::Down);
    }
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("hosts_screen_{w}x{h}"), out);
    }
    let out = render(120, 8, |f| {
        draw_pane(f, Pane::Hosts, f.area(), &s, &Theme::default())
    });
    insta::assert_snapshot!("hosts_pane_120x8", out);
}

#[test]
fn patterns_pane_and_screen_at_each_size() {
    use montui::logs::patterns::Patterns;
    let mut s = common::fixture_state();
    let mut p = Patterns::default();
    let src: std::sync::Arc<str> = "/var/log/app/*.log".into();
    let t0 = 1_700_000_000_000;
    for i in 0..40 {
        let line =
            format!("2026-11-23 10:00:00 INFO [main] web.Access: GET /api/items/{i} took {i} ms");
        p.add(&src, &line, t0 + i * 1400);
    }
    for i in 0..6 {
        let line = format!(
            "2026-11-23 10:00:00 ERROR [db] db.Pool: connection refused to 10.0.0.{i}:5432"
        );
        p.add(&src, &line, t0 + 50_000 + i * 500);
    }
    p.add(
        &src,
        "Nov 23 10:00:59 web-1 sshd[812]: Failed password for root from 203.0.113.9 port 2222 ssh2",
        t0 + 59_000,
    );
    s.logs = Some(p.board(t0 + 60_000));
    s.focus = montui::app::Pane::Patterns;
    let theme = Theme::default();
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw_pane(f, Pane::Patterns, f.area(), &s, &theme));
        insta::assert_snapshot!(format!("patterns_{w}x{h}"), out);
        let out = render(w, h, |f| draw(f, &s, &theme));
        insta::assert_snapshot!(format!("screen_with_logs_{w}x{h}"), out);
    }
    s.raw_tail = Some(src.clone());
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw_pane(f, Pane::Patterns, f.area(), &s, &theme));
        insta::assert_snapshot!(format!("raw_tail_{w}x{h}"), out);
    }
    s.raw_tail = None;
    let refused = s
        .pattern_rows()
        .into_iter()
        .find(|r| r.text.contains("refused"))
        .map(|r| r.id);
    s.pattern_open = refused;
    s.utc = true;
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &theme));
        insta::assert_snapshot!(format!("pattern_details_{w}x{h}"), out);
    }
}

#[test]
fn notifications_view_at_each_size() {
    use montui::notify::{ReceiverHealth, SentRow};
    use montui::store::SentState;
    let mut s = common::fixture_state();
    let now = s.now_ms();
    s.receivers = vec![
        ReceiverHealth {
            name: "mail".into(),
            kind: "email",
            last_delivered_ms: Some(now - 60_000),
            ..Default::default()
        },
        ReceiverHealth {
            name: "hook".into(),
            kind: "webhook",
            pending: 2,
            dead: 1,
            failing_since: Some(now - 300_000),
            next_attempt_ms: Some(now + 30_000),
            last_error: Some("HTTP 503".into()),
            ..Default::default()
        },
    ];
    let row =
        |id: i64, receiver: &str, state: SentState, attempts: u32, error: Option<&str>| SentRow {
            id,
            receiver: receiver.into(),
            created_ms: now - id * 60_000,
            state,
            attempts,
            next_ms: now + 30_000,
            error: error.map(str::to_string),
            title: "[FIRING:2] disk_full on web-1 (/data)".into(),
        };
    s.notices = Some(vec![
        row(1, "hook", SentState::Pending, 4, Some("HTTP 503")),
        row(2, "mail", SentState::Delivered, 1, None),
        row(3, "hook", SentState::Dead, 1, Some("HTTP 400: bad payload")),
    ]);
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("notifications_{w}x{h}"), out);
    }
}

#[test]
fn report_window_at_each_size() {
    let mut s = common::fixture_state();
    let text = "# montui report: Day of 2026-11-30\n\n## Fleet\n\n1 host(s), up 97.9 % of the time on average. 1 alert(s) fired (1 critical), firing 29 m 00 s in all.\n\n| rule | severity | fired | firing | flaps |\n|---|---|---:|---:|---:|\n| host_down | critical | 1 | 29 m 00 s | 0 |\n\n## web-1\n\n| resource | avg | p95 | max | change |\n|---|---:|---:|---:|---:|\n| cpu_busy_percent | 30.0 % | 50.0 % | 50.0 % | +20.0 pp |\n| memory_used_percent | 40.0 % | 40.0 % | 40.0 % | +0.0 pp |";
    s.summary = Some(montui::app::Summary {
        period: montui::report::Period::Day,
        lines: montui::report::markdown::as_text(text),
        scroll: 0,
    });
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("report_window_{w}x{h}"), out);
    }
}

#[test]
fn process_details_at_each_size() {
    let mut s = common::fixture_state();
    let row = s.proc_rows()[0].clone();
    let t0 = s.shown_ts().unwrap() - 60_000;
    let wave = |i: i64, base: f64, amp: f64| base + amp * ((i % 20) as f64 / 20.0);
    s.proc_details = Some(montui::proc_details::ProcDetails {
        host: "web-1".into(),
        cpu: (0..60)
            .map(|i| (t0 + i * 1000, wave(i, 20.0, 30.0)))
            .collect(),
        rss: (0..60)
            .map(|i| (t0 + i * 1000, wave(i, 150e6, 40e6)))
            .collect(),
        live: Some(Ok(montui::collect::inspect::Inspected {
            cwd: Some("/srv/app".into()),
            open_files: Some(12),
        })),
        row,
    });
    for (w, h) in SIZES {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        insta::assert_snapshot!(format!("proc_details_{w}x{h}"), out);
    }
}
