use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fmt::{framed, marks, spark};
use super::theme::Theme;
use crate::app::{Pane, State};

/// Load averages against the core count, with a chart of the 1-minute figure.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let inner = framed(f, area, " Load ", Pane::Load, s, t);
    let view = s.shown();
    let Some(snap) = &view.snapshot else { return };
    let cores = snap.cores.len().max(1) as f64;
    let [one, five, fifteen] = snap.load;
    let line = Line::from(vec![
        Span::styled(format!("{one:.2}"), t.level(one / cores * 100.0)),
        Span::raw(format!(" {five:.2} {fifteen:.2}")),
        Span::styled(
            format!("  (1, 5, 15 min; {} cores)", snap.cores.len()),
            t.dim,
        ),
    ]);
    f.render_widget(line, Rect { height: 1, ..inner });
    let chart = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    spark(f, chart, &view.history.load, Some(cores.max(one)), t.load);
    marks(f, chart, s, &["load"], t);
}
