use super::*;
use crate::alert::lifecycle::Phase;
use crate::model::RawSample;

fn store_with(n: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let samples: Vec<RawSample> = (0..n)
        .map(|i| RawSample {
            host: "h".into(),
            ts_ms: 1_000 * (i + 1),
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    (dir, path)
}

#[test]
fn the_alert_list_is_the_one_of_the_replayed_moment() {
    let (_d, path) = store_with(10);
    let mut a = crate::alert::lifecycle::Alert::firing("cpu_high", &[("host", "h")]);
    a.events = vec![
        crate::alert::lifecycle::Event {
            at: 3_000,
            kind: crate::alert::lifecycle::EventKind::Pending,
            value: 95.0,
        },
        crate::alert::lifecycle::Event {
            at: 5_000,
            kind: crate::alert::lifecycle::EventKind::Firing,
            value: 97.0,
        },
    ];
    let other_host = crate::alert::lifecycle::Alert::firing("cpu_high", &[("host", "x")]);
    let mut w = Store::open_writer(&path).unwrap();
    w.save_alert(&a).unwrap();
    w.save_alert(&other_host).unwrap();
    drop(w);
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
    let phases =
        |c: &ReplayCursor| -> Vec<Phase> { c.board(&[]).alerts.iter().map(|a| a.phase).collect() };
    assert!(phases(&c).is_empty(), "nothing at 1 s");
    c.seek_time(4_000);
    assert_eq!(phases(&c), [Phase::Pending]);
    c.seek_time(6_000);
    assert_eq!(phases(&c), [Phase::Firing]);
    assert_eq!(c.board(&[]).alerts[0].value, 97.0);
    // n and N stop where the alert went pending and where it fired.
    c.seek_first();
    assert!(c.seek_marker(true));
    assert_eq!(c.ts(), 3_000);
    assert!(c.seek_marker(true));
    assert_eq!(c.ts(), 5_000);
    assert!(!c.seek_marker(true));
    assert!(c.seek_marker(false));
    assert_eq!(c.ts(), 3_000);
    // Paused live montui shows the same: the list as it was at the sample on screen.
    use crate::app::{Key, Mode, Request, State, handle, update};
    let mut s = State::new(Mode::Live, "h", 1000, 3);
    let now_live = crate::alert::board::Board::new(vec![a.clone()], vec![], &[]);
    s.engine_alerts(now_live.clone());
    assert_eq!(s.board.alerts[0].phase, Phase::Firing);
    s.mode = Mode::Paused;
    handle(&mut s, &mut c, Request::Step(0), 0);
    assert_eq!(s.shown_ts(), Some(3_000));
    let shown: Vec<Phase> = s.board.alerts.iter().map(|a| a.phase).collect();
    assert_eq!(shown, [Phase::Pending], "as at 3 s, not as now");
    // What the engine sends meanwhile waits for the return to live.
    let mut later = a.clone();
    later.value = 99.0;
    s.engine_alerts(crate::alert::board::Board::new(vec![later], vec![], &[]));
    assert_eq!(s.board.alerts[0].phase, Phase::Pending);
    update(&mut s, Key::Char('p'));
    assert_eq!(s.mode, Mode::Live);
    assert_eq!(s.board.alerts[0].value, 99.0, "the newest live list");
}

#[test]
fn step_seek_and_window() {
    let (_d, path) = store_with(10);
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
    assert_eq!((c.host(), c.len(), c.ts()), ("h", 10, 1_000));
    assert_eq!(c.frame().unwrap().len(), 1);
    c.step(1);
    assert_eq!(c.ts(), 2_000);
    c.step(-5);
    assert_eq!(c.ts(), 1_000);
    c.seek_last();
    assert_eq!(c.ts(), 10_000);
    let f = c.frame().unwrap();
    assert_eq!(
        f.iter().map(|s| s.ts_ms).collect::<Vec<_>>(),
        [8_000, 9_000, 10_000]
    );
    assert!(f.iter().all(|s| s.dt_ms == Some(1_000)));
    c.seek_time(4_500);
    assert_eq!(c.ts(), 4_000);
    c.seek_time(0);
    assert_eq!(c.ts(), 1_000);
}

#[test]
fn gaps_are_found_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    // Samples every second with a stop between 10 s and 60 s and another after 70 s.
    let ts = (1..=10).chain(60..=70).chain(100..=105);
    let samples: Vec<RawSample> = ts
        .map(|t| RawSample {
            host: "h".into(),
            ts_ms: t * 1000,
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
    assert!(c.seek_marker(true));
    assert_eq!(c.ts(), 60_000);
    assert!(c.seek_marker(true));
    assert_eq!(c.ts(), 100_000);
    assert!(!c.seek_marker(true));
    assert!(c.seek_marker(false));
    assert_eq!(c.ts(), 60_000);
    assert!(!c.seek_marker(false));
    assert_eq!(c.ts(), 60_000);
}

#[test]
fn zoomed_frames_fit_the_columns() {
    let (_d, path) = store_with(2000);
    let mut w = Store::open_writer(&path).unwrap();
    w.pack(500).unwrap();
    drop(w);
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 100).unwrap();
    c.seek_last();
    for zoom in ZOOMS_MS {
        c.set_zoom(Some(zoom));
        let f = c.frame().unwrap();
        assert!(
            !f.is_empty() && f.len() <= 101,
            "{zoom}: {} columns",
            f.len()
        );
        assert_eq!(
            f.last().unwrap().ts_ms,
            2_000_000,
            "{zoom}: current sample last"
        );
    }
    // 5 minutes at 1 s: 300 samples, every third one.
    c.set_zoom(Some(300_000));
    let f = c.frame().unwrap();
    assert_eq!(f.len(), 100);
    assert_eq!(f[f.len() - 2].ts_ms, 1_997_000);
    // 1 hour: the 1-minute tier.
    c.set_zoom(Some(3_600_000));
    let f = c.frame().unwrap();
    assert!(f.len() >= 33 && f.len() <= 35, "{}", f.len());
}

#[test]
fn follows_new_samples_when_at_the_end() {
    let (_d, path) = store_with(3);
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
    c.seek_last();
    let mut w = Store::open_writer(&path).unwrap();
    w.insert(&[RawSample {
        host: "h".into(),
        ts_ms: 4_000,
        ..Default::default()
    }])
    .unwrap();
    assert_eq!(c.follow(true).unwrap(), 1);
    assert_eq!(c.ts(), 4_000);
}

#[test]
fn empty_range_is_a_clear_error() {
    let (_d, path) = store_with(3);
    let e = ReplayCursor::open(
        Store::open_reader(&path).unwrap(),
        None,
        Some(50_000),
        None,
        3,
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("no samples of h"), "{e}");
}

#[test]
fn typed_jumps_land_on_the_sample_meant_not_one_early() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    // Samples at .375 s past each second, a few ms late now and then.
    let times: Vec<i64> = (0..120)
        .map(|i| 1_000_000 + i * 1000 + 375 + if i % 7 == 0 { 6 } else { 0 })
        .collect();
    let samples: Vec<RawSample> = times
        .iter()
        .map(|&ts_ms| RawSample {
            host: "h".into(),
            ts_ms,
            ..Default::default()
        })
        .collect();
    w.insert(&samples).unwrap();
    drop(w);
    let mut c =
        ReplayCursor::open(Store::open_reader(&path).unwrap(), None, None, None, 3).unwrap();
    c.seek(Target::At(times[100]));
    let from = c.pos();
    assert_eq!(from, 100);
    // `J 30s`: 30 samples back, though the sample 30 s back (70) is 6 ms late.
    c.seek(Target::Near(c.ts() - 30_000));
    assert_eq!(from - c.pos(), 30);
    // `j 1000:50` (a clock time on a whole second): the sample shown as that second.
    c.seek(Target::At(1_050_000));
    assert_eq!(c.ts(), times[50]);
    // Before the start and past the end: the first and the last sample.
    c.seek(Target::Near(0));
    assert_eq!(c.pos(), 0);
    c.seek(Target::At(i64::MAX));
    assert_eq!(c.pos(), times.len() - 1);
}
