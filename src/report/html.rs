//! A report as one self-contained HTML file: inline CSS and inline SVG charts, no scripts
//! and nothing fetched, so it reads the same mailed, saved or opened from disk.

use std::fmt::Write;

use super::markdown::{alert_line, change, duration, eta, pct, time, value};
use super::svg::{Chart, escape, legend, render as svg};
use super::{AlertSummary, HostReport, Report};

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;max-width:760px;margin:24px auto;padding:0 12px}\
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}h3{font-size:15px}\
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}\
td.n{text-align:right;white-space:nowrap}th{background:#f6f8fa}.key{font-size:16px}.muted{color:#57606a}svg{max-width:100%;height:auto}";

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let title = escape(&r.title());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"muted\">{} to {}</p>\n",
        time(r.from_ms),
        time(r.to_ms)
    );
    let f = &r.fleet;
    let _ = write!(
        out,
        "<h2>Fleet</h2>\n<p>{} host(s), up {} of the time on average. {}</p>\n",
        f.hosts,
        pct(f.up_ratio * 100.0),
        escape(&alert_line(&f.alerts))
    );
    rules(&mut out, &f.alerts);
    if !f.notices.is_empty() {
        out.push_str("<table>\n<tr><th>notices to</th><th>delivered</th><th>given up</th></tr>\n");
        for n in &f.notices {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&n.receiver),
                n.delivered,
                n.dead
            );
        }
        out.push_str("</table>\n");
    }
    if !f.capacity.is_empty() {
        out.push_str("<h3>Capacity, the nearest exhaustion first</h3>\n<table>\n<tr><th>host</th><th>series</th><th>now</th><th>per week</th><th>90 %</th><th>100 %</th></tr>\n");
        for c in &f.capacity {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:+.2} pp</td><td>{}</td><td>{}</td></tr>",
                escape(&c.host),
                escape(&c.series),
                pct(c.now),
                c.growth_per_week,
                escape(&eta(&c.full_90)),
                escape(&eta(&c.full_100))
            );
        }
        out.push_str("</table>\n");
    }
    patterns(&mut out, "New error patterns", &f.new_error_patterns);
    patterns(&mut out, "Patterns that changed most", &f.pattern_changes);
    for h in &r.hosts {
        host(&mut out, r, h);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn host(out: &mut String, r: &Report, h: &HostReport) {
    let a = &h.availability;
    let _ = write!(
        out,
        "<h2>{}</h2>\n<p>Up {} of the period ({} down in {} outage(s)); recorded {} of it. {}</p>\n",
        escape(&h.host),
        pct(a.up_ratio * 100.0),
        duration(a.down_ms),
        a.outages.len(),
        pct(a.recorded_ratio * 100.0),
        escape(&alert_line(&h.alerts))
    );
    let x_labels = (time(r.from_ms), time(r.to_ms));
    let gap_ms = r.bucket_ms * 5 / 2;
    let pick = |f: &dyn Fn(&str) -> bool| -> Vec<(&str, &[(i64, f64)])> {
        (h.timeline.iter())
            .filter(|(s, _)| f(s))
            .map(|(s, p)| (s.as_str(), p.as_slice()))
            .collect()
    };
    for (what, lines) in [
        (
            "CPU and memory, % (alerts firing shaded)",
            pick(&|s| !s.starts_with("filesystem")),
        ),
        (
            "File systems, % used",
            pick(&|s| s.starts_with("filesystem")),
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        let names: Vec<&str> = lines.iter().map(|l| l.0).collect();
        let chart = Chart {
            title: what,
            from: r.from_ms,
            to: r.to_ms,
            y_max: 100.0,
            lines,
            spans: &h.firing,
            band: &[],
            marks: &[],
            x_labels: x_labels.clone(),
            gap_ms,
        };
        let _ = write!(
            out,
            "<h3>{}</h3>\n<p>{}</p>\n{}\n",
            escape(what),
            legend(&names),
            svg(&chart)
        );
    }
    if !a.outages.is_empty() {
        out.push_str("<table>\n<tr><th>outage from</th><th>for</th><th>why</th></tr>\n");
        for o in &a.outages {
            let ongoing = if o.ongoing { " (ongoing)" } else { "" };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}{ongoing}</td><td>{}</td></tr>",
                time(o.start_ms),
                duration(o.length_ms),
                escape(&o.reason)
            );
        }
        out.push_str("</table>\n");
    }
    if !h.resources.is_empty() {
        out.push_str("<table>\n<tr><th>resource</th><th>avg</th><th>p95</th><th>max</th><th>change</th></tr>\n");
        for x in &h.resources {
            let v = |n: f64| value(&x.family, n);
            let change = change(&x.family, x.change);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{change}</td></tr>",
                escape(&x.series),
                v(x.avg),
                v(x.p95),
                v(x.max)
            );
        }
        out.push_str("</table>\n");
    }
    rules(out, &h.alerts);
    for c in h
        .capacity
        .iter()
        .filter(|c| c.full_100.is_some() || c.full_90.is_some())
    {
        let end = c.forecast.last().map_or(r.to_ms, |p| p.0);
        let from = c.history.first().map_or(r.from_ms, |p| p.0);
        let what = format!(
            "{}: the last 30 days and the forecast, with its 90 % band",
            c.series
        );
        let chart = Chart {
            title: &what,
            from,
            to: end,
            y_max: 100.0,
            lines: vec![(c.series.as_str(), c.history.as_slice())],
            spans: &[],
            band: &c.forecast,
            marks: &[90.0, 100.0],
            x_labels: (time(from), time(end)),
            gap_ms: 3 * 3_600_000,
        };
        let _ = write!(
            out,
            "<h3>{}</h3>\n<p>Full (100 %): {}</p>\n{}\n",
            escape(&what),
            escape(&eta(&c.full_100)),
            svg(&chart)
        );
    }
    if !h.anomalies.is_empty() {
        out.push_str("<table>\n<tr><th>anomaly in</th><th>from</th><th>score</th><th>value</th><th>expected</th></tr>\n");
        for x in &h.anomalies {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.4}</td></tr>",
                escape(&x.series),
                time(x.started_ms),
                x.score,
                x.value,
                x.expected
            );
        }
        out.push_str("</table>\n");
    }
}

fn rules(out: &mut String, a: &AlertSummary) {
    if a.rules.is_empty() {
        return;
    }
    out.push_str("<table>\n<tr><th>rule</th><th>severity</th><th>fired</th><th>firing</th><th>flaps</th></tr>\n");
    for r in &a.rules {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&r.rule),
            r.severity,
            r.fired,
            duration(r.firing_ms),
            r.flaps
        );
    }
    out.push_str("</table>\n");
}

fn patterns(out: &mut String, what: &str, rows: &[super::PatternRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h3>{what}</h3>\n<table>\n<tr><th>lines</th><th>before</th><th>source</th><th>pattern</th></tr>\n"
    );
    for p in rows {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
            p.lines,
            p.prev_lines,
            escape(&p.source),
            escape(&p.template)
        );
    }
    out.push_str("</table>\n");
}
