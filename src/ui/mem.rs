use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::fmt::{bytes, framed, marks, spark};
use super::theme::Theme;
use crate::app::{Pane, State};

/// Memory and swap: figures and a chart each.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let inner = framed(f, area, " Memory ", Pane::Mem, s, t);
    let view = s.shown();
    let Some(snap) = &view.snapshot else { return };
    let m = snap.mem;
    let mut mem_line = usage("Mem  ", m.used, m.total, m.used_pct(), t.mem, t);
    mem_line.push_span(Span::styled(
        format!("  cache {}", bytes(m.cached as f64)),
        t.dim,
    ));
    let swap_line = usage("Swap ", m.swap_used, m.swap_total, m.swap_pct(), t.swap, t);
    // Two text lines, the rest shared by the two charts.
    let chart_h = inner.height.saturating_sub(2) / 2;
    let mut y = inner.y;
    for (line, ring, style, metrics) in [
        (mem_line, &view.history.mem, t.mem, "memory_"),
        (swap_line, &view.history.swap, t.swap, "swap_"),
    ] {
        if y >= inner.bottom() {
            break;
        }
        f.render_widget(
            line,
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        let chart = Rect {
            y: y + 1,
            height: chart_h,
            ..inner
        };
        spark(f, chart, ring, Some(100.0), style);
        marks(f, chart, s, &[metrics], t);
        y += 1 + chart_h;
    }
}

/// "Mem  3.4G / 8.0G 43%", the percentage coloured by level.
fn usage(
    label: &'static str,
    used: u64,
    total: u64,
    pct: f64,
    style: Style,
    t: &Theme,
) -> Line<'static> {
    Line::from(vec![
        Span::styled(label, style),
        Span::raw(format!("{} / {} ", bytes(used as f64), bytes(total as f64))),
        Span::styled(format!("{pct:.0}%"), t.level(pct)),
    ])
}
