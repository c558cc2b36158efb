//! One thread per receiver takes its due notices from the outbox, oldest first, and records
//! each attempt's outcome there: delivered, retried after a backoff (1 s … 5 min), or given up
//! (older than the receiver's `give_up`, or refused for good). A notice waiting for its retry
//! holds back the receiver's later ones, so they arrive in order and a receiver that is down
//! is tried once per backoff, not once per notice. A receiver's failures are said when they
//! start and when they end, not at each retry; its health is shared (`Health`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::health::Health;
use super::{
    Failure, Kind, Receiver, alertmanager, command, desktop, email, ntfy, opsgenie, pagerduty,
    redact, slack, terminal, view, webhook,
};
use crate::store::{Bell, Outcome, Pending, Store, backoff_ms};

/// Time between two looks at the outbox when nothing was due.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// The delivery threads; dropping this stops them (what is pending stays in the outbox).
pub struct Delivery {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Notices taken from the outbox at a time (their outcomes recorded together).
const BATCH: usize = 64;

/// Time between two refreshes of a receiver's counts (pending, dead letters).
const COUNT_EVERY_MS: i64 = 2000;

/// Starts a thread per receiver on the outbox of the history at `db`; each keeps its
/// receiver's `health`, and looks at the outbox when `bell` rings (new notices) or every half
/// second.
pub fn spawn(receivers: &[Receiver], db: &Path, health: &Arc<Health>, bell: &Bell) -> Delivery {
    let stop = Arc::new(AtomicBool::new(false));
    let threads = (receivers.iter())
        .filter_map(|r| {
            let (r, db, stop) = (r.clone(), db.to_path_buf(), stop.clone());
            let (health, bell) = (health.clone(), bell.clone());
            std::thread::Builder::new()
                .name(format!("montui-notify-{}", r.name))
                .spawn(move || run(&r, &db, &stop, (&health, &bell)))
                .ok()
        })
        .collect();
    Delivery { stop, threads }
}

/// Reads `r`'s counts from the outbox into its health; a receiver with nothing failed left
/// (no retrying notice, no dead letter) is no longer failing.
fn count(r: &Receiver, store: &Store, health: &Health) {
    match store.receiver_state(&r.name) {
        Ok(st) => health.update(&r.name, |h| {
            (h.pending, h.dead) = (st.pending, st.dead);
            if st.dead == 0 && st.failing_since.is_none() {
                (h.failing_since, h.next_attempt_ms) = (None, None);
            } else if h.failing_since.is_none() {
                h.failing_since = st.failing_since.or(Some(now_ms()));
                h.last_error = h.last_error.take().or(st.last_error);
            }
        }),
        Err(e) => tracing::warn!("notify {}: reading the outbox: {e}", r.name),
    }
}

/// What an attempt's outcome does to the receiver's health.
fn record(h: &mut super::health::ReceiverHealth, outcome: &Outcome, now: i64) {
    match outcome {
        Outcome::Delivered => {
            (h.failing_since, h.next_attempt_ms, h.last_error) = (None, None, None);
            h.last_delivered_ms = Some(now);
        }
        Outcome::Retry { next_ms, error } => {
            h.failing_since.get_or_insert(now);
            (h.next_attempt_ms, h.last_error) = (Some(*next_ms), Some(error.clone()));
        }
        Outcome::Dead { error } => {
            h.failing_since.get_or_insert(now);
            (h.next_attempt_ms, h.last_error) = (None, Some(error.clone()));
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn run(r: &Receiver, db: &Path, stop: &AtomicBool, (health, bell): (&Health, &Bell)) {
    let store = match Store::open_outbox(db) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("notify {}: cannot open the outbox: {e}", r.name);
            return;
        }
    };
    let mut failing = false;
    let mut counted = i64::MIN;
    let mut rung = bell.rung();
    while !stop.load(Ordering::Relaxed) {
        if now_ms().saturating_sub(counted) >= COUNT_EVERY_MS {
            count(r, &store, health);
            counted = now_ms();
        }
        let due = match store.due(&r.name, now_ms(), BATCH) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!("notify {}: reading the outbox: {e}", r.name);
                Vec::new()
            }
        };
        // Outcomes are recorded a batch at a time (one transaction): a notice delivered but
        // not yet recorded when montui is killed is sent once more, never more.
        let mut done = Vec::with_capacity(due.len());
        for p in &due {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let now = now_ms();
            let (outcome, _) = attempt(r, p, now, Some(health));
            match (&outcome, failing) {
                (Outcome::Delivered, true) => {
                    failing = false;
                    tracing::info!("notify {}: delivering again", r.name);
                }
                (Outcome::Retry { error, .. } | Outcome::Dead { error }, false) => {
                    failing = true;
                    tracing::warn!("notify {}: {error} (retrying with backoff)", r.name);
                }
                _ => {}
            }
            if let Outcome::Dead { error } = &outcome {
                tracing::warn!("notify {}: notice {} given up: {error}", r.name, p.notice);
            }
            health.update(&r.name, |h| record(h, &outcome, now));
            let retry = matches!(outcome, Outcome::Retry { .. });
            done.push((p.id, outcome, now));
            if retry {
                // The later notices wait behind this one.
                break;
            }
        }
        if let Err(e) = store.record(&done) {
            tracing::warn!("notify {}: recording attempts: {e}", r.name);
        }
        if due.is_empty() {
            rung = bell.wait(rung, LOOK_EVERY);
        }
    }
}

/// One attempt at `p`, and what the receiver answered when it took it. Neither holds a
/// secret of the receiver.
pub(super) fn attempt(
    r: &Receiver,
    p: &Pending,
    now: i64,
    health: Option<&Health>,
) -> (Outcome, Option<String>) {
    if now.saturating_sub(p.created_ms) > r.give_up_ms {
        let error = format!("not delivered within {} s", r.give_up_ms / 1000);
        return (Outcome::Dead { error }, None);
    }
    let t = r.timeout;
    // The words, for the kinds that show them (a webhook sends its payload as queued).
    let read = || {
        let n = view::Notice::parse(&p.payload);
        let w = view::Words::of(&n, r.title.as_deref(), r.body.as_deref());
        (n, w)
    };
    let result = match &r.kind {
        Kind::Command { argv } => {
            let (n, words) = read();
            let status = match n.firing().count() {
                0 => "resolved",
                _ => "firing",
            };
            let env = [
                ("MONTUI_NOTICE_ID", p.notice.as_str()),
                ("MONTUI_RECEIVER", r.name.as_str()),
                ("MONTUI_STATUS", status),
                ("MONTUI_TITLE", words.title.as_str()),
            ];
            command::run(argv, t, &p.payload, &env).map_err(Failure::retry)
        }
        Kind::Webhook(w) => webhook::send(w, p, t),
        Kind::Slack(s) => slack::send(s, p, t, &read().1),
        Kind::Email(e) => email::send(e, p, t, &read().1),
        Kind::Alertmanager(m) => alertmanager::send(m, p, now, t),
        Kind::PagerDuty(d) => pagerduty::send(d, p, t),
        Kind::Opsgenie(o) => opsgenie::send(o, p, t),
        Kind::Ntfy(k) => ntfy::send(k, p, t, &read().1),
        Kind::Terminal(k) => terminal::send(k, health, &read().1),
        Kind::Desktop(_) => {
            let (n, words) = read();
            desktop::send(&n, &words)
        }
    };
    let f = match result {
        Ok(said) => return (Outcome::Delivered, Some(redact(&said, &r.secrets()))),
        Err(f) => f,
    };
    let error = redact(&f.error, &r.secrets());
    let outcome = match (f.permanent, f.retry_after_ms) {
        (true, _) => Outcome::Dead { error },
        (false, Some(after)) => Outcome::Retry {
            next_ms: now + after.max(1000),
            error,
        },
        (false, None) => Outcome::Retry {
            next_ms: now + backoff_ms(p.attempts, p.id),
            error,
        },
    };
    (outcome, None)
}
