use super::keys::{Action, Key, action_for, panes_for};
use super::overlays::{details_key, notices_key, silences_key, summary_key};
use super::state::{Mode, Pane, ProcTarget, Prompt, PromptKind, SortBy, State};
use crate::alert::lifecycle::Phase;
use crate::collect::signal::{Act, SIGNALS, parse_signal};

/// Work for the owner of the history cursor, which `update` (no I/O) cannot do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Give the terminal back to the shell and stop until resumed (`fg`).
    Suspend,
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
    /// Read the newest notices of the outbox (the notifications view).
    Notices,
    /// A report of the host on screen over this period, so far.
    Report(crate::report::Period),
    /// A dead letter back in the queue, due now (outbox id).
    RetryNotice(i64),
    /// Drop a dead letter (outbox id).
    DropNotice(i64),
    /// Replay another recorded host at the same time.
    ReplayHost(String),
    /// Signal or renice a live process (confirmed in the prompt that named it).
    Act(ProcTarget, Act),
    /// Open the details of this process.
    ProcDetails(ProcTarget),
    /// Browsing history: to the sample at this time (a click on a chart).
    Seek(i64),
    /// Follow this process (None: none): this machine's collector keeps it in every sample.
    Follow(Option<ProcTarget>),
    /// A typed jump: a duration from the shown time, or a time.
    Jump {
        text: String,
        back: bool,
    },
}

const PAGE: usize = 10;

/// Applies a key to the state. Returns what the cursor owner must do, if anything. The open
/// windows are a stack, each owning its keys: the prompt, help, the silence list, a details
/// window or chart; under them the panes, where a key acts on the focused one only.
pub fn update(state: &mut State, key: Key) -> Option<Request> {
    // Suspending works over any window, which is still there on return.
    if super::keys::action_for(key, state.browsing(), state.focus) == Some(Action::Suspend) {
        return Some(Request::Suspend);
    }
    let req = if state.prompt.is_some() {
        prompt_key(state, key)
    } else if let Some(at) = state.help {
        state.help = help_key(at, key);
        None
    } else if state.silence_list {
        silences_key(state, key)
    } else if state.notices.is_some() {
        notices_key(state, key)
    } else if state.summary.is_some() {
        summary_key(state, key)
    } else if state.details.is_some() || state.anomaly_chart.is_some() {
        details_key(state, key)
    } else if state.proc_details.is_some() {
        if matches!(key, Key::Esc | Key::Enter | Key::Char('q')) {
            state.proc_details = None;
        }
        None
    } else if let Some(pages) = state.log_window {
        state.log_window = log_key(pages, key);
        None
    } else if state.pattern_open.is_some() {
        if matches!(key, Key::Esc | Key::Enter | Key::Char('q')) {
            state.pattern_open = None;
        }
        None
    } else {
        pane_key(state, key)
    };
    state.settle();
    req
}

/// Help: `?`, Esc or `q` close it, the list keys scroll it where it does not fit; no key
/// reaches the panes under it.
fn help_key(at: usize, key: Key) -> Option<usize> {
    let most = super::BINDINGS.len() * 2;
    Some(match key {
        Key::Esc | Key::Char('?') | Key::Char('q') | Key::F(1) => return None,
        Key::Down | Key::Char('j') => (at + 1).min(most),
        Key::Up | Key::Char('k') => at.saturating_sub(1),
        Key::PageDown => (at + PAGE).min(most),
        Key::PageUp => at.saturating_sub(PAGE),
        _ => at,
    })
}

/// The log window: older and newer pages, the newest, close.
fn log_key(pages: u16, key: Key) -> Option<u16> {
    Some(match key {
        Key::Esc | Key::Enter | Key::Char('q') => return None,
        Key::PageUp | Key::Up | Key::Char('k') => pages.saturating_add(1),
        Key::PageDown | Key::Down | Key::Char('j') => pages.saturating_sub(1),
        Key::End | Key::Char('G') => 0,
        _ => pages,
    })
}

/// A key on the panes: the action it has in the focused one.
fn pane_key(state: &mut State, key: Key) -> Option<Request> {
    let Some(action) = action_for(key, state.browsing(), state.focus) else {
        let panes = panes_for(key, state.browsing());
        if !panes.is_empty() {
            let names: Vec<&str> = panes.iter().map(|p| p.name()).collect();
            state.message = Some(format!(
                "{}: in the {} pane (Tab to it)",
                key.label(),
                names.join(" or ")
            ));
        }
        return None;
    };
    state.message = None;
    match action {
        Action::Quit => state.quit = true,
        Action::Suspend => return Some(Request::Suspend),
        Action::ToggleHelp => state.help = Some(0),
        Action::Close => match state.focus {
            Pane::Hosts => state.host_filter = None,
            Pane::Patterns => state.pattern_filter = None,
            Pane::Alerts => state.filter = None,
            Pane::Procs => state.proc_filter = None,
            Pane::Metrics => state.metric_filter = None,
            _ => {}
        },
        Action::Tree => state.proc_tree = !state.proc_tree,
        Action::Maximise => state.toggle_maximised(),
        Action::NextLayout => state.next_preset(),
        Action::Hide => state.hide_focused(),
        Action::ShowAll => state.show_all(),
        Action::Kill | Action::NiceDown | Action::NiceUp => state.proc_prompt(action),
        Action::Follow => return state.toggle_follow(),
        // Moving in the list lets go of the process followed, as in htop.
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
            if state.focus == Pane::Procs && state.proc_follow.is_some() =>
        {
            state.proc_follow = None;
            state.move_selection(match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -(PAGE as i64),
                _ => PAGE as i64,
            });
            return Some(Request::Follow(None));
        }
        Action::FocusNext => state.focus = cycle(state, 1),
        Action::FocusPrev => state.focus = cycle(state, -1),
        Action::Up => state.move_selection(-1),
        Action::Down => state.move_selection(1),
        Action::PageUp => state.move_selection(-(PAGE as i64)),
        Action::PageDown => state.move_selection(PAGE as i64),
        Action::SortCpu => state.sort = SortBy::CPU,
        Action::SortMem => state.sort = SortBy::MEM,
        Action::Pause => return Some(Request::Pause),
        Action::Resume => match state.mode {
            Mode::Paused => {
                state.mode = Mode::Live;
                state.pos = None;
                state.playing = false;
                state.resume_boards();
            }
            _ => state.message = Some("replay of a recording: there is no live view".into()),
        },
        Action::StepForward => return Some(Request::Step(1)),
        Action::StepBack => return Some(Request::Step(-1)),
        Action::First => return Some(Request::First),
        Action::Ack | Action::Unack | Action::Silence => {
            let fp = state.selected_alert().map(|a| a.fingerprint);
            return alert_key(state, action, fp);
        }
        Action::AckAll => {
            let firing: Vec<u64> = state
                .alerts_sorted()
                .iter()
                .filter(|a| a.phase == Phase::Firing && a.ack.is_none())
                .map(|a| a.fingerprint)
                .collect();
            if firing.is_empty() {
                state.message = Some("no firing alert to acknowledge".into());
            }
            return (!firing.is_empty()).then_some(Request::Ack(firing));
        }
        Action::Silences => state.silence_list = true,
        Action::Notifications => {
            state.notices = Some(Vec::new());
            return Some(Request::Notices);
        }
        Action::Report => return Some(Request::Report(crate::report::Period::Day)),
        Action::Open => return open(state),
        Action::RawTail if state.raw_tail.is_some() => state.raw_tail = None,
        Action::RawTail => {
            let rows = state.pattern_rows();
            let source = state.pattern_selected.get(&rows, |r| r.id);
            state.raw_tail = source.map(|r| r.source.clone());
        }
        Action::Forecasts => state.forecast_view = !state.forecast_view,
        Action::Sort if state.focus == Pane::Patterns => {
            state.pattern_sort = state.pattern_sort.next();
        }
        Action::Sort if state.focus == Pane::Procs => {
            // The next column shown (RES and MEM% sort alike: one stop).
            let cols = &state.proc_columns;
            let at = cols.iter().position(|c| *c == state.sort.by).unwrap_or(0);
            let next = (cols.iter().cycle().skip(at + 1).take(cols.len()))
                .find(|c| c.describe() != state.sort.by.describe())
                .copied();
            state.sort = SortBy {
                by: next.unwrap_or(state.sort.by),
                reverse: false,
            };
        }
        Action::Sort => state.host_sort = state.host_sort.next(),
        Action::Filter => {
            let (kind, text) = match state.focus {
                Pane::Patterns => (PromptKind::PatternFilter, &state.pattern_filter),
                Pane::Hosts => (PromptKind::HostFilter, &state.host_filter),
                Pane::Procs => (PromptKind::ProcFilter, &state.proc_filter),
                Pane::Metrics => (PromptKind::MetricFilter, &state.metric_filter),
                _ => (PromptKind::Filter, &state.filter),
            };
            state.prompt = Some(Prompt {
                kind,
                text: text.clone().unwrap_or_default(),
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

/// `a`, `u` or `s` on one alert (`fp`): the selected one, or the one whose details are open.
pub(super) fn alert_key(state: &mut State, action: Action, fp: Option<u64>) -> Option<Request> {
    let Some(alert) = fp.and_then(|fp| state.board.get(fp)) else {
        state.message = Some("no alert selected".into());
        return None;
    };
    let fp = alert.fingerprint;
    match action {
        Action::Ack if alert.phase != Phase::Firing => {
            state.message = Some(format!("{} is not firing: nothing to ack", alert.rule));
            None
        }
        Action::Ack => Some(Request::Ack(vec![fp])),
        Action::Unack => Some(Request::Unack(fp)),
        _ => {
            state.prompt = Some(Prompt {
                kind: PromptKind::Silence(fp),
                text: String::new(),
            });
            None
        }
    }
}

/// Enter: opens the focused list's selected item.
fn open(state: &mut State) -> Option<Request> {
    match state.focus {
        Pane::Hosts => {
            let rows = state.host_rows();
            let name = state.host_selected.get(&rows, |r| r.name.clone());
            match name.map(|r| r.name.clone()) {
                Some(name) if state.mode == Mode::Replay && name != state.host => {
                    return Some(Request::ReplayHost(name));
                }
                Some(name) => state.switch_host(&name),
                None => {}
            }
        }
        Pane::Patterns => {
            let rows = state.pattern_rows();
            state.pattern_open = state.pattern_selected.get(&rows, |r| r.id).map(|r| r.id);
        }
        Pane::Log => state.log_window = Some(0),
        Pane::Procs => return state.proc_target().map(Request::ProcDetails),
        Pane::Anomalies => match state.selected_anomaly() {
            Some(a) => {
                return Some(Request::AnomalyChart {
                    host: a.host.clone(),
                    series: a.series.clone(),
                    started_ms: a.started_ms,
                });
            }
            None => state.message = Some("no anomaly selected".into()),
        },
        _ => match state.selected_alert() {
            Some(a) => return Some(Request::Details(a.fingerprint)),
            None => state.message = Some("no alert selected".into()),
        },
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
        // As in a shell: Ctrl-U clears the line, Ctrl-W the word before the cursor.
        Key::Ctrl('u') => prompt.text.clear(),
        Key::Ctrl('w') => {
            let kept = prompt.text.trim_end().rfind(' ').map_or(0, |i| i + 1);
            prompt.text.truncate(kept);
        }
        Key::Char(c) => prompt.text.push(c),
        Key::Enter => {
            let p = state.prompt.take()?;
            let words = (!p.text.trim().is_empty()).then(|| p.text.trim().to_string());
            match p.kind {
                PromptKind::Filter => {
                    state.filter = words;
                    state.alert_selected.reset();
                    return None;
                }
                PromptKind::HostFilter => {
                    state.host_filter = words;
                    state.host_selected.reset();
                    return None;
                }
                PromptKind::PatternFilter => {
                    state.pattern_filter = words;
                    state.pattern_selected.reset();
                    return None;
                }
                PromptKind::ProcFilter => {
                    state.proc_filter = words;
                    state.proc_selected.reset();
                    return None;
                }
                PromptKind::MetricFilter => {
                    state.metric_filter = words;
                    state.metric_selected.reset();
                    return None;
                }
                _ => {}
            }
            if p.text.trim().is_empty() {
                return None;
            }
            return match p.kind {
                PromptKind::Silence(fingerprint) => Some(Request::Silence {
                    fingerprint,
                    text: p.text,
                }),
                PromptKind::Signal(target) => match parse_signal(&p.text) {
                    Some(s) => Some(Request::Act(target, Act::Signal(s))),
                    None => {
                        let names: Vec<&str> = SIGNALS.iter().map(|(n, _)| *n).collect();
                        state.message = Some(format!(
                            "{}: not a signal here ({}, or their numbers)",
                            p.text.trim(),
                            names.join(", ")
                        ));
                        None
                    }
                },
                PromptKind::Renice(target) => match p.text.trim().parse::<i32>() {
                    Ok(n) if (-20..=19).contains(&n) => Some(Request::Act(target, Act::Renice(n))),
                    _ => {
                        state.message = Some(format!("nice {}: from -20 to 19", p.text.trim()));
                        None
                    }
                },
                kind => Some(Request::Jump {
                    text: p.text,
                    back: kind == PromptKind::JumpBack,
                }),
            };
        }
        _ => {}
    }
    None
}

/// The next (or previous) pane on screen; the hosts overview only when there are hosts.
fn cycle(state: &State, by: isize) -> Pane {
    let panes = state.panes_shown();
    if panes.is_empty() {
        return state.focus;
    }
    let at = panes.iter().position(|p| *p == state.focus).unwrap_or(0) as isize;
    panes[(at + by).rem_euclid(panes.len() as isize) as usize]
}

#[cfg(test)]
mod tests;
