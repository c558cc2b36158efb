use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Row, Table, TableState};

use super::alerts::age;
use super::fmt::{block, bytes};
use super::theme::Theme;
use crate::alert::template::figure;
use crate::app::{Pane, State, anomaly_key};
use crate::detect::{Anomaly, ForecastRow, reasons};

/// Anomalies, newest first (`f`: every series' forecast of the host on screen instead).
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let now = s.now_ms();
    let (title, rows, widths, selected) = if s.forecast_view {
        let shown = s.forecast_rows();
        let title = format!(
            " Forecasts  {} series of {} · f: anomalies ",
            shown.len(),
            s.host
        );
        let rows: Vec<Row> = shown.iter().map(|r| forecast_row(r)).collect();
        let widths = vec![
            Constraint::Fill(1),
            Constraint::Length(7),
            Constraint::Length(15),
            Constraint::Length(7),
        ];
        let selected = s.forecast_selected.index(&shown, |r| r.series.clone());
        (title, rows, widths, selected)
    } else {
        let shown = s.anomaly_rows();
        let open = shown.iter().filter(|a| a.ended_ms.is_none()).count();
        let title = format!(" Anomalies  {} · {open} now · f: forecasts ", shown.len());
        // The detectors that agree once there is room, then the value and its band.
        let room = match area.width {
            w if w >= 96 => 2,
            w if w >= 50 => 1,
            _ => 0,
        };
        let rows: Vec<Row> = shown
            .iter()
            .map(|a| anomaly_row(a, now, &s.host, t, room))
            .collect();
        let mut widths = vec![
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Fill(1),
        ];
        if room >= 1 {
            widths.push(Constraint::Length(16));
        }
        if room >= 2 {
            widths.push(Constraint::Length(22));
        }
        let selected = s.anomaly_selected.index(&shown, |a| anomaly_key(a));
        (title, rows, widths, selected)
    };
    let table = Table::new(rows, widths)
        .block(block(&title, Pane::Anomalies, s, t))
        .row_highlight_style(t.selected);
    let mut ts = TableState::default();
    if s.focus == Pane::Anomalies {
        ts.select(selected);
    }
    f.render_stateful_widget(table, area, &mut ts);
}

/// `0.97 3m filesystem_used_percent{mount="/"} level, level shift 70 (39.8 … 40.2)`; the
/// host is named when it is not the one on screen, and an ended anomaly is dim.
fn anomaly_row<'a>(a: &Anomaly, now: i64, host: &str, t: &Theme, room: u8) -> Row<'a> {
    let series = if a.host == host {
        a.series.clone()
    } else {
        format!("{} {}", a.host, a.series)
    };
    let score_style = if a.score >= 0.95 { t.bad } else { t.warn };
    let mut cells = vec![
        Span::styled(format!("{:.2}", a.score), score_style),
        Span::raw(age(now - a.started_ms)),
        Span::raw(series),
    ];
    if room >= 1 {
        cells.push(Span::raw(reasons(a.why).join(", ")));
    }
    if room >= 2 {
        let v = |x: f64| value(&a.series, x);
        let band = format!("{} ({} … {})", v(a.value), v(a.low), v(a.high));
        cells.push(Span::raw(band));
    }
    let style = if a.ended_ms.is_some() {
        t.dim
    } else {
        Style::new()
    };
    Row::new(cells).style(style)
}

/// `load1  0.42  → 0.55 in 1h  3.1%` (how far off its forecasts have lately been).
fn forecast_row<'a>(r: &ForecastRow) -> Row<'a> {
    let ahead = match r.ahead_ms / 60_000 {
        m if m >= 60 && m % 60 == 0 => format!("{}h", m / 60),
        m if m >= 1 => format!("{m}m"),
        _ => format!("{}s", r.ahead_ms / 1000),
    };
    Row::new(vec![
        r.series.clone(),
        value(&r.series, r.value),
        format!("→ {} in {ahead}", value(&r.series, r.forecast)),
        format!("{:.1}%", r.error * 100.0),
    ])
}

/// A figure of the series: bytes in binary units.
pub(super) fn value(series: &str, v: f64) -> String {
    if series.contains("_bytes") && v.is_finite() {
        bytes(v)
    } else {
        figure(v)
    }
}
