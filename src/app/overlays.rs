//! Keys while a window is open over the panes: the silence list, the notifications view and
//! an alert's details. Each owns its keys: none reaches the panes under it.

use super::keys::{Action, Key};
use super::state::{Mode, State};
use super::update::{Request, alert_key};

/// The silence list: move, expire the selected one (`x` or Enter), close.
pub fn silences_key(state: &mut State, key: Key) -> Option<Request> {
    let ids: Vec<u64> = state.board.silences.iter().map(|s| s.id).collect();
    match key {
        Key::Esc | Key::Char('S') | Key::Char('q') => state.silence_list = false,
        Key::Up | Key::Char('k') => state.silence_selected.move_by(&ids, -1, |i| *i),
        Key::Down | Key::Char('j') => state.silence_selected.move_by(&ids, 1, |i| *i),
        Key::Char('x') | Key::Enter => {
            let id = state.silence_selected.get(&ids, |i| *i)?;
            return Some(Request::Expire(vec![*id]));
        }
        _ => {}
    }
    None
}

/// The notifications view: move, retry a dead letter now (`r`), drop one (`x`), close.
pub fn notices_key(state: &mut State, key: Key) -> Option<Request> {
    let rows = state.notices.as_deref().unwrap_or_default();
    let selected = state.notice_selected.get(rows, |r| r.id).cloned();
    let dead = selected.filter(|r| r.state == crate::store::SentState::Dead);
    match key {
        Key::Esc | Key::Char('O') | Key::Char('q') => state.notices = None,
        Key::Up | Key::Char('k') => state.notice_selected.move_by(rows, -1, |r| r.id),
        Key::Down | Key::Char('j') => state.notice_selected.move_by(rows, 1, |r| r.id),
        Key::PageUp => state.notice_selected.move_by(rows, -10, |r| r.id),
        Key::PageDown => state.notice_selected.move_by(rows, 10, |r| r.id),
        Key::Char('r') | Key::Char('x') if dead.is_none() => {
            state.message = Some("not a dead letter: r and x act on dead letters".into());
        }
        Key::Char('r') => return dead.map(|r| Request::RetryNotice(r.id)),
        Key::Char('x') => return dead.map(|r| Request::DropNotice(r.id)),
        _ => {}
    }
    None
}

/// The details window (an alert's, or an anomaly's chart): Esc, Enter or `q` close it; live,
/// `a`, `u` and `s` act on the alert shown.
pub fn details_key(state: &mut State, key: Key) -> Option<Request> {
    let shown = state.details.as_ref().map(|d| d.alert.fingerprint);
    let action = match key {
        Key::Esc | Key::Enter | Key::Char('q') => {
            state.details = None;
            state.anomaly_chart = None;
            return None;
        }
        Key::Char('a') => Action::Ack,
        Key::Char('u') => Action::Unack,
        Key::Char('s') => Action::Silence,
        _ => return None,
    };
    if state.mode != Mode::Live || shown.is_none() {
        return None;
    }
    alert_key(state, action, shown)
}

/// The report window: `d`, `w`, `m` for the day, week or month so far; the list keys scroll
/// it; Esc, `q` or `R` close it.
pub fn summary_key(state: &mut State, key: Key) -> Option<Request> {
    use crate::report::Period;
    let s = state.summary.as_mut()?;
    let most = s.lines.len().saturating_sub(1);
    match key {
        Key::Esc | Key::Char('q') | Key::Char('R') => state.summary = None,
        Key::Char('d') => return Some(Request::Report(Period::Day)),
        Key::Char('w') => return Some(Request::Report(Period::Week)),
        Key::Char('m') => return Some(Request::Report(Period::Month)),
        Key::Down | Key::Char('j') => s.scroll = (s.scroll + 1).min(most),
        Key::Up | Key::Char('k') => s.scroll = s.scroll.saturating_sub(1),
        Key::PageDown => s.scroll = (s.scroll + 10).min(most),
        Key::PageUp => s.scroll = s.scroll.saturating_sub(10),
        Key::Home | Key::Char('g') => s.scroll = 0,
        _ => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Period;

    #[test]
    fn the_report_window_owns_its_keys() {
        let mut s = State::new(Mode::Live, "h", 1000, 10);
        assert_eq!(
            super::super::update(&mut s, Key::Char('R')),
            Some(Request::Report(Period::Day))
        );
        s.summary = Some(super::super::Summary {
            period: Period::Day,
            lines: vec!["a".into(), "b".into(), "c".into()],
            scroll: 0,
        });
        let mut key = |k| super::super::update(&mut s, k);
        assert_eq!(key(Key::Char('w')), Some(Request::Report(Period::Week)));
        assert_eq!(key(Key::Char('m')), Some(Request::Report(Period::Month)));
        // A pane's key (`q` quits there) closes the window instead.
        assert_eq!(key(Key::Char('j')), None);
        assert_eq!(s.summary.as_ref().map(|x| x.scroll), Some(1));
        assert_eq!(super::super::update(&mut s, Key::Char('q')), None);
        assert!(s.summary.is_none());
    }
}
