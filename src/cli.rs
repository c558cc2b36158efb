use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::config::Dur;

/// Where montui keeps its files (shown after `--help` and in the manual page).
const FILES: &str = "Files:
  $XDG_CONFIG_HOME/montui/config.toml  the config (~/.config when XDG_CONFIG_HOME is unset)
  $XDG_DATA_HOME/montui/history.db     the recorded history (~/.local/share)
  $XDG_STATE_HOME/montui/montui.log    montui's own log while it runs full-screen (~/.local/state;
                                       moved to montui.log.1 at start-up once over 8 MB)";

/// A terminal monitoring console: this machine live, recorded from the first second, replayable.
#[derive(Debug, Parser)]
#[command(name = "montui", version, about, after_help = FILES)]
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
    /// repeat for more. Adds to the config's [[hosts]]. With --replay: the host to replay
    /// (an instance of a [[prometheus]] fleet is read from Prometheus, the last 6 hours
    /// unless --from says).
    #[arg(long = "host", value_name = "DEST")]
    pub hosts: Vec<String>,
    /// Also follow this log file or glob (from its end) and mine its patterns; repeat for
    /// more. Adds to the config's `logs`.
    #[arg(long = "log", value_name = "PATH")]
    pub logs: Vec<String>,
    /// Collect and record without a terminal, until SIGINT or SIGTERM.
    #[arg(long)]
    pub headless: bool,
    /// Colours: dark, light, nord, gruvbox, dracula, solarized, basic, monochrome, or a
    /// theme file [default: the config's [ui] theme, monochrome with NO_COLOR set, dark]
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
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
    /// A day, week or month of the history as a report: availability, resources, alerts,
    /// anomalies and log patterns, per host and for the fleet.
    Report(ReportArgs),
    /// Notifications: `notify test [RECEIVER]`.
    Notify {
        #[command(subcommand)]
        action: NotifyAction,
    },
    /// Write a completion script for SHELL to stdout, e.g.
    /// `montui completions bash > ~/.local/share/bash-completion/completions/montui`.
    Completions { shell: clap_complete::Shell },
    /// Write the manual page (roff) to stdout, e.g. `montui man | man -l -`.
    Man,
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

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = ReportPeriod::Day)]
    pub period: ReportPeriod,
    /// A day in the period (YYYY-MM-DD) [default: the last whole period].
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Only this recorded host; repeat for more [default: all].
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write it here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportPeriod {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Openmetrics,
}

/// Writes what `completions` and `man` ask for to `out`; false for other commands.
pub fn write_docs(
    command: Option<&Command>,
    out: &mut impl std::io::Write,
) -> std::io::Result<bool> {
    match command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut Cli::command(), "montui", out);
            Ok(true)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(args: &[&str]) -> String {
        let cli = Cli::try_parse_from(args).expect("parses");
        let mut out = Vec::new();
        assert!(write_docs(cli.command.as_ref(), &mut out).expect("writes"));
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn completions_and_the_manual_page_name_the_options() {
        let bash = docs(&["montui", "completions", "bash"]);
        assert!(
            bash.contains("--replay") && bash.contains("export"),
            "{bash}"
        );
        assert!(docs(&["montui", "completions", "zsh"]).contains("#compdef montui"));
        assert!(docs(&["montui", "completions", "fish"]).contains("complete -c montui"));
        let man = docs(&["montui", "man"]);
        assert!(
            man.contains(".TH montui") && man.contains("\\-\\-headless"),
            "{man}"
        );
        assert!(Cli::try_parse_from(["montui", "completions", "cmd"]).is_err());
    }
}
