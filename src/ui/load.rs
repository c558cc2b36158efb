use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fmt::{framed, marks, spark};
use super::theme::Theme;
use crate::app::{Pane, State};
use crate::model::sys::SysNow;

/// Load averages against the core count; tasks by state and uptime; pressure stall
/// information; GPUs; sensors; then a chart of the 1-minute load.
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
    let mut lines = vec![line];
    lines.extend(detail(&snap.sys, t));
    // The chart keeps a row at least.
    let rows = (lines.len() as u16)
        .min(inner.height.saturating_sub(1))
        .max(1);
    for (i, l) in lines.into_iter().take(usize::from(rows)).enumerate() {
        f.render_widget(
            l,
            Rect {
                y: inner.y + i as u16,
                height: 1,
                ..inner
            },
        );
    }
    let chart = Rect {
        y: inner.y + rows,
        height: inner.height.saturating_sub(rows),
        ..inner
    };
    spark(f, chart, &view.history.load, Some(cores.max(one)), t.load);
    marks(f, chart, s, &["load"], t);
}

/// Lines of what the host says of itself beyond load (those it says).
pub(super) fn detail<'a>(y: &SysNow, t: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let k = y.tasks;
    if k.processes > 0 {
        let mut spans = vec![
            Span::raw(format!("tasks {} ", k.processes)),
            Span::styled(format!("R {} ", k.running), t.dim),
            Span::styled(
                format!("D {} ", k.blocked),
                if k.blocked > 0 { t.warn } else { t.dim },
            ),
            Span::styled(
                format!("Z {} ", k.zombie),
                if k.zombie > 0 { t.warn } else { t.dim },
            ),
            Span::styled(format!("thr {}", k.threads), t.dim),
        ];
        if let Some(up) = y.uptime_s {
            spans.push(Span::styled(format!("  up {}", uptime(up)), t.dim));
        }
        out.push(Line::from(spans));
    }
    if let Some(p) = y.psi {
        let pair = |some: f64, full: f64| format!("{some:.1}/{full:.1}%");
        out.push(Line::from(vec![
            Span::raw("PSI "),
            Span::styled(format!("cpu {:.1}% ", p[0]), t.level(p[0] * 2.0)),
            Span::styled(format!("mem {} ", pair(p[1], p[2])), t.level(p[1] * 2.0)),
            Span::styled(format!("io {}", pair(p[3], p[4])), t.level(p[3] * 2.0)),
        ]));
    }
    for g in &y.gpus {
        let mut spans = vec![Span::raw(format!("GPU {} ", g.name))];
        if let Some(b) = g.busy {
            spans.push(Span::styled(format!("{b:.0}% "), t.level(b)));
        }
        if g.mem_total > 0 {
            let pct = g.mem_pct().unwrap_or(0.0);
            spans.push(Span::styled(
                format!(
                    "mem {} / {}",
                    super::fmt::bytes(g.mem_used as f64),
                    super::fmt::bytes(g.mem_total as f64)
                ),
                t.level(pct),
            ));
        }
        out.push(Line::from(spans));
    }
    if !y.sensors.is_empty() {
        let shown: Vec<String> = (y.sensors.iter())
            .map(|x| match x.fan {
                true => format!("{} {:.0}rpm", x.name, x.value),
                false => format!("{} {:.0}°C", x.name, x.value),
            })
            .collect();
        out.push(Line::styled(shown.join(" · "), t.dim));
    }
    out
}

/// Uptime as `3d 4h`, `5h 12m`, `42m`.
fn uptime(secs: f64) -> String {
    let m = (secs / 60.0) as u64;
    let (d, h, m) = (m / 1440, m / 60 % 24, m % 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}
