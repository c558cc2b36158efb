//! An alert's details over the panes: state, rule, annotations, the value with its threshold
//! line, the timeline and the escalation steps; or an anomaly's chart: its series with the
//! band expected, the values found unusual and the forecast.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::alerts::{age, phase_word};
use super::status::format_with;
use super::theme::Theme;
use crate::alert::lifecycle::{EventKind, Phase};
use crate::alert::template::figure;
use crate::app::State;
use crate::details::Model;
use crate::detect::reasons;

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(d) = &s.details else { return };
    let a = &d.alert;
    let popup = super::fmt::popup(f, area);
    let labels: Vec<String> = a.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let block = Block::bordered()
        .title(format!(" {} {} (Esc to close) ", a.rule, labels.join(" ")))
        .border_style(t.focus)
        .title_style(t.title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let now = s.shown_ts().unwrap_or(a.active_since);
    let clock = |ts: i64| format_with(ts, s.utc, "%H:%M:%S");
    let mut state = vec![
        Span::styled(
            format!(
                "{} {}",
                phase_word(a, s.board.muted(a, now)),
                a.severity.name()
            ),
            t.bad,
        ),
        Span::raw(format!(
            " · since {} ({}) · value {}",
            format_with(a.active_since, s.utc, "%Y-%m-%d %H:%M:%S"),
            age(now - a.active_since),
            figure(a.value)
        )),
    ];
    if let Some(th) = a.threshold {
        state.push(Span::raw(format!(" / line {}", figure(th))));
    }
    if let Some(ack) = &a.ack {
        state.push(Span::raw(format!(
            " · acked by {} at {}",
            ack.by,
            clock(ack.at)
        )));
    }
    let mut head = vec![
        Line::from(state),
        legend(&d.model, true, t),
        Line::from(vec![
            Span::styled("rule ", t.dim),
            Span::raw(d.rule.as_str()),
        ]),
    ];
    for (k, v) in &d.annotations {
        head.push(Line::from(vec![
            Span::styled(format!("{k} "), t.dim),
            Span::raw(v.as_str()),
        ]));
    }
    let head_h = wrapped_rows(&head, inner.width);
    let lists_h = (inner.height / 3).max(4);
    let [top, chart, lists] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Fill(1),
        Constraint::Length(lists_h),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    value_chart(
        f,
        chart,
        &d.values,
        &d.thresholds,
        &d.model,
        (s.utc, &d.rule),
        t,
    );
    let [timeline, steps] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(lists);
    let events: Vec<Line> = a
        .events
        .iter()
        .rev()
        .map(|e| {
            let what = match &e.kind {
                EventKind::Pending => "pending".to_string(),
                EventKind::Firing => "FIRING".to_string(),
                EventKind::Resolved => "resolved".to_string(),
                EventKind::Acked { by } => format!("acked by {by}"),
                EventKind::Unacked => "un-acked".to_string(),
                EventKind::Escalated { step } => format!("escalated, step {step}"),
            };
            Line::from(vec![
                Span::styled(
                    format!("{} ", format_with(e.at, s.utc, "%m-%d %H:%M:%S")),
                    t.dim,
                ),
                Span::raw(format!("{what} ({})", figure(e.value))),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(events).block(Block::bordered().title(" Timeline ").border_style(t.border)),
        timeline,
    );
    let steps_lines: Vec<Line> = if d.steps.is_empty() {
        vec![Line::styled("no escalation policy matches", t.dim)]
    } else {
        d.steps
            .iter()
            .map(|st| {
                let when = match (st.taken_at, a.fired_at) {
                    (Some(at), _) => format!("taken {}", clock(at)),
                    (None, Some(_)) if a.phase == Phase::Firing && a.ack.is_none() => "due".into(),
                    _ => "waiting".into(),
                };
                Line::from(vec![
                    Span::styled(format!("after {} ", age(st.after_ms)), t.dim),
                    Span::raw(format!("{}: {when}", st.what)),
                ])
            })
            .collect()
    };
    let [steps, notices] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)]).areas(steps);
    f.render_widget(
        Paragraph::new(steps_lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(" Escalation ")
                .border_style(t.border),
        ),
        steps,
    );
    let sent: Vec<Line> = if d.sent.is_empty() {
        vec![Line::styled("none sent (O: notifications)", t.dim)]
    } else {
        (d.sent.iter())
            .map(|n| {
                Line::from(vec![
                    Span::styled(format!("{} ", clock(n.created_ms)), t.dim),
                    Span::raw(format!("{} {}", n.receiver, n.outcome())),
                ])
            })
            .collect()
    };
    f.render_widget(
        Paragraph::new(sent).block(Block::bordered().title(" Notices ").border_style(t.border)),
        notices,
    );
}

/// Rows `lines` take once wrapped to `width`.
pub(super) fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// What the chart's marks are, each its own symbol (told apart without colours too):
/// `chart ⣀ value ▄ line • expected ⣀ forecast █ unusual` (the line where there is one),
/// and how far off the forecasts have been.
fn legend<'a>(m: &Model, line: bool, t: &Theme) -> Line<'a> {
    let mut spans = vec![
        Span::styled("chart ", t.dim),
        Span::styled("⣀ value ", t.cpu),
    ];
    if line {
        spans.push(Span::styled("▄ line ", t.bad));
    }
    spans.extend([
        Span::styled("• expected ", t.dim),
        Span::styled("⣀ forecast ", t.title),
        Span::styled("█ unusual", t.bad),
        Span::styled(
            m.forecast_error.map_or(String::new(), |(e, ahead)| {
                format!(" · forecasts {:.1} % off {} ahead", e * 100.0, age(ahead))
            }),
            t.dim,
        ),
    ]);
    Line::from(spans)
}

/// An anomaly's chart over the panes: when it started, its score, value and band, the
/// detectors that agreed, and its series over the anomaly.
pub fn render_anomaly(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(c) = &s.anomaly_chart else { return };
    let a = &c.anomaly;
    let popup = super::fmt::popup(f, area);
    let block = Block::bordered()
        .title(format!(" {} {} (Esc to close) ", a.host, a.series))
        .border_style(t.focus)
        .title_style(t.title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let now = s.shown_ts().unwrap_or(a.started_ms);
    let state = match a.ended_ms {
        Some(end) => format!("ended {}", format_with(end, s.utc, "%H:%M:%S")),
        None => "unusual now".into(),
    };
    let v = |x: f64| super::anomalies::value(&a.series, x);
    let head = vec![
        Line::from(vec![
            Span::styled(format!("score {:.2} ", a.score), t.bad),
            Span::raw(format!(
                "· since {} ({}) · {state} · value {} (expected {}, {} … {})",
                format_with(a.started_ms, s.utc, "%Y-%m-%d %H:%M:%S"),
                age(now - a.started_ms),
                v(a.value),
                v(a.expected),
                v(a.low),
                v(a.high)
            )),
        ]),
        Line::from(vec![
            Span::styled("why ", t.dim),
            Span::raw(reasons(a.why).join(", ")),
        ]),
        legend(&c.model, false, t),
    ];
    let rows = wrapped_rows(&head, inner.width);
    let [top, chart] =
        Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(inner);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    value_chart(f, chart, &c.values, &[], &c.model, (s.utc, &a.series), t);
}

/// The values with the threshold line (a step line; none when empty) and the model's band,
/// unusual values and forecast. The y axis writes figures as the series' head does (bytes
/// in binary units: `series` is its name, or the rule that names its metric).
pub(super) fn value_chart(
    f: &mut Frame,
    area: Rect,
    recorded: &[(i64, f64)],
    thresholds: &[(i64, f64)],
    m: &Model,
    (utc, series): (bool, &str),
    t: &Theme,
) {
    if area.height < 3 {
        return;
    }
    let pts =
        |v: &[(i64, f64)]| -> Vec<(f64, f64)> { v.iter().map(|(x, y)| (*x as f64, *y)).collect() };
    let values = pts(recorded);
    // A step line: each threshold holds until the next.
    let mut line = Vec::new();
    for w in thresholds.windows(2) {
        line.push((w[0].0 as f64, w[0].1));
        line.push((w[1].0 as f64, w[0].1));
    }
    if let Some(last) = thresholds.last() {
        let end = recorded.last().map_or(last.0, |v| v.0.max(last.0));
        line.push((last.0 as f64, last.1));
        line.push((end as f64, last.1));
    }
    let low: Vec<(f64, f64)> = m.band.iter().map(|(x, l, _)| (*x as f64, *l)).collect();
    let high: Vec<(f64, f64)> = m.band.iter().map(|(x, _, h)| (*x as f64, *h)).collect();
    let forecast = pts(&m.forecast);
    let unusual = pts(&m.unusual);
    // The band does not set the scale (it may be wide while warming up).
    let all = values.iter().chain(&line).chain(&forecast);
    let (x0, x1) = all
        .clone()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = all.fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if x0 > x1 {
        f.render_widget(
            Paragraph::new(Line::styled("no values recorded", t.dim)),
            area,
        );
        return;
    }
    let pad = ((y1 - y0) * 0.1).max(1.0);
    let (y0, y1) = ((y0 - pad).max(0.0_f64.min(y0)), y1 + pad);
    let inside = |v: &Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        v.iter()
            .copied()
            .filter(|p| (y0..=y1).contains(&p.1))
            .collect()
    };
    let (low, high) = (inside(&low), inside(&high));
    let datasets = vec![
        Dataset::default()
            .name("low")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(t.dim)
            .data(&low),
        Dataset::default()
            .name("high")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(t.dim)
            .data(&high),
        Dataset::default()
            .name("forecast")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.title)
            .data(&forecast),
        Dataset::default()
            .name("value")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.cpu)
            .data(&values),
        Dataset::default()
            .name("threshold")
            .marker(Marker::Bar)
            .graph_type(GraphType::Line)
            .style(t.bad)
            .data(&line),
        Dataset::default()
            .name("unusual")
            .marker(Marker::Block)
            .graph_type(GraphType::Scatter)
            .style(t.bad)
            .data(&unusual),
    ];
    let clock = |x: f64| Span::raw(format_with(x as i64, utc, "%H:%M:%S"));
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([x0, x1.max(x0 + 1.0)])
                .labels([clock(x0), clock(x1)])
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([y0, y1])
                .labels([
                    Span::raw(super::anomalies::value(series, y0)),
                    Span::raw(super::anomalies::value(series, y1)),
                ])
                .style(t.dim),
        );
    f.render_widget(chart, area);
}
