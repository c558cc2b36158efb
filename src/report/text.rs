//! What a report says, as sentences and tables of plain text: the one source the Markdown
//! and HTML renderings (and the console's window) set in their own way, so a column is
//! added or changed once.

use chrono::{Local, TimeZone};

use super::capacity::{Capacity, Eta};
use super::{AlertSummary, Fleet, HostReport, PatternRow};

/// A table: a title (may be empty), the heading, which columns are numbers (set to the
/// right), and the rows; cells are plain text.
pub struct Table {
    pub title: &'static str,
    pub head: &'static [&'static str],
    pub right: &'static [bool],
    pub rows: Vec<Vec<String>>,
}

/// A section: a heading, a paragraph, its tables, in order.
pub struct Section {
    pub heading: String,
    pub text: String,
    pub tables: Vec<Table>,
}

pub fn fleet(f: &Fleet) -> Section {
    let mut tables = vec![rules(&f.alerts)];
    tables.push(Table {
        title: "",
        head: &["notices to", "delivered", "given up"],
        right: &[false, true, true],
        rows: (f.notices.iter())
            .map(|n| {
                vec![
                    n.receiver.clone(),
                    n.delivered.to_string(),
                    n.dead.to_string(),
                ]
            })
            .collect(),
    });
    tables.push(patterns("New error patterns", &f.new_error_patterns));
    tables.push(patterns("Patterns that changed most", &f.pattern_changes));
    tables.push(capacity(&f.capacity));
    Section {
        heading: "Fleet".into(),
        text: format!(
            "{} host(s), up {} of the time on average. {}",
            f.hosts,
            pct(f.up_ratio * 100.0),
            alert_line(&f.alerts)
        ),
        tables: tables.into_iter().filter(|t| !t.rows.is_empty()).collect(),
    }
}

pub fn host(h: &HostReport) -> Section {
    let a = &h.availability;
    let outages = Table {
        title: "",
        head: &["outage from", "for", "why"],
        right: &[false, true, false],
        rows: (a.outages.iter())
            .map(|o| {
                let ongoing = if o.ongoing { " (ongoing)" } else { "" };
                let length = format!("{}{ongoing}", duration(o.length_ms));
                vec![time(o.start_ms), length, o.reason.clone()]
            })
            .collect(),
    };
    let resources = Table {
        title: "",
        head: &["resource", "avg", "p95", "max", "change"],
        right: &[false, true, true, true, true],
        rows: (h.resources.iter())
            .map(|r| {
                let v = |x: f64| value(&r.family, x);
                let c = change(&r.family, r.change);
                vec![r.series.clone(), v(r.avg), v(r.p95), v(r.max), c]
            })
            .collect(),
    };
    let anomalies = Table {
        title: "",
        head: &["anomaly in", "from", "score", "value", "expected"],
        right: &[false, false, true, true, true],
        rows: (h.anomalies.iter())
            .map(|x| {
                vec![
                    x.series.clone(),
                    time(x.started_ms),
                    format!("{:.1}", x.score),
                    format!("{:.4}", x.value),
                    format!("{:.4}", x.expected),
                ]
            })
            .collect(),
    };
    let tables = vec![outages, resources, rules(&h.alerts), anomalies];
    Section {
        heading: h.host.clone(),
        text: format!(
            "Up {} of the period ({} down in {} outage(s)); recorded {} of it. {}",
            pct(a.up_ratio * 100.0),
            duration(a.down_ms),
            a.outages.len(),
            pct(a.recorded_ratio * 100.0),
            alert_line(&h.alerts)
        ),
        tables: tables.into_iter().filter(|t| !t.rows.is_empty()).collect(),
    }
}

fn rules(a: &AlertSummary) -> Table {
    Table {
        title: "",
        head: &["rule", "severity", "fired", "firing", "flaps"],
        right: &[false, false, true, true, true],
        rows: (a.rules.iter())
            .map(|r| {
                vec![
                    r.rule.clone(),
                    r.severity.clone(),
                    r.fired.to_string(),
                    duration(r.firing_ms),
                    r.flaps.to_string(),
                ]
            })
            .collect(),
    }
}

fn patterns(title: &'static str, rows: &[PatternRow]) -> Table {
    Table {
        title,
        head: &["lines", "before", "source", "pattern"],
        right: &[true, true, false, false],
        rows: (rows.iter())
            .map(|p| {
                let (n, before) = (p.lines.to_string(), p.prev_lines.to_string());
                vec![n, before, p.source.clone(), p.template.clone()]
            })
            .collect(),
    }
}

fn capacity(rows: &[Capacity]) -> Table {
    Table {
        title: "Capacity, the nearest exhaustion first",
        head: &["host", "series", "now", "per week", "90 %", "100 %"],
        right: &[false, false, true, true, false, false],
        rows: (rows.iter())
            .map(|c| {
                vec![
                    c.host.clone(),
                    c.series.clone(),
                    pct(c.now),
                    format!("{:+.2} pp", c.growth_per_week),
                    eta(&c.full_90),
                    eta(&c.full_100),
                ]
            })
            .collect(),
    }
}

/// `2026-12-21 14:00 (12-19 … 12-24)`, or `—` when not within a year.
pub fn eta(e: &Option<Eta>) -> String {
    let Some(e) = e else { return "—".into() };
    let day = |ms: i64| {
        Local
            .timestamp_millis_opt(ms)
            .single()
            .map_or_else(|| ms.to_string(), |t| t.format("%m-%d").to_string())
    };
    let latest = e.latest_ms.map_or("later".to_string(), day);
    format!("{} ({} … {latest})", time(e.at_ms), day(e.earliest_ms))
}

pub fn alert_line(a: &AlertSummary) -> String {
    if a.fired == 0 {
        return "No alert fired.".into();
    }
    let by: Vec<String> = (a.by_severity.iter())
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let mut s = format!(
        "{} alert(s) fired ({}), firing {} in all",
        a.fired,
        by.join(", "),
        duration(a.firing_ms)
    );
    if let Some(t) = a.mtta_ms {
        s += &format!("; acknowledged after {} on average", duration(t));
    }
    if let Some(t) = a.mttr_ms {
        s += &format!("; resolved after {} on average", duration(t));
    }
    if a.escalations > 0 {
        s += &format!("; {} escalation step(s)", a.escalations);
    }
    s + "."
}

/// A value of `family` as people read it.
pub fn value(family: &str, x: f64) -> String {
    if family.ends_with("_percent") {
        pct(x)
    } else if family.ends_with("_bytes_per_second") {
        format!("{}/s", crate::text::bytes(x))
    } else {
        format!("{x:.2}")
    }
}

/// A change of a value of `family`: signed, percentages in points (`+2.5 pp`).
pub fn change(family: &str, c: Option<f64>) -> String {
    let Some(c) = c else { return "—".into() };
    let sign = if c >= 0.0 { "+" } else { "−" };
    match family.ends_with("_percent") {
        true => format!("{sign}{:.1} pp", c.abs()),
        false => format!("{sign}{}", value(family, c.abs())),
    }
}

pub fn pct(x: f64) -> String {
    format!("{x:.1} %")
}

/// `1 h 05 m`, `4 m 10 s`, `12 s`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s >= 86_400 => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{} h {:02} m", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{} m {:02} s", s / 60, s % 60),
        s => format!("{s} s"),
    }
}

pub fn time(ms: i64) -> String {
    Local.timestamp_millis_opt(ms).single().map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(12_000), "12 s");
        assert_eq!(duration(250_000), "4 m 10 s");
        assert_eq!(duration(3_900_000), "1 h 05 m");
        assert_eq!(duration(90_000_000), "1 d 1 h");
    }
}
