//! Number formatting and small drawing helpers shared by the panes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Sparkline, SparklineBar, Table, TableState};

use super::theme::Theme;
use crate::app::{Pane, State};

pub use crate::text::bytes;

/// A rate in bytes/s, "—" when unknown.
pub fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |v| format!("{}/s", bytes(v)))
}

/// A percentage, "—" when unknown.
pub fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "—".into(), |v| format!("{v:.1}%"))
}

/// What marks the focused pane's title.
pub const FOCUS_MARK: &str = "▸";

/// The bordered block of a pane. The focused one has a thick border as well as the focus
/// colour, so the focus shows without colours too (`NO_COLOR`, a monochrome terminal).
pub fn block<'a>(title: &'a str, pane: Pane, state: &State, theme: &Theme) -> Block<'a> {
    // Focus shows without colour too: a thick border and a marker before the title.
    let (border, kind, title) = if state.focus == pane {
        let marked = Line::from(vec![Span::raw(FOCUS_MARK), Span::raw(title)]);
        (theme.focus, BorderType::Thick, marked)
    } else {
        (theme.border, BorderType::Plain, Line::raw(title))
    };
    let block = Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(title)
        .title_style(theme.title);
    // The host's figures when it stopped answering are marked with their age.
    let figures = matches!(
        pane,
        Pane::Cpu | Pane::Mem | Pane::Load | Pane::Disk | Pane::Net | Pane::Procs
    );
    match state.stale_ms().filter(|_| figures) {
        Some(ms) => block.title(
            Line::styled(format!(" STALE {} ", super::alerts::age(ms)), theme.bad).right_aligned(),
        ),
        None => block,
    }
}

/// A pane title that fits a border `width` wide: the name, then its parts joined by ` · `,
/// each with a rank; while too long, the parts of the highest rank are left out (0: kept),
/// and what is still too long is cut with an ellipsis.
pub fn title(name: &str, parts: &[(u8, String)], width: u16) -> String {
    // The corners, the spaces around it and the focus marker.
    let room = usize::from(width).saturating_sub(5);
    let text = |most: u8| {
        let kept: Vec<&str> = parts
            .iter()
            .filter(|(rank, _)| *rank <= most)
            .map(|(_, p)| p.as_str())
            .collect();
        match kept.is_empty() {
            true => name.to_string(),
            false => format!("{name}  {}", kept.join(" · ")),
        }
    };
    let mut most = parts.iter().map(|(r, _)| *r).max().unwrap_or(0);
    let mut shown = text(most);
    while most > 0 && shown.chars().count() > room {
        most -= 1;
        shown = text(most);
    }
    format!(" {} ", crate::text::fit(&shown, room))
}

/// A list as a pane draws it: bordered, its columns (named by `keys` where a click on a
/// heading sorts), with a heading row or not.
pub struct List<'a> {
    pub pane: Pane,
    pub table: Table<'a>,
    pub widths: &'a [Constraint],
    pub keys: &'a [&'static str],
    pub heading: bool,
}

/// Draws a pane's list in `area` with row `selected` highlighted (the focused pane's), noting
/// where its heading, rows and columns fell for the mouse.
pub fn draw_list(f: &mut Frame, area: Rect, list: List, selected: Option<usize>) {
    let mut ts = TableState::default();
    ts.select(selected);
    f.render_stateful_widget(list.table, area, &mut ts);
    let inner = area.inner(Margin::new(1, 1));
    let (pane, widths, keys) = (list.pane, list.widths, list.keys);
    super::hits::table(pane, inner, list.heading, ts.offset(), widths, keys);
}

/// Draws a pane's block and returns the area inside it.
pub fn framed(f: &mut Frame, area: Rect, title: &str, pane: Pane, s: &State, t: &Theme) -> Rect {
    let b = block(title, pane, s, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    inner
}

/// Draws the newest values of `ring` that fit in `area`, scaled to `max` (or to the largest
/// value shown). Unknown values are drawn as gaps.
pub fn spark(
    f: &mut Frame,
    area: Rect,
    ring: &std::collections::VecDeque<Option<f64>>,
    max: Option<f64>,
    style: Style,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let skip = ring.len().saturating_sub(area.width as usize);
    if ring.len() > skip {
        super::hits::chart(area, ring.len() - skip);
    }
    let shown = ring.iter().skip(skip);
    let top = max.unwrap_or_else(|| shown.clone().flatten().fold(1.0, |a, b| a.max(*b)));
    // Scale into 0..=1000; any value above zero gets at least the lowest bar (▁), so a
    // quiet but busy metric is not drawn as nothing.
    let lowest = 1000 / (8 * area.height as u64) + 1;
    let bars: Vec<SparklineBar> = shown
        .map(|v| {
            SparklineBar::from(v.map(|x| {
                let scaled = (x / top * 1000.0).clamp(0.0, 1000.0) as u64;
                if x > 0.0 { scaled.max(lowest) } else { 0 }
            }))
        })
        .collect();
    f.render_widget(Sparkline::default().data(bars).max(1000).style(style), area);
}

/// Marks (▼, in the alert colour) the columns of a chart drawn by `spark` from the state's
/// history in which an alert about the chart's `metrics` (name prefixes) fired.
pub fn marks(f: &mut Frame, area: Rect, s: &State, metrics: &[&str], t: &Theme) {
    let at = s.alert_marks(metrics);
    let ts = &s.shown().history.ts;
    if at.is_empty() || area.width == 0 || area.height == 0 || ts.is_empty() {
        return;
    }
    let skip = ts.len().saturating_sub(area.width as usize);
    for (col, k) in (skip..ts.len()).enumerate() {
        let from = if k > 0 { ts[k - 1] } else { ts[k] - 1 };
        if at.iter().any(|m| *m > from && *m <= ts[k]) {
            let cell = Rect::new(area.x + col as u16, area.y, 1, 1);
            f.render_widget(ratatui::text::Span::styled("▼", t.bad), cell);
        }
    }
}

/// A window over the panes, nearly as large as `area`, cleared.
pub fn popup(f: &mut Frame, area: Rect) -> Rect {
    let popup = Rect {
        x: area.x + area.width / 20,
        y: area.y + 1,
        width: area.width - area.width / 10,
        height: area.height.saturating_sub(2),
    };
    f.render_widget(ratatui::widgets::Clear, popup);
    popup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_units() {
        assert_eq!(bytes(0.0), "0B");
        assert_eq!(bytes(999.0), "999B");
        assert_eq!(bytes(1536.0), "1.5K");
        assert_eq!(bytes(25.0 * 1024.0 * 1024.0 * 1024.0), "25G");
        assert_eq!(rate(None), "—");
        assert_eq!(pct(Some(12.345)), "12.3%");
    }
}
