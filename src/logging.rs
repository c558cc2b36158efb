//! Logging for the modes without a terminal UI (the UI logs into its own pane).

use log::{Level, LevelFilter, Log, Metadata, Record};

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, m: &Metadata) -> bool {
        m.level() <= Level::Info
    }
    fn log(&self, r: &Record) {
        if self.enabled(r.metadata()) {
            eprintln!("montui {}: {}", r.level().as_str().to_lowercase(), r.args());
        }
    }
    fn flush(&self) {}
}

static STDERR: Stderr = Stderr;

/// Sends log records at info and above to stderr.
pub fn to_stderr() {
    if log::set_logger(&STDERR).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}

/// Sends log records to the UI's log pane.
pub fn to_ui() {
    if tui_logger::init_logger(LevelFilter::Info).is_ok() {
        tui_logger::set_default_level(LevelFilter::Info);
    }
}
