use chrono::{Local, TimeZone, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::app::{Mode, Recording, State};

/// Host, the shown sample's time (not the wall clock), mode, recording, drops, messages.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let time = s
        .shown_ts()
        .map_or_else(|| "--".into(), |ts| format_time(ts, s.utc));
    let mode = match (s.mode, s.pos) {
        (Mode::Live, _) => "LIVE".to_string(),
        (m, Some(p)) => {
            let name = if m == Mode::Paused {
                "PAUSED"
            } else {
                "REPLAY"
            };
            let play = if s.playing {
                format!(" ▶ {}×", s.speed)
            } else {
                format!(" ⏸ {}×", s.speed)
            };
            format!("{name} {}/{}{play}", p.index + 1, p.len)
        }
        (Mode::Paused, None) => "PAUSED".into(),
        (Mode::Replay, None) => "REPLAY".into(),
    };
    let (rec, rec_style) = match &s.recording {
        Recording::On => ("● REC".to_string(), t.status.patch(t.ok)),
        Recording::Off => ("not recording".to_string(), t.status),
        Recording::Failed(e) => (format!("REC PAUSED: {e}"), t.status.patch(t.bad)),
    };
    let mut spans = vec![
        Span::styled(" montui ", t.status.patch(t.title)),
        Span::raw(format!("│ {} │ {time} │ {mode} │ ", s.host)),
        Span::styled(rec, rec_style),
        Span::raw(format!(" │ drops {}", s.dropped)),
    ];
    if let Some(m) = &s.message {
        spans.push(Span::styled(format!(" │ {m}"), t.status.patch(t.warn)));
    } else {
        spans.push(Span::raw(" │ ? help  q quit"));
    }
    f.render_widget(Line::from(spans).style(t.status), area);
}

pub fn format_time(ts_ms: i64, utc: bool) -> String {
    const FMT: &str = "%Y-%m-%d %H:%M:%S";
    if utc {
        Utc.timestamp_millis_opt(ts_ms)
            .single()
            .map(|d| d.format(FMT).to_string())
    } else {
        Local
            .timestamp_millis_opt(ts_ms)
            .single()
            .map(|d| d.format(FMT).to_string())
    }
    .unwrap_or_else(|| "--".into())
}
