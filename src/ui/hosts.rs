//! The hosts overview: every watched host with its state and gauges; Enter shows it below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Row, Table};

use super::alerts::age;
use super::fmt::{List, block, draw_list, pct, rate};
use super::theme::Theme;
use crate::app::{HostRow, Pane, State, Status};

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let rows = s.host_rows();
    let down = rows
        .iter()
        .filter(|r| matches!(r.status, Status::Down(_)))
        .count();
    let filter = s
        .host_filter
        .as_ref()
        .map(|w| format!("/{w} · "))
        .unwrap_or_default();
    let title = format!(
        " Hosts {filter} {} · {} down · by {} (o) · Enter: show ",
        rows.len(),
        down,
        s.host_sort.label()
    );
    let wide = area.width >= 100;
    let mut header = vec!["HOST", "STATE", "CPU", "MEM", "DISK"];
    let mut widths = vec![
        Constraint::Length(14),
        Constraint::Fill(1),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    if wide {
        header.extend(["RX", "TX"]);
        widths.extend([Constraint::Length(9), Constraint::Length(9)]);
    }
    header.extend(["ALRT", "AGE", "RTT"]);
    widths.extend([
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(6),
    ]);
    if wide {
        header.push("SKEW");
        widths.push(Constraint::Length(6));
    }
    let body = rows.iter().map(|r| row(r, wide, t));
    let table = Table::new(body, widths.iter().copied())
        .header(Row::new(header).style(t.dim))
        .block(block(&title, Pane::Hosts, s, t))
        .row_highlight_style(t.selected);
    let selected = (s.focus == Pane::Hosts)
        .then(|| s.host_selected.index(&rows, |r| r.name.clone()))
        .flatten();
    let list = List {
        pane: Pane::Hosts,
        table,
        widths: &widths,
        keys: &[],
        heading: true,
    };
    draw_list(f, area, list, selected);
}

fn row<'a>(r: &HostRow, wide: bool, t: &Theme) -> Row<'a> {
    let (state, style): (String, Style) = match &r.status {
        Status::Up => ("up".into(), t.ok),
        Status::Stale => ("stale".into(), t.warn),
        Status::Down(why) => (format!("down: {why}"), t.bad),
        Status::Connecting => ("connecting…".into(), t.dim),
    };
    let level = |v: Option<f64>| Span::styled(pct(v), v.map_or(t.dim, |x| t.level(x)));
    let name = if r.shown {
        format!("▶ {}", r.name)
    } else {
        format!("  {}", r.name)
    };
    let mut cells = vec![
        Span::raw(name),
        Span::styled(state, style),
        level(r.cpu),
        level(r.mem),
        level(r.disk),
    ];
    if wide {
        cells.extend([Span::raw(rate(r.rx)), Span::raw(rate(r.tx))]);
    }
    let firing = if r.firing > 0 {
        Span::styled(r.firing.to_string(), t.bad)
    } else {
        Span::styled("0", t.dim)
    };
    cells.extend([
        firing,
        Span::raw(r.age_ms.map_or("—".into(), age)),
        Span::raw(r.rtt_ms.map_or("—".into(), rtt)),
    ]);
    if wide {
        let skew = r
            .skew_ms
            .map_or("—".into(), |ms| format!("{:+.0}s", ms as f64 / 1000.0));
        cells.push(Span::raw(skew));
    }
    Row::new(cells)
}

/// A poll's round trip: `7ms`, `350ms`, `1.2s`.
fn rtt(ms: u32) -> String {
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", f64::from(ms) / 1000.0)
    }
}
