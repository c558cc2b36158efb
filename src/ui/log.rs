use ratatui::Frame;
use ratatui::layout::Rect;
use tui_logger::TuiLoggerWidget;

use super::fmt::block;
use super::theme::Theme;
use crate::app::{Pane, State};

/// montui's own log (tui-logger).
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let w = TuiLoggerWidget::default()
        .block(block(" Log ", Pane::Log, s, t))
        .output_timestamp(Some("%H:%M:%S".into()))
        .output_target(false)
        .output_file(false)
        .output_line(false)
        .style_error(t.bad)
        .style_warn(t.warn)
        .style_info(t.dim);
    f.render_widget(w, area);
}
