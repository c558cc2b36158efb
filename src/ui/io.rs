//! The disk and network panes: totals with a chart each, then a scrollable list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::fmt::{bytes, framed, marks, rate, spark};
use super::theme::Theme;
use crate::app::{History, Pane, State};

pub fn render_disk(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let inner = framed(f, area, " Disks ", Pane::Disk, s, t);
    let view = s.shown();
    let Some(snap) = &view.snapshot else { return };
    let h = &view.history;
    let name_w = name_width(inner);
    let mut rows: Vec<Line> = snap
        .fs
        .iter()
        .map(|fs| {
            Line::from(vec![
                Span::raw(format!("{:<w$.w$} ", fs.mount, w = name_w)),
                Span::styled(format!("{:>4.0}% ", fs.used_pct()), t.level(fs.used_pct())),
                Span::styled(
                    format!("{} / {}", bytes(fs.used as f64), bytes(fs.total as f64)),
                    t.dim,
                ),
                match fs.inodes_pct {
                    Some(p) => Span::styled(format!("  inodes {p:.0}%"), t.level(p)),
                    None => Span::raw(""),
                },
            ])
        })
        .collect();
    rows.extend(snap.disks.iter().map(|d| {
        Line::from(vec![
            Span::raw(format!("{:<w$.w$} ", d.name, w = name_w)),
            Span::styled(format!("r {:>9}", rate(d.read)), t.read),
            Span::styled(format!("  w {:>9}", rate(d.write)), t.write),
            match (d.busy, d.await_ms) {
                (Some(b), Some(ms)) => {
                    Span::styled(format!("  busy {b:>3.0}% {ms:.1}ms"), t.level(b))
                }
                (Some(b), None) => Span::styled(format!("  busy {b:>3.0}%"), t.level(b)),
                _ => Span::raw(""),
            },
        ])
    }));
    let totals = [
        (
            "read ",
            h.disk_read.back().copied().flatten(),
            &h.disk_read,
            t.read,
            "disk_read",
        ),
        (
            "write",
            h.disk_write.back().copied().flatten(),
            &h.disk_write,
            t.write,
            "disk_written",
        ),
    ];
    pane(f, inner, (s, Pane::Disk, t), totals, rows);
}

pub fn render_net(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let inner = framed(f, area, " Network ", Pane::Net, s, t);
    let view = s.shown();
    let Some(snap) = &view.snapshot else { return };
    let h: &History = &view.history;
    let name_w = name_width(inner);
    let rows: Vec<Line> = snap
        .nets
        .iter()
        .map(|n| {
            Line::from(vec![
                Span::raw(format!("{:<w$.w$} ", n.name, w = name_w)),
                Span::styled(format!("rx {:>9}", rate(n.rx)), t.rx),
                Span::styled(format!("  tx {:>9}", rate(n.tx)), t.tx),
            ])
        })
        .collect();
    let totals = [
        (
            "rx",
            h.net_rx.back().copied().flatten(),
            &h.net_rx,
            t.rx,
            "network_receive",
        ),
        (
            "tx",
            h.net_tx.back().copied().flatten(),
            &h.net_tx,
            t.tx,
            "network_transmit",
        ),
    ];
    pane(f, inner, (s, Pane::Net, t), totals, rows);
}

/// Width of the name column: narrower in small panes so the figures fit.
fn name_width(inner: Rect) -> usize {
    (inner.width as usize).saturating_sub(28).clamp(5, 14)
}

/// A total: its name, figure, chart and style, and the metric whose alerts it marks.
type Total<'a> = (
    &'a str,
    Option<f64>,
    &'a std::collections::VecDeque<Option<f64>>,
    Style,
    &'static str,
);

/// Two totals side by side (figure on top, chart below, alert markers on it), then the list
/// from the pane's scroll position.
fn pane(
    f: &mut Frame,
    inner: Rect,
    (s, which, t): (&State, Pane, &Theme),
    totals: [Total; 2],
    rows: Vec<Line>,
) {
    let scroll = s.scroll[which.index()];
    if inner.height == 0 {
        return;
    }
    let half = inner.width / 2;
    let chart_h = if inner.height >= 7 { 2 } else { 1 };
    for (i, (name, now, ring, style, metric)) in totals.into_iter().enumerate() {
        let col = Rect::new(
            inner.x + i as u16 * half,
            inner.y,
            half.saturating_sub(1),
            1,
        );
        f.render_widget(Span::styled(format!("{name} {}", rate(now)), style), col);
        let chart = Rect {
            y: col.y + 1,
            height: chart_h.min(inner.height.saturating_sub(1)),
            ..col
        };
        spark(f, chart, ring, None, style);
        marks(f, chart, s, &[metric], t);
    }
    let list = Rect {
        y: inner.y + 1 + chart_h,
        height: inner.height.saturating_sub(1 + chart_h),
        ..inner
    };
    let start = scroll.min(rows.len().saturating_sub(list.height as usize));
    for (i, line) in rows
        .into_iter()
        .skip(start)
        .take(list.height as usize)
        .enumerate()
    {
        f.render_widget(line, Rect::new(list.x, list.y + i as u16, list.width, 1));
    }
}
