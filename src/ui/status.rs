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
        (Mode::Live, _) => match s.stale_ms() {
            Some(ms) => format!("LIVE · no sample for {}", super::alerts::age(ms)),
            None => "LIVE".to_string(),
        },
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
            let window = crate::replay::ZOOMS_MS
                .get(s.zoom)
                .map_or(String::new(), |ms| format!(" ⟷ {}", span(*ms)));
            format!("{name} {}/{}{play}{window}", p.index + 1, p.len)
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
    ];
    if let Some(failing) = failing(s) {
        spans.push(Span::styled(format!(" │ {failing}"), t.status.patch(t.bad)));
    }
    match &s.message {
        Some(m) => {
            // A message makes room for itself: no drops to count, then no name and no "all
            // is well" recording mark go first.
            if s.dropped > 0 {
                spans.push(Span::raw(format!(" │ drops {}", s.dropped)));
            }
            spans.push(Span::styled(format!(" │ {m}"), t.status.patch(t.warn)));
            let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
            if width(&spans) > usize::from(area.width) {
                spans[0] = Span::raw(" ");
            }
            if width(&spans) > usize::from(area.width) && s.recording == Recording::On {
                spans.remove(2);
                spans[1] = Span::raw(format!("│ {} │ {time} │ {mode}", s.host));
            }
        }
        None => spans.extend([
            Span::raw(format!(" │ drops {}", s.dropped)),
            Span::raw(if s.layout.maximised {
                " │ e all panes  ? help"
            } else {
                " │ ? help  q quit"
            }),
        ]),
    }
    f.render_widget(Line::from(spans).style(t.status), area);
}

/// `notify: hook failing` (`notify: 2 failing` when more): receivers whose attempts fail.
fn failing(s: &State) -> Option<String> {
    let names: Vec<&str> = (s.receivers.iter())
        .filter(|h| h.failing_since.is_some())
        .map(|h| h.name.as_str())
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("notify: {one} failing")),
        more => Some(format!("notify: {} failing", more.len())),
    }
}

pub fn format_time(ts_ms: i64, utc: bool) -> String {
    format_with(ts_ms, utc, "%Y-%m-%d %H:%M:%S")
}

/// A time in a chrono format, UTC or local.
pub fn format_with(ts_ms: i64, utc: bool, fmt: &str) -> String {
    if utc {
        Utc.timestamp_millis_opt(ts_ms)
            .single()
            .map(|d| d.format(fmt).to_string())
    } else {
        Local
            .timestamp_millis_opt(ts_ms)
            .single()
            .map(|d| d.format(fmt).to_string())
    }
    .unwrap_or_else(|| "--".into())
}

/// 300000 → "5m", 86400000 → "1d".
fn span(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
