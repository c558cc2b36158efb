//! The `slack` receiver: an incoming-webhook message per notice, coloured by severity (green
//! once resolved), each alert with its host, summary, value and since.

use std::time::Duration;

use serde_json::json;

use super::http::{Post, post};
use super::secret::Secret;
use super::view::{Notice, Words};
use super::{Answer, Failure};
use crate::store::Pending;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slack {
    pub url: Secret,
}

pub fn send(s: &Slack, p: &Pending, timeout: Duration, w: &Words) -> Answer {
    let url = s.url.value().map_err(Failure::retry)?;
    post(Post {
        url: &url,
        headers: Vec::new(),
        body: message(&Notice::parse(&p.payload), w),
        content_type: "application/json",
        timeout,
    })
}

/// The message: the title, and one attachment per alert (or the receiver's own body).
pub fn message(n: &Notice, w: &Words) -> String {
    let colour = |status: &str, severity: Option<&String>| match (status, severity) {
        ("resolved", _) => "#2eb886",
        (_, Some(s)) if s == "critical" => "#d00000",
        (_, Some(s)) if s == "warning" => "#daa038",
        _ => "#439fe0",
    };
    let attachments: Vec<serde_json::Value> = (n.alerts.iter())
        .map(|a| {
            let mut fields = vec![json!({"title": "host", "value": a.host(), "short": true})];
            let value = a.annotations.get("value").unwrap_or(&a.montui_value);
            if !value.is_empty() {
                fields.push(json!({"title": "value", "value": value, "short": true}));
            }
            let when = match a.status.as_str() {
                "firing" => ("since", &a.starts_at),
                _ => ("resolved", &a.ends_at),
            };
            fields.push(json!({"title": when.0, "value": when.1, "short": true}));
            json!({
                "color": colour(&a.status, a.labels.get("severity")),
                "title": format!("{} {}", a.status.to_uppercase(), a.name()),
                "text": a.summary(),
                "fields": fields,
                "footer": a.label_text(),
            })
        })
        .collect();
    if w.own_body {
        let status = if n.firing().count() > 0 {
            "firing"
        } else {
            "resolved"
        };
        let colour = colour(status, Some(&n.severity().to_string()));
        let one = json!([{ "color": colour, "text": w.body }]);
        return json!({ "text": w.title, "attachments": one }).to_string();
    }
    json!({ "text": w.title, "attachments": attachments }).to_string()
}
