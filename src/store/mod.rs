//! History in one SQLite file: raw samples per host, versioned schema, one writer at a time.
//! No terminal code here.

mod alerts;
mod anomalies;
mod block;
mod codec;
mod flatten;
pub use flatten::proc_keys;
mod frame;
mod lock;
mod outbox;
mod pack;
mod patterns;
mod reader;
mod retention;
mod rollup;
mod schema;
mod side;
mod texts;
mod writer;

pub use codec::FORMAT;
pub use outbox::{Outcome, Pending, Queued, ReceiverState, Sent, SentState, backoff_ms};
pub use pack::BLOCK_SAMPLES;
pub use retention::{PATTERNS_KEPT, RAW_KEPT_MS, Retention};
pub use rollup::TIERS_MS;
pub use schema::SCHEMA_VERSION;
pub use side::{Bell, WriterSide};
pub use writer::{WriterHandle, WriterStatus, spawn_writer};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path} is being recorded by another montui (pid {pid}). Browse it with `montui --replay`, \
         or record elsewhere with --db PATH"
    )]
    Locked { path: String, pid: String },
    #[error(
        "{path} was written by a newer montui (store format {found}, this montui knows up to \
         {supported}); upgrade montui to open it"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path}: no history recorded there yet (run montui or montui --headless first)")]
    Missing { path: String },
    #[error("{path} is a directory: give a file in it, e.g. --db {path}/history.db")]
    Directory { path: String },
    #[error("{path} is an SQLite file of something else, not a montui history: left as it is")]
    Foreign { path: String },
}

/// How readers (and the format check before a writer) open a history: nothing is written.
const READ_ONLY: OpenFlags =
    OpenFlags::SQLITE_OPEN_READ_ONLY.union(OpenFlags::SQLITE_OPEN_NO_MUTEX);

/// An open history file. A writer holds the lock file next to it for as long as it lives.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    host_ids: HashMap<String, i64>,
    /// Process texts this writer has stored (`texts`).
    written: texts::Written,
    block_cache: std::cell::RefCell<reader::BlockCache>,
    /// What reading skipped as unreadable, said once each (for `export` to report).
    skipped: std::cell::RefCell<Vec<String>>,
    _lock: Option<lock::WriterLock>,
    /// The updated copy an older file is read from, removed with the store.
    copy: Option<tempfile::TempDir>,
}

/// Whether this process may create files in the folder of `path`.
fn writable_folder(path: &Path) -> bool {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: access only reads the NUL-terminated path given.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// A path as the path of a `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'%' | b'?' | b'#' | 0x80.. => out += &format!("%{b:02X}"),
            _ => out.push(char::from(*b)),
        }
    }
    out
}

impl Store {
    /// Opens (creating if needed) for recording; refuses if another process records it. A
    /// new directory is private (0700) and the file is its owner's alone (0600): log examples
    /// in it may come from root-only logs.
    pub fn open_writer(path: &Path) -> Result<Self, StoreError> {
        if path.is_dir() {
            return Err(StoreError::Directory {
                path: path.display().to_string(),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            use std::os::unix::fs::DirBuilderExt;
            let mut private = std::fs::DirBuilder::new();
            private.recursive(true).mode(0o700);
            private.create(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        if path.exists() {
            // Nothing is locked, created or changed in a file that is not ours.
            Self::connect(path, READ_ONLY, None)?.check_format()?;
        }
        let lock = lock::WriterLock::acquire(path)?;
        let mut store = Self::connect(path, OpenFlags::default(), Some(lock))?;
        {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(path, private).map_err(|source| StoreError::Io {
                path: path.display().to_string(),
                source,
            })?;
        }
        store.incremental_vacuum_on()?;
        store.sql(|c| c.pragma_update(None, "journal_mode", "WAL"))?;
        store.sql(|c| c.pragma_update(None, "synchronous", "NORMAL"))?;
        schema::migrate(&mut store)?;
        Ok(store)
    }

    /// Opens an existing history for reading (replay, export); nothing is ever written to it.
    /// A file of an older format is read from a migrated copy in a temporary folder; a file in
    /// a folder this process cannot write (a read-only mount) is opened as immutable.
    pub fn open_reader(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        let store = Self::connect(path, READ_ONLY, None)?;
        if store.check_format()? == SCHEMA_VERSION {
            return Ok(store);
        }
        let io = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        let copy = tempfile::tempdir().map_err(io)?;
        let to = copy.path().join("history.db");
        store.sql(|c| c.execute("VACUUM INTO ?1", [to.to_string_lossy()]))?;
        drop(store);
        tracing::info!(
            "{}: an older format, read from an updated copy (the file is left as it is)",
            path.display()
        );
        drop(Self::open_writer(&to)?);
        let mut store = Self::connect(&to, READ_ONLY, None)?;
        store.copy = Some(copy);
        Ok(store)
    }

    fn connect(
        path: &Path,
        flags: OpenFlags,
        lock: Option<lock::WriterLock>,
    ) -> Result<Self, StoreError> {
        let err = |source| StoreError::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let conn = if flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) && !writable_folder(path) {
            // SQLite cannot make its shared-memory file beside it: read it as it is.
            let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
            if wal > 0 {
                tracing::warn!(
                    "{}: read as it is (its folder is read-only); its write-ahead log ({wal} bytes, \
                     the last moments of a recording that did not stop cleanly) is not read",
                    path.display()
                );
            }
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(err)?
        } else {
            Connection::open_with_flags(path, flags).map_err(err)?
        };
        let store = Self {
            conn,
            path: path.to_path_buf(),
            host_ids: HashMap::new(),
            written: Default::default(),
            block_cache: Default::default(),
            skipped: Default::default(),
            _lock: lock,
            copy: None,
        };
        store.sql(|c| c.busy_timeout(std::time::Duration::from_secs(5)))?;
        Ok(store)
    }

    /// The file's format, read before anything is changed: a newer montui's file, or an
    /// SQLite file with tables and no montui format, is refused.
    fn check_format(&self) -> Result<i64, StoreError> {
        let path = || self.path.display().to_string();
        let found = schema::version(self)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let tables: i64 = self.sql(|c| {
            c.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
        })?;
        if found == 0 && tables > 0 {
            return Err(StoreError::Foreign { path: path() });
        }
        Ok(found)
    }

    /// Retention frees pages with `PRAGMA incremental_vacuum`, which needs auto_vacuum set
    /// to INCREMENTAL: free on a new file, one VACUUM for a file made without it.
    fn incremental_vacuum_on(&self) -> Result<(), StoreError> {
        const INCREMENTAL: i64 = 2;
        let mode: i64 = self.sql(|c| c.query_row("PRAGMA auto_vacuum", [], |r| r.get(0)))?;
        if mode != INCREMENTAL {
            let tables: i64 =
                self.sql(|c| c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0)))?;
            self.sql(|c| c.execute_batch("PRAGMA auto_vacuum = INCREMENTAL;"))?;
            if tables > 0 {
                tracing::info!(
                    "converting {} for incremental vacuum (once)",
                    self.path.display()
                );
                self.sql(|c| c.execute_batch("VACUUM;"))?;
            }
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a SQLite call, naming this file in its error.
    fn sql<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        f(&self.conn).map_err(|source| StoreError::Sqlite {
            path: self.path.display().to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests;
