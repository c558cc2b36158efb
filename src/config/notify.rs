//! `[notify]`: where notices go. `[[notify.receivers]]`, each a `name` and one kind table
//! (`email`, `slack`, `webhook`, `alertmanager`, `pagerduty`, `opsgenie`, `ntfy`, `command`),
//! `give_up` (default 24h), `send_resolved` (default true) and `timeout` (default 10s).
//! Secrets (passwords, keys, tokens) come from `…_env` or `…_file`, never from the config;
//! URLs may be given in it, or from `url_env` / `url_file` when they hold a token.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::duration::Dur;
use super::error::ConfigError;
use super::receivers;
use crate::alert::notify::Grouping;
use crate::alert::route::{Route, Routing};
use crate::notify::Receiver;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifySection {
    pub receivers: Vec<ReceiverConfig>,
    pub routes: Vec<RouteConfig>,
    /// Receivers of alerts no route takes (none: every receiver).
    pub default: Vec<String>,
    /// Where `notification_failing` goes.
    pub fallback: Vec<String>,
    /// A receiver failing this long raises `notification_failing`.
    pub failing_after: Option<Dur>,
}

/// One `[[notify.routes]]`: which alerts (all matchers hold), to which receivers, grouped how
/// (unset: as `[alerts.notify]`), and whether later routes are tried too.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouteConfig {
    pub matchers: Vec<String>,
    pub receivers: Vec<String>,
    #[serde(rename = "continue")]
    pub cont: bool,
    pub group_by: Option<Vec<String>>,
    pub group_wait: Option<Dur>,
    pub group_interval: Option<Dur>,
    pub repeat_interval: Option<Dur>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverConfig {
    pub name: String,
    pub email: Option<receivers::EmailConfig>,
    pub slack: Option<receivers::UrlConfig>,
    pub webhook: Option<receivers::WebhookConfig>,
    pub alertmanager: Option<receivers::AlertmanagerConfig>,
    pub pagerduty: Option<receivers::KeyConfig>,
    pub opsgenie: Option<receivers::KeyConfig>,
    pub ntfy: Option<receivers::NtfyConfig>,
    pub command: Option<receivers::CommandConfig>,
    pub terminal: Option<receivers::TerminalConfig>,
    pub desktop: Option<receivers::DesktopConfig>,
    #[serde(default = "give_up")]
    pub give_up: Dur,
    #[serde(default = "yes")]
    pub send_resolved: bool,
    #[serde(default = "ten_seconds")]
    pub timeout: Dur,
    /// Templates of the title (mail subject, chat and push title) and the body.
    pub title: Option<String>,
    pub body: Option<String>,
}

fn give_up() -> Dur {
    Dur(Duration::from_secs(24 * 3600))
}

fn yes() -> bool {
    true
}

pub(super) fn ten_seconds() -> Dur {
    Dur(Duration::from_secs(10))
}

/// A secret given as `<key>_env` or `<key>_file` (and, for URLs, `<key>` itself).
pub(super) fn secret(
    plain: Option<&String>,
    env: Option<&String>,
    file: Option<&PathBuf>,
) -> Result<Option<crate::notify::Secret>, &'static str> {
    use crate::notify::Secret;
    match (plain, env, file) {
        (None, None, None) => Ok(None),
        (Some(v), None, None) => Ok(Some(Secret::Plain(v.clone()))),
        (None, Some(e), None) => Ok(Some(Secret::Env(e.clone()))),
        (None, None, Some(f)) => Ok(Some(Secret::File(f.clone()))),
        _ => Err("give it one way only"),
    }
}

impl NotifySection {
    /// The receivers, checked: names given and unique, each with exactly one kind, each kind's
    /// fields sound, timeouts from 100 ms to 10 min.
    pub fn receivers(&self, text: &str, path: &Path) -> Result<Vec<Receiver>, ConfigError> {
        let mut out: Vec<Receiver> = Vec::new();
        for r in &self.receivers {
            let bad = |key: &str, value: Option<&str>, why: &str| {
                ConfigError::invalid(
                    text,
                    path,
                    key,
                    value,
                    &format!("receiver `{}`: {why}", r.name),
                )
            };
            let name = r.name.trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(bad("name", Some(&r.name), "a receiver needs a name"));
            }
            if out.iter().any(|o| o.name == name) {
                return Err(bad("name", Some(&r.name), "two receivers have this name"));
            }
            let mut timeout = r.timeout.0;
            let kind = receivers::kind(r, &mut timeout)
                .map_err(|(key, why)| bad(key, None, &format!("{key}: {why}")))?;
            if timeout < Duration::from_millis(100) || timeout > Duration::from_secs(600) {
                return Err(bad("timeout", None, "timeout must be 100ms to 10m"));
            }
            for (key, t) in [("title", &r.title), ("body", &r.body)] {
                if let Some(t) = t
                    && let Err(why) = crate::alert::template::placeholders(t)
                {
                    return Err(bad(key, Some(t), &format!("{key}: {why}")));
                }
            }
            out.push(Receiver {
                name: name.to_string(),
                kind,
                give_up_ms: i64::try_from(r.give_up.0.as_millis()).unwrap_or(i64::MAX),
                send_resolved: r.send_resolved,
                timeout,
                title: r.title.clone(),
                body: r.body.clone(),
            });
        }
        Ok(out)
    }
}

impl NotifySection {
    /// The routes, checked: matchers parse, receivers are ones `receivers` has; unset grouping
    /// keys take `grouping`'s (`[alerts.notify]`).
    pub fn routing(
        &self,
        receivers: &[Receiver],
        grouping: &Grouping,
        text: &str,
        path: &Path,
    ) -> Result<Routing, ConfigError> {
        let bad = |key: &str, value: &str, why: String| {
            ConfigError::invalid(text, path, key, Some(value), &why)
        };
        let known = |key: &str, names: &[String]| -> Result<(), ConfigError> {
            match names
                .iter()
                .find(|n| !receivers.iter().any(|r| &r.name == *n))
            {
                Some(n) => Err(bad(key, n, format!("no receiver is named `{n}`"))),
                None => Ok(()),
            }
        };
        let ms = |d: Option<Dur>, default: i64| d.map_or(default, |d| d.0.as_millis() as i64);
        let mut routes = Vec::new();
        for r in &self.routes {
            let matchers = (r.matchers.iter())
                .map(|m| m.parse().map_err(|e| bad("matchers", m, e)))
                .collect::<Result<Vec<_>, _>>()?;
            if r.receivers.is_empty() {
                return Err(bad("receivers", "[]", "a route needs receivers".into()));
            }
            known("receivers", &r.receivers)?;
            routes.push(Route {
                matchers,
                receivers: r.receivers.clone(),
                cont: r.cont,
                grouping: Grouping {
                    group_by: r
                        .group_by
                        .clone()
                        .unwrap_or_else(|| grouping.group_by.clone()),
                    group_wait_ms: ms(r.group_wait, grouping.group_wait_ms),
                    group_interval_ms: ms(r.group_interval, grouping.group_interval_ms),
                    repeat_interval_ms: ms(r.repeat_interval, grouping.repeat_interval_ms),
                },
            });
        }
        known("default", &self.default)?;
        known("fallback", &self.fallback)?;
        let mut routing = Routing::new(routes, self.default.clone(), grouping.clone());
        routing.fallback.clone_from(&self.fallback);
        if let Some(d) = self.failing_after {
            if d.0 < Duration::from_secs(1) {
                let v = d.to_string();
                return Err(bad("failing_after", &v, "must be 1s or more".into()));
            }
            routing.failing_after_ms = d.0.as_millis() as i64;
        }
        Ok(routing)
    }
}
