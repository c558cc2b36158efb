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
