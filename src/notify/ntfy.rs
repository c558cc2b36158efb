//! The `ntfy` receiver: a POST to the topic URL, the title and priority in headers (critical
//! is 5, warning 4, info 3; resolved 2), the alerts' lines as the body, an optional token.

use std::time::Duration;

use super::http::{Post, post};
use super::secret::Secret;
use super::view::{Notice, Words};
use super::{Answer, Failure};
use crate::store::Pending;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ntfy {
    pub url: Secret,
    pub token: Option<Secret>,
}

pub fn send(t: &Ntfy, p: &Pending, timeout: Duration, w: &Words) -> Answer {
    let url = t.url.value().map_err(Failure::retry)?;
    let n = Notice::parse(&p.payload);
    let (priority, tags) = match (n.firing().count(), n.severity()) {
        (0, _) => ("2", "white_check_mark"),
        (_, "critical") => ("5", "rotating_light"),
        (_, "warning") => ("4", "warning"),
        _ => ("3", "information_source"),
    };
    let mut headers = vec![
        ("Title".to_string(), ascii(&w.title)),
        ("Priority".into(), priority.into()),
        ("Tags".into(), tags.into()),
    ];
    if let Some(token) = &t.token {
        let token = token.value().map_err(Failure::retry)?;
        headers.push(("Authorization".into(), format!("Bearer {token}")));
    }
    let lines: Vec<String> = n.alerts.iter().map(|a| a.line()).collect();
    post(Post {
        url: &url,
        headers,
        body: if w.own_body {
            w.body.clone()
        } else {
            lines.join("\n")
        },
        content_type: "text/plain; charset=utf-8",
        timeout,
    })
}

/// A header value: what is not printable ASCII becomes `?` (headers are bytes, not UTF-8).
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect()
}
