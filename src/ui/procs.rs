use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

use super::fmt::{List, block, bytes, draw_list, pct};
use super::theme::Theme;
use crate::app::{Pane, State};
use crate::model::{EXITED, ProcColumn, ProcRow, command};

/// The processes with the columns chosen (`[ui] process_columns`), sorted by any of them
/// (`P`, `M`, `o`/F6, a click on a heading); the selection moves with ↑/↓. Where the pane is
/// too narrow the columns that say least go first (`DROP`); PID, CPU% and the command stay.
pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let arrow = if s.sort.reverse { " ↑" } else { "" };
    let tree = if s.proc_tree { " · tree" } else { "" };
    let words = s
        .proc_filter
        .as_ref()
        .map(|w| format!(" /{w}"))
        .unwrap_or_default();
    let lines = s.proc_lines();
    let follow = match &s.proc_follow {
        Some(f)
            if lines
                .iter()
                .any(|l| (l.row.pid, l.row.start) == (f.pid, f.start)) =>
        {
            format!(" · following {}", f.pid)
        }
        Some(f) => format!(" · {} not listed", f.pid),
        None => String::new(),
    };
    let title = format!(
        " Processes (by {}{arrow}){tree}{words}{follow} ",
        s.sort.by.describe()
    );
    let b = block(&title, Pane::Procs, s, t);
    let view = s.shown();
    let total_mem = view.snapshot.as_ref().map_or(0, |x| x.mem.total);
    let columns = fitting(&s.proc_columns, area.width.saturating_sub(2));
    let rows = lines.iter().map(|l| {
        let cells = columns.iter().map(|c| {
            let text = match c {
                ProcColumn::Command if l.row.pid != 0 => format!("{}{}", l.tree, command(l.row)),
                c => cell(*c, l.row, total_mem),
            };
            aligned(*c, text)
        });
        Row::new(cells.collect::<Vec<_>>())
    });
    let widths: Vec<Constraint> = columns.iter().map(|c| width(*c)).collect();
    let keys: Vec<&'static str> = columns.iter().map(|c| c.key()).collect();
    let heading =
        Row::new(columns.iter().map(|c| aligned(*c, c.heading().to_string()))).style(t.title);
    let table = Table::new(rows, widths.iter().copied())
        .header(heading)
        .block(b)
        .row_highlight_style(t.selected);
    let selected = (s.focus == Pane::Procs)
        .then(|| s.proc_selected.index(&lines, |l| l.row.pid))
        .flatten();
    let list = List {
        pane: Pane::Procs,
        table,
        widths: &widths,
        keys: &keys,
        heading: true,
    };
    draw_list(f, area, list, selected);
}

/// The columns that go first where the pane is too narrow, first to last.
const DROP: [ProcColumn; 10] = [
    ProcColumn::Priority,
    ProcColumn::Threads,
    ProcColumn::Nice,
    ProcColumn::Write,
    ProcColumn::Read,
    ProcColumn::Time,
    ProcColumn::State,
    ProcColumn::Mem,
    ProcColumn::User,
    ProcColumn::Res,
];

/// The narrowest the command may be.
const COMMAND_MIN: u16 = 12;

fn width(c: ProcColumn) -> Constraint {
    match c {
        ProcColumn::Command => Constraint::Fill(1),
        c => Constraint::Length(fixed(c)),
    }
}

fn fixed(c: ProcColumn) -> u16 {
    match c {
        ProcColumn::Pid => 7,
        ProcColumn::User => 8,
        ProcColumn::Priority | ProcColumn::Nice | ProcColumn::Threads => 3,
        ProcColumn::State => 1,
        ProcColumn::Cpu => 6,
        ProcColumn::Res => 6,
        ProcColumn::Mem => 5,
        ProcColumn::Time => 9,
        ProcColumn::Read | ProcColumn::Write => 8,
        ProcColumn::Command => COMMAND_MIN,
    }
}

/// The chosen columns that fit in `width` cells, dropping the ones that say least first.
fn fitting(chosen: &[ProcColumn], width: u16) -> Vec<ProcColumn> {
    let mut shown = chosen.to_vec();
    let need = |cols: &[ProcColumn]| -> u16 {
        let gaps = cols.len().saturating_sub(1) as u16;
        cols.iter().map(|c| fixed(*c)).sum::<u16>() + gaps
    };
    for drop in DROP {
        if need(&shown) <= width {
            break;
        }
        shown.retain(|c| *c != drop);
    }
    shown
}

/// A cell of column `c`: figures right-aligned, as htop writes them, so their digits line up;
/// names and the state left.
fn aligned(c: ProcColumn, text: String) -> Line<'static> {
    match c {
        ProcColumn::User | ProcColumn::State | ProcColumn::Command => Line::from(text),
        _ => Line::from(text).right_aligned(),
    }
}

fn cell(c: ProcColumn, p: &ProcRow, total_mem: u64) -> String {
    // `<exited>` (PID 0): only its CPU is known.
    if p.pid == 0 {
        return match c {
            ProcColumn::Cpu => pct(p.cpu),
            ProcColumn::Time => time_plus(p.time_ms),
            ProcColumn::Command => format!("{EXITED} processes that ended between samples"),
            _ => String::new(),
        };
    }
    match c {
        ProcColumn::Pid => p.pid.to_string(),
        ProcColumn::User => crate::text::fit(&p.user, 8).into_owned(),
        ProcColumn::Priority => p.priority.to_string(),
        ProcColumn::Nice => p.nice.to_string(),
        ProcColumn::State => p.state.to_string().replace('\0', " "),
        ProcColumn::Threads => p.threads.to_string(),
        ProcColumn::Cpu => pct(p.cpu),
        ProcColumn::Res => bytes(p.rss as f64),
        ProcColumn::Mem if total_mem > 0 => {
            format!("{:.1}", p.rss as f64 * 100.0 / total_mem as f64)
        }
        ProcColumn::Mem => String::new(),
        ProcColumn::Time => time_plus(p.time_ms),
        ProcColumn::Read => p.read.map_or_else(|| "—".into(), bytes),
        ProcColumn::Write => p.write.map_or_else(|| "—".into(), bytes),
        ProcColumn::Command => command(p).to_string(),
    }
}

/// CPU time as htop's TIME+: minutes:seconds.hundredths, hours from 100 minutes on.
pub(super) fn time_plus(ms: u64) -> String {
    let (cs, s) = ((ms / 10) % 100, (ms / 1000) % 60);
    let m = ms / 60_000;
    if m >= 100 {
        format!("{}h{:02}:{s:02}", m / 60, m % 60)
    } else {
        format!("{m}:{s:02}.{cs:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_reads_as_htop_writes_it() {
        assert_eq!(time_plus(0), "0:00.00");
        assert_eq!(time_plus(83_450), "1:23.45");
        assert_eq!(time_plus(7_384_000), "2h03:04");
    }

    #[test]
    fn narrow_panes_drop_what_says_least_and_keep_pid_cpu_and_the_command() {
        let all = ProcColumn::ALL;
        assert_eq!(fitting(&all, 200), all.to_vec());
        let narrow = fitting(&all, 38);
        assert_eq!(
            narrow,
            [
                ProcColumn::Pid,
                ProcColumn::Cpu,
                ProcColumn::Res,
                ProcColumn::Command
            ],
            "38 cells"
        );
        assert_eq!(
            fitting(&all, 10),
            [ProcColumn::Pid, ProcColumn::Cpu, ProcColumn::Command]
        );
    }
}
