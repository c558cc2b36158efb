//! Keys while a window is open over the panes: the silence list and an alert's details.

use super::keys::Key;
use super::state::State;
use super::update::Request;

/// The silence list: move, expire the selected one (`x` or Enter), close.
pub fn silences_key(state: &mut State, key: Key) -> Option<Request> {
    let n = state.board.silences.len();
    match key {
        Key::Esc | Key::Char('S') | Key::Char('q') => state.silence_list = false,
        Key::Up | Key::Char('k') => {
            state.silence_selected = state.silence_selected.saturating_sub(1)
        }
        Key::Down | Key::Char('j') => {
            state.silence_selected = (state.silence_selected + 1).min(n.saturating_sub(1))
        }
        Key::Char('x') | Key::Enter => {
            let s = state.board.silences.get(state.silence_selected)?;
            return Some(Request::Expire(vec![s.id]));
        }
        _ => {}
    }
    None
}

/// The details window (an alert's, or an anomaly's chart): Esc, Enter or `q` close it (true:
/// the key was used). Other keys act as usual, so `a` acknowledges the alert shown.
pub fn details_key(state: &mut State, key: Key) -> bool {
    match key {
        Key::Esc | Key::Enter | Key::Char('q') => {
            state.details = None;
            state.anomaly_chart = None;
            true
        }
        _ => false,
    }
}
