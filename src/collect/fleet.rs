//! A fleet through a Prometheus HTTP API (`[[prometheus]]`): every interval one query for the
//! hosts (`up{job="node"}`) and one for every node_exporter family montui reads, for all
//! instances at once; each instance's samples become a host sample as its own page would.
//! An instance whose `up` is 0 is a host down; one that leaves the answer is said once.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use super::SourceMsg;
use crate::config::FleetSource;
use crate::prom::api::{Labels, VectorSample, matchers, vector, vector_each};
use crate::prom::expo::{Page, Sample};
use crate::prom::node::{FAMILIES_RE, host_sample};

/// Reads `f` every interval until `stop`; samples and failures go to `tx`.
pub async fn run(f: FleetSource, tx: mpsc::Sender<SourceMsg>, mut stop: watch::Receiver<bool>) {
    let client = match client(&f) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("[[prometheus]] {}: {e}", f.url);
            return;
        }
    };
    let data = data_selector(&f.hosts);
    let mut tick = tokio::time::interval(f.every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut up: HashSet<String> = HashSet::new();
    let mut next_report = Instant::now();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let both = async {
            let hosts = vector(&get(&client, &f, "query", &[("query", &f.hosts)]).await?)?;
            let data = pages(&get(&client, &f, "query", &[("query", &data)]).await?)?;
            Ok::<_, String>((hosts, data))
        };
        let answer = tokio::select! {
            a = both => a,
            _ = stop.changed() => return,
        };
        let now = chrono::Utc::now().timestamp_millis();
        match answer {
            Ok((hosts, data)) => {
                for msg in messages(&hosts, data, &mut up, now) {
                    let _ = tx.try_send(msg);
                }
            }
            Err(why) => {
                if Instant::now() >= next_report {
                    tracing::warn!("[[prometheus]] {}: {why}", f.url);
                    next_report = Instant::now() + Duration::from_secs(60);
                }
            }
        }
    }
}

/// The data query's answer as each instance's node_exporter page.
fn pages(body: &str) -> Result<BTreeMap<String, Page>, String> {
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    vector_each(body, |labels, value| {
        if let Some((instance, sample)) = sample(labels, value) {
            match pages.get_mut(instance) {
                Some(page) => page.samples.push(sample),
                None => {
                    let page = pages.entry(instance.to_string()).or_default();
                    page.samples.push(sample);
                }
            }
        }
    })?;
    Ok(pages)
}

/// What one read says: hosts that came up, their samples, hosts down (with why).
pub fn messages(
    hosts: &[VectorSample],
    mut pages: BTreeMap<String, Page>,
    up: &mut HashSet<String>,
    now: i64,
) -> Vec<SourceMsg> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (labels, value) in hosts {
        let Some(host) = labels.get("instance").map(String::from) else {
            continue;
        };
        seen.insert(host.clone());
        if *value < 1.0 {
            up.remove(&host);
            out.push(SourceMsg::Failed {
                host: host.clone(),
                at: now,
                reason: "down in Prometheus (up = 0)".into(),
            });
            continue;
        }
        if up.insert(host.clone()) {
            out.push(SourceMsg::Connected {
                host: host.clone(),
                skew_ms: 0,
            });
        }
        let page = pages.remove(&host).unwrap_or_default();
        out.push(SourceMsg::Sample {
            raw: Box::new(host_sample(&page, &host, now)),
            rtt_ms: None,
        });
    }
    for gone in up
        .iter()
        .filter(|h| !seen.contains(*h))
        .cloned()
        .collect::<Vec<_>>()
    {
        up.remove(&gone);
        out.push(SourceMsg::Failed {
            host: gone,
            at: now,
            reason: "no longer selected in Prometheus".into(),
        });
    }
    out
}

/// A series of the API as a sample of its instance's node_exporter page: the instance, and
/// the series without the labels Prometheus added.
fn sample<'l>(labels: &'l Labels, value: f64) -> Option<(&'l str, Sample)> {
    let instance = labels.get("instance")?;
    let name = labels.get("__name__")?;
    let labels = (labels.iter())
        .filter(|(k, _)| !matches!(*k, "__name__" | "instance" | "job"))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let sample = Sample {
        name: name.to_string(),
        labels,
        value,
        ts_ms: None,
    };
    Some((instance, sample))
}

/// Every node_exporter family montui reads, of the instances `hosts` selects.
fn data_selector(hosts: &str) -> String {
    let families = format!("{{__name__=~\"{FAMILIES_RE}\"");
    match matchers(hosts) {
        "" => format!("{families}}}"),
        m => format!("{families},{m}}}"),
    }
}

fn client(f: &FleetSource) -> Result<reqwest::Client, String> {
    crate::tls::provider();
    let timeout = f
        .every
        .clamp(Duration::from_secs(1), Duration::from_secs(30));
    (reqwest::Client::builder()
        .timeout(timeout)
        .gzip(true)
        .build())
    .map_err(|e| e.to_string())
}

/// One GET of the API's `/api/v1/<what>` with `params`: the answer's body.
async fn get(
    client: &reqwest::Client,
    f: &FleetSource,
    what: &str,
    params: &[(&str, &str)],
) -> Result<String, String> {
    let url = reqwest::Url::parse_with_params(&format!("{}/api/v1/{what}", f.url), params)
        .map_err(|e| format!("{}: {e}", f.url))?;
    let mut req = client.get(url);
    if let Some(t) = &f.token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| format!("asking: {e}"))?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| format!("reading: {e}"))?;
    if !status.is_success() && !body.starts_with('{') {
        return Err(format!("HTTP {status}"));
    }
    Ok(body)
}

mod range;
pub use range::history;

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, instance: &str, extra: &[(&str, &str)], v: f64) -> VectorSample {
        let l = [("__name__", name), ("instance", instance), ("job", "node")]
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        (l, v)
    }

    /// The API's answer with `samples`, as each instance's page.
    fn answer(samples: &[VectorSample]) -> BTreeMap<String, Page> {
        let result: Vec<serde_json::Value> = (samples.iter())
            .map(|(l, v)| {
                let metric: serde_json::Map<String, serde_json::Value> =
                    l.iter().map(|(k, v)| (k.to_string(), v.into())).collect();
                serde_json::json!({"metric": metric, "value": [1.5, v.to_string()]})
            })
            .collect();
        let body = serde_json::json!({"status": "success",
            "data": {"resultType": "vector", "result": result}});
        pages(&body.to_string()).unwrap()
    }

    #[test]
    fn each_instance_is_a_host_up_down_or_gone() {
        let hosts = vec![s("up", "a:9100", &[], 1.0), s("up", "b:9100", &[], 0.0)];
        let data = vec![
            s("node_load1", "a:9100", &[], 0.5),
            s("node_memory_MemTotal_bytes", "a:9100", &[], 8e9),
            s(
                "node_cpu_seconds_total",
                "a:9100",
                &[("cpu", "0"), ("mode", "idle")],
                100.0,
            ),
        ];
        let mut up = HashSet::new();
        let msgs = messages(&hosts, answer(&data), &mut up, 1_000);
        let raw = msgs.iter().find_map(|m| match m {
            SourceMsg::Sample { raw, .. } => Some(raw),
            _ => None,
        });
        let raw = raw.expect("a's sample");
        assert_eq!(
            (raw.host.as_str(), raw.load[0], raw.mem.total),
            ("a:9100", 0.5, 8_000_000_000)
        );
        assert_eq!(raw.cpus.len(), 1);
        assert!(
            msgs.iter()
                .any(|m| matches!(m, SourceMsg::Connected { host, .. } if host == "a:9100"))
        );
        assert!(
            msgs.iter()
                .any(|m| matches!(m, SourceMsg::Failed { host, .. } if host == "b:9100"))
        );
        // a leaves the selection: said once.
        let msgs = messages(&[], answer(&[]), &mut up, 2_000);
        assert!(
            matches!(&msgs[..], [SourceMsg::Failed { host, reason, .. }] if host == "a:9100" && reason.contains("no longer"))
        );
        assert!(messages(&[], answer(&[]), &mut up, 3_000).is_empty());
    }
}
