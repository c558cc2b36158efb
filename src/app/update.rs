use super::keys::{Action, Key, action_for};
use super::overlays::{details_key, silences_key};
use super::state::{Mode, Pane, Prompt, PromptKind, SortBy, State};

/// Work for the owner of the history cursor, which `update` (no I/O) cannot do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Live → paused: open the recording at its last sample.
    Pause,
    Step(i64),
    First,
    Last,
    /// The chart window changed (`State::zoom`).
    Zoom,
    /// To the next (true) or previous marker: an alert, a gap or restart in the recording.
    Marker(bool),
    /// Acknowledge these alerts (fingerprints).
    Ack(Vec<u64>),
    Unack(u64),
    /// Silence this alert for the typed span ("1h", "until 18:00").
    Silence {
        fingerprint: u64,
        text: String,
    },
    /// End these silences (ids) now.
    Expire(Vec<u64>),
    /// Load the details of this alert.
    Details(u64),
    /// Load the chart of this anomaly: its host, series and start.
    AnomalyChart {
        host: String,
        series: String,
        started_ms: i64,
    },
    /// A typed jump: a duration from the shown time, or a time.
    Jump {
        text: String,
        back: bool,
    },
}

const PAGE: usize = 10;

/// Applies a key to the state. Returns what the cursor owner must do, if anything.
pub fn update(state: &mut State, key: Key) -> Option<Request> {
    if state.prompt.is_some() {
        return prompt_key(state, key);
    }
    if state.silence_list {
        return silences_key(state, key);
    }
    if (state.details.is_some() || state.anomaly_chart.is_some()) && details_key(state, key) {
        return None;
    }
    if state.pattern_open.is_some() && matches!(key, Key::Esc | Key::Enter | Key::Char('q')) {
        state.pattern_open = None;
        return None;
    }
    let action = action_for(key, state.browsing())?;
    state.message = None;
    match action {
        Action::Quit => state.quit = true,
        Action::ToggleHelp => state.help = !state.help,
        Action::Close => {
            if state.help {
                state.help = false;
            } else if state.focus == Pane::Hosts {
                state.host_filter = None;
            } else if state.focus == Pane::Patterns {
                state.pattern_filter = None;
            } else {
                state.filter = None;
            }
        }
        Action::FocusNext => state.focus = cycle(state, 1),
        Action::FocusPrev => state.focus = cycle(state, -1),
        Action::Up => scroll(state, -1),
        Action::Down => scroll(state, 1),
        Action::PageUp => scroll(state, -(PAGE as i64)),
        Action::PageDown => scroll(state, PAGE as i64),
        Action::SortCpu => state.sort = SortBy::Cpu,
        Action::SortMem => state.sort = SortBy::Mem,
        Action::Pause => return Some(Request::Pause),
        Action::Resume => match state.mode {
            Mode::Paused => {
                state.mode = Mode::Live;
                state.pos = None;
                state.playing = false;
            }
            _ => state.message = Some("replay of a recording: there is no live view".into()),
        },
        Action::StepForward => return Some(Request::Step(1)),
        Action::StepBack => return Some(Request::Step(-1)),
        Action::First => return Some(Request::First),
        Action::Ack => {
            return state
                .selected_alert()
                .map(|a| Request::Ack(vec![a.fingerprint]));
        }
        Action::AckAll => {
            let active: Vec<u64> = state
                .alerts_sorted()
                .iter()
                .filter(|a| a.phase != crate::alert::lifecycle::Phase::Resolved && a.ack.is_none())
                .map(|a| a.fingerprint)
                .collect();
            return (!active.is_empty()).then_some(Request::Ack(active));
        }
        Action::Unack => {
            return state
                .selected_alert()
                .map(|a| Request::Unack(a.fingerprint));
        }
        Action::Silence => match state.selected_alert().map(|a| a.fingerprint) {
            Some(fp) => {
                state.prompt = Some(Prompt {
                    kind: PromptKind::Silence(fp),
                    text: String::new(),
                })
            }
            None => state.message = Some("no alert to silence".into()),
        },
        Action::Silences => {
            state.silence_list = true;
            state.silence_selected = 0;
        }
        Action::Details if state.focus == Pane::Hosts => {
            let rows = state.host_rows();
            if let Some(r) = rows.get(state.host_selected.min(rows.len().saturating_sub(1))) {
                let name = r.name.clone();
                state.switch_host(&name);
            }
        }
        Action::Details if state.focus == Pane::Patterns => {
            let rows = state.pattern_rows();
            let at = state.pattern_selected.min(rows.len().saturating_sub(1));
            state.pattern_open = rows.get(at).map(|r| r.id);
        }
        Action::Details if state.focus == Pane::Anomalies && !state.forecast_view => {
            let rows = state.anomaly_rows();
            let at = state.scroll[Pane::Anomalies.index()].min(rows.len().saturating_sub(1));
            match rows.get(at) {
                Some(a) => {
                    return Some(Request::AnomalyChart {
                        host: a.host.clone(),
                        series: a.series.clone(),
                        started_ms: a.started_ms,
                    });
                }
                None => state.message = Some("no anomaly selected".into()),
            }
        }
        Action::Details => match state.selected_alert() {
            Some(a) => return Some(Request::Details(a.fingerprint)),
            None => state.message = Some("no alert selected".into()),
        },
        Action::RawTail if state.raw_tail.is_some() => state.raw_tail = None,
        Action::RawTail if state.focus == Pane::Patterns => {
            let rows = state.pattern_rows();
            let at = state.pattern_selected.min(rows.len().saturating_sub(1));
            state.raw_tail = rows.get(at).map(|r| r.source.clone());
        }
        Action::RawTail => {}
        Action::Forecasts => {
            state.forecast_view = !state.forecast_view;
            state.scroll[Pane::Anomalies.index()] = 0;
        }
        Action::SortHosts if state.focus == Pane::Patterns => {
            state.pattern_sort = state.pattern_sort.next();
        }
        Action::SortHosts => state.host_sort = state.host_sort.next(),
        Action::Filter if state.focus == Pane::Patterns => {
            state.prompt = Some(Prompt {
                kind: PromptKind::PatternFilter,
                text: state.pattern_filter.clone().unwrap_or_default(),
            })
        }
        Action::Filter if state.focus == Pane::Hosts => {
            state.prompt = Some(Prompt {
                kind: PromptKind::HostFilter,
                text: state.host_filter.clone().unwrap_or_default(),
            })
        }
        Action::Filter => {
            state.prompt = Some(Prompt {
                kind: PromptKind::Filter,
                text: state.filter.clone().unwrap_or_default(),
            })
        }
        Action::NextMarker => return Some(Request::Marker(true)),
        Action::PrevMarker => return Some(Request::Marker(false)),
        Action::Last => return Some(Request::Last),
        Action::JumpForward | Action::JumpBack => {
            let kind = if action == Action::JumpBack {
                PromptKind::JumpBack
            } else {
                PromptKind::JumpForward
            };
            state.prompt = Some(Prompt {
                kind,
                text: String::new(),
            });
        }
        Action::PlayPause => state.playing = !state.playing,
        Action::Faster => state.speed = (state.speed * 2).min(64),
        Action::Slower => state.speed = (state.speed / 2).max(1),
        Action::ZoomOut | Action::ZoomIn => {
            let max = crate::replay::ZOOMS_MS.len() - 1;
            state.zoom = if action == Action::ZoomOut {
                (state.zoom + 1).min(max)
            } else {
                state.zoom.saturating_sub(1)
            };
            return Some(Request::Zoom);
        }
    }
    None
}

fn prompt_key(state: &mut State, key: Key) -> Option<Request> {
    let prompt = state.prompt.as_mut()?;
    match key {
        Key::Esc | Key::Ctrl('c') => state.prompt = None,
        Key::Backspace => {
            prompt.text.pop();
        }
        Key::Char(c) => prompt.text.push(c),
        Key::Enter => {
            let p = state.prompt.take()?;
            let words = (!p.text.trim().is_empty()).then(|| p.text.trim().to_string());
            match p.kind {
                PromptKind::Filter => {
                    state.filter = words;
                    state.alert_selected = 0;
                    return None;
                }
                PromptKind::HostFilter => {
                    state.host_filter = words;
                    state.host_selected = 0;
                    return None;
                }
                PromptKind::PatternFilter => {
                    state.pattern_filter = words;
                    state.pattern_selected = 0;
                    return None;
                }
                _ => {}
            }
            if p.text.trim().is_empty() {
                return None;
            }
            return Some(match p.kind {
                PromptKind::Silence(fingerprint) => Request::Silence {
                    fingerprint,
                    text: p.text,
                },
                kind => Request::Jump {
                    text: p.text,
                    back: kind == PromptKind::JumpBack,
                },
            });
        }
        _ => {}
    }
    None
}

/// The next (or previous) pane on screen; the hosts overview only when there are hosts.
fn cycle(state: &State, by: isize) -> Pane {
    let panes: Vec<Pane> = Pane::ALL
        .into_iter()
        .filter(|p| *p != Pane::Hosts || !state.others.is_empty())
        .filter(|p| *p != Pane::Patterns || state.logs.is_some())
        .collect();
    let at = panes.iter().position(|p| *p == state.focus).unwrap_or(0) as isize;
    panes[(at + by).rem_euclid(panes.len() as isize) as usize]
}

/// Moves the selection (processes) or the first shown row (disks, network) within the list.
fn scroll(state: &mut State, by: i64) {
    let snap = state.shown().snapshot.as_ref();
    let rows = match state.focus {
        Pane::Procs => snap.map_or(0, |s| s.procs.len()),
        Pane::Disk => snap.map_or(0, |s| s.fs.len() + s.disks.len()),
        Pane::Net => snap.map_or(0, |s| s.nets.len()),
        Pane::Alerts => state.board.alerts.len(),
        Pane::Hosts => state.others.len() + 1,
        Pane::Patterns => state.pattern_rows().len(),
        Pane::Anomalies if state.forecast_view => state.forecast_rows().len(),
        Pane::Anomalies => state.anomalies.anomalies.len(),
        _ => 0,
    };
    let move_by = |v: usize| (v as i64 + by).clamp(0, rows.saturating_sub(1) as i64) as usize;
    match state.focus {
        Pane::Procs => state.selected = move_by(state.selected),
        Pane::Alerts => state.alert_selected = move_by(state.alert_selected),
        Pane::Hosts => state.host_selected = move_by(state.host_selected),
        Pane::Patterns => state.pattern_selected = move_by(state.pattern_selected),
        p => state.scroll[p.index()] = move_by(state.scroll[p.index()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(mode: Mode) -> State {
        State::new(mode, "h", 1000, 10)
    }

    #[test]
    fn live_keys() {
        let mut s = state(Mode::Live);
        assert_eq!(update(&mut s, Key::Char('p')), Some(Request::Pause));
        update(&mut s, Key::Char('?'));
        assert!(s.help);
        update(&mut s, Key::Esc);
        assert!(!s.help);
        update(&mut s, Key::Tab);
        assert_eq!(s.focus, Pane::Alerts);
        update(&mut s, Key::Tab);
        assert_eq!(s.focus, Pane::Anomalies);
        update(&mut s, Key::Char('f'));
        assert!(s.forecast_view);
        update(&mut s, Key::Tab);
        update(&mut s, Key::Tab);
        assert_eq!(s.focus, Pane::Cpu);
        update(&mut s, Key::BackTab);
        assert_eq!(s.focus, Pane::Log);
        update(&mut s, Key::Char('q'));
        assert!(s.quit);
    }

    #[test]
    fn replay_keys_and_jump_prompt() {
        let mut s = state(Mode::Replay);
        assert_eq!(update(&mut s, Key::Char('t')), Some(Request::Step(1)));
        assert_eq!(update(&mut s, Key::Char('T')), Some(Request::Step(-1)));
        assert_eq!(update(&mut s, Key::Char('G')), Some(Request::Last));
        assert_eq!(update(&mut s, Key::Char('J')), None);
        for c in "10m".chars() {
            update(&mut s, Key::Char(c));
        }
        assert_eq!(
            update(&mut s, Key::Enter),
            Some(Request::Jump {
                text: "10m".into(),
                back: true
            })
        );
        assert!(s.prompt.is_none());
        for _ in 0..10 {
            update(&mut s, Key::Char('+'));
        }
        assert_eq!(s.speed, 64);
        update(&mut s, Key::Char(' '));
        assert!(s.playing);
        assert_eq!(update(&mut s, Key::Char('z')), Some(Request::Zoom));
        update(&mut s, Key::Char('<'));
        assert_eq!(s.zoom, 2);
        for _ in 0..9 {
            update(&mut s, Key::Char('Z'));
        }
        assert_eq!(s.zoom, 0);
        update(&mut s, Key::Char('p'));
        assert_eq!(s.mode, Mode::Replay);
        assert!(s.message.is_some());
    }

    #[test]
    fn selection_stays_inside_the_list() {
        let mut s = state(Mode::Live);
        s.push_live(crate::model::Snapshot {
            host: "h".into(),
            procs: vec![Default::default(); 3],
            ..Default::default()
        });
        for _ in 0..10 {
            update(&mut s, Key::Down);
        }
        assert_eq!(s.selected, 2);
        update(&mut s, Key::Up);
        assert_eq!(s.selected, 1);
        update(&mut s, Key::PageUp);
        assert_eq!(s.selected, 0);
    }

    #[test]
    fn pause_resumes_live() {
        let mut s = state(Mode::Paused);
        update(&mut s, Key::Char('p'));
        assert_eq!(s.mode, Mode::Live);
    }
}
