//! The kind tables of `[[notify.receivers]]`, each checked into a `notify::Kind`.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::duration::Dur;
use super::notify::{ReceiverConfig, secret};
use crate::notify::{self, Kind, Secret, Security, is_url};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandConfig {
    pub argv: Vec<String>,
    /// The receiver's `timeout`, for this command (kept where it was first documented).
    pub timeout: Option<Dur>,
}

/// `slack`: the incoming-webhook URL.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlConfig {
    pub url: Option<String>,
    pub url_env: Option<String>,
    pub url_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    pub url: Option<String>,
    pub url_env: Option<String>,
    pub url_file: Option<PathBuf>,
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    pub secret_env: Option<String>,
    pub secret_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerConfig {
    pub urls: Vec<String>,
}

/// `pagerduty` (`routing_key_…`) and `opsgenie` (`api_key_…`), with an API URL to override.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    pub routing_key_env: Option<String>,
    pub routing_key_file: Option<PathBuf>,
    pub api_key_env: Option<String>,
    pub api_key_file: Option<PathBuf>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NtfyConfig {
    pub url: Option<String>,
    pub url_env: Option<String>,
    pub url_file: Option<PathBuf>,
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub host: String,
    pub port: Option<u16>,
    #[serde(default = "starttls")]
    pub tls: String,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub from: String,
    pub to: Vec<String>,
    pub ca_file: Option<PathBuf>,
}

/// `terminal = {}`, or `{ osc = "auto" | "777" | "9" | "none" }`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TerminalConfig {
    pub osc: Option<String>,
}

/// `desktop = {}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesktopConfig {}

fn starttls() -> String {
    "starttls".into()
}

type Bad = (&'static str, String);

/// The one kind `r` names, checked; a command's own `timeout` replaces `timeout`.
pub(super) fn kind(r: &ReceiverConfig, timeout: &mut Duration) -> Result<Kind, Bad> {
    let given: Vec<&'static str> = [
        ("email", r.email.is_some()),
        ("slack", r.slack.is_some()),
        ("webhook", r.webhook.is_some()),
        ("alertmanager", r.alertmanager.is_some()),
        ("pagerduty", r.pagerduty.is_some()),
        ("opsgenie", r.opsgenie.is_some()),
        ("ntfy", r.ntfy.is_some()),
        ("command", r.command.is_some()),
        ("terminal", r.terminal.is_some()),
        ("desktop", r.desktop.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, on)| on.then_some(k))
    .collect();
    match given.as_slice() {
        [] => {
            return Err((
                "name",
                "a receiver needs a kind: email, slack, webhook, alertmanager, pagerduty, \
                 opsgenie, ntfy, terminal, desktop or command = { … }"
                    .into(),
            ));
        }
        [_] => {}
        [first, ..] => {
            return Err((
                first,
                format!("one kind per receiver, not {}", given.join(" and ")),
            ));
        }
    }
    let url = |key: &'static str, plain: Option<&String>, env, file| -> Result<Secret, Bad> {
        let s = secret(plain, env, file).map_err(|e| (key, format!("url: {e}")))?;
        let s = s.ok_or((key, "needs url, url_env or url_file".to_string()))?;
        if let Secret::Plain(v) = &s
            && !is_url(v)
        {
            return Err((
                key,
                format!("url `{}` is not an http(s) URL", notify::mask_url(v)),
            ));
        }
        Ok(s)
    };
    let hidden = |key: &'static str, what: &str, env, file| -> Result<Option<Secret>, Bad> {
        secret(None, env, file).map_err(|e| (key, format!("{what}: {e}")))
    };
    let api = |key: &'static str, u: &Option<String>, default: &str| -> Result<String, Bad> {
        let u = u.clone().unwrap_or_else(|| default.to_string());
        match is_url(&u) {
            true => Ok(u),
            false => Err((key, format!("url `{u}` is not an http(s) URL"))),
        }
    };
    if let Some(c) = &r.command {
        if c.argv.first().is_none_or(|p| p.trim().is_empty()) {
            return Err(("command", "argv needs a program".into()));
        }
        if let Some(t) = c.timeout {
            *timeout = t.0;
        }
        return Ok(Kind::Command {
            argv: c.argv.clone(),
        });
    }
    if let Some(s) = &r.slack {
        let url = url(
            "slack",
            s.url.as_ref(),
            s.url_env.as_ref(),
            s.url_file.as_ref(),
        )?;
        return Ok(Kind::Slack(notify::Slack { url }));
    }
    if let Some(w) = &r.webhook {
        let url = url(
            "webhook",
            w.url.as_ref(),
            w.url_env.as_ref(),
            w.url_file.as_ref(),
        )?;
        let secret = hidden(
            "webhook",
            "secret",
            w.secret_env.as_ref(),
            w.secret_file.as_ref(),
        )?;
        let bad_header = w.headers.iter().find(|(k, v)| {
            k.is_empty()
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                || v.chars().any(|c| c.is_control())
        });
        if let Some((k, _)) = bad_header {
            return Err(("webhook", format!("header `{k}` is not a valid header")));
        }
        let headers = w
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        return Ok(Kind::Webhook(notify::Webhook {
            url,
            headers,
            secret,
        }));
    }
    if let Some(n) = &r.ntfy {
        let url = url(
            "ntfy",
            n.url.as_ref(),
            n.url_env.as_ref(),
            n.url_file.as_ref(),
        )?;
        let token = hidden("ntfy", "token", n.token_env.as_ref(), n.token_file.as_ref())?;
        return Ok(Kind::Ntfy(notify::Ntfy { url, token }));
    }
    if let Some(m) = &r.alertmanager {
        if m.urls.is_empty() {
            return Err((
                "alertmanager",
                "urls needs at least one Alertmanager".into(),
            ));
        }
        if let Some(u) = m.urls.iter().find(|u| !is_url(u)) {
            return Err(("alertmanager", format!("`{u}` is not an http(s) URL")));
        }
        return Ok(Kind::Alertmanager(notify::Alertmanager {
            urls: m.urls.clone(),
        }));
    }
    if let Some(p) = &r.pagerduty {
        let key = hidden(
            "pagerduty",
            "routing_key",
            p.routing_key_env.as_ref(),
            p.routing_key_file.as_ref(),
        )?;
        let routing_key = key.ok_or((
            "pagerduty",
            "needs routing_key_env or routing_key_file".to_string(),
        ))?;
        let url = api("pagerduty", &p.url, notify::PAGERDUTY_URL)?;
        return Ok(Kind::PagerDuty(notify::PagerDuty { routing_key, url }));
    }
    if let Some(o) = &r.opsgenie {
        let key = hidden(
            "opsgenie",
            "api_key",
            o.api_key_env.as_ref(),
            o.api_key_file.as_ref(),
        )?;
        let api_key = key.ok_or(("opsgenie", "needs api_key_env or api_key_file".to_string()))?;
        let url = api("opsgenie", &o.url, notify::OPSGENIE_URL)?;
        return Ok(Kind::Opsgenie(notify::Opsgenie { api_key, url }));
    }
    if r.desktop.is_some() {
        return Ok(Kind::Desktop(notify::Desktop));
    }
    if let Some(t) = &r.terminal {
        let osc = match t.osc.as_deref().unwrap_or("auto") {
            "auto" => notify::Osc::Auto,
            "777" => notify::Osc::Osc777,
            "9" => notify::Osc::Osc9,
            "none" => notify::Osc::None,
            other => {
                return Err((
                    "terminal",
                    format!("osc `{other}` is not auto, 777, 9 or none"),
                ));
            }
        };
        return Ok(Kind::Terminal(notify::Terminal { osc }));
    }
    let Some(e) = &r.email else {
        return Err(("name", "no kind".into()));
    };
    email(e)
}

fn email(e: &EmailConfig) -> Result<Kind, Bad> {
    let bad = |why: String| ("email", why);
    let security = match e.tls.as_str() {
        "starttls" => Security::StartTls,
        "tls" => Security::Tls,
        "none" => Security::None,
        other => return Err(bad(format!("tls `{other}` is not starttls, tls or none"))),
    };
    if e.host.trim().is_empty() || e.host.starts_with('-') {
        return Err(bad("host needs a mail server".into()));
    }
    let password = secret(None, e.password_env.as_ref(), e.password_file.as_ref())
        .map_err(|w| bad(format!("password: {w}")))?;
    if password.is_some() && e.username.is_none() {
        return Err(bad("a password goes with a username".into()));
    }
    if e.to.is_empty() {
        return Err(bad("to needs at least one address".into()));
    }
    for a in std::iter::once(&e.from).chain(&e.to) {
        if let Err(err) = a.parse::<lettre::message::Mailbox>() {
            return Err(bad(format!("`{a}` is not a mail address ({err})")));
        }
    }
    let port = e.port.unwrap_or(match security {
        Security::StartTls => 587,
        Security::Tls => 465,
        Security::None => 25,
    });
    Ok(Kind::Email(notify::Email {
        host: e.host.clone(),
        port,
        security,
        username: e.username.clone(),
        password,
        from: e.from.clone(),
        to: e.to.clone(),
        ca_file: e.ca_file.clone(),
    }))
}
