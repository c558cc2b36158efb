use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::fmt::{List, block, draw_list};
use super::theme::Theme;
use crate::app::{Pane, State};
use crate::logs::level::Level;
use crate::logs::patterns::{LogBoard, PatternRow};

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Log patterns: level, lines in the last minute, count, the minute as a sparkline, NEW for
/// patterns first seen in the last ten minutes, the template and its source.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let empty = LogBoard::default();
    let board = s.logs.as_ref().unwrap_or(&empty);
    let rows = s.pattern_rows();
    let mut title = format!(
        " Patterns  {} · {} lines · by {} ",
        board.rows.len(),
        board.lines,
        s.pattern_sort.name()
    );
    if let Some(words) = &s.pattern_filter {
        title = title.replacen(" Patterns ", &format!(" Patterns /{words} ·"), 1);
    }
    if let Some((src, why)) = board.problems.first() {
        title.push_str(&format!("· {src}: {why} "));
    }
    if let Some(src) = &s.raw_tail {
        let title = format!(" Raw: {src} (r: back to patterns) ");
        let b = block(&title, Pane::Patterns, s, t);
        let shown = area.height.saturating_sub(2) as usize;
        let lines = board
            .tails
            .iter()
            .find(|(x, _)| x == src)
            .map_or(&[][..], |(_, l)| &l[..]);
        let text: Vec<Line> = lines[lines.len().saturating_sub(shown)..]
            .iter()
            .map(|l| Line::from(l.as_str()))
            .collect();
        f.render_widget(Paragraph::new(text).block(b), area);
        return;
    }
    let b = block(&title, Pane::Patterns, s, t);
    if board.rows.is_empty() {
        let text = match board.problems.first() {
            Some((src, why)) => format!("{src}: {why}"),
            None => "waiting for log lines…".into(),
        };
        f.render_widget(Paragraph::new(text).style(t.dim).block(b), area);
        return;
    }
    let wide = area.width >= 100;
    let spark_w = if wide { 20 } else { 0 };
    let cells = |r: &PatternRow| {
        let style = level_style(r.level, t);
        let mut c = vec![
            Cell::from(r.level.map_or("-", |l| short(l))).style(style),
            Cell::from(r.rate().to_string()),
            Cell::from(r.count.to_string()),
        ];
        if wide {
            c.push(Cell::from(spark(&r.spark, spark_w)).style(style));
        }
        c.push(Cell::from(if r.is_new(board.at_ms) { "NEW" } else { "" }).style(t.warn));
        c.push(Cell::from(Line::from(Span::styled(
            r.text.clone(),
            Style::default(),
        ))));
        if wide {
            c.push(Cell::from(r.source.to_string()).style(t.dim));
        }
        Row::new(c)
    };
    let mut widths = vec![
        Constraint::Length(4),
        Constraint::Length(6),
        Constraint::Length(7),
    ];
    let mut header = vec!["LVL", "/MIN", "COUNT"];
    if wide {
        widths.push(Constraint::Length(spark_w as u16));
        header.push(if board.recorded {
            "LAST HOUR"
        } else {
            "LAST MINUTE"
        });
    }
    widths.extend([Constraint::Length(3), Constraint::Fill(1)]);
    header.extend(["", "PATTERN"]);
    if wide {
        widths.push(Constraint::Length(16));
        header.push("SOURCE");
    }
    let table = Table::new(rows.iter().map(|r| cells(r)), widths.iter().copied())
        .header(Row::new(header).style(t.title))
        .block(b)
        .row_highlight_style(t.selected);
    let selected = (s.focus == Pane::Patterns)
        .then(|| s.pattern_selected.index(&rows, |r| r.id))
        .flatten();
    let list = List {
        pane: Pane::Patterns,
        table,
        widths: &widths,
        keys: &[],
        heading: true,
    };
    draw_list(f, area, list, selected);
}

fn short(l: Level) -> &'static str {
    match l {
        Level::Trace => "TRC",
        Level::Debug => "DBG",
        Level::Info => "INF",
        Level::Notice => "NOT",
        Level::Warn => "WRN",
        Level::Error => "ERR",
        Level::Critical => "CRT",
    }
}

fn level_style(l: Option<Level>, t: &Theme) -> Style {
    match l {
        Some(Level::Critical | Level::Error) => t.bad,
        Some(Level::Warn) => t.warn,
        Some(Level::Trace | Level::Debug) => t.dim,
        _ => Style::default(),
    }
}

/// Per-second counts squeezed into `width` bars (each the sum of its seconds).
fn spark(counts: &[u32], width: usize) -> String {
    if width == 0 || counts.is_empty() {
        return String::new();
    }
    let per = counts.len().div_ceil(width);
    let sums: Vec<u32> = counts.chunks(per).map(|c| c.iter().sum()).collect();
    let top = sums.iter().copied().max().unwrap_or(0).max(1);
    sums.iter()
        .map(|v| match v {
            0 => ' ',
            v => {
                BARS[((*v as usize * (BARS.len() - 1)).div_ceil(top as usize)).min(BARS.len() - 1)]
            }
        })
        .collect()
}
