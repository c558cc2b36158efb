//! `[[scrape]]` in config.toml: any exporter's page, its series kept beside a host's.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::{ConfigError, Dur};

/// One exporter to scrape.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrapeConfig {
    /// `http://127.0.0.1:8080/metrics`
    pub url: String,
    /// Time between two scrapes; default: the global `interval`.
    pub interval: Option<Dur>,
    /// Added to each series (a series' own label of the same name wins).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The watched host the series belong to (a `[[hosts]]` name); default: this machine.
    pub host: Option<String>,
    /// Series kept per scrape; the rest are cut, with a warning.
    #[serde(default = "default_max_series")]
    pub max_series: usize,
}

fn default_max_series() -> usize {
    10_000
}

/// A target, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeTarget {
    pub url: String,
    pub every: Duration,
    pub labels: Vec<(String, String)>,
    /// None: this machine.
    pub host: Option<String>,
    pub max_series: usize,
}

/// The targets of `[[scrape]]`; `hosts` are the names of `[[hosts]]`.
pub fn targets(
    all: &[ScrapeConfig],
    hosts: &[String],
    interval: Duration,
    text: &str,
    path: &Path,
) -> Result<Vec<ScrapeTarget>, ConfigError> {
    let bad = |key: &str, value: &str, why: &str| {
        Err(ConfigError::invalid(text, path, key, Some(value), why))
    };
    let mut out = Vec::new();
    for s in all {
        if !(s.url.starts_with("http://") || s.url.starts_with("https://")) {
            return bad("url", &s.url, "must be an http:// or https:// address");
        }
        if let Some(h) = s.host.as_ref().filter(|h| !hosts.contains(h)) {
            let why = "is no [[hosts]] name (leave `host` out for this machine)";
            return bad("host", h, why);
        }
        let every = s.interval.map_or(interval, |d| d.0);
        if !super::interval_ok(every) {
            return bad("interval", &s.url, "must be between 100ms and 1h");
        }
        if !(1..=1_000_000).contains(&s.max_series) {
            return bad(
                "max_series",
                &s.max_series.to_string(),
                "must be 1 to 1000000",
            );
        }
        for k in s.labels.keys() {
            if !crate::prom::expo::is_label_name(k) {
                return bad("labels", k, "is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        }
        out.push(ScrapeTarget {
            url: s.url.clone(),
            every,
            labels: s.labels.clone().into_iter().collect(),
            host: s.host.clone(),
            max_series: s.max_series,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("c.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn targets_take_the_global_interval_and_this_machine_by_default() {
        let c = parse(
            "interval = \"2s\"\n[[hosts]]\nssh = \"db1\"\n\n[[scrape]]\nurl = \"http://127.0.0.1:8080/metrics\"\n\n[[scrape]]\nurl = \"http://db1:9187/metrics\"\nhost = \"db1\"\ninterval = \"15s\"\nlabels = { job = \"postgres\" }\n",
        )
        .unwrap();
        let t = &c.scrape_targets;
        assert_eq!((t[0].every.as_secs(), t[0].host.as_deref()), (2, None));
        assert_eq!(t[0].max_series, 10_000);
        assert_eq!(
            (t[1].every.as_secs(), t[1].host.as_deref()),
            (15, Some("db1"))
        );
        assert_eq!(t[1].labels, [("job".to_string(), "postgres".to_string())]);
    }

    #[test]
    fn rules_may_name_scraped_series_only_when_something_is_scraped() {
        let rule = "[[alerts.rules]]\nname = \"slow\"\nmetric = \"http_requests_per_second\"\nabove = 100\n";
        let e = parse(rule).unwrap_err();
        assert!(e.contains("no metric `http_requests_per_second`"), "{e}");
        let with = format!("{rule}\n[[scrape]]\nurl = \"http://127.0.0.1:8080/metrics\"\n");
        assert!(parse(&with).is_ok());
        let expr = "[[alerts.rules]]\nname = \"q\"\nexpr = \"avg(queue_depth, 1m) > 5\"\n\n[[scrape]]\nurl = \"http://127.0.0.1:8080/metrics\"\n";
        assert!(parse(expr).is_ok());
    }

    #[test]
    fn a_wrong_target_is_named() {
        let e = parse("[[scrape]]\nurl = \"127.0.0.1:8080\"\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("http://"), "{e}");
        let e = parse("[[scrape]]\nurl = \"http://a/metrics\"\nhost = \"nowhere\"\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("[[hosts]]"), "{e}");
        let e = parse("[[scrape]]\nurl = \"http://a/metrics\"\nlabels = { \"a-b\" = \"x\" }\n")
            .unwrap_err();
        assert!(e.contains("label name"), "{e}");
    }
}
