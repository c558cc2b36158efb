//! `montui report`: a day, week or month of the history file as what a person reads in a
//! minute: per host and for the fleet, availability, resources, alerts, anomalies and log
//! patterns. Built from the store alone (rollups, alert timelines, anomalies, pattern
//! counts); rendered as JSON (these structs) or Markdown. No terminal code.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::store::{Store, StoreError};

pub mod alerts;
pub mod capacity;
pub mod html;
pub mod markdown;
pub mod period;
pub mod resources;
pub mod schedule;
mod svg;
pub mod text;

pub use alerts::{AlertSummary, Outage};
pub use capacity::Capacity;
pub use period::{Period, Span};
pub use resources::Resource;

/// What a report covers.
#[derive(Debug, Clone)]
pub struct Ask {
    pub period: Period,
    pub span: Span,
    /// Hosts to report on (empty: every recorded one).
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    /// The period's first day (`YYYY-MM-DD`), and its bounds `[from, to)` in ms.
    pub first_day: String,
    pub from_ms: i64,
    pub to_ms: i64,
    /// Width of the rollup buckets the resources are taken from, ms.
    pub bucket_ms: i64,
    pub hosts: Vec<HostReport>,
    pub fleet: Fleet,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostReport {
    pub host: String,
    pub availability: Availability,
    pub resources: Vec<Resource>,
    pub alerts: AlertSummary,
    /// The strongest anomalies that started in the period, strongest first.
    pub anomalies: Vec<AnomalyRow>,
    /// File systems and memory: when they fill, nearest first.
    pub capacity: Vec<Capacity>,
    /// For the HTML charts: CPU, memory and file systems over the period (bucket start,
    /// value), and when alerts were firing.
    #[serde(skip)]
    pub timeline: Vec<(String, Vec<(i64, f64)>)>,
    #[serde(skip)]
    pub firing: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Availability {
    /// Share of the period the host was not down (`host_down`), 0 to 1.
    pub up_ratio: f64,
    /// Share of the period's buckets montui recorded a sample of the host in.
    pub recorded_ratio: f64,
    pub down_ms: i64,
    pub outages: Vec<Outage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyRow {
    pub series: String,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub score: f64,
    pub value: f64,
    pub expected: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fleet {
    pub hosts: usize,
    /// Mean of the hosts' up ratios.
    pub up_ratio: f64,
    pub alerts: AlertSummary,
    /// Log patterns first seen in the period with error lines, most lines first.
    pub new_error_patterns: Vec<PatternRow>,
    /// Patterns whose lines changed most against the period before.
    pub pattern_changes: Vec<PatternRow>,
    /// Every host's capacity rows, the nearest exhaustion first.
    pub capacity: Vec<Capacity>,
    /// Notices queued in the period, per receiver: delivered and given up on.
    pub notices: Vec<Notices>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notices {
    pub receiver: String,
    pub delivered: u32,
    pub dead: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternRow {
    pub source: String,
    pub template: String,
    pub lines: u64,
    pub prev_lines: u64,
    pub first_ms: i64,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Json,
}

impl Format {
    pub fn render(self, r: &Report) -> String {
        match self {
            Format::Md => markdown::render(r),
            Format::Html => html::render(r),
            Format::Json => serde_json::to_string_pretty(r).unwrap_or_default() + "\n",
        }
    }

    /// The file name ending.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

impl Report {
    /// `montui report: Week of 2026-11-30`.
    pub fn title(&self) -> String {
        let period = match self.period {
            Period::Day => "Day",
            Period::Week => "Week",
            Period::Month => "Month",
        };
        format!("montui report: {period} of {}", self.first_day)
    }
}

/// Rows of the top lists (anomalies, patterns).
const TOP: usize = 10;

/// The report of `ask` from `store`.
pub fn build(store: &Store, ask: &Ask) -> Result<Report, StoreError> {
    let Span { from, to, .. } = ask.span;
    let prev = ask.period.previous(&ask.span).unwrap_or(Span {
        to: from,
        ..ask.span
    });
    let tier = ask.period.tier_ms();
    let recorded = store.hosts()?;
    let hosts: Vec<String> = match ask.hosts.is_empty() {
        true => recorded,
        false => ask.hosts.clone(),
    };
    let all_alerts = store.load_alerts()?;
    let anomalies = store.anomalies_at(to - 1, 100_000)?;
    let mut out = Vec::new();
    for host in &hosts {
        let mine =
            || (all_alerts.iter()).filter(|a| a.labels.get("host").is_some_and(|h| h == host));
        let (values, recorded_ratio) = resources::values(store, host, tier, from, to)?;
        let outages = alerts::outages(mine(), from, to);
        // Unless asked for by name, a host neither recorded nor down in the period (one
        // gone before it, or added after) is not in its report.
        if ask.hosts.is_empty() && values.is_empty() && outages.is_empty() {
            continue;
        }
        let (before, _) = resources::values(store, host, tier, prev.from, prev.to)?;
        let down_ms: i64 = outages.iter().map(|o| o.length_ms).sum();
        let mut top: Vec<AnomalyRow> = (anomalies.iter())
            .filter(|a| a.host == *host && (from..to).contains(&a.started_ms))
            .map(|a| AnomalyRow {
                series: a.series.clone(),
                started_ms: a.started_ms,
                ended_ms: a.ended_ms,
                score: a.score,
                value: a.value,
                expected: a.expected,
            })
            .collect();
        top.sort_by(|a, b| b.score.total_cmp(&a.score));
        top.truncate(TOP);
        let mut capacity = capacity::of(store, host, to)?;
        capacity::nearest_first(&mut capacity);
        out.push(HostReport {
            host: host.clone(),
            availability: Availability {
                up_ratio: 1.0 - down_ms as f64 / (to - from).max(1) as f64,
                recorded_ratio,
                down_ms,
                outages,
            },
            resources: resources::summarise(&values, &before),
            timeline: resources::charted(&values),
            firing: alerts::firing_spans(mine(), from, to),
            alerts: AlertSummary::of(mine(), from, to),
            anomalies: top,
            capacity,
        });
    }
    let of_hosts = |a: &&crate::alert::lifecycle::Alert| {
        a.labels.get("host").is_none_or(|h| hosts.contains(h))
    };
    let (new_error_patterns, pattern_changes) = patterns(store, from, to, prev.from)?;
    let mut capacity: Vec<Capacity> = out.iter().flat_map(|h| h.capacity.clone()).collect();
    capacity::nearest_first(&mut capacity);
    let fleet = Fleet {
        hosts: out.len(),
        up_ratio: out.iter().map(|h| h.availability.up_ratio).sum::<f64>()
            / out.len().max(1) as f64,
        alerts: AlertSummary::of(all_alerts.iter().filter(of_hosts), from, to),
        new_error_patterns,
        pattern_changes,
        capacity,
        notices: (store.notices_between(from, to)?.into_iter())
            .map(|(receiver, delivered, dead)| Notices {
                receiver,
                delivered,
                dead,
            })
            .collect(),
    };
    Ok(Report {
        period: ask.period,
        first_day: ask.span.first_day.to_string(),
        from_ms: from,
        to_ms: to,
        bucket_ms: tier,
        hosts: out,
        fleet,
    })
}

/// The report of `host` over the `period` holding `at_ms`, up to `at_ms` (so far), as the
/// lines of its Markdown as plain text: what the console's report window shows.
pub fn so_far(
    db: &std::path::Path,
    host: &str,
    period: Period,
    at_ms: i64,
) -> Result<Vec<String>, String> {
    let day = chrono::TimeZone::timestamp_millis_opt(&chrono::Local, at_ms)
        .single()
        .map(|t| t.date_naive());
    let mut span = period.span(day, at_ms)?;
    span.to = span.to.min(at_ms.max(span.from + 1));
    let store = Store::open_reader(db).map_err(|e| e.to_string())?;
    let ask = Ask {
        period,
        span,
        hosts: vec![host.to_string()],
    };
    let r = build(&store, &ask).map_err(|e| e.to_string())?;
    Ok(markdown::as_text(&markdown::render(&r)))
}

/// New error patterns of `[from, to)` and the patterns whose lines changed most against
/// `[prev_from, from)`.
fn patterns(
    store: &Store,
    from: i64,
    to: i64,
    prev_from: i64,
) -> Result<(Vec<PatternRow>, Vec<PatternRow>), StoreError> {
    let saved = store.load_patterns()?;
    let mut lines: BTreeMap<u64, (u64, u64)> = BTreeMap::new();
    for (uid, minute, n) in store.pattern_minutes(prev_from, to)? {
        let e = lines.entry(uid).or_default();
        if minute >= from {
            e.0 += u64::from(n);
        } else {
            e.1 += u64::from(n);
        }
    }
    let error = crate::logs::level::Level::ALL
        .iter()
        .position(|l| *l == crate::logs::level::Level::Error)
        .unwrap_or(5);
    let row = |p: &crate::logs::saved::SavedPattern| {
        let (now, before) = lines.get(&p.uid).copied().unwrap_or_default();
        PatternRow {
            source: p.source.clone(),
            template: p.template.clone(),
            lines: now,
            prev_lines: before,
            first_ms: p.first_ms,
        }
    };
    let mut new: Vec<PatternRow> = (saved.iter())
        .filter(|p| (from..to).contains(&p.first_ms) && p.levels[error..].iter().any(|n| *n > 0))
        .map(row)
        .collect();
    new.sort_by_key(|r| std::cmp::Reverse(r.lines));
    new.truncate(TOP);
    let mut changes: Vec<PatternRow> = (saved.iter())
        .map(row)
        .filter(|r| r.lines != r.prev_lines)
        .collect();
    changes.sort_by_key(|r| std::cmp::Reverse(r.lines.abs_diff(r.prev_lines)));
    changes.truncate(TOP);
    Ok((new, changes))
}
