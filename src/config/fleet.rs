//! `[[prometheus]]` in config.toml: a fleet read through a Prometheus (or Thanos, Mimir,
//! VictoriaMetrics) HTTP API instead of one connection per host.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::{ConfigError, Dur};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusConfig {
    /// `http://prometheus:9090`
    pub url: String,
    /// Which instances are hosts: a selector of `up` (`up{job="node"}`, the default).
    #[serde(default = "default_hosts")]
    pub hosts: String,
    /// Time between two reads; default 15 s (Prometheus's own scrape interval).
    pub interval: Option<Dur>,
    /// A file holding the bearer token the API wants, or an environment variable's name.
    pub bearer_token_file: Option<String>,
    pub bearer_token_env: Option<String>,
}

fn default_hosts() -> String {
    "up{job=\"node\"}".into()
}

/// A fleet source, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetSource {
    pub url: String,
    pub hosts: String,
    pub every: Duration,
    pub token: Option<String>,
}

pub fn sources(
    all: &[PrometheusConfig],
    text: &str,
    path: &Path,
) -> Result<Vec<FleetSource>, ConfigError> {
    let bad = |key: &str, value: &str, why: &str| {
        Err(ConfigError::invalid(text, path, key, Some(value), why))
    };
    let mut out = Vec::new();
    for p in all {
        if !(p.url.starts_with("http://") || p.url.starts_with("https://")) {
            return bad("url", &p.url, "must be an http:// or https:// address");
        }
        if !p.hosts.trim_start().starts_with("up") {
            return bad("hosts", &p.hosts, "must select `up`: up{job=\"node\"}");
        }
        let every = p.interval.map_or(Duration::from_secs(15), |d| d.0);
        if !super::interval_ok(every) {
            return bad("interval", &p.url, "must be between 100ms and 1h");
        }
        let token = match (&p.bearer_token_file, &p.bearer_token_env) {
            (Some(f), _) => Some(super::serve::token_file(f, text, path)?),
            (None, Some(var)) => match std::env::var(var) {
                Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                _ => return bad("bearer_token_env", var, "is not set in the environment"),
            },
            (None, None) => None,
        };
        out.push(FleetSource {
            url: p.url.trim_end_matches('/').to_string(),
            hosts: p.hosts.clone(),
            every,
            token,
        });
    }
    Ok(out)
}
