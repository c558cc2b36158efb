//! The notifications view (`O`): each receiver's state (ok, retrying with the next attempt,
//! failing since, dead letters) and the newest notices with how each went; `r` retries a dead
//! letter now, `x` drops it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::State;
use crate::notify::{ReceiverHealth, SentRow};
use crate::store::SentState;

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(rows) = &s.notices else { return };
    let w = area.width.saturating_sub(4).min(140);
    let h = area.height.saturating_sub(2).max(3);
    let title = " Notifications (r: retry a dead letter · x: drop it · Esc: close) ";
    let inner = super::overlay::window(f, area, (w, h), title, t);
    let time = |ms: i64| super::status::format_with(ms, s.utc, "%H:%M:%S");
    let now = s.now_ms();
    let mut lines = vec![Line::styled("Receivers", t.title)];
    if s.receivers.is_empty() {
        lines.push(Line::styled(
            "  none running: add [[notify.receivers]] to the config (montui notify test tries them)",
            t.dim,
        ));
    }
    lines.extend(s.receivers.iter().map(|h| receiver(h, now, &time, t)));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Notices, newest first", t.title));
    let room = usize::from(inner.height).saturating_sub(lines.len());
    if rows.is_empty() {
        lines.push(Line::styled("  none sent yet", t.dim));
    }
    let selected = s.notice_selected.index(rows, |r| r.id).unwrap_or(0);
    let first = selected.saturating_sub(room.saturating_sub(1));
    lines.extend(
        (rows.iter().enumerate().skip(first).take(room)).map(|(i, r)| {
            let line = notice(r, now, &time, t);
            match i == selected {
                true => line.style(t.selected),
                false => line,
            }
        }),
    );
    f.render_widget(Paragraph::new(lines), inner);
}

fn receiver<'a>(
    h: &'a ReceiverHealth,
    now: i64,
    time: &dyn Fn(i64) -> String,
    t: &Theme,
) -> Line<'a> {
    let (state, style) = match (h.failing_since, h.next_attempt_ms) {
        (None, _) => ("ok".to_string(), t.ok),
        (Some(since), Some(next)) => (
            format!(
                "retrying in {} s, failing since {}",
                ((next - now) / 1000).max(0),
                time(since)
            ),
            t.bad,
        ),
        (Some(since), None) => (format!("failing since {}", time(since)), t.bad),
    };
    let mut spans = vec![
        Span::styled(format!("  {:<14} ", h.name), t.focus),
        Span::styled(format!("{:<12} ", h.kind), t.dim),
        Span::styled(state, style),
        Span::raw(format!(" · {} pending", h.pending)),
    ];
    if h.dead > 0 {
        spans.push(Span::styled(format!(" · {} dead", h.dead), t.bad));
    }
    if let Some(at) = h.last_delivered_ms {
        spans.push(Span::styled(
            format!(" · last delivered {}", time(at)),
            t.dim,
        ));
    }
    if let (Some(e), Some(_)) = (&h.last_error, h.failing_since) {
        spans.push(Span::styled(format!(" · {e}"), t.warn));
    }
    Line::from(spans)
}

fn notice<'a>(r: &'a SentRow, now: i64, time: &dyn Fn(i64) -> String, t: &Theme) -> Line<'a> {
    let style = match r.state {
        SentState::Delivered => t.ok,
        SentState::Dead => t.bad,
        SentState::Pending => t.warn,
    };
    let mut outcome = r.outcome();
    if r.state == SentState::Pending && r.attempts > 0 && r.next_ms > now {
        outcome.push_str(&format!(", next in {} s", (r.next_ms - now) / 1000));
    }
    let mut spans = vec![
        Span::styled(format!("  {} ", time(r.created_ms)), t.dim),
        Span::styled(format!("{:<14} ", r.receiver), t.focus),
        Span::styled(format!("{outcome:<20} "), style),
        Span::raw(r.title.as_str()),
    ];
    if let Some(e) = r
        .error
        .as_deref()
        .filter(|_| r.state != SentState::Delivered)
    {
        spans.push(Span::styled(format!(" · {e}"), t.warn));
    }
    Line::from(spans)
}
