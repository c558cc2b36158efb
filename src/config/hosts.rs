//! `[[hosts]]` and `[ssh]` in config.toml, and `--host`: the remote hosts to watch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::{ConfigError, Dur};
use crate::collect::ssh::{SshOptions, Target};

/// One remote host.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostConfig {
    /// Shown and recorded as; default: the host part of `ssh`.
    pub name: Option<String>,
    /// An alias from ~/.ssh/config, `host`, `user@host` or `user@host:port`.
    pub ssh: String,
    /// Time between two samples of this host; default: the global `interval`.
    pub interval: Option<Dur>,
    /// Added to this host's alerts (`env = "prod"`), for silences, inhibition, grouping and
    /// routing; a series' own label of the same name wins.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Log files on the host, followed over its SSH connection: paths and globs (`*`, `?`),
    /// or tables with `path` and the settings of local files.
    #[serde(default)]
    pub logs: Vec<super::logs::LogEntry>,
}

/// How montui runs the OpenSSH client.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SshConfig {
    /// The ssh program.
    pub binary: String,
    /// An ssh config file instead of ~/.ssh/config (`-F`); empty: ssh's own.
    pub config_file: String,
    /// How long a connection may take.
    pub connect_timeout: Dur,
}

impl Default for SshConfig {
    fn default() -> Self {
        Self {
            binary: "ssh".into(),
            config_file: String::new(),
            connect_timeout: Dur(Duration::from_secs(10)),
        }
    }
}

impl SshConfig {
    pub fn options(&self, top: usize) -> SshOptions {
        SshOptions {
            binary: PathBuf::from(&self.binary),
            config_file: (!self.config_file.is_empty()).then(|| PathBuf::from(&self.config_file)),
            connect_timeout: self.connect_timeout.0,
            top,
        }
    }
}

/// The hosts of the config, checked, each with its interval (`default` when it sets none).
pub fn targets(
    hosts: &[HostConfig],
    default: Duration,
    text: &str,
    path: &Path,
) -> Result<Vec<(Target, Duration)>, ConfigError> {
    let mut out: Vec<(Target, Duration)> = Vec::new();
    for h in hosts {
        let t = Target::parse(&h.ssh, h.name.as_deref())
            .map_err(|why| ConfigError::invalid(text, path, "ssh", Some(&h.ssh), &why))?;
        if out.iter().any(|(o, _)| o.name == t.name) {
            let why = format!("a host named `{}` is listed already", t.name);
            return Err(ConfigError::invalid(text, path, "ssh", Some(&h.ssh), &why));
        }
        for (k, v) in &h.labels {
            if let Err(why) = label(k, v) {
                return Err(ConfigError::invalid(text, path, k, Some(v), &why));
            }
        }
        let every = h.interval.as_ref().map_or(default, |d| d.0);
        if !super::interval_ok(every) {
            let why = "must be between 100ms and 1h";
            return Err(ConfigError::invalid(text, path, "interval", None, why));
        }
        out.push((t, every));
    }
    Ok(out)
}

/// A host label montui can carry: a Prometheus-style name, not one montui sets itself, and a
/// value without control characters.
fn label(name: &str, value: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let well_formed = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        return Err(format!(
            "`{name}` is not a label name (letters, digits and _, not first a digit)"
        ));
    }
    if ["host", "alertname", "severity"].contains(&name) {
        return Err(format!("`{name}` is set by montui itself"));
    }
    if value.chars().any(char::is_control) {
        return Err("a label value may not hold control characters".into());
    }
    Ok(())
}
