//! `[statsd]` in config.toml: a UDP listener for StatsD and DogStatsD (off unless `listen`).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::{ConfigError, Dur};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatsdSection {
    /// `127.0.0.1:8125` (UDP).
    pub listen: Option<String>,
    /// How often the lines taken become series (counters' totals, timers' quantiles).
    pub flush: Dur,
    /// The watched host the series belong to (a `[[hosts]]` name); default: this machine.
    pub host: Option<String>,
    /// Series kept; lines of new ones past it are counted, not kept.
    pub max_series: usize,
}

impl Default for StatsdSection {
    fn default() -> Self {
        Self {
            listen: None,
            flush: Dur(Duration::from_secs(10)),
            host: None,
            max_series: 10_000,
        }
    }
}

/// `[statsd]`, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsdListen {
    pub listen: SocketAddr,
    pub every: Duration,
    pub host: Option<String>,
    pub max_series: usize,
}

impl StatsdSection {
    pub fn checked(
        &self,
        hosts: &[String],
        text: &str,
        path: &Path,
    ) -> Result<Option<StatsdListen>, ConfigError> {
        let Some(listen) = &self.listen else {
            return Ok(None);
        };
        let bad = |key: &str, value: &str, why: &str| {
            Err(ConfigError::invalid(text, path, key, Some(value), why))
        };
        let addr = super::serve::listen_addr(listen, "127.0.0.1:8125", text, path)?;
        if !super::interval_ok(self.flush.0) {
            return bad(
                "flush",
                &self.flush.to_string(),
                "must be between 100ms and 1h",
            );
        }
        if let Some(h) = self.host.as_ref().filter(|h| !hosts.contains(h)) {
            return bad(
                "host",
                h,
                "is no [[hosts]] name (leave `host` out for this machine)",
            );
        }
        if !(1..=1_000_000).contains(&self.max_series) {
            let n = self.max_series.to_string();
            return bad("max_series", &n, "must be 1 to 1000000");
        }
        Ok(Some(StatsdListen {
            listen: addr,
            every: self.flush.0,
            host: self.host.clone(),
            max_series: self.max_series,
        }))
    }
}
