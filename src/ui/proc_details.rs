//! A process's details over the panes (Enter in the process list): its whole command line,
//! owner, state, start, CPU and memory now, working directory and open files (live), and its
//! CPU and resident memory over the recorded history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::alerts::age;
use super::details::{value_chart, wrapped_rows};
use super::fmt::{bytes, pct};
use super::procs::time_plus;
use super::status::format_with;
use super::theme::Theme;
use crate::app::State;
use crate::details::Model;
use crate::model::ProcRow;

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(d) = &s.proc_details else { return };
    // The figures of now where the process is still listed; else as it was when opened.
    let snap = s.shown().snapshot.as_ref();
    let now_row =
        snap.and_then(|x| (x.procs.iter()).find(|p| p.pid == d.row.pid && p.start == d.row.start));
    let p = now_row.unwrap_or(&d.row);
    let popup = super::fmt::popup(f, area);
    let block = Block::bordered()
        .title(format!(
            " PID {} {} on {} (Esc to close) ",
            p.pid, p.name, d.host
        ))
        .border_style(t.focus)
        .title_style(t.title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let head = lines(s, d, p, now_row.is_some(), t);
    let rows = wrapped_rows(&head, inner.width).min(inner.height);
    let [top, charts] =
        Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(inner);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    let [cpu, rss] = Layout::vertical([Constraint::Fill(1); 2]).areas(charts);
    for (area, name, values, series) in [
        (cpu, "CPU % of one core", &d.cpu, "process_cpu_percent"),
        (rss, "resident memory", &d.rss, "process_resident_bytes"),
    ] {
        if area.height < 4 {
            continue;
        }
        let [label, chart] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        f.render_widget(Line::styled(format!("{name}, as recorded"), t.dim), label);
        value_chart(f, chart, values, &[], &Model::default(), (s.utc, series), t);
    }
}

fn lines<'a>(
    s: &State,
    d: &crate::proc_details::ProcDetails,
    p: &ProcRow,
    listed: bool,
    t: &Theme,
) -> Vec<Line<'a>> {
    let label = |l: &str| Span::styled(format!("{l} "), t.dim);
    let command = if p.cmdline.is_empty() {
        format!("[{}]", p.name)
    } else {
        p.cmdline.clone()
    };
    let state = match p.state {
        '\0' => "—".to_string(),
        c => c.to_string(),
    };
    let mut out = vec![
        Line::from(vec![label("command"), Span::raw(command)]),
        Line::from(vec![
            label("user"),
            Span::raw(if p.user.is_empty() {
                "—".into()
            } else {
                p.user.clone()
            }),
            label(" · state"),
            Span::raw(state),
            label(" · threads"),
            Span::raw(p.threads.to_string()),
            label(" · nice"),
            Span::raw(p.nice.to_string()),
            label(" · priority"),
            Span::raw(p.priority.to_string()),
            label(" · parent"),
            Span::raw(p.ppid.to_string()),
        ]),
    ];
    let now = s.shown_ts().unwrap_or(p.started_ms);
    let started = if p.started_ms > 0 {
        format!(
            "{} ({} ago)",
            format_with(p.started_ms, s.utc, "%Y-%m-%d %H:%M:%S"),
            age(now - p.started_ms)
        )
    } else {
        "—".into()
    };
    let io = |v: Option<f64>| v.map_or_else(|| "—".into(), |b| format!("{}/s", bytes(b)));
    out.push(Line::from(vec![
        label("started"),
        Span::raw(started),
        label(" · CPU"),
        Span::styled(pct(p.cpu), t.level(p.cpu.unwrap_or(0.0))),
        label(" · TIME+"),
        Span::raw(time_plus(p.time_ms)),
        label(" · RES"),
        Span::raw(bytes(p.rss as f64)),
        label(" · read"),
        Span::raw(io(p.read)),
        label(" · write"),
        Span::raw(io(p.write)),
    ]));
    let live = match &d.live {
        None => vec![Span::styled("cwd and open files: reading…", t.dim)],
        Some(Err(e)) => vec![label("cwd and open files:"), Span::raw(e.clone())],
        Some(Ok(i)) => vec![
            label("cwd"),
            Span::raw(i.cwd.clone().unwrap_or_else(|| "— (not readable)".into())),
            label(" · open files"),
            Span::raw(
                i.open_files
                    .map_or_else(|| "— (not readable)".into(), |n| n.to_string()),
            ),
        ],
    };
    out.push(Line::from(live));
    if !listed {
        out.push(Line::styled(
            "no longer among the processes listed: figures as when opened",
            t.warn,
        ));
    }
    out
}
