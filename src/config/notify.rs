//! `[notify]`: where notices go. `[[notify.receivers]]`, each a `name` and one kind table
//! (today `command = { argv = [...], timeout = "10s" }`), `give_up` (default 24h) and
//! `send_resolved` (default true). With no routes every notice goes to every receiver.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::duration::Dur;
use super::error::ConfigError;
use crate::notify::{Kind, Receiver};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifySection {
    pub receivers: Vec<ReceiverConfig>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverConfig {
    pub name: String,
    pub command: Option<CommandConfig>,
    #[serde(default = "give_up")]
    pub give_up: Dur,
    #[serde(default = "yes")]
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandConfig {
    pub argv: Vec<String>,
    #[serde(default = "ten_seconds")]
    pub timeout: Dur,
}

fn give_up() -> Dur {
    Dur(Duration::from_secs(24 * 3600))
}

fn yes() -> bool {
    true
}

fn ten_seconds() -> Dur {
    Dur(Duration::from_secs(10))
}

impl NotifySection {
    /// The receivers, checked: names given and unique, each with a kind, commands with a
    /// program, timeouts from 100 ms to 10 min.
    pub fn receivers(&self, text: &str, path: &Path) -> Result<Vec<Receiver>, ConfigError> {
        let bad = |key: &str, value: &str, why: &str| {
            ConfigError::invalid(text, path, key, Some(value), why)
        };
        let mut out: Vec<Receiver> = Vec::new();
        for r in &self.receivers {
            let name = r.name.trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(bad("name", &r.name, "a receiver needs a name"));
            }
            if out.iter().any(|o| o.name == name) {
                return Err(bad("name", &r.name, "two receivers have this name"));
            }
            let Some(c) = &r.command else {
                return Err(bad(
                    "name",
                    &r.name,
                    "a receiver needs a kind: command = { argv = [\"…\"] }",
                ));
            };
            if c.argv.first().is_none_or(|p| p.trim().is_empty()) {
                return Err(bad("name", &r.name, "command: argv needs a program"));
            }
            let t = c.timeout.0;
            if t < Duration::from_millis(100) || t > Duration::from_secs(600) {
                return Err(bad(
                    "name",
                    &r.name,
                    "command: timeout must be 100ms to 10m",
                ));
            }
            out.push(Receiver {
                name: name.to_string(),
                kind: Kind::Command {
                    argv: c.argv.clone(),
                    timeout: t,
                },
                give_up_ms: i64::try_from(r.give_up.0.as_millis()).unwrap_or(i64::MAX),
                send_resolved: r.send_resolved,
            });
        }
        Ok(out)
    }
}
