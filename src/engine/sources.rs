//! The collectors as tasks, all feeding one bounded channel: this machine sampled on a timer
//! (one collection in flight), each remote host by its own ssh session.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::MissedTickBehavior;

use crate::collect::ssh::session::HostLogs;
use crate::collect::ssh::{SshOptions, Target, session};
use crate::collect::top::Pins;
use crate::collect::{Collector, SourceMsg};
use crate::config::{ScrapeHost, ScrapeTarget};
use crate::logs::feed::LogMsg;
use crate::logs::remote::RemoteLogs;

/// Room for samples on their way to the engine; a full channel drops (counted by the sender).
pub const SOURCE_CHANNEL: usize = 256;

/// What to watch.
pub struct Sources {
    /// This machine, if watched.
    pub local: Option<Box<dyn Collector>>,
    /// Remote hosts, each with its sampling interval.
    pub remote: Vec<(Target, Duration)>,
    /// Remote hosts' processes kept whatever they use (the one followed), by host name.
    pub pins: HashMap<String, Pins>,
    /// Hosts read from their node_exporter.
    pub scraped: Vec<ScrapeHost>,
    /// Exporters whose series ride on a host's samples.
    pub scrapes: Vec<ScrapeTarget>,
    /// Fleets read through a Prometheus HTTP API.
    pub fleets: Vec<crate::config::FleetSource>,
    /// The StatsD listener's socket, bound.
    pub statsd: Option<crate::collect::statsd::Bound>,
    pub ssh: SshOptions,
    /// Logs to follow and mine (the engine starts them).
    pub logs: super::LogSetup,
}

impl Sources {
    /// Starts every collector; they stop when `stop` changes. Remote hosts' log lines go
    /// to `logs`.
    pub fn spawn(
        mut self,
        interval: Duration,
        stop: &watch::Receiver<bool>,
        logs: &mpsc::Sender<LogMsg>,
    ) -> mpsc::Receiver<SourceMsg> {
        let (tx, rx) = mpsc::channel(SOURCE_CHANNEL);
        let here =
            (self.local.as_ref()).map_or_else(|| "localhost".into(), |c| c.host().to_string());
        if let Some(bound) = self.statsd
            && let Err(e) = crate::collect::statsd::spawn(bound, &here, tx.clone(), stop.clone())
        {
            tracing::error!("StatsD listener not started: {e}");
        }
        for f in self.fleets {
            tokio::spawn(crate::collect::fleet::run(f, tx.clone(), stop.clone()));
        }
        for t in self.scrapes {
            let host = t.host.clone().unwrap_or_else(|| here.clone());
            let task = crate::collect::scrape_target(t, host, tx.clone(), stop.clone());
            tokio::spawn(task);
        }
        if let Some(c) = self.local {
            tokio::spawn(local(c, interval, tx.clone(), stop.clone()));
        }
        let slots = Arc::new(Semaphore::new(session::MAX_CONNECTING));
        for (t, every) in self.remote {
            let ssh = self.ssh.clone();
            let slots = slots.clone();
            let files = self.logs.remote.remove(&t.name).map(RemoteLogs::new);
            let host_logs = files.map(|files| HostLogs {
                files,
                tx: logs.clone(),
            });
            let (tx, stop) = (tx.clone(), stop.clone());
            let pins = self.pins.remove(&t.name).unwrap_or_default();
            let poll = session::Poll { every, pins };
            tokio::spawn(session::run(t, poll, ssh, slots, tx, host_logs, stop));
        }
        for h in self.scraped {
            tokio::spawn(crate::collect::scrape_host(h, tx.clone(), stop.clone()));
        }
        rx
    }
}

/// This machine, every `interval`; a failed collection is reported, not fatal.
async fn local(
    mut collector: Box<dyn Collector>,
    interval: Duration,
    tx: mpsc::Sender<SourceMsg>,
    mut stop: watch::Receiver<bool>,
) {
    let host = collector.host().to_string();
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        // One collection in flight: the collector moves into the blocking task and back.
        let Ok((c, result)) = tokio::task::spawn_blocking(move || {
            let r = collector.collect();
            (collector, r)
        })
        .await
        else {
            tracing::error!("collector task panicked; sampling of {host} stopped");
            return;
        };
        collector = c;
        let msg = match result {
            Ok(raw) => SourceMsg::Sample {
                raw: Box::new(raw),
                rtt_ms: None,
            },
            Err(e) => SourceMsg::Failed {
                host: host.clone(),
                at: chrono::Utc::now().timestamp_millis(),
                reason: e.to_string(),
            },
        };
        let _ = tx.try_send(msg);
    }
}
