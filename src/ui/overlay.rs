//! Layers drawn over the panes: help, the jump prompt, the too-small notice.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::{BINDINGS, Binding, Pane, PromptKind, Scope, State};

/// Every binding of the key table in sections: everywhere, each pane's own keys (they act
/// only there), live, replay. In as many columns as fit; where even those do not hold it
/// all, it scrolls (`scroll` lines down) and says so.
pub fn help(f: &mut Frame, area: Rect, scroll: usize, t: &Theme) {
    let mut sections: Vec<(String, Vec<&Binding>)> = Vec::new();
    let any = |scope: Scope| -> Vec<&Binding> {
        let all = BINDINGS.iter();
        all.filter(|b| b.scope == scope && b.panes.is_empty())
            .collect()
    };
    sections.push((Scope::Everywhere.title().into(), any(Scope::Everywhere)));
    for pane in [
        Pane::Procs,
        Pane::Alerts,
        Pane::Anomalies,
        Pane::Hosts,
        Pane::Patterns,
        Pane::Metrics,
        Pane::Log,
    ] {
        let own = BINDINGS
            .iter()
            .filter(|b| b.panes.contains(&pane))
            .collect();
        sections.push((format!("{} pane", pane.name()), own));
    }
    sections.push((Scope::Live.title().into(), any(Scope::Live)));
    sections.push((Scope::History.title().into(), any(Scope::History)));
    let mut lines = Vec::new();
    for (title, bindings) in sections {
        lines.push(Line::styled(title, t.title));
        for b in bindings {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<10}", keys.join(" ")), t.focus),
                Span::raw(b.help),
            ]));
        }
    }
    let rows = (area.height.saturating_sub(2) as usize).max(1);
    let col_w = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
    let fit = (area.width.saturating_sub(2) / col_w.max(1)).max(1) as usize;
    let cols = lines.len().div_ceil(rows).clamp(1, fit);
    let per_col = lines.len().div_ceil(cols).min(rows);
    let hidden = lines.len().saturating_sub(per_col * cols);
    let title = if hidden > 0 {
        " Keys (j k: more · Esc: close) "
    } else {
        " Keys (Esc or ? to close) "
    };
    let w = (col_w * cols as u16 + 2).min(area.width);
    let h = (per_col as u16 + 2).min(area.height);
    let inner = window(f, area, (w, h), title, t);
    let mut lines = lines.into_iter().skip(scroll.min(hidden));
    for c in 0..cols as u16 {
        let col = Rect {
            x: inner.x + c * col_w,
            width: col_w.min(inner.right().saturating_sub(inner.x + c * col_w)),
            ..inner
        };
        let chunk: Vec<Line> = lines.by_ref().take(per_col).collect();
        f.render_widget(Paragraph::new(chunk), col);
    }
}

/// A bordered window of `size` centred in `area`, cleared; returns its inside.
pub(super) fn window(
    f: &mut Frame,
    area: Rect,
    (w, h): (u16, u16),
    title: &str,
    t: &Theme,
) -> Rect {
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, popup);
    let block = Block::bordered().title(title).border_style(t.focus);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    inner
}

/// The jump prompt on the last line.
pub fn prompt(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(p) = &s.prompt else { return };
    let label = match &p.kind {
        PromptKind::JumpForward => "jump (10m, -1h, 3h ago, 2026-11-22 10:00, 14:00): ",
        PromptKind::JumpBack => "jump back (10m, or a time): ",
        PromptKind::Silence(_) => "silence for (1h, until 18:00; add host=x to widen): ",
        PromptKind::Filter => "show alerts containing (rule, host=web-1, critical…; empty: all): ",
        PromptKind::HostFilter => "show hosts containing (name, down, stale…; empty: all): ",
        PromptKind::PatternFilter => {
            "show patterns containing (words, source, error…; empty: all): "
        }
        PromptKind::ProcFilter => {
            "show processes containing (name, command, user, PID…; empty: all): "
        }
        PromptKind::MetricFilter => "show series containing (name, label, value…; empty: all): ",
        PromptKind::Signal(p) => &format!(
            "send PID {} ({}) on {} the signal (TERM, KILL, HUP, INT, STOP, CONT…; Esc: none): ",
            p.pid, p.command, p.host
        ),
        PromptKind::Renice(p) => &format!(
            "give PID {} ({}) on {} the nice value (-20 most CPU … 19 least; Esc: keep): ",
            p.pid, p.command, p.host
        ),
    };
    let line = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    f.render_widget(Clear, line);
    f.render_widget(
        Line::from(vec![
            Span::styled(label, t.focus),
            Span::raw(p.text.as_str()),
            Span::styled("█", t.focus),
        ]),
        line,
    );
}

/// Shown instead of the panes when the terminal is smaller than they need.
pub fn too_small(f: &mut Frame, area: Rect, need: (u16, u16), t: &Theme) {
    let text = format!(
        "montui needs {}×{}; this terminal is {}×{}",
        need.0, need.1, area.width, area.height
    );
    let [mid] = Layout::vertical([Constraint::Length(area.height.min(3))])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    f.render_widget(
        Paragraph::new(Span::styled(text, t.warn))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        mid,
    );
}

/// The silence list (`S`): matchers, span, who; `x` or Enter expires the selected one.
pub fn silences(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    if !s.silence_list {
        return;
    }
    let w = area.width.saturating_sub(8).min(100);
    let h = (s.board.silences.len() as u16 + 4).max(5).min(area.height);
    let title = " Silences (x or Enter: expire · Esc: close) ";
    let inner = window(f, area, (w, h), title, t);
    let lines: Vec<Line> = if s.board.silences.is_empty() {
        vec![Line::styled("no silences: `s` on an alert adds one", t.dim)]
    } else {
        let ids: Vec<u64> = s.board.silences.iter().map(|x| x.id).collect();
        let selected = s.silence_selected.index(&ids, |i| *i);
        s.board
            .silences
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let m: Vec<String> = x.matchers.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let line = Line::from(vec![
                    Span::styled(format!("#{:<3} ", x.id), t.dim),
                    Span::raw(format!(
                        "until {} by {}  ",
                        super::status::format_with(x.ends_at, s.utc, until_format(x.ends_at, s)),
                        x.by
                    )),
                    Span::styled(m.join(" "), t.focus),
                ]);
                if Some(i) == selected {
                    line.style(t.selected)
                } else {
                    line
                }
            })
            .collect()
    };
    f.render_widget(Paragraph::new(lines), inner);
}

/// How a silence's end is written: with its year when that is not this one's (a 400-day
/// silence), else month, day and time.
fn until_format(ends_at: i64, s: &State) -> &'static str {
    let year = |ts: i64| super::status::format_with(ts, s.utc, "%Y");
    if year(ends_at) == year(s.now_ms()) {
        "%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M"
    }
}
