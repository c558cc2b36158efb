//! The screen's tree (`app::Node`: a preset with hidden panes left out) as rectangles. Parts
//! sized by content get what their content needs, up to their share, and the rest goes to the
//! parts that fill: a 2-core CPU pane takes 7 rows, not a third of the screen.

use ratatui::layout::{Constraint, Layout, Rect};

use super::theme::Theme;
use crate::app::{Node, Pane, Size, State};

/// The rows a part sized by content gets at least (borders and a line), whatever its share.
const MIN_ROWS: u16 = 3;

/// Each pane on screen with its rectangle.
pub fn place(node: &Node, area: Rect, s: &State, t: &Theme) -> Vec<(Pane, Rect)> {
    let mut out = Vec::new();
    place_into(node, area, (s, t), &mut out);
    out
}

fn place_into(node: &Node, area: Rect, (s, t): (&State, &Theme), out: &mut Vec<(Pane, Rect)>) {
    let (parts, vertical) = match node {
        Node::Leaf(p) => return out.push((*p, area)),
        Node::Row(parts) => (parts, false),
        Node::Col(parts) => (parts, true),
    };
    let whole = if vertical { area.height } else { area.width };
    let constraints: Vec<Constraint> = (parts.iter())
        .map(|(n, size)| match *size {
            Size::Pct(p) => Constraint::Percentage(p),
            Size::Fill(w) => Constraint::Fill(w),
            Size::Content(max_pct) => {
                let most = (whole as u32 * max_pct as u32 / 100) as u16;
                Constraint::Length(rows_wanted(n, s, t).clamp(MIN_ROWS, most.max(MIN_ROWS)))
            }
        })
        .collect();
    let layout = if vertical {
        Layout::vertical(constraints)
    } else {
        Layout::horizontal(constraints)
    };
    for ((n, _), rect) in parts.iter().zip(layout.split(area).iter()) {
        place_into(n, *rect, (s, t), out);
    }
}

/// The rows a part's content needs: the most of a row's panes, the sum of a column's.
fn rows_wanted(node: &Node, s: &State, t: &Theme) -> u16 {
    match node {
        Node::Leaf(p) => pane_rows(*p, s, t),
        Node::Row(parts) => (parts.iter())
            .map(|(n, _)| rows_wanted(n, s, t))
            .max()
            .unwrap_or(0),
        Node::Col(parts) => (parts.iter()).map(|(n, _)| rows_wanted(n, s, t)).sum(),
    }
}

/// The rows a pane's content needs, borders included; panes with charts that use any height
/// ask for a readable least.
fn pane_rows(p: Pane, s: &State, t: &Theme) -> u16 {
    let view = s.shown();
    let snap = view.snapshot.as_ref();
    let count = |n: usize| n.min(u16::MAX as usize / 2) as u16;
    match p {
        // Borders, the total's line, its chart, a row per core.
        Pane::Cpu => 5 + count(view.history.cores.len()),
        // Borders, memory and swap, each with its chart.
        Pane::Mem => 6,
        // Borders, the load line, tasks, pressure and sensors where known, a chart row.
        Pane::Load => 4 + snap.map_or(0, |x| super::load::detail(&x.sys, t).len() as u16),
        // Borders, the rates' line and chart, then a line per file system and disk.
        Pane::Disk => 5 + count(snap.map_or(0, |x| x.fs.len() + x.disks.len())),
        Pane::Net => 5 + count(snap.map_or(0, |x| x.nets.len())),
        // Borders and heading, then a row per host (this one first).
        Pane::Hosts => 4 + count(s.others.len()),
        // Borders, then the rows (one for "none").
        Pane::Alerts => 2 + count(s.alerts_sorted().len().max(1)),
        Pane::Anomalies => {
            let rows = if s.forecast_view {
                s.forecast_rows().len()
            } else {
                s.anomaly_rows().len()
            };
            2 + count(rows.max(1))
        }
        // Borders and heading, then a row per series.
        Pane::Metrics => 3 + count(s.metric_rows().len().max(1)),
        Pane::Procs | Pane::Log | Pane::Patterns => u16::MAX / 2,
    }
}
