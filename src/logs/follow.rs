//! A file source as a task: a path or glob followed like `tail -F`. All file work (the glob's
//! bounded walk, opening, reading) runs off the runtime. The folders of the files are watched
//! (inotify): a change wakes the task and only the files changed are read; every `RESCAN` the
//! glob is walked again and every file looked at, the safety net for what a watch misses.
//! Without watches, files are looked at every second. Files a glob matched that are gone are
//! forgotten once read to their end.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::Watcher;
use tokio::sync::{mpsc, watch};

use super::feed::{LogMsg, LogSource, Problems};
use super::tail::Follower;
use super::walk;

/// Longest wait between two looks at the files when no change was notified and no folder
/// is watched.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// Time between two walks of the glob (and looks at every file).
const RESCAN: Duration = Duration::from_secs(10);
/// After a change is notified, a short wait gathers the lines that follow it into one batch.
const GATHER: Duration = Duration::from_millis(50);
/// Folders watched per source, at most (past this the files are looked at every second).
const MAX_WATCHES: usize = 64;
/// Changed paths remembered between two looks; past this every file is looked at.
const MAX_CHANGED: usize = 4096;

/// What the watches saw since the last look.
#[derive(Default)]
struct Changes {
    paths: HashSet<PathBuf>,
    /// Too many to name: look at everything.
    all: bool,
}

/// The followed files of one source, and whether each round reads all of them or only those
/// changed.
struct Files {
    glob: String,
    followers: BTreeMap<PathBuf, Follower>,
    max_line: usize,
    from_start: bool,
    first: bool,
}

/// One round's findings.
struct Round {
    lines: Vec<String>,
    errors: Vec<String>,
    behind: bool,
}

impl Files {
    /// Walks the glob (if `rescan`), then reads the files: all of them, or those in `only`.
    fn round(&mut self, rescan: bool, only: Option<&HashSet<PathBuf>>) -> Round {
        let mut errors = Vec::new();
        let mut matched = None;
        if rescan && walk::is_glob(&self.glob) {
            match walk::expand(&self.glob) {
                Ok(paths) => {
                    for p in &paths {
                        // A file matched after the start is read from its beginning.
                        let from_start = self.from_start || !self.first;
                        (self.followers.entry(p.clone()))
                            .or_insert_with(|| Follower::new(p.clone(), self.max_line, from_start));
                    }
                    matched = Some(paths.into_iter().collect::<HashSet<_>>());
                }
                Err(e) => {
                    // Past a bound: reported, and nothing of it followed.
                    self.followers.clear();
                    errors.push(e);
                }
            }
        } else if self.followers.is_empty() && !walk::is_glob(&self.glob) {
            // A plain path is followed even before it exists.
            let p = PathBuf::from(&self.glob);
            let f = Follower::new(p.clone(), self.max_line, self.from_start);
            self.followers.insert(p, f);
        }
        self.first = false;
        let mut lines = Vec::new();
        for (path, f) in &mut self.followers {
            if only.is_some_and(|o| !o.contains(path)) && matched.is_none() {
                continue;
            }
            if let Err(e) = f.poll(&mut lines) {
                // A plain path is the source's name already: not said twice.
                errors.push(match path.as_os_str() == self.glob.as_str() {
                    true => e.to_string(),
                    false => format!("{}: {e}", path.display()),
                });
            }
        }
        // Gone from the glob and from the disk, and read to the end: forgotten.
        if let Some(m) = &matched {
            self.followers.retain(|p, f| m.contains(p) || f.is_open());
        }
        let behind = self.followers.values().any(Follower::behind);
        Round {
            lines,
            errors,
            behind,
        }
    }

    /// The folders to watch: the glob's base and each file's.
    fn folders(&self) -> HashSet<PathBuf> {
        let mut dirs: HashSet<PathBuf> = (self.followers.keys())
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let parts: Vec<&str> = self.glob.split('/').collect();
        if let Some(first) = parts.iter().position(|p| walk::is_glob(p)) {
            dirs.insert(PathBuf::from(parts[..first].join("/")));
        }
        dirs.retain(|d| !d.as_os_str().is_empty());
        dirs
    }
}

pub async fn files(
    src: LogSource,
    glob: String,
    tx: mpsc::Sender<LogMsg>,
    mut stop: watch::Receiver<bool>,
) {
    let (source, mut problems) = Problems::of(&src);
    let changes = Arc::new(Mutex::new(Changes::default()));
    // Changes in the folders wake the loop at once; the timers are the safety net.
    let (wake_tx, mut wake) = mpsc::channel::<()>(1);
    let seen = changes.clone();
    let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let (Ok(ev), Ok(mut c)) = (ev, seen.lock()) {
            c.paths.extend(ev.paths);
            if c.paths.len() > MAX_CHANGED {
                c.paths.clear();
                c.all = true;
            }
        }
        let _ = wake_tx.try_send(());
    });
    let mut watcher = watcher.ok();
    let mut watched: HashSet<PathBuf> = HashSet::new();
    let mut all_watched = false;
    let mut files = Files {
        glob,
        followers: BTreeMap::new(),
        max_line: src.max_line,
        from_start: src.from_start,
        first: true,
    };
    let mut rescanned: Option<Instant> = None;
    let mut changed: Option<HashSet<PathBuf>> = None;
    let mut unknown = false;
    loop {
        // A path changed that is no file followed (one new, renamed, removed): walk again,
        // at most once a second.
        unknown |=
            (changed.as_ref()).is_some_and(|c| c.iter().any(|p| !files.followers.contains_key(p)));
        let rescan = rescanned
            .is_none_or(|t| t.elapsed() >= RESCAN || (unknown && t.elapsed() >= LOOK_EVERY));
        // Watched, a round reads what changed; else everything.
        let only = changed.take().filter(|_| all_watched && !rescan);
        let job = tokio::task::spawn_blocking(move || {
            let r = files.round(rescan, only.as_ref());
            (files, r)
        });
        let Ok((back, round)) = job.await else {
            problems.say(&tx, "reader failed".into()).await;
            return;
        };
        files = back;
        if rescan {
            rescanned = Some(Instant::now());
            unknown = false;
            if let Some(w) = watcher.as_mut() {
                all_watched = watch_folders(w, &mut watched, files.folders());
            }
        }
        problems.say(&tx, round.errors.join("; ")).await;
        if !round.lines.is_empty() {
            let msg = LogMsg::Lines {
                source: source.clone(),
                lines: round.lines,
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
        // A file with more to read is read again at once (the send above waited while the
        // log thread was busy).
        if round.behind {
            if stop.has_changed().unwrap_or(true) {
                return;
            }
            continue;
        }
        // A walk put off (a second since the last) waits no longer than that second.
        let idle = match (all_watched, unknown) {
            (true, false) => RESCAN,
            _ => LOOK_EVERY,
        };
        tokio::select! {
            Some(()) = wake.recv() => tokio::time::sleep(GATHER).await,
            _ = tokio::time::sleep(idle) => {}
            _ = stop.changed() => return,
        }
        if let Ok(mut c) = changes.lock() {
            let c = std::mem::take(&mut *c);
            changed = (!c.all && !c.paths.is_empty()).then_some(c.paths);
        }
    }
}

/// Watches `want` (adding what is new); whether every folder is watched.
fn watch_folders(
    w: &mut notify::RecommendedWatcher,
    watched: &mut HashSet<PathBuf>,
    want: HashSet<PathBuf>,
) -> bool {
    if want.len() > MAX_WATCHES {
        return false;
    }
    let mut all = true;
    for d in want {
        if !watched.contains(&d) {
            if w.watch(&d, notify::RecursiveMode::NonRecursive).is_ok() {
                watched.insert(d);
            } else {
                all = false;
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dir/*.log`, read from the start.
    fn logs_in(dir: &Path) -> Files {
        Files {
            glob: format!("{}/*.log", dir.display()),
            followers: BTreeMap::new(),
            max_line: 100,
            from_start: true,
            first: true,
        }
    }

    #[test]
    fn files_gone_from_a_glob_are_read_to_their_end_then_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = logs_in(dir.path());
        for i in 0..50 {
            std::fs::write(dir.path().join(format!("{i}.log")), "a\n").unwrap();
        }
        let r = files.round(true, None);
        assert_eq!((r.lines.len(), files.followers.len()), (50, 50));
        for i in 0..50 {
            let p = dir.path().join(format!("{i}.log"));
            std::fs::write(&p, "a\nlast\n").unwrap();
            std::fs::remove_file(&p).unwrap();
        }
        let r = files.round(true, None);
        assert_eq!(r.lines.len(), 50, "each file's last line read");
        assert!(files.followers.is_empty(), "then forgotten");
    }

    #[test]
    fn a_round_reads_only_the_files_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = logs_in(dir.path());
        let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        files.round(true, None);
        std::fs::write(&a, "to a\n").unwrap();
        std::fs::write(&b, "to b\n").unwrap();
        let only: HashSet<PathBuf> = [a].into();
        assert_eq!(files.round(false, Some(&only)).lines, ["to a"]);
        assert_eq!(files.round(false, None).lines, ["to b"]);
    }
}
