use std::path::PathBuf;

use clap::Parser;

use crate::config::Dur;

/// A terminal monitoring console: this machine live, recorded from the first second, replayable.
#[derive(Debug, Parser)]
#[command(name = "montui", version, about)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/montui/config.toml]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// History file [default: $XDG_DATA_HOME/montui/history.db]
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Time between samples, e.g. 2s or 500ms [default: 1s, or the config's `interval`]
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<Dur>,
    /// Browse the recorded history instead of watching live.
    #[arg(long, conflicts_with = "headless")]
    pub replay: bool,
    /// With --replay: start here ("2h ago", "2026-11-22 10:00", "14:00").
    #[arg(long, value_name = "TIME", requires = "replay")]
    pub from: Option<String>,
    /// With --replay: stop here.
    #[arg(long, value_name = "TIME", requires = "replay")]
    pub to: Option<String>,
    /// Collect and record without a terminal, until SIGINT or SIGTERM.
    #[arg(long)]
    pub headless: bool,
    /// Show times in UTC instead of the local time zone.
    #[arg(long)]
    pub utc: bool,
    /// Check the config file and exit.
    #[arg(long)]
    pub check_config: bool,
}
