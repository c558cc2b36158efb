use super::*;

#[test]
fn a_notice_waits_per_receiver_until_delivered_or_dead_across_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut w = Store::open_writer(&path).unwrap();
    let to = [
        ("mail".to_string(), "{}".to_string()),
        ("hook".into(), "{}".into()),
    ];
    w.enqueue("n1", &to, 1000).unwrap();
    w.enqueue("n1", &to, 1001).unwrap();
    let mail = w.due("mail", 1000, 10).unwrap();
    assert_eq!(mail.len(), 1, "queued once per receiver");
    w.attempted(mail[0].id, &Outcome::Delivered, 1100).unwrap();
    // Delivered notices go with retention; pending ones never do.
    let keep = crate::store::Retention {
        raw_ms: i64::MAX / 4,
        rollup_ms: 500,
        max_bytes: None,
        patterns: 10,
    };
    w.enforce(2000, keep).unwrap();
    let left: i64 = (w.conn)
        .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1, "the delivered one went, the pending one stayed");
    let hook = w.due("hook", 1000, 10).unwrap();
    let retry = Outcome::Retry {
        next_ms: 5000,
        error: "503".into(),
    };
    w.attempted(hook[0].id, &retry, 1100).unwrap();
    assert!(
        w.due("hook", 4999, 10).unwrap().is_empty(),
        "waits its backoff"
    );
    let st = w.receiver_state("hook").unwrap();
    assert_eq!((st.pending, st.failing_since), (1, Some(1000)));
    // A restart: what was confirmed is never due again; what was not is.
    drop(w);
    let w = Store::open_writer(&path).unwrap();
    assert!(w.due("mail", i64::MAX, 10).unwrap().is_empty());
    let again = w.due("hook", 5000, 10).unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1));
    let dead = Outcome::Dead {
        error: "401".into(),
    };
    w.attempted(again[0].id, &dead, 6000).unwrap();
    assert_eq!(w.receiver_state("hook").unwrap().dead, 1);
    assert!(w.retry_dead(again[0].id, 7000).unwrap());
    assert_eq!(w.due("hook", 7000, 10).unwrap().len(), 1, "back by hand");
}

#[test]
fn a_notice_waiting_for_its_retry_holds_back_later_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Store::open_writer(&dir.path().join("h.db")).unwrap();
    let to = [("hook".to_string(), "{}".to_string())];
    w.enqueue("n1", &to, 1000).unwrap();
    w.enqueue("n2", &to, 1001).unwrap();
    let both = w.due("hook", 2000, 10).unwrap();
    assert_eq!(both.len(), 2);
    let retry = Outcome::Retry {
        next_ms: 5000,
        error: "503".into(),
    };
    w.attempted(both[0].id, &retry, 2000).unwrap();
    assert!(
        w.due("hook", 4000, 10).unwrap().is_empty(),
        "n2 waits behind n1"
    );
    let dead = Outcome::Dead {
        error: "400".into(),
    };
    w.attempted(both[0].id, &dead, 5000).unwrap();
    let next = w.due("hook", 5000, 10).unwrap();
    assert_eq!(
        next.iter().map(|p| p.notice.as_str()).collect::<Vec<_>>(),
        ["n2"]
    );
}

#[test]
fn backoff_doubles_to_five_minutes_with_jitter() {
    for seed in [1, 99, 123_456] {
        assert!((800..=1200).contains(&backoff_ms(0, seed)));
        assert!((1600..=2400).contains(&backoff_ms(1, seed)));
        assert!((240_000..=360_000).contains(&backoff_ms(20, seed)));
    }
}

#[test]
fn the_view_lists_notices_newest_first_and_by_alert_and_drops_dead_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Store::open_writer(&dir.path().join("h.db")).unwrap();
    let about = |fp: &str| format!("{{\"alerts\":[{{\"fingerprint\":\"{fp}\"}}]}}");
    w.enqueue("n1", &[("hook".into(), about("00000000000000aa"))], 1000)
        .unwrap();
    w.enqueue("n2", &[("hook".into(), about("00000000000000bb"))], 2000)
        .unwrap();
    let all = w.sent(None, 10).unwrap();
    assert_eq!(
        all.iter().map(|s| s.notice.as_str()).collect::<Vec<_>>(),
        ["n2", "n1"]
    );
    let one = w.sent(Some("00000000000000aa"), 10).unwrap();
    assert_eq!((one.len(), one[0].state), (1, SentState::Pending));
    assert!(
        !w.drop_dead(one[0].id).unwrap(),
        "only dead letters are dropped"
    );
    let dead = Outcome::Dead {
        error: "400".into(),
    };
    w.attempted(one[0].id, &dead, 3000).unwrap();
    assert_eq!(
        w.sent(Some("00000000000000aa"), 10).unwrap()[0].state,
        SentState::Dead
    );
    assert!(w.drop_dead(one[0].id).unwrap());
    assert_eq!(w.sent(None, 10).unwrap().len(), 1);
}
