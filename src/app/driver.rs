use super::state::{Mode, ReplayPos, State};
use super::update::Request;
use crate::replay::{ReplayCursor, ZOOMS_MS};
use crate::timeparse::parse_jump;

/// Carries out a cursor request and shows where it landed. `now_ms` anchors "3h ago".
pub fn handle(state: &mut State, cursor: &mut ReplayCursor, req: Request, now_ms: i64) {
    match req {
        Request::Pause => cursor.seek_last(),
        Request::Step(n) => cursor.step(n),
        Request::First => cursor.seek_first(),
        Request::Last => cursor.seek_last(),
        Request::Seek(ts) => cursor.seek_time(ts),
        Request::Zoom => {}
        // Another host: a cursor of its own (the terminal loop opens it); suspending is the
        // terminal loop's too.
        Request::ReplayHost(_) | Request::Suspend => return,
        // Alert commands go to the engine, the outbox's to the history file, not the cursor.
        Request::Ack(_)
        | Request::Unack(_)
        | Request::Silence { .. }
        | Request::Expire(_)
        | Request::Details(_)
        | Request::AnomalyChart { .. }
        | Request::Notices
        | Request::Report(_)
        | Request::RetryNotice(_)
        | Request::DropNotice(_)
        | Request::Act(..)
        | Request::ProcDetails(_)
        | Request::Follow(_) => {
            return;
        }
        Request::Marker(forward) => {
            if !cursor.seek_marker(forward) {
                let way = if forward { "after" } else { "before" };
                state.message = Some(format!("no alert, gap or restart {way} this sample"));
                return;
            }
        }
        Request::Jump { text, back } => match parse_jump(&text, cursor.ts(), now_ms, back) {
            Ok(target) => cursor.seek(target),
            Err(e) => {
                state.message = Some(e);
                return;
            }
        },
    }
    show(state, cursor);
}

/// Loads the cursor's current frame, at the state's zoom, into the state.
pub fn show(state: &mut State, cursor: &mut ReplayCursor) {
    cursor.set_zoom(ZOOMS_MS.get(state.zoom).copied());
    // Replay and pause alike show the recording's lists at the sample on screen.
    let board = cursor.board(&state.policy.inhibitions);
    state.show_recorded_boards(board, cursor.log_board(), cursor.anomaly_board());
    // Replay: the other hosts' figures at that time, for the hosts overview.
    if state.mode == Mode::Replay {
        for (name, other) in state.others.iter_mut() {
            match cursor.latest_of(name) {
                Ok(snap) => other.view.snapshot = snap,
                Err(e) => state.message = Some(format!("{name}: {e}")),
            }
        }
    }
    match cursor.frame() {
        Ok(snaps) => state.show_recorded(
            snaps,
            ReplayPos {
                index: cursor.pos(),
                len: cursor.len(),
                first_ts: cursor.first_ts(),
                last_ts: cursor.last_ts(),
            },
        ),
        Err(e) => state.message = Some(e.to_string()),
    }
}
