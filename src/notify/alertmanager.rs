//! The `alertmanager` receiver: montui's alerts pushed to one or more Alertmanager instances
//! (API v2 `POST /api/v2/alerts`), as Prometheus does: firing alerts are re-sent while they
//! fire, each with an `endsAt` 4 minutes ahead (so Alertmanager resolves them if montui
//! stops), resolved ones with the time they resolved. Delivered when one instance took it (a
//! cluster shares what one member got; the next push reaches the others).

use std::time::Duration;

use serde_json::json;

use super::http::{Post, post};
use super::view::Notice;
use super::{Answer, Failure};
use crate::store::Pending;

/// How long a pushed firing alert stays firing in Alertmanager without a re-send: 4 × the
/// re-send interval, as Prometheus sets it.
pub const VALID_MS: i64 = 4 * RESEND_MS;

/// How often firing alerts are pushed again.
pub const RESEND_MS: i64 = 60_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alertmanager {
    pub urls: Vec<String>,
}

pub fn send(m: &Alertmanager, p: &Pending, now: i64, timeout: Duration) -> Answer {
    let body = alerts(&Notice::parse(&p.payload), now);
    let mut errors = Vec::new();
    for url in &m.urls {
        let r = post(Post {
            url: &format!("{}/api/v2/alerts", url.trim_end_matches('/')),
            headers: Vec::new(),
            body: body.clone(),
            content_type: "application/json",
            timeout,
        });
        match r {
            Ok(said) => return Ok(format!("{url}: {said}")),
            Err(e) => errors.push(e),
        }
    }
    let permanent = errors.iter().all(|e| e.permanent);
    let said: Vec<String> = (m.urls.iter().zip(&errors))
        .map(|(u, e)| format!("{u}: {}", e.error))
        .collect();
    Err(Failure {
        permanent,
        ..Failure::retry(said.join("; "))
    })
}

/// The postable alerts: labels, annotations, startsAt, endsAt.
pub fn alerts(n: &Notice, now: i64) -> String {
    let ahead = chrono::DateTime::from_timestamp_millis(now + VALID_MS)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    let list: Vec<serde_json::Value> = (n.alerts.iter())
        .map(|a| {
            let ends = match a.status.as_str() {
                "firing" => &ahead,
                _ => &a.ends_at,
            };
            json!({
                "labels": a.labels,
                "annotations": a.annotations,
                "startsAt": a.starts_at,
                "endsAt": ends,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}
