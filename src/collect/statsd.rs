//! `[statsd]`: a UDP listener for StatsD and DogStatsD lines on its own thread, aggregated
//! per flush into series of a watched host: counters as running totals (so `derive()` makes
//! `…_per_second` of them), gauges, timers' p50/p90/p99 from a sketch and their count, sets'
//! distinct members. Malformed lines are counted and said once a minute, never fatal.

mod parse;
pub mod sketch;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::SourceMsg;
use crate::config::StatsdListen;
use crate::model::Series;
use parse::Kind;
use sketch::Sketch;

/// The quantiles a timer gives per flush.
const QUANTILES: [(f64, &str); 3] = [(0.5, "0.5"), (0.9, "0.9"), (0.99, "0.99")];
/// Flushes a series may go untouched before it is forgotten.
const IDLE_FLUSHES: u32 = 60;

/// What the listener took, for the bench and the tests.
#[derive(Debug, Default)]
pub struct Counts {
    pub packets: AtomicU64,
    pub lines: AtomicU64,
    pub malformed: AtomicU64,
    /// Lines of series past the cap.
    pub over_cap: AtomicU64,
}

/// The socket bound, before the listener runs (a port taken stops montui at start).
pub struct Bound {
    socket: UdpSocket,
    cfg: StatsdListen,
    pub counts: Arc<Counts>,
}

/// Binds `cfg.listen`; an error says which address and why.
pub fn bind(cfg: &StatsdListen) -> Result<Bound, String> {
    let socket = UdpSocket::bind(cfg.listen)
        .map_err(|e| format!("[statsd] cannot listen on {}: {e}", cfg.listen))?;
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .map_err(|e| format!("[statsd] {e}"))?;
    receive_buffer(&socket);
    Ok(Bound {
        socket,
        cfg: cfg.clone(),
        counts: Arc::default(),
    })
}

/// Room for bursts: a datagram takes about a kilobyte of the socket's buffer whatever its
/// size, so the usual 208 KB holds a few hundred packets. 8 MB, or what the system allows.
fn receive_buffer(socket: &UdpSocket) {
    use std::os::fd::AsRawFd;
    let size: libc::c_int = 8 << 20;
    for opt in [libc::SO_RCVBUFFORCE, libc::SO_RCVBUF] {
        // SAFETY: setsockopt reads `size` (a c_int, its length given) on our own socket.
        let r = unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                opt,
                (&size as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if r == 0 {
            return;
        }
    }
}

impl Bound {
    pub fn addr(&self) -> Option<std::net::SocketAddr> {
        self.socket.local_addr().ok()
    }
}

/// Serves `bound` on a thread of its own until `stop`; the series go to `tx` for `host`
/// (the config's, else this machine) every flush.
pub fn spawn(
    bound: Bound,
    here: &str,
    tx: mpsc::Sender<SourceMsg>,
    stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let Bound {
        socket,
        cfg,
        counts,
    } = bound;
    let host = cfg.host.clone().unwrap_or_else(|| here.to_string());
    let mut agg = Aggregator::new(cfg.max_series);
    let (every, counts2) = (cfg.every, counts);
    tracing::info!(
        "StatsD on udp://{}",
        socket.local_addr().unwrap_or(cfg.listen)
    );
    std::thread::Builder::new()
        .name("statsd".into())
        .spawn(move || {
            let mut batch = Batch::new();
            let mut next_flush = Instant::now() + every;
            let mut next_say = Instant::now() + Duration::from_secs(60);
            let mut said_malformed = 0;
            while !*stop.borrow() {
                let n = batch.receive(&socket);
                counts2.packets.fetch_add(n as u64, Ordering::Relaxed);
                for i in 0..n {
                    agg.packet(batch.packet(i), &counts2);
                }
                let now = Instant::now();
                if now >= next_flush {
                    next_flush = now + every;
                    let series = agg.flush(chrono::Utc::now().timestamp_millis());
                    let source = "statsd".to_string();
                    let msg = SourceMsg::Series {
                        host: host.clone(),
                        source,
                        series,
                    };
                    let _ = tx.try_send(msg);
                }
                if now >= next_say {
                    next_say = now + Duration::from_secs(60);
                    let bad = counts2.malformed.load(Ordering::Relaxed);
                    if bad > said_malformed {
                        let why = agg.last_bad.take().unwrap_or_default();
                        tracing::warn!(
                            "StatsD: {} malformed lines in the last minute (the last: {why})",
                            bad - said_malformed
                        );
                        said_malformed = bad;
                    }
                }
            }
        })
        .map(drop)
}

/// Packets taken per system call (recvmmsg), each up to the largest UDP payload.
const BATCH: usize = 16;
const PACKET_MAX: usize = 65_536;

/// Buffers for `recvmmsg`: the kernel fills up to `BATCH` packets per call.
struct Batch {
    bufs: Vec<u8>,
    iovs: Vec<libc::iovec>,
    msgs: Vec<libc::mmsghdr>,
}

// SAFETY: the raw pointers point into `bufs` and `iovs`, owned by the same value and moved
// with it; the thread that owns it is the only one that uses them.
unsafe impl Send for Batch {}

impl Batch {
    fn new() -> Self {
        let mut bufs = vec![0u8; BATCH * PACKET_MAX];
        let mut iovs: Vec<libc::iovec> = (bufs.chunks_mut(PACKET_MAX))
            .map(|b| libc::iovec {
                iov_base: b.as_mut_ptr().cast(),
                iov_len: PACKET_MAX,
            })
            .collect();
        let msgs = (iovs.iter_mut())
            .map(|iov| {
                // SAFETY: mmsghdr is plain data; all zeros is a valid empty header.
                let mut m: libc::mmsghdr = unsafe { std::mem::zeroed() };
                m.msg_hdr.msg_iov = iov;
                m.msg_hdr.msg_iovlen = 1;
                m
            })
            .collect();
        Self { bufs, iovs, msgs }
    }

    /// Waits (up to the socket's read timeout) for packets; how many came.
    fn receive(&mut self, socket: &UdpSocket) -> usize {
        use std::os::fd::AsRawFd;
        debug_assert_eq!(self.iovs.len(), BATCH);
        // SAFETY: `msgs` holds BATCH headers whose buffers (in `bufs`) live as long as self;
        // the kernel writes at most PACKET_MAX bytes into each.
        let n = unsafe {
            libc::recvmmsg(
                socket.as_raw_fd(),
                self.msgs.as_mut_ptr(),
                BATCH as libc::c_uint,
                libc::MSG_WAITFORONE,
                std::ptr::null_mut(),
            )
        };
        usize::try_from(n).unwrap_or(0)
    }

    /// The `i`th packet of the last `receive`.
    fn packet(&self, i: usize) -> &[u8] {
        let len = (self.msgs[i].msg_len as usize).min(PACKET_MAX);
        &self.bufs[i * PACKET_MAX..i * PACKET_MAX + len]
    }
}

#[derive(Debug)]
enum Agg {
    Counter(f64),
    Gauge(f64),
    Timer(Sketch, f64),
    Set(HashSet<u64>),
}

#[derive(Debug)]
struct Entry {
    /// The identity it is indexed by.
    id: Box<str>,
    name: String,
    labels: Vec<(String, String)>,
    agg: Agg,
    /// A counter's running total at the last flush, and when.
    prev: Option<(i64, f64)>,
    idle: u32,
}

/// Lines by series between flushes.
pub struct Aggregator {
    /// Identity (`name|type|#tags` as written) → entry.
    index: HashMap<Box<str>, usize>,
    entries: Vec<Entry>,
    max: usize,
    key: String,
    last_flush: i64,
    /// The last malformed line and why, to say.
    pub last_bad: Option<String>,
}

impl Aggregator {
    pub fn new(max: usize) -> Self {
        Self {
            index: HashMap::new(),
            entries: Vec::new(),
            max,
            key: String::new(),
            last_flush: chrono::Utc::now().timestamp_millis(),
            last_bad: None,
        }
    }

    /// Takes every line of a packet.
    pub fn packet(&mut self, data: &[u8], counts: &Counts) {
        let text = String::from_utf8_lossy(data);
        for l in text
            .split('\n')
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
        {
            counts.lines.fetch_add(1, Ordering::Relaxed);
            match parse::line(l) {
                Ok(line) => {
                    if !self.take(&line, l) {
                        counts.over_cap.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(why) => {
                    counts.malformed.fetch_add(1, Ordering::Relaxed);
                    let shown: String = crate::text::one_line(l).chars().take(80).collect();
                    self.last_bad = Some(format!("{why}: {shown}"));
                }
            }
        }
    }

    /// One line into its series; false when it is a new series past the cap.
    fn take(&mut self, line: &parse::Line<'_>, raw: &str) -> bool {
        // The identity: the line without its value and rate.
        self.key.clear();
        self.key.push_str(line.name);
        let kind = match line.kind {
            Kind::Counter => "c",
            Kind::Gauge { .. } => "g",
            Kind::Timer => "t",
            Kind::Set => "s",
        };
        self.key.push('|');
        self.key.push_str(kind);
        if let Some(at) = raw.find("|#") {
            let tags = &raw[at..];
            self.key.push_str(tags.split('|').nth(1).unwrap_or(""));
        }
        let i = match self.index.get(self.key.as_str()) {
            Some(i) => *i,
            None => {
                if self.entries.len() >= self.max {
                    return false;
                }
                let id: Box<str> = self.key.as_str().into();
                self.entries.push(entry(line, id.clone(), self.last_flush));
                self.index.insert(id, self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        let e = &mut self.entries[i];
        e.idle = 0;
        let weight = 1.0 / line.rate;
        match (&mut e.agg, line.kind) {
            (Agg::Counter(total), _) => *total += line.value * weight,
            (Agg::Gauge(v), Kind::Gauge { delta: true }) => *v += line.value,
            (Agg::Gauge(v), _) => *v = line.value,
            (Agg::Timer(sketch, count), _) => {
                sketch.add(line.value, weight.round().max(1.0) as u64);
                *count += weight;
            }
            (Agg::Set(members), _) => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                line.member.hash(&mut h);
                members.insert(h.finish());
            }
        }
        true
    }

    /// The series as they stand at `now`; timers and sets start again, series long untouched
    /// are forgotten.
    pub fn flush(&mut self, now: i64) -> Vec<Series> {
        let mut out = Vec::with_capacity(self.entries.len() + 4);
        for e in &mut self.entries {
            e.idle += 1;
            let series = |name: String, value: f64| Series {
                name,
                labels: e.labels.clone(),
                value,
                at_ms: now,
                ..Default::default()
            };
            match &mut e.agg {
                Agg::Counter(total) => {
                    let mut s = series(format!("{}_total", e.name), *total);
                    s.counter = true;
                    s.prev = e.prev;
                    e.prev = Some((now, *total));
                    out.push(s);
                }
                Agg::Gauge(v) => out.push(series(e.name.clone(), *v)),
                Agg::Timer(sketch, count) => {
                    for (q, label) in QUANTILES {
                        if let Some(v) = sketch.quantile(q) {
                            let mut s = series(e.name.clone(), v);
                            s.labels.push(("quantile".into(), label.into()));
                            s.labels.sort();
                            out.push(s);
                        }
                    }
                    let mut s = series(format!("{}_count", e.name), *count);
                    s.counter = true;
                    s.prev = e.prev;
                    e.prev = Some((now, *count));
                    out.push(s);
                    *sketch = Sketch::default();
                }
                Agg::Set(members) => {
                    out.push(series(format!("{}_unique", e.name), members.len() as f64));
                    members.clear();
                }
            }
        }
        self.last_flush = now;
        if self.entries.iter().any(|e| e.idle > IDLE_FLUSHES) {
            self.entries.retain(|e| e.idle <= IDLE_FLUSHES);
            self.index = (self.entries.iter().enumerate())
                .map(|(i, e)| (e.id.clone(), i))
                .collect();
        }
        out
    }
}

/// A new series for `line`: its name and tags as Prometheus takes them; a counter starts
/// from zero at the last flush, so its first interval has a rate.
fn entry(line: &parse::Line<'_>, id: Box<str>, last_flush: i64) -> Entry {
    let name = super::scrape::series::own_name(&metric_name(line.name), false);
    let mut labels: Vec<(String, String)> = (line.tags.iter())
        .map(|(k, v)| (label_name(k), v.to_string()))
        .collect();
    labels.sort();
    labels.dedup_by(|a, b| a.0 == b.0);
    let agg = match line.kind {
        Kind::Counter => Agg::Counter(0.0),
        Kind::Gauge { .. } => Agg::Gauge(0.0),
        Kind::Timer => Agg::Timer(Sketch::default(), 0.0),
        Kind::Set => Agg::Set(HashSet::new()),
    };
    let prev = matches!(line.kind, Kind::Counter | Kind::Timer).then_some((last_flush, 0.0));
    Entry {
        id,
        name,
        labels,
        agg,
        prev,
        idle: 0,
    }
}

/// `api.requests-ok` → `api_requests_ok`.
fn metric_name(s: &str) -> String {
    let mut out: String = (s.chars())
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn label_name(s: &str) -> String {
    let out = metric_name(s).replace(':', "_");
    if out.is_empty() { "_".into() } else { out }
}

#[cfg(test)]
mod tests;
