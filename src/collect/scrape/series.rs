//! `[[scrape]]`: any exporter's page every interval, its samples as series of a watched host
//! (counters with their previous observation, so `derive()` makes rates of them), cut to the
//! target's cap, and `scrape_up` saying whether the page came.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use super::{client, scrape};
use crate::collect::SourceMsg;
use crate::config::ScrapeTarget;
use crate::model::{FAMILIES, Series};
use crate::prom::expo::{Kind, Page};

/// Scrapes `t` every interval until `stop`, for `host`; its series go to `tx`.
pub async fn run(
    t: ScrapeTarget,
    host: String,
    tx: mpsc::Sender<SourceMsg>,
    mut stop: watch::Receiver<bool>,
) {
    let client = match client(t.every) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("[[scrape]] {}: cannot scrape: {e}", t.url);
            return;
        }
    };
    let mut tick = tokio::time::interval(t.every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut taken = Taken::default();
    // A target that stays down is said so again after 1, 2, 4 … 60 s.
    let (mut failures, mut next_report) = (0u32, Instant::now());
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let page = tokio::select! {
            p = scrape(&client, &t.url) => p,
            _ = stop.changed() => return,
        };
        let now = chrono::Utc::now().timestamp_millis();
        let series = match page {
            Ok(page) => {
                failures = 0;
                let (series, cut) = taken.series(&page, &t, now);
                if let Some(reason) = cut {
                    let host = host.clone();
                    let _ = tx.try_send(SourceMsg::Capped { host, reason });
                }
                series
            }
            Err(reason) => {
                if Instant::now() >= next_report {
                    tracing::warn!("[[scrape]] {reason}");
                    next_report = Instant::now()
                        + Duration::from_secs(1 << failures.min(6)).min(Duration::from_secs(60));
                    failures = failures.saturating_add(1);
                }
                vec![up(&t, 0.0, now)]
            }
        };
        let _ = tx.try_send(SourceMsg::Series {
            host: host.clone(),
            source: t.url.clone(),
            series,
        });
    }
}

/// `scrape_up{url,…}`: whether the target's page came and parsed.
fn up(t: &ScrapeTarget, value: f64, now: i64) -> Series {
    let mut labels = t.labels.clone();
    labels.retain(|(k, _)| k != "url");
    labels.push(("url".into(), t.url.clone()));
    labels.sort();
    Series {
        name: "scrape_up".into(),
        labels,
        value,
        at_ms: now,
        ..Default::default()
    }
}

/// The counters' last observations, by series.
#[derive(Default)]
pub struct Taken {
    last: HashMap<String, (i64, f64)>,
}

impl Taken {
    /// A page's samples as series (at most the target's cap, then `scrape_up`), and what
    /// was cut, if anything.
    pub fn series(
        &mut self,
        page: &Page,
        t: &ScrapeTarget,
        now: i64,
    ) -> (Vec<Series>, Option<String>) {
        let mut out = Vec::with_capacity(page.samples.len().min(t.max_series) + 1);
        let mut last = HashMap::with_capacity(self.last.len());
        let mut kept = 0;
        for s in &page.samples {
            if s.name.ends_with("_created") || !s.value.is_finite() {
                continue;
            }
            if kept == t.max_series {
                break;
            }
            kept += 1;
            let counter = is_counter(page.kind_of(&s.name), &s.name);
            let mut labels = s.labels.clone();
            for (k, v) in &t.labels {
                if !labels.iter().any(|(have, _)| have == k) {
                    labels.push((k.clone(), v.clone()));
                }
            }
            labels.sort();
            let name = own_name(&s.name, counter);
            let at_ms = s.ts_ms.unwrap_or(now);
            let prev = if counter {
                let id = id(&name, &labels);
                let prev = self.last.get(&id).copied();
                last.insert(id, (at_ms, s.value));
                prev
            } else {
                None
            };
            out.push(Series {
                name,
                labels,
                value: s.value,
                at_ms,
                counter,
                prev,
            });
        }
        self.last = last;
        let total = page.samples.len();
        let cut = (kept == t.max_series && total > kept).then(|| {
            format!(
                "{}: {total} series scraped, the first {kept} kept (max_series)",
                t.url
            )
        });
        out.push(up(t, 1.0, now));
        (out, cut)
    }
}

/// Whether a sample is cumulative: a counter's, or a histogram's or summary's buckets,
/// sums and counts; a sample of unknown type named `…_total`.
fn is_counter(kind: Kind, name: &str) -> bool {
    match kind {
        Kind::Counter => true,
        Kind::Histogram | Kind::Summary => {
            name.ends_with("_bucket") || name.ends_with("_sum") || name.ends_with("_count")
        }
        Kind::Unknown => name.ends_with("_total"),
        Kind::Gauge | Kind::GaugeHistogram | Kind::Info | Kind::StateSet => false,
    }
}

/// A series' name, kept apart from montui's own families (`up` from an exporter is not the
/// host's `up`): one that is, or whose rate would be, gets `scraped_` before it.
pub(crate) fn own_name(name: &str, counter: bool) -> String {
    let shown = if counter {
        crate::model::series::rate_name(name)
    } else {
        name.to_string()
    };
    let ours = |n: &str| FAMILIES.iter().any(|(f, _)| *f == n) || n == "scrape_up";
    if ours(&shown) {
        format!("scraped_{name}")
    } else {
        name.to_string()
    }
}

fn id(name: &str, labels: &[(String, String)]) -> String {
    let mut id = name.to_string();
    for (k, v) in labels {
        id.push('\u{1f}');
        id.push_str(k);
        id.push('\u{1f}');
        id.push_str(v);
    }
    id
}

#[cfg(test)]
mod tests;
