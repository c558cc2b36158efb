//! The `opsgenie` receiver (Alert API v2): an alert per montui alert, `alias` = its
//! fingerprint, so re-sends are one Opsgenie alert: created while firing, closed once
//! resolved, acknowledged when acknowledged in montui.

use std::time::Duration;

use serde_json::json;

use super::http::{Post, post};
use super::secret::Secret;
use super::view::{AlertView, Notice};
use super::{Answer, Failure};
use crate::store::Pending;

pub const API_URL: &str = "https://api.opsgenie.com";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opsgenie {
    pub api_key: Secret,
    pub url: String,
}

pub fn send(o: &Opsgenie, p: &Pending, timeout: Duration) -> Answer {
    let key = o.api_key.value().map_err(Failure::retry)?;
    let n = Notice::parse(&p.payload);
    let mut said = Vec::new();
    for (path, body) in requests(&n) {
        said.push(post(Post {
            url: &format!("{}{path}", o.url.trim_end_matches('/')),
            headers: vec![("Authorization".into(), format!("GenieKey {key}"))],
            body,
            content_type: "application/json",
            timeout,
        })?);
    }
    Ok(said.join("; "))
}

/// Path and body of each request.
pub fn requests(n: &Notice) -> Vec<(String, String)> {
    (n.alerts.iter())
        .map(|a| {
            let by_alias =
                |what: &str| format!("/v2/alerts/{}/{what}?identifierType=alias", a.fingerprint);
            match (n.event.as_str(), a.status.as_str()) {
                ("acknowledge", _) => (
                    by_alias("acknowledge"),
                    json!({"source": "montui"}).to_string(),
                ),
                (_, "firing") => ("/v2/alerts".to_string(), create(a)),
                _ => (by_alias("close"), json!({"source": "montui"}).to_string()),
            }
        })
        .collect()
}

fn create(a: &AlertView) -> String {
    let priority = match a.labels.get("severity").map(String::as_str) {
        Some("critical") => "P1",
        Some("warning") => "P3",
        _ => "P5",
    };
    let message: String = format!("{} on {}", a.name(), a.host())
        .chars()
        .take(130)
        .collect();
    let mut details = serde_json::Map::new();
    for (k, v) in a.labels.iter().chain(&a.annotations) {
        details.insert(k.clone(), json!(v));
    }
    json!({
        "message": message,
        "alias": a.fingerprint,
        "description": a.summary().chars().take(15000).collect::<String>(),
        "priority": priority,
        "source": "montui",
        "tags": [a.name(), a.host()],
        "details": details,
    })
    .to_string()
}
