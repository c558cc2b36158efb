//! Log sources as tasks: files and globs followed (`tail -F`), commands (journald is
//! `journalctl -f`) read as they print. Each sends batches of lines into one bounded channel;
//! when it is full a source waits (a file's lines wait on disk), so nothing is dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use notify::Watcher;
use tokio::io::AsyncReadExt;
use tokio::sync::{mpsc, watch};

use super::cut::Cutter;
use super::tail::Follower;

/// Room for batches on their way to the log thread (a batch is at most about a megabyte of
/// lines per file).
pub const LOG_CHANNEL: usize = 16;
/// Longest wait between two looks at a file when no change was notified.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// After a change is notified, a short wait gathers the lines that follow it into one batch.
const GATHER: Duration = Duration::from_millis(50);
/// The command journald is read with.
pub const JOURNALCTL: &str = "journalctl -f -o short-iso -n 0 --no-pager";

/// Where lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A path or a glob.
    Files(String),
    /// Run with `sh -c`; restarted (with backoff) when it ends.
    Command(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub name: String,
    pub kind: Kind,
    /// Read files that exist at start from their beginning.
    pub from_start: bool,
    /// Longest line kept, in bytes.
    pub max_line: usize,
    /// The lines' format, when automatic detection is not wanted.
    pub format: Option<super::header::Format>,
}

/// Default cap on a line.
pub const MAX_LINE: usize = 8 << 10;

#[derive(Debug)]
pub enum LogMsg {
    Lines {
        source: Arc<str>,
        lines: Vec<String>,
    },
    /// A source cannot be read (once per distinct reason), or reads again (`reason` empty).
    Problem { source: Arc<str>, reason: String },
}

/// Starts every source, sending to `tx`; they stop when `stop` changes.
pub fn spawn(sources: Vec<LogSource>, tx: &mpsc::Sender<LogMsg>, stop: &watch::Receiver<bool>) {
    for s in sources {
        let (tx, stop) = (tx.clone(), stop.clone());
        match s.kind.clone() {
            Kind::Files(glob) => tokio::spawn(files(s, glob, tx, stop)),
            Kind::Command(cmd) => tokio::spawn(command(s, cmd, tx, stop)),
        };
    }
}

/// Reports a problem once until it changes.
struct Problems {
    source: Arc<str>,
    last: String,
}

impl Problems {
    /// The source's name, and its problems (none yet).
    fn of(src: &LogSource) -> (Arc<str>, Self) {
        let source: Arc<str> = src.name.as_str().into();
        let p = Problems {
            source: source.clone(),
            last: String::new(),
        };
        (source, p)
    }

    async fn say(&mut self, tx: &mpsc::Sender<LogMsg>, reason: String) {
        if reason != self.last {
            self.last = reason.clone();
            let source = self.source.clone();
            let _ = tx.send(LogMsg::Problem { source, reason }).await;
        }
    }
}

/// The folder a glob's matches live in (watched for new files), if it has no wildcard.
fn watch_dir(glob: &str) -> Option<PathBuf> {
    let dir = Path::new(glob).parent()?;
    (!dir.to_string_lossy().contains(['*', '?', '['])).then(|| dir.to_path_buf())
}

async fn files(
    src: LogSource,
    glob: String,
    tx: mpsc::Sender<LogMsg>,
    mut stop: watch::Receiver<bool>,
) {
    let (source, mut problems) = Problems::of(&src);
    // Changes in the folder wake the loop at once; the timer is the safety net.
    let (wake_tx, mut wake) = mpsc::channel::<()>(1);
    let watcher = notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
        let _ = wake_tx.try_send(());
    });
    let _watcher = match (watcher, watch_dir(&glob)) {
        (Ok(mut w), Some(dir)) => w
            .watch(&dir, notify::RecursiveMode::NonRecursive)
            .is_ok()
            .then_some(w),
        _ => None,
    };
    let mut followers: BTreeMap<PathBuf, Follower> = BTreeMap::new();
    let mut first = true;
    loop {
        // Matches now; a file matched after the start is read from its beginning.
        match glob::glob(&glob) {
            Ok(paths) => {
                for p in paths.filter_map(Result::ok) {
                    followers.entry(p.clone()).or_insert_with(|| {
                        Follower::new(p, src.max_line, src.from_start || !first)
                    });
                }
            }
            Err(e) => problems.say(&tx, format!("{glob}: {e}")).await,
        }
        // A plain path is followed even before it exists.
        if followers.is_empty() && !glob.contains(['*', '?', '[']) {
            let p = PathBuf::from(&glob);
            followers.insert(p.clone(), Follower::new(p, src.max_line, src.from_start));
        }
        first = false;
        let (back, result) = tokio::task::spawn_blocking(move || {
            let mut lines = Vec::new();
            let mut errors = Vec::new();
            for f in followers.values_mut() {
                if let Err(e) = f.poll(&mut lines) {
                    errors.push(format!("{}: {e}", f.path().display()));
                }
            }
            (followers, (lines, errors))
        })
        .await
        .unwrap_or_else(|e| {
            (
                BTreeMap::new(),
                (Vec::new(), vec![format!("reader failed: {e}")]),
            )
        });
        followers = back;
        let (lines, errors) = result;
        let behind = followers.values().any(Follower::behind);
        problems.say(&tx, errors.join("; ")).await;
        if !lines.is_empty() {
            let msg = LogMsg::Lines {
                source: source.clone(),
                lines,
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
        // A file with more to read is read again at once (the send above waited while the
        // log thread was busy).
        if behind {
            if stop.has_changed().unwrap_or(true) {
                return;
            }
            continue;
        }
        tokio::select! {
            Some(()) = wake.recv() => tokio::time::sleep(GATHER).await,
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn command(
    src: LogSource,
    cmd: String,
    tx: mpsc::Sender<LogMsg>,
    mut stop: watch::Receiver<bool>,
) {
    let (source, mut problems) = Problems::of(&src);
    let mut backoff = Duration::from_secs(1);
    loop {
        let child = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&cmd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let reason = match child {
            Err(e) => format!("`{cmd}`: {e}"),
            Ok(mut child) => {
                let Some(mut out) = child.stdout.take() else {
                    return;
                };
                let mut cut = Cutter::new(src.max_line);
                let mut buf = vec![0u8; 64 << 10];
                let started = tokio::time::Instant::now();
                loop {
                    let n = tokio::select! {
                        r = out.read(&mut buf) => r.unwrap_or(0),
                        _ = stop.changed() => return,
                    };
                    let mut lines = Vec::new();
                    if n == 0 {
                        cut.finish(&mut lines);
                    } else {
                        cut.take(&buf[..n], &mut lines);
                    }
                    if !lines.is_empty() {
                        problems.say(&tx, String::new()).await;
                        let msg = LogMsg::Lines {
                            source: source.clone(),
                            lines,
                        };
                        if tx.send(msg).await.is_err() {
                            return;
                        }
                    }
                    if n == 0 {
                        break;
                    }
                }
                if started.elapsed() > Duration::from_secs(60) {
                    backoff = Duration::from_secs(1);
                }
                match child.wait().await {
                    Ok(st) => format!("`{cmd}` ended ({st}); restarting"),
                    Err(e) => format!("`{cmd}`: {e}"),
                }
            }
        };
        problems.say(&tx, reason).await;
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(60));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(kind: Kind) -> LogSource {
        LogSource {
            name: "t".into(),
            kind,
            from_start: false,
            max_line: MAX_LINE,
            format: None,
        }
    }

    #[tokio::test]
    async fn a_command_is_read_as_it_prints_and_restarted_when_it_ends() {
        let (_stop_tx, stop) = watch::channel(false);
        let (tx, mut rx) = mpsc::channel(LOG_CHANNEL);
        let printf = "printf 'one\\ntwo\\r\\nthr'";
        spawn(vec![source(Kind::Command(printf.into()))], &tx, &stop);
        let mut lines = Vec::new();
        let mut problem = None;
        while problem.is_none() {
            match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
                Ok(Some(LogMsg::Lines { lines: l, .. })) => lines.extend(l),
                Ok(Some(LogMsg::Problem { reason, .. })) if !reason.is_empty() => {
                    problem = Some(reason)
                }
                Ok(Some(_)) => {}
                other => panic!("no problem reported: {other:?}"),
            }
        }
        assert_eq!(lines, ["one", "two", "thr"]);
        assert!(problem.is_some_and(|p| p.contains("ended") && p.contains("restarting")));
        // Restarted after a second: the lines come again.
        let again = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
        assert!(matches!(
            again,
            Ok(Some(LogMsg::Lines { .. }) | Some(LogMsg::Problem { .. }))
        ));
    }

    #[tokio::test]
    async fn a_glob_picks_up_files_that_appear_later() {
        let dir = tempfile::tempdir().expect("dir");
        let glob = format!("{}/*.log", dir.path().display());
        let (_stop_tx, stop) = watch::channel(false);
        let (tx, mut rx) = mpsc::channel(LOG_CHANNEL);
        spawn(vec![source(Kind::Files(glob))], &tx, &stop);
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(dir.path().join("late.log"), "hello\n").expect("write");
        let got = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
        match got {
            Ok(Some(LogMsg::Lines { lines, .. })) => assert_eq!(lines, ["hello"]),
            other => panic!("{other:?}"),
        }
    }
}
