//! The report window (`R`): the host on screen over the day, week or month so far, as
//! `montui report` writes it in Markdown; `d`, `w`, `m` switch the period, the list keys
//! scroll.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use crate::app::State;
use crate::report::Period;

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(summary) = &s.summary else { return };
    let w = area.width.saturating_sub(4).min(120);
    let h = area.height.saturating_sub(2).max(3);
    let period = match summary.period {
        Period::Day => "today",
        Period::Week => "this week",
        Period::Month => "this month",
    };
    let title = format!(
        " Report of {} {period} so far (d w m · j k: scroll · Esc: close) ",
        s.host
    );
    let inner = super::overlay::window(f, area, (w, h), &title, t);
    let lines: Vec<Line> = (summary.lines.iter().skip(summary.scroll))
        .take(usize::from(inner.height))
        .map(|l| match l.starts_with('#') {
            true => Line::styled(l.trim_start_matches('#').trim_start().to_string(), t.title),
            false => Line::raw(l.as_str()),
        })
        .collect();
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
