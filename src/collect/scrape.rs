//! A host read from its node_exporter (`[[hosts]] scrape = ["http://…/metrics"]`): its page
//! every interval, parsed (text or OpenMetrics, gzip accepted) and made a host sample, so the
//! host gets the same panes and alerts as one reached over SSH. A page that does not come,
//! does not parse or is not node_exporter's is the host down, with the reason (said again
//! after 1, 2, 4 … 60 s while it lasts).

pub mod series;

use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use super::SourceMsg;
use crate::config::ScrapeHost;
use crate::prom::expo::{self, Format, Page};
use crate::prom::node::host_sample;

/// The largest page read (node_exporter's is about 100 KB; a runaway exporter is cut off).
const PAGE_MAX: usize = 32 << 20;

/// What a scrape asks for: OpenMetrics first, the text format else.
const ACCEPT: &str =
    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// Scrapes `h` every interval until `stop`; samples and failures go to `tx` (never waiting).
pub async fn run(h: ScrapeHost, tx: mpsc::Sender<SourceMsg>, mut stop: watch::Receiver<bool>) {
    let client = match client(h.every) {
        Ok(c) => c,
        Err(e) => {
            let reason = format!("cannot scrape: {e}");
            let _ = tx.try_send(failed(&h.name, reason));
            return;
        }
    };
    let mut tick = tokio::time::interval(h.every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut up = false;
    // A host that stays down is said so again after 1, 2, 4 … 60 s, as an SSH host's retries.
    let (mut failures, mut next_report) = (0u32, Instant::now());
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let asked = Instant::now();
        let page = tokio::select! {
            p = scrape(&client, &h.url) => p,
            _ = stop.changed() => return,
        };
        let now = chrono::Utc::now().timestamp_millis();
        match page.and_then(|p| node(&p, &h.name, now)) {
            Ok(raw) => {
                failures = 0;
                if !up {
                    let host = h.name.clone();
                    let _ = tx.try_send(SourceMsg::Connected { host, skew_ms: 0 });
                    up = true;
                }
                let rtt_ms = Some(u32::try_from(asked.elapsed().as_millis()).unwrap_or(u32::MAX));
                let _ = tx.try_send(SourceMsg::Sample {
                    raw: Box::new(raw),
                    rtt_ms,
                });
            }
            Err(reason) => {
                up = false;
                if Instant::now() >= next_report {
                    let _ = tx.try_send(failed(&h.name, reason));
                    next_report = Instant::now()
                        + Duration::from_secs(1 << failures.min(6)).min(Duration::from_secs(60));
                    failures = failures.saturating_add(1);
                }
            }
        }
    }
}

/// An HTTP client whose requests end within the interval (1 to 10 s).
fn client(every: Duration) -> reqwest::Result<reqwest::Client> {
    crate::tls::provider();
    (reqwest::Client::builder())
        .timeout(every.clamp(Duration::from_secs(1), Duration::from_secs(10)))
        .build()
}

fn failed(host: &str, reason: String) -> SourceMsg {
    SourceMsg::Failed {
        host: host.into(),
        at: chrono::Utc::now().timestamp_millis(),
        reason,
    }
}

/// The host sample of a node_exporter page; an error for any other page.
fn node(page: &Page, host: &str, now: i64) -> Result<crate::model::RawSample, String> {
    if !page
        .samples
        .iter()
        .any(|s| s.name == "node_cpu_seconds_total")
    {
        return Err("not a node_exporter page (no node_cpu_seconds_total)".into());
    }
    Ok(host_sample(page, host, now))
}

/// One page from `url`, parsed as its Content-Type says.
async fn scrape(client: &reqwest::Client, url: &str) -> Result<Page, String> {
    let mut resp = (client.get(url))
        .header(reqwest::header::ACCEPT, ACCEPT)
        .send()
        .await
        .map_err(|e| format!("scraping {url}: {}", reason(&e)))?;
    if !resp.status().is_success() {
        return Err(format!("scraping {url}: HTTP {}", resp.status()));
    }
    let ct = (resp.headers().get(reqwest::header::CONTENT_TYPE))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| format!("reading {url}: {}", reason(&e)))?
    {
        if body.len() + chunk.len() > PAGE_MAX {
            return Err(format!("{url}: a page over {} MiB", PAGE_MAX >> 20));
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&body);
    expo::parse(&text, Format::of_content_type(&ct)).map_err(|e| format!("{url}: {e}"))
}

/// The innermost cause of a request's failure (reqwest's own text says only "error sending
/// request").
fn reason(e: &reqwest::Error) -> String {
    let mut why = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        why = s.to_string();
        source = s.source();
    }
    why
}
