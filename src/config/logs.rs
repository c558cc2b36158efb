//! `logs = [...]` in config.toml: files and globs as strings, or tables for a command,
//! journald, or a file with its own settings.

use std::path::Path;

use serde::Deserialize;

use super::ConfigError;
use crate::logs::builtin::Known;
use crate::logs::feed::{JOURNALCTL, Kind, LogSource, MAX_LINE};
use crate::logs::header::Format;
use crate::logs::level::Level;

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
    /// The lines' format (`<date> <time> <level> <component>: <message>`); default: detected.
    pub format: Option<String>,
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
                    format: None,
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
                let format = match &c.format {
                    Some(f) => Some(Format::parse(f).map_err(|why| {
                        ConfigError::invalid(text, path, "format", Some(f), &why)
                    })?),
                    None => None,
                };
                let src = LogSource {
                    name,
                    kind,
                    from_start: c.from_start,
                    max_line,
                    format,
                };
                (src, key, value)
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

/// A remote host's `logs`: files only (named `host:path`, or `host:name`), with paths a
/// line of the sampler can carry.
pub fn remote_sources(
    host: &str,
    entries: &[LogEntry],
    text: &str,
    path: &Path,
) -> Result<Vec<LogSource>, ConfigError> {
    let mut out = sources(entries, text, path)?;
    for s in &mut out {
        let why = match &s.kind {
            Kind::Command(_) => "are files; commands and journald run on this machine",
            Kind::Files(p) if p.chars().any(char::is_control) => {
                "may not hold control characters in a path"
            }
            Kind::Files(_) => "",
        };
        if !why.is_empty() {
            let why = format!("host {host}: `{}`: a remote host's logs {why}", s.name);
            return Err(ConfigError::invalid(text, path, "logs", None, &why));
        }
        s.name = format!("{host}:{}", s.name);
    }
    Ok(out)
}

/// `[[log_patterns]]`: a pattern the user knows, with its severity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogPatternConfig {
    /// Shown, and the `known` label of its alerts.
    pub name: String,
    /// Any of these (case does not matter) in a pattern's template marks it.
    pub contains: Vec<String>,
    /// trace, debug, info, notice, warn, error or critical.
    pub severity: String,
}

/// The user's patterns, checked. Their texts live as long as montui (they are few and loaded
/// once), so they sit beside the built-in ones.
pub fn known(
    entries: &[LogPatternConfig],
    text: &str,
    path: &Path,
) -> Result<Vec<Known>, ConfigError> {
    let mut out: Vec<Known> = Vec::new();
    for e in entries {
        let bad = |key: &str, value: &str, why: &str| {
            Err(ConfigError::invalid(text, path, key, Some(value), why))
        };
        if e.name.is_empty()
            || !e
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return bad("name", &e.name, "letters, digits and _ only");
        }
        if out.iter().any(|k| k.name == e.name) {
            return bad("name", &e.name, "listed already");
        }
        let Some(severity) = Level::from_word(&e.severity) else {
            return bad(
                "severity",
                &e.severity,
                "one of trace, debug, info, notice, warn, error, critical",
            );
        };
        if e.contains.is_empty() || e.contains.iter().any(|c| c.trim().is_empty()) {
            return bad("contains", "", "a list of words or phrases, none empty");
        }
        let phrases: Vec<&'static str> = e
            .contains
            .iter()
            .map(|c| &*Box::leak(c.to_lowercase().into_boxed_str()))
            .collect();
        out.push(Known {
            name: Box::leak(e.name.clone().into_boxed_str()),
            severity,
            phrases: Box::leak(phrases.into_boxed_slice()),
        });
    }
    Ok(out)
}
