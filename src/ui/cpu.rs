use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fmt::{framed, marks, pct, spark};
use super::theme::Theme;
use crate::app::{Pane, State};

/// Total CPU with its split and chart, then one row per core (in columns when many).
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let view = s.shown();
    let snap = view.snapshot.as_ref();
    let mhz = snap.map(|x| &x.sys.mhz).filter(|m| !m.is_empty());
    let ghz = mhz.map_or(String::new(), |m| {
        format!(
            ", {:.1} GHz",
            m.iter().sum::<f64>() / m.len() as f64 / 1000.0
        )
    });
    let title = format!(" CPU ({} cores{ghz}) ", view.history.cores.len());
    let inner = framed(f, area, &title, Pane::Cpu, s, t);
    if inner.height == 0 {
        return;
    }
    let cpu = view.snapshot.as_ref().and_then(|x| x.cpu);
    let summary = match cpu {
        Some(c) => Line::from(vec![
            Span::styled(format!("{:5.1}% ", c.busy()), t.level(c.busy())),
            Span::styled(
                format!(
                    "usr {:.1}  sys {:.1}  io {:.1}  irq {:.1}",
                    c.user, c.system, c.iowait, c.other
                ),
                t.dim,
            ),
        ]),
        None => Line::styled("    —  waiting for a second sample", t.dim),
    };
    f.render_widget(summary, Rect { height: 1, ..inner });
    let spark_h = if inner.height >= 8 { 2 } else { 1 }.min(inner.height - 1);
    let chart = Rect {
        y: inner.y + 1,
        height: spark_h,
        ..inner
    };
    spark(f, chart, &view.history.cpu, Some(100.0), t.cpu);
    marks(f, chart, s, &["cpu_", "core_"], t);
    let rows = inner.height.saturating_sub(1 + spark_h);
    cores(
        f,
        Rect {
            y: chart.y + spark_h,
            height: rows,
            ..inner
        },
        s,
        t,
    );
}

fn cores(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let view = s.shown();
    let n = view.history.cores.len();
    if n == 0 || area.height == 0 {
        return;
    }
    let cols = n.div_ceil(area.height as usize).max(1) as u16;
    let width = area.width / cols;
    let now = view
        .snapshot
        .as_ref()
        .map(|x| x.cores.as_slice())
        .unwrap_or(&[]);
    for (i, ring) in view.history.cores.iter().enumerate() {
        let (col, row) = (i as u16 / area.height, i as u16 % area.height);
        if col >= cols || width < 12 {
            break;
        }
        let cell = Rect::new(
            area.x + col * width,
            area.y + row,
            width.saturating_sub(1),
            1,
        );
        let value = now.get(i).copied().flatten();
        let label = format!("{i:<3}{:>6} ", pct(value));
        f.render_widget(Span::styled(label, t.dim), cell);
        let chart = Rect {
            x: cell.x + 10,
            width: cell.width.saturating_sub(10),
            ..cell
        };
        spark(f, chart, ring, Some(100.0), t.cpu);
    }
}
