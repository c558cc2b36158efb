//! Where montui's own log goes: the UI's log pane (tui-logger) and a log file or, without a
//! UI, stderr.

use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Info and above to stderr, for the modes without a terminal UI.
pub fn to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(LevelFilter::INFO)
        .try_init();
}

/// Info and above into tui-logger's buffer for the log pane, and into the log file (see
/// `config::paths::log_file`), which keeps what scrolls out of the pane. Unlike
/// `tui_logger::init_logger`, this starts no mover thread (it wakes 100 times a second,
/// measured at ~0.4 % of a core, more than all of htop): the UI moves new records into view
/// right before it draws. Returns the log file, if it could be opened.
pub fn to_ui() -> Option<PathBuf> {
    tui_logger::set_default_level(tui_logger::LevelFilter::Info);
    let path = crate::config::paths::log_file();
    let file = open(&path).ok();
    let opened = file.is_some().then_some(path);
    let layer = file.map(|f| {
        tracing_subscriber::fmt::layer()
            .with_writer(Mutex::new(Neutral(f)))
            .with_target(false)
            .with_ansi(false)
    });
    let _ = tracing_subscriber::registry()
        .with(tui_logger::TuiTracingSubscriberLayer)
        .with(layer)
        .with(LevelFilter::INFO)
        .try_init();
    opened
}

/// Past this size the log file is moved to `montui.log.1` when montui starts.
const ROTATE_BYTES: u64 = 8 << 20;

/// The log file, appended to: private (0600 in a 0700 directory), the last one moved aside
/// once it is big.
fn open(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
        std::fs::rename(path, path.with_extension("log.1"))?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

/// Writes text with controls and bidi overrides (from hosts, logs, config) neutralised, so
/// `cat` of the file is safe.
struct Neutral(File);

impl Write for Neutral {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(crate::text::printable(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
