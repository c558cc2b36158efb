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
    /// Shown and recorded as; default: the host part of `ssh`, else `host:port` of `scrape`.
    pub name: Option<String>,
    /// An alias from ~/.ssh/config, `host`, `user@host` or `user@host:port`.
    pub ssh: Option<String>,
    /// A host without `ssh`: its node_exporter's page (`http://host:9100/metrics`), which
    /// gives the same panes and alerts.
    #[serde(default)]
    pub scrape: Vec<String>,
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

/// A host reached over SSH, and its interval.
pub type SshHost = (Target, Duration);

/// A host read from its node_exporter: its name, page and interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeHost {
    pub name: String,
    pub url: String,
    pub every: Duration,
}

/// The hosts of the config, checked: those reached over SSH, each with its interval
/// (`default` when it sets none), and those read from node_exporter.
pub fn targets(
    hosts: &[HostConfig],
    default: Duration,
    text: &str,
    path: &Path,
) -> Result<(Vec<SshHost>, Vec<ScrapeHost>), ConfigError> {
    let mut out: Vec<SshHost> = Vec::new();
    let mut scraped: Vec<ScrapeHost> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for h in hosts {
        let bad = |key: &str, value: &str, why: &str| {
            Err(ConfigError::invalid(text, path, key, Some(value), why))
        };
        let (target, name, key, value) = match (&h.ssh, h.scrape.as_slice()) {
            (Some(ssh), []) => {
                let t = Target::parse(ssh, h.name.as_deref())
                    .map_err(|why| ConfigError::invalid(text, path, "ssh", Some(ssh), &why))?;
                let name = t.name.clone();
                (Some(t), name, "ssh", ssh.as_str())
            }
            (None, [url]) => {
                let Some(name) = h.name.clone().or_else(|| host_port(url)) else {
                    return bad("scrape", url, "not an http:// or https:// URL");
                };
                if !h.logs.is_empty() {
                    return bad(
                        "scrape",
                        url,
                        "a host read from node_exporter has no logs to follow (they need `ssh`)",
                    );
                }
                (None, name, "scrape", url.as_str())
            }
            (None, []) => {
                let why = "a host needs `ssh` (reached over SSH) or `scrape` (its node_exporter)";
                return Err(ConfigError::invalid(text, path, "hosts", None, why));
            }
            (_, [first, ..]) => {
                let why = "one of `ssh` or a single node_exporter `scrape` URL (other exporters come with [[scrape]])";
                return bad("scrape", first, why);
            }
        };
        if names.contains(&name) {
            let why = format!("a host named `{name}` is listed already");
            return bad(key, value, &why);
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:".contains(c))
            || name.starts_with('-')
        {
            return bad("name", &name, "a host name is letters, digits and . _ - :");
        }
        names.push(name.clone());
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
        match target {
            Some(t) => out.push((t, every)),
            None => scraped.push(ScrapeHost {
                name,
                url: value.to_string(),
                every,
            }),
        }
    }
    Ok((out, scraped))
}

impl HostConfig {
    /// The name the host is shown and recorded as (after `targets` accepted it).
    pub fn shown_name(&self) -> Option<String> {
        match (&self.ssh, self.scrape.first()) {
            (Some(ssh), _) => Target::parse(ssh, self.name.as_deref())
                .ok()
                .map(|t| t.name),
            (None, Some(url)) => self.name.clone().or_else(|| host_port(url)),
            (None, None) => None,
        }
    }
}

/// `host:port` of an http(s) URL (`127.0.0.1:9100`), or None when it is no such URL.
fn host_port(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    (!authority.is_empty()).then(|| authority.to_string())
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
