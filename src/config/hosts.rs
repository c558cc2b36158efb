//! `[[hosts]]` and `[ssh]` in config.toml, and `--host`: the remote hosts to watch.

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
        let every = h.interval.as_ref().map_or(default, |d| d.0);
        if !super::interval_ok(every) {
            let why = "must be between 100ms and 1h";
            return Err(ConfigError::invalid(text, path, "interval", None, why));
        }
        out.push((t, every));
    }
    Ok(out)
}
