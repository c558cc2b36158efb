//! Following one file the way `tail -F` does: read what was appended, keep reading the old
//! file to its end when it is renamed away and a new one takes its name, start over when it is
//! truncated, wait for it when it is missing. Lines are cut at `\n`, `\r` stripped, decoded
//! as UTF-8 with bad bytes replaced, and capped at `max_line` bytes (the rest is counted, not
//! kept). A FIFO is read as its writers write, never waiting for one; devices, sockets and
//! folders are refused with the reason (`/dev/zero` would never end). No async here: the
//! caller says when to look, and no call blocks.

use super::cut::Cutter;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::PathBuf;

/// Bytes read from a file per call, at most (the rest waits for the next call, which the
/// caller makes at once: see `behind`).
const READ_MAX: usize = 1 << 20;

#[derive(Debug)]
pub struct Follower {
    path: PathBuf,
    file: Option<File>,
    /// (device, inode) of the open file.
    id: (u64, u64),
    offset: u64,
    pub lines: Cutter,
    /// The first open reads from the end (unless `from_start`).
    started: bool,
    from_start: bool,
    /// The last call stopped at `READ_MAX`.
    behind: bool,
    /// The path is a FIFO (read as it comes, no offsets).
    fifo: bool,
}

/// Opens for reading without waiting (a FIFO without a writer would wait forever).
fn open(path: &std::path::Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Why a path that is not a regular file or a FIFO is not followed.
fn refused(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() || t.is_fifo() {
        None
    } else if t.is_dir() {
        Some("a folder, not a log file (a glob such as /path/*.log follows its files)")
    } else if t.is_char_device() || t.is_block_device() {
        Some("a device, not a log file: not followed")
    } else {
        Some("a socket, not a log file: not followed")
    }
}

impl Follower {
    pub fn new(path: PathBuf, max_line: usize, from_start: bool) -> Self {
        Self {
            path,
            file: None,
            id: (0, 0),
            offset: 0,
            lines: Cutter::new(max_line),
            started: false,
            from_start,
            behind: false,
            fifo: false,
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Whether a file is open (a path gone from the disk is closed once read to its end).
    pub fn is_open(&self) -> bool {
        self.file.is_some()
    }

    /// Whether the last call left lines to read.
    pub fn behind(&self) -> bool {
        self.behind
    }

    /// New complete lines since the last call, appended to `out`.
    pub fn poll(&mut self, out: &mut Vec<String>) -> std::io::Result<()> {
        let now = match std::fs::metadata(&self.path) {
            Ok(m) => {
                if let Some(why) = refused(m.file_type()) {
                    self.file = None;
                    return Err(std::io::Error::other(why));
                }
                self.fifo = m.file_type().is_fifo();
                Some((m.dev(), m.ino()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if self.fifo {
            return self.read_fifo(now, out);
        }
        // Renamed away or deleted: finish the old file first, then take the new one.
        if self.file.is_some() && now != Some(self.id) {
            self.read_to_end(out)?;
            self.lines.finish(out);
            self.file = None;
        }
        if self.file.is_none() {
            let Some(id) = now else {
                self.started = true;
                return Ok(());
            };
            // Never waits, whatever the path turned into since it was looked at.
            let mut f = open(&self.path)?;
            // A file there from the start is read from its end; one that appears later (after
            // a rotation) from its beginning.
            self.offset = if self.started || self.from_start {
                0
            } else {
                f.seek(SeekFrom::End(0))?
            };
            self.started = true;
            self.id = id;
            self.file = Some(f);
        }
        let len = match &self.file {
            Some(f) => f.metadata()?.len(),
            None => 0,
        };
        if len < self.offset {
            // Truncated (copytruncate, `> file`): start over.
            self.offset = 0;
            self.lines.reset();
        }
        if len > self.offset {
            self.read_to_end(out)?;
        }
        Ok(())
    }

    /// A FIFO: opened without waiting for a writer, read until it has nothing more now.
    fn read_fifo(&mut self, now: Option<(u64, u64)>, out: &mut Vec<String>) -> std::io::Result<()> {
        if self.file.is_none() || now != Some(self.id) {
            self.file = Some(open(&self.path)?);
            self.id = now.unwrap_or_default();
            self.started = true;
        }
        let Some(f) = self.file.as_mut() else {
            return Ok(());
        };
        let mut buf = vec![0u8; 64 << 10];
        let mut total = 0;
        self.behind = false;
        while !self.behind {
            match f.read(&mut buf) {
                // No writer (0), or nothing written yet: look again later.
                Ok(0) => break,
                Ok(n) => {
                    total += n;
                    self.lines.take(&buf[..n], out);
                    self.behind = total >= READ_MAX;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn read_to_end(&mut self, out: &mut Vec<String>) -> std::io::Result<()> {
        let Some(mut f) = self.file.take() else {
            return Ok(());
        };
        let r = self.read_from(&mut f, out);
        self.file = Some(f);
        r
    }

    fn read_from(&mut self, f: &mut File, out: &mut Vec<String>) -> std::io::Result<()> {
        f.seek(SeekFrom::Start(self.offset))?;
        let mut buf = vec![0u8; 64 << 10];
        let mut total = 0;
        self.behind = false;
        while !self.behind {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n;
            self.offset += n as u64;
            self.lines.take(&buf[..n], out);
            self.behind = total >= READ_MAX;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
