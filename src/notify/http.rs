//! HTTP for the receivers that POST (webhook, Slack, PagerDuty, Opsgenie, ntfy,
//! Alertmanager): one blocking client shared by the delivery threads, and the judgement of an
//! answer: 2xx delivered; 429 retried when the server says (Retry-After); 408 and 5xx retried
//! with backoff; other 4xx, refused authentication among them, are permanent.

use std::sync::OnceLock;
use std::time::Duration;

use super::{Answer, Failure};

/// The client every receiver uses (one connection pool, one background thread).
fn client() -> Result<&'static reqwest::blocking::Client, Failure> {
    static CLIENT: OnceLock<Result<reqwest::blocking::Client, String>> = OnceLock::new();
    let c = CLIENT.get_or_init(|| {
        crate::tls::provider();
        reqwest::blocking::Client::builder()
            .user_agent(concat!("montui/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .map_err(|e| format!("no HTTP client: {e}"))
    });
    c.as_ref().map_err(|e| Failure::retry(e.clone()))
}

/// A request to send.
pub struct Post<'a> {
    pub url: &'a str,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub content_type: &'a str,
    pub timeout: Duration,
}

/// Sends `p` and judges the answer.
pub fn post(p: Post<'_>) -> Answer {
    let mut req = client()?
        .post(p.url)
        .timeout(p.timeout)
        .header(reqwest::header::CONTENT_TYPE, p.content_type);
    for (k, v) in &p.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req
        .body(p.body)
        .send()
        .map_err(|e| Failure::retry(describe(&e)))?;
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after_ms);
    let body = resp.text().unwrap_or_default();
    judge(status, retry_after, &body)
}

/// What a transport error was, without its URL (which may hold a token).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_builder() {
        "bad request (the URL?)"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut root = None;
    while let Some(s) = source {
        root = Some(s.to_string());
        source = s.source();
    }
    match root {
        Some(r) => format!("{what}: {r}"),
        None => what.to_string(),
    }
}

/// The verdict on an HTTP answer.
pub fn judge(status: u16, retry_after_ms: Option<i64>, body: &str) -> Answer {
    let said: String = crate::text::one_line(body.trim())
        .chars()
        .take(200)
        .collect();
    let error = match said.is_empty() {
        true => format!("HTTP {status}"),
        false => format!("HTTP {status}: {said}"),
    };
    match status {
        200..=299 => Ok(error),
        429 => Err(Failure {
            retry_after_ms,
            ..Failure::retry(error)
        }),
        408 | 500..=599 => Err(Failure::retry(error)),
        401 | 403 => Err(Failure::permanent(format!(
            "authentication refused: {error}"
        ))),
        _ => Err(Failure::permanent(error)),
    }
}

/// Retry-After in ms: seconds, or an HTTP date (RFC 2822 form); capped at an hour.
fn retry_after_ms(v: &str) -> Option<i64> {
    let v = v.trim();
    let ms = match v.parse::<u64>() {
        Ok(s) => i64::try_from(s.saturating_mul(1000)).ok()?,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            (at.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0)
        }
    };
    Some(ms.min(3_600_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_delivered_retried_or_refused_for_good() {
        assert!(judge(202, None, "").is_ok());
        let busy = judge(429, Some(7000), "slow down").unwrap_err();
        assert_eq!((busy.permanent, busy.retry_after_ms), (false, Some(7000)));
        assert!(!judge(503, None, "").unwrap_err().permanent);
        assert!(!judge(408, None, "").unwrap_err().permanent);
        let bad = judge(400, None, "invalid payload\n").unwrap_err();
        assert_eq!(
            (bad.permanent, bad.error.as_str()),
            (true, "HTTP 400: invalid payload")
        );
        assert!(
            judge(401, None, "")
                .unwrap_err()
                .error
                .contains("authentication refused")
        );
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(retry_after_ms("120"), Some(120_000));
        assert_eq!(retry_after_ms("999999"), Some(3_600_000));
        assert_eq!(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT"), Some(0));
        assert_eq!(retry_after_ms("soon"), None);
    }
}
