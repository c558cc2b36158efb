use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::time::{Instant, sleep_until};

use super::acts::{Acts, act, done, next_act};
use super::input::{key, mouse, pointer};
use super::terminal::{self, Tui};
use super::{Theme, draw};
use crate::alert::silence::parse_prompt;
use crate::app::{self, Mode, Recording, Request, State};
use crate::collect::signal::Signaller;
use crate::details;
use crate::engine::{Engine, EngineCommand, EngineEvent, Latest};
use crate::replay::ReplayCursor;
use crate::store::Store;

/// Where the shown data comes from.
pub enum Source {
    /// This machine, sampled by the engine; `db` is where it records (pause browses it);
    /// `signaller` reaches its processes and the SSH hosts' (the process list's signals).
    Live {
        engine: Engine,
        db: Option<PathBuf>,
        signaller: Signaller,
    },
    /// A recording.
    Replay(Box<ReplayCursor>),
}

/// Runs the UI until the user quits or SIGTERM, SIGINT, SIGHUP or SIGQUIT arrives; Ctrl-Z
/// and SIGTSTP suspend it. The terminal is restored on
/// every way out, panics included (ratatui's hook chains the previous one).
pub async fn run(state: State, source: Source, look: Look) -> anyhow::Result<()> {
    let mut terminal = terminal::init()?;
    if look.mouse {
        mouse(true)?;
        // A panic gives the terminal back without mouse reports too (ratatui's hook restores
        // the rest).
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = mouse(false);
            before(info);
        }));
    }
    let result = event_loop(&mut terminal, state, source, &look).await;
    if look.mouse {
        mouse(false)?;
    }
    terminal::restore();
    result
}

/// How the UI looks and takes input.
pub struct Look {
    /// Shortest time between two redraws.
    pub frame_interval: Duration,
    pub theme: Theme,
    /// Clicks and the wheel (off: the terminal's own selection of text).
    pub mouse: bool,
}

async fn event_loop(
    terminal: &mut Tui,
    mut state: State,
    source: Source,
    look: &Look,
) -> anyhow::Result<()> {
    let (frame_interval, theme) = (look.frame_interval, &look.theme);
    let (mut engine, db, mut cursor, mut acts) = match source {
        Source::Live {
            engine,
            db,
            signaller,
        } => (Some(engine), db, None, Some(Acts::new(signaller))),
        Source::Replay(c) => (None, None, Some(*c), None),
    };
    if let Some(c) = cursor.as_mut() {
        app::show(&mut state, c);
    }
    let mut events = engine.as_mut().and_then(|e| e.events.take());
    // `terminal` receivers write through this terminal while the UI runs.
    let notes = engine.as_ref().and_then(|e| e.stats.notify.clone());
    if let Some(h) = &notes {
        h.attach_terminal(true);
    }
    let log_board = engine.as_ref().and_then(|e| e.log_board.clone());
    let mut input = EventStream::new();
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut tstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut follow = tokio::time::interval(Duration::from_secs(1));
    // Live, ages go on with the wall clock though a host stops sending samples.
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    state.clock_ms = Some(now_ms());
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut next_play = Instant::now();
    while !state.quit {
        if dirty && Instant::now() >= next_frame {
            tui_logger::move_events();
            terminal.draw(|f| draw(f, &state, theme))?;
            dirty = false;
            next_frame = Instant::now() + frame_interval;
        }
        let playing = state.playing && cursor.is_some();
        tokio::select! {
            ev = input.next() => match ev {
                Some(Ok(Event::Key(k))) => {
                    if let Some(key) = key(k) {
                        let req = app::update(&mut state, key);
                        if matches!(req, Some(Request::Suspend)) {
                            if look.mouse {
                                mouse(false)?;
                            }
                            terminal::suspend(terminal)?;
                            if look.mouse {
                                mouse(true)?;
                            }
                        }
                        let req = alert_command(&mut state, engine.as_ref(), req);
                        let path = db.as_deref().or_else(|| cursor.as_ref().map(|c| c.db_path()));
                        let req = act(&mut state, acts.as_ref(), path, req);
                        request(&mut state, &mut cursor, db.as_deref(), req);
                        if state.mode == Mode::Live {
                            cursor = None;
                        }
                        next_play = Instant::now() + play_step(&state);
                    }
                    dirty = true;
                }
                Some(Ok(Event::Mouse(m))) => {
                    if let Some(p) = pointer(m) {
                        let req = app::pointer(&mut state, p);
                        let req = alert_command(&mut state, engine.as_ref(), req);
                        request(&mut state, &mut cursor, db.as_deref(), req);
                        dirty = true;
                    }
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(ev) = recv(&mut events) => {
                state.clock_ms = Some(now_ms());
                apply(&mut state, ev);
                while let Some(ev) = events.as_mut().and_then(|rx| rx.try_recv().ok()) {
                    apply(&mut state, ev);
                }
                if let Some(e) = &engine {
                    status(&mut state, e);
                }
                state.settle();
                dirty |= state.mode == Mode::Live || state.mode == Mode::Paused;
            },
            Some(d) = next_act(&mut acts) => {
                done(&mut state, d);
                dirty = true;
            },
            board = next_board(&log_board) => {
                state.engine_logs(*board);
                state.settle();
                dirty |= state.mode == Mode::Live;
            },
            _ = sleep_until(next_frame), if dirty => {},
            _ = sleep_until(next_play), if playing => {
                if let Some(c) = cursor.as_mut() {
                    if c.at_end() {
                        state.playing = false;
                    } else {
                        app::handle(&mut state, c, Request::Step(1), now_ms());
                    }
                }
                next_play = Instant::now() + play_step(&state);
                dirty = true;
            },
            _ = follow.tick(), if cursor.is_some() => {
                if let Some(c) = cursor.as_mut() {
                    let was = c.pos();
                    // Replay sticks to the newest sample; a pause stays where the user is.
                    match c.follow(state.mode == Mode::Replay) {
                        Ok(0) => {}
                        Ok(_) if c.pos() != was => { app::show(&mut state, c); dirty = true; }
                        Ok(_) => {
                            if let Some(p) = state.pos.as_mut() {
                                p.len = c.len();
                                p.last_ts = c.last_ts();
                            }
                            dirty = true;
                        }
                        Err(e) => tracing::warn!("reading new samples: {e}"),
                    }
                }
            },
            _ = clock.tick(), if engine.is_some() => {
                state.clock_ms = Some(now_ms());
                if let Some(h) = &notes {
                    tell(&h.take_terminal());
                }
                if state.notices.is_some() {
                    if let Err(e) = outbox(&mut state, db.as_deref(), &Request::Notices) {
                        state.message = Some(e);
                    }
                    dirty = true;
                }
                // Samples redraw the screen; with none coming, the ages still move.
                dirty |= state.stale_ms().is_some();
            },
            _ = term.recv() => break,
            _ = hup.recv() => break,
            _ = int.recv() => break,
            _ = quit.recv() => break,
            _ = tstp.recv() => {
                terminal::suspend(terminal)?;
                dirty = true;
            },
        }
    }
    if let Some(h) = &notes {
        h.attach_terminal(false);
    }
    // Readers first, so the writer's close can checkpoint and remove the WAL.
    drop(cursor);
    if let Some(e) = engine {
        e.stop().await;
    }
    Ok(())
}

/// Writes `terminal` receivers' notes (escape sequences and a bell) between frames.
fn tell(notes: &[String]) {
    use std::io::Write;
    if notes.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    for n in notes {
        let _ = out.write_all(n.as_bytes());
    }
    let _ = out.flush();
}

async fn recv(rx: &mut Option<tokio::sync::mpsc::Receiver<EngineEvent>>) -> Option<EngineEvent> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn next_board<T>(slot: &Option<std::sync::Arc<Latest<T>>>) -> T {
    match slot {
        Some(s) => s.take().await,
        None => std::future::pending().await,
    }
}

fn apply(state: &mut State, ev: EngineEvent) {
    match ev {
        EngineEvent::Sample { snap, rtt_ms } => {
            if let Some(ms) = rtt_ms {
                state.host_rtt(&snap.host, ms);
            }
            state.push_live(*snap);
        }
        EngineEvent::Host { host, state: h } => state.host_state(host, h),
        EngineEvent::Alerts(board) => state.engine_alerts(board),
        EngineEvent::Anomalies(board) => state.engine_anomalies(*board),
    }
}

/// Recording, drop figures and receivers from the engine into the status bar.
fn status(state: &mut State, engine: &Engine) {
    state.dropped = engine.stats.dropped();
    if let Some(h) = &engine.stats.notify {
        state.receivers = h.snapshot();
    }
    if let Some(w) = &engine.stats.writer {
        state.recording = match w.error() {
            Some(e) => Recording::Failed(e),
            None => Recording::On,
        };
    }
}

fn request(
    state: &mut State,
    cursor: &mut Option<ReplayCursor>,
    db: Option<&std::path::Path>,
    req: Option<Request>,
) {
    let Some(req) = req else { return };
    if let Request::Report(period) = req {
        let path = db.or_else(|| cursor.as_ref().map(|c| c.db_path()));
        let at = state.shown_ts().unwrap_or_else(now_ms);
        let lines = (path.ok_or_else(|| "not recording: no history to report on".to_string()))
            .and_then(|p| crate::report::so_far(p, &state.host, period, at));
        match lines {
            Ok(lines) => {
                state.summary = Some(app::Summary {
                    period,
                    lines,
                    scroll: 0,
                })
            }
            Err(e) => state.message = Some(e),
        }
        return;
    }
    if matches!(
        req,
        Request::Notices | Request::RetryNotice(_) | Request::DropNotice(_)
    ) {
        let path = db.or_else(|| cursor.as_ref().map(|c| c.db_path()));
        if let Err(e) = outbox(state, path, &req) {
            state.message = Some(e);
        }
        return;
    }
    if matches!(req, Request::Details(_) | Request::AnomalyChart { .. }) {
        let path = db
            .map(std::path::Path::to_path_buf)
            .or_else(|| cursor.as_ref().map(|c| c.db_path().to_path_buf()))
            .ok_or_else(|| "not recording: no details to read".to_string());
        let now = match state.mode {
            Mode::Replay => state.shown_ts().unwrap_or_else(now_ms),
            _ => now_ms(),
        };
        let loaded = path.and_then(|p| match req {
            Request::AnomalyChart {
                host,
                series,
                started_ms,
            } => {
                let shown = state
                    .anomaly_rows()
                    .into_iter()
                    .find(|a| a.host == host && a.series == series && a.started_ms == started_ms);
                let a = shown.ok_or("this anomaly is no longer listed")?;
                let chart = details::load_anomaly(&p, a, now)?;
                state.anomaly_chart = Some(chart);
                Ok(())
            }
            Request::Details(fp) => {
                state.details = Some(details::load(&p, &state.policy, fp, now)?);
                Ok(())
            }
            _ => Ok(()),
        });
        if let Err(e) = loaded {
            state.message = Some(e);
        }
        return;
    }
    if let Request::ReplayHost(name) = &req {
        let Some(c) = cursor.as_mut() else { return };
        match c.for_host(name) {
            Ok(other) => {
                *c = other;
                state.replayed_host(name);
                app::show(state, c);
            }
            Err(e) => state.message = Some(format!("{name}: {e}")),
        }
        return;
    }
    if req == Request::Pause {
        let opened = db
            .ok_or_else(|| "not recording: nothing to step back through".to_string())
            .and_then(|db| Store::open_reader(db).map_err(|e| e.to_string()))
            .and_then(|store| {
                let window = state.history_len;
                ReplayCursor::open(store, Some(&state.host), None, None, window)
                    .map_err(|e| e.to_string())
            });
        match opened {
            Ok(c) => {
                state.mode = Mode::Paused;
                *cursor = Some(c);
            }
            Err(e) => {
                state.message = Some(e);
                return;
            }
        }
    }
    if let Some(c) = cursor.as_mut() {
        app::handle(state, c, req, now_ms());
    }
}

/// The notifications view's requests: read the newest notices; retry or drop a dead letter
/// (then read again).
fn outbox(state: &mut State, db: Option<&std::path::Path>, req: &Request) -> Result<(), String> {
    let db = db.ok_or("not recording: no notices to show")?;
    let e = |e: crate::store::StoreError| e.to_string();
    match req {
        Request::RetryNotice(id) => {
            let done = Store::open_outbox(db)
                .map_err(e)?
                .retry_dead(*id, now_ms())
                .map_err(e)?;
            state.message = Some(
                if done {
                    "queued again: due now"
                } else {
                    "no longer a dead letter"
                }
                .into(),
            );
        }
        Request::DropNotice(id) => {
            let done = Store::open_outbox(db)
                .map_err(e)?
                .drop_dead(*id)
                .map_err(e)?;
            state.message = Some(
                if done {
                    "dead letter dropped"
                } else {
                    "no longer a dead letter"
                }
                .into(),
            );
        }
        _ => {}
    }
    let rows = Store::open_reader(db)
        .map_err(e)?
        .sent(None, NOTICES_SHOWN)
        .map_err(e)?;
    state.notices = Some(rows.into_iter().map(Into::into).collect());
    Ok(())
}

/// Notices the notifications view reads (the newest).
const NOTICES_SHOWN: usize = 200;

/// Sends alert requests to the engine; passes every other request on.
fn alert_command(
    state: &mut State,
    engine: Option<&Engine>,
    req: Option<Request>,
) -> Option<Request> {
    let commands: Vec<EngineCommand> = match req {
        Some(Request::Ack(fps)) => {
            let by = user();
            fps.into_iter()
                .map(|fingerprint| EngineCommand::Ack {
                    fingerprint,
                    by: by.clone(),
                })
                .collect()
        }
        Some(Request::Unack(fingerprint)) => vec![EngineCommand::Unack { fingerprint }],
        Some(Request::Silence { fingerprint, text }) => {
            let alert = state.board.get(fingerprint)?;
            match parse_prompt(&text, alert, now_ms()) {
                Ok((matchers, ends_at)) => vec![EngineCommand::Silence {
                    matchers,
                    ends_at,
                    by: user(),
                }],
                Err(e) => {
                    state.message = Some(e);
                    return None;
                }
            }
        }
        Some(Request::Expire(ids)) => vec![EngineCommand::Expire { ids }],
        other => return other,
    };
    let Some(engine) = engine else {
        state.message = Some("a recording: alerts are changed from the live montui".into());
        return None;
    };
    for c in commands {
        if engine.commands.try_send(c).is_err() {
            state.message = Some("busy: acknowledge again in a moment".into());
        }
    }
    None
}

/// Who acknowledges or silences: the login name.
fn user() -> String {
    std::env::var("USER").unwrap_or_else(|_| "montui".into())
}

fn play_step(state: &State) -> Duration {
    Duration::from_millis((state.interval_ms.max(1) as u64) / state.speed.max(1) as u64)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
