//! Drawing with ratatui, and the terminal loop. Views read `&State` only: no I/O, no clock.

mod acts;
mod alerts;
mod anomalies;
mod cpu;
mod details;
mod fmt;
pub mod hits;
mod hosts;
mod input;
mod io;
mod layout;
pub mod lean;
mod load;
mod log;
mod mem;
mod metrics;
mod notices;
mod overlay;
mod pattern_details;
mod patterns;
mod proc_details;
mod procs;
mod run;
mod status;
mod summary;
mod terminal;
pub mod theme;

pub use run::{Look, Source, run};
pub use status::format_time;
pub use theme::Theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{Pane, State};

/// The smallest terminal the panes fit in.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Draws the whole screen.
pub fn draw(f: &mut Frame, s: &State, t: &Theme) {
    let area = f.area();
    hits::clear();
    f.buffer_mut().set_style(area, t.base);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        overlay::too_small(f, area, MIN_SIZE, t);
        return;
    }
    let [status, panes] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    status::render(f, status, s, t);
    if let Some(screen) = s.screen() {
        for (pane, rect) in layout::place(&screen, panes, s, t) {
            draw_pane(f, pane, rect, s, t);
        }
    }
    details::render(f, area, s, t);
    details::render_anomaly(f, area, s, t);
    proc_details::render(f, area, s, t);
    pattern_details::render(f, area, s, t);
    log::render_window(f, area, s, t);
    overlay::silences(f, area, s, t);
    notices::render(f, area, s, t);
    summary::render(f, area, s, t);
    if let Some(scroll) = s.help {
        overlay::help(f, area, scroll, t);
    }
    overlay::prompt(f, area, s, t);
    neutralise(f.buffer_mut());
}

/// Whatever a view drew from outside text (labels, log lines, ssh's words), no control or
/// bidi override reaches the terminal: a cell of one alone shows U+FFFD; one riding on another
/// character (a grapheme with it) is dropped from the cell.
fn neutralise(buf: &mut ratatui::buffer::Buffer) {
    let ok = |c: char| crate::text::harmless(c) && c != '\n' && c != '\t';
    for cell in &mut buf.content {
        if cell.symbol().chars().all(ok) {
            continue;
        }
        let kept: String = cell.symbol().chars().filter(|c| ok(*c)).collect();
        cell.set_symbol(if kept.is_empty() { "\u{fffd}" } else { &kept });
    }
}

/// Draws one pane into `area`: the layout uses it, and so do the per-pane snapshot tests.
pub fn draw_pane(f: &mut Frame, pane: Pane, area: Rect, s: &State, t: &Theme) {
    hits::pane(pane, area);
    match pane {
        Pane::Cpu => cpu::render(f, area, s, t),
        Pane::Mem => mem::render(f, area, s, t),
        Pane::Load => load::render(f, area, s, t),
        Pane::Disk => io::render_disk(f, area, s, t),
        Pane::Net => io::render_net(f, area, s, t),
        Pane::Procs => procs::render(f, area, s, t),
        Pane::Alerts => alerts::render(f, area, s, t),
        Pane::Anomalies => anomalies::render(f, area, s, t),
        Pane::Log => log::render(f, area, s, t),
        Pane::Hosts => hosts::render(f, area, s, t),
        Pane::Patterns => patterns::render(f, area, s, t),
        Pane::Metrics => metrics::render(f, area, s, t),
    }
}

/// Draws the help overlay alone, scrolled `scroll` lines (for its snapshot test).
pub fn draw_help(f: &mut Frame, scroll: usize, t: &Theme) {
    overlay::help(f, f.area(), scroll, t);
}
