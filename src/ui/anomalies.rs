use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Row, Table};

use super::alerts::age;
use super::fmt::{List, block, bytes, draw_list, title};
use super::theme::Theme;
use crate::alert::template::figure;
use crate::app::{Pane, State, anomaly_key};
use crate::detect::{Anomaly, ForecastRow, reasons};
use crate::text::fit;

/// Anomalies, newest first (`f`: every series' forecast of the host on screen instead).
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let now = s.now_ms();
    let (title, rows, widths, selected) = if s.forecast_view {
        let shown = s.forecast_rows();
        let parts = [
            (0, format!("{} series of {}", shown.len(), s.host)),
            (1, "f: anomalies".to_string()),
        ];
        let title = title("Forecasts", &parts, area.width);
        let widths = vec![
            Constraint::Fill(1),
            Constraint::Length(7),
            Constraint::Length(15),
            Constraint::Length(7),
        ];
        let room = fill_width(area, &widths);
        let rows: Vec<Row> = shown.iter().map(|r| forecast_row(r, room)).collect();
        let selected = s.forecast_selected.index(&shown, |r| r.series.clone());
        (title, rows, widths, selected)
    } else {
        let shown = s.anomaly_rows();
        let open = shown.iter().filter(|a| a.ended_ms.is_none()).count();
        let parts = [
            (0, shown.len().to_string()),
            (0, format!("{open} now")),
            (1, "f: forecasts".to_string()),
        ];
        let title = title("Anomalies", &parts, area.width);
        // The detectors that agree once there is room, then the value and its band.
        let extra = match area.width {
            w if w >= 96 => 2,
            w if w >= 50 => 1,
            _ => 0,
        };
        let mut widths = vec![
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Fill(1),
        ];
        if extra >= 1 {
            widths.push(Constraint::Length(16));
        }
        if extra >= 2 {
            widths.push(Constraint::Length(22));
        }
        let room = fill_width(area, &widths);
        let rows: Vec<Row> = shown
            .iter()
            .map(|a| anomaly_row(a, (now, &s.host, room), t, extra))
            .collect();
        let selected = s.anomaly_selected.index(&shown, |a| anomaly_key(a));
        (title, rows, widths, selected)
    };
    let table = Table::new(rows, widths.iter().copied())
        .block(block(&title, Pane::Anomalies, s, t))
        .row_highlight_style(t.selected);
    let selected = selected.filter(|_| s.focus == Pane::Anomalies);
    let list = List {
        pane: Pane::Anomalies,
        table,
        widths: &widths,
        keys: &[],
        heading: false,
    };
    draw_list(f, area, list, selected);
}

/// `0.97 3m filesystem_used_percent{mount="/"} level, level shift 70 (39.8 … 40.2)`; the
/// host is named when it is not the one on screen, and an ended anomaly is dim.
fn anomaly_row<'a>(
    a: &Anomaly,
    (now, host, width): (i64, &str, usize),
    t: &Theme,
    room: u8,
) -> Row<'a> {
    let series = if a.host == host {
        fit(&a.series, width).into_owned()
    } else {
        fit(&format!("{} {}", a.host, a.series), width).into_owned()
    };
    let score_style = if a.score >= 0.95 { t.bad } else { t.warn };
    let mut cells = vec![
        Span::styled(format!("{:.2}", a.score), score_style),
        Span::raw(age(now - a.started_ms)),
        Span::raw(series),
    ];
    if room >= 1 {
        cells.push(Span::raw(fit(&reasons(a.why).join(", "), 16).into_owned()));
    }
    if room >= 2 {
        let v = |x: f64| value(&a.series, x);
        let band = format!("{} ({} … {})", v(a.value), v(a.low), v(a.high));
        cells.push(Span::raw(fit(&band, 22).into_owned()));
    }
    let style = if a.ended_ms.is_some() {
        t.dim
    } else {
        Style::new()
    };
    Row::new(cells).style(style)
}

/// `load1  0.42  → 0.55 in 1h  3.1%` (how far off its forecasts have lately been).
fn forecast_row<'a>(r: &ForecastRow, width: usize) -> Row<'a> {
    let ahead = match r.ahead_ms / 60_000 {
        m if m >= 60 && m % 60 == 0 => format!("{}h", m / 60),
        m if m >= 1 => format!("{m}m"),
        _ => format!("{}s", r.ahead_ms / 1000),
    };
    Row::new(vec![
        fit(&r.series, width).into_owned(),
        value(&r.series, r.value),
        format!("→ {} in {ahead}", value(&r.series, r.forecast)),
        format!("{:.1}%", r.error * 100.0),
    ])
}

/// The width a table leaves its one `Fill` column: the pane less its borders, the other
/// columns and the gaps between them.
fn fill_width(area: Rect, widths: &[Constraint]) -> usize {
    let fixed: u16 = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let gaps = widths.len().saturating_sub(1) as u16;
    usize::from(area.width.saturating_sub(2 + fixed + gaps))
}

/// A figure of the series: bytes in binary units.
pub(super) fn value(series: &str, v: f64) -> String {
    if series.contains("_bytes") && v.is_finite() {
        bytes(v)
    } else {
        figure(v)
    }
}
