use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Row, Table};

use super::fmt::{List, block, draw_list, title};
use super::theme::Theme;
use crate::alert::board::Mute;
use crate::alert::lifecycle::{Alert, Phase, Severity};
use crate::alert::template::figure;
use crate::app::{Pane, State};

/// Alerts, firing first and by severity: counters in the title, one row per alert.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let count = |p: Phase| s.board.alerts.iter().filter(|a| a.phase == p).count();
    let acked = s.board.alerts.iter().filter(|a| a.ack.is_some()).count();
    let now = s.now_ms();
    let mutes: Vec<Option<Mute>> = s
        .board
        .alerts
        .iter()
        .map(|a| s.board.muted(a, now))
        .collect();
    let silenced = mutes
        .iter()
        .filter(|m| matches!(m, Some(Mute::Silenced(_))))
        .count();
    let inhibited = mutes
        .iter()
        .filter(|m| matches!(m, Some(Mute::Inhibited(_))))
        .count();
    // The filter and what fires first; counts of nothing go first when the pane is narrow.
    let counted =
        |n: usize, what: &str, rank: u8| (if n > 0 { rank } else { 3 }, format!("{n} {what}"));
    let mut parts: Vec<(u8, String)> = s.filter.iter().map(|w| (0, format!("/{w}"))).collect();
    parts.extend([
        counted(count(Phase::Firing), "firing", 0),
        counted(count(Phase::Pending), "pending", 1),
        counted(acked, "acked", 1),
        counted(silenced, "silenced", 2),
    ]);
    if inhibited > 0 {
        parts.push((2, format!("{inhibited} inhibited")));
    }
    let title = title("Alerts", &parts, area.width);
    let sorted = s.alerts_sorted();
    // In a narrow pane the name matters more than the figures.
    let narrow = area.width < 52;
    let rows = sorted
        .iter()
        .map(|a| row(a, (now, &s.host), t, narrow, s.board.muted(a, now)));
    let widths = if narrow {
        vec![
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(3),
        ]
    } else {
        vec![
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(3),
        ]
    };
    let table = Table::new(rows, widths.iter().copied())
        .block(block(&title, Pane::Alerts, s, t))
        .row_highlight_style(t.selected);
    let selected = (s.focus == Pane::Alerts)
        .then(|| s.alert_selected.index(&sorted, |a| a.fingerprint))
        .flatten();
    let list = List {
        pane: Pane::Alerts,
        table,
        widths: &widths,
        keys: &[],
        heading: false,
    };
    draw_list(f, area, list, selected);
}

/// One alert; its host is named when it is not the host on screen.
fn row<'a>(
    a: &Alert,
    (now, host): (i64, &str),
    t: &Theme,
    narrow: bool,
    muted: Option<Mute>,
) -> Row<'a> {
    let (sev, sev_style) = match a.severity {
        Severity::Critical => ("CRIT", t.bad),
        Severity::Warning => ("WARN", t.warn),
        Severity::Info => ("INFO", t.dim),
    };
    let phase = phase_word(a, muted);
    let labels: Vec<String> = a
        .labels
        .iter()
        .filter(|(k, v)| k.as_str() != "host" || v.as_str() != host)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let what = if labels.is_empty() {
        a.rule.clone()
    } else {
        format!("{} {}", a.rule, labels.join(" "))
    };
    let value = match a.threshold {
        Some(th) => format!("{}/{}", figure(a.value), figure(th)),
        None => figure(a.value),
    };
    let age = age(now - a.active_since);
    let style = if a.phase == Phase::Resolved {
        t.dim
    } else {
        Style::new()
    };
    let mut cells = vec![
        ratatui::text::Span::styled(sev, sev_style),
        phase.into(),
        what.into(),
    ];
    if !narrow {
        cells.push(value.into());
    }
    cells.push(age.into());
    Row::new(cells).style(style)
}

/// The alert's state as the list shows it.
pub(super) fn phase_word(a: &Alert, muted: Option<Mute>) -> &'static str {
    match (a.phase, &a.ack) {
        (Phase::Firing | Phase::Pending, _) if muted.is_some() => match muted {
            Some(Mute::Inhibited(_)) => "inhibit",
            _ => "silenced",
        },
        (Phase::Firing, Some(_)) => "acked",
        (Phase::Firing, None) => "FIRING",
        (Phase::Pending, _) => "pending",
        (Phase::Resolved, _) => "resolved",
    }
}

/// 59 s → "59s", 3 600 s → "1h".
pub(super) fn age(ms: i64) -> String {
    let s = (ms / 1000).max(0);
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}
