use std::io::Write;

use super::*;

fn append(path: &std::path::Path, text: &[u8]) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open");
    f.write_all(text).expect("write");
}

fn poll(f: &mut Follower) -> Vec<String> {
    let mut out = Vec::new();
    f.poll(&mut out).expect("poll");
    out
}

#[test]
fn starts_at_the_end_then_follows_appends_and_partial_lines() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("app.log");
    append(&p, b"old line\n");
    let mut f = Follower::new(p.clone(), 8192, false);
    assert!(poll(&mut f).is_empty());
    append(&p, b"one\r\ntw");
    assert_eq!(poll(&mut f), ["one"]);
    append(&p, b"o\n\nthree\n");
    assert_eq!(poll(&mut f), ["two", "three"]);
    let mut g = Follower::new(p, 8192, true);
    assert_eq!(poll(&mut g), ["old line", "one", "two", "three"]);
}

#[test]
fn rotation_by_rename_loses_and_repeats_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("app.log");
    append(&p, b"");
    let mut f = Follower::new(p.clone(), 8192, false);
    assert!(poll(&mut f).is_empty());
    append(&p, b"a\nb\n");
    assert_eq!(poll(&mut f), ["a", "b"]);
    // Written after the last look, then rotated: still read from the old file.
    append(&p, b"c\nunfinished");
    std::fs::rename(&p, dir.path().join("app.log.1")).expect("rename");
    assert_eq!(poll(&mut f), ["c", "unfinished"]);
    append(&p, b"d\n");
    assert_eq!(poll(&mut f), ["d"]);
}

#[test]
fn truncation_and_a_missing_file_start_over() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("app.log");
    let mut f = Follower::new(p.clone(), 8192, false);
    assert!(poll(&mut f).is_empty(), "missing: waits");
    append(&p, b"first\n");
    assert_eq!(
        poll(&mut f),
        ["first"],
        "appeared later: read from its start"
    );
    std::fs::write(&p, b"").expect("truncate");
    assert!(poll(&mut f).is_empty());
    append(&p, b"after\n");
    assert_eq!(poll(&mut f), ["after"]);
    std::fs::remove_file(&p).expect("rm");
    assert!(poll(&mut f).is_empty());
    append(&p, b"again\n");
    assert_eq!(poll(&mut f), ["again"]);
}

#[test]
fn long_lines_are_capped_and_garbage_is_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("app.log");
    append(&p, b"");
    let mut f = Follower::new(p.clone(), 8, false);
    assert!(poll(&mut f).is_empty());
    append(&p, b"0123456789abc\nok\n\xff\xfebin\x00\n");
    assert_eq!(poll(&mut f), ["01234567", "ok", "\u{fffd}\u{fffd}bin\u{0}"]);
    assert_eq!(f.lines.cut_bytes, 5);
    // A capped line split over two reads.
    append(&p, b"abcdef");
    assert!(poll(&mut f).is_empty());
    append(&p, b"ghijk\nz\n");
    assert_eq!(poll(&mut f), ["abcdefgh", "z"]);
    assert_eq!(f.lines.cut_bytes, 8);
}

#[test]
fn a_call_that_stops_at_its_cap_says_there_is_more() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("app.log");
    append(&p, b"");
    let mut f = Follower::new(p.clone(), crate::logs::feed::MAX_LINE, false);
    assert!(poll(&mut f).is_empty());
    let line = format!("{}\n", "x".repeat(99));
    append(&p, line.repeat(3 * READ_MAX / 100).as_bytes());
    let mut got = 0;
    let mut calls = 0;
    loop {
        got += poll(&mut f).len();
        calls += 1;
        if !f.behind() {
            break;
        }
    }
    assert_eq!(got, 3 * READ_MAX / 100);
    assert!(calls >= 3, "{calls} calls");
}

#[test]
fn a_fifo_is_read_as_written_and_never_waited_for() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("pipe");
    let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: mkfifo only creates a file at a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut f = Follower::new(p.clone(), crate::logs::feed::MAX_LINE, false);
    assert!(poll(&mut f).is_empty(), "no writer: nothing, at once");
    let mut w = std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .expect("writer");
    w.write_all(b"one\ntwo\n").expect("write");
    assert_eq!(poll(&mut f), ["one", "two"]);
    drop(w);
    assert!(poll(&mut f).is_empty(), "the writer gone: nothing, at once");
}

#[test]
fn devices_and_folders_are_refused_with_the_reason() {
    for (path, why) in [("/dev/zero", "a device"), ("/tmp", "a folder")] {
        let mut f = Follower::new(path.into(), crate::logs::feed::MAX_LINE, true);
        let mut out = Vec::new();
        let err = f.poll(&mut out).expect_err(path);
        assert!(err.to_string().contains(why), "{path}: {err}");
        assert!(out.is_empty());
    }
}
