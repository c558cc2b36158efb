//! What the views show, asserted on the text drawn into ratatui's TestBackend: focus without
//! colours, figures, ages, markers, axes and text that must survive a narrow pane.

mod common;

use common::render;
use montui::app::Pane;
use montui::ui::{Theme, draw, draw_help, draw_pane};

#[test]
fn the_focused_pane_shows_without_colours() {
    let mut s = common::fixture_state();
    for (pane, title) in [(Pane::Alerts, "Alerts"), (Pane::Procs, "Processes")] {
        s.focus = pane;
        // Characters only, as a terminal under NO_COLOR shows them.
        let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
        assert_eq!(out.matches('┏').count(), 1, "one thick border:\n{out}");
        let line = out.lines().find(|l| l.contains('┏')).unwrap_or_default();
        let top = line.split('┏').nth(1).and_then(|r| r.split('┓').next());
        assert!(top.is_some_and(|t| t.contains(title)), "{title}: {line}");
        assert!(line.contains(&format!("┏▸ {title}")), "marked: {line}");
    }
}

/// The whole screen's cells drawn in `theme`.
fn cells(theme: &Theme) -> Vec<ratatui::buffer::Cell> {
    let s = common::fixture_state();
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| draw(f, &s, theme)).unwrap();
    t.backend().buffer().content().to_vec()
}

#[test]
fn every_built_in_theme_draws_and_monochrome_uses_no_colour() {
    use montui::ui::theme::{BUILT_IN, Choice, Depth, resolve};
    use ratatui::style::{Color, Modifier};
    let theme = |name: &str| {
        resolve(&Choice {
            flag: Some(name),
            config: None,
            no_color: false,
            depth: Depth::True,
            dir: "/nonexistent".into(),
        })
        .unwrap()
    };
    for (name, _) in BUILT_IN {
        let c = cells(&theme(name));
        assert!(c.iter().any(|c| c.symbol() == "┏"), "{name}");
    }
    let mono = cells(&theme("monochrome"));
    let coloured: Vec<_> = (mono.iter())
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .take(3)
        .collect();
    assert!(coloured.is_empty(), "colour under monochrome: {coloured:?}");
    assert!(
        mono.iter().any(|c| c.modifier.contains(Modifier::REVERSED)),
        "the selection"
    );
    // A theme with a background of its own paints every cell with it.
    let light = cells(&theme("light"));
    assert!(
        light.iter().all(|c| c.bg != Color::Reset),
        "light's background"
    );
}

#[test]
fn alert_values_keep_their_decimals() {
    let mut s = common::fixture_state();
    s.board = one_alert("load_any", 0, (0.53, 0.0));
    let out = render(80, 12, |f| {
        draw_pane(f, Pane::Alerts, f.area(), &s, &Theme::default())
    });
    assert!(out.contains("0.53/0 "), "{out}");
}

#[test]
fn a_host_that_stopped_answering_ages_with_the_wall_clock_and_is_marked_stale() {
    let mut s = common::fixture_state();
    let last = s.shown_ts().unwrap();
    s.board = one_alert("cpu_high", last, (98.0, 90.0));
    s.clock_ms = Some(last + 1500);
    let fresh = render(120, 40, |f| draw(f, &s, &Theme::default()));
    assert!(!fresh.contains("STALE"), "{fresh}");
    // Two minutes without a sample, the host down.
    s.clock_ms = Some(last + 120_000);
    s.host_state(
        "web-1".into(),
        montui::model::HostState::Down {
            reason: "Connection refused".into(),
        },
    );
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    assert!(out.contains("no sample for 2m"), "{out}");
    assert!(
        out.matches("STALE 2m").count() >= 4,
        "the figure panes:\n{out}"
    );
    let row = out
        .lines()
        .find(|l| l.contains("cpu_high"))
        .unwrap_or_default();
    assert!(row.contains(" 2m "), "the alert's age goes on: {row}");
}

#[test]
fn an_alert_marks_the_chart_of_its_own_metric_only() {
    let mut s = common::fixture_state();
    let at = s.shown_ts().unwrap() - 5_000;
    s.board = one_alert("memory_high", at, (90.0, 85.0));
    let out = render(60, 12, |f| {
        draw_pane(f, Pane::Mem, f.area(), &s, &Theme::default())
    });
    let lines: Vec<&str> = out.lines().collect();
    let swap_at = lines.iter().position(|l| l.contains("Swap ")).unwrap();
    let (mem, swap) = lines.split_at(swap_at);
    assert!(
        mem.iter().any(|l| l.contains('▼')),
        "on the memory chart:\n{out}"
    );
    assert!(
        !swap.iter().any(|l| l.contains('▼')),
        "not on swap's:\n{out}"
    );
}

#[test]
fn the_anomaly_chart_writes_bytes_on_its_axis_as_its_head_does() {
    let mut s = common::fixture_state();
    let mut a = s.anomalies.anomalies[0].clone();
    a.series = "memory_used_bytes".into();
    a.value = 24_000.0;
    let values: Vec<(i64, f64)> = (0..60)
        .map(|i| (a.started_ms + i * 1000, 19_692.0 + (i % 7) as f64 * 700.0))
        .collect();
    s.anomaly_chart = Some(montui::details::AnomalyChart {
        anomaly: a,
        values,
        model: Default::default(),
    });
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    assert!(
        out.contains("value 23K"),
        "the head in binary units:\n{out}"
    );
    assert!(
        !out.contains("19692") && !out.contains("1969"),
        "raw on the axis:\n{out}"
    );
    assert!(
        out.contains("│24K") && out.contains("│19K"),
        "the axis in K:\n{out}"
    );
}

#[test]
fn a_silence_ending_in_another_year_shows_the_year() {
    let mut s = common::fixture_state();
    let now = s.now_ms();
    let day = 86_400_000;
    s.board.silences = [(1, now + day), (2, now + 400 * day)]
        .into_iter()
        .map(|(id, ends_at)| montui::alert::silence::Silence {
            id,
            matchers: vec![("alertname".into(), "disk_full".into())],
            starts_at: now,
            ends_at,
            by: "alice".into(),
        })
        .collect();
    s.silence_list = true;
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    let year = |ts: i64| montui::ui::format_time(ts, true)[..4].to_string();
    let line = |id: &str| {
        out.lines()
            .find(|l| l.contains(id))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("#2 ").contains(&format!("until {}-", year(now + 400 * day))),
        "{out}"
    );
    assert!(
        !line("#1 ").contains(&format!("until {}-", year(now))),
        "{out}"
    );
}

#[test]
fn help_at_the_minimum_size_cuts_nothing_and_scrolls_to_the_rest() {
    let top = render(80, 24, |f| draw_help(f, 0, &Theme::default()));
    assert!(top.contains("j k: more"), "{top}");
    for whole in ["Everywhere", "this help", "maximise the pane / back"] {
        assert!(top.contains(whole), "{whole}:\n{top}");
    }
    let middle = render(80, 24, |f| draw_help(f, 12, &Theme::default()));
    for whole in ["Processes pane", "search: name, user…", "tree / flat"] {
        assert!(middle.contains(whole), "{whole}:\n{middle}");
    }
    let end = render(80, 24, |f| draw_help(f, 99, &Theme::default()));
    for whole in ["charts narrower", "back to live", "previous alert, gap"] {
        assert!(end.contains(whole), "{whole}:\n{end}");
    }
}

#[test]
fn narrow_panes_cut_text_with_an_ellipsis_where_it_says_least() {
    let mut s = common::fixture_state();
    s.forecast_view = true;
    let out = render(56, 30, |f| {
        draw_pane(f, Pane::Anomalies, f.area(), &s, &Theme::default())
    });
    for told_apart in [
        r#"core_busy %{core="0"}"#,
        r#"core_busy %{core="1"}"#,
        "disk_read B/s{nvme0n1}",
        "disk_written…{nvme0n1}",
    ] {
        assert!(out.contains(told_apart), "{told_apart}\n{out}");
    }
    let out = render(80, 30, |f| {
        draw_pane(f, Pane::Anomalies, f.area(), &s, &Theme::default())
    });
    assert!(
        out.contains(r#"network_receive B/s{interface="eth0"}"#),
        "{out}"
    );
    let out = render(36, 6, |f| {
        draw_pane(f, Pane::Alerts, f.area(), &s, &Theme::default())
    });
    let top = out.lines().next().unwrap_or_default();
    assert!(top.contains("Alerts  2 firing"), "{top}");
    assert!(!top.contains(" 0 "), "counts of nothing go first: {top}");
}

/// A board with one firing alert of `rule` since `at`, with its (value, line).
fn one_alert(rule: &str, at: i64, (value, line): (f64, f64)) -> montui::alert::board::Board {
    use montui::alert::lifecycle::{Alert, Phase, Severity};
    let a = Alert {
        fingerprint: 7,
        rule: rule.into(),
        labels: Default::default(),
        severity: Severity::Warning,
        phase: Phase::Firing,
        active_since: at,
        fired_at: Some(at),
        resolved_at: None,
        value,
        threshold: Some(line),
        ack: None,
        escalation: 0,
        note: None,
        events: vec![],
    };
    montui::alert::board::Board::new(vec![a], Vec::new(), &[])
}

#[test]
fn a_message_in_the_status_bar_makes_room_for_itself_at_80_columns() {
    let mut s = common::fixture_state();
    s.message = Some("cpu_high is not firing: nothing to ack".into());
    let out = render(80, 24, |f| draw(f, &s, &Theme::default()));
    let top = out.lines().next().unwrap_or_default();
    assert!(top.contains("nothing to ack"), "{top}");
    assert!(common::status_time(&out).is_some(), "the time stays: {top}");
}

#[test]
fn failing_receivers_show_in_the_status_bar() {
    let mut s = common::fixture_state();
    let receiver = |name: &str, failing: bool| montui::notify::ReceiverHealth {
        name: name.into(),
        kind: "webhook",
        failing_since: failing.then_some(1),
        ..Default::default()
    };
    s.receivers = vec![receiver("hook", true), receiver("mail", false)];
    let top = |s: &montui::app::State| {
        let out = render(120, 40, |f| draw(f, s, &Theme::default()));
        out.lines().next().unwrap_or_default().to_string()
    };
    assert!(top(&s).contains("notify: hook failing"), "{}", top(&s));
    s.receivers[1].failing_since = Some(2);
    assert!(top(&s).contains("notify: 2 failing"), "{}", top(&s));
    s.receivers.iter_mut().for_each(|r| r.failing_since = None);
    assert!(!top(&s).contains("notify"), "{}", top(&s));
}

#[test]
fn controls_and_bidi_overrides_from_outside_never_reach_the_terminal() {
    let mut s = common::fixture_state();
    let mut board = one_alert("disk_full", 0, (95.0, 90.0));
    let hostile = "/mnt/\u{202e}txt.exe\u{202c}\x1b]52;c;aGk=\x07\x1b[2J";
    board.alerts[0]
        .labels
        .insert("mount".into(), hostile.into());
    s.board = board;
    s.focus = Pane::Alerts;
    for (w, h) in [(120, 40), (80, 24)] {
        let out = render(w, h, |f| draw(f, &s, &Theme::default()));
        assert!(out.contains("mount=/m"), "the label is shown:\n{out}");
        for bad in ['\u{202e}', '\u{202c}', '\x1b', '\x07'] {
            assert!(!out.contains(bad), "{bad:?} reached the screen:\n{out}");
        }
    }
}

#[test]
fn a_click_on_the_screen_is_told_as_the_pane_row_and_heading_drawn_there() {
    use montui::app::Pointer;
    use montui::ui::hits;
    let s = common::fixture_state();
    let out = render(120, 40, |f| draw(f, &s, &Theme::default()));
    let y = out
        .lines()
        .position(|l| l.contains("Processes (by CPU)"))
        .unwrap();
    let line = out.lines().nth(y + 1).unwrap();
    let x = line[..line.find("RES").unwrap()].chars().count();
    let at = |x: usize, y: usize| hits::click(x as u16, y as u16);
    assert_eq!(
        at(10, y + 4),
        Some(Pointer::Click {
            pane: Pane::Procs,
            row: Some(2),
            column: None,
            back: None,
        })
    );
    assert_eq!(
        at(x, y + 1),
        Some(Pointer::Click {
            pane: Pane::Procs,
            row: None,
            column: Some("res"),
            back: None,
        })
    );
}
