//! What `/metrics` says: every watched host's current figures, montui's health and its
//! alerts, in OpenMetrics or in the text format 0.0.4. No terminal code here.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use crate::alert::board::Board;
use crate::alert::lifecycle::Phase;
use crate::engine::EngineStats;
use crate::model::{FAMILIES, Metric, Name, Snapshot, metrics};
pub use crate::prom::expo::Format;

/// What the engine last saw: fed by it, read at each scrape.
#[derive(Debug, Default)]
pub struct Exposed {
    now: Mutex<Now>,
}

#[derive(Debug, Default)]
struct Now {
    /// Each host's last sample, and whether it answers since.
    hosts: BTreeMap<String, (Option<Box<Snapshot>>, bool)>,
    /// Pending and firing alerts: labels (alertname, alertstate, severity first), by
    /// fingerprint order.
    alerts: Vec<Vec<(String, String)>>,
}

impl Exposed {
    pub fn sample(&self, s: &Snapshot) {
        if let Ok(mut now) = self.now.lock() {
            now.hosts
                .insert(s.host.clone(), (Some(Box::new(s.clone())), true));
        }
    }

    /// A host did not answer: `up` 0 and no figures until it answers again.
    pub fn down(&self, host: &str) {
        if let Ok(mut now) = self.now.lock() {
            now.hosts.insert(host.to_string(), (None, false));
        }
    }

    pub fn alerts(&self, board: &Board) {
        let alerts = (board.alerts.iter())
            .filter_map(|a| {
                let state = match a.phase {
                    Phase::Pending => "pending",
                    Phase::Firing => "firing",
                    Phase::Resolved => return None,
                };
                let mut labels = vec![
                    ("alertname".to_string(), a.rule.clone()),
                    ("alertstate".to_string(), state.to_string()),
                    ("severity".to_string(), a.severity.name().to_string()),
                ];
                for (k, v) in &a.labels {
                    let k = label_name(k);
                    if !labels.iter().any(|(have, _)| *have == k) {
                        labels.push((k, v.clone()));
                    }
                }
                Some(labels)
            })
            .collect();
        if let Ok(mut now) = self.now.lock() {
            now.alerts = alerts;
        }
    }
}

/// montui's own figures besides the engine's.
pub struct Health<'a> {
    pub stats: &'a EngineStats,
    /// The history file's size in bytes (with its write-ahead log), if recording.
    pub store_bytes: Option<u64>,
    /// What the StatsD listener took, if it runs.
    pub statsd: Option<&'a crate::collect::statsd::Counts>,
}

/// The whole page.
pub fn page(exposed: &Exposed, health: &Health<'_>, format: Format) -> String {
    let mut out = String::new();
    let mut w = Writer {
        out: &mut out,
        format,
    };
    if let Ok(now) = exposed.now.lock() {
        hosts(&mut w, &now);
        alerts(&mut w, &now);
    }
    own(&mut w, health);
    if format == Format::OpenMetrics {
        out.push_str("# EOF\n");
    }
    out
}

fn hosts(w: &mut Writer<'_>, now: &Now) {
    let mut by_family: BTreeMap<Name, Vec<(&str, Metric)>> = BTreeMap::new();
    for (host, (snap, up)) in &now.hosts {
        let up = Metric::new("up", Vec::new(), f64::from(u8::from(*up)));
        by_family
            .entry(up.name.clone())
            .or_default()
            .push((host, up));
        for m in snap.iter().flat_map(|s| metrics(s)) {
            if m.name != "up" {
                by_family.entry(m.name.clone()).or_default().push((host, m));
            }
        }
    }
    // montui's families in their order, then the series scrapes and StatsD brought.
    let ours = FAMILIES.iter().map(|(f, help)| (Name::Borrowed(*f), *help));
    let theirs = (by_family.keys())
        .filter(|f| !FAMILIES.iter().any(|(ours, _)| ours == f))
        .map(|f| (f.clone(), "a series montui scraped or took by StatsD"));
    let all: Vec<(Name, &str)> = ours.chain(theirs).collect();
    for (family, help) in all {
        let Some(rows) = by_family.get(&family) else {
            continue;
        };
        let name = format!("montui_{family}");
        w.family(&name, "gauge", help);
        for (host, m) in rows {
            let mut labels = vec![("host", host.to_string())];
            labels.extend(m.labels.iter().map(|(k, v)| (k.as_ref(), v.clone())));
            w.sample(&name, &labels, m.value);
        }
    }
}

fn alerts(w: &mut Writer<'_>, now: &Now) {
    if now.alerts.is_empty() {
        return;
    }
    w.family(
        "ALERTS",
        "gauge",
        "montui's pending and firing alerts, as Prometheus writes its own",
    );
    for labels in &now.alerts {
        let labels: Vec<(&str, String)> = (labels.iter())
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        w.sample("ALERTS", &labels, 1.0);
    }
}

fn own(w: &mut Writer<'_>, h: &Health<'_>) {
    let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed) as f64;
    let s = h.stats;
    w.counter(
        "montui_samples_collected",
        "host samples montui took",
        load(&s.collected),
    );
    w.counter(
        "montui_samples_dropped",
        "host samples lost (a queue full, a refusing disk)",
        s.dropped() as f64,
    );
    w.counter(
        "montui_frames_skipped",
        "remote frames that could not be read",
        load(&s.bad_frames),
    );
    if let Some(ws) = &s.writer {
        w.counter(
            "montui_samples_written",
            "host samples committed to the history",
            load(&ws.written),
        );
        w.family(
            "montui_store_write_seconds",
            "summary",
            "time taken by the commits of samples to the history",
        );
        w.sample(
            "montui_store_write_seconds_sum",
            &[],
            load(&ws.commit_us) / 1e6,
        );
        w.sample("montui_store_write_seconds_count", &[], load(&ws.commits));
        let failing = f64::from(u8::from(ws.error().is_some()));
        w.family(
            "montui_store_failing",
            "gauge",
            "1 while the history refuses writes",
        );
        w.sample("montui_store_failing", &[], failing);
    }
    if let Some(c) = h.statsd {
        let n = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed) as f64;
        w.counter(
            "montui_statsd_packets",
            "StatsD packets taken",
            n(&c.packets),
        );
        w.counter("montui_statsd_lines", "StatsD lines taken", n(&c.lines));
        let bad = "StatsD lines that could not be read";
        w.counter("montui_statsd_malformed", bad, n(&c.malformed));
        let over = "StatsD lines of new series past max_series, not kept";
        w.counter("montui_statsd_over_cap", over, n(&c.over_cap));
    }
    if let Some(bytes) = h.store_bytes {
        w.family("montui_store_bytes", "gauge", "size of the history file");
        w.sample("montui_store_bytes", &[], bytes as f64);
    }
    if let Some(health) = &s.notify {
        let all = health.snapshot();
        type Of = fn(&crate::notify::ReceiverHealth) -> u64;
        let families: [(&str, &str, Of); 2] = [
            (
                "montui_notices_waiting",
                "notices in the outbox not delivered yet, by receiver",
                |r| r.pending,
            ),
            (
                "montui_notices_dead",
                "notices a receiver refused for good, kept, by receiver",
                |r| r.dead,
            ),
        ];
        for (name, help, of) in families {
            w.family(name, "gauge", help);
            for r in &all {
                w.sample(name, &[("receiver", r.name.clone())], of(r) as f64);
            }
        }
    }
}

struct Writer<'a> {
    out: &'a mut String,
    format: Format,
}

impl Writer<'_> {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    /// A counter of one sample: `name_total` (the family is `name` in OpenMetrics, the
    /// sample's name in the text format).
    fn counter(&mut self, name: &str, help: &str, value: f64) {
        let total = format!("{name}_total");
        let family = match self.format {
            Format::OpenMetrics => name,
            Format::Text => &total,
        };
        self.family(family, "counter", help);
        self.sample(&total, &[], value);
    }

    fn sample(&mut self, name: &str, labels: &[(&str, String)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", crate::export::om_escape(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {}", number(value));
    }
}

/// A value as both formats write it: `NaN`, `+Inf`, `-Inf`, else Rust's shortest.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        v.to_string()
    }
}

/// A label name Prometheus takes: `[a-zA-Z_][a-zA-Z0-9_]*`, other characters as `_`.
fn label_name(k: &str) -> String {
    let mut out: String = (k.chars())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests;
