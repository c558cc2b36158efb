//! `montui export`: recorded history as CSV, JSON lines or OpenMetrics text, the derived
//! metrics of `model::metrics` (the figures the UI shows). No terminal code here.

use std::io::Write;

use chrono::{TimeZone, Utc};

use crate::model::{FAMILIES, Metric, RawSample, Snapshot, derive, metrics};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    OpenMetrics,
}

pub struct Query {
    pub from: i64,
    pub to: i64,
    pub host: Option<String>,
    /// A metric name (`cpu_busy_percent` or `montui_cpu_busy_percent`), or a prefix ending in `*`.
    pub metric: Option<String>,
    /// Unreadable parts of the history are left out without an error (still reported).
    pub skip_corrupt: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Query(String),
    /// Parts of the history could not be read; nothing is said to be complete.
    #[error(
        "{} unreadable part(s) of the history left out: {}; export again with --skip-corrupt to accept that",
        .0.len(),
        .0.join("; ")
    )]
    Corrupt(Vec<String>),
}

/// Samples are read this many at a time, so a week's export never sits in memory.
const CHUNK: usize = 3_600;
/// How far before `from` the previous sample (for the first rates) is looked for.
const LOOK_BACK_MS: i64 = 60_000;

/// Writes the export; returns the number of values written. Unreadable parts of the history
/// are left out and make it an error (`ExportError::Corrupt`, after everything readable is
/// written) unless `skip_corrupt`; then the caller reports them with `Store::skipped`.
pub fn export(
    store: &Store,
    q: &Query,
    format: Format,
    out: &mut impl Write,
) -> Result<u64, ExportError> {
    let hosts: Vec<String> = match &q.host {
        Some(h) if store.hosts()?.contains(h) => vec![h.clone()],
        Some(h) => return Err(ExportError::Query(format!("no host `{h}` in this history"))),
        None => store.hosts()?,
    };
    let wanted = |m: &Metric| match q
        .metric
        .as_deref()
        .map(|m| m.strip_prefix("montui_").unwrap_or(m))
    {
        None => true,
        Some(p) if p.ends_with('*') => m.name.starts_with(p.trim_end_matches('*')),
        Some(p) => m.name == p,
    };
    let mut n = 0;
    match format {
        Format::Csv | Format::Json => {
            if format == Format::Csv {
                writeln!(out, "time,host,metric,labels,value")?;
            }
            for host in &hosts {
                each_snapshot(store, host, q.from, q.to, |s| {
                    for m in metrics(s).into_iter().filter(&wanted) {
                        n += 1;
                        if format == Format::Csv {
                            csv_row(out, s, &m)?;
                        } else {
                            json_row(out, s, &m)?;
                        }
                    }
                    Ok(())
                })?;
            }
        }
        Format::OpenMetrics => {
            // A family's samples must be contiguous, and so must each series' within it
            // (OpenMetrics "metric grouping"): one pass over the range per family and host,
            // each series spooled to a file of its own, then copied out in turn.
            for (family, help) in FAMILIES {
                let mut header = false;
                for host in &hosts {
                    let mut spool = Spool::default();
                    each_snapshot(store, host, q.from, q.to, |s| {
                        let ms = metrics(s).into_iter();
                        for m in ms.filter(|m| m.name == *family && wanted(m)) {
                            n += 1;
                            om_row(spool.series(s, &m)?, s, &m)?;
                        }
                        Ok(())
                    })?;
                    if !header && !spool.is_empty() {
                        writeln!(
                            out,
                            "# TYPE montui_{family} gauge\n# HELP montui_{family} {help}"
                        )?;
                        header = true;
                    }
                    spool.copy_to(out)?;
                }
            }
            writeln!(out, "# EOF")?;
        }
    }
    let skipped = store.skipped();
    if !skipped.is_empty() && !q.skip_corrupt {
        return Err(ExportError::Corrupt(skipped));
    }
    Ok(n)
}

/// Calls `f` with each derived snapshot of `host` in `[from, to]`, oldest first. The work
/// follows the samples recorded, not the span asked for (`--from "100 years ago"`).
fn each_snapshot(
    store: &Store,
    host: &str,
    from: i64,
    to: i64,
    mut f: impl FnMut(&Snapshot) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let times = store.sample_times(host, from, to)?;
    let before = (from.saturating_sub(LOOK_BACK_MS), from.saturating_sub(1));
    let mut prev: Option<RawSample> = store.samples(host, before.0, before.1)?.pop();
    for chunk in times.chunks(CHUNK) {
        let (first, last) = (chunk[0], chunk[chunk.len() - 1]);
        for s in store.samples(host, first, last)? {
            f(&derive(&s, prev.as_ref()))?;
            prev = Some(s);
        }
    }
    Ok(())
}

fn iso(ts_ms: i64) -> String {
    Utc.timestamp_millis_opt(ts_ms).single().map_or_else(
        || ts_ms.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    )
}

/// A CSV field, quoted where it must be; controls and bidi overrides (a hostile mount name)
/// never reach whoever `cat`s the file.
fn csv_field(s: &str) -> String {
    let s = crate::text::one_line(s);
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(out: &mut impl Write, s: &Snapshot, m: &Metric) -> std::io::Result<()> {
    let labels: Vec<String> = m.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    writeln!(
        out,
        "{},{},{},{},{}",
        iso(s.ts_ms),
        csv_field(&s.host),
        m.name,
        csv_field(&labels.join(";")),
        m.value
    )
}

fn json_row(out: &mut impl Write, s: &Snapshot, m: &Metric) -> std::io::Result<()> {
    let labels: serde_json::Map<String, serde_json::Value> = m
        .labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone().into()))
        .collect();
    let row = serde_json::json!({
        "time": iso(s.ts_ms),
        "host": s.host,
        "metric": m.name,
        "labels": labels,
        "value": m.value,
    });
    writeln!(out, "{row}")
}

/// An OpenMetrics label value: its escapes, and no other control or bidi override.
pub(crate) fn om_escape(v: &str) -> String {
    let v = v
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    crate::text::one_line(&v).into_owned()
}

/// A series' labels in OpenMetrics text: `host="web-1",mount="/"`.
fn om_labels(s: &Snapshot, m: &Metric) -> String {
    let mut labels = format!("host=\"{}\"", om_escape(&s.host));
    for (k, v) in &m.labels {
        labels.push_str(&format!(",{k}=\"{}\"", om_escape(v)));
    }
    labels
}

fn om_row(out: &mut impl Write, s: &Snapshot, m: &Metric) -> std::io::Result<()> {
    let secs = s.ts_ms as f64 / 1000.0;
    let labels = om_labels(s, m);
    writeln!(out, "montui_{}{{{labels}}} {} {secs:.3}", m.name, m.value)
}

/// One family's rows of one host, a temporary file per series in the order first seen, so
/// a long range never sits in memory.
#[derive(Default)]
struct Spool {
    series: Vec<(String, std::io::BufWriter<std::fs::File>)>,
}

impl Spool {
    /// Where the rows of `m`'s series go.
    fn series(&mut self, s: &Snapshot, m: &Metric) -> std::io::Result<&mut impl Write> {
        let labels = om_labels(s, m);
        let at = match self.series.iter().position(|(l, _)| *l == labels) {
            Some(at) => at,
            None => {
                let file = std::io::BufWriter::new(tempfile::tempfile()?);
                self.series.push((labels, file));
                self.series.len() - 1
            }
        };
        Ok(&mut self.series[at].1)
    }

    fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// Each series' rows, one series after the other.
    fn copy_to(self, out: &mut impl Write) -> std::io::Result<()> {
        use std::io::Seek;
        for (_, file) in self.series {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            std::io::copy(&mut file, out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
