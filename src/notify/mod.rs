//! Delivery of notices to people: receivers (`[[notify.receivers]]`), a durable outbox in the
//! history file, and one delivery thread per receiver, so that one failing receiver never
//! delays or re-sends another's notices. Core: no terminal code here.

mod alertmanager;
mod command;
mod deliver;
mod desktop;
mod email;
mod health;
mod http;
mod ntfy;
mod opsgenie;
mod pagerduty;
mod payload;
mod secret;
mod sent;
mod slack;
mod terminal;
mod test;
mod view;
mod webhook;

pub use alertmanager::{Alertmanager, RESEND_MS};
pub use deliver::spawn;
pub use desktop::Desktop;
pub use email::{Email, Security};
pub use health::{Health, ReceiverHealth};
pub use ntfy::Ntfy;
pub use opsgenie::{API_URL as OPSGENIE_URL, Opsgenie};
pub use pagerduty::{EVENTS_URL as PAGERDUTY_URL, PagerDuty};
pub use payload::{notice_id, payload};
pub use secret::{Secret, mask_url, redact};
pub use sent::SentRow;
pub use slack::Slack;
pub use terminal::{Osc, Terminal};
pub use test::test;
pub use webhook::Webhook;

use std::time::Duration;

/// Where notices go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    pub name: String,
    pub kind: Kind,
    /// A notice older than this is given up (a dead letter, kept).
    pub give_up_ms: i64,
    /// Whether resolved notices are sent too.
    pub send_resolved: bool,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Its own title (mail subject, chat and push title) and body templates; None: defaults.
    pub title: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A program run without a shell, the notice as JSON on its stdin; exit 0 means delivered.
    Command {
        argv: Vec<String>,
    },
    Webhook(Webhook),
    Slack(Slack),
    Email(Email),
    Alertmanager(Alertmanager),
    PagerDuty(PagerDuty),
    Opsgenie(Opsgenie),
    Ntfy(Ntfy),
    Terminal(Terminal),
    Desktop(Desktop),
}

impl Kind {
    /// Whether this kind takes `acknowledge` notices (it has an incident to acknowledge).
    pub fn takes_acks(&self) -> bool {
        matches!(self, Self::PagerDuty(_) | Self::Opsgenie(_))
    }
}

/// What a receiver answered a delivery (`HTTP 202: ok`, `250 OK`…), or why it failed.
pub type Answer = Result<String, Failure>;

/// Why an attempt failed, and whether trying again could help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    /// Refused for good (a 4xx, refused authentication, a malformed address).
    pub permanent: bool,
    /// When the receiver asked to be tried again (429 Retry-After).
    pub retry_after_ms: Option<i64>,
}

impl Failure {
    pub fn retry(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            permanent: false,
            retry_after_ms: None,
        }
    }

    pub fn permanent(error: impl Into<String>) -> Self {
        Self {
            permanent: true,
            ..Self::retry(error)
        }
    }
}

impl Receiver {
    /// Its secrets as they are now (and URLs, which may hold tokens), to mask in messages.
    pub fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = (self.sources().into_iter())
            .filter_map(|(_, s)| s.value().ok())
            .collect();
        if let Kind::Alertmanager(m) = &self.kind {
            out.extend(m.urls.iter().cloned());
        }
        out
    }

    /// Where its secrets come from, each.
    fn sources(&self) -> Vec<(&'static str, &Secret)> {
        match &self.kind {
            Kind::Webhook(w) => {
                let mut v = vec![("url", &w.url)];
                v.extend(w.secret.iter().map(|s| ("secret", s)));
                v
            }
            Kind::Slack(s) => vec![("url", &s.url)],
            Kind::Email(e) => e.password.iter().map(|s| ("password", s)).collect(),
            Kind::PagerDuty(d) => vec![("routing_key", &d.routing_key)],
            Kind::Opsgenie(o) => vec![("api_key", &o.api_key)],
            Kind::Ntfy(t) => {
                let mut v = vec![("url", &t.url)];
                v.extend(t.token.iter().map(|s| ("token", s)));
                v
            }
            Kind::Command { .. } | Kind::Alertmanager(_) | Kind::Terminal(_) | Kind::Desktop(_) => {
                Vec::new()
            }
        }
    }
}

/// What would keep each receiver from delivering, found without sending: a command's program
/// that is not there, a secret's variable unset or file unreadable, a URL that is not one, a
/// CA file that cannot be read.
pub fn check(receivers: &[Receiver]) -> Vec<String> {
    let mut out = Vec::new();
    for r in receivers {
        let mut say = |what: String| out.push(format!("receiver `{}`: {what}", r.name));
        for (key, s) in r.sources() {
            match s.value() {
                Err(e) => say(format!("{key}: {e}")),
                Ok(v) if key == "url" && !is_url(&v) => {
                    say(format!("{key} `{}` is not an http(s) URL", mask_url(&v)))
                }
                Ok(_) => {}
            }
        }
        match &r.kind {
            Kind::Command { argv } => {
                if let Some(prog) = argv.first().filter(|p| !runnable(p)) {
                    say(format!(
                        "command `{prog}` is not an executable file here (nor on PATH)"
                    ));
                }
            }
            Kind::Desktop(_) if !desktop::session_bus() => {
                say("desktop: no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS unset)".into());
            }
            Kind::Email(e) => {
                if let Some(ca) = &e.ca_file
                    && let Err(err) = std::fs::read(ca)
                {
                    say(format!("ca_file {}: {err}", ca.display()));
                }
            }
            _ => {}
        }
    }
    out
}

/// The fingerprints of the alerts a notice's payload is about.
pub fn fingerprints(payload: &str) -> Vec<u64> {
    (view::Notice::parse(payload).alerts.iter())
        .filter_map(|a| u64::from_str_radix(&a.fingerprint, 16).ok())
        .collect()
}

/// Whether `v` is an http or https URL with a host.
pub fn is_url(v: &str) -> bool {
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

/// Whether `prog` names an executable file: a path, or a name on PATH.
fn runnable(prog: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let exec = |p: &std::path::Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if prog.contains('/') {
        return exec(std::path::Path::new(prog));
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| exec(&d.join(prog))))
}
