//! A report as one self-contained HTML file: inline CSS and inline SVG charts, no scripts
//! and nothing fetched, so it reads the same mailed, saved or opened from disk.

use std::fmt::Write;

use super::svg::{Chart, escape, legend, render as svg};
use super::text::{self, Section, Table, eta, time};
use super::{HostReport, Report};

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
    section(&mut out, &text::fleet(&r.fleet));
    for h in &r.hosts {
        let s = text::host(h);
        let _ = write!(
            out,
            "<h2>{}</h2>\n<p>{}</p>\n",
            escape(&s.heading),
            escape(&s.text)
        );
        charts(&mut out, r, h);
        for t in &s.tables {
            table(&mut out, t);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn section(out: &mut String, s: &Section) {
    let _ = write!(
        out,
        "<h2>{}</h2>\n<p>{}</p>\n",
        escape(&s.heading),
        escape(&s.text)
    );
    for t in &s.tables {
        table(out, t);
    }
}

fn table(out: &mut String, t: &Table) {
    if !t.title.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", escape(t.title));
    }
    out.push_str("<table>\n<tr>");
    for h in t.head {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let class = match t.right.get(c) {
                Some(true) => " class=\"n\"",
                _ => "",
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// The host's charts: CPU and memory with alerts firing shaded, file systems, and each one
/// filling with its forecast.
fn charts(out: &mut String, r: &Report, h: &HostReport) {
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
}
