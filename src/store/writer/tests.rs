use super::*;
use crate::logs::saved::{PatternSaves, SavedPattern};

#[test]
fn a_burst_of_state_takes_no_room_from_samples_and_is_all_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("h.db");
    let w = spawn_writer(
        Store::open_writer(&path).expect("open"),
        Duration::from_millis(200),
        crate::config::Config::default().retention(),
    );
    let now = chrono::Utc::now().timestamp_millis();
    let n = 20_000;
    for uid in 1..=n {
        w.side.send_patterns(PatternSaves {
            patterns: vec![SavedPattern {
                uid,
                source: "app".into(),
                template: format!("pattern {uid}"),
                count: 1,
                first_ms: now,
                last_ms: now,
                levels: Default::default(),
                examples: Vec::new(),
            }],
            rates: vec![(uid, now - now % 60_000, 1)],
            merged: Vec::new(),
        });
        if uid % 200 == 0 {
            w.send(RawSample {
                host: "a".into(),
                ts_ms: now + uid as i64,
                ..Default::default()
            });
        }
    }
    let status = w.status.clone();
    w.finish();
    assert_eq!(status.dropped.load(Ordering::Relaxed), 0);
    assert_eq!(status.written.load(Ordering::Relaxed), 100);
    let r = Store::open_reader(&path).expect("reader");
    assert_eq!(r.load_patterns().expect("patterns").len(), n as usize);
}
