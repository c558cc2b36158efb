use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table};

use super::fmt::{block, bytes, draw_list, pct};
use super::theme::Theme;
use crate::app::{Pane, SortBy, State};

/// Top processes, sorted by CPU (`P`) or memory (`M`); the selection moves with ↑/↓.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let title = match s.sort {
        SortBy::Cpu => " Processes (by CPU) ",
        SortBy::Mem => " Processes (by memory) ",
    };
    let b = block(title, Pane::Procs, s, t);
    let view = s.shown();
    let procs = s.proc_rows();
    let total_mem = view.snapshot.as_ref().map_or(0, |x| x.mem.total);
    let rows = procs.iter().map(|p| {
        let mem_pct = if total_mem > 0 {
            format!("{:.1}", p.rss as f64 * 100.0 / total_mem as f64)
        } else {
            String::new()
        };
        Row::new(vec![
            p.pid.to_string(),
            p.name.clone(),
            pct(p.cpu),
            bytes(p.rss as f64),
            mem_pct,
        ])
    });
    let widths = [
        Constraint::Length(7),
        Constraint::Fill(1),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(5),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(["PID", "NAME", "CPU", "RSS", "MEM%"]).style(t.title))
        .block(b)
        .row_highlight_style(t.selected);
    let selected = (s.focus == Pane::Procs)
        .then(|| s.proc_selected.index(&procs, |p| p.pid))
        .flatten();
    draw_list(f, area, Pane::Procs, table, &widths, true, selected);
}
