//! Settings: a raw serde layer with defaults, validated, with errors that name file, line,
//! key and value. No terminal code here.

mod alerts;
mod anomalies;
mod duration;
mod error;
mod escalation;
mod fleet;
mod hosts;
mod logs;
mod notify;
pub mod paths;
mod receivers;
mod reports;
mod scrape;
mod serve;
mod statsd;

pub use alerts::{AlertsConfig, RuleConfig};
pub use anomalies::AnomaliesConfig;
pub use duration::Dur;
pub use error::ConfigError;
pub use fleet::{FleetSource, PrometheusConfig};
pub use hosts::{HostConfig, ScrapeHost, SshConfig};
pub use logs::{LogEntry, LogPatternConfig, LogSourceConfig};
pub use scrape::{ScrapeConfig, ScrapeTarget};
pub use serve::{Serve, ServeSection};
pub use statsd::{StatsdListen, StatsdSection};

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::alert::policy::Policy;
use crate::collect::ssh::Target;

/// Every key montui reads from config.toml. `config.toml.example` documents each one with
/// its default; a test keeps the two in sync.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Time between two samples of a host.
    pub interval: Dur,
    /// History file; empty means `$XDG_DATA_HOME/montui/history.db`.
    pub db: String,
    pub ui: UiConfig,
    pub store: StoreConfig,
    pub collect: CollectConfig,
    pub alerts: AlertsConfig,
    /// The anomaly watch: its line and per-metric tunings.
    pub anomalies: AnomaliesConfig,
    pub ssh: SshConfig,
    /// Remote hosts watched over SSH.
    pub hosts: Vec<HostConfig>,
    /// The hosts, checked (filled by `parse`).
    #[serde(skip)]
    pub remote: Vec<(Target, Duration)>,
    /// The hosts read from their node_exporter (filled by `parse`).
    #[serde(skip)]
    pub scraped: Vec<ScrapeHost>,
    /// Their log files (sources named `host:…`), by host name (filled by `parse`).
    #[serde(skip)]
    pub remote_logs: std::collections::HashMap<String, Vec<crate::logs::feed::LogSource>>,
    /// Logs to follow and mine: paths and globs, or tables.
    pub logs: Vec<LogEntry>,
    /// The log sources, checked (filled by `parse`).
    #[serde(skip)]
    pub log_sources: Vec<crate::logs::feed::LogSource>,
    /// Log patterns the user names, with a severity.
    pub log_patterns: Vec<LogPatternConfig>,
    /// Those, checked (filled by `parse`).
    #[serde(skip)]
    pub known_patterns: Vec<crate::logs::builtin::Known>,
    /// Where notices go.
    pub notify: notify::NotifySection,
    /// The receivers, checked (filled by `parse`).
    #[serde(skip)]
    pub receivers: Vec<crate::notify::Receiver>,
    /// Exporters whose series are kept beside a host's.
    pub scrape: Vec<ScrapeConfig>,
    /// Those, checked (filled by `parse`).
    #[serde(skip)]
    pub scrape_targets: Vec<ScrapeTarget>,
    /// Fleets read through a Prometheus HTTP API.
    pub prometheus: Vec<PrometheusConfig>,
    /// Those, checked (filled by `parse`).
    #[serde(skip)]
    pub fleets: Vec<FleetSource>,
    /// A StatsD listener (off unless `listen` is set).
    pub statsd: StatsdSection,
    /// That, checked (filled by `parse`).
    #[serde(skip)]
    pub statsd_listen: Option<StatsdListen>,
    /// Reports made on schedule.
    pub reports: Vec<reports::ReportConfig>,
    /// Those, checked (filled by `parse`).
    #[serde(skip)]
    pub report_jobs: Vec<crate::report::schedule::Job>,
    /// montui's own `/metrics` (off unless `listen` is set).
    pub serve: ServeSection,
    /// That, checked (filled by `parse`).
    #[serde(skip)]
    pub served: Option<Serve>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// Shortest time between two redraws.
    pub frame_interval: Dur,
    /// Samples kept for the charts.
    pub history: usize,
    /// The theme: a built-in name, NAME.toml in the user's themes directory, or a path.
    pub theme: Option<String>,
    /// Clicks and the wheel act in the UI (off: the terminal selects text as usual).
    pub mouse: bool,
    /// The process list's columns, in order.
    pub process_columns: Vec<crate::model::ProcColumn>,
    /// The layout at start: overview, processes, alerts or logs (`v` switches).
    pub layout: crate::app::Preset,
    /// Panes hidden at start (`X` shows them).
    pub hide: Vec<crate::app::Pane>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// How often recorded samples are committed to disk.
    pub flush_interval: Dur,
    /// How long full-resolution samples are kept.
    pub raw_retention: Dur,
    /// How long the 1m/5m/1h/1d rollups are kept.
    pub rollup_retention: Dur,
    /// Cap on the history file in MB (the oldest raw data goes first, never the last hour's,
    /// then the oldest of the rest); 0: no cap.
    pub max_size_mb: u64,
    /// Log patterns kept in the history, the most recently seen.
    pub max_log_patterns: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectConfig {
    /// Processes kept per sample by CPU, and again by memory.
    pub top_processes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            interval: Dur(Duration::from_secs(1)),
            db: String::new(),
            ui: UiConfig::default(),
            store: StoreConfig::default(),
            collect: CollectConfig::default(),
            alerts: AlertsConfig::default(),
            anomalies: AnomaliesConfig::default(),
            ssh: SshConfig::default(),
            hosts: Vec::new(),
            remote: Vec::new(),
            scraped: Vec::new(),
            remote_logs: std::collections::HashMap::new(),
            logs: Vec::new(),
            log_sources: Vec::new(),
            log_patterns: Vec::new(),
            known_patterns: Vec::new(),
            notify: Default::default(),
            receivers: Vec::new(),
            scrape: Vec::new(),
            scrape_targets: Vec::new(),
            prometheus: Vec::new(),
            fleets: Vec::new(),
            reports: Vec::new(),
            report_jobs: Vec::new(),
            statsd: StatsdSection::default(),
            statsd_listen: None,
            serve: ServeSection::default(),
            served: None,
        }
    }
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            frame_interval: Dur(Duration::from_millis(50)),
            history: 300,
            theme: None,
            mouse: true,
            process_columns: crate::model::ProcColumn::ALL.to_vec(),
            layout: crate::app::Preset::Overview,
            hide: Vec::new(),
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            flush_interval: Dur(Duration::from_secs(1)),
            raw_retention: Dur(Duration::from_secs(7 * 86_400)),
            rollup_retention: Dur(Duration::from_secs(365 * 86_400)),
            max_size_mb: 0,
            max_log_patterns: crate::store::PATTERNS_KEPT,
        }
    }
}

impl Default for CollectConfig {
    fn default() -> Self {
        Self { top_processes: 25 }
    }
}

/// Whether a sampling interval is one montui takes: 100 ms to 1 h.
pub fn interval_ok(d: Duration) -> bool {
    (0.1..=3600.0).contains(&d.as_secs_f64())
}

impl Config {
    /// Like `load`, with the alerting policy it defines (checked, shipped rules included).
    pub fn load_with_policy(path: Option<&Path>) -> Result<(Self, Policy), ConfigError> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (paths::config_file(), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => String::new(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        Self::parse_with_policy(&text, &path)
    }

    /// Reads `path`; a missing file at the default location means defaults.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_with_policy(path).map(|(cfg, _)| cfg)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        Self::parse_with_policy(text, path).map(|(cfg, _)| cfg)
    }

    /// Parses and checks everything, alert rules and hosts included (their errors need the
    /// text).
    pub fn parse_with_policy(text: &str, path: &Path) -> Result<(Self, Policy), ConfigError> {
        let mut cfg: Config =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(&e, text, path))?;
        cfg.validate(text, path)?;
        cfg.alerts.any_metric = !cfg.scrape.is_empty() || cfg.statsd.listen.is_some();
        let mut policy = cfg.alerts.policy(text, path)?;
        policy.anomalies = cfg.anomalies.settings(text, path)?;
        (cfg.remote, cfg.scraped) = hosts::targets(&cfg.hosts, cfg.interval.0, text, path)?;
        cfg.log_sources = logs::sources(&cfg.logs, text, path)?;
        for h in cfg.hosts.iter().filter(|h| !h.logs.is_empty()) {
            let name = h.shown_name().unwrap_or_default();
            let files = logs::remote_sources(&name, &h.logs, text, path)?;
            cfg.remote_logs.insert(name, files);
        }
        cfg.known_patterns = logs::known(&cfg.log_patterns, text, path)?;
        cfg.receivers = cfg.notify.receivers(text, path)?;
        policy.routing = (cfg.notify).routing(&cfg.receivers, &policy.grouping, text, path)?;
        escalation_channels(&policy, &cfg.receivers, text, path)?;
        cfg.served = cfg.serve.checked(text, path)?;
        let names: Vec<String> = cfg.hosts.iter().filter_map(|h| h.shown_name()).collect();
        cfg.scrape_targets = scrape::targets(&cfg.scrape, &names, cfg.interval.0, text, path)?;
        cfg.statsd_listen = cfg.statsd.checked(&names, text, path)?;
        cfg.fleets = fleet::sources(&cfg.prometheus, text, path)?;
        cfg.report_jobs = reports::jobs(&cfg.reports, &cfg.receivers, text, path)?;
        policy.host_labels = (cfg.hosts.iter())
            .filter(|h| !h.labels.is_empty())
            .filter_map(|h| Some((h.shown_name()?, h.labels.clone())))
            .collect();
        Ok((cfg, policy))
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: &str, why: &str| Err(ConfigError::invalid(text, path, key, None, why));
        let secs = |d: &Dur| d.0.as_secs_f64();
        if !interval_ok(self.interval.0) {
            return bad("interval", "must be between 100ms and 1h");
        }
        if !(0.01..=1.0).contains(&secs(&self.ui.frame_interval)) {
            return bad("frame_interval", "must be between 10ms and 1s");
        }
        if !(10..=100_000).contains(&self.ui.history) {
            return bad("history", "must be between 10 and 100000");
        }
        if self.ui.process_columns.is_empty() {
            return bad("process_columns", "needs a column at least");
        }
        if !(0.1..=60.0).contains(&secs(&self.store.flush_interval)) {
            return bad("flush_interval", "must be between 100ms and 1m");
        }
        if secs(&self.store.raw_retention) < 3600.0 {
            return bad("raw_retention", "must be at least 1h");
        }
        if self.store.rollup_retention.0 < self.store.raw_retention.0 {
            return bad("rollup_retention", "must be at least raw_retention");
        }
        if !(1..=1000).contains(&self.collect.top_processes) {
            return bad("top_processes", "must be between 1 and 1000");
        }
        Ok(())
    }

    /// Retention settings for the store.
    pub fn retention(&self) -> crate::store::Retention {
        let ms = |d: &Dur| i64::try_from(d.0.as_millis()).unwrap_or(i64::MAX);
        crate::store::Retention {
            raw_ms: ms(&self.store.raw_retention),
            rollup_ms: ms(&self.store.rollup_retention),
            max_bytes: (self.store.max_size_mb > 0)
                .then(|| self.store.max_size_mb.saturating_mul(1 << 20)),
            patterns: self.store.max_log_patterns,
        }
    }

    /// The history file to use: `--db`, then the config's `db`, then the XDG default.
    pub fn db_path(&self, cli: Option<&Path>) -> PathBuf {
        cli.map(Path::to_path_buf)
            .or_else(|| (!self.db.is_empty()).then(|| PathBuf::from(&self.db)))
            .unwrap_or_else(paths::default_db)
    }
}

#[cfg(test)]
mod tests;

/// Escalation steps' `channels` name receivers: one that names none would reach no one.
fn escalation_channels(
    policy: &Policy,
    receivers: &[crate::notify::Receiver],
    text: &str,
    path: &Path,
) -> Result<(), ConfigError> {
    let channels = (policy.escalations.iter())
        .flat_map(|e| &e.steps)
        .flat_map(|s| &s.channels);
    for c in channels {
        if !receivers.iter().any(|r| &r.name == c) {
            let why = format!("no receiver is named `{c}` (add it to [[notify.receivers]])");
            return Err(ConfigError::invalid(text, path, "channels", Some(c), &why));
        }
    }
    Ok(())
}
