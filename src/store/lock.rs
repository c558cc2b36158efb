use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

/// An exclusive OS lock on `<db>.lock` holding the writer's pid. The kernel releases it when
/// the process dies, so a crash never leaves a stale lock behind.
pub(super) struct WriterLock {
    _file: File,
}

impl WriterLock {
    pub(super) fn acquire(db: &Path) -> Result<Self, StoreError> {
        let path = lock_path(db);
        let io = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                file.read_to_string(&mut pid).map_err(io)?;
                return Err(StoreError::Locked {
                    path: db.display().to_string(),
                    pid: pid.trim().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        Ok(Self { _file: file })
    }
}

/// `<db>.lock` beside the file itself: a symbolic link to the history (or a path through
/// one) locks the same file as its target.
fn lock_path(db: &Path) -> PathBuf {
    let real = db.canonicalize().unwrap_or_else(|_| {
        let dir = db.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.and_then(|d| d.canonicalize().ok());
        match (dir, db.file_name()) {
            (Some(d), Some(name)) => d.join(name),
            _ => db.to_path_buf(),
        }
    });
    let mut name = real.into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}
