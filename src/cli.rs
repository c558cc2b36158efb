use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Dur;

/// A terminal monitoring console: this machine live, recorded from the first second, replayable.
#[derive(Debug, Parser)]
#[command(name = "montui", version, about)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/montui/config.toml]
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// History file [default: $XDG_DATA_HOME/montui/history.db]
    #[arg(long, value_name = "PATH", global = true)]
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
    /// Also watch this host over SSH (an ~/.ssh/config alias, host, user@host[:port]);
    /// repeat for more. Adds to the config's [[hosts]]. With --replay: the host to replay.
    #[arg(long = "host", value_name = "DEST")]
    pub hosts: Vec<String>,
    /// Also follow this log file or glob (from its end) and mine its patterns; repeat for
    /// more. Adds to the config's `logs`.
    #[arg(long = "log", value_name = "PATH")]
    pub logs: Vec<String>,
    /// Collect and record without a terminal, until SIGINT or SIGTERM.
    #[arg(long)]
    pub headless: bool,
    /// Show times in UTC instead of the local time zone.
    #[arg(long)]
    pub utc: bool,
    /// Check the config file and exit.
    #[arg(long)]
    pub check_config: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write recorded history (derived metrics) to stdout.
    Export(ExportArgs),
    /// Notifications: `notify test [RECEIVER]`.
    Notify {
        #[command(subcommand)]
        action: NotifyAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum NotifyAction {
    /// Send a test notice to every receiver (or to RECEIVER) the way notices go, and say how
    /// each answered; exits 1 if any did not take it.
    Test { receiver: Option<String> },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Start: "2h ago", "2026-11-22 10:00", "14:00".
    #[arg(long, value_name = "TIME", default_value = "1h ago")]
    pub from: String,
    /// End.
    #[arg(long, value_name = "TIME", default_value = "now")]
    pub to: String,
    /// Only this recorded host [default: all].
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// Only this metric (e.g. cpu_busy_percent), or a prefix ending in `*` (e.g. 'disk_*').
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Leave out unreadable parts of the history and exit 0 (they are still named on stderr).
    #[arg(long)]
    pub skip_corrupt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Openmetrics,
}
