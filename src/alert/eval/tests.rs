use super::*;
use crate::alert::expr::parse;
use crate::alert::lifecycle::Severity;
use crate::alert::rules::default_rules;
use crate::model::{CpuPct, FsRow, Mem, Snapshot};

fn snap(ts_ms: i64, cpu: f64, fs: &[(&str, u64)]) -> Snapshot {
    Snapshot {
        host: "web-1".into(),
        ts_ms,
        cpu: Some(CpuPct {
            user: cpu,
            ..Default::default()
        }),
        cores: vec![Some(cpu), Some(cpu)],
        mem: Mem {
            total: 100,
            used: 50,
            ..Default::default()
        },
        load: [0.5, 0.5, 0.5],
        fs: fs
            .iter()
            .map(|(m, used)| FsRow {
                mount: m.to_string(),
                total: 100,
                used: *used,
                inodes_pct: None,
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn default_cpu_rule_fires_after_five_minutes_and_resolves_below_the_clear_line() {
    let mut e = Evaluator::new(default_rules());
    let mut fired = None;
    for i in 0..=360 {
        let t = e.evaluate(&snap(i * 1000, 95.0, &[]));
        if t.iter().any(|t| t.phase == Phase::Firing) {
            fired = Some(i);
        }
    }
    assert_eq!(fired, Some(300));
    let a = e.tracker.alerts().next().unwrap();
    assert_eq!(
        default_rules()[0].annotations_for(a),
        [(
            "summary".to_string(),
            "CPU on web-1 at 95% (over 90% for 5m)".to_string()
        )]
    );
    // 88 % is under the line but above the clear line: still firing.
    assert!(e.evaluate(&snap(361_000, 88.0, &[])).is_empty());
    let t = e.evaluate(&snap(362_000, 80.0, &[]));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].phase, Phase::Resolved);
}

#[test]
fn one_alert_per_file_system_and_vanished_ones_resolve() {
    let mut e = Evaluator::new(default_rules());
    let t = e.evaluate(&snap(0, 10.0, &[("/", 95), ("/home", 50), ("/data", 80)]));
    // disk_full on /, disk_filling on / and /data (no `for`): fire at once.
    assert_eq!(t.iter().filter(|t| t.phase == Phase::Firing).count(), 3);
    let firing: Vec<String> = e
        .tracker
        .alerts()
        .filter(|a| a.phase == Phase::Firing)
        .map(|a| format!("{} {}", a.rule, a.labels["mount"]))
        .collect();
    assert_eq!(firing.len(), 3);
    assert!(
        firing.contains(&"disk_full /".to_string())
            && firing.contains(&"disk_filling /data".to_string())
    );
    // /data is unmounted: its alert resolves rather than firing forever.
    let t = e.evaluate(&snap(1000, 10.0, &[("/", 95), ("/home", 50)]));
    assert_eq!(t.iter().filter(|t| t.phase == Phase::Resolved).count(), 1);
}

#[test]
fn expression_rules_with_windows() {
    let rule = Rule {
        name: "busy_and_loaded".into(),
        condition: Condition::Expr(parse("avg(cpu_busy_percent, 10s) > 50 and load1 < 1").unwrap()),
        for_ms: 0,
        severity: Severity::Warning,
        labels: vec![],
        annotations: vec![],
    };
    let mut e = Evaluator::new(vec![rule]);
    // The 10 s average crosses 50 only after several busy samples.
    let mut first = None;
    for i in 0..20 {
        let cpu = if i < 10 { 0.0 } else { 100.0 };
        if !e.evaluate(&snap(i * 1000, cpu, &[])).is_empty() && first.is_none() {
            first = Some(i);
        }
    }
    assert_eq!(first, Some(15));
}

#[test]
fn a_restored_alert_whose_label_set_is_gone_resolves() {
    let mut first = Evaluator::new(default_rules());
    first.evaluate(&snap(0, 10.0, &[("/data", 95)]));
    let saved: Vec<_> = first.tracker.alerts().cloned().collect();
    assert!(saved.iter().any(|a| a.phase == Phase::Firing));
    // A new run restores them; /data is no longer mounted.
    let mut second = Evaluator::new(default_rules());
    second.tracker.restore(saved);
    let t = second.evaluate(&snap(1000, 10.0, &[("/", 10)]));
    assert_eq!(t.iter().filter(|t| t.phase == Phase::Resolved).count(), 2);
}

#[test]
fn rule_labels_are_added_but_identity_is_the_series() {
    let mut rules = default_rules();
    rules[2].labels = vec![("team".into(), "storage-{host}{mount}".into())];
    let mut e = Evaluator::new(rules);
    e.evaluate(&snap(0, 10.0, &[("/", 95)]));
    let a = e.tracker.alerts().find(|a| a.rule == "disk_full").unwrap();
    assert_eq!(a.labels["team"], "storage-web-1/");
    let series = Labels::from([
        ("host".to_string(), "web-1".to_string()),
        ("mount".to_string(), "/".to_string()),
    ]);
    assert_eq!(
        a.fingerprint,
        crate::alert::lifecycle::fingerprint("disk_full", &series)
    );
    // Next sample: still one alert, refreshed in place.
    e.evaluate(&snap(1000, 10.0, &[("/", 96)]));
    assert_eq!(
        e.tracker.alerts().filter(|a| a.rule == "disk_full").count(),
        1
    );
}

#[test]
fn a_host_that_stops_answering_is_down_after_a_minute_and_keeps_its_other_alerts() {
    let mut e = Evaluator::new(default_rules());
    e.evaluate(&snap(0, 10.0, &[("/", 95)]));
    let mut fired = None;
    for i in 1..=70 {
        let t = e.evaluate_down("web-1", i * 1000, "Connection refused");
        if t.iter().any(|t| t.phase == Phase::Firing) {
            fired = Some(i);
        }
    }
    assert_eq!(fired, Some(61));
    let firing: Vec<&str> = e
        .tracker
        .alerts()
        .filter(|a| a.phase == Phase::Firing)
        .map(|a| a.rule.as_str())
        .collect();
    assert_eq!(firing.len(), 3, "{firing:?}");
    assert!(firing.contains(&"host_down") && firing.contains(&"disk_full"));
    // It answers again: host_down resolves at once.
    let t = e.evaluate(&snap(71_000, 10.0, &[("/", 95)]));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].phase, Phase::Resolved);
}

fn cpu_unusual() -> Rule {
    Rule {
        name: "cpu_unusual".into(),
        condition: Condition::Threshold {
            metric: "cpu_busy_percent".into(),
            threshold: 90.0,
            clear: None,
            below: false,
            dynamic: Some(crate::alert::dynamic::Dynamic {
                base: 90.0,
                factor: 0.1,
                min: 10.0,
                max: 95.0,
                std_mult: 3.0,
                trend: 0.0,
                band: false,
            }),
        },
        for_ms: 0,
        severity: Severity::Warning,
        labels: vec![],
        annotations: vec![],
    }
}

#[test]
fn a_dynamic_line_from_the_detectors_band_follows_a_trend_and_fires_on_a_jump() {
    let mut rule = cpu_unusual();
    if let Condition::Threshold {
        dynamic: Some(d), ..
    } = &mut rule.condition
    {
        d.band = true;
    }
    let mut e = Evaluator::new(vec![rule]);
    // A steady climb of 0.02 a sample with a little wobble: the band climbs along.
    let cpu = |i: i64| 15.0 + 0.02 * i as f64 + 0.3 * (i % 3) as f64;
    for i in 0..1500 {
        assert!(
            e.evaluate(&snap(i * 1000, cpu(i), &[])).is_empty(),
            "quiet at {i}"
        );
    }
    let line = e.threshold_changes.last().unwrap().2;
    // On the trend at 45 %: the line sits just above it, not at the running mean (~30).
    assert!((45.0..50.0).contains(&line), "{line}");
    let t = e.evaluate(&snap(1_500_000, 60.0, &[]));
    assert_eq!(t.len(), 1, "a jump to 60 crosses it");
}

#[test]
fn a_dynamic_line_learns_the_usual_level_and_fires_on_a_jump() {
    let mut e = Evaluator::new(vec![cpu_unusual()]);
    for i in 0..100 {
        let cpu = 20.0 + (i % 5) as f64;
        assert!(
            e.evaluate(&snap(i * 1000, cpu, &[])).is_empty(),
            "quiet at {i}"
        );
    }
    // The line left its base of 90 once warmed up, for near the usual 20-24 %.
    let moves = std::mem::take(&mut e.threshold_changes);
    assert!(moves.len() >= 2 && moves[0].2 == 90.0, "{moves:?}");
    let line = moves.last().unwrap().2;
    assert!((24.0..35.0).contains(&line), "{line}");
    // 50 % is nowhere near 90, but far above what this host does.
    let t = e.evaluate(&snap(100_000, 50.0, &[]));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].phase, Phase::Firing);
    let a = e.tracker.get(t[0].fingerprint).unwrap();
    // The alert carries the line it crossed; history records moves of 1 % of the range.
    assert!(
        a.threshold.is_some_and(|t| (t - line).abs() < 0.85),
        "{a:?}"
    );
}

#[test]
fn learning_from_the_recorded_past_raises_nothing_and_warms_the_baseline() {
    let mut rules = default_rules();
    rules.push(cpu_unusual());
    let mut e = Evaluator::new(rules);
    for i in 0..100 {
        // Busy enough for cpu_high, were it evaluated.
        e.learn(&snap(i * 1000, 95.0 + (i % 2) as f64, &[("/", 95)]));
    }
    assert_eq!(e.tracker.alerts().count(), 0);
    assert!(e.threshold_changes.is_empty());
    // The first live sample meets the learned line (the usual 95-96 % is over the max, so
    // the line sits at 95), not the base of 90 a cold start would use.
    e.evaluate(&snap(100_000, 60.0, &[]));
    let moves = std::mem::take(&mut e.threshold_changes);
    assert_eq!(moves.first().map(|m| m.2), Some(95.0), "{moves:?}");
}

#[test]
fn a_hosts_labels_go_on_its_alerts_and_a_series_own_label_wins() {
    let mut e = Evaluator::new(default_rules());
    e.host_labels.insert(
        "web-1".into(),
        Labels::from([
            ("env".to_string(), "prod".to_string()),
            ("mount".to_string(), "not this".to_string()),
        ]),
    );
    e.evaluate(&snap(0, 10.0, &[("/", 95)]));
    let a = e.tracker.alerts().find(|a| a.rule == "disk_full").unwrap();
    assert_eq!(a.labels["env"], "prod");
    assert_eq!(a.labels["mount"], "/");
    e.evaluate_down("web-1", 1000, "Connection refused");
    e.evaluate_down("web-1", 61_000, "Permission denied (publickey)");
    let down = e.tracker.alerts().find(|a| a.rule == "host_down").unwrap();
    assert_eq!(down.labels["env"], "prod");
    assert_eq!(
        down.note.as_deref(),
        Some("Permission denied (publickey)"),
        "the latest reason"
    );
    let reason = default_rules()
        .iter()
        .find(|r| r.name == "host_down")
        .unwrap()
        .annotations_for(down);
    assert_eq!(reason[1].1, "Permission denied (publickey)");
}

#[test]
fn log_rules_fire_on_log_metrics_and_samples_leave_them_alone() {
    use crate::logs::patterns::Patterns;
    let mut e = Evaluator::new(default_rules());
    let mut p = Patterns::default();
    let src: std::sync::Arc<str> = "/var/log/app.log".into();
    let t0 = 1_700_000_000_000;
    p.add(&src, "ERROR db: connection refused for bob@example.com", t0);
    p.add(
        &src,
        "kernel: Out of memory: Killed process 4242 (java)",
        t0,
    );
    let fired = |t: &[Transition]| t.iter().filter(|t| t.phase == Phase::Firing).count();
    let t = e.evaluate_logs("web-1", t0 + 1000, &p.metrics(t0 + 1000));
    assert_eq!(
        fired(&t),
        3,
        "new error pattern (2: the OOM line is critical too) and a known trouble"
    );
    let firing = |e: &Evaluator| {
        let mut v: Vec<String> = e
            .tracker
            .alerts()
            .filter(|a| a.phase == Phase::Firing)
            .map(|a| a.rule.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        firing(&e),
        ["log_error_new", "log_error_new", "log_trouble"]
    );
    let oom = e
        .tracker
        .alerts()
        .find(|a| a.rule == "log_trouble")
        .expect("alert");
    let rule = e
        .rules
        .iter()
        .find(|r| r.name == "log_trouble")
        .expect("rule");
    let notes = rule.annotations_for(oom);
    let example = notes
        .iter()
        .find(|(k, _)| k == "example")
        .map(|(_, v)| v.as_str());
    assert_eq!(
        example,
        Some("kernel: Out of memory: Killed process 4242 (java)")
    );
    // A metrics sample does not resolve them.
    e.evaluate(&snap(t0 + 1500, 10.0, &[]));
    assert_eq!(firing(&e).len(), 3);
    // A minute later the OOM line is past; ten minutes later the patterns are not new.
    e.evaluate_logs("web-1", t0 + 70_000, &p.metrics(t0 + 70_000));
    assert_eq!(firing(&e), ["log_error_new", "log_error_new"]);
    e.evaluate_logs("web-1", t0 + 700_000, &p.metrics(t0 + 700_000));
    assert!(firing(&e).is_empty());
}

#[test]
fn a_file_system_filling_up_raises_a_predicted_alert_that_says_when_and_resolves_when_it_stops() {
    let rule = default_rules()
        .into_iter()
        .find(|r| r.name == "disk_full_predicted")
        .unwrap();
    let mut e = Evaluator::new(vec![rule]);
    let at = |min: i64, used: u64| {
        let mut s = snap(min * 60_000, 10.0, &[]);
        s.fs = vec![FsRow {
            mount: "/data".into(),
            total: 100_000,
            used,
            inodes_pct: None,
        }];
        s
    };
    // 50 % → +0.05 % a minute: 90 % at minute 800; six hours before, at minute 440.
    let mut fired = None;
    for min in 0..600 {
        for t in e.evaluate(&at(min, 50_000 + 50 * min as u64)) {
            if t.phase == Phase::Firing && fired.is_none() {
                fired = Some((min, t.fingerprint));
            }
        }
    }
    let (min, fp) = fired.expect("fired");
    assert!((420..=470).contains(&min), "fired at minute {min}");
    let a = e.tracker.get(fp).unwrap();
    let note = a.note.clone().unwrap_or_default();
    // At minute 599 the line is 201 minutes away: "in 3 h 21 m (… … …)".
    assert!(note.starts_with("in 3 h "), "{note}");
    assert_eq!(a.labels.get("mount").map(String::as_str), Some("/data"));
    // It stops filling: the forecast no longer reaches 90 % and the alert resolves.
    let mut resolved = false;
    for min in 600..1400 {
        resolved |= e
            .evaluate(&at(min, 80_000))
            .iter()
            .any(|t| t.phase == Phase::Resolved);
    }
    assert!(resolved);
}

#[test]
fn an_unusual_value_raises_an_alert_that_says_what_was_expected_and_why() {
    let rule = Rule {
        name: "cpu_odd".into(),
        condition: Condition::Unusual {
            metric: "cpu_busy_percent".into(),
            score: 0.9,
        },
        for_ms: 0,
        severity: Severity::Info,
        labels: vec![],
        annotations: vec![],
    };
    let mut e = Evaluator::new(vec![rule]);
    for i in 0..1000 {
        let cpu = 20.0 + (i % 5) as f64;
        assert!(
            e.evaluate(&snap(i * 1000, cpu, &[])).is_empty(),
            "quiet at {i}"
        );
    }
    let t = e.evaluate(&snap(1_000_000, 60.0, &[]));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].phase, Phase::Firing);
    let a = e.tracker.get(t[0].fingerprint).unwrap();
    let note = a.note.clone().unwrap_or_default();
    assert!(
        note.starts_with("score ") && note.contains("; level"),
        "{note}"
    );
    assert!(
        a.threshold.is_some_and(|x| (21.0..23.0).contains(&x)),
        "{a:?}"
    );
    // Back to usual: it resolves.
    let back = e.evaluate(&snap(1_001_000, 22.0, &[]));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].phase, Phase::Resolved);
}
