//! Where montui's own log goes: the UI's log pane (tui-logger) or, without a UI, stderr.

use std::io::IsTerminal;

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

/// Info and above into tui-logger's buffer for the log pane. Unlike `tui_logger::init_logger`,
/// this starts no mover thread (it wakes 100 times a second, measured at ~0.4 % of a core,
/// more than all of htop): the UI moves new records into view right before it draws.
pub fn to_ui() {
    tui_logger::set_default_level(tui_logger::LevelFilter::Info);
    let _ = tracing_subscriber::registry()
        .with(tui_logger::TuiTracingSubscriberLayer)
        .with(LevelFilter::INFO)
        .try_init();
}
