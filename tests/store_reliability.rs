//! The history file under abuse: kill -9 at random moments, and a disk that fills up.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::tmux::Tmux;
use montui::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_montui");

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn times(db: &Path) -> Vec<i64> {
    let store = Store::open_reader(db).expect("history opens");
    match store.hosts().unwrap().first() {
        Some(h) => store.sample_times(h, 0, i64::MAX).unwrap(),
        None => Vec::new(),
    }
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn kill_9_twenty_times_loses_at_most_the_last_flush() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut seed = now_ms() as u64 | 1;
    let mut before = 0;
    for round in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let run = Duration::from_millis(300 + seed % 2200);
        let started = Instant::now();
        let mut child = Command::new(BIN)
            .args(["--headless", "--interval", "100ms", "--db"])
            .arg(&db)
            .env("XDG_CONFIG_HOME", dir.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(run);
        child.kill().unwrap(); // SIGKILL
        let killed = now_ms();
        child.wait().unwrap();
        assert_eq!(integrity(&db), "ok", "round {round}");
        let t = times(&db);
        assert!(t.len() >= before, "round {round}: samples were lost");
        // Samples are committed every second (the default flush interval): everything up
        // to a second (plus one interval and some scheduling slack) before the kill is there.
        if started.elapsed() > Duration::from_millis(1600) {
            let last = *t.last().expect("samples");
            assert!(
                killed - last <= 1_000 + 100 + 400,
                "round {round}: last sample {} ms before the kill",
                killed - last
            );
        }
        before = t.len();
    }
    assert!(before > 50, "only {before} samples in 20 runs");
}

/// A size-limited tmpfs, unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            if std::env::var("MONTUI_E2E").as_deref() == Ok("require") {
                panic!("MONTUI_E2E=require but mounting a tmpfs failed: run as root");
            }
            println!("SKIP: needs root to mount a small tmpfs");
            return None;
        }
        Some(Self(dir.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system but for `leave` bytes.
fn fill(path: &Path, leave: u64) {
    let st = nix_statvfs(path.parent().unwrap());
    let size = st.saturating_sub(leave);
    let f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut w = std::io::BufWriter::new(f);
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if std::io::Write::write_all(&mut w, &chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = std::io::Write::flush(&mut w);
}

fn nix_statvfs(dir: &Path) -> u64 {
    let out = Command::new("stat")
        .args(["-f", "-c", "%a %S"])
        .arg(dir)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    let mut it = s.split_whitespace().map(|x| x.parse::<u64>().unwrap_or(0));
    it.next().unwrap_or(0) * it.next().unwrap_or(0)
}

#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
#[test]
fn full_disk_pauses_recording_visibly_and_resumes_without_losing_samples() {
    let tmux = common::need("tmux");
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("disk");
    std::fs::create_dir(&mnt).unwrap();
    let Some(_disk) = SmallDisk::mount(&mnt, "4m") else {
        return;
    };
    let db = mnt.join("h.db");
    let state = dir.path().join("state");
    let env = [("XDG_CONFIG_HOME", dir.path()), ("XDG_STATE_HOME", &state)];
    let t = Tmux::start(
        &tmux,
        &format!("'{BIN}' --interval 200ms --db '{}'", db.display()),
        &env,
        120,
        40,
    );
    t.wait_for("recording", |s| s.contains("● REC"));
    std::thread::sleep(Duration::from_secs(1));
    let filler = mnt.join("filler");
    fill(&filler, 0);
    let s = t.wait_for("recording paused", |s| s.contains("REC PAUSED"));
    assert!(s.contains("LIVE"), "{s}");
    // montui's log says so (in the file: on a loaded machine other warnings, an alert that
    // cannot be saved either, may fill the log pane).
    let log = state.join("montui/montui.log");
    let said = (0..600).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("recording paused"))
    });
    assert!(said, "the log does not say so:\n{s}");
    // The live view keeps moving while nothing can be written.
    let shown = common::status_time(&s);
    t.wait_for("live view updating", |s| common::status_time(s) != shown);
    std::fs::remove_file(&filler).unwrap();
    t.wait_for("recording resumed", |s| s.contains("● REC"));
    std::thread::sleep(Duration::from_millis(1500));
    t.send("q");
    t.wait_for("exit", |s| s.contains("EXIT=0"));
    // Nothing was dropped: the samples held while the disk was full were written after.
    let ts = times(&db);
    let worst = ts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    assert!(worst < 1_000, "a gap of {worst} ms in the recording");
    assert_eq!(integrity(&db), "ok");
}

/// A tmpfs of `size` at `disk` in a temporary folder (the disk goes first when dropped), and
/// the history file's path on it.
fn small_disk(size: &str) -> Option<(SmallDisk, tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("disk");
    std::fs::create_dir(&mnt).unwrap();
    Some((SmallDisk::mount(&mnt, size)?, dir, mnt.join("h.db")))
}

fn term(child: &std::process::Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
}

/// `montui --headless` recording into `db` every 200 ms, once it has recorded 3 samples.
fn recording(home: &Path, db: &Path, stderr: Stdio) -> std::process::Child {
    let child = Command::new(BIN)
        .args(["--headless", "--interval", "200ms", "--db"])
        .arg(db)
        .envs(common::home(home))
        .stderr(stderr)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !(db.exists() && times(db).len() >= 3) && start.elapsed() < common::WAIT {
        std::thread::sleep(Duration::from_millis(200));
    }
    child
}

#[test]
fn a_stop_with_the_disk_full_says_what_was_lost_and_fails() {
    let Some((_disk, dir, db)) = small_disk("4m") else {
        return;
    };
    let mnt = dir.path().join("disk");
    let mut child = recording(dir.path(), &db, Stdio::piped());
    fill(&mnt.join("filler"), 0);
    // Samples pile up while the disk refuses them.
    std::thread::sleep(Duration::from_secs(3));
    term(&child);
    let code = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        !code.success(),
        "a stop that lost samples is a failure:\n{err}"
    );
    assert!(
        err.contains("not written, lost:") && err.contains(" samples ("),
        "says what was lost:\n{err}"
    );
    assert!(!err.contains("last batch flushed"), "{err}");
}

#[test]
fn a_history_on_a_read_only_mount_exports() {
    let Some((_disk, dir, db)) = small_disk("8m") else {
        return;
    };
    let mnt = dir.path().join("disk");
    let child = recording(dir.path(), &db, Stdio::null());
    term(&child);
    assert!(child.wait_with_output().unwrap().status.success());
    let ro = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status()
        .unwrap();
    assert!(ro.success(), "remount read-only");
    let out = Command::new(BIN)
        .args(["export", "--metric", "load1", "--from", "1h ago", "--db"])
        .arg(&db)
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.lines().count() >= 4, "a header and the samples:\n{csv}");
}
