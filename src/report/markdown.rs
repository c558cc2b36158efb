//! A report as Markdown, for chat and wikis: the fleet first, then each host, numbers as
//! people read them (percentages, durations, bytes per second).

use std::fmt::Write;

use chrono::{Local, TimeZone};

use super::{AlertSummary, HostReport, Report};

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", r.title());
    let f = &r.fleet;
    let _ = writeln!(
        out,
        "## Fleet\n\n{} host(s), up {} of the time on average. {}\n",
        f.hosts,
        pct(f.up_ratio * 100.0),
        alert_line(&f.alerts)
    );
    rules(&mut out, &f.alerts);
    if !f.notices.is_empty() {
        out += "| notices to | delivered | given up |\n|---|---:|---:|\n";
        for n in &f.notices {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&n.receiver),
                n.delivered,
                n.dead
            );
        }
        out += "\n";
    }
    if !f.new_error_patterns.is_empty() {
        out += "### New error patterns\n\n| lines | source | pattern |\n|---:|---|---|\n";
        for p in &f.new_error_patterns {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` |",
                p.lines,
                cell(&p.source),
                cell(&p.template)
            );
        }
        out += "\n";
    }
    if !f.pattern_changes.is_empty() {
        out += "### Patterns that changed most\n\n| lines | before | source | pattern |\n|---:|---:|---|---|\n";
        for p in &f.pattern_changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                p.lines,
                p.prev_lines,
                cell(&p.source),
                cell(&p.template)
            );
        }
        out += "\n";
    }
    if !f.capacity.is_empty() {
        out += "### Capacity, the nearest exhaustion first\n\n| host | series | now | per week | 90 % | 100 % |\n|---|---|---:|---:|---|---|\n";
        for c in &f.capacity {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:+.2} pp | {} | {} |",
                cell(&c.host),
                cell(&c.series),
                pct(c.now),
                c.growth_per_week,
                eta(&c.full_90),
                eta(&c.full_100)
            );
        }
        out += "\n";
    }
    for h in &r.hosts {
        host(&mut out, h);
    }
    out
}

/// `2026-12-21 14:00 (12-19 … 12-24)`, or `—` when not within a year.
pub(super) fn eta(e: &Option<super::capacity::Eta>) -> String {
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

fn host(out: &mut String, h: &HostReport) {
    let a = &h.availability;
    let _ = writeln!(
        out,
        "## {}\n\nUp {} of the period ({} down in {} outage(s)); recorded {} of it. {}\n",
        cell(&h.host),
        pct(a.up_ratio * 100.0),
        duration(a.down_ms),
        a.outages.len(),
        pct(a.recorded_ratio * 100.0),
        alert_line(&h.alerts)
    );
    if !a.outages.is_empty() {
        out.push_str("| outage from | for | why |\n|---|---:|---|\n");
        for o in &a.outages {
            let ongoing = if o.ongoing { " (ongoing)" } else { "" };
            let _ = writeln!(
                out,
                "| {} | {}{ongoing} | {} |",
                time(o.start_ms),
                duration(o.length_ms),
                cell(&o.reason)
            );
        }
        out.push('\n');
    }
    if !h.resources.is_empty() {
        out.push_str("| resource | avg | p95 | max | change |\n|---|---:|---:|---:|---:|\n");
        for r in &h.resources {
            let v = |x: f64| value(&r.family, x);
            let change = change(&r.family, r.change);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {change} |",
                cell(&r.series),
                v(r.avg),
                v(r.p95),
                v(r.max)
            );
        }
        out.push('\n');
    }
    rules(out, &h.alerts);
    if !h.anomalies.is_empty() {
        out.push_str(
            "| anomaly in | from | score | value | expected |\n|---|---|---:|---:|---:|\n",
        );
        for x in &h.anomalies {
            let _ = writeln!(
                out,
                "| {} | {} | {:.1} | {:.4} | {:.4} |",
                cell(&x.series),
                time(x.started_ms),
                x.score,
                x.value,
                x.expected
            );
        }
        out.push('\n');
    }
}

pub(super) fn alert_line(a: &AlertSummary) -> String {
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
        let _ = write!(s, "; acknowledged after {} on average", duration(t));
    }
    if let Some(t) = a.mttr_ms {
        let _ = write!(s, "; resolved after {} on average", duration(t));
    }
    if a.escalations > 0 {
        let _ = write!(s, "; {} escalation step(s)", a.escalations);
    }
    s + "."
}

fn rules(out: &mut String, a: &AlertSummary) {
    if a.rules.is_empty() {
        return;
    }
    out.push_str("| rule | severity | fired | firing | flaps |\n|---|---|---:|---:|---:|\n");
    for r in &a.rules {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&r.rule),
            r.severity,
            r.fired,
            duration(r.firing_ms),
            r.flaps
        );
    }
    out.push('\n');
}

/// A value of `family` as people read it.
pub(super) fn value(family: &str, x: f64) -> String {
    if family.ends_with("_percent") {
        pct(x)
    } else if family.ends_with("_bytes_per_second") {
        format!("{}/s", crate::text::bytes(x))
    } else {
        format!("{x:.2}")
    }
}

/// A change of a value of `family`: signed, percentages in points (`+2.5 pp`).
pub(super) fn change(family: &str, c: Option<f64>) -> String {
    let Some(c) = c else { return "—".into() };
    let sign = if c >= 0.0 { "+" } else { "−" };
    match family.ends_with("_percent") {
        true => format!("{sign}{:.1} pp", c.abs()),
        false => format!("{sign}{}", value(family, c.abs())),
    }
}

pub(super) fn pct(x: f64) -> String {
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

pub(super) fn time(ms: i64) -> String {
    Local.timestamp_millis_opt(ms).single().map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// The Markdown as plain text for a terminal: tables as aligned columns (numbers to the
/// right, as their separator row says), without the separator rows and code marks.
pub fn as_text(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut right: Vec<bool> = Vec::new();
    let flush = |table: &mut Vec<Vec<String>>, right: &[bool], out: &mut Vec<String>| {
        let cols = table.iter().map(Vec::len).max().unwrap_or(0);
        let width = |c: usize| {
            (table.iter())
                .map(|r| r.get(c).map_or(0, |x| x.chars().count()))
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        for row in table.drain(..) {
            let cells: Vec<String> = (row.iter().enumerate())
                .map(|(c, x)| match right.get(c).copied().unwrap_or(false) {
                    true => format!("{x:>w$}", w = widths[c]),
                    false => format!("{x:<w$}", w = widths[c]),
                })
                .collect();
            out.push(cells.join("  ").trim_end().to_string());
        }
    };
    for line in md.lines() {
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            flush(&mut table, &right, &mut out);
            out.push(line.to_string());
            continue;
        };
        let cells: Vec<String> = inner
            .split('|')
            .map(|c| c.trim().replace('`', ""))
            .collect();
        if cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            right = cells.iter().map(|c| c.ends_with(':')).collect();
            continue;
        }
        table.push(cells);
    }
    flush(&mut table, &right, &mut out);
    out
}

/// Text made safe for a table cell: no `|`, no line breaks, no control characters.
fn cell(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '|' => '¦',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_aligned_columns() {
        let md = "# T\n\n| rule | fired |\n|---|---:|\n| cpu_high | 2 |\n| x | 10 |\nend";
        assert_eq!(
            as_text(md),
            [
                "# T",
                "",
                "rule      fired",
                "cpu_high      2",
                "x            10",
                "end"
            ]
        );
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(12_000), "12 s");
        assert_eq!(duration(250_000), "4 m 10 s");
        assert_eq!(duration(3_900_000), "1 h 05 m");
        assert_eq!(duration(90_000_000), "1 d 1 h");
        assert_eq!(cell("a|b\nc"), "a¦b c");
    }
}
