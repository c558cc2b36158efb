//! The mouse, as the UI reports it (`Pointer`: which pane, which row, which column; the
//! terminal's cells are the UI's business): a click focuses a pane and selects the row under
//! it, a click on a column's heading sorts by it, the wheel scrolls the list under it. A
//! window over the panes owns the wheel as it owns the keys; clicks do not reach under it.

use super::keys::Key;
use super::state::{Pane, SortBy, State};
use super::update::{Request, update};
use crate::model::ProcColumn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    /// A click in `pane`: on the `row`-th row of its list (0: the first shown), or on the
    /// heading of a `column` (its name in config: `cpu`, `res`).
    Click {
        pane: Pane,
        row: Option<usize>,
        column: Option<&'static str>,
        /// On a chart of the history: this many samples back from the newest shown.
        back: Option<usize>,
    },
    /// The wheel over `pane` (or over a window), down or up.
    Wheel { pane: Pane, down: bool },
}

/// Applies a pointer event; what the cursor owner must do, if anything.
pub fn pointer(state: &mut State, p: Pointer) -> Option<Request> {
    let window = state.window_open();
    match p {
        Pointer::Wheel { pane, down } => {
            if !window {
                state.focus = pane;
            }
            update(state, if down { Key::Down } else { Key::Up })
        }
        Pointer::Click { .. } if window => None,
        Pointer::Click {
            pane,
            back: Some(back),
            ..
        } => {
            state.focus = pane;
            let ts = &state.shown().history.ts;
            let at = (ts.len().checked_sub(1 + back)).and_then(|i| ts.get(i).copied());
            match at {
                Some(ts) if state.browsing() => return Some(Request::Seek(ts)),
                Some(_) => {
                    state.message = Some("p pauses: then a click on a chart goes there".into())
                }
                None => {}
            }
            None
        }
        Pointer::Click {
            pane, row, column, ..
        } => {
            state.focus = pane;
            if let Some(c) = column {
                sort_by_column(state, pane, c);
            }
            if let Some(r) = row {
                state.move_selection(i64::MIN / 2);
                state.move_selection(r as i64);
            }
            state.settle();
            // A host's row: shown in the panes, as Enter does.
            if pane == Pane::Hosts && row.is_some() {
                return update(state, Key::Enter);
            }
            None
        }
    }
}

/// A click on a heading of the process list sorts by its column; on the one it is sorted by,
/// the other way round.
fn sort_by_column(state: &mut State, pane: Pane, column: &str) {
    let Some(by) = ProcColumn::parse(column).filter(|_| pane == Pane::Procs) else {
        return;
    };
    state.sort = SortBy {
        by,
        reverse: state.sort.by == by && !state.sort.reverse,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProcRow, Snapshot};

    fn state() -> State {
        let mut s = State::new(crate::app::Mode::Live, "vm", 1000, 60);
        let procs = (1..=5)
            .map(|i| ProcRow {
                pid: i * 100,
                name: format!("p{i}"),
                cpu: Some(f64::from(i)),
                rss: u64::from(6 - i),
                ..Default::default()
            })
            .collect();
        s.live.snapshot = Some(Snapshot {
            procs,
            ..Default::default()
        });
        s
    }

    fn selected(s: &State) -> Option<u32> {
        s.proc_selected
            .get(&s.proc_rows(), |p| p.pid)
            .map(|p| p.pid)
    }

    #[test]
    fn a_click_focuses_the_pane_and_selects_the_row_under_it_by_identity() {
        let mut s = state();
        s.focus = Pane::Alerts;
        let click = |row| Pointer::Click {
            pane: Pane::Procs,
            row: Some(row),
            column: None,
            back: None,
        };
        pointer(&mut s, click(2));
        assert_eq!(s.focus, Pane::Procs);
        // By CPU: 500, 400, 300, …
        assert_eq!(selected(&s), Some(300));
        pointer(&mut s, click(0));
        assert_eq!(selected(&s), Some(500));
        pointer(&mut s, click(99));
        assert_eq!(selected(&s), Some(100), "past the end: the last row");
        // A click on the RES heading sorts by memory; the selection stays on its process.
        let heading = |column| Pointer::Click {
            pane: Pane::Procs,
            row: None,
            column: Some(column),
            back: None,
        };
        pointer(&mut s, heading("res"));
        assert_eq!(s.sort, SortBy::MEM);
        assert_eq!(selected(&s), Some(100));
        // Again: the other way round (the smallest first).
        pointer(&mut s, heading("res"));
        assert!(s.sort.reverse);
        assert_eq!(s.proc_rows()[0].pid, 500);
        pointer(&mut s, heading("pid"));
        assert_eq!((s.sort.by, s.sort.reverse), (ProcColumn::Pid, false));
        assert_eq!(s.proc_rows()[0].pid, 100);
    }

    #[test]
    fn the_wheel_scrolls_the_pane_under_it_and_a_window_owns_it() {
        let mut s = state();
        pointer(
            &mut s,
            Pointer::Wheel {
                pane: Pane::Procs,
                down: true,
            },
        );
        pointer(
            &mut s,
            Pointer::Wheel {
                pane: Pane::Procs,
                down: true,
            },
        );
        assert_eq!((s.focus, selected(&s)), (Pane::Procs, Some(300)));
        s.help = Some(0);
        pointer(
            &mut s,
            Pointer::Wheel {
                pane: Pane::Alerts,
                down: true,
            },
        );
        assert_eq!((s.focus, s.help), (Pane::Procs, Some(1)), "help scrolled");
        let click = Pointer::Click {
            pane: Pane::Alerts,
            row: Some(0),
            column: None,
            back: None,
        };
        pointer(&mut s, click);
        assert_eq!(s.focus, Pane::Procs, "the click stays in the window");
    }

    #[test]
    fn a_click_on_a_chart_goes_there_while_browsing_and_says_how_live() {
        let mut s = state();
        s.live.history.ts.extend([1_000, 2_000, 3_000]);
        let on_chart = Pointer::Click {
            pane: Pane::Cpu,
            row: None,
            column: None,
            back: Some(2),
        };
        assert_eq!(pointer(&mut s, on_chart), None);
        assert!(s.message.as_deref().is_some_and(|m| m.contains("p pauses")));
        s.mode = crate::app::Mode::Replay;
        s.browsed.history.ts.extend([1_000, 2_000, 3_000]);
        assert_eq!(pointer(&mut s, on_chart), Some(Request::Seek(1_000)));
        let past = Pointer::Click {
            pane: Pane::Cpu,
            row: None,
            column: None,
            back: Some(3),
        };
        assert_eq!(pointer(&mut s, past), None, "before the first sample shown");
    }
}
