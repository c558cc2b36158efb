//! `logs = [...]` in config.toml: files and globs as strings, or tables for a command,
//! journald, or a file with its own settings.

use std::path::Path;

use serde::Deserialize;

use super::ConfigError;
use crate::logs::feed::{JOURNALCTL, Kind, LogSource, MAX_LINE};

/// One entry of `logs`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum LogEntry {
    /// A path or glob, followed from its end.
    Path(String),
    Source(LogSourceConfig),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSourceConfig {
    /// A path or glob.
    pub path: Option<String>,
    /// A command whose output is the log (run with `sh -c`, restarted when it ends).
    pub command: Option<String>,
    /// The systemd journal (`journalctl -f`).
    #[serde(default)]
    pub journald: bool,
    /// Shown as; default: the path, `journal`, or the command.
    pub name: Option<String>,
    /// Read files that exist at start from their beginning.
    #[serde(default)]
    pub from_start: bool,
    /// Longest line kept in bytes (the rest is counted); default 8192.
    pub max_line: Option<usize>,
}

/// The sources of `logs`, checked.
pub fn sources(
    entries: &[LogEntry],
    text: &str,
    path: &Path,
) -> Result<Vec<LogSource>, ConfigError> {
    let mut out: Vec<LogSource> = Vec::new();
    for e in entries {
        let (src, key, value) = match e {
            LogEntry::Path(p) => (
                LogSource {
                    name: p.clone(),
                    kind: Kind::Files(p.clone()),
                    from_start: false,
                    max_line: MAX_LINE,
                },
                "logs",
                p.clone(),
            ),
            LogEntry::Source(c) => {
                let (kind, key, value) = match (&c.path, &c.command, c.journald) {
                    (Some(p), None, false) => (Kind::Files(p.clone()), "path", p.clone()),
                    (None, Some(cmd), false) => {
                        (Kind::Command(cmd.clone()), "command", cmd.clone())
                    }
                    (None, None, true) => {
                        (Kind::Command(JOURNALCTL.into()), "journald", "true".into())
                    }
                    _ => {
                        let why = "a log source needs exactly one of `path`, `command` or `journald = true`";
                        return Err(ConfigError::invalid(text, path, "logs", None, why));
                    }
                };
                let name = c.name.clone().unwrap_or_else(|| match (&kind, c.journald) {
                    (_, true) => "journal".into(),
                    (Kind::Files(p) | Kind::Command(p), _) => p.clone(),
                });
                let max_line = c.max_line.unwrap_or(MAX_LINE);
                if !(256..=1 << 20).contains(&max_line) {
                    let v = max_line.to_string();
                    return Err(ConfigError::invalid(
                        text,
                        path,
                        "max_line",
                        Some(&v),
                        "must be between 256 and 1048576",
                    ));
                }
                (
                    LogSource {
                        name,
                        kind,
                        from_start: c.from_start,
                        max_line,
                    },
                    key,
                    value,
                )
            }
        };
        if let Kind::Files(p) = &src.kind {
            if p.trim().is_empty() {
                return Err(ConfigError::invalid(
                    text,
                    path,
                    key,
                    Some(&value),
                    "an empty path",
                ));
            }
            if let Err(e) = glob::Pattern::new(p) {
                return Err(ConfigError::invalid(
                    text,
                    path,
                    key,
                    Some(&value),
                    &format!("not a glob: {e}"),
                ));
            }
        }
        if out.iter().any(|o| o.name == src.name) {
            let why = format!("a log source named `{}` is listed already", src.name);
            return Err(ConfigError::invalid(text, path, key, Some(&value), &why));
        }
        out.push(src);
    }
    Ok(out)
}
