//! The `pagerduty` receiver (Events API v2): an event per alert, `dedup_key` = the alert's
//! fingerprint, so PagerDuty folds re-sends into one incident: `trigger` while firing,
//! `resolve` once resolved, `acknowledge` when acknowledged in montui.

use std::time::Duration;

use serde_json::json;

use super::http::{Post, post};
use super::secret::Secret;
use super::view::Notice;
use super::{Answer, Failure};
use crate::store::Pending;

pub const EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerDuty {
    pub routing_key: Secret,
    pub url: String,
}

pub fn send(d: &PagerDuty, p: &Pending, timeout: Duration) -> Answer {
    let key = d.routing_key.value().map_err(Failure::retry)?;
    let mut said = Vec::new();
    for body in events(&Notice::parse(&p.payload), &key) {
        said.push(post(Post {
            url: &d.url,
            headers: Vec::new(),
            body,
            content_type: "application/json",
            timeout,
        })?);
    }
    Ok(said.join("; "))
}

/// One event per alert.
pub fn events(n: &Notice, routing_key: &str) -> Vec<String> {
    (n.alerts.iter())
        .map(|a| {
            let action = match (n.event.as_str(), a.status.as_str()) {
                ("acknowledge", _) => "acknowledge",
                (_, "firing") => "trigger",
                _ => "resolve",
            };
            let severity = match a.labels.get("severity").map(String::as_str) {
                Some("critical") => "critical",
                Some("warning") => "warning",
                _ => "info",
            };
            let mut details = serde_json::Map::new();
            for (k, v) in a.labels.iter().chain(&a.annotations) {
                details.insert(k.clone(), json!(v));
            }
            let source = match a.host() {
                "" => "montui",
                h => h,
            };
            json!({
                "routing_key": routing_key,
                "event_action": action,
                "dedup_key": a.fingerprint,
                "payload": {
                    "summary": a.summary().chars().take(1024).collect::<String>(),
                    "source": source,
                    "severity": severity,
                    "timestamp": a.starts_at,
                    "component": a.name(),
                    "custom_details": details,
                },
                "client": "montui",
            })
            .to_string()
        })
        .collect()
}
