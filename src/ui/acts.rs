//! Signals and nice values sent from the process list, in the background (an SSH host's may
//! take seconds): what happened comes back as a message for the status bar.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::app::{ProcTarget, Request, State};
use crate::collect::signal::{Act, ProcId, Signaller};

pub struct Acts {
    signaller: Arc<Signaller>,
    tx: mpsc::Sender<String>,
    rx: mpsc::Receiver<String>,
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
        let (signaller, tx) = (self.signaller.clone(), self.tx.clone());
        let id = ProcId {
            host: t.host,
            pid: t.pid,
            start: t.start,
        };
        let done = what.clone();
        tokio::spawn(async move {
            let said = match signaller.act(&id, act).await {
                Ok(()) => format!("{done}: done"),
                Err(e) => e,
            };
            let _ = tx.send(said).await;
        });
        format!("{what}…")
    }

    /// What the next one to end said.
    pub async fn next(&mut self) -> Option<String> {
        self.rx.recv().await
    }
}

/// Starts a signal or renice the user confirmed; other requests pass.
pub fn act(state: &mut State, acts: Option<&Acts>, req: Option<Request>) -> Option<Request> {
    match req {
        Some(Request::Act(target, a)) => {
            state.message = Some(match acts {
                Some(acts) => acts.start(target, a),
                None => "signals go to live processes".into(),
            });
            None
        }
        req => req,
    }
}

pub async fn next_act(acts: &mut Option<Acts>) -> Option<String> {
    match acts {
        Some(a) => a.next().await,
        None => std::future::pending().await,
    }
}
