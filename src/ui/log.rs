use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_logger::{ExtLogRecord, LogFormatter, TuiLoggerWidget, TuiWidgetEvent, TuiWidgetState};

use super::fmt::{block, popup};
use super::theme::Theme;
use crate::app::{Pane, State};
use crate::text::{printable, wrap};

/// montui's own log (tui-logger), newest at the bottom.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let w = TuiLoggerWidget::default()
        .block(block(" Log (Enter: all) ", Pane::Log, s, t))
        .formatter(Box::new(Words::new(t)));
    f.render_widget(w, area);
}

/// The log in a window over the panes (Enter on the Log pane), `s.log_window` pages back.
pub fn render_window(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(pages) = s.log_window else { return };
    let area = popup(f, area);
    let title = if pages == 0 {
        " Log (PgUp/k: older · Esc: close) ".to_string()
    } else {
        format!(" Log, {pages} pages back (PgDn/j: newer · G: newest · Esc: close) ")
    };
    let b = ratatui::widgets::Block::bordered()
        .title(title)
        .border_style(t.focus);
    PAGED.with(|(state, at)| {
        // tui-logger pages from where it drew last: one page a draw (each key draws).
        let event = match (pages, at.get()) {
            (0, now) if now > 0 => Some((TuiWidgetEvent::EscapeKey, 0)),
            (want, now) if want > now => Some((TuiWidgetEvent::PrevPageKey, now + 1)),
            (want, now) if want < now => Some((TuiWidgetEvent::NextPageKey, now - 1)),
            _ => None,
        };
        if let Some((e, to)) = event {
            state.transition(e);
            at.set(to);
        }
        let w = TuiLoggerWidget::default()
            .block(b)
            .formatter(Box::new(Words::new(t)))
            .state(state);
        f.render_widget(w, area);
    });
}

thread_local! {
    /// The log window's paging, and how many pages back it stands.
    static PAGED: (TuiWidgetState, Cell<u16>) = (TuiWidgetState::new(), Cell::new(0));
}

/// A record as `12:04:05 WARN message`, wrapped between words, later lines indented under the
/// message; outside text in it neutralised.
struct Words {
    info: Style,
    warn: Style,
    error: Style,
}

impl Words {
    fn new(t: &Theme) -> Self {
        Self {
            info: t.dim,
            warn: t.warn,
            error: t.bad,
        }
    }
}

/// The time's width and the space after it.
const INDENT: usize = 9;

impl LogFormatter for Words {
    fn min_width(&self) -> u16 {
        INDENT as u16 + 8
    }

    fn format(&self, width: usize, evt: &ExtLogRecord) -> Vec<Line<'_>> {
        let (tag, style) = match evt.level.as_str() {
            "ERROR" => ("ERROR ", self.error),
            "WARN" => ("WARN ", self.warn),
            _ => ("", Style::new()),
        };
        let text = format!("{tag}{}", printable(evt.msg()));
        let time = evt.timestamp.strftime("%H:%M:%S ").to_string();
        wrap(&text, width.saturating_sub(INDENT))
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let head = if i == 0 {
                    Span::styled(time.clone(), self.info)
                } else {
                    Span::raw(" ".repeat(INDENT))
                };
                Line::from(vec![head, Span::styled(l, style)])
            })
            .collect()
    }
}
