//! One log pattern over the panes (Enter in the Patterns pane): its source, known trouble,
//! counts by level, first and last seen, the last minute (in replay: hour) as bars, and example lines
//! with personal data masked. It follows the live board while open.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline, Wrap};

use super::status::format_with;
use super::theme::Theme;
use crate::app::State;

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(id) = s.pattern_open else { return };
    let Some(r) = s
        .logs
        .as_ref()
        .and_then(|b| b.rows.iter().find(|r| r.id == id))
    else {
        return;
    };
    let popup = super::fmt::popup(f, area);
    let block = Block::bordered()
        .title(" Log pattern (Esc to close) ")
        .border_style(t.focus)
        .title_style(t.title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let clock = |ms: i64| format_with(ms, s.utc, "%Y-%m-%d %H:%M:%S");
    let levels: Vec<String> = r
        .levels
        .iter()
        .map(|(l, n)| format!("{} {n}", l.name()))
        .collect();
    let head = vec![
        Line::from(Span::styled(r.text.clone(), t.title)),
        Line::from(format!(
            "{} · {} lines · {}/min · first {} · last {}",
            r.source,
            r.count,
            r.rate(),
            clock(r.first_ms),
            clock(r.last_ms)
        )),
        Line::from(format!(
            "levels: {} · known: {}",
            if levels.is_empty() {
                "none written".into()
            } else {
                levels.join(" · ")
            },
            r.known.unwrap_or("no")
        )),
    ];
    let recorded = s.logs.as_ref().is_some_and(|b| b.recorded);
    let charts: Vec<(&str, &[u32])> = if recorded {
        vec![("last hour, lines per minute:", &r.hour)]
    } else {
        vec![
            ("last minute, lines per second:", &r.spark),
            ("last hour, lines per minute:", &r.hour),
        ]
    };
    let mut rows = vec![Constraint::Length(head.len() as u16 + 1)];
    for _ in &charts {
        rows.extend([Constraint::Length(1), Constraint::Length(3)]);
    }
    rows.push(Constraint::Fill(1));
    let areas = Layout::vertical(rows).split(inner);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), areas[0]);
    for (k, (label, data)) in charts.iter().enumerate() {
        let data: Vec<u64> = data.iter().map(|c| u64::from(*c)).collect();
        f.render_widget(
            Paragraph::new(Span::styled(*label, t.dim)),
            areas[1 + 2 * k],
        );
        f.render_widget(
            Sparkline::default().data(&data).style(t.warn),
            areas[2 + 2 * k],
        );
    }
    let examples = areas[areas.len() - 1];
    let mut lines = vec![Line::from(Span::styled(
        "examples (personal data masked):",
        t.dim,
    ))];
    lines.extend(r.examples.iter().map(|e| Line::from(e.clone())));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), examples);
}
