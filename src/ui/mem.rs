use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fmt::{block, bytes, spark};
use super::theme::Theme;
use crate::app::{Pane, State};

/// Memory and swap: figures and a chart each.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let b = block(" Memory ", Pane::Mem, s, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let view = s.shown();
    let Some(snap) = &view.snapshot else { return };
    let m = snap.mem;
    let mem_line = Line::from(vec![
        Span::styled("Mem  ", t.mem),
        Span::raw(format!(
            "{} / {} ",
            bytes(m.used as f64),
            bytes(m.total as f64)
        )),
        Span::styled(format!("{:.0}%", m.used_pct()), t.level(m.used_pct())),
        Span::styled(format!("  cache {}", bytes(m.cached as f64)), t.dim),
    ]);
    let swap_line = Line::from(vec![
        Span::styled("Swap ", t.swap),
        Span::raw(format!(
            "{} / {} ",
            bytes(m.swap_used as f64),
            bytes(m.swap_total as f64)
        )),
        Span::styled(format!("{:.0}%", m.swap_pct()), t.level(m.swap_pct())),
    ]);
    // Two text lines, the rest shared by the two charts.
    let chart_h = inner.height.saturating_sub(2) / 2;
    let mut y = inner.y;
    for (line, ring, style) in [
        (mem_line, &view.history.mem, t.mem),
        (swap_line, &view.history.swap, t.swap),
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
        y += 1 + chart_h;
    }
}
