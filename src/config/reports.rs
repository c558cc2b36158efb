//! `[[reports]]` in config.toml: reports made on schedule while montui records.

use std::path::Path;

use serde::Deserialize;

use super::ConfigError;
use crate::report::{Format, Period, schedule::Job};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Names the files (`<name>-<first day>.<ext>`); default the period's name.
    pub name: Option<String>,
    /// `day`, `week` or `month`.
    pub period: String,
    /// Local time of the day after the period when it is made (`HH:MM`, default 00:05).
    pub at: Option<String>,
    /// Only these recorded hosts (default: all).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// `html` (default), `md` or `json`.
    pub format: Option<String>,
    /// Email receivers (`[[notify.receivers]]` names) that get it: an HTML report as the
    /// mail's body.
    #[serde(default)]
    pub receivers: Vec<String>,
}

pub fn jobs(
    all: &[ReportConfig],
    receivers: &[crate::notify::Receiver],
    text: &str,
    path: &Path,
) -> Result<Vec<Job>, ConfigError> {
    let bad = |key: &str, value: &str, why: &str| {
        Err(ConfigError::invalid(text, path, key, Some(value), why))
    };
    let mut out: Vec<Job> = Vec::new();
    for r in all {
        let period = match r.period.as_str() {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            p => return bad("period", p, "must be day, week or month"),
        };
        let at = r.at.as_deref().unwrap_or("00:05");
        let Ok(t) = chrono::NaiveTime::parse_from_str(at, "%H:%M") else {
            return bad("at", at, "must be a time of day: 08:00");
        };
        let at_min = chrono::Timelike::num_seconds_from_midnight(&t) / 60;
        let format = match r.format.as_deref().unwrap_or("html") {
            "html" => Format::Html,
            "md" => Format::Md,
            "json" => Format::Json,
            f => return bad("format", f, "must be html, md or json"),
        };
        let name = r.name.clone().unwrap_or_else(|| r.period.clone());
        let plain = |c: char| c.is_ascii_alphanumeric() || "-_".contains(c);
        if name.is_empty() || !name.chars().all(plain) {
            return bad("name", &name, "names a file: letters, digits, - and _");
        }
        if out.iter().any(|j| j.name == name) {
            return bad(
                "name",
                &name,
                "is another report's too: give each a name of its own",
            );
        }
        for name in &r.receivers {
            match receivers.iter().find(|x| x.name == *name).map(|x| &x.kind) {
                Some(crate::notify::Kind::Email(_)) => {}
                Some(_) => {
                    return bad(
                        "receivers",
                        name,
                        "reports go by email: not an email receiver",
                    );
                }
                None => return bad("receivers", name, "is no [[notify.receivers]] name"),
            }
        }
        if !r.receivers.is_empty() && format != Format::Html {
            return bad(
                "format",
                r.format.as_deref().unwrap_or_default(),
                "a mailed report is html",
            );
        }
        out.push(Job {
            name,
            period,
            at_min,
            hosts: r.hosts.clone(),
            format,
            receivers: r.receivers.clone(),
        });
    }
    Ok(out)
}
