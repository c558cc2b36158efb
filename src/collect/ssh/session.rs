//! One remote host: a long-lived `ssh` running the sampler, its frames turned into samples.
//! The system OpenSSH client in BatchMode (never a prompt; host keys always checked), in its
//! own session so it cannot reach the terminal. A dead or silent connection is restarted
//! with exponential backoff and jitter; every failure is reported with ssh's reason.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use tokio::sync::{Semaphore, mpsc, watch};

use super::super::top::{Pins, TopProcs};
use super::super::{CollectError, SourceMsg};
use super::Target;
use super::stream::Frames;
use crate::logs::feed::LogMsg;
use crate::logs::remote::RemoteLogs;

/// The sampler script, sent on ssh's stdin to `sh -s`.
const SAMPLER: &str = include_str!("sampler.sh");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshOptions {
    /// The ssh client to run.
    pub binary: PathBuf,
    /// `-F`: an ssh config file other than ~/.ssh/config.
    pub config_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// Processes kept per kind (by CPU, by memory).
    pub top: usize,
}

impl Default for SshOptions {
    fn default() -> Self {
        Self {
            binary: "ssh".into(),
            config_file: None,
            connect_timeout: Duration::from_secs(10),
            top: 25,
        }
    }
}

/// ssh's arguments for `t`: options first, then `--`, so nothing after reads as one; the
/// remote command runs the sampler read from stdin.
pub fn ssh_args(t: &Target, o: &SshOptions) -> Vec<String> {
    ssh_command(t, o, &format!("sh -s {}", o.top))
}

/// ssh's arguments for `t` running the fixed `command` (built by montui, never typed).
pub fn ssh_command(t: &Target, o: &SshOptions, command: &str) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "-T".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        format!("ConnectTimeout={}", o.connect_timeout.as_secs().max(1)),
        "-o".into(),
        "ServerAliveInterval=5".into(),
        "-o".into(),
        "ServerAliveCountMax=2".into(),
    ];
    if let Some(f) = &o.config_file {
        a.push("-F".into());
        a.push(f.display().to_string());
    }
    if let Some(p) = t.port {
        a.push("-p".into());
        a.push(p.to_string());
    }
    a.push("--".into());
    a.push(t.destination.clone());
    a.push(command.to_string());
    a
}

/// A host's log files, and where their lines go.
#[derive(Debug)]
pub struct HostLogs {
    pub files: RemoteLogs,
    pub tx: mpsc::Sender<LogMsg>,
}

/// Handshakes in flight at once, over all hosts: each OpenSSH key exchange costs ~95 ms of
/// CPU, so starting (or reconnecting) hundreds of hosts at once would stall the console and
/// time every one of them out.
pub const MAX_CONNECTING: usize = 16;

/// How a host is polled: a sample every `every`, the processes in `pins` kept in each
/// whatever they use (the one followed).
pub struct Poll {
    pub every: Duration,
    pub pins: Pins,
}

/// Watches `t` until `stop`: samples and failures go to `tx` (never blocking on it). A
/// connection holds one of `slots` until its first frame. Log lines go to `logs` (waiting
/// for room: the files keep them meanwhile).
pub async fn run(
    t: Target,
    poll: Poll,
    opts: SshOptions,
    slots: Arc<Semaphore>,
    tx: mpsc::Sender<SourceMsg>,
    mut logs: Option<HostLogs>,
    mut stop: watch::Receiver<bool>,
) {
    let mut failures = 0u32;
    loop {
        let outcome = tokio::select! {
            r = connection(&t, &poll, &opts, &slots, &tx, &mut logs) => r,
            _ = stop.changed() => return,
        };
        // A connection that delivered samples starts the backoff over.
        if outcome.answered {
            failures = 0;
        }
        failures = failures.saturating_add(1);
        let now = chrono::Utc::now().timestamp_millis();
        let _ = tx.try_send(SourceMsg::Failed {
            host: t.name.clone(),
            at: now,
            reason: outcome.reason,
        });
        let wait = backoff(failures, now);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

/// 1 s, 2 s, 4 s … up to a minute, each ±20 % so many hosts do not retry in step.
fn backoff(failures: u32, seed: i64) -> Duration {
    let base = 1000u64 << failures.saturating_sub(1).min(6);
    let base = base.min(60_000) as f64;
    let jitter = ((seed.unsigned_abs().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 11) % 401) as f64
        / 1000.0
        - 0.2;
    Duration::from_millis((base * (1.0 + jitter)) as u64)
}

/// Frames that came unasked on one connection before the host is refused (a sampler answers
/// each ask once: more is a stream nobody controls).
const UNASKED_MAX: u64 = 10;

/// How a connection ended: why, and whether it had delivered samples.
struct Ended {
    reason: String,
    answered: bool,
}

/// The line that asks for a frame: the processes to keep whatever they use, as `pid start`
/// pairs (numbers only: the sampler takes them as keys, never as shell text).
fn ask(pins: &Pins) -> String {
    let mut line = String::new();
    if let Ok(p) = pins.lock() {
        for (pid, start) in p.iter() {
            line.push_str(&format!("{pid} {start} "));
        }
    }
    line.push('\n');
    line
}

fn spawn(t: &Target, o: &SshOptions) -> std::io::Result<Child> {
    let mut cmd = Command::new(&o.binary);
    cmd.args(ssh_args(t, o))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // SAFETY: setsid only detaches the child from our terminal; it is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.spawn()
}

/// One connection, from spawn to its end. The sampler sends a frame at once, then one per
/// line we send it: a line every `interval` while no poll is in flight, so a slow host is
/// never asked twice and the round trip is measured from the ask to the frame's end.
async fn connection(
    t: &Target,
    poll: &Poll,
    o: &SshOptions,
    slots: &Semaphore,
    tx: &mpsc::Sender<SourceMsg>,
    logs: &mut Option<HostLogs>,
) -> Ended {
    let failed = |reason: String, answered| Ended { reason, answered };
    let Ok(mut handshake) = slots.acquire().await.map(Some) else {
        return failed("shutting down".into(), false);
    };
    let mut child = match spawn(t, o) {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot run {}: {e}", o.binary.display()), false),
    };
    let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return failed("ssh has no pipes".into(), false);
    };
    let mut script = logs
        .as_mut()
        .map(|l| l.files.preamble())
        .unwrap_or_default();
    script += SAMPLER;
    if let Err(e) = stdin.write_all(script.as_bytes()).await {
        let why = stderr_reason(&mut child).await;
        return failed(
            why.unwrap_or_else(|| format!("sending the sampler: {e}")),
            false,
        );
    }
    let mut frames = Frames::default();
    let mut clock = Clock::default();
    let interval = poll.every;
    let mut top = TopProcs::with_pins(o.top, poll.pins.clone());
    let mut answered = false;
    // A dead connection shows at once (end of stream); silence is given longer, as a busy
    // host may be late.
    let stall = (interval * 3).max(Duration::from_secs(5));
    let first_wait = o.connect_timeout + interval * 3;
    let deadline = tokio::time::sleep(first_wait);
    tokio::pin!(deadline);
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut asked: Option<Instant> = None;
    // Frames that came unasked (or too fast to have a time of their own), dropped.
    let mut unasked = 0u64;
    loop {
        let read = tokio::select! {
            r = stdout.read_buf(frames.buffer()) => r,
            _ = ticks.tick(), if answered && asked.is_none() => {
                if let Err(e) = stdin.write_all(ask(&poll.pins).as_bytes()).await {
                    let why = stderr_reason(&mut child).await;
                    return failed(why.unwrap_or_else(|| format!("asking: {e}")), true);
                }
                asked = Some(Instant::now());
                continue;
            }
            _ = &mut deadline => {
                let _ = child.kill().await;
                let why = if answered {
                    format!("no sample for {} s: sampler stalled, restarting", stall.as_secs())
                } else {
                    stderr_reason(&mut child)
                        .await
                        .unwrap_or_else(|| format!("no answer in {} s", first_wait.as_secs()))
                };
                return failed(why, answered);
            }
        };
        if !matches!(read, Ok(n) if n > 0) {
            let why = stderr_reason(&mut child).await;
            return failed(
                why.unwrap_or_else(|| "the connection closed".into()),
                answered,
            );
        }
        while let Some(parsed) = frames.next_frame() {
            let rtt_ms = asked.take().map(|at| at.elapsed().as_millis() as u32);
            deadline.as_mut().reset(tokio::time::Instant::now() + stall);
            let now = chrono::Utc::now().timestamp_millis();
            match parsed {
                Ok(f) => {
                    let first = (!answered).then_some(0);
                    if !answered {
                        answered = true;
                        handshake.take();
                        ticks.reset();
                        let _ = tx.try_send(SourceMsg::Connected {
                            host: t.name.clone(),
                            skew_ms: now - f.remote_ms,
                        });
                    }
                    if let Some(l) = logs.as_mut() {
                        for chunk in f.logs {
                            match l.files.take(chunk) {
                                Ok(Some((source, lines))) if !lines.is_empty() => {
                                    let _ = l.tx.send(LogMsg::Lines { source, lines }).await;
                                }
                                Ok(_) => {}
                                Err(reason) => {
                                    let _ = tx.try_send(SourceMsg::Capped {
                                        host: t.name.clone(),
                                        reason,
                                    });
                                }
                            }
                        }
                    }
                    // One frame per ask (the first comes unasked), and a time never ahead
                    // of the console's clock: anything else is dropped.
                    let asked_for = rtt_ms.or(first);
                    let Some(ts) = asked_for.and_then(|_| clock.stamp(f.uptime_ms, now)) else {
                        unasked += 1;
                        if unasked > UNASKED_MAX {
                            let _ = child.kill().await;
                            let why = format!(
                                "refused: {unasked} frames nobody asked for (not montui's sampler?)"
                            );
                            return failed(why, false);
                        }
                        if unasked == 1 {
                            let _ = tx.try_send(SourceMsg::BadFrame {
                                host: t.name.clone(),
                                reason: "frames nobody asked for: dropped".into(),
                            });
                        }
                        continue;
                    };
                    let mut s = f.sample;
                    s.host.clone_from(&t.name);
                    s.ts_ms = ts;
                    let ms = |ticks| super::super::top::ticks_ms(ticks, s.ticks_per_sec);
                    let busy = ms(s.cpu_total.busy());
                    let accounted = f.accounted_ticks.map(ms);
                    s.procs = top.select(std::mem::take(&mut s.procs), Vec::new(), busy, accounted);
                    let _ = tx.try_send(SourceMsg::Sample {
                        raw: Box::new(s),
                        rtt_ms,
                    });
                }
                Err(e @ CollectError::Refused(_)) => {
                    // The backoff is not started over: a host refused again waits longer.
                    let _ = child.kill().await;
                    return failed(e.to_string(), false);
                }
                Err(e) => {
                    let _ = tx.try_send(SourceMsg::BadFrame {
                        host: t.name.clone(),
                        reason: e.to_string(),
                    });
                }
            }
        }
    }
}

/// Sample times: the console's clock at the first frame, then the host's uptime, so the
/// spacing of samples (and so every rate) is exact whatever the network delay.
#[derive(Default)]
struct Clock {
    offset: Option<i64>,
    last: i64,
}

impl Clock {
    /// The time of a frame that arrived at `now`; None for one that cannot have a time of its
    /// own without running ahead of the console's clock (frames faster than it ticks).
    fn stamp(&mut self, uptime_ms: i64, now: i64) -> Option<i64> {
        let ts = self.offset.map(|o| o.saturating_add(uptime_ms));
        // New connection, reboot (uptime went back) or a clock that drifted over 5 s.
        let ts = match ts {
            Some(ts) if ts > self.last && (ts - now).abs() <= 5_000 => ts.min(now),
            _ => {
                self.offset = Some(now.saturating_sub(uptime_ms));
                now
            }
        };
        if ts <= self.last {
            return None;
        }
        self.last = ts;
        Some(ts)
    }
}

/// What ssh said on stderr, as a reason a user can act on.
async fn stderr_reason(child: &mut Child) -> Option<String> {
    let mut err = child.stderr.take()?;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), err.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    let last = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("Warning: Permanently added"))?
        .to_string();
    Some(explain(&text, last))
}

/// ssh's last words, with what to do about them.
fn explain(all: &str, last: String) -> String {
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim_end_matches('.').to_string();
    if all.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
        format!("{clean}: the host key CHANGED; check why, then fix known_hosts (ssh-keygen -R)")
    } else if clean.contains("Host key verification failed") {
        format!("{clean}: unknown host key; run `ssh` to it once to check and accept the key")
    } else if clean.contains("Permission denied") {
        format!("{clean}: authentication refused; add a key to ssh-agent or IdentityFile")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests;
