//! What the process list does in the background (an SSH host's may take seconds): signals and
//! nice values, whose outcome comes back as a message for the status bar, and the live part
//! of a process's details (working directory, open files).

use std::path::Path;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::app::{Mode, ProcTarget, Request, State};
use crate::collect::inspect::Inspected;
use crate::collect::signal::{Act, ProcId, Signaller};
use crate::proc_details::ProcDetails;

/// What a background act came back with.
pub enum Done {
    /// A message for the status bar.
    Said(String),
    /// A process's working directory and open files, or why not.
    Inspected(ProcId, Result<Inspected, String>),
}

pub struct Acts {
    signaller: Arc<Signaller>,
    tx: mpsc::Sender<Done>,
    rx: mpsc::Receiver<Done>,
}

fn id(t: &ProcTarget) -> ProcId {
    ProcId {
        host: t.host.clone(),
        pid: t.pid,
        start: t.start,
    }
}

impl Acts {
    pub fn new(signaller: Signaller) -> Self {
        let (tx, rx) = mpsc::channel(16);
        Acts {
            signaller: Arc::new(signaller),
            tx,
            rx,
        }
    }

    /// Starts `act` on the process `t`; says so.
    pub fn start(&self, t: ProcTarget, act: Act) -> String {
        let what = match act {
            Act::Signal(s) => format!("SIG{s} to PID {} ({})", t.pid, t.command),
            Act::Renice(n) => format!("nice {n} for PID {} ({})", t.pid, t.command),
        };
        let (signaller, tx, id) = (self.signaller.clone(), self.tx.clone(), id(&t));
        let done = what.clone();
        tokio::spawn(async move {
            let said = match signaller.act(&id, act).await {
                Ok(()) => format!("{done}: done"),
                Err(e) => e,
            };
            let _ = tx.send(Done::Said(said)).await;
        });
        format!("{what}…")
    }

    /// Starts reading the process's working directory and open files.
    fn inspect(&self, t: &ProcTarget) {
        let (signaller, tx, id) = (self.signaller.clone(), self.tx.clone(), id(t));
        tokio::spawn(async move {
            let got = signaller.inspect(&id).await;
            let _ = tx.send(Done::Inspected(id, got)).await;
        });
    }

    /// What the next one to end came back with.
    pub async fn next(&mut self) -> Option<Done> {
        self.rx.recv().await
    }
}

/// Starts a signal or renice the user confirmed, opens a process's details (its history from
/// the recording at `db`); other requests pass.
pub fn act(
    state: &mut State,
    acts: Option<&Acts>,
    db: Option<&Path>,
    req: Option<Request>,
) -> Option<Request> {
    match req {
        Some(Request::Act(target, a)) => {
            state.message = Some(match acts {
                Some(acts) => acts.start(target, a),
                None => "signals go to live processes".into(),
            });
            None
        }
        Some(Request::ProcDetails(target)) => {
            let rows = state.proc_rows();
            let row = rows
                .iter()
                .find(|r| r.pid == target.pid && r.start == target.start);
            let Some(row) = row.map(|r| (*r).clone()) else {
                state.message = Some(format!("PID {} is no longer listed", target.pid));
                return None;
            };
            let now = state.shown_ts().unwrap_or_default();
            let mut d = ProcDetails::load(db, &target.host, &row, now);
            match acts.filter(|_| state.mode != Mode::Replay) {
                Some(acts) => acts.inspect(&target),
                None => d.live = Some(Err("read live only, not recorded".into())),
            }
            state.proc_details = Some(d);
            None
        }
        Some(Request::Follow(target)) => {
            let kept = acts.is_some_and(|a| a.signaller.follow(target.as_ref().map(id).as_ref()));
            if let Some(t) = target.filter(|_| !kept && state.mode != Mode::Replay) {
                state.message = Some(format!(
                    "following PID {} while {} lists it (montui does not collect from it)",
                    t.pid, t.host
                ));
            }
            None
        }
        req => req,
    }
}

/// Takes in what a background act came back with.
pub fn done(state: &mut State, d: Done) {
    match d {
        Done::Said(said) => state.message = Some(said),
        Done::Inspected(id, got) => {
            if let Some(open) = state.proc_details.as_mut()
                && (open.host.as_str(), open.row.pid, open.row.start)
                    == (id.host.as_str(), id.pid, id.start)
            {
                open.live = Some(got);
            }
        }
    }
}

pub async fn next_act(acts: &mut Option<Acts>) -> Option<Done> {
    match acts {
        Some(a) => a.next().await,
        None => std::future::pending().await,
    }
}
