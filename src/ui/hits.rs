//! Where the last frame drew each pane and its list's rows and columns, so a mouse event at a
//! cell can be told as a `Pointer` (which pane, row, column). Kept by the drawing thread.

use std::cell::RefCell;

use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::app::{Pane, Pointer};

/// A pane as drawn.
#[derive(Debug, Clone)]
struct Hit {
    pane: Pane,
    area: Rect,
    rows: Option<Rows>,
    /// Charts drawn in it: where, and how many of its newest values (one a column).
    charts: Vec<(Rect, usize)>,
}

/// A list as drawn in a pane: its heading (if any), its rows and the first one's index.
#[derive(Debug, Clone)]
struct Rows {
    heading: Option<u16>,
    body: Rect,
    offset: usize,
    columns: Vec<Rect>,
    /// What each column is, where a click on its heading sorts (else empty).
    keys: Vec<&'static str>,
}

thread_local! {
    static HITS: RefCell<Vec<Hit>> = const { RefCell::new(Vec::new()) };
}

/// A new frame: nothing drawn yet.
pub fn clear() {
    HITS.with(|h| h.borrow_mut().clear());
}

/// `pane` was drawn in `area`.
pub fn pane(pane: Pane, area: Rect) {
    HITS.with(|h| {
        h.borrow_mut().push(Hit {
            pane,
            area,
            rows: None,
            charts: Vec::new(),
        })
    });
}

/// `pane`'s table was drawn inside `inner` (its block's inner area), with a heading row or
/// not, its first shown row the `offset`-th of the list, in columns of `widths` named `keys`
/// (empty: none sorts).
pub fn table(
    pane: Pane,
    inner: Rect,
    heading: bool,
    offset: usize,
    widths: &[Constraint],
    keys: &[&'static str],
) {
    let columns = Layout::horizontal(widths.iter().copied())
        .spacing(1)
        .split(inner)
        .to_vec();
    let skip = u16::from(heading).min(inner.height);
    let body = Rect {
        y: inner.y + skip,
        height: inner.height - skip,
        ..inner
    };
    let rows = Rows {
        heading: heading.then_some(inner.y),
        body,
        offset,
        columns,
        keys: keys.to_vec(),
    };
    HITS.with(|h| {
        if let Some(hit) = h.borrow_mut().iter_mut().rev().find(|h| h.pane == pane) {
            hit.rows = Some(rows);
        }
    });
}

/// A chart of the history's `shown` newest values (one a column, from the left) was drawn in
/// `area`, inside the pane drawn last there.
pub fn chart(area: Rect, shown: usize) {
    HITS.with(|h| {
        let mut h = h.borrow_mut();
        if let Some(hit) = h
            .iter_mut()
            .rev()
            .find(|h| h.area.contains(area.as_position()))
        {
            hit.charts.push((area, shown));
        }
    });
}

/// A click at column `x`, row `y` of the screen, as the last frame drew it.
pub fn click(x: u16, y: u16) -> Option<Pointer> {
    let at = Position { x, y };
    HITS.with(|h| {
        let h = h.borrow();
        let hit = h.iter().rev().find(|h| h.area.contains(at))?;
        let (mut row, mut column) = (None, None);
        // On a chart's values: how many samples back from the newest.
        let back = (hit.charts.iter().find(|(a, _)| a.contains(at)))
            .and_then(|(a, shown)| (shown - 1).checked_sub(usize::from(x - a.x)));
        if let Some(r) = &hit.rows {
            if r.heading == Some(y) {
                column = (r.columns.iter().position(|c| c.x <= x && x < c.right()))
                    .and_then(|i| r.keys.get(i).copied());
            } else if r.body.contains(at) {
                row = Some(r.offset + usize::from(y - r.body.y));
            }
        }
        Some(Pointer::Click {
            pane: hit.pane,
            row,
            column,
            back,
        })
    })
}

/// The pane under column `x`, row `y`.
pub fn pane_at(x: u16, y: u16) -> Option<Pane> {
    match click(x, y)? {
        Pointer::Click { pane, .. } | Pointer::Wheel { pane, .. } => Some(pane),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_is_told_as_pane_row_and_column() {
        clear();
        pane(Pane::Cpu, Rect::new(0, 0, 40, 10));
        pane(Pane::Procs, Rect::new(0, 10, 40, 10));
        let inner = Rect::new(1, 11, 38, 8);
        let widths = [
            Constraint::Length(7),
            Constraint::Fill(1),
            Constraint::Length(7),
        ];
        table(
            Pane::Procs,
            inner,
            true,
            5,
            &widths,
            &["pid", "command", "cpu"],
        );
        let at = |x, y| click(x, y);
        assert_eq!(
            at(3, 2),
            Some(Pointer::Click {
                pane: Pane::Cpu,
                row: None,
                column: None,
                back: None,
            })
        );
        assert_eq!(
            at(3, 12),
            Some(Pointer::Click {
                pane: Pane::Procs,
                row: Some(5),
                column: None,
                back: None,
            }),
            "the first row shown is the list's sixth"
        );
        assert_eq!(
            at(35, 11),
            Some(Pointer::Click {
                pane: Pane::Procs,
                row: None,
                column: Some("cpu"),
                back: None,
            }),
            "the third heading"
        );
        assert_eq!(at(3, 30), None);
        assert_eq!(pane_at(0, 19), Some(Pane::Procs));
    }
}
