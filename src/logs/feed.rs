//! Log sources as tasks: files and globs followed (`tail -F`), commands (journald is
//! `journalctl -f`) read as they print. Each sends batches of lines into one bounded channel;
//! when it is full a source waits (a file's lines wait on disk), so nothing is dropped.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::sync::{mpsc, watch};

use super::cut::Cutter;

/// Room for batches on their way to the log thread (a batch is at most about a megabyte of
/// lines per file).
pub const LOG_CHANNEL: usize = 16;
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
            Kind::Files(glob) => tokio::spawn(super::follow::files(s, glob, tx, stop)),
            Kind::Command(cmd) => tokio::spawn(command(s, cmd, tx, stop)),
        };
    }
}

/// Reports a problem once until it changes.
pub(super) struct Problems {
    source: Arc<str>,
    last: String,
}

impl Problems {
    /// The source's name, and its problems (none yet).
    pub(super) fn of(src: &LogSource) -> (Arc<str>, Self) {
        let source: Arc<str> = src.name.as_str().into();
        let p = Problems {
            source: source.clone(),
            last: String::new(),
        };
        (source, p)
    }

    pub(super) async fn say(&mut self, tx: &mpsc::Sender<LogMsg>, reason: String) {
        if reason != self.last {
            self.last = reason.clone();
            let source = self.source.clone();
            let _ = tx.send(LogMsg::Problem { source, reason }).await;
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
